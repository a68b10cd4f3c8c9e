"""The documentation site: it builds under ``mkdocs --strict``, its navigation is complete,
every option is documented, and the configuration page's examples work in real flake8 and
pylint.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from awsbp import docs_gen, guide_coverage
from awsbp.registry import all_options

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CONFIG_PAGE = DOCS / "configuration.md"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONSTARTUP", None)
    return env


def _nav_files() -> list[str]:
    """The ``.md`` files named in mkdocs.yml's nav (read as text: no YAML dependency)."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = text.split("\nnav:", 1)[1]
    return re.findall(r"^\s+-\s+[^:\n]+:\s+(\S+\.md)\s*$", nav, re.M)


def _fenced(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", text, re.M | re.S)


def test_mkdocs_build_strict(tmp_path: Path) -> None:
    """The site builds with no warning (broken links and anchors fail in strict mode).

    It is built from a copy of docs/ with the generated pages regenerated, so this test
    is about links and structure; freshness has its own tests.
    """
    pytest.importorskip("mkdocs", reason="mkdocs is not installed")
    src = tmp_path / "src"
    shutil.copytree(DOCS, src / "docs", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "mkdocs.yml", src / "mkdocs.yml")
    docs_gen.write_all(src)
    for path, content in guide_coverage.generated_files(src).items():
        path.write_text(content, encoding="utf-8")
    site = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=src, capture_output=True, text=True, env=_env(), timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for page in ("index.html", "rules/index.html", "rules/AWSBP101/index.html",
                 "configuration/index.html", "guide-coverage/index.html"):
        assert (site / page).is_file(), page


def test_nav_names_every_handwritten_page_and_nothing_missing() -> None:
    nav = _nav_files()
    assert nav[0] == "index.md"
    for name in nav:
        assert (DOCS / name).is_file(), f"mkdocs.yml nav names a missing page: {name}"
    top_level = sorted(p.name for p in DOCS.glob("*.md"))
    assert sorted(n for n in nav if "/" not in n) == top_level
    assert "rules/index.md" in nav


def test_generated_site_pages_are_fresh() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "awsbp.guide_coverage", "--check", "--root", str(ROOT)],
        capture_output=True, text=True, env=_env(),
    )
    assert proc.returncode == 0, proc.stdout + "run: python -m awsbp.guide_coverage"


def test_every_option_is_documented() -> None:
    text = CONFIG_PAGE.read_text(encoding="utf-8")
    table = text.split(guide_coverage.OPTIONS_START, 1)[1].split(guide_coverage.OPTIONS_END)[0]
    for spec in all_options():
        assert f"`{spec.name}`" in table, f"{spec.name} missing from docs/configuration.md"


SAMPLE = """\
import boto3


def cleanup(buckets):
    for bucket in buckets:
        boto3.client("s3").delete_bucket(Bucket=bucket)


def lambda_handler(event, context):
    return boto3.client("s3").list_buckets()
"""
LOOP_LINE = 6  # AWSBP101 stays; the handler's AWSBP601 is switched off by AWSBP6
# Other rules may fire on the sample as well (more land over time); only these are compared.
WATCHED = {"AWSBP101", "AWSBP601", "W7301", "W7302"}


@pytest.fixture
def documented_configs() -> tuple[str, str]:
    """The ``[flake8]`` ini block and the pylint TOML block of docs/configuration.md."""
    text = CONFIG_PAGE.read_text(encoding="utf-8")
    ini = [b for b in _fenced(text, "ini") if b.startswith("[flake8]")]
    toml = [b for b in _fenced(text, "toml") if "[tool.pylint.awsbp]" in b]
    assert len(ini) == 1 and len(toml) == 1
    return ini[0], toml[0]


def test_documented_flake8_config_works(
    tmp_path: Path, documented_configs: tuple[str, str]
) -> None:
    ini, _ = documented_configs
    names = {spec.name for spec in all_options()}
    for key in re.findall(r"^(awsbp-[a-z-]+)\s*=", ini, re.M):
        assert key in names, f"documented flake8 option {key} does not exist"
    (tmp_path / ".flake8").write_text(ini, encoding="utf-8")
    (tmp_path / "app.py").write_text(SAMPLE, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "flake8", "--format=%(row)d %(code)s", "app.py"],
        cwd=tmp_path, capture_output=True, text=True, env=_env(), timeout=120,
    )
    assert proc.stderr == ""
    watched = [line for line in proc.stdout.splitlines() if line.split()[1] in WATCHED]
    assert watched == [f"{LOOP_LINE} AWSBP101"], proc.stdout


def test_documented_pylint_config_works(
    tmp_path: Path, documented_configs: tuple[str, str]
) -> None:
    _, toml = documented_configs
    (tmp_path / "pyproject.toml").write_text(toml, encoding="utf-8")
    (tmp_path / "app.py").write_text(SAMPLE, encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable, "-m", "pylint", "--score=n", "--output-format=json2",
            "--disable=all", "--enable=awsbp,unrecognized-option", "app.py",
        ],
        cwd=tmp_path, capture_output=True, text=True, env=_env(), timeout=120,
    )
    assert proc.stderr == ""
    messages = json.loads(proc.stdout)["messages"]
    assert not [m for m in messages if m["symbol"] == "unrecognized-option"], messages
    watched = [(m["line"], m["messageId"]) for m in messages if m["messageId"] in WATCHED]
    assert watched == [(LOOP_LINE, "W7301")], messages
