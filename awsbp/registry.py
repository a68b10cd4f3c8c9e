"""The rule registry: the single source of truth about every awsbp rule.

Each rule is one :class:`Rule` value declared next to its checker in a module of
:mod:`awsbp.rules`. flake8's default-off list, pylint's ``msgs`` and
``options``, the docs pages, the README table and ``python -m awsbp rules`` are
all generated from these values.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from awsbp.evidence import Evidence
from awsbp.options import CORE_OPTIONS, OptionSpec
from awsbp.textgate import TextGate
from awsbp.valueobject import ValueObject

if TYPE_CHECKING:
    from awsbp.checker import Checker


class RuleDocs(ValueObject):
    """A rule's documentation, in the shape users of ruff and bugbear know.

    ``example`` must fire exactly this rule (once or more) and ``use_instead``
    must fire nothing; tests check both through the core and both hosts.

    Immutable: never assign to an attribute after construction. Compares and hashes
    by value.
    """

    __slots__ = (
        "example",
        "example_filename",
        "example_options",
        "notes",
        "references",
        "use_instead",
        "what",
        "why",
    )

    what: str
    why: str
    example: str
    use_instead: str
    references: tuple[str, ...]
    notes: str
    example_filename: str
    example_options: tuple[tuple[str, str], ...]

    def __init__(
        self,
        what: str,
        why: str,
        example: str,
        use_instead: str,
        references: tuple[str, ...] = (),
        notes: str = "",
        example_filename: str = "example.py",
        example_options: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.what = what
        self.why = why
        self.example = example
        self.use_instead = use_instead
        self.references = references
        self.notes = notes
        self.example_filename = example_filename
        self.example_options = example_options

    def _key(self) -> tuple[object, ...]:
        return (
            self.what,
            self.why,
            self.example,
            self.use_instead,
            self.references,
            self.notes,
            self.example_filename,
            self.example_options,
        )



class Rule(ValueObject):
    """One rule: identity in both hosts, message, guide anchor, defaults, docs.

    Immutable: never assign to an attribute after construction (use :meth:`replace`).
    Compares and hashes by value, leaving out ``checker`` and ``prefilter``.
    """

    __slots__ = (
        "aws_only",
        "checker",
        "code",
        "default_enabled",
        "docs",
        "guide_section",
        "message",
        "min_evidence",
        "msgid",
        "options",
        "prefilter",
        "summary",
        "symbol",
    )

    code: str
    msgid: str
    symbol: str
    message: str
    summary: str
    guide_section: str
    docs: RuleDocs
    checker: type[Checker]
    default_enabled: bool
    min_evidence: Evidence
    options: tuple[str, ...]
    aws_only: bool
    """Run only on files that import an AWS SDK or its type stubs (``names.imports_sdk``)."""
    prefilter: TextGate | None

    def __init__(
        self,
        code: str,
        msgid: str,
        symbol: str,
        message: str,
        summary: str,
        guide_section: str,
        docs: RuleDocs,
        checker: type[Checker],
        default_enabled: bool = True,
        min_evidence: Evidence = Evidence.HIGH,
        options: tuple[str, ...] = (),
        aws_only: bool = True,
        prefilter: TextGate | None = None,
    ) -> None:
        self.code = code
        self.msgid = msgid
        self.symbol = symbol
        self.message = message
        self.summary = summary
        self.guide_section = guide_section
        self.docs = docs
        self.checker = checker
        self.default_enabled = default_enabled
        self.min_evidence = min_evidence
        self.options = options
        self.aws_only = aws_only
        self.prefilter = prefilter

    def _key(self) -> tuple[object, ...]:
        return (
            self.code,
            self.msgid,
            self.symbol,
            self.message,
            self.summary,
            self.guide_section,
            self.docs,
            self.default_enabled,
            self.min_evidence,
            self.options,
            self.aws_only,
        )


    def __repr__(self) -> str:
        return f"Rule({self.code} {self.symbol})"

    def replace(self, **changes: Any) -> Rule:
        """A copy with the fields named in ``changes`` set (like ``dataclasses.replace``)."""
        fields = {name: getattr(self, name) for name in Rule.__slots__}
        fields.update(changes)
        return Rule(**fields)

    def format(self, **fields: object) -> str:
        """The message text with ``fields`` filled in."""
        return self.message.format(**fields)

    @property
    def family(self) -> str:
        """The code's family digit, e.g. ``"1"`` for AWSBP101."""
        return self.code[5]


@functools.cache
def all_rules() -> tuple[Rule, ...]:
    """Every registered rule, sorted by code."""
    from awsbp.rules import RULE_MODULES

    rules: list[Rule] = []
    for module in RULE_MODULES:
        rules.extend(module.RULES)
    return tuple(sorted(rules, key=lambda r: r.code))


@functools.cache
def all_options() -> tuple[OptionSpec, ...]:
    """Core options followed by every rule module's own options."""
    from awsbp.rules import RULE_MODULES

    specs: list[OptionSpec] = list(CORE_OPTIONS)
    for module in RULE_MODULES:
        specs.extend(getattr(module, "OPTIONS", ()))
    return tuple(specs)


def option_spec(name: str) -> OptionSpec:
    """Look up an option by name."""
    for spec in all_options():
        if spec.name == name:
            return spec
    raise KeyError(name)


@functools.cache
def _by_key() -> dict[str, Rule]:
    table: dict[str, Rule] = {}
    for rule in all_rules():
        table[rule.code] = rule
        table[rule.msgid] = rule
        table[rule.symbol] = rule
    return table


def get_rule(key: str) -> Rule:
    """Find a rule by code (``AWSBP101``), msgid (``W7301``) or symbol."""
    rule = _by_key().get(key) or _by_key().get(key.upper())
    if rule is None:
        raise KeyError(key)
    return rule


def matches(code: str, prefixes: Iterable[str]) -> bool:
    """Whether ``code`` starts with any of ``prefixes``."""
    return any(code.startswith(p) for p in prefixes)


def default_off_codes() -> tuple[str, ...]:
    """Codes of rules that are off unless a user selects them."""
    return tuple(r.code for r in all_rules() if not r.default_enabled)
