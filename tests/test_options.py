"""The same options give the same findings through both hosts; option validation.

Each scenario writes the same values to ``.flake8`` and to ``[tool.pylint.awsbp]``
in ``pyproject.toml`` in one temporary project, runs real flake8 and real pylint
there (no ``--isolated``/``--rcfile``: the hosts find the files themselves) and
compares both with the core given the same raw values.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from awsbp.api import check_source
from awsbp.engine import select_rules
from awsbp.evidence import Evidence
from awsbp.options import CORE_OPTIONS, OptionError, OptionSpec, Settings, normalize
from awsbp.registry import all_options, all_rules, get_rule

# (path, line, 0-based col, code, message)
Row = tuple[str, int, int, str, str]

SOURCES = {
    "app.py": '''import boto3

KEY_ID = "AKIA2E0A8F3B244C9986"


def main(payload, runtime):
    return boto3.client("s3")


def lambda_handler(event, context):
    return boto3.client("sqs")


def per_key(keys):
    for key in keys:
        boto3.client("s3").delete_object(Bucket="b", Key=key)
''',
    "svc/worker.py": '''import boto3


def drain(session, queues):
    for url in queues:
        session.client("sqs").receive_message(QueueUrl=url)


def process(event, context):
    boto3.client("s3", aws_access_key_id="AKIA2E0A8F3B244C9986")
    return boto3.resource("dynamodb")
''',
}



def _sources() -> dict[str, str]:
    """The sources above plus every opt-in rule's docs example (for awsbp-enable)."""
    sources = dict(SOURCES)
    for rule in all_rules():
        if not rule.default_enabled and not rule.docs.example_options:
            sources[f"optin/{rule.code}/{rule.docs.example_filename}"] = rule.docs.example
    return sources


# Each scenario: option name -> (flake8 ini value, pyproject TOML value, core raw value).
Scenario = dict[str, tuple[str, str, str]]
SCENARIOS: dict[str, Scenario] = {
    "defaults": {},
    "disable-code": {"awsbp-disable": ("AWSBP101", '"AWSBP101"', "AWSBP101")},
    "disable-prefixes": {
        "awsbp-disable": ("AWSBP3,AWSBP601", '["AWSBP3", "AWSBP601"]', "AWSBP3,AWSBP601"),
    },
    "handlers-no-heuristic": {
        "awsbp-lambda-handlers": ("app.main", '["app.main"]', "app.main"),
        "awsbp-lambda-heuristic": ("false", "false", "false"),
    },
    "handler-path-form": {
        "awsbp-lambda-handlers": ("svc/worker.drain", '"svc/worker.drain"', "svc/worker.drain"),
    },
    "min-evidence-high": {"awsbp-min-evidence": ("high", '"high"', "high")},
    "min-evidence-low": {"awsbp-min-evidence": ("low", '"low"', "low")},
    "enable-opt-in": {"awsbp-enable": ("AWSBP", '["AWSBP"]', "AWSBP")},
    "enable-and-disable": {
        "awsbp-enable": ("AWSBP1,AWSBP3", '["AWSBP1", "AWSBP3"]', "AWSBP1,AWSBP3"),
        "awsbp-disable": ("AWSBP1", '"AWSBP1"', "AWSBP1"),
    },
}

# what each scenario must show (or must not), so a scenario can't pass vacuously
MUST: dict[str, set[tuple[str, int, str]]] = {
    "defaults": {("app.py", 11, "AWSBP601"), ("app.py", 16, "AWSBP101"),
                 ("svc/worker.py", 6, "AWSBP101")},
    "handlers-no-heuristic": {("app.py", 7, "AWSBP601")},
    "handler-path-form": {("svc/worker.py", 6, "AWSBP601")},
    "min-evidence-low": {("svc/worker.py", 6, "AWSBP101")},
}
MUST_NOT: dict[str, set[tuple[str, int, str]]] = {
    "disable-code": {("app.py", 16, "AWSBP101"), ("svc/worker.py", 6, "AWSBP101")},
    "disable-prefixes": {("app.py", 11, "AWSBP601"), ("svc/worker.py", 10, "AWSBP301")},
    "handlers-no-heuristic": {("app.py", 11, "AWSBP601")},
    "min-evidence-high": {("svc/worker.py", 6, "AWSBP101")},
}


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("PYTHONSTARTUP", "PYTHONWARNINGS", "PYLINTRC"):
        env.pop(name, None)
    env["HOME"] = str(home)
    env["PYLINTHOME"] = str(home / ".pylint.d")
    return env


