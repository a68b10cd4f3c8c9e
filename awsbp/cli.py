"""``python -m awsbp`` / ``awsbp``: list and explain rules, print config, lint files.

The plugins never use this module; it is for people and scripts.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from awsbp import __version__
from awsbp.api import check_file
from awsbp.docs_gen import rule_page
from awsbp.engine import select_rules
from awsbp.options import OptionError, Settings
from awsbp.registry import Rule, all_options, all_rules, get_rule


def _data_version() -> str:
    try:
        from awsbp import botocore_data

        return botocore_data.botocore_version()
    except Exception:  # data missing in a broken install: still print our version
        return "unavailable"


def _out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _rule_dict(rule: Rule) -> dict[str, object]:
    return {
        "code": rule.code,
        "msgid": rule.msgid,
        "symbol": rule.symbol,
        "summary": rule.summary,
        "message": rule.message,
        "guide_section": rule.guide_section,
        "default_enabled": rule.default_enabled,
        "min_evidence": rule.min_evidence.name.lower(),
        "options": list(rule.options),
        "aws_only": rule.aws_only,
    }


def _filtered_rules(args: argparse.Namespace) -> list[Rule]:
    rules = list(all_rules())
    if args.section:
        needle = args.section.lower()
        rules = [r for r in rules if needle in r.guide_section.lower()]
    if args.enabled:
        rules = [r for r in rules if r.default_enabled]
    if args.disabled:
        rules = [r for r in rules if not r.default_enabled]
    return rules


def cmd_rules(args: argparse.Namespace) -> int:
    """``rules``: a table, or JSON with ``--format json``."""
    rules = _filtered_rules(args)
    if args.format == "json":
        _out(json.dumps([_rule_dict(r) for r in rules], indent=2))
        return 0
    width = max((len(r.symbol) for r in rules), default=6)
    _out(f"{'CODE':<9} {'PYLINT':<6} {'SYMBOL':<{width}} {'ON':<3} SUMMARY")
    for rule in rules:
        on = "yes" if rule.default_enabled else "no"
        _out(f"{rule.code:<9} {rule.msgid:<6} {rule.symbol:<{width}} {on:<3} {rule.summary}")
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    """``explain CODE|SYMBOL|MSGID``: the rule's documentation page."""
    try:
        rule = get_rule(args.rule)
    except KeyError:
        sys.stderr.write(f"awsbp: no rule {args.rule!r} (try 'python -m awsbp rules')\n")
        return 2
    _out(rule_page(rule))
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    """``config``: ready-to-paste ``.flake8`` and ``[tool.pylint.awsbp]`` blocks."""
    specs = all_options()
    lines = ["# .flake8 (or [flake8] in setup.cfg / tox.ini)", "[flake8]",
             "extend-select = AWSBP"]
    for spec in specs:
        lines.append(f"# {spec.help}")
        lines.append(f"{spec.name} = {spec.default_text()}")
    lines += ["", "# pyproject.toml", "[tool.pylint.main]", 'load-plugins = ["pylint_awsbp"]',
              "", "[tool.pylint.awsbp]"]
    for spec in specs:
        lines.append(f"# {spec.help}")
        value = spec.default
        if isinstance(value, tuple):
            rendered = json.dumps(list(value))
        elif isinstance(value, bool):
            rendered = "true" if value else "false"
        elif isinstance(value, int):
            rendered = str(value)
        else:
            rendered = json.dumps(value)
        lines.append(f"{spec.name} = {rendered}")
    _out("\n".join(lines))
    return 0


def _python_files(paths: Sequence[str]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.py") if p.is_file())
        else:
            yield path


def cmd_check(args: argparse.Namespace) -> int:
    """``check PATHS``: lint with the core alone (default-on rules, plus options)."""
    raw: dict[str, object] = {}
    if args.disable:
        raw["awsbp-disable"] = args.disable
    if args.enable:
        raw["awsbp-enable"] = args.enable
    if args.lambda_handlers:
        raw["awsbp-lambda-handlers"] = args.lambda_handlers
    try:
        settings = Settings.from_raw(raw)
    except OptionError as exc:
        sys.stderr.write(f"awsbp: error: {exc}\n")
        return 2
    rules = select_rules(settings)
    count = 0
    for path in _python_files(args.paths):
        try:
            findings = check_file(path, settings, rules)
        except SyntaxError as exc:
            sys.stderr.write(f"{path}: skipped, cannot parse: {exc.msg}\n")
            continue
        except OSError as exc:
            sys.stderr.write(f"{path}: cannot read: {exc}\n")
            continue
        for f in findings:
            count += 1
            _out(f"{path}:{f.line}:{f.col + 1}: {f.code} {f.message}")
    return 1 if count else 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m awsbp``."""
    parser = argparse.ArgumentParser(
        prog="awsbp", description="AWS Python & boto3 best-practice checks (flake8 + pylint)."
    )
    parser.add_argument(
        "--version", action="version",
        version=f"awsbp {__version__} (botocore data {_data_version()})",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    rules = sub.add_parser("rules", help="list the rules")
    rules.add_argument("--format", choices=("table", "json"), default="table")
    rules.add_argument("--section", help="only rules whose guide section contains this text")
    group = rules.add_mutually_exclusive_group()
    group.add_argument("--enabled", action="store_true", help="only default-on rules")
    group.add_argument("--disabled", action="store_true", help="only default-off rules")
    rules.set_defaults(func=cmd_rules)

    explain = sub.add_parser("explain", help="show a rule's documentation")
    explain.add_argument("rule", help="code (AWSBP101), symbol or pylint msgid")
    explain.set_defaults(func=cmd_explain)

    config = sub.add_parser("config", help="print .flake8 and pyproject blocks with defaults")
    config.set_defaults(func=cmd_config)

    check = sub.add_parser("check", help="lint files with the core alone")
    check.add_argument("paths", nargs="+")
    check.add_argument("--disable", help="codes or prefixes to switch off")
    check.add_argument("--enable", help="default-off codes to switch on")
    check.add_argument("--lambda-handlers", help="handlers, e.g. app.lambda_handler")
    check.set_defaults(func=cmd_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m awsbp`` and the ``awsbp`` script."""
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
