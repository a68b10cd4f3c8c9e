"""The registry itself: identities unique and well-formed, docs complete, files fresh."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from awsbp.docs_gen import stale_files
from awsbp.registry import all_options, all_rules, get_rule

ROOT = Path(__file__).resolve().parent.parent
RULES = all_rules()
GUIDE_AREAS = (
    "AWS SDK (boto3) Optimization",
    "Python Code Standards",
    "Security Best Practices",
    "Packaging and Deployment",
    "Monitoring & Observability",
    "Error Handling",
    "Performance Optimization",
    "Lambda-Specific Best Practices",
    "Docker Best Practices",
    "Testing and Validation",
    "Beyond the guide",
)


def test_codes_msgids_symbols_unique() -> None:
    for attr in ("code", "msgid", "symbol"):
        values = [getattr(r, attr) for r in RULES]
        assert len(values) == len(set(values)), attr


def test_msgid_suffixes_unique_and_share_checker_digits() -> None:
    suffixes = [r.msgid[1:] for r in RULES]
    assert len(suffixes) == len(set(suffixes))
    assert {r.msgid[1:3] for r in RULES} == {"73"}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_is_well_formed(rule: object) -> None:
    from awsbp.registry import Rule

    assert isinstance(rule, Rule)
    assert re.fullmatch(r"AWSBP[1-8][0-9]{2}", rule.code)
    assert re.fullmatch(r"[CRWEF]73[0-9]{2}", rule.msgid)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", rule.symbol)
    assert rule.guide_section.startswith(GUIDE_AREAS), rule.guide_section
    assert rule.summary and not rule.summary.endswith(".")
    first_word = rule.message.split()[0]
    assert (rule.message[:1].islower() or first_word.isupper()) and not rule.message.endswith(".")
    docs = rule.docs
    assert docs.what and docs.why and docs.example and docs.use_instead
    option_names = {o.name for o in all_options()}
    assert set(rule.options) <= option_names
    assert get_rule(rule.code) is get_rule(rule.msgid) is get_rule(rule.symbol)


def test_symbols_do_not_collide_with_pylint() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pylint", "--list-msgs"], capture_output=True, text=True
    )
    builtin = set(re.findall(r"^:([a-z0-9-]+) \(", proc.stdout, flags=re.M))
    assert builtin, "could not read pylint's messages"
    ours = {r.symbol for r in RULES}
    assert not ours & builtin


def test_generated_docs_are_fresh() -> None:
    stale = stale_files(ROOT)
    assert not stale, f"run 'python -m awsbp.docs_gen': stale {stale}"


def test_core_imports_neither_linter() -> None:
    code = (
        "import sys, awsbp.api, awsbp.cli, awsbp.docs_gen\n"
        "from awsbp.api import check_source\n"
        "check_source('import boto3\\nboto3.client(\"s3\")\\n')\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('flake8', 'pylint', 'astroid', 'boto3', 'botocore')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
