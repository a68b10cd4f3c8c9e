"""pylint with ``--load-plugins=pylint_awsbp``, as real subprocesses.

Each test runs ``python -m pylint`` in a temporary directory with ``HOME`` and
``PYLINTHOME`` pointed inside it, so no user configuration leaks in and config
files written by the test are the ones pylint finds. Expected findings come from
the core, so new rules do not break these tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from harness import MIXED_SRC

from awsbp.api import check_source
from awsbp.engine import select_rules
from awsbp.options import Settings
from awsbp.registry import all_rules, get_rule

# (path, line, 0-based col, code, message)
Row = tuple[str, int, int, str, str]

AWSBP_SYMBOLS = frozenset(rule.symbol for rule in all_rules())

LOOP_SRC = '''"""A client per iteration."""
import boto3


def per_key(keys):
    """Delete keys one client at a time."""
    for key in keys:
        boto3.client("s3").delete_object(Bucket="b", Key=key)
'''

MIXED_EXPECTED = {(4, "AWSBP302"), (9, "AWSBP101"), (13, "AWSBP601")}

PRAGMA_SRC = '''import boto3


def pragmas(keys):
    for key in keys:
        boto3.client("s3")  # pylint: disable=boto3-client-in-loop
        boto3.client("s3")  # pylint: disable=W7301
        boto3.client("s3")  # pylint: disable=aws-key-literal
        boto3.client("s3")  # pylint: disable=awsbp
        boto3.client("s3")
'''
PRAGMA_REPORTED = {8, 10}

MODULE_PRAGMA_SRC = '''# pylint: disable=aws-key-literal
import boto3

KEY_ID = "AKIA2E0A8F3B244C9986"


def per_key(keys):
    for key in keys:
        boto3.client("s3")
'''

HANDLER_SRC = '''import boto3


def main(payload, runtime):
    return boto3.client("s3")


def lambda_handler(event, context):
    return boto3.client("sqs")
'''


@dataclass
class PylintResult:
    """Parsed json2 messages plus the finished process."""

    messages: list[dict[str, object]]
    proc: subprocess.CompletedProcess[str]

    @property
    def awsbp(self) -> list[dict[str, object]]:
        return [m for m in self.messages if m["symbol"] in AWSBP_SYMBOLS]

    def rows(self) -> list[Row]:
        return sorted(
            (str(m["path"]), int(m["line"]), int(m["column"]),  # type: ignore[call-overload]
             get_rule(str(m["symbol"])).code, str(m["message"]))
            for m in self.awsbp
        )

    def pairs(self) -> set[tuple[int, str]]:
        return {(line, code) for _, line, _, code, _ in self.rows()}

    def symbols(self) -> set[str]:
        return {str(m["symbol"]) for m in self.messages}


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("PYTHONSTARTUP", "PYTHONWARNINGS", "PYLINTRC"):
        env.pop(name, None)
    env["HOME"] = str(home)
    env["PYLINTHOME"] = str(home / ".pylint.d")
    return env


def run_pylint(
    cwd: Path,
    *args: str,
    stdin: str | None = None,
    plugin: bool = True,
    json_output: bool = True,
    env: dict[str, str] | None = None,
) -> PylintResult:
    """Run real pylint in ``cwd`` (json2 output unless told otherwise)."""
    cmd = [sys.executable, "-m", "pylint", "--persistent=n", "--score=n"]
    if plugin:
        cmd.append("--load-plugins=pylint_awsbp")
    if json_output:
        cmd.append("--output-format=json2")
    cmd += list(args)
    proc = subprocess.run(
        cmd, cwd=cwd, input=stdin, capture_output=True, text=True,
        env=env or _env(cwd), timeout=180,
    )
    messages: list[dict[str, object]] = []
    if json_output and proc.stdout.strip():
        messages = json.loads(proc.stdout)["messages"]
    return PylintResult(messages, proc)


def ok(result: PylintResult) -> PylintResult:
    """Assert a normal run: no fatal/usage exit bits and nothing on stderr."""
    assert result.proc.returncode & (1 | 32) == 0, result.proc.stderr + result.proc.stdout
    assert result.proc.stderr == "", result.proc.stderr
    return result


def core_rows(
    source: str, path: str, options: dict[str, str] | None = None, named: tuple[str, ...] = ()
) -> list[Row]:
    """The core's rows; opt-in rules only when ``named`` (as ``--enable=<symbol>`` does)."""
    settings = Settings.from_raw(options or {})
    rules = select_rules(settings, named=named)
    findings = check_source(source, path, settings, rules)
    return sorted((path, f.line, f.col, f.code, f.message) for f in findings)


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


