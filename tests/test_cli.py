"""``python -m awsbp``: rules, explain, config, check, --version."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from awsbp.registry import all_rules


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsbp", *args], capture_output=True, text=True, cwd=cwd
    )


def test_rules_json_has_required_fields() -> None:
    proc = run("rules", "--format", "json")
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    assert [d["code"] for d in data] == [r.code for r in all_rules()]
    for entry in data:
        assert {"code", "msgid", "symbol", "summary", "guide_section", "default_enabled"} <= set(
            entry
        )


def test_rules_table_and_filters() -> None:
    proc = run("rules")
    assert "AWSBP101" in proc.stdout and "boto3-client-in-loop" in proc.stdout
    sec = run("rules", "--section", "Credential", "--format", "json")
    codes = {d["code"] for d in json.loads(sec.stdout)}
    assert "AWSBP301" in codes and "AWSBP101" not in codes
    on = json.loads(run("rules", "--enabled", "--format", "json").stdout)
    assert all(d["default_enabled"] for d in on)


def test_explain_by_code_symbol_and_msgid() -> None:
    for key in ("AWSBP101", "boto3-client-in-loop", "W7301"):
        proc = run("explain", key)
        assert proc.returncode == 0
        assert proc.stdout.startswith("# AWSBP101: boto3-client-in-loop")
        assert "## Use instead" in proc.stdout
    bad = run("explain", "AWSBP999")
    assert bad.returncode == 2 and "no rule" in bad.stderr


def test_version_names_botocore_data() -> None:
    proc = run("--version")
    assert proc.returncode == 0
    assert "awsbp" in proc.stdout and "botocore data 1.43.11" in proc.stdout


def test_config_prints_both_blocks() -> None:
    proc = run("config")
    assert "[flake8]" in proc.stdout and "[tool.pylint.awsbp]" in proc.stdout
    assert "awsbp-disable" in proc.stdout


def test_check_reports_and_exits_nonzero(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(
        "import boto3\nfor k in ks:\n    boto3.client('s3').head_object(Bucket='b', Key=k)\n"
    )
    (tmp_path / "broken.py").write_text("def (:\n")
    proc = run("check", str(tmp_path))
    assert proc.returncode == 1
    assert "a.py:3:5: AWSBP101" in proc.stdout
    assert "cannot parse" in proc.stderr
    quiet = run("check", "--disable", "AWSBP1", str(tmp_path / "a.py"))
    assert quiet.returncode == 0 and quiet.stdout == ""
