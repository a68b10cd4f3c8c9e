"""Reading IAM and resource policy documents evaluated from source.

A document is what :class:`awsbp.rules._sec_common.Evaluator` produced: dicts and
lists (with source nodes when they came from literals), strings, and UNKNOWN for
anything computed. Only facts visible in the literal are reported: a statement
whose ``Effect``, ``Action`` or ``Principal`` is computed, or that has a
``Condition`` (even a computed one), or whose keys are not all known, is skipped.
"""

from __future__ import annotations

import ast
import re
from enum import Enum
from typing import Final

from awsbp.rules._sec_common import (
    container_node,
    is_complete,
    parse_json,
    value_node,
)

_SERVICE_WILDCARD: Final = re.compile(r"^([A-Za-z0-9-]+):\*$")
_MAX_STATEMENTS: Final = 200


class PolicyKind(Enum):
    """Where a policy document is attached: it decides which checks apply."""

    IDENTITY = "identity"
    """An IAM identity policy (``PolicyDocument`` of create_policy, put_role_policy...)."""
    TRUST = "trust"
    """A role trust policy (``AssumeRolePolicyDocument``)."""
    RESOURCE = "resource"
    """A resource policy (bucket, key, queue, topic, secret...)."""


class PolicyProblem:
    """One over-permissive statement: where it is and what it allows (immutable)."""

    __slots__ = ("node", "what")

    def __init__(self, node: ast.AST | None, what: str) -> None:
        self.node = node
        self.what = what


def as_document(value: object) -> dict[str, object] | None:
    """A policy document from an evaluated value (a dict, or a JSON string)."""
    if isinstance(value, str):
        value = parse_json(value)
    if isinstance(value, dict) and "Statement" in value:
        return value
    return None


def _strings(value: object) -> list[str]:
    """The known strings of a string-or-list field."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def _statements(document: dict[str, object]) -> list[object]:
    statement = document.get("Statement")
    if isinstance(statement, dict):
        return [statement]
    if isinstance(statement, list):
        return list(statement[:_MAX_STATEMENTS])
    return []


def _any_principal(principal: object) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, dict):
        return "*" in _strings(principal.get("AWS"))
    return False


def _statement_problem(statement: dict[str, object], kind: PolicyKind) -> PolicyProblem | None:
    if statement.get("Effect") != "Allow" or "Condition" in statement:
        return None
    if not is_complete(statement):
        return None
    fallback = container_node(statement)
    if kind is PolicyKind.IDENTITY:
        actions = _strings(statement.get("Action"))
        node = value_node(statement, "Action") or fallback
        if "*" in actions or "*:*" in actions:
            return PolicyProblem(node, "allows every action ('*')")
        resources = _strings(statement.get("Resource"))
        if "*" in resources:
            for action in actions:
                match = _SERVICE_WILDCARD.match(action)
                if match:
                    service = match.group(1)
                    return PolicyProblem(
                        node, f"allows every '{service}' action on every resource "
                              f"('{action}' on '*')"
                    )
        return None
    if _any_principal(statement.get("Principal")):
        node = value_node(statement, "Principal") or fallback
        return PolicyProblem(node, "allows any principal ('*') without a Condition")
    return None


def policy_problems(document: dict[str, object], kind: PolicyKind) -> list[PolicyProblem]:
    """Over-permissive Allow statements of ``document`` (at most one per statement)."""
    problems: list[PolicyProblem] = []
    for statement in _statements(document):
        if isinstance(statement, dict):
            problem = _statement_problem(statement, kind)
            if problem is not None:
                problems.append(problem)
    return problems