def _project(tmp_path: Path, scenario: Scenario) -> None:
    for name, text in _sources().items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    flake8 = "[flake8]\n" + "".join(f"{k} = {v[0]}\n" for k, v in scenario.items())
    pyproject = "[tool.pylint.awsbp]\n" + "".join(f"{k} = {v[1]}\n" for k, v in scenario.items())
    (tmp_path / ".flake8").write_text(flake8, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")


def _flake8(tmp_path: Path) -> list[Row]:
    proc = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "AWSBP",
         "--format", "%(path)s\t%(row)d\t%(col)d\t%(code)s\t%(text)s", *sorted(_sources())],
        cwd=tmp_path, capture_output=True, text=True, env=_env(tmp_path), timeout=120,
    )
    assert proc.stderr == "", proc.stderr
    rows = []
    for line in proc.stdout.splitlines():
        path, row, col, code, text = line.split("\t", 4)
        rows.append((path, int(row), int(col) - 1, code, text))
    return sorted(rows)


def _pylint(tmp_path: Path) -> list[Row]:
    proc = subprocess.run(
        [sys.executable, "-m", "pylint", "--load-plugins=pylint_awsbp", "--disable=all",
         "--enable=awsbp", "--output-format=json2", "--persistent=n", "--score=n",
         *sorted(_sources())],
        cwd=tmp_path, capture_output=True, text=True, env=_env(tmp_path), timeout=180,
    )
    assert proc.stderr == "", proc.stderr
    messages = json.loads(proc.stdout)["messages"]
    return sorted(
        (m["path"], m["line"], m["column"], get_rule(m["symbol"]).code, m["message"])
        for m in messages
    )


def _core(scenario: Scenario) -> list[Row]:
    settings = Settings.from_raw({k: v[2] for k, v in scenario.items()})
    rules = select_rules(settings)
    rows: list[Row] = []
    for name, text in _sources().items():
        rows += [(name, f.line, f.col, f.code, f.message)
                 for f in check_source(text, name, settings, rules)]
    return sorted(rows)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_same_options_same_findings_in_both_hosts(tmp_path: Path, name: str) -> None:
    scenario = SCENARIOS[name]
    _project(tmp_path, scenario)
    flake8_rows = _flake8(tmp_path)
    pylint_rows = _pylint(tmp_path)
    assert flake8_rows == _core(scenario)
    assert pylint_rows == flake8_rows
    got = {(path, line, code) for path, line, _, code, _ in pylint_rows}
    assert MUST.get(name, set()) <= got
    assert not (MUST_NOT.get(name, set()) & got)


def test_scenarios_cover_every_core_option() -> None:
    used = {option for scenario in SCENARIOS.values() for option in scenario}
    assert {spec.name for spec in CORE_OPTIONS} <= used


def test_awsbp_enable_scenario_has_an_effect() -> None:
    """The opt-in scenario is only a test if some opt-in rule fires on the sources."""
    if all(rule.default_enabled for rule in all_rules()):
        pytest.skip("no opt-in rule registered")
    enabled = set(_core(SCENARIOS["enable-opt-in"]))
    default = set(_core(SCENARIOS["defaults"]))
    assert enabled > default
    assert all(not get_rule(row[3]).default_enabled for row in enabled - default)


# --------------------------------------------------------------------- from_raw validation


