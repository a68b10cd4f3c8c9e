"""The bundled examples: both hosts report the same findings as the core, and some."""

from __future__ import annotations

from harness import ROOT, in_scope, run_core, run_flake8, run_pylint, scope_codes

EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


def test_examples_fire_and_hosts_agree() -> None:
    scope = scope_codes(())
    flake8_rows, fproc = run_flake8(EXAMPLES)
    pylint_rows, pproc = run_pylint(EXAMPLES)
    assert fproc.stderr == "" and pproc.stderr == ""
    total = 0
    for path in EXAMPLES:
        key = str(path.resolve())
        core = in_scope(run_core(path), scope)
        total += len(core)
        assert in_scope(flake8_rows.get(key, []), scope) == core
        assert in_scope(pylint_rows.get(key, []), scope) == core
    assert total >= 5
