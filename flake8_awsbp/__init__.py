"""flake8 front-end for awsbp: hands flake8's tree and lines to the shared core.

The entry point is named ``AWS`` (flake8 rejects longer names); the codes it
reports are ``AWSBPnnn``. It never opens the file: ``filename`` is a label.
"""

from __future__ import annotations

import argparse
import ast
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

from awsbp import __version__
from awsbp.engine import run_rules, select_rules
from awsbp.options import OptionError, OptionSpec, Settings, normalize
from awsbp.registry import Rule, all_options, default_off_codes


def _validator(spec: OptionSpec) -> Any:
    """An argparse ``type`` that validates (CLI and config-file values alike)."""

    def validate(value: str) -> str:
        try:
            normalize(spec, value)
        except OptionError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        return value

    validate.__name__ = spec.name
    return validate


class Plugin:
    """The flake8 plugin class (one instance per file)."""

    name = "awsbp"
    version = __version__

    _settings: ClassVar[Settings | None] = None
    _rules: ClassVar[tuple[Rule, ...]] = ()

    def __init__(self, tree: ast.Module, lines: Sequence[str], filename: str) -> None:
        self.tree = tree
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, option_manager: Any) -> None:
        """Register awsbp's options (CLI and config files) and its default-off codes."""
        for spec in all_options():
            option_manager.add_option(
                f"--{spec.name}",
                default=spec.default_text(),
                type=_validator(spec),
                parse_from_config=True,
                metavar=spec.metavar or None,
                help=f"{spec.help} (default: {spec.default_text()!r})",
            )
        option_manager.extend_default_ignore(list(default_off_codes()))

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        """Build the frozen settings for this run (called again on every run)."""
        raw = {spec.name: getattr(options, spec.attr, None) for spec in all_options()}
        try:
            settings = Settings.from_raw(raw)
        except OptionError as exc:  # pragma: no cover - argparse validated already
            raise SystemExit(f"flake8: error: {exc}") from None
        cls._settings = settings
        # flake8 decides what is shown (select/ignore/noqa). awsbp runs the default
        # rules plus the opt-in rules named by their full code in --select or
        # --extend-select (a prefix such as AWSBP selects only the default set).
        named = [*(getattr(options, "select", None) or ()),
                 *(getattr(options, "extend_select", None) or ())]
        cls._rules = tuple(select_rules(settings, named=named))

    def run(self) -> Iterator[tuple[int, int, str, type[Plugin]]]:
        """Yield ``(line, col, "AWSBPnnn message", type)`` for each finding."""
        settings = self._settings
        if settings is None:
            settings = Settings.default()
            rules: Sequence[Rule] = select_rules(settings)
        else:
            rules = self._rules
        for finding in run_rules(self.tree, self.lines, self.filename, settings, rules):
            yield finding.line, finding.col, f"{finding.code} {finding.message}", type(self)
