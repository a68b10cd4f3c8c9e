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
