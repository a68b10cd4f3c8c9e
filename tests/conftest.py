"""Shared pytest fixtures: one batch run of every fixture file through both hosts."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import Fixture, Row, all_fixtures, group_by_options, run_flake8, run_pylint


@pytest.fixture(scope="session")
def host_results() -> dict[str, dict[str, list[Row]]]:
    """``{"flake8"|"pylint": {resolved path: rows}}`` for every fixture file."""
    results: dict[str, dict[str, list[Row]]] = {"flake8": {}, "pylint": {}}
    for options, fixtures in group_by_options(all_fixtures()).items():
        paths: list[Path] = [f.path for f in fixtures]
        flake8_rows, proc = run_flake8(paths, options)
        assert proc.stderr == "", proc.stderr
        pylint_rows, pproc = run_pylint(paths, options)
        assert pproc.stderr == "", pproc.stderr
        for f in fixtures:
            key = str(f.path.resolve())
            results["flake8"][key] = flake8_rows.get(key, [])
            results["pylint"][key] = pylint_rows.get(key, [])
    return results


def fixture_id(fixture: Fixture) -> str:
    return fixture.name
