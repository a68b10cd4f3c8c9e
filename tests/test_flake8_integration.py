"""flake8 with the awsbp plugin, as real subprocesses: selection, noqa, config files, -j.

Every test runs ``python -m flake8`` in a temporary directory. Tests that read
config files run without ``--isolated`` so flake8 finds ``setup.cfg``,
``.flake8`` or ``tox.ini`` in the working directory the way a user's run does.
Expected findings come from the core (``awsbp.api.check_source``), so new rules
do not break these tests; assertions about particular lines filter by code.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from harness import MIXED_SRC

from awsbp.api import check_source
from awsbp.engine import select_rules
from awsbp.options import Settings
from awsbp.registry import all_rules, default_off_codes, get_rule

FORMAT = "%(path)s\t%(row)d\t%(col)d\t%(code)s\t%(text)s"

# (path, line, 0-based col, code, message)
Row = tuple[str, int, int, str, str]

LOOP_SRC = '''"""A client per iteration."""
import boto3


def per_key(keys):
    for key in keys:
        boto3.client("s3").delete_object(Bucket="b", Key=key)
'''
LOOP_LINE = 7

MIXED_EXPECTED = {(1, "F401"), (4, "AWSBP302"), (9, "AWSBP101"), (13, "AWSBP601")}

NOQA_SRC = '''import boto3


def noqa_variants(keys):
    for key in keys:
        boto3.client("s3")  # noqa: AWSBP101
        boto3.client("s3")  # noqa: AWSBP1
        boto3.client("s3")  # noqa
        boto3.client("s3")  # noqa: AWSBP302
        boto3.client("s3")  # noqa:E501,AWSBP101
        boto3.client("s3")  # noqa: AWSBP10
        boto3.client("s3")  # noqa: AWSBP6
        boto3.client("s3")
'''
NOQA_REPORTED = {9, 12, 13}


@dataclass
class Flake8Result:
    """Parsed rows plus the finished process."""

    rows: list[Row]
    proc: subprocess.CompletedProcess[str]

    def pairs(self, codes: tuple[str, ...] | None = None) -> set[tuple[int, str]]:
        """``(line, code)`` of every row, optionally only codes with these prefixes."""
        return {
            (line, code)
            for _, line, _, code, _ in self.rows
            if codes is None or code.startswith(codes)
        }

    def codes(self) -> set[str]:
        return {row[3] for row in self.rows}


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONSTARTUP", None)
    env.pop("PYTHONWARNINGS", None)
    return env


def run_flake8(
    cwd: Path, *args: str, stdin: str | None = None, isolated: bool = False
) -> Flake8Result:
    """Run real flake8 in ``cwd`` with machine-readable output."""
    cmd = [sys.executable, "-m", "flake8", "--format", FORMAT]
    if isolated:
        cmd.append("--isolated")
    cmd += list(args)
    proc = subprocess.run(
        cmd, cwd=cwd, input=stdin, capture_output=True, text=True, env=_env(), timeout=120
    )
    rows: list[Row] = []
    for line in proc.stdout.splitlines():
        path, row, col, code, text = line.split("\t", 4)
        rows.append((path, int(row), int(col) - 1, code, text))
    return Flake8Result(rows, proc)


def ok(result: Flake8Result) -> Flake8Result:
    """Assert a normal run: exit 0/1 and nothing at all on stderr."""
    assert result.proc.returncode in (0, 1), result.proc.stderr
    assert result.proc.stderr == "", result.proc.stderr
    return result


def core_rows(
    source: str, path: str, options: dict[str, str] | None = None, named: tuple[str, ...] = ()
) -> list[Row]:
    """What flake8 should print for ``source`` under ``--select AWSBP``.

    Opt-in (default-off) rules run only when ``named`` by full code, as flake8's
    ``--extend-select AWSBP121`` names them.
    """
    settings = Settings.from_raw(options or {})
    rules = select_rules(settings, named=named)
    findings = check_source(source, path, settings, rules)
    return sorted((path, f.line, f.col, f.code, f.message) for f in findings)


def awsbp_rows(result: Flake8Result) -> list[Row]:
    return sorted(r for r in result.rows if r[3].startswith("AWSBP"))


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------- files and stdin


def test_select_awsbp_on_files_matches_core(tmp_path: Path) -> None:
    write(tmp_path, "loop.py", LOOP_SRC)
    write(tmp_path, "pkg/mixed.py", MIXED_SRC)
    result = ok(run_flake8(tmp_path, "--select", "AWSBP", "loop.py", "pkg/mixed.py",
                           isolated=True))
    assert result.proc.returncode == 1
    expected = core_rows(LOOP_SRC, "loop.py") + core_rows(MIXED_SRC, "pkg/mixed.py")
    assert sorted(result.rows) == sorted(expected)
    assert (LOOP_LINE, "AWSBP101") in result.pairs()
    assert {p for p in MIXED_EXPECTED if p[1] != "F401"} <= {
        (line, code) for path, line, _, code, _ in result.rows if path == "pkg/mixed.py"
    }


def test_clean_file_exits_zero(tmp_path: Path) -> None:
    write(tmp_path, "clean.py", '"""Nothing to see."""\nimport boto3\n\nV = boto3.__version__\n')
    result = ok(run_flake8(tmp_path, "--select", "AWSBP", "clean.py", isolated=True))
    assert result.rows == []
    assert result.proc.returncode == 0


def test_stdin_with_display_name_that_does_not_exist(tmp_path: Path) -> None:
    display = "does/not/exist/app.py"
    result = ok(run_flake8(
        tmp_path, "--select", "AWSBP", f"--stdin-display-name={display}", "-",
        stdin=MIXED_SRC, isolated=True,
    ))
    assert not (tmp_path / display).exists()
    assert sorted(result.rows) == core_rows(MIXED_SRC, display)
    assert {(9, "AWSBP101"), (4, "AWSBP302")} <= result.pairs()


def test_stdin_display_name_is_the_label_for_configured_handlers(tmp_path: Path) -> None:
    source = 'import boto3\n\n\ndef main(payload, runtime):\n    return boto3.client("s3")\n'
    args = ("--select", "AWSBP6", "--awsbp-lambda-handlers=src.app.main", "-")
    hit = ok(run_flake8(tmp_path, "--stdin-display-name=src/app.py", *args, stdin=source,
                        isolated=True))
    miss = ok(run_flake8(tmp_path, "--stdin-display-name=src/other.py", *args, stdin=source,
                         isolated=True))
    assert hit.pairs(("AWSBP601",)) == {(5, "AWSBP601")}
    assert {row[0] for row in hit.rows} == {"src/app.py"}
    assert miss.pairs(("AWSBP601",)) == set()


# --------------------------------------------------------------------- selection


def test_select_prefix_awsbp1_only_reports_1xx(tmp_path: Path) -> None:
    write(tmp_path, "mixed.py", MIXED_SRC)
    result = ok(run_flake8(tmp_path, "--select", "AWSBP1", "mixed.py", isolated=True))
    assert result.codes(), "expected AWSBP101"
    assert all(code.startswith("AWSBP1") for code in result.codes())
    assert (9, "AWSBP101") in result.pairs()
    assert sorted(result.rows) == [r for r in core_rows(MIXED_SRC, "mixed.py")
                                   if r[3].startswith("AWSBP1")]


def test_default_run_reports_awsbp_next_to_pyflakes(tmp_path: Path) -> None:
    write(tmp_path, "mixed.py", MIXED_SRC)
    default = ok(run_flake8(tmp_path, "mixed.py", isolated=True))
    extended = ok(run_flake8(tmp_path, "--extend-select", "AWSBP", "mixed.py", isolated=True))
    assert MIXED_EXPECTED <= default.pairs()
    assert MIXED_EXPECTED <= extended.pairs()
    assert awsbp_rows(extended) == core_rows(MIXED_SRC, "mixed.py")
    assert awsbp_rows(default) == core_rows(MIXED_SRC, "mixed.py")


def test_select_e_f_hides_awsbp(tmp_path: Path) -> None:
    write(tmp_path, "mixed.py", MIXED_SRC)
    result = ok(run_flake8(tmp_path, "--select", "E,F", "mixed.py", isolated=True))
    assert (1, "F401") in result.pairs()
    assert not any(code.startswith("AWSBP") for code in result.codes())


def test_cli_extend_ignore_awsbp101(tmp_path: Path) -> None:
    write(tmp_path, "mixed.py", MIXED_SRC)
    result = ok(run_flake8(tmp_path, "--extend-ignore", "AWSBP101", "mixed.py", isolated=True))
    assert "AWSBP101" not in result.codes()
    assert {(1, "F401"), (4, "AWSBP302"), (13, "AWSBP601")} <= result.pairs()


# --------------------------------------------------------------------- noqa


def test_noqa_code_prefix_and_bare(tmp_path: Path) -> None:
    write(tmp_path, "noqa.py", NOQA_SRC)
    result = ok(run_flake8(tmp_path, "--select", "AWSBP", "noqa.py", isolated=True))
    assert {line for line, code in result.pairs(("AWSBP101",))} == NOQA_REPORTED
    # --disable-noqa shows everything, proving each line does produce a finding
    everything = ok(run_flake8(tmp_path, "--select", "AWSBP", "--disable-noqa", "noqa.py",
                               isolated=True))
    assert {line for line, _ in everything.pairs(("AWSBP101",))} == set(range(6, 14))


# --------------------------------------------------------------------- config files


def test_per_file_ignores_in_config_and_on_cli(tmp_path: Path) -> None:
    write(tmp_path, "a.py", MIXED_SRC)
    write(tmp_path, "b.py", MIXED_SRC)
    write(tmp_path, ".flake8", "[flake8]\nper-file-ignores =\n    a.py:AWSBP101\n")
    from_config = ok(run_flake8(tmp_path, "--select", "AWSBP", "a.py", "b.py"))
    by_path = {(path, code) for path, _, _, code, _ in from_config.rows}
    assert ("a.py", "AWSBP101") not in by_path
    assert {("a.py", "AWSBP302"), ("b.py", "AWSBP101"), ("b.py", "AWSBP302")} <= by_path

    on_cli = ok(run_flake8(tmp_path, "--select", "AWSBP", "--per-file-ignores=b.py:AWSBP1",
                           "a.py", "b.py", isolated=True))
    by_path = {(path, code) for path, _, _, code, _ in on_cli.rows}
    assert not any(path == "b.py" and code.startswith("AWSBP1") for path, code in by_path)
    assert {("a.py", "AWSBP101"), ("b.py", "AWSBP302")} <= by_path


@pytest.mark.parametrize("config_name", ["setup.cfg", ".flake8", "tox.ini"])
def test_awsbp_disable_in_config_file(tmp_path: Path, config_name: str) -> None:
    write(tmp_path, "mixed.py", MIXED_SRC)
    write(tmp_path, config_name, "[flake8]\nawsbp-disable = AWSBP101\n")
    result = ok(run_flake8(tmp_path, "--select", "AWSBP", "mixed.py"))
    assert "AWSBP101" not in result.codes()
    assert {(4, "AWSBP302"), (13, "AWSBP601")} <= result.pairs()
    assert sorted(result.rows) == core_rows(MIXED_SRC, "mixed.py", {"awsbp-disable": "AWSBP101"})


def test_awsbp_disable_multiline_prefixes_in_config(tmp_path: Path) -> None:
    write(tmp_path, "mixed.py", MIXED_SRC)
    write(tmp_path, "setup.cfg", "[flake8]\nawsbp-disable =\n    awsbp101,\n    AWSBP3\n")
    result = ok(run_flake8(tmp_path, "--select", "AWSBP", "mixed.py"))
    assert not any(c == "AWSBP101" or c.startswith("AWSBP3") for c in result.codes())
    assert (13, "AWSBP601") in result.pairs()


def test_awsbp_disable_on_cli_and_cli_overrides_config(tmp_path: Path) -> None:
    write(tmp_path, "mixed.py", MIXED_SRC)
    cli = ok(run_flake8(tmp_path, "--select", "AWSBP", "--awsbp-disable=AWSBP3,AWSBP6",
                        "mixed.py", isolated=True))
    assert (9, "AWSBP101") in cli.pairs()
    assert not any(c.startswith(("AWSBP3", "AWSBP6")) for c in cli.codes())

    write(tmp_path, ".flake8", "[flake8]\nawsbp-disable = AWSBP101\n")
    override = ok(run_flake8(tmp_path, "--select", "AWSBP", "--awsbp-disable=AWSBP6",
                             "mixed.py"))
    assert (9, "AWSBP101") in override.pairs()
    assert "AWSBP601" not in override.codes()


def test_config_extend_ignore_with_awsbp_code_still_crashes_flake8(tmp_path: Path) -> None:
    """Pins the flake8 bug that ``awsbp-disable`` exists to avoid.

    If this fails because flake8 exits cleanly, flake8 has fixed config-file
    ``extend-ignore`` for five-letter codes: update the README and architecture notes.
    """
    write(tmp_path, "mixed.py", MIXED_SRC)
    write(tmp_path, "setup.cfg", "[flake8]\nextend-ignore = AWSBP101\n")
    result = run_flake8(tmp_path, "--select", "AWSBP", "mixed.py")
    fixed = "ValueError" not in result.proc.stderr
    assert not fixed, (
        "flake8 has FIXED the config-file extend-ignore crash for AWSBP codes "
        f"(exit {result.proc.returncode}, rows {result.rows}): update the docs"
    )
    assert result.proc.returncode != 0
    assert result.rows == []
    assert "ValueError" in result.proc.stderr
    assert "AWSBP101" in result.proc.stderr


# --------------------------------------------------------------------- default-off codes


def _default_off_examples(tmp_path: Path) -> dict[str, str]:
    """Write each default-off rule's docs example; ``{file name: code}``."""
    files: dict[str, str] = {}
    for rule in all_rules():
        if rule.default_enabled or rule.docs.example_options:
            continue
        name = f"{rule.code}/{rule.docs.example_filename}"
        write(tmp_path, name, rule.docs.example)
        files[name] = rule.code
    return files


