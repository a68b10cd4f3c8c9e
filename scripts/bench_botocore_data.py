#!/usr/bin/env python3
"""Measure how long the shipped botocore snapshot takes to load.

Usage::

    python scripts/bench_botocore_data.py [-n RUNS] [--strict]

Every measurement runs in a fresh interpreter (so no cache is warm) and times,
with ``time.perf_counter``, only the step being measured:

* ``import``: ``import awsbp.botocore_data`` (the loader modules), once cold and
  once with the standard modules it needs (dataclasses, json, importlib.resources,
  ...) already imported, as they are in flake8 or pylint;
* ``index``: the first index access (``botocore_version()``), import excluded;
* ``<service>``: the first ``service(name)`` (index already loaded), for s3, ec2,
  dynamodb, lambda, sqs and the service with the largest file.

Prints the median, min and max of ``-n`` runs per row and the target. With
``--strict`` the exit status is 1 when a median misses its target.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA = REPO_ROOT / "awsbp" / "botocore_data"
SERVICES = ("s3", "ec2", "dynamodb", "lambda", "sqs")
INDEX_TARGET_MS = 15.0
SERVICE_TARGET_MS = 3.0
_PYCACHE = tempfile.mkdtemp(prefix="awsbp-bench-pycache-")

_PROBE = """
import sys, time
if sys.argv[2] == "warm":
    import dataclasses, functools, importlib.resources, json, typing, zlib
t0 = time.perf_counter()
import awsbp.botocore_data as data
t1 = time.perf_counter()
data.botocore_version()
t2 = time.perf_counter()
name = sys.argv[1]
if name:
    model = data.service(name)
    assert model is not None, name
t3 = time.perf_counter()
print(f"{(t1 - t0) * 1e3:.4f} {(t2 - t1) * 1e3:.4f} {(t3 - t2) * 1e3:.4f}")
"""


def _probe(service: str, warm: bool = False) -> tuple[float, float, float]:
    """Run one fresh interpreter; return (import, index, service) times in ms.

    ``warm`` pre-imports the standard modules the loader needs and any host
    (flake8, pylint, awsbp's core) has loaded already.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    # Use bytecode caches like an installed package does, but keep them out of the tree.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = _PYCACHE
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, service, "warm" if warm else "cold"],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
    ).stdout.split()
    return float(out[0]), float(out[1]), float(out[2])


def largest_service() -> tuple[str, int]:
    """Return the service whose snapshot file is largest, and its size in bytes."""
    files = sorted((p.stat().st_size, p.name) for p in (DATA / "services").glob("*.json.gz"))
    size, name = files[-1]
    return name.removesuffix(".json.gz"), size


def _row(label: str, samples: list[float], target: float | None) -> tuple[str, bool]:
    median = statistics.median(samples)
    ok = target is None or median <= target
    verdict = "" if target is None else f"<= {target:g} ms  {'ok' if ok else 'MISSED'}"
    line = f"{label:<34} {median:>8.3f} {min(samples):>8.3f} {max(samples):>8.3f}  {verdict}"
    return line, ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=15, help="runs per row (default 15)")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)

    biggest, biggest_size = largest_service()
    services = [*SERVICES, *([biggest] if biggest not in SERVICES else [])]
    sizes = {name: (DATA / "services" / f"{name}.json.gz").stat().st_size for name in services}
    total = (DATA / "index.json.gz").stat().st_size + sum(
        p.stat().st_size for p in (DATA / "services").glob("*.json.gz")
    )

    _probe("")  # compile the bytecode caches once
    _probe("", warm=True)
    imports: list[float] = []
    warm_imports: list[float] = []
    index: list[float] = []
    per_service: dict[str, list[float]] = {name: [] for name in services}
    for _ in range(args.runs):
        for name in services:
            t_import, t_index, t_service = _probe(name)
            imports.append(t_import)
            index.append(t_index)
            per_service[name].append(t_service)
        warm_imports.append(_probe("", warm=True)[0])

    print(
        f"botocore snapshot: {total:,} bytes gzipped in total; largest file {biggest} "
        f"({biggest_size:,} B)"
    )
    print(
        f"{args.runs} runs per service row, {args.runs * len(services)} for import/index "
        "(fresh interpreter each)"
    )
    print(f"{'step':<34} {'median':>8} {'min':>8} {'max':>8}  target (median, ms)")
    rows = [
        _row("import loader (cold)", imports, None),
        _row("import loader (warm)", warm_imports, None),
        _row("index", index, INDEX_TARGET_MS),
    ]
    for name in services:
        largest = ", largest" if name == biggest else ""
        label = f"service {name} ({sizes[name] / 1024:.1f} KiB{largest})"
        rows.append(_row(label, per_service[name], SERVICE_TARGET_MS))
    for line, _ in rows:
        print(line)
    shutil.rmtree(_PYCACHE, ignore_errors=True)
    missed = not all(ok for _, ok in rows)
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
