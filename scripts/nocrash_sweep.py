#!/usr/bin/env python3
"""Sweep every .py of the standard library and site-packages through awsbp.

The core runs in-process twice per file: as written, and with ``import boto3``
appended so the AWS rules (which are gated on an AWS import) run over real-world
code too. Every rule is on, default-off ones included, with evidence lowered to
``low`` so every path of the semantic model runs. Crashes are printed with their
tracebacks; anything awsbp prints or warns counts as a failure too.

``--hosts`` also runs real flake8 and real pylint over the same files, in
batches, and reports crashes attributed to awsbp (flake8's "plugin failed"
message naming the AWS plugin, pylint crash reports whose traceback runs through
awsbp) separately from the hosts' own failures.

Usage::

    python scripts/nocrash_sweep.py                 # core over stdlib + site-packages
    python scripts/nocrash_sweep.py --hosts -j 2    # plus flake8 and pylint
    python scripts/nocrash_sweep.py --host flake8   # plus flake8 only
    python scripts/nocrash_sweep.py --no-site --limit 200 --hosts
    python scripts/nocrash_sweep.py --hosts -j 2 path/to/project another/file.py

Exit status: 1 if awsbp crashed (or printed) on any file, else 0.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import io
import json
import os
import site
import subprocess
import sys
import sysconfig
import tempfile
import time
import traceback
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from awsbp.api import check_tree, decode_source
from awsbp.engine import select_rules
from awsbp.options import Settings
from awsbp.registry import all_rules

GATE = b"\nimport boto3\n"
AWSBP_PACKAGES = ("awsbp", "flake8_awsbp", "pylint_awsbp")


@dataclass
class Report:
    """Counts, crashes and timings of one sweep."""

    found: int = 0
    linted: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    crashes: list[tuple[str, str, str]] = field(default_factory=list)  # path, variant, tb
    noisy: list[tuple[str, str]] = field(default_factory=list)  # path, what was printed
    findings: int = 0
    parse_seconds: float = 0.0
    core_seconds: float = 0.0
    slowest: list[tuple[float, str]] = field(default_factory=list)
    host_problems: list[str] = field(default_factory=list)
    host_foreign: list[str] = field(default_factory=list)
    host_seconds: dict[str, float] = field(default_factory=dict)


def stdlib_files() -> list[Path]:
    root = Path(sysconfig.get_paths()["stdlib"])
    return sorted(p for p in root.rglob("*.py")
                  if not {"site-packages", "dist-packages"} & set(p.parts))


def site_files() -> list[Path]:
    roots = set(site.getsitepackages())
    roots |= {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    user = site.getusersitepackages()
    if user:
        roots.add(user)
    files: set[Path] = set()
    for root in roots:
        if Path(root).is_dir():
            files.update(Path(root).rglob("*.py"))
    return sorted(files)


def _parse(data: bytes) -> tuple[ast.Module | None, str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.parse(data), ""
        except (SyntaxError, ValueError, MemoryError, RecursionError) as exc:
            return None, f"{type(exc).__name__}: {exc}".splitlines()[0]


def sweep_core(paths: Iterable[Path], report: Report, progress: bool) -> None:
    settings = Settings.from_raw({"awsbp-min-evidence": "low"})
    rules = select_rules(settings, include_default_off=True)
    all_rules()
    paths = list(paths)
    started = time.perf_counter()
    for index, path in enumerate(paths, 1):
        report.found += 1
        try:
            raw = path.read_bytes()
        except OSError as exc:
            report.skipped.append((str(path), f"unreadable: {exc}"))
            continue
        file_core = 0.0
        for variant, data in (("as-is", raw), ("with-import-boto3", raw + GATE)):
            t0 = time.perf_counter()
            tree, why = _parse(data)
            report.parse_seconds += time.perf_counter() - t0
            if tree is None:
                if variant == "as-is":
                    report.skipped.append((str(path), why))
                break
            lines = decode_source(data).splitlines(keepends=True)
            out, err = io.StringIO(), io.StringIO()
            t1 = time.perf_counter()
            try:
                with warnings.catch_warnings(record=True) as caught, \
                        contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    warnings.simplefilter("always")
                    report.findings += len(check_tree(tree, lines, str(path), settings, rules))
            except Exception:  # a crash: record it and keep sweeping
                report.crashes.append((str(path), variant, traceback.format_exc()))
            else:
                printed = out.getvalue() + err.getvalue()
                printed += "".join(f"warning: {w.message}\n" for w in caught)
                if printed:
                    report.noisy.append((f"{path} [{variant}]", printed[:500]))
            file_core += time.perf_counter() - t1
        else:
            report.linted += 1
        report.core_seconds += file_core
        report.slowest.append((file_core, str(path)))
        if progress and index % 500 == 0:
            print(f"  ... {index}/{len(paths)} files, {time.perf_counter() - started:.0f}s",
                  file=sys.stderr, flush=True)
    report.slowest = sorted(report.slowest, reverse=True)[:10]


def _batches(items: list[Path], size: int) -> Iterator[list[Path]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _host_env(pylint_home: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONSTARTUP", "PYTHONWARNINGS", "PYLINTRC")}
    env["PYLINTHOME"] = pylint_home
    return env


def _mentions_awsbp(text: str) -> bool:
    return any(f"{os.sep}{name}{os.sep}" in text for name in AWSBP_PACKAGES)


def sweep_hosts(paths: list[Path], report: Report, hosts: tuple[str, ...], batch: int,
                jobs: int, progress: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="awsbp-sweep-") as home:
        env = _host_env(home)
        for host in hosts:
            started = time.perf_counter()
            for number, chunk in enumerate(_batches(paths, batch), 1):
                names = [str(p) for p in chunk]
                if host == "flake8":
                    _flake8_batch(names, env, jobs, report)
                else:
                    _pylint_batch(names, env, jobs, home, report)
                if progress:
                    print(f"  ... {host}: batch {number}, {number * batch} files, "
                          f"{time.perf_counter() - started:.0f}s", file=sys.stderr, flush=True)
            report.host_seconds[host] = time.perf_counter() - started


def _flake8_batch(names: list[str], env: dict[str, str], jobs: int, report: Report) -> None:
    cmd = [sys.executable, "-m", "flake8", "--isolated", "-j", str(jobs),
           "--select", "AWSBP,E9", *names]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    text = proc.stdout + proc.stderr
    if proc.returncode in (0, 1) and not proc.stderr:
        return
    # a plugin failure aborts the whole batch: say whose it was
    if '"awsbp[' in text or _mentions_awsbp(text):
        report.host_problems.append(f"flake8 batch starting {names[0]}:\n{text[-3000:]}")
    else:
        first = next((line for line in text.splitlines() if "failed" in line), text[-300:])
        report.host_foreign.append(f"flake8 batch starting {names[0]}: {first.strip()}")


def _pylint_batch(names: list[str], env: dict[str, str], jobs: int, home: str,
                  report: Report) -> None:
    for crash in Path(home).glob("pylint-crash-*.txt"):
        crash.unlink()
    cmd = [sys.executable, "-m", "pylint", "--rcfile=/dev/null", "--load-plugins=pylint_awsbp",
           "--disable=all", "--enable=awsbp,syntax-error,parse-error,astroid-error,fatal",
           "--output-format=json2", "--persistent=n", "--score=n", "-j", str(jobs), *names]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    try:
        messages = json.loads(proc.stdout)["messages"] if proc.stdout.strip() else None
    except json.JSONDecodeError:
        messages = None
    if messages is None and "Traceback" in proc.stderr and jobs > 1:
        # a worker crash (astroid on some huge module) loses the whole parallel
        # batch; serially pylint reports it as a message and goes on
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        report.host_foreign.append(f"pylint -j {jobs} batch starting {names[0]} died "
                                   f"({last[:200]}); re-ran it with -j 1")
        _pylint_batch(names, env, 1, home, report)
        return
    if messages is None:
        if not proc.stdout.strip() and not proc.stderr:
            return  # nothing to report
        report.host_problems.append(
            f"pylint batch starting {names[0]}: output is not JSON:\n{proc.stdout[-1500:]}\n"
            f"{proc.stderr[-1500:]}")
        return
    crashes = {str(m["path"]) for m in messages if m["symbol"] in ("astroid-error", "fatal")}
    reports = [c.read_text(errors="replace") for c in Path(home).glob("pylint-crash-*.txt")]
    ours = [r for r in reports if _mentions_awsbp(r)]
    for text in ours:
        report.host_problems.append(f"pylint crash report:\n{text[-3000:]}")
    if crashes and len(ours) < len(reports):
        report.host_foreign.append(
            f"pylint: {len(reports) - len(ours)} crash(es) not in awsbp, e.g. "
            f"{sorted(crashes)[:3]}")
    if proc.stderr:
        target = report.host_problems if _mentions_awsbp(proc.stderr) else report.host_foreign
        target.append(f"pylint batch starting {names[0]} wrote to stderr:\n"
                      f"{proc.stderr[-2000:]}")


def print_report(report: Report, verbose: bool, total: float) -> None:
    print(f"awsbp no-crash sweep ({len(all_rules())} rules, Python "
          f"{sys.version.split()[0]})")
    print(f"  files found:      {report.found}")
    print(f"  linted:           {report.linted} (x2: as-is and with 'import boto3')")
    print(f"  skipped:          {len(report.skipped)} (the parser rejects them)")
    print(f"  findings:         {report.findings}")
    print(f"  crashes:          {len(report.crashes)}")
    print(f"  printed/warned:   {len(report.noisy)}")
    print(f"  time: parse {report.parse_seconds:.1f}s, core {report.core_seconds:.1f}s, "
          f"total {total:.1f}s")
    for host, seconds in report.host_seconds.items():
        print(f"  {host}: {seconds:.1f}s")
    if report.host_seconds:
        print(f"  host problems in awsbp: {len(report.host_problems)}")
        print(f"  host problems elsewhere: {len(report.host_foreign)}")
    print("\nslowest files in the core:")
    for seconds, path in report.slowest:
        print(f"  {seconds * 1000:8.1f} ms  {path}")
    shown = report.skipped if verbose else report.skipped[:20]
    if shown:
        print("\nskipped (unparsable):")
        for path, why in shown:
            print(f"  {path}: {why}")
        if len(shown) < len(report.skipped):
            print(f"  ... and {len(report.skipped) - len(shown)} more (--verbose)")
    for path, variant, tb in report.crashes:
        print(f"\nCRASH {path} [{variant}]\n{tb}")
    for where, printed in report.noisy:
        print(f"\nPRINTED {where}\n{printed}")
    for problem in report.host_problems:
        print(f"\nHOST CRASH IN AWSBP {problem}")
    for problem in report.host_foreign:
        print(f"\nhost problem (not awsbp): {problem}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path,
                        help="files or directories to sweep instead of stdlib + site-packages")
    parser.add_argument("--no-stdlib", action="store_true", help="skip the standard library")
    parser.add_argument("--no-site", action="store_true", help="skip site-packages")
    parser.add_argument("--limit", type=int, default=0, help="only the first N files")
    parser.add_argument("--hosts", action="store_true", help="also run flake8 and pylint")
    parser.add_argument("--host", choices=("flake8", "pylint"), action="append",
                        help="also run only this host (repeatable)")
    parser.add_argument("--batch", type=int, default=300, help="files per host process")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="host -j value")
    parser.add_argument("--verbose", action="store_true", help="list every skipped file")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)

    paths: list[Path] = []
    for given in args.paths:
        paths += sorted(given.rglob("*.py")) if given.is_dir() else [given]
    if not args.paths and not args.no_stdlib:
        paths += stdlib_files()
    if not args.paths and not args.no_site:
        seen = set(paths)
        paths += [p for p in site_files() if p not in seen]
    if args.limit:
        paths = paths[:args.limit]

    started = time.perf_counter()
    report = Report()
    sweep_core(paths, report, progress=not args.quiet)
    hosts = ("flake8", "pylint") if args.hosts else tuple(args.host or ())
    if hosts:
        sweep_hosts(paths, report, hosts, args.batch, args.jobs, progress=not args.quiet)
    print_report(report, args.verbose, time.perf_counter() - started)
    return 1 if report.crashes or report.noisy or report.host_problems else 0


if __name__ == "__main__":
    sys.exit(main())