def test_opt_in_rules_need_their_full_code(tmp_path: Path) -> None:
    """Default-off rules run only when named: ``--extend-select AWSBP121``.

    flake8 alone would let an explicit ``--select AWSBP`` or a plain ``--ignore=X``
    (which replaces the default ignore list) switch them on; awsbp does not run an
    opt-in rule that was not named, so neither trap applies.
    """
    if not default_off_codes():
        pytest.skip("no default-off rule is registered")
    files = _default_off_examples(tmp_path)
    if not files:
        pytest.skip("every default-off rule's example needs options")
    names = sorted(files)

    def found(result: Flake8Result) -> set[tuple[str, str]]:
        return {(path, code) for path, _, _, code, _ in result.rows if files.get(path) == code}

    for args in ((), ("--select", "AWSBP"), ("--extend-select", "AWSBP"),
                 ("--select", "AWSBP1,AWSBP2,AWSBP3,AWSBP4,AWSBP5,AWSBP6,AWSBP7,AWSBP8"),
                 ("--ignore=E501",), ("--extend-ignore=E501",)):
        result = ok(run_flake8(tmp_path, *args, *names, isolated=True))
        assert found(result) == set(), args
        assert not set(result.codes()) & set(default_off_codes()), args
    codes = ",".join(sorted(set(files.values())))
    for args in (("--extend-select", codes), ("--select", codes)):
        result = ok(run_flake8(tmp_path, *args, *names, isolated=True))
        assert found(result) == set(files.items()), args
    # one opt-in rule named: only that one runs
    first = names[0]
    result = ok(run_flake8(tmp_path, "--extend-select", files[first], *names, isolated=True))
    assert found(result) == {(first, files[first])}