@pytest.mark.parametrize(
    ("raw", "needles"),
    [
        ({"awsbp-disable": "NOPE"}, ("awsbp-disable", "'NOPE'")),
        ({"awsbp-disable": "AWSBP101,E501"}, ("awsbp-disable", "'E501'")),
        ({"awsbp-disable": "AWSBP1011"}, ("awsbp-disable", "'AWSBP1011'")),
        ({"awsbp_disable": ["AWSBP101", "W0611"]}, ("awsbp-disable", "'W0611'")),
        ({"awsbp-enable": "AWS"}, ("awsbp-enable", "'AWS'")),
        ({"awsbp-lambda-heuristic": "perhaps"}, ("awsbp-lambda-heuristic", "'perhaps'")),
        ({"awsbp-lambda-heuristic": 2}, ("awsbp-lambda-heuristic", "2")),
        ({"awsbp-min-evidence": "maybe"}, ("awsbp-min-evidence", "'maybe'")),
        ({"awsbp-min-evidence": "HIGHEST"}, ("awsbp-min-evidence", "HIGHEST")),
    ],
)
def test_from_raw_rejects_bad_values_with_one_line(
    raw: dict[str, object], needles: tuple[str, ...]
) -> None:
    with pytest.raises(OptionError) as info:
        Settings.from_raw(raw)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(needles[0] + ":"), message
    for needle in needles:
        assert needle in message


INT_SPEC = OptionSpec(name="awsbp-test-int", kind="int", default=3, help="test")


@pytest.mark.parametrize("value", ["three", "1.5", "", True, "0x10"])
def test_int_options_reject_non_integers(value: object) -> None:
    with pytest.raises(OptionError) as info:
        Settings.from_raw({"awsbp-test-int": value}, specs=[INT_SPEC])
    assert "\n" not in str(info.value)
    assert str(info.value).startswith("awsbp-test-int: expected a whole number")


@pytest.mark.parametrize(("value", "expected"), [("7", 7), (" 12 ", 12), (5, 5), ("-1", -1)])
def test_int_options_accept_integers(value: object, expected: int) -> None:
    settings = Settings.from_raw({"awsbp_test_int": value}, specs=[INT_SPEC])
    assert settings.get_int("awsbp-test-int") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("Yes", True), ("y", True), ("1", True), ("on", True), (True, True),
     ("false", False), ("NO", False), ("n", False), ("0", False), ("off", False),
     (False, False)],
)
def test_bool_values(value: object, expected: bool) -> None:
    settings = Settings.from_raw({"awsbp-lambda-heuristic": value})
    assert settings.get_bool("awsbp-lambda-heuristic") is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("AWSBP101", ("AWSBP101",)), ("awsbp101, AWSBP3", ("AWSBP101", "AWSBP3")),
     ("\nAWSBP1,\n  AWSBP601\n", ("AWSBP1", "AWSBP601")), (["AWSBP1", "AWSBP2,AWSBP3"],
      ("AWSBP1", "AWSBP2", "AWSBP3")), ("", ()), ((), ()), ("AWSBP", ("AWSBP",))],
)
def test_code_lists_are_split_and_upper_cased(value: object, expected: tuple[str, ...]) -> None:
    assert Settings.from_raw({"awsbp-disable": value}).get_list("awsbp-disable") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("low", "low"), ("MEDIUM", "medium"), (" High ", "high"), ("", "")],
)
def test_evidence_values(value: str, expected: str) -> None:
    settings = Settings.from_raw({"awsbp-min-evidence": value})
    assert settings.get_str("awsbp-min-evidence") == expected
    if expected:
        assert Evidence.parse(expected).name.lower() == expected


def test_none_and_missing_values_mean_the_default() -> None:
    settings = Settings.from_raw({spec.name: None for spec in all_options()})
    assert settings == Settings.default()
    for spec in all_options():
        assert settings.values[spec.name] == spec.default


def test_every_option_default_is_valid_and_round_trips() -> None:
    for spec in all_options():
        assert normalize(spec, spec.default) == spec.default or spec.kind == "evidence"
        if spec.kind != "evidence" or spec.default_text():
            assert normalize(spec, spec.default_text()) == spec.default, spec.name
