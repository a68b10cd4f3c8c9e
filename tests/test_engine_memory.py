"""A lint run leaves nothing behind for the host's garbage collector."""

from __future__ import annotations

import ast
import gc
from pathlib import Path

from awsbp.engine import run_rules, select_rules
from awsbp.options import Settings

FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("*.py"))


def test_no_reference_cycles_survive_a_run() -> None:
    """Checkers hold bound methods of themselves; the engine breaks those cycles.

    Otherwise each file's context, tree and text would stay alive until the host's
    next full collection (and make every collection in between slower).
    """
    settings = Settings.default()
    rules = select_rules(settings, include_default_off=True)
    sources = [(path, path.read_text(encoding="utf-8")) for path in FIXTURES]
    for path, text in sources:  # warm-up: first loads of botocore data, caches
        run_rules(ast.parse(text), text.splitlines(True), str(path), settings, rules)
    gc.collect()
    for path, text in sources:
        run_rules(ast.parse(text), text.splitlines(True), str(path), settings, rules)
    assert gc.collect() == 0