ONLY_AWSBP = ("--disable=all", "--enable=awsbp")
# With every pylint checker on, astroid would infer into the installed boto3 and
# botocore (seconds per run); awsbp never needs them.
ALL_CHECKS = ("--ignored-modules=boto3,botocore",)


# --------------------------------------------------------------------- basics


def test_default_run_has_all_checks_and_awsbp(tmp_path: Path) -> None:
    write(tmp_path, "mixed.py", MIXED_SRC)
    result = ok(run_pylint(tmp_path, *ALL_CHECKS, "mixed.py"))
    assert MIXED_EXPECTED <= result.pairs()
    assert result.rows() == core_rows(MIXED_SRC, "mixed.py")
    # pylint's own checkers ran as well
    assert {"unused-import", "missing-module-docstring"} <= result.symbols()


def test_default_text_output_mentions_symbols(tmp_path: Path) -> None:
    write(tmp_path, "loop.py", LOOP_SRC)
    result = run_pylint(tmp_path, *ONLY_AWSBP, "loop.py", json_output=False)
    assert result.proc.stderr == ""
    assert "loop.py:8:8: W7301: " in result.proc.stdout
    assert "(boto3-client-in-loop)" in result.proc.stdout


def test_disable_all_enable_awsbp_only_reports_awsbp(tmp_path: Path) -> None:
    write(tmp_path, "mixed.py", MIXED_SRC)
    write(tmp_path, "loop.py", LOOP_SRC)
    result = ok(run_pylint(tmp_path, *ONLY_AWSBP, "mixed.py", "loop.py"))
    assert result.messages and result.symbols() <= AWSBP_SYMBOLS
    assert result.rows() == sorted(core_rows(MIXED_SRC, "mixed.py")
                                   + core_rows(LOOP_SRC, "loop.py"))


def test_disable_awsbp_hides_every_awsbp_message(tmp_path: Path) -> None:
    write(tmp_path, "mixed.py", MIXED_SRC)
    result = ok(run_pylint(tmp_path, *ALL_CHECKS, "--disable=awsbp", "mixed.py"))
    assert result.awsbp == []
    assert "unused-import" in result.symbols()


def test_enable_awsbp_disable_one_symbol(tmp_path: Path) -> None:
    write(tmp_path, "mixed.py", MIXED_SRC)
    result = ok(run_pylint(tmp_path, *ONLY_AWSBP, "--disable=boto3-client-in-loop",
                           "mixed.py"))
    assert "AWSBP101" not in {code for _, code in result.pairs()}
    assert {(4, "AWSBP302"), (13, "AWSBP601")} <= result.pairs()


def test_from_stdin_on_a_path_that_does_not_exist(tmp_path: Path) -> None:
    label = "not/there/app.py"
    result = ok(run_pylint(tmp_path, *ONLY_AWSBP, "--from-stdin", label, stdin=MIXED_SRC))
    assert not (tmp_path / label).exists()
    assert MIXED_EXPECTED <= result.pairs()
    assert {m["path"] for m in result.awsbp} == {label}
    assert [r[1:] for r in result.rows()] == [
        r[1:] for r in core_rows(MIXED_SRC, label)]


def test_from_stdin_configured_handler_uses_the_label(tmp_path: Path) -> None:
    result = ok(run_pylint(
        tmp_path, *ONLY_AWSBP, "--awsbp-lambda-handlers=src.app.main",
        "--awsbp-lambda-heuristic=n", "--from-stdin", "src/app.py", stdin=HANDLER_SRC,
    ))
    assert {p for p in result.pairs() if p[1] == "AWSBP601"} == {(5, "AWSBP601")}


# --------------------------------------------------------------------- pragmas


def test_line_pragmas_by_symbol_msgid_and_checker(tmp_path: Path) -> None:
    write(tmp_path, "pragmas.py", PRAGMA_SRC)
    result = ok(run_pylint(tmp_path, *ONLY_AWSBP, "pragmas.py"))
    assert {line for line, code in result.pairs() if code == "AWSBP101"} == PRAGMA_REPORTED


def test_module_level_pragma(tmp_path: Path) -> None:
    write(tmp_path, "module.py", MODULE_PRAGMA_SRC)
    result = ok(run_pylint(tmp_path, *ONLY_AWSBP, "module.py"))
    codes = {code for _, code in result.pairs()}
    assert "AWSBP302" not in codes
    assert (9, "AWSBP101") in result.pairs()


