"""Ecosystem check: run awsbp over pinned boto3-heavy PyPI projects (or any folder).

Usage (from the repo root, after ``pip install -e '.[test]'``)::

    python scripts/ecosystem.py                       # core on every pinned project, baseline diff
    python scripts/ecosystem.py --hosts               # ... and flake8 + pylint, with parity check
    python scripts/ecosystem.py --sample 20           # 20 files per project (quick)
    python scripts/ecosystem.py --project c7n --hosts
    python scripts/ecosystem.py --update-baseline     # rewrite ecosystem/baseline.tsv
    python scripts/ecosystem.py --path SOME/DIR       # any folder: report only, no baseline
    python scripts/ecosystem.py --review --code AWSBP101 [--unreviewed]
    python scripts/ecosystem.py --write-precision-doc # docs/precision.md from ecosystem/review.tsv

Pinned wheels (version + sha256) are listed in ``scripts/ecosystem_projects.toml`` and
unpacked under the git-ignored ``.cache/ecosystem/``. The markdown report goes to stdout
and the JSON report to ``.cache/ecosystem/report.json``.

Exit status: 1 on any crash (core exception other than a parse error, host traceback,
pylint fatal message, anything awsbp writes to stderr) or parity mismatch between core,
flake8 and pylint; with ``--strict-baseline`` also on any baseline difference; 2 on
usage errors; 0 otherwise. Files Python cannot parse are reported as skipped.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import json
import platform
import re
import subprocess
import sys
import time
import traceback
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import _corpus
from _corpus import Corpus

BASELINE_FILE = _corpus.REPO_ROOT / "ecosystem" / "baseline.tsv"
REVIEW_FILE = _corpus.REPO_ROOT / "ecosystem" / "review.tsv"
PRECISION_DOC = _corpus.REPO_ROOT / "docs" / "precision.md"
REPORT_JSON = _corpus.CACHE_DIR / "report.json"
BASELINE_HEADER = ("project", "path", "line", "code")
REVIEW_HEADER = ("project", "path", "line", "code", "verdict", "note")
HOST_TIMEOUT_S = 1800
MAX_BISECT_RUNS = 64
MAX_SOLO_RUNS = 20
MAX_LIST = 60

Key = tuple[str, int, int, str]  # (relative path, line, 0-based col, code)
CheckSource = Callable[..., list[Any]]


# ---------------------------------------------------------------------------------------------
# Results


@dataclass
class Crash:
    """One crash: an exception in the core or a failing host run."""

    tool: str
    project: str
    path: str
    error: str
    traceback: str = ""
    where: str = ""


@dataclass
class FileResult:
    """What the core did with one file."""

    path: str
    lines: int
    seconds: float = 0.0
    status: str = "ok"  # ok | skipped | crash
    findings: list[tuple[int, int, str, str, int, int]] = field(default_factory=list)


@dataclass
class HostResult:
    """What one host (flake8 or pylint) reported for one corpus."""

    tool: str
    seconds: float = 0.0
    runs: int = 0
    findings: dict[Key, list[tuple[str, int | None, int | None]]] = field(default_factory=dict)
    default_off: Counter[str] = field(default_factory=Counter)
    skipped: set[str] = field(default_factory=set)
    crashes: list[Crash] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Mismatch:
    """A finding that not every tool reported identically."""

    project: str
    path: str
    line: int
    col: int
    code: str
    counts: dict[str, int]
    detail: str = ""


@dataclass
class ProjectResult:
    """Everything measured on one corpus."""

    corpus: Corpus
    files: list[FileResult]
    crashes: list[Crash]
    hosts: dict[str, HostResult] = field(default_factory=dict)
    mismatches: list[Mismatch] = field(default_factory=list)
    suppressed: list[Mismatch] = field(default_factory=list)  # by a pylint pragma

    @property
    def name(self) -> str:
        return self.corpus.name

    def core_keys(self) -> dict[Key, list[tuple[str, int | None, int | None]]]:
        table: dict[Key, list[tuple[str, int | None, int | None]]] = defaultdict(list)
        for fr in self.files:
            for line, col, code, message, end_line, end_col in fr.findings:
                table[(fr.path, line, col, code)].append((message, end_line, end_col))
        return table

    def code_counts(self) -> Counter[str]:
        return Counter(f[2] for fr in self.files for f in fr.findings)


# ---------------------------------------------------------------------------------------------
# The core, in process


def load_core(module_name: str) -> CheckSource:
    """Import ``check_source`` from the core (or a stand-in module, for testing this script)."""
    module = importlib.import_module(module_name)
    return module.check_source  # type: ignore[no-any-return]


def count_lines(data: bytes) -> int:
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def _where(exc: BaseException) -> str:
    """The innermost traceback frame inside awsbp, as ``file:line in function``."""
    frames = traceback.extract_tb(exc.__traceback__)
    inside = [f for f in frames if "awsbp" in Path(f.filename).parts] or frames
    if not inside:
        return ""
    frame = inside[-1]
    parts = Path(frame.filename).parts
    short = "/".join(parts[parts.index("awsbp") :]) if "awsbp" in parts else frame.filename
    return f"{short}:{frame.lineno} in {frame.name}"


def _python_can_parse(data: bytes) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(data)
    except (SyntaxError, ValueError):
        return False
    return True


def run_core(corpus: Corpus, check_source: CheckSource, settings: object = None) -> ProjectResult:
    """Run the core on every file, timing each call and recording every exception."""
    files: list[FileResult] = []
    crashes: list[Crash] = []
    for path in corpus.files:
        rel = corpus.rel(path)
        data = path.read_bytes()
        result = FileResult(rel, count_lines(data))
        files.append(result)
        parsable = _python_can_parse(data)
        start = time.perf_counter()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                found = check_source(data, filename=rel, settings=settings)
        except Exception as exc:  # every exception is a finding of this script
            result.seconds = time.perf_counter() - start
            if not parsable and isinstance(exc, (SyntaxError, ValueError)):
                result.status = "skipped"  # the host cannot parse it either
                continue
            result.status = "crash"
            crashes.append(
                Crash(
                    "core",
                    corpus.name,
                    rel,
                    f"{type(exc).__name__}: {exc}",
                    traceback.format_exc(),
                    _where(exc),
                )
            )
            continue
        result.seconds = time.perf_counter() - start
        if not parsable:
            result.status = "skipped"  # the core returned on code Python cannot parse
            continue
        result.findings = sorted(
            (f.line, f.col, f.code, f.message, f.end_line, f.end_col) for f in found
        )
    return ProjectResult(corpus, files, crashes)


# ---------------------------------------------------------------------------------------------
# The hosts, as subprocesses


_CRASH_TEXT = re.compile(r"Traceback \(most recent call last\)|critical error|awsbp", re.I)
_FLAKE8_LINE = re.compile(
    r"^(?P<path>.+?):(?P<row>\d+):(?P<col>\d+):(?P<code>[A-Z]+\d+):(?P<text>.*)$"
)
_CRASH_REPORT = re.compile(r"'([^']*pylint-crash[^']*\.txt)'")


@dataclass
class Batch:
    """The parsed outcome of one host run over some files."""

    ok: bool
    error: str = ""
    findings: list[tuple[Key, str, int | None, int | None]] = field(default_factory=list)
    default_off: list[str] = field(default_factory=list)
    skipped: set[str] = field(default_factory=set)
    crashes: list[tuple[str, str, str]] = field(default_factory=list)  # path, error, traceback
    notes: list[str] = field(default_factory=list)


def _norm(path: str) -> str:
    return path[2:] if path.startswith("./") else path


def _stderr_verdict(stderr: str, batch: Batch) -> None:
    text = stderr.strip()
    if not text:
        return
    if _CRASH_TEXT.search(text):
        batch.ok = False
        batch.error = text
    else:
        batch.notes.append(text[:2000])


def parse_flake8(proc: subprocess.CompletedProcess[str], default_on: set[str] | None) -> Batch:
    """Parse flake8 output (``--format`` of :data:`_corpus.FLAKE8_FORMAT`)."""
    batch = Batch(ok=proc.returncode in (0, 1))
    unexpected: list[str] = []
    for raw in proc.stdout.splitlines():
        match = _FLAKE8_LINE.match(raw)
        if not match:
            if raw.strip():
                unexpected.append(raw)
            continue
        path, code = _norm(match["path"]), match["code"]
        if code == "E999":
            batch.skipped.add(path)
        elif default_on is not None and code not in default_on:
            batch.default_off.append(code)
        else:
            key = (path, int(match["row"]), int(match["col"]) - 1, code)
            text = match["text"]
            message = text[len(code) + 1 :] if text.startswith(code + " ") else text
            batch.findings.append((key, message, None, None))
    if unexpected:
        batch.ok = False
        batch.error = "unexpected output on stdout:\n" + "\n".join(unexpected[:40])
    if not batch.ok and not batch.error:
        batch.error = f"exit status {proc.returncode}"
    _stderr_verdict(proc.stderr, batch)
    return batch


def _crash_traceback(message: str) -> str:
    match = _CRASH_REPORT.search(message)
    if not match:
        return ""
    try:
        text = Path(match[1]).read_text(errors="replace")
    except OSError:
        return ""
    start = text.find("Traceback")
    return text[start:].split("```")[0].strip() if start >= 0 else text[-3000:]


def parse_pylint(
    proc: subprocess.CompletedProcess[str],
    symbol_to_code: dict[str, str],
    default_on: set[str] | None,
) -> Batch:
    """Parse pylint ``--output-format=json2``; exit bits 2-16 only mean messages were emitted."""
    batch = Batch(ok=not proc.returncode & 32 and proc.returncode < 64)
    try:
        messages = json.loads(proc.stdout)["messages"]
    except (ValueError, KeyError, TypeError):
        batch.ok = False
        batch.error = "stdout is not json2:\n" + proc.stdout[-3000:]
        messages = []
    for msg in messages:
        path, symbol = _norm(str(msg.get("path", ""))), str(msg.get("symbol", ""))
        code = symbol_to_code.get(symbol)
        if code is not None:
            if default_on is not None and code not in default_on:
                batch.default_off.append(code)
                continue
            key = (path, int(msg["line"]), int(msg["column"]), code)
            batch.findings.append(
                (key, str(msg["message"]), msg.get("endLine"), msg.get("endColumn"))
            )
        elif symbol == "syntax-error":
            batch.skipped.add(path)
        elif str(msg.get("messageId", "")).startswith("F"):
            text = f"{msg.get('messageId')} {symbol}: {msg.get('message')}"
            batch.crashes.append((path, text, _crash_traceback(str(msg.get("message")))))
        else:
            batch.notes.append(f"{path}:{msg.get('line')}: {msg.get('messageId')} {symbol}")
    if not batch.ok and not batch.error:
        batch.error = f"exit status {proc.returncode}"
    _stderr_verdict(proc.stderr, batch)
    return batch


Runner = Callable[[Sequence[str]], Batch]


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            cmd, cwd=cwd, capture_output=True, text=True, timeout=HOST_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired as exc:
        message = f"critical error: no result after {exc.timeout:.0f} s (killed)"
        return subprocess.CompletedProcess(cmd, -9, stdout="", stderr=message)


def _merge(host: HostResult, project: str, batch: Batch) -> None:
    for key, message, end_line, end_col in batch.findings:
        host.findings.setdefault(key, []).append((message, end_line, end_col))
    host.default_off.update(batch.default_off)
    host.skipped |= batch.skipped
    host.notes.extend(batch.notes)
    for path, error, tb in batch.crashes:
        host.crashes.append(Crash(host.tool, project, path, error, tb))


def run_host(
    host: HostResult,
    project: str,
    files: Sequence[str],
    suspects: Sequence[str],
    runner: Runner,
    canary: Path | None = None,
) -> None:
    """Run a host over ``files`` in one batch, bisecting a failed batch to the failing files.

    ``suspects`` (files the core crashed on) run one by one, so a plugin exception that
    aborts the whole host run does not hide the results of the other files. On the first
    failure the host also runs on ``canary`` (an empty file): if that fails too, the host
    is broken for every file and one crash is recorded instead of bisecting.
    """
    budget = [MAX_BISECT_RUNS]
    start = time.perf_counter()
    canary_checked = [canary is None]

    def broken_everywhere(batch: Batch) -> bool:
        """Whether the host also fails on an empty file (then bisecting is pointless)."""
        canary_checked[0] = True
        host.runs += 1
        if runner([str(canary)]).ok:
            return False
        error = batch.error.splitlines()[-1] if batch.error else "failed"
        host.crashes.append(
            Crash(
                host.tool, project, "<every file: fails on an empty file too>", error, batch.error
            )
        )
        return True

    def go(chunk: Sequence[str]) -> bool:
        budget[0] -= 1
        host.runs += 1
        batch = runner(chunk)
        if batch.ok:
            _merge(host, project, batch)
            return True
        if not canary_checked[0] and broken_everywhere(batch):
            return False
        if len(chunk) == 1 or budget[0] <= 0:
            label = chunk[0] if len(chunk) == 1 else f"<{len(chunk)} files from {chunk[0]}>"
            host.crashes.append(
                Crash(
                    host.tool,
                    project,
                    label,
                    batch.error.splitlines()[-1] if batch.error else "failed",
                    batch.error,
                )
            )
            return True
        half = len(chunk) // 2
        return go(chunk[:half]) and go(chunk[half:])

    rest = [f for f in files if f not in set(suspects)]
    if rest and not go(rest):
        suspects = []
    for path in list(suspects)[:MAX_SOLO_RUNS]:
        if not go([path]):
            break
    host.seconds = time.perf_counter() - start


def flake8_runner(
    root: Path, jobs: int, default_on: set[str] | None, opt_in: Sequence[str] = ()
) -> Runner:
    def run(files: Sequence[str]) -> Batch:
        # --disable-noqa: the core knows no noqa comments (a file-level flake8 noqa comment
        # would otherwise hide every finding of the file from the parity check).
        # Opt-in rules run only when named by their full code.
        extra = [f"--extend-select={','.join(opt_in)}"] if opt_in else []
        cmd = [
            *_corpus.flake8_command(sys.executable, jobs=jobs), "--disable-noqa", *extra, *files
        ]
        return parse_flake8(_run(cmd, root), default_on)

    return run


def pylint_runner(
    root: Path,
    jobs: int,
    symbol_to_code: dict[str, str],
    default_on: set[str] | None,
    all_rules: bool = True,
) -> Runner:
    rcfile = _corpus.empty_rcfile()

    def run(files: Sequence[str]) -> Batch:
        cmd = [
            *_corpus.pylint_command(sys.executable, rcfile, jobs=jobs),
            "--disable=all",
            "--enable=awsbp",
            *(["--awsbp-enable=AWSBP"] if all_rules else []),
            "--output-format=json2",
            "--score=n",
            *files,
        ]
        return parse_pylint(_run(cmd, root), symbol_to_code, default_on)

    return run


# ---------------------------------------------------------------------------------------------
# Parity


def compare(result: ProjectResult) -> list[Mismatch]:
    """Findings on which core, flake8 and pylint disagree (files any tool skipped are left out).

    Findings only pylint lacks, in a file with a pylint pragma silencing everything, go to
    ``result.suppressed`` instead.
    """
    result.suppressed = []
    tables = {"core": result.core_keys()}
    tables.update({name: host.findings for name, host in result.hosts.items()})
    excluded = {fr.path for fr in result.files if fr.status != "ok"}
    for host in result.hosts.values():
        excluded |= host.skipped | {c.path for c in host.crashes}
    mismatches: list[Mismatch] = []
    keys = sorted(set().union(*tables.values()))
    for key in keys:
        if key[0] in excluded:
            continue
        counts = {name: len(table.get(key, ())) for name, table in tables.items()}
        if len(set(counts.values())) > 1:
            mismatch = Mismatch(result.name, *key, counts=counts)
            if _only_pylint_missing(counts) and silenced(result.corpus.root / key[0]):
                mismatch.detail = "pylint: silenced by a pylint pragma in the file"
                result.suppressed.append(mismatch)
            else:
                mismatches.append(mismatch)
            continue
        core = sorted(tables["core"][key], key=repr)
        for name, table in tables.items():
            other = sorted(table[key], key=repr)
            detail = _detail(core, other, with_ends=name == "pylint")
            if detail:
                mismatches.append(
                    Mismatch(result.name, *key, counts=counts, detail=f"{name}: {detail}")
                )
    return mismatches


_PYLINT_SILENCE = re.compile(rb"#\s*pylint:\s*(?:skip-file|disable-all|disable\s*=\s*all\b)")


def silenced(path: Path) -> bool:
    """Whether a file carries a pylint pragma that silences every message (no CLI overrides)."""
    try:
        return bool(_PYLINT_SILENCE.search(path.read_bytes()))
    except OSError:
        return False


def _only_pylint_missing(counts: dict[str, int]) -> bool:
    others = {n for name, n in counts.items() if name != "pylint"}
    return counts.get("pylint") == 0 and len(others) == 1 and 0 not in others


def _detail(
    core: list[tuple[str, int | None, int | None]],
    other: list[tuple[str, int | None, int | None]],
    with_ends: bool,
) -> str:
    for (c_msg, c_el, c_ec), (o_msg, o_el, o_ec) in zip(core, other, strict=True):
        if c_msg != o_msg:
            return f"message {o_msg!r} != core {c_msg!r}"
        if with_ends and (c_el, c_ec) != (o_el, o_ec):
            return f"end {o_el}:{o_ec} != core {c_el}:{c_ec}"
    return ""


# ---------------------------------------------------------------------------------------------
# Baseline


def read_tsv(path: Path, header: Sequence[str]) -> list[tuple[str, ...]]:
    """Rows of a TSV file with a header; blank lines and ``#`` comments are skipped."""
    if not path.exists():
        return []
    rows: list[tuple[str, ...]] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = tuple(raw.split("\t"))
        if cells[: len(header)] == tuple(header):
            continue
        if len(cells) < len(header) - 1:
            raise SystemExit(f"{path}:{number}: expected {len(header)} tab-separated columns")
        rows.append(cells + ("",) * (len(header) - len(cells)))
    return rows


