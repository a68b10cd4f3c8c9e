"""Smoke tests of scripts/ecosystem.py: offline, on two small files in a temporary folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "ecosystem.py"

CLIENTS = """\
import boto3

AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"


def handler(event, context):
    for name in event["buckets"]:
        s3 = boto3.client("s3")
        try:
            s3.head_bucket(Bucket=name)
        except Exception:
            pass
    return boto3.client("ec2").describe_instances()
"""

TABLES = """\
import boto3
from botocore.config import Config

dynamodb = boto3.resource("dynamodb", config=Config(retries={"mode": "standard"}))


def keys(table_name):
    table = dynamodb.Table(table_name)
    return [item["pk"] for item in table.scan()["Items"]]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "clients.py").write_text(CLIENTS, encoding="utf-8")
    (root / "tables.py").write_text(TABLES, encoding="utf-8")
    return root


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, str(SCRIPT), *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)


def _ecosystem():  # the script module, imported from scripts/
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import ecosystem
    finally:
        sys.path.remove(str(REPO / "scripts"))
    return ecosystem


def test_core_report_on_a_folder(project: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    proc = run("--path", project, "--json", report)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "| proj | local | 2 |" in proc.stdout
    assert "Crashes: 0" in proc.stdout
    data = json.loads(report.read_text())
    (entry,) = data["projects"]
    assert [f["path"] for f in entry["per_file"]] == ["pkg/clients.py", "tables.py"]
    assert {f["status"] for f in entry["per_file"]} == {"ok"}
    assert entry["crashes"] == []
    assert "baseline" not in data


def test_hosts_agree_with_the_core(project: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    proc = run("--path", project, "--hosts", "--json", report)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Parity mismatches: 0" in proc.stdout
    (entry,) = json.loads(report.read_text())["projects"]
    core_total = len(entry["findings"])
    for host in ("flake8", "pylint"):
        assert entry["hosts"][host]["findings"] == core_total


def test_unparsable_file_is_skipped_not_a_crash(project: Path, tmp_path: Path) -> None:
    (project / "broken.py").write_text("def f(:\n", encoding="utf-8")
    report = tmp_path / "report.json"
    proc = run("--path", project, "--json", report)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (entry,) = json.loads(report.read_text())["projects"]
    assert entry["skipped"] == ["broken.py"]


def test_review_prints_context_and_precision(project: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    assert run("--path", project, "--json", report).returncode == 0
    findings = json.loads(report.read_text())["projects"][0]["findings"]
    if not findings:
        pytest.skip("no rule fires on the smoke files yet")
    path, line, _col, code = findings[0][:4]
    reviews = tmp_path / "review.tsv"
    reviews.write_text(
        f"project\tpath\tline\tcode\tverdict\tnote\nproj\t{path}\t{line}\t{code}\treal\tsmoke\n",
        encoding="utf-8",
    )
    proc = run("--path", project, "--review", "--code", code, "--review-file", reviews)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{path}:{line}:" in proc.stdout
    assert f"> {line:5d} |" in proc.stdout
    assert "[reviewed: real - smoke]" in proc.stdout
    assert f"| {code} |" in proc.stdout


def test_precision_doc_from_review_file(tmp_path: Path) -> None:
    reviews = tmp_path / "review.tsv"
    reviews.write_text(
        "project\tpath\tline\tcode\tverdict\tnote\n"
        "c7n\tc7n/a.py\t1\tAWSBP101\treal\t\n"
        "c7n\tc7n/a.py\t9\tAWSBP101\tfalse\tlooks like a client, is not\n"
        "zappa\tzappa/b.py\t3\tAWSBP102\treal\t\n",
        encoding="utf-8",
    )
    doc = tmp_path / "precision.md"
    proc = run(
        "--write-precision-doc", doc, "--review-file", reviews, "--json", tmp_path / "none.json"
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = doc.read_text()
    assert "| AWSBP101 |" in text and "| 2 | 1 | 1 | 50% |" in text
    assert "| AWSBP102 |" in text and "| 1 | 1 | 0 | 100% |" in text


def test_baseline_diff_and_update(tmp_path: Path) -> None:
    eco = _ecosystem()
    corpus = eco.Corpus("demo", "1.0", tmp_path, (tmp_path / "a.py",), pinned=True)
    result = eco.ProjectResult(
        corpus,
        [eco.FileResult("a.py", 10, findings=[(3, 0, "AWSBP101", "m", 3, 5)])],
        [],
    )
    baseline = tmp_path / "baseline.tsv"
    baseline.write_text(
        "project\tpath\tline\tcode\ndemo\ta.py\t7\tAWSBP201\nother\tb.py\t1\tAWSBP101\n",
        encoding="utf-8",
    )
    added, removed = eco.baseline_diff([result], baseline)
    assert added == [("demo", "a.py", "3", "AWSBP101")]
    assert removed == [("demo", "a.py", "7", "AWSBP201")]
    assert eco.write_baseline([result], baseline) == 2
    assert baseline.read_text().splitlines() == [
        "project\tpath\tline\tcode",
        "demo\ta.py\t3\tAWSBP101",
        "other\tb.py\t1\tAWSBP101",
    ]


def test_failing_host_batch_is_bisected_to_the_crashing_file() -> None:
    eco = _ecosystem()
    files = [f"m{i}.py" for i in range(10)]
    calls = []

    def runner(chunk):
        calls.append(list(chunk))
        if "m7.py" in chunk:
            return eco.Batch(ok=False, error="Traceback (most recent call last):\nKeyError: 'x'")
        key = (chunk[0], 1, 0, "AWSBP101")
        return eco.Batch(ok=True, findings=[(key, "msg", None, None)])

    host = eco.HostResult("flake8")
    eco.run_host(host, "demo", files, suspects=["m3.py"], runner=runner)
    assert [c.path for c in host.crashes] == ["m7.py"]
    assert host.crashes[0].error == "KeyError: 'x'"
    assert ["m3.py"] in calls  # a file the core crashed on runs alone
    assert all("m3.py" not in c for c in calls if len(c) > 1)
    assert host.runs == len(calls) < len(files) + 1


def test_host_broken_for_every_file_is_one_crash(tmp_path: Path) -> None:
    eco = _ecosystem()

    def runner(chunk):
        return eco.Batch(ok=False, error="Traceback (most recent call last):\nImportError: x")

    host = eco.HostResult("pylint")
    files = [f"m{i}.py" for i in range(50)]
    eco.run_host(host, "demo", files, ["m1.py"], runner, canary=tmp_path / "empty.py")
    assert [c.path for c in host.crashes] == ["<every file: fails on an empty file too>"]
    assert host.runs == 2


def test_pylint_output_parsing() -> None:
    eco = _ecosystem()
    messages = [
        {
            "symbol": "boto3-thing",
            "messageId": "W7301",
            "message": "m",
            "path": "./a.py",
            "line": 3,
            "column": 4,
            "endLine": 3,
            "endColumn": 9,
        },
        {
            "symbol": "syntax-error",
            "messageId": "E0001",
            "message": "bad",
            "path": "b.py",
            "line": 1,
            "column": 0,
            "endLine": None,
            "endColumn": None,
        },
        {
            "symbol": "fatal",
            "messageId": "F0001",
            "message": "Fatal error while checking",
            "path": "c.py",
            "line": 1,
            "column": 0,
            "endLine": None,
            "endColumn": None,
        },
    ]
    proc = subprocess.CompletedProcess([], 1 | 2 | 4, json.dumps({"messages": messages}), "")
    batch = eco.parse_pylint(proc, {"boto3-thing": "AWSBP101"}, {"AWSBP101"})
    assert batch.ok
    assert batch.findings == [(("a.py", 3, 4, "AWSBP101"), "m", 3, 9)]
    assert batch.skipped == {"b.py"}
    assert [c[0] for c in batch.crashes] == ["c.py"]
    usage_error = subprocess.CompletedProcess([], 32, "", "usage: pylint ...")
    assert not eco.parse_pylint(usage_error, {}, None).ok
    traceback_on_stderr = subprocess.CompletedProcess(
        [], 0, json.dumps({"messages": []}), "Traceback (most recent call last):\n  boom"
    )
    assert not eco.parse_pylint(traceback_on_stderr, {}, None).ok


def test_flake8_output_parsing() -> None:
    eco = _ecosystem()
    out = "./a.py:3:5:AWSBP101:AWSBP101 the message\nb.py:1:2:E999:E999 SyntaxError: x\n"
    batch = eco.parse_flake8(subprocess.CompletedProcess([], 1, out, ""), None)
    assert batch.ok
    assert batch.findings == [(("a.py", 3, 4, "AWSBP101"), "the message", None, None)]
    assert batch.skipped == {"b.py"}
    noisy = subprocess.CompletedProcess([], 1, "", "flake8_awsbp: something went wrong")
    assert not eco.parse_flake8(noisy, None).ok
    stray = subprocess.CompletedProcess([], 0, "Traceback (most recent call last):\n", "")
    assert not eco.parse_flake8(stray, None).ok