# --------------------------------------------------------------------- parallel


def _parallel_tree(tmp_path: Path) -> list[str]:
    sources = {"src/loop.py": LOOP_SRC, "src/mixed.py": MIXED_SRC, "src/noqa.py": NOQA_SRC}
    for rule in all_rules():
        if not rule.docs.example_options:
            sources[f"src/{rule.code}/{rule.docs.example_filename}"] = rule.docs.example
    for name, source in sources.items():
        write(tmp_path, name, source)
    return sorted(sources)


def test_jobs_2_matches_jobs_1(tmp_path: Path) -> None:
    names = _parallel_tree(tmp_path)
    write(tmp_path, ".flake8", "[flake8]\nawsbp-disable = AWSBP3\n")
    serial = ok(run_flake8(tmp_path, "--select", "AWSBP", "-j", "1", *names))
    parallel = ok(run_flake8(tmp_path, "--select", "AWSBP", "-j", "2", *names))
    assert serial.rows, "expected findings"
    assert sorted(parallel.rows) == sorted(serial.rows)
    # the config-file option reached the worker processes too
    assert not any(code.startswith("AWSBP3") for code in parallel.codes())
    assert "AWSBP101" in parallel.codes()


# --------------------------------------------------------------------- bad options


def _assert_one_line_error(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert proc.returncode not in (0, 1), proc.stdout
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
    errors = [line for line in proc.stderr.splitlines() if "error" in line]
    assert len(errors) == 1, proc.stderr
    assert errors[0].startswith("flake8: error:"), errors[0]
    for needle in needles:
        assert needle in errors[0], errors[0]
    # argparse prints a usage line before the error line, nothing else
    assert len(proc.stderr.strip().splitlines()) <= 2, proc.stderr


def test_bad_cli_option_value_is_one_line(tmp_path: Path) -> None:
    write(tmp_path, "mixed.py", MIXED_SRC)
    result = run_flake8(tmp_path, "--awsbp-disable=NOPE", "mixed.py", isolated=True)
    _assert_one_line_error(result.proc, "awsbp-disable", "'NOPE'")


@pytest.mark.parametrize(
    ("line", "needles"),
    [
        ("awsbp-min-evidence = maybe", ("awsbp-min-evidence", "'maybe'")),
        ("awsbp-lambda-heuristic = perhaps", ("awsbp-lambda-heuristic", "'perhaps'")),
        ("awsbp-disable = AWSBP101,E501", ("awsbp-disable", "'E501'")),
    ],
)
def test_bad_config_option_value_is_one_line(
    tmp_path: Path, line: str, needles: tuple[str, ...]
) -> None:
    write(tmp_path, "mixed.py", MIXED_SRC)
    write(tmp_path, ".flake8", f"[flake8]\n{line}\n")
    result = run_flake8(tmp_path, "mixed.py")
    _assert_one_line_error(result.proc, *needles)


# --------------------------------------------------------------------- quiet plugin


def test_no_stderr_and_messages_are_clean(tmp_path: Path) -> None:
    names = _parallel_tree(tmp_path)
    result = ok(run_flake8(tmp_path, "--select", "AWSBP", *names, isolated=True))
    for _, _, _, code, text in result.rows:
        get_rule(code)  # every printed code is a registered rule
        assert text and "\n" not in text
    # the noqa sample is left out: the core does not apply noqa comments
    checked = [name for name in names if "# noqa" not in (tmp_path / name).read_text()]
    assert sorted(r for r in result.rows if r[0] in checked) == sorted(
        row for name in checked
        for row in core_rows((tmp_path / name).read_text(encoding="utf-8"), name)
    )


def test_messages_are_fully_formatted(tmp_path: Path) -> None:
    """No doubled braces or unfilled ``{field}`` placeholders reach the user."""
    names = _parallel_tree(tmp_path)
    result = ok(run_flake8(tmp_path, "--select", "AWSBP", *names, isolated=True))
    assert result.rows
    bad = [(code, text) for _, _, _, code, text in result.rows
           if "{{" in text or "}}" in text or re.search(r"\{[a-z_]+\}", text)]
    assert bad == []