# --------------------------------------------------------------------- parallel, json2


def _many_files(tmp_path: Path) -> list[str]:
    sources = {"loop.py": LOOP_SRC, "mixed.py": MIXED_SRC, "pragmas.py": PRAGMA_SRC,
               "module.py": MODULE_PRAGMA_SRC, "app.py": HANDLER_SRC}
    for rule in all_rules():
        if not rule.docs.example_options:
            sources[f"{rule.code}/{rule.docs.example_filename}"] = rule.docs.example
    for name, source in sources.items():
        write(tmp_path, name, source)
    return sorted(sources)


def test_jobs_2_matches_jobs_1(tmp_path: Path) -> None:
    names = _many_files(tmp_path)
    write(tmp_path, "pyproject.toml", '[tool.pylint.awsbp]\nawsbp-disable = "AWSBP3"\n')
    serial = ok(run_pylint(tmp_path, *ONLY_AWSBP, "-j", "1", *names))
    parallel = ok(run_pylint(tmp_path, *ONLY_AWSBP, "-j", "2", *names))
    assert serial.rows(), "expected findings"
    assert parallel.rows() == serial.rows()
    assert not any(code.startswith("AWSBP3") for _, code in parallel.pairs())


def test_json2_parses_and_has_end_positions(tmp_path: Path) -> None:
    names = _many_files(tmp_path)
    result = ok(run_pylint(tmp_path, *ONLY_AWSBP, *names))
    assert result.awsbp
    for message in result.awsbp:
        line, column = message["line"], message["column"]
        end_line, end_column = message["endLine"], message["endColumn"]
        assert isinstance(end_line, int) and isinstance(end_column, int), message
        assert isinstance(line, int) and isinstance(column, int)
        assert (end_line, end_column) > (line, column), message
        assert message["confidence"] == "HIGH"
        assert str(message["messageId"]) == get_rule(str(message["symbol"])).msgid


# --------------------------------------------------------------------- config files


@pytest.mark.parametrize(
    ("config_name", "config_text"),
    [
        ("pyproject.toml", '[tool.pylint.awsbp]\nawsbp-disable = "AWSBP101"\n'),
        ("pyproject.toml", '[tool.pylint.awsbp]\nawsbp-disable = ["AWSBP101"]\n'),
        ("pylintrc", "[awsbp]\nawsbp-disable = AWSBP101\n"),
        (".pylintrc", "[awsbp]\nawsbp-disable = AWSBP101\n"),
        ("setup.cfg", "[pylint.awsbp]\nawsbp-disable = AWSBP101\n"),
    ],
    ids=["pyproject-str", "pyproject-list", "pylintrc", "dot-pylintrc", "setup-cfg"],
)
def test_awsbp_disable_in_config_file(
    tmp_path: Path, config_name: str, config_text: str
) -> None:
    write(tmp_path, "mixed.py", MIXED_SRC)
    write(tmp_path, config_name, config_text)
    result = ok(run_pylint(tmp_path, *ONLY_AWSBP, "mixed.py"))
    assert "AWSBP101" not in {code for _, code in result.pairs()}
    assert result.rows() == core_rows(MIXED_SRC, "mixed.py", {"awsbp-disable": "AWSBP101"})


@pytest.mark.parametrize(
    ("config_name", "config_text"),
    [
        ("pyproject.toml", textwrap.dedent('''\
            [tool.pylint.awsbp]
            awsbp-lambda-handlers = ["app.main"]
            awsbp-lambda-heuristic = false
        ''')),
        ("pylintrc", "[awsbp]\nawsbp-lambda-handlers = app.main\nawsbp-lambda-heuristic = no\n"),
    ],
    ids=["pyproject", "pylintrc"],
)
def test_lambda_handler_options_in_config_file(
    tmp_path: Path, config_name: str, config_text: str
) -> None:
    write(tmp_path, "app.py", HANDLER_SRC)
    write(tmp_path, config_name, config_text)
    result = ok(run_pylint(tmp_path, *ONLY_AWSBP, "app.py"))
    assert {p for p in result.pairs() if p[1] == "AWSBP601"} == {(5, "AWSBP601")}
    # without the config the heuristic finds lambda_handler instead
    (tmp_path / config_name).unlink()
    default = ok(run_pylint(tmp_path, *ONLY_AWSBP, "app.py"))
    assert {p for p in default.pairs() if p[1] == "AWSBP601"} == {(9, "AWSBP601")}


