"""Smoke test of scripts/benchmark.py's in-process parts, on a tiny folder (no hosts)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "benchmark.py"

MODULE = """\
import boto3

s3 = boto3.client("s3")


def keys(bucket):
    resp = s3.list_objects_v2(Bucket=bucket)
    return [o["Key"] for o in resp["Contents"]]
"""


def test_core_and_scaling_rows(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    for index in range(3):
        (tmp_path / "corpus" / f"m{index}.py").write_text(MODULE, encoding="utf-8")
    report = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--path", str(tmp_path / "corpus"), "--skip", "flake8",
         "--skip", "pylint", "--rounds", "1", "--json", str(report)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    rows = {row["name"]: row for row in json.loads(report.read_text())["rows"]}
    assert rows["core time / ast.parse time"]["value"] > 0
    scaling = rows["core 100x file / 1x file"]
    assert scaling["target"] == "<= 110x"
    assert scaling["value"] > 0
    assert rows["... 1x kept warm in the CPU caches"]["value"] > 0
    assert "core 100x file / 1x file" in proc.stdout


def test_pair_ratios_cancel_a_slower_cpu(monkeypatch) -> None:
    """Swapped rounds: one CPU 15% slower skews each round, not the two-round mean."""
    monkeypatch.syspath_prepend(str(REPO / "scripts"))
    import benchmark

    true_ratio, slow = 1.05, 1.15
    with_runs, without_runs = [], []
    for index in range(6):  # the with side is on the slow CPU in even rounds
        with_cpu = 6.0 * true_ratio * (slow if index % 2 == 0 else 1.0)
        without_cpu = 6.0 * (1.0 if index % 2 == 0 else slow)
        with_runs.append(benchmark.Run(0.0, with_cpu, 0, 0))
        without_runs.append(benchmark.Run(0.0, without_cpu, 0, 0))
    ratios = benchmark.pair_ratios(with_runs, without_runs)
    assert len(ratios) == 3
    assert all(abs(r - true_ratio) < 1e-9 for r in ratios)
    # an odd last round counts alone
    odd = benchmark.pair_ratios(with_runs[:3], without_runs[:3])
    assert len(odd) == 2 and max(odd) > 1.2