def baseline_rows(results: Iterable[ProjectResult]) -> list[tuple[str, str, str, str]]:
    rows = [
        (r.name, fr.path, str(f[0]), f[2])
        for r in results
        if r.corpus.pinned
        for fr in r.files
        for f in fr.findings
    ]
    return sorted(rows, key=_row_key)


def _row_key(row: tuple[str, ...]) -> tuple[str, str, int, str]:
    return (row[0], row[1], int(row[2]), row[3])


def _scope(results: Iterable[ProjectResult]) -> set[tuple[str, str]]:
    return {(r.name, fr.path) for r in results if r.corpus.pinned for fr in r.files}


def baseline_diff(
    results: list[ProjectResult], path: Path
) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """(added, removed) findings against the baseline, limited to the files this run checked."""
    scope = _scope(results)
    old = Counter(row[:4] for row in read_tsv(path, BASELINE_HEADER) if (row[0], row[1]) in scope)
    new = Counter(baseline_rows(results))
    added = sorted((new - old).elements(), key=_row_key)
    removed = sorted((old - new).elements(), key=_row_key)
    return added, removed


def write_baseline(results: list[ProjectResult], path: Path) -> int:
    """Replace the rows of the checked files, keep the others; returns the row count."""
    scope = _scope(results)
    kept = [row[:4] for row in read_tsv(path, BASELINE_HEADER) if (row[0], row[1]) not in scope]
    rows = sorted(kept + baseline_rows(results), key=_row_key)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["\t".join(BASELINE_HEADER), *("\t".join(row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(rows)


# ---------------------------------------------------------------------------------------------
# Review and precision


@dataclass
class Precision:
    """Hand-reviewed verdicts of one code."""

    code: str
    reviewed: int = 0
    real: int = 0
    false: int = 0

    @property
    def percent(self) -> float | None:
        return 100.0 * self.real / self.reviewed if self.reviewed else None


def read_reviews(path: Path) -> dict[tuple[str, str, int, str], tuple[str, str]]:
    """``(project, path, line, code) -> (verdict, note)`` from ``ecosystem/review.tsv``."""
    reviews: dict[tuple[str, str, int, str], tuple[str, str]] = {}
    for row in read_tsv(path, REVIEW_HEADER):
        project, rel, line, code, verdict, note = row[:6]
        verdict = verdict.strip().lower()
        if verdict not in {"real", "false"}:
            raise SystemExit(f"{path}: verdict must be real or false, got {verdict!r} in {row}")
        reviews[(project, rel, int(line), code.strip())] = (verdict, note)
    return reviews


def precision(reviews: dict[tuple[str, str, int, str], tuple[str, str]]) -> list[Precision]:
    table: dict[str, Precision] = {}
    for (_, _, _, code), (verdict, _) in reviews.items():
        entry = table.setdefault(code, Precision(code))
        entry.reviewed += 1
        if verdict == "real":
            entry.real += 1
        else:
            entry.false += 1
    return [table[c] for c in sorted(table)]


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}%"


def precision_markdown(
    rows: list[Precision], totals: dict[str, int], summaries: dict[str, str]
) -> list[str]:
    out = [
        "| code | summary | findings in corpus | reviewed | real | false | precision |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for p in rows:
        total = totals.get(p.code)
        out.append(
            f"| {p.code} | {summaries.get(p.code, '')} | {'-' if total is None else total} | "
            f"{p.reviewed} | {p.real} | {p.false} | {_pct(p.percent)} |"
        )
    return out


def print_review(
    results: list[ProjectResult],
    codes: set[str],
    reviews: dict[tuple[str, str, int, str], tuple[str, str]],
    context: int,
    unreviewed_only: bool,
) -> int:
    """Print each finding of ``codes`` with context lines; returns how many were shown."""
    items = [(r, fr, f) for r in results for fr in r.files for f in fr.findings if f[2] in codes]
    shown = 0
    for r, fr, (line, col, code, message, _, _) in items:
        verdict = reviews.get((r.name, fr.path, line, code))
        if unreviewed_only and verdict:
            continue
        shown += 1
        label = (
            f"  [reviewed: {verdict[0]}{' - ' + verdict[1] if verdict[1] else ''}]"
            if verdict
            else ""
        )
        print(f"[{shown}] {r.name} {fr.path}:{line}:{col + 1}: {code} {message}{label}")
        source = (r.corpus.root / fr.path).read_text(encoding="utf-8", errors="replace")
        lines = source.splitlines()
        for number in range(max(1, line - context), min(len(lines), line + context) + 1):
            mark = ">" if number == line else " "
            print(f"  {mark} {number:5d} | {lines[number - 1]}")
        print(f"    tsv: {r.name}\t{fr.path}\t{line}\t{code}\t<real|false>\t<note>\n")
    print(f"{shown} finding(s) of {', '.join(sorted(codes))} shown ({len(items)} in the corpus).")
    return shown


def write_precision_doc(path: Path, review_file: Path, report_json: Path) -> None:
    """Write ``docs/precision.md`` from the review file (and finding totals of the last run)."""
    reviews = read_reviews(review_file)
    totals: dict[str, int] = {}  # only from a full run over every pinned project
    pinned = _corpus.load_projects()
    projects = [f"{p.name} {p.version}" for p in pinned]
    if report_json.exists():
        report = json.loads(report_json.read_text())
        covered = {(p["name"], p["version"]) for p in report.get("projects", []) if p["pinned"]}
        if report.get("sample") is None and covered == {(p.name, p.version) for p in pinned}:
            totals = {code: int(n) for code, n in report.get("codes", {}).items()}
    try:
        summaries = {str(r["code"]): str(r["summary"]) for r in _corpus.rules_table()}
    except (OSError, subprocess.CalledProcessError, ValueError):
        summaries = {}
    lines = [
        "# Precision on real code",
        "",
        "<!-- Generated by `python scripts/ecosystem.py --write-precision-doc` from",
        "     ecosystem/review.tsv; edit the review file, not this page. -->",
        "",
        "Findings of awsbp on pinned releases of boto3-heavy open-source projects were read by a",
        "person, one by one, with `python scripts/ecosystem.py --review --code CODE`, and judged",
        "*real* (the code does what the rule warns about) or *false* (a false positive).",
        "Precision is real / reviewed.",
        "",
        f"Corpus: {', '.join(projects)}.",
        "",
    ]
    rows = precision(reviews)
    if rows:
        lines += precision_markdown(rows, totals, summaries)
    else:
        lines.append("No findings have been reviewed yet.")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Report


def _secs(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _code_totals(results: list[ProjectResult]) -> Counter[str]:
    total: Counter[str] = Counter()
    for r in results:
        total.update(r.code_counts())
    return total


def markdown(
    results: list[ProjectResult],
    meta: dict[str, Any],
    diff: tuple[list[tuple[str, ...]], list[tuple[str, ...]]] | None,
    reviews: dict[tuple[str, str, int, str], tuple[str, str]],
) -> str:
    tools = ["core", *meta["hosts"]]
    out = [
        "# awsbp ecosystem check",
        "",
        f"awsbp {meta['awsbp_version']} · Python {meta['python']} · tools: {', '.join(tools)} · "
        f"rules: {meta['rules']} · sample: {meta['sample'] or 'all files'} · "
        f"{meta['seconds']:.1f} s",
        "",
        "## Projects",
        "",
        "| project | version | files | lines | skipped | core s | core lines/s | "
        + " | ".join(f"{h} s" for h in meta["hosts"])
        + (" | " if meta["hosts"] else "")
        + "findings | crashes | parity |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | "
        + "".join("---: | " for _ in meta["hosts"])
        + "---: | ---: | ---: |",
    ]
    for r in results:
        core_s = sum(fr.seconds for fr in r.files)
        lines = sum(fr.lines for fr in r.files)
        skipped = sum(fr.status == "skipped" for fr in r.files)
        crashes = len(r.crashes) + sum(len(h.crashes) for h in r.hosts.values())
        host_cells = "".join(f"{_secs(r.hosts[h].seconds)} | " for h in meta["hosts"])
        out.append(
            f"| {r.name} | {r.corpus.version} | {len(r.files)} | {lines} | {skipped} | "
            f"{core_s:.2f} | {lines / core_s if core_s else 0:,.0f} | {host_cells}"
            f"{sum(len(fr.findings) for fr in r.files)} | {crashes} | {len(r.mismatches)} |"
        )
    out += _code_table(results, set(meta["default_off_codes"]))
    out += _slowest(results)
    out += _crash_section(results)
    out += _parity_section(results, meta["hosts"])
    out += _notes_section(results)
    if diff is not None:
        out += _diff_section(*diff)
    if reviews:
        totals = _code_totals(results)
        out += ["", "## Precision (ecosystem/review.tsv)", ""]
        out += precision_markdown(precision(reviews), dict(totals), {})
    return "\n".join(out) + "\n"


def _code_table(results: list[ProjectResult], off: set[str]) -> list[str]:
    totals = _code_totals(results)
    out = ["", "## Findings per code", "", "(off) marks rules that are off by default.", ""]
    if not totals:
        return [*out, "No findings."]
    files: Counter[str] = Counter()
    for r in results:
        for fr in r.files:
            files.update({f[2] for f in fr.findings})
    out.append("| code | findings | files | " + " | ".join(r.name for r in results) + " |")
    out.append("| --- | ---: | ---: | " + " | ".join("---:" for _ in results) + " |")
    for code in sorted(totals):
        cells = " | ".join(str(r.code_counts()[code] or "") for r in results)
        label = f"{code} (off)" if code in off else code
        out.append(f"| {label} | {totals[code]} | {files[code]} | {cells} |")
    default_off: Counter[str] = Counter()
    for r in results:
        for host in r.hosts.values():
            default_off.update({f"{c} ({host.tool})": n for c, n in host.default_off.items()})
    if default_off:
        out += [
            "",
            "Default-off codes reported by the hosts only (not compared): "
            + ", ".join(f"{k}: {n}" for k, n in sorted(default_off.items())),
        ]
    return out


def _slowest(results: list[ProjectResult], count: int = 8) -> list[str]:
    ranked = sorted(
        ((fr.seconds, r.name, fr) for r in results for fr in r.files if fr.status == "ok"),
        key=lambda t: -t[0],
    )[:count]
    out = [
        "",
        "## Slowest files (core)",
        "",
        "| file | lines | ms | µs/line |",
        "| --- | ---: | ---: | ---: |",
    ]
    for seconds, name, fr in ranked:
        per_line = 1e6 * seconds / fr.lines if fr.lines else 0
        out.append(f"| {name}/{fr.path} | {fr.lines} | {1000 * seconds:.1f} | {per_line:.1f} |")
    return out


def _crash_section(results: list[ProjectResult]) -> list[str]:
    crashes = [
        c for r in results for c in (*r.crashes, *(x for h in r.hosts.values() for x in h.crashes))
    ]
    out = ["", f"## Crashes: {len(crashes)}"]
    for c in crashes[:MAX_LIST]:
        out += [
            "",
            f"### {c.tool}: {c.project}/{c.path}",
            "",
            f"`{c.error}`" + (f" at `{c.where}`" if c.where else ""),
        ]
        if c.traceback:
            tail = "\n".join(c.traceback.strip().splitlines()[-12:])
            out += ["", "```", tail, "```"]
    if len(crashes) > MAX_LIST:
        out.append(f"\n... and {len(crashes) - MAX_LIST} more (see the JSON report)")
    return out


def _parity_section(results: list[ProjectResult], hosts: Sequence[str]) -> list[str]:
    if not hosts:
        return ["", "## Parity: not checked (run with --hosts)"]
    mismatches = [m for r in results for m in r.mismatches]
    out = ["", f"## Parity mismatches: {len(mismatches)}"]
    suppressed = sum(len(r.suppressed) for r in results)
    if suppressed:
        out += [
            "",
            f"Not counted: {suppressed} finding(s) pylint did not report in files that "
            "carry `# pylint: skip-file` or `disable=all` (flake8 runs with --disable-noqa).",
        ]
    if mismatches:
        out += ["", "```"]
        for m in mismatches[:MAX_LIST]:
            counts = " ".join(f"{k}={v}" for k, v in m.counts.items())
            extra = f"  {m.detail}" if m.detail else ""
            out.append(f"{m.project}/{m.path}:{m.line}:{m.col} {m.code}  {counts}{extra}")
        if len(mismatches) > MAX_LIST:
            out.append(f"... and {len(mismatches) - MAX_LIST} more (see the JSON report)")
        out.append("```")
    return out


def _notes_section(results: list[ProjectResult]) -> list[str]:
    notes = [(r.name, h.tool, n) for r in results for h in r.hosts.values() for n in h.notes]
    if not notes:
        return []
    out = ["", f"## Host notes (not crashes): {len(notes)}", "", "```"]
    out += [f"{tool} {name}: {note.splitlines()[0][:200]}" for name, tool, note in notes[:20]]
    return [*out, "```"]


def _diff_section(added: list[tuple[str, ...]], removed: list[tuple[str, ...]]) -> list[str]:
    out = ["", f"## Baseline diff: +{len(added)} -{len(removed)}"]
    if not added and not removed:
        return [*out, "", "No change against the baseline."]
    for sign, rows in (("+", added), ("-", removed)):
        by_code = Counter(row[3] for row in rows)
        if by_code:
            out += [
                "",
                f"{sign} by code: " + ", ".join(f"{c} {n}" for c, n in sorted(by_code.items())),
            ]
    out += ["", "```diff"]
    listed = [("+", row) for row in added] + [("-", row) for row in removed]
    for sign, row in listed[: MAX_LIST * 2]:
        out.append(f"{sign} {row[0]}/{row[1]}:{row[2]} {row[3]}")
    if len(listed) > MAX_LIST * 2:
        out.append(f"... and {len(listed) - MAX_LIST * 2} more (see the JSON report)")
    return [*out, "```"]


def report_json(
    results: list[ProjectResult],
    meta: dict[str, Any],
    diff: tuple[list[tuple[str, ...]], list[tuple[str, ...]]] | None,
) -> dict[str, Any]:
    projects = []
    for r in results:
        projects.append(
            {
                "name": r.name,
                "version": r.corpus.version,
                "pinned": r.corpus.pinned,
                "root": str(r.corpus.root),
                "files": len(r.files),
                "lines": sum(fr.lines for fr in r.files),
                "skipped": sorted(fr.path for fr in r.files if fr.status == "skipped"),
                "core_seconds": sum(fr.seconds for fr in r.files),
                "codes": dict(sorted(r.code_counts().items())),
                "hosts": {
                    name: {
                        "seconds": h.seconds,
                        "runs": h.runs,
                        "findings": sum(map(len, h.findings.values())),
                        "skipped": sorted(h.skipped),
                        "default_off": dict(h.default_off),
                        "notes": h.notes,
                    }
                    for name, h in r.hosts.items()
                },
                "crashes": [
                    asdict(c)
                    for c in (*r.crashes, *(x for h in r.hosts.values() for x in h.crashes))
                ],
                "mismatches": [asdict(m) for m in r.mismatches],
                "suppressed_by_pylint_pragma": [asdict(m) for m in r.suppressed],
                "per_file": [
                    {
                        "path": fr.path,
                        "lines": fr.lines,
                        "ms": round(1000 * fr.seconds, 3),
                        "status": fr.status,
                        "findings": len(fr.findings),
                    }
                    for fr in r.files
                ],
                "findings": [[fr.path, *f] for fr in r.files for f in fr.findings],
            }
        )
    data: dict[str, Any] = {
        **meta,
        "codes": dict(sorted(_code_totals(results).items())),
        "projects": projects,
    }
    if diff is not None:
        data["baseline"] = {
            "added": [list(r) for r in diff[0]],
            "removed": [list(r) for r in diff[1]],
        }
    return data


# ---------------------------------------------------------------------------------------------
# Main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    what = parser.add_argument_group("what to check")
    what.add_argument(
        "--path",
        type=Path,
        action="append",
        default=[],
        help="check this folder instead of the pinned projects (repeatable)",
    )
    what.add_argument(
        "--project", action="append", default=[], help="only this pinned project (repeatable)"
    )
    what.add_argument("--sample", type=int, metavar="N", help="only N files per project (stable)")
    what.add_argument("--list", action="store_true", help="list the pinned projects and exit")
    how = parser.add_argument_group("how")
    how.add_argument(
        "--hosts", action="store_true", help="also run flake8 and pylint; check parity"
    )
    how.add_argument("--jobs", type=int, default=2, help="--jobs for the hosts (default 2)")
    how.add_argument(
        "--rules",
        choices=["all", "default"],
        default="all",
        help="all: every rule, opt-in ones too (named with --extend-select / awsbp-enable; "
        "the default); default: only default-enabled rules",
    )
    how.add_argument("--core-module", default="awsbp.api", help=argparse.SUPPRESS)
    out = parser.add_argument_group("output")
    out.add_argument("--json", type=Path, default=REPORT_JSON, help="JSON report path")
    out.add_argument(
        "--update-baseline", action="store_true", help="rewrite ecosystem/baseline.tsv"
    )
    out.add_argument("--strict-baseline", action="store_true", help="exit 1 on baseline changes")
    out.add_argument("--baseline-file", type=Path, default=BASELINE_FILE, help=argparse.SUPPRESS)
    rev = parser.add_argument_group("review")
    rev.add_argument("--review", action="store_true", help="print findings with context to judge")
    rev.add_argument(
        "--code", action="append", default=[], help="code(s) to review (with --review)"
    )
    rev.add_argument("--context", type=int, default=2, help="context lines around a finding")
    rev.add_argument(
        "--unreviewed", action="store_true", help="skip findings already in review.tsv"
    )
    rev.add_argument("--review-file", type=Path, default=REVIEW_FILE, help="hand-made verdicts")
    rev.add_argument(
        "--write-precision-doc",
        nargs="?",
        type=Path,
        const=PRECISION_DOC,
        metavar="PATH",
        help="write docs/precision.md from the review file and exit",
    )
    args = parser.parse_args(argv)
    if args.review and not args.code:
        parser.error("--review needs --code AWSBPnnn")
    if args.path and (args.project or args.update_baseline):
        parser.error(
            "--path checks any folder; --project and --update-baseline are for pinned projects"
        )
    return args


def select_corpora(args: argparse.Namespace) -> list[Corpus]:
    if args.path:
        return [_corpus.path_corpus(p, args.sample) for p in args.path]
    projects = _corpus.load_projects()
    if args.project:
        known = {p.name for p in projects}
        unknown = sorted(set(args.project) - known)
        if unknown:
            raise SystemExit(f"unknown project(s) {unknown}; known: {sorted(known)}")
        projects = [p for p in projects if p.name in args.project]
    corpora = []
    for project in projects:
        print(f"... {project.slug}", file=sys.stderr, flush=True)
        corpora.append(_corpus.project_corpus(project, args.sample))
    return corpora


def canary_file() -> Path:
    """An empty Python file: every host must lint it without complaint."""
    path = _corpus.CACHE_DIR / "canary" / "empty_module.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("")
    return path


def run_hosts(result: ProjectResult, args: argparse.Namespace, rules: list[dict[str, Any]]) -> None:
    symbol_to_code = {str(r["symbol"]): str(r["code"]) for r in rules}
    default_on: set[str] | None = None  # --rules all: compare every code
    if args.rules == "default":
        default_on = {str(r["code"]) for r in rules if r.get("default_enabled", True)}
    files = [fr.path for fr in result.files]
    suspects = [c.path for c in result.crashes]
    root = result.corpus.root
    opt_in = [] if args.rules == "default" else [
        str(r["code"]) for r in rules if not r.get("default_enabled", True)
    ]
    for tool, runner in (
        ("flake8", flake8_runner(root, args.jobs, default_on, opt_in)),
        ("pylint", pylint_runner(root, args.jobs, symbol_to_code, default_on, not default_on)),
    ):
        host = HostResult(tool)
        run_host(host, result.name, files, suspects, runner, canary_file())
        result.hosts[tool] = host
    result.mismatches = compare(result)


def _rules(required: bool) -> list[dict[str, Any]]:
    """The rule table; only the hosts need it (symbols), the report uses it if it can."""
    try:
        return _corpus.rules_table()
    except (OSError, ValueError, subprocess.CalledProcessError, _corpus.CorpusError):
        if required:
            raise
        return []


def core_settings(mode: str) -> object:
    """Settings for the in-process core: every rule on (``all``) or the defaults."""
    if mode == "default":
        return None
    from awsbp.options import Settings

    return Settings.from_raw({"awsbp-enable": "AWSBP"})


def _awsbp_version() -> str:
    try:
        from importlib.metadata import version

        return version("awsbp")
    except Exception:  # not installed: still report
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.write_precision_doc:
        write_precision_doc(args.write_precision_doc, args.review_file, args.json)
        print(f"wrote {args.write_precision_doc}")
        return 0
    if args.list:
        for p in _corpus.load_projects():
            cached = (_corpus.CACHE_DIR / p.slug / _corpus.EXTRACTED_MARKER).exists()
            print(f"{p.name:35} {p.version:10} {'cached' if cached else '-':7} {p.about}")
        return 0
    started = time.perf_counter()
    try:
        check_source = load_core(args.core_module)
    except ImportError as exc:
        print(
            f"cannot import {args.core_module}: {exc}\n(run `pip install -e '.[test]'`)",
            file=sys.stderr,
        )
        return 2
    try:
        corpora = select_corpora(args)
    except _corpus.CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    rules = _rules(required=args.hosts)
    settings = core_settings(args.rules)
    reviews = read_reviews(args.review_file)
    results = []
    for corpus in corpora:
        print(f"... core: {corpus.name} ({len(corpus.files)} files)", file=sys.stderr, flush=True)
        result = run_core(corpus, check_source, settings)
        if args.hosts:
            print(f"... hosts: {corpus.name}", file=sys.stderr, flush=True)
            run_hosts(result, args, rules)
        results.append(result)
    if args.review:
        codes = {c.strip().upper() for arg in args.code for c in arg.split(",") if c.strip()}
        print_review(results, codes, reviews, args.context, args.unreviewed)
        rows = [p for p in precision(reviews) if p.code in codes]
        if rows:
            print("\n".join(["", *precision_markdown(rows, dict(_code_totals(results)), {})]))
        return 0
    pinned = not args.path
    diff = baseline_diff(results, args.baseline_file) if pinned else None
    meta = {
        "awsbp_version": _awsbp_version(),
        "rules": args.rules,
        "default_off_codes": sorted(str(r["code"]) for r in rules if not r["default_enabled"]),
        "python": platform.python_version(),
        "hosts": ["flake8", "pylint"] if args.hosts else [],
        "sample": args.sample,
        "seconds": time.perf_counter() - started,
    }
    sys.stdout.write(markdown(results, meta, diff, reviews))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report_json(results, meta, diff), indent=1) + "\n")
    print(f"\nJSON report: {args.json}")
    if args.update_baseline:
        count = write_baseline(results, args.baseline_file)
        print(f"baseline updated: {args.baseline_file} ({count} rows)")
    crashes = sum(len(r.crashes) + sum(len(h.crashes) for h in r.hosts.values()) for r in results)
    mismatches = sum(len(r.mismatches) for r in results)
    changed = bool(diff and (diff[0] or diff[1])) and not args.update_baseline
    failed = crashes or mismatches or (args.strict_baseline and changed)
    print(
        f"files: {sum(len(r.files) for r in results)}, crashes: {crashes}, "
        f"parity mismatches: {mismatches}, exit {1 if failed else 0}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