# --------------------------------------------------------------------- opt-in rules


def _opt_in_examples(tmp_path: Path) -> dict[str, str]:
    """Each default-off rule's docs example in its own directory: ``{path: code}``."""
    files = {}
    for rule in all_rules():
        if not rule.default_enabled and not rule.docs.example_options:
            name = f"{rule.code}/{rule.docs.example_filename}"
            write(tmp_path, name, rule.docs.example)
            files[name] = rule.code
    if not files:
        pytest.skip("no default-off rule with a plain example")
    return files


def _found(result: PylintResult, files: dict[str, str]) -> set[tuple[str, str]]:
    return {(path, code) for path, _, _, code, _ in result.rows() if files.get(path) == code}


def test_opt_in_rules_stay_off_unless_named(tmp_path: Path) -> None:
    files = _opt_in_examples(tmp_path)
    names = sorted(files)
    for args in (ONLY_AWSBP, ALL_CHECKS, ("--enable=all", *ALL_CHECKS)):
        result = ok(run_pylint(tmp_path, *args, *names))
        assert _found(result, files) == set(), args
    symbols = ",".join(get_rule(code).symbol for code in files.values())
    msgids = ",".join(get_rule(code).msgid for code in files.values())
    for enable in (symbols, msgids):
        result = ok(run_pylint(tmp_path, "--disable=all", f"--enable={enable}", *names))
        assert _found(result, files) == set(files.items()), enable


def test_opt_in_symbol_named_next_to_the_checker(tmp_path: Path) -> None:
    """``--enable=awsbp,<opt-in symbol>`` must run that opt-in rule too."""
    files = _opt_in_examples(tmp_path)
    name = sorted(files)[0]
    symbol = get_rule(files[name]).symbol
    for args in ((f"--enable=awsbp,{symbol}",), ("--enable=awsbp", f"--enable={symbol}")):
        result = ok(run_pylint(tmp_path, "--disable=all", *args, name))
        assert _found(result, files) == {(name, files[name])}, args


@pytest.mark.parametrize("where", ["cli", "pyproject", "pylintrc"])
def test_awsbp_enable_switches_opt_in_rules_on(tmp_path: Path, where: str) -> None:
    files = _opt_in_examples(tmp_path)
    codes = ",".join(sorted(set(files.values())))
    args: tuple[str, ...] = ()
    if where == "cli":
        args = (f"--awsbp-enable={codes}",)
    elif where == "pyproject":
        write(tmp_path, "pyproject.toml", f'[tool.pylint.awsbp]\nawsbp-enable = "{codes}"\n')
    else:
        write(tmp_path, "pylintrc", f"[awsbp]\nawsbp-enable = {codes}\n")
    result = ok(run_pylint(tmp_path, *ONLY_AWSBP, *args, *sorted(files)))
    assert _found(result, files) == set(files.items())


# --------------------------------------------------------------------- bad options


def _assert_one_line_error(result: PylintResult, *needles: str) -> None:
    proc = result.proc
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = proc.stderr.strip().splitlines()
    errors = [line for line in lines if "error" in line]
    assert len(errors) == 1, proc.stderr
    assert len(lines) <= 2, proc.stderr  # argparse may print a usage line first
    for needle in needles:
        assert needle in errors[0], errors[0]


def test_bad_cli_option_value_is_one_line(tmp_path: Path) -> None:
    write(tmp_path, "mixed.py", MIXED_SRC)
    result = run_pylint(tmp_path, *ONLY_AWSBP, "--awsbp-disable=NOPE", "mixed.py",
                        json_output=False)
    _assert_one_line_error(result, "awsbp-disable", "'NOPE'")
    assert "pylint: error:" in result.proc.stderr


@pytest.mark.parametrize(
    ("config_name", "config_text", "needles"),
    [
        ("pyproject.toml", '[tool.pylint.awsbp]\nawsbp-min-evidence = "maybe"\n',
         ("awsbp-min-evidence", "maybe")),
        ("pylintrc", "[awsbp]\nawsbp-disable = AWSBP101,W0611\n", ("awsbp-disable", "W0611")),
        ("pylintrc", "[awsbp]\nawsbp-lambda-heuristic = perhaps\n",
         ("awsbp-lambda-heuristic", "perhaps")),
    ],
    ids=["evidence", "codes", "bool"],
)
def test_bad_config_option_value_is_one_line(
    tmp_path: Path, config_name: str, config_text: str, needles: tuple[str, ...]
) -> None:
    write(tmp_path, "mixed.py", MIXED_SRC)
    write(tmp_path, config_name, config_text)
    result = run_pylint(tmp_path, *ONLY_AWSBP, "mixed.py", json_output=False)
    _assert_one_line_error(result, *needles)


