"""The core's entry points: lint a parsed tree, a source text, or a file."""

from __future__ import annotations

import ast
import io
import tokenize
import warnings
from collections.abc import Sequence
from pathlib import Path

from awsbp.engine import run_rules, select_rules
from awsbp.findings import Finding
from awsbp.options import Settings
from awsbp.registry import Rule


def check_tree(
    tree: ast.Module,
    lines: Sequence[str],
    filename: str = "<unknown>",
    settings: Settings | None = None,
    rules: Sequence[Rule] | None = None,
) -> list[Finding]:
    """Lint an already-parsed module.

    ``rules`` defaults to the default-enabled rules (plus ``awsbp-enable``, minus
    ``awsbp-disable``). Never reads the file: ``filename`` is a label only.
    """
    settings = settings or Settings.default()
    chosen = select_rules(settings) if rules is None else rules
    return run_rules(tree, lines, filename, settings, chosen)


def decode_source(source: str | bytes) -> str:
    """Decode bytes honouring a BOM or PEP 263 coding cookie."""
    if isinstance(source, str):
        return source
    encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
    text = source.decode(encoding, errors="replace")
    return text[1:] if text.startswith("\ufeff") else text


def check_source(
    source: str | bytes,
    filename: str = "<unknown>",
    settings: Settings | None = None,
    rules: Sequence[Rule] | None = None,
) -> list[Finding]:
    """Parse and lint source text. A ``SyntaxError`` propagates (the host reports it)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SyntaxWarnings are the host's to report
        tree = ast.parse(source, filename=filename)
    text = decode_source(source)
    return check_tree(tree, text.splitlines(keepends=True), filename, settings, rules)


def check_file(
    path: str | Path,
    settings: Settings | None = None,
    rules: Sequence[Rule] | None = None,
) -> list[Finding]:
    """Read and lint one file (for the CLI and scripts; the plugins never open files)."""
    data = Path(path).read_bytes()
    return check_source(data, str(path), settings, rules)
