"""Each rule's documented Example fires exactly that rule; its Use instead fires nothing.

Checked through the core and through real flake8 and pylint processes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import in_scope, run_core, run_flake8, run_pylint, scope_codes

from awsbp.registry import Rule, all_rules

RULES = all_rules()


def _write(root: Path, rule: Rule) -> tuple[Path, Path]:
    example = root / rule.code / "example" / rule.docs.example_filename
    instead = root / rule.code / "instead" / rule.docs.example_filename
    for path, text in ((example, rule.docs.example), (instead, rule.docs.use_instead)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return example, instead


@pytest.fixture(scope="module")
def doc_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    root = tmp_path_factory.mktemp("docs_examples")
    return {rule.code: _write(root, rule) for rule in RULES}


@pytest.fixture(scope="module")
def hosted(
    doc_files: dict[str, tuple[Path, Path]],
) -> dict[str, dict[str, list[tuple[int, int, str, str]]]]:
    groups: dict[tuple[tuple[str, str], ...], list[Path]] = {}
    for rule in RULES:
        groups.setdefault(rule.docs.example_options, []).extend(doc_files[rule.code])
    out: dict[str, dict[str, list[tuple[int, int, str, str]]]] = {"flake8": {}, "pylint": {}}
    for options, paths in groups.items():
        rows, proc = run_flake8(paths, options)
        assert proc.stderr == ""
        out["flake8"].update(rows)
        prow, pproc = run_pylint(paths, options)
        assert pproc.stderr == ""
        out["pylint"].update(prow)
    return out


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_example_fires_only_this_rule(
    rule: Rule, doc_files: dict[str, tuple[Path, Path]], hosted: dict[str, dict[str, list]]
) -> None:
    example, _ = doc_files[rule.code]
    scope = scope_codes((rule.code,))
    core = in_scope(run_core(example, rule.docs.example_options), scope)
    assert core, f"{rule.code}: example does not fire"
    assert {code for _, _, code, _ in core} == {rule.code}, core
    for host in ("flake8", "pylint"):
        assert in_scope(hosted[host].get(str(example.resolve()), []), scope) == core, host


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_use_instead_is_quiet(
    rule: Rule, doc_files: dict[str, tuple[Path, Path]], hosted: dict[str, dict[str, list]]
) -> None:
    _, instead = doc_files[rule.code]
    scope = scope_codes((rule.code,))
    assert in_scope(run_core(instead, rule.docs.example_options), scope) == []
    for host in ("flake8", "pylint"):
        assert in_scope(hosted[host].get(str(instead.resolve()), []), scope) == [], host