def test_bad_option_with_jobs_2_is_one_line(tmp_path: Path) -> None:
    write(tmp_path, "a.py", MIXED_SRC)
    write(tmp_path, "b.py", LOOP_SRC)
    result = run_pylint(tmp_path, *ONLY_AWSBP, "-j", "2", "--awsbp-min-evidence=maybe",
                        "a.py", "b.py", json_output=False)
    _assert_one_line_error(result, "awsbp-min-evidence", "maybe")


# --------------------------------------------------------------------- same process, twice


TWICE_SCRIPT = '''
import json, sys
from pylint.lint import Run
from pylint.reporters import JSON2Reporter
from io import StringIO

base = ["--rcfile=/dev/null", "--load-plugins=pylint_awsbp", "--disable=all",
        "--enable=awsbp", "--persistent=n", "--score=n"]
results = []
for extra in (["--awsbp-disable=AWSBP1", "first.py"],
              ["--awsbp-lambda-heuristic=n", "--awsbp-lambda-handlers=second.main",
               "second.py"],
              ["first.py", "second.py"]):
    out = StringIO()
    Run(base + extra, reporter=JSON2Reporter(out), exit=False)
    results.append(json.loads(out.getvalue())["messages"])
print(json.dumps(results))
'''


def test_two_runs_in_one_process_with_other_options(tmp_path: Path) -> None:
    write(tmp_path, "first.py", MIXED_SRC)
    write(tmp_path, "second.py", HANDLER_SRC)
    write(tmp_path, "twice.py", TWICE_SCRIPT)
    proc = subprocess.run([sys.executable, "twice.py"], cwd=tmp_path, capture_output=True,
                          text=True, env=_env(tmp_path), timeout=180)
    assert proc.stderr == "", proc.stderr
    runs = json.loads(proc.stdout)

    def pairs(messages: list[dict[str, object]]) -> set[tuple[str, int, str]]:
        return {(str(m["path"]), int(m["line"]),  # type: ignore[call-overload]
                 get_rule(str(m["symbol"])).code) for m in messages}

    first = {("first.py", line, code) for _, line, _, code, _ in
             core_rows(MIXED_SRC, "first.py", {"awsbp-disable": "AWSBP1"})}
    assert pairs(runs[0]) == first
    assert not any(code.startswith("AWSBP1") for _, _, code in pairs(runs[0]))
    assert {p for p in pairs(runs[1]) if p[2] == "AWSBP601"} == {("second.py", 5, "AWSBP601")}
    # third run: back to defaults, both files, no option left over from earlier runs
    third = {("first.py", line, code) for _, line, _, code, _ in
             core_rows(MIXED_SRC, "first.py")}
    third |= {("second.py", line, code) for _, line, _, code, _ in
              core_rows(HANDLER_SRC, "second.py")}
    assert pairs(runs[2]) == third
    assert ("second.py", 9, "AWSBP601") in third
    assert ("first.py", 9, "AWSBP101") in third


# --------------------------------------------------------------------- quiet plugin


def test_no_stderr_with_warnings_always(tmp_path: Path) -> None:
    """awsbp re-parses the module with ``ast``: that must add no parser warnings.

    pylint's own parse may warn (with ``PYTHONWARNINGS=always``); the plugin's
    stderr must be exactly what pylint alone prints.
    """
    source = 'import re\nimport boto3\n\nPAT = re.compile("\\d+")\n' + LOOP_SRC.split("\n", 2)[2]
    write(tmp_path, "warns.py", source)
    env = _env(tmp_path)
    env["PYTHONWARNINGS"] = "always"
    without = run_pylint(tmp_path, "--disable=all", "--enable=unused-import", "warns.py",
                         plugin=False, env=env)
    result = run_pylint(tmp_path, "--disable=all", "--enable=unused-import,awsbp", "warns.py",
                        env=env)
    assert result.proc.stderr == without.proc.stderr
    assert result.pairs() == {(line, code) for _, line, _, code, _ in
                              core_rows(source, "warns.py")}
