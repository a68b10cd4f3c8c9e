"""The base class of rule checkers and the per-file context they report through.

A checker defines ``visit_<NodeType>(node)`` handlers (called in source order as
the engine walks the tree, after the semantic model has seen the node),
optionally ``leave_<NodeType>(node)`` handlers, and ``end_module()``. Several
rules may share one checker; the engine creates one checker instance per file
when at least one of its rules is enabled.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable, Container
from typing import ClassVar

from awsbp.evidence import Evidence
from awsbp.findings import Finding
from awsbp.model import Frame, SemanticModel
from awsbp.options import Settings
from awsbp.registry import Rule
from awsbp.textgate import TextGate, any_word

_TEST_PATH = re.compile(
    r"(?:^|/)(?:tests?|testing)/[^/]*$|(?:^|/)(?:test_[^/]*|[^/]*_test|conftest)\.py$"
)


class FileContext:
    """Everything a checker may consult about the file being linted."""

    def __init__(
        self,
        tree: ast.Module,
        lines: list[str],
        filename: str,
        settings: Settings,
        enabled: frozenset[str],
        text: str | None = None,
    ) -> None:
        self.tree = tree
        self.lines = lines
        #: The whole source text (for cheap text gates).
        self.text = "".join(lines) if text is None else text
        self.filename = filename.replace("\\", "/")
        self.settings = settings
        self.enabled = enabled
        self.model = SemanticModel(
            tree,
            self.filename,
            settings.get_list("awsbp-lambda-handlers"),
            settings.get_bool("awsbp-lambda-heuristic"),
            self.text,
        )
        self.findings: list[Finding] = []
        self._evidence_override = settings.get_str("awsbp-min-evidence")

    # ------------------------------------------------------------------ facts
    @property
    def frame(self) -> Frame:
        """The innermost function frame (the module has one too)."""
        return self.model.frame

    @functools.cached_property
    def is_test_file(self) -> bool:
        """Whether this looks like a test module (by path or test-framework imports).

        Decided once, on first use (checkers ask before or early in the walk, when the
        module-level imports are known).
        """
        if _TEST_PATH.search(self.filename):
            return True
        return any(
            target.split(".")[0] in ("pytest", "moto") for target in self.model.imports.values()
        )

    def is_enabled(self, rule: Rule) -> bool:
        """Whether ``rule`` runs in this lint run."""
        return rule.code in self.enabled

    def accepts(self, rule: Rule, evidence: Evidence) -> bool:
        """Whether ``evidence`` is enough for ``rule`` (honours awsbp-min-evidence)."""
        needed = rule.min_evidence
        if self._evidence_override:
            needed = Evidence.parse(self._evidence_override)
        return evidence >= needed

    # ------------------------------------------------------------------ output
    def report(self, rule: Rule, node: ast.AST, **fields: object) -> None:
        """Report ``rule`` at ``node``'s position with the message fields filled in."""
        if rule.code not in self.enabled:
            return
        line = getattr(node, "lineno", 1)
        col = getattr(node, "col_offset", 0)
        end_line = getattr(node, "end_lineno", None) or line
        end_col = getattr(node, "end_col_offset", None)
        if end_col is None:
            end_col = col
        self.findings.append(
            Finding(line, col, rule.code, rule.format(**fields), end_line, end_col)
        )

    def report_at(
        self, rule: Rule, line: int, col: int, end_line: int, end_col: int, **fields: object
    ) -> None:
        """Report ``rule`` at an explicit position."""
        if rule.code not in self.enabled:
            return
        message = rule.format(**fields)
        self.findings.append(Finding(line, col, rule.code, message, end_line, end_col))


Handler = Callable[[ast.AST], None]


class Checker:
    """Base class: subclasses add ``visit_X``/``leave_X`` methods and ``end_module``.

    ``CALL_NAMES``: when set, ``visit_Call`` runs only for calls whose callee name is
    in it (``x.put_item(...)`` -> ``put_item``; a bare name is first resolved through
    imports, so ``from boto3 import client as mk; mk(...)`` -> ``client``). Rules that
    care about a few method names should set it: it keeps the walk fast.
    """

    CALL_NAMES: ClassVar[frozenset[str] | None] = None

    #: When set, the checker runs only on files whose text matches this pattern (a
    #: cheap C-speed pre-filter: the words the checker's findings cannot do without).
    TEXT_GATE: ClassVar[TextGate | None] = None

    @classmethod
    def wanted(cls, ctx: FileContext, text: str) -> bool:
        """Whether to run on this file at all (default: the :attr:`TEXT_GATE` test)."""
        return cls.TEXT_GATE is None or cls.TEXT_GATE.search(text) is not None

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self.model: SemanticModel = ctx.model
        #: Handler method names (``visit_Constant``...) this instance does not need for
        #: this file; set in ``__init__`` to keep them out of the walk.
        self.skip_handlers: frozenset[str] = frozenset()

    def name_filter(self) -> Container[str] | None:
        """The names ``visit_Name`` is called for, or None for every name.

        Asked once per file, after ``__init__``. The container is tested by the walk
        itself (a call saved per name), so it may grow during the walk: return the
        live set, not a copy.
        """
        return None

    def call_filter(self) -> Callable[[str], object] | None:
        """A test of callee names ``visit_Call`` is called for, or None for every call.

        For a checker without :attr:`CALL_NAMES` whose names are too many to route by
        (every name with a given prefix): the walk calls the test with the name
        (``x.<name>(...)``, or an imported name resolved) and skips the handler when
        it returns something false. A compiled pattern's ``match`` runs at C speed.
        """
        return None

    def attribute_filter(self) -> Container[str] | None:
        """The attribute names ``visit_Attribute`` is called for, or None for every one.

        Like :meth:`name_filter`, for ``x.<attr>`` nodes.
        """
        return None

    def end_module(self) -> None:
        """Called once after the walk; report whole-module findings here."""


#: What a handler found by the heuristic needs in the text: ``def name(event, ...`` (or
#: ``_event``; comments may sit before the parameter).
HANDLER_DEF_TEXT = any_word(
    "event", then=r"def\s+\w+\s*\((?:\s|#[^\n]*\n)*_?event\s*[,:/]"
)


def may_have_handler(settings: Settings, text: str) -> bool:
    """Whether the model can find a Lambda handler in a file with this text.

    A cheap superset of "``SemanticModel.handlers`` is not empty", for deciding before
    any parsing work whether the handler rules (:class:`LambdaFileChecker`) can run.
    """
    if settings.get_list("awsbp-lambda-handlers"):
        return True
    return settings.get_bool("awsbp-lambda-heuristic") and HANDLER_DEF_TEXT.search(text) is not None


class TestModuleChecker(Checker):
    """A checker that only runs on test modules (and its text gate)."""

    __test__ = False  # not a pytest test class, whatever imports it

    @classmethod
    def wanted(cls, ctx: FileContext, text: str) -> bool:
        """Only test modules."""
        return ctx.is_test_file and super().wanted(ctx, text)


class LambdaFileChecker(Checker):
    """A checker that only runs on files with a Lambda handler (and its text gate)."""

    @classmethod
    def wanted(cls, ctx: FileContext, text: str) -> bool:
        """Only files with a Lambda handler."""
        return bool(ctx.model.handlers) and super().wanted(ctx, text)
