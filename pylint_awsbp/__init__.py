"""pylint front-end for awsbp: one raw checker named ``awsbp`` over the shared core.

Load with ``pylint --load-plugins=pylint_awsbp``. The module is read through
``node.stream()`` (so ``--from-stdin`` works), parsed with ``ast`` and linted by
the same core as the flake8 plugin.
"""

from __future__ import annotations

import ast
import warnings
from typing import TYPE_CHECKING, Any

from pylint.checkers import BaseRawFileChecker
from pylint.interfaces import HIGH

from awsbp.api import decode_source
from awsbp.engine import run_rules, select_rules
from awsbp.options import OptionError, OptionSpec, Settings
from awsbp.registry import Rule, all_options, all_rules, get_rule, matches

if TYPE_CHECKING:
    from astroid import nodes  # type: ignore[import-untyped,unused-ignore]
    from pylint.lint import PyLinter
    from pylint.typing import MessageDefinitionTuple

_PYLINT_TYPES = {"codes": "csv", "list": "csv", "int": "int", "bool": "yn"}


def _pylint_option(spec: OptionSpec) -> tuple[str, dict[str, Any]]:
    kind = _PYLINT_TYPES.get(spec.kind, "string")
    return (
        spec.name,
        {
            "type": kind,
            "default": spec.default,
            "metavar": f"<{(spec.metavar or spec.kind).lower()}>",
            "help": spec.help,
        },
    )


def _messages() -> dict[str, MessageDefinitionTuple]:
    msgs: dict[str, MessageDefinitionTuple] = {}
    for rule in all_rules():
        description = f"{rule.code}: {rule.summary}."
        if rule.default_enabled:
            msgs[rule.msgid] = ("%s", rule.symbol, description)
        else:
            msgs[rule.msgid] = ("%s", rule.symbol, description, {"default_enabled": False})
    return msgs


class AwsbpChecker(BaseRawFileChecker):
    """Runs every enabled awsbp rule over each module."""

    name = "awsbp"
    msgs = _messages()
    options = tuple(_pylint_option(spec) for spec in all_options())

    def open(self) -> None:
        """Validate the options once per run; switch on rules named in awsbp-enable."""
        self._settings = self._build_settings()
        extra = self._settings.get_list("awsbp-enable")
        for rule in all_rules():
            if not rule.default_enabled and matches(rule.code, extra):
                self.linter.enable(rule.msgid)

    def _build_settings(self) -> Settings:
        config = self.linter.config
        raw = {spec.name: getattr(config, spec.attr, spec.default) for spec in all_options()}
        try:
            return Settings.from_raw(raw)
        except OptionError as exc:
            raise SystemExit(f"pylint: error: {exc}") from None

    def _enabled_rules(self, settings: Settings) -> list[Rule]:
        """Rules whose messages are enabled.

        ``--enable=awsbp`` (or ``all``) makes pylint enable every message of the
        checker; opt-in rules still need to be named (``--enable=<symbol>`` or
        ``<msgid>``, or ``awsbp-enable``), as under flake8.
        """
        named: set[str] = getattr(self.linter, _NAMED_ATTR, set())
        candidates = select_rules(settings, named=named)
        return [r for r in candidates if self.linter.is_message_enabled(r.msgid)]

    def process_module(self, node: nodes.Module) -> None:
        """Parse the module's bytes with ``ast`` and report the core's findings."""
        settings = getattr(self, "_settings", None) or self._build_settings()
        rules = self._enabled_rules(settings)
        if not rules:
            return
        with node.stream() as stream:
            data = stream.read()
        try:
            with warnings.catch_warnings():
                # pylint reports SyntaxWarnings itself; a second copy on stderr would
                # break editors that parse the streams
                warnings.simplefilter("ignore")
                tree = ast.parse(data, filename=node.file or "<stdin>")
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            return  # pylint reports syntax errors itself
        lines = decode_source(data).splitlines(keepends=True)
        filename = node.file or node.name
        for finding in run_rules(tree, lines, filename, settings, rules):
            rule = get_rule(finding.code)
            self.add_message(
                rule.symbol,
                line=finding.line,
                col_offset=finding.col,
                end_lineno=finding.end_line,
                end_col_offset=finding.end_col,
                args=(finding.message,),
                confidence=HIGH,
            )


_NAMED_ATTR = "_awsbp_named_enables"


def _record_named_enables(linter: PyLinter) -> None:
    """Remember which names ``--enable``/``enable =`` gave, before pylint expands them.

    pylint turns ``--enable=awsbp`` into every message of the checker, so the
    message state cannot tell "the checker" from "this opt-in rule". The plugin is
    loaded before the other options are parsed, so wrapping this linter's
    ``enable`` here sees the names as written. Only run-wide enables are recorded
    (not ``# pylint: enable`` pragmas, which pass a line).
    """
    if hasattr(linter, _NAMED_ATTR):
        return
    named: set[str] = set()
    original = linter.enable

    def enable(msgid: str, *args: Any, **kwargs: Any) -> None:
        if not args and not kwargs.get("line"):
            named.add(msgid)
        original(msgid, *args, **kwargs)

    setattr(linter, _NAMED_ATTR, named)
    linter.enable = enable  # type: ignore[method-assign]


def register(linter: PyLinter) -> None:
    """Pylint's plugin hook."""
    _record_named_enables(linter)
    linter.register_checker(AwsbpChecker(linter))
