"""The shipped pre-commit hooks, run by real pre-commit on a sample repository.

The working tree (not the last commit) is what is tested: the package, ``pyproject.toml``,
``README.md`` and ``.pre-commit-hooks.yaml`` are copied into a scratch git repository and
committed there, and ``pre-commit try-repo`` points at that. pre-commit builds each hook's
virtualenv with pip (PyPI only, nothing from GitHub) under a ``PRE_COMMIT_HOME`` in the test's
tmp directory. The test skips, saying why, only when pip cannot reach a package index.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pre_commit", reason="pre-commit is not installed")

ROOT = Path(__file__).resolve().parent.parent
HOOK_TIMEOUT = 600  # seconds: building a hook env is a pip install

BAD = """\
import boto3


def cleanup(buckets):
    for bucket in buckets:
        boto3.client("s3").delete_bucket(Bucket=bucket)
"""
GOOD = """\
import boto3

S3 = boto3.client("s3")


def cleanup(buckets):
    for bucket in buckets:
        S3.delete_bucket(Bucket=bucket)
"""
# pip's words when it cannot reach an index (the one reason to skip rather than fail).
OFFLINE_SIGNS = (
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "NewConnectionError",
    "ConnectTimeoutError",
    "ProxyError",
)


def _git_env(home: Path) -> dict[str, str]:
    """A clean git environment: no inherited GIT_* state, fixed identity, no user config."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.pop("PYTHONSTARTUP", None)
    env.update(
        GIT_AUTHOR_NAME="awsbp tests",
        GIT_AUTHOR_EMAIL="tests@awsbp.invalid",
        GIT_COMMITTER_NAME="awsbp tests",
        GIT_COMMITTER_EMAIL="tests@awsbp.invalid",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        PRE_COMMIT_HOME=str(home),
        PRE_COMMIT_COLOR="never",
    )
    return env


def _git(cwd: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=cwd, env=env, check=True, capture_output=True, timeout=60,
    )


def _commit_all(repo: Path, env: dict[str, str]) -> None:
    _git(repo, env, "init", "-q")
    _git(repo, env, "add", "-A")
    _git(repo, env, "commit", "-q", "-m", "snapshot")


def _hook_repo(dest: Path, env: dict[str, str]) -> Path:
    """A git repository holding the working tree's installable files and hooks manifest."""
    dest.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for entry in sorted(ROOT.iterdir()):
        is_package = entry.is_dir() and (entry / "__init__.py").is_file()
        if is_package and entry.name != "tests":
            shutil.copytree(entry, dest / entry.name, ignore=ignore)
        elif entry.name in {"pyproject.toml", "README.md", ".pre-commit-hooks.yaml"} or (
            entry.name.startswith("LICENSE")
        ):
            shutil.copy2(entry, dest / entry.name)
    _commit_all(dest, env)
    return dest


@pytest.fixture
def repos(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """``(hook repository, sample project, environment)``."""
    env = _git_env(tmp_path / "pre-commit-home")
    hooks = _hook_repo(tmp_path / "awsbp-src", env)
    sample = tmp_path / "sample"
    (sample / "jobs").mkdir(parents=True)
    (sample / "jobs" / "cleanup.py").write_text(BAD, encoding="utf-8")
    (sample / "jobs" / "good.py").write_text(GOOD, encoding="utf-8")
    # Not Python: `types: [python]` keeps it away from the linters.
    (sample / "notes.txt").write_text(BAD, encoding="utf-8")
    _commit_all(sample, env)
    return hooks, sample, env


def _try_repo(hooks: Path, sample: Path, env: dict[str, str], hook_id: str) -> str:
    args = [sys.executable, "-m", "pre_commit", "try-repo", str(hooks), hook_id, "--all-files"]
    proc = subprocess.run(
        args, cwd=sample, env=env, capture_output=True, text=True, timeout=HOOK_TIMEOUT
    )
    output = proc.stdout + proc.stderr
    log = Path(env["PRE_COMMIT_HOME"]) / "pre-commit.log"
    if log.exists():
        output += log.read_text(encoding="utf-8", errors="replace")
    if "An unexpected error has occurred" in output and any(s in output for s in OFFLINE_SIGNS):
        pytest.skip(f"pre-commit could not build the hook env (no package index?):\n{output}")
    assert proc.returncode == 1, output  # findings make the hook (and pre-commit) fail
    return output


def _lines(output: str, *needles: str) -> list[str]:
    return [line for line in output.splitlines() if all(n in line for n in needles)]


def test_flake8_hook_reports_findings_and_fails(
    repos: tuple[Path, Path, dict[str, str]],
) -> None:
    hooks, sample, env = repos
    output = _try_repo(hooks, sample, env, "awsbp-flake8")
    assert "awsbp (flake8)" in output and "Failed" in output
    assert "jobs/cleanup.py:6:9: AWSBP101 boto3 client created inside a loop" in output
    # other (opt-in) awsbp rules may report on both files; the loop rule only on one
    assert not _lines(output, "good.py", "AWSBP101") and "notes.txt" not in output


def test_pylint_hook_reports_findings_and_fails(
    repos: tuple[Path, Path, dict[str, str]],
) -> None:
    hooks, sample, env = repos
    output = _try_repo(hooks, sample, env, "awsbp-pylint")
    assert "awsbp (pylint)" in output and "Failed" in output
    assert "jobs/cleanup.py:6:8: W7301: boto3 client created inside a loop" in output
    assert "(boto3-client-in-loop)" in output
    assert not _lines(output, "good.py", "W7301") and "notes.txt" not in output
