"""Every fixture through the core, real flake8 and real pylint: expectations and parity."""

from __future__ import annotations

import re

import pytest
from harness import FIXTURES, Fixture, Row, all_fixtures, in_scope, run_core

from awsbp.registry import all_rules

FIXTURE_LIST = all_fixtures()
_OK = re.compile(r"#\s*ok:\s*([A-Z0-9, ]+)")


@pytest.mark.parametrize("fixture", FIXTURE_LIST, ids=lambda f: f.name)
def test_core_matches_expectations(fixture: Fixture) -> None:
    rows = in_scope(run_core(fixture.path, fixture.options), fixture.scope)
    got = sorted((line, code) for line, _, code, _ in rows)
    assert got == list(fixture.expected), f"{fixture.name}: {rows}"


@pytest.mark.parametrize("fixture", FIXTURE_LIST, ids=lambda f: f.name)
@pytest.mark.parametrize("host", ["flake8", "pylint"])
def test_hosts_agree_with_core(
    fixture: Fixture, host: str, host_results: dict[str, dict[str, list[Row]]]
) -> None:
    core = sorted(run_core(fixture.path, fixture.options))
    hosted = sorted(host_results[host][str(fixture.path.resolve())])
    assert hosted == core


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_every_rule_has_firing_and_quiet_fixtures(rule: object) -> None:
    code = rule.code  # type: ignore[attr-defined]
    files = sorted(FIXTURES.rglob(f"{code}*.py"))
    assert files, f"no fixture file named {code}*.py"
    fires = any(code == c for f in FIXTURE_LIST if f.path in files for _, c in f.expected)
    assert fires, f"no fixture expects {code}"
    quiet = any(
        code in m.group(1).replace(" ", "").split(",")
        for f in files
        for m in _OK.finditer(f.read_text(encoding="utf-8"))
    )
    assert quiet, f"no near-miss marked '# ok: {code}' in {code}*.py"
