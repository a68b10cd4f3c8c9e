"""Run files through the core, real flake8 and real pylint, and compare results.

A result row is ``(line, col, code, message)`` with ``col`` 0-based, whichever
host produced it. Hosts run as subprocesses, once per batch of files sharing the
same options, so the whole fixture suite costs a handful of processes.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from awsbp.api import check_file
from awsbp.engine import select_rules
from awsbp.options import Settings
from awsbp.registry import all_rules, default_off_codes, get_rule

Row = tuple[int, int, str, str]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
_EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)")
_OPTION = re.compile(r"^#\s*awsbp-option:\s*([a-z0-9-]+)\s*=\s*(.*?)\s*$", re.M)
_OK = re.compile(r"#\s*ok:\s*([A-Z0-9, ]+)")
_ENABLE = re.compile(r"^#\s*awsbp-enable:\s*([A-Z0-9, ]+)\s*$", re.M)


@dataclass(frozen=True)
class Fixture:
    """One fixture file: its expectations, options and the codes in scope."""

    path: Path
    expected: tuple[tuple[int, str], ...]
    options: tuple[tuple[str, str], ...] = ()
    enabled: tuple[str, ...] = ()
    #: Codes whose findings must match the markers exactly: the codes the fixture
    #: names in ``expect``/``ok`` markers plus the code its file name starts with.
    scope: frozenset[str] = field(default_factory=frozenset)

    @property
    def name(self) -> str:
        return self.path.relative_to(FIXTURES).as_posix()


def parse_fixture(path: Path) -> Fixture:
    """Read ``# expect: CODE[, CODE]`` markers and header options from a fixture."""
    text = path.read_text(encoding="utf-8")
    expected: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _EXPECT.search(line)
        if match:
            for code in match.group(1).replace(" ", "").split(","):
                if code:
                    expected.append((number, code))
    options = tuple((m.group(1), m.group(2)) for m in _OPTION.finditer(text))
    enabled: tuple[str, ...] = ()
    for m in _ENABLE.finditer(text):
        enabled += tuple(c for c in m.group(1).replace(" ", "").split(",") if c)
    named = {code for _, code in expected}
    for m in _OK.finditer(text):
        named.update(c for c in m.group(1).replace(" ", "").split(",") if c)
    prefix = re.match(r"AWSBP[0-9]{3}", path.name)
    if prefix:
        named.add(prefix.group(0))
    return Fixture(path, tuple(sorted(expected)), options, enabled, frozenset(named))


def scope_codes(enabled: Iterable[str]) -> frozenset[str]:
    """Default-on codes plus the default-off codes a fixture switches on."""
    extra = tuple(enabled)
    return frozenset(
        r.code for r in all_rules() if r.default_enabled or any(r.code.startswith(e) for e in extra)
    )


def all_fixtures() -> list[Fixture]:
    """Every ``tests/fixtures/**/*.py``."""
    return [parse_fixture(p) for p in sorted(FIXTURES.rglob("*.py"))]


def settings_for(options: Sequence[tuple[str, str]]) -> Settings:
    return Settings.from_raw(dict(options))


def run_core(path: Path, options: Sequence[tuple[str, str]] = ()) -> list[Row]:
    """The core over one file, every rule on (hosts are asked for everything too)."""
    settings = settings_for(options)
    rules = select_rules(settings, include_default_off=True)
    return [(f.line, f.col, f.code, f.message) for f in check_file(path, settings, rules)]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONSTARTUP", None)
    return env


def run_flake8(
    paths: Sequence[Path],
    options: Sequence[tuple[str, str]] = (),
    extra_args: Sequence[str] = (),
    cwd: Path | None = None,
) -> tuple[dict[str, list[Row]], subprocess.CompletedProcess[str]]:
    """Real flake8 with every awsbp code selected; rows keyed by resolved path."""
    off = ",".join(default_off_codes())
    args = [
        sys.executable, "-m", "flake8", "--isolated", "--select", "AWSBP",
        "--format", "%(path)s\t%(row)d\t%(col)d\t%(code)s\t%(text)s",
    ]
    if off:
        args += ["--extend-select", off]
    args += [f"--{name}={value}" for name, value in options]
    args += list(extra_args)
    args += [str(p) for p in paths]
    proc = subprocess.run(args, capture_output=True, text=True, cwd=cwd or ROOT, env=_env())
    rows: dict[str, list[Row]] = {}
    for line in proc.stdout.splitlines():
        path, row, col, code, text = line.split("\t", 4)
        key = str((Path(cwd or ROOT) / path).resolve())
        rows.setdefault(key, []).append((int(row), int(col) - 1, code, text))
    return rows, proc


def run_pylint(
    paths: Sequence[Path],
    options: Sequence[tuple[str, str]] = (),
    extra_args: Sequence[str] = (),
    cwd: Path | None = None,
) -> tuple[dict[str, list[Row]], subprocess.CompletedProcess[str]]:
    """Real pylint with only the awsbp checker; rows keyed by resolved path."""
    args = [
        sys.executable, "-m", "pylint", "--rcfile=/dev/null", "--load-plugins=pylint_awsbp",
        "--disable=all", "--enable=awsbp", "--output-format=json2", "--score=n",
        "--persistent=n",
    ]
    off = ",".join(default_off_codes())
    if off and not any(name == "awsbp-enable" for name, _ in options):
        args.append(f"--awsbp-enable={off}")
    args += [f"--{name}={value}" for name, value in options]
    args += list(extra_args)
    args += [str(p) for p in paths]
    proc = subprocess.run(args, capture_output=True, text=True, cwd=cwd or ROOT, env=_env())
    rows: dict[str, list[Row]] = {}
    data = json.loads(proc.stdout) if proc.stdout.strip() else {"messages": []}
    for msg in data["messages"]:
        code = get_rule(msg["symbol"]).code
        key = str((Path(cwd or ROOT) / msg["path"]).resolve())
        rows.setdefault(key, []).append((msg["line"], msg["column"], code, msg["message"]))
    return rows, proc


def in_scope(rows: Iterable[Row], scope: frozenset[str]) -> list[Row]:
    """Rows whose code is in ``scope``, sorted."""
    return sorted(r for r in rows if r[2] in scope)


def group_by_options(fixtures: Iterable[Fixture]) -> Mapping[tuple[tuple[str, str], ...],
                                                              list[Fixture]]:
    groups: dict[tuple[tuple[str, str], ...], list[Fixture]] = {}
    for fixture in fixtures:
        groups.setdefault(fixture.options, []).append(fixture)
    return groups


#: A module with findings from several families (and an unused import for flake8's F401),
#: shared by the host integration tests.
MIXED_SRC = '''import os
import boto3

KEY_ID = "AKIA2E0A8F3B244C9986"


def per_key(keys):
    for key in keys:
        boto3.client("s3").delete_object(Bucket="b", Key=key)


def lambda_handler(event, context):
    sqs = boto3.client("sqs")
    return sqs
'''
