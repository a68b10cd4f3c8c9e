"""awsbp must not crash, hang or print on any input Python accepts (or rejects).

* every ``.py`` of the running Python's standard library through the core,
  in-process, with ``import boto3`` appended so the AWS rules run too;
* a deterministic sample of ~150 of them through real flake8 and real pylint,
  one process each;
* the deepest nesting the parser accepts, for many constructs;
* a 20,000-line module (and linear time from 2,000 to 20,000 lines);
* odd files: syntax errors, NUL bytes, BOM, latin-1, CRLF, CR, tabs, a
  10,000-line string, newer syntax where this Python parses it;
* hypothesmith-generated programs.

Exceptions, warnings and output from awsbp all count as failures.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import sysconfig
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from awsbp.api import check_source, check_tree, decode_source
from awsbp.engine import select_rules
from awsbp.findings import Finding
from awsbp.options import Settings
from awsbp.registry import all_rules, get_rule

# Every rule, evidence lowered so every code path of the semantic model runs.
SETTINGS = Settings.from_raw({"awsbp-min-evidence": "low"})
RULES = select_rules(SETTINGS, include_default_off=True)
DEFAULT = Settings.default()
AWSBP_SYMBOLS = frozenset(rule.symbol for rule in all_rules())
GATE = b"\nimport boto3\n"

Row = tuple[str, int, int, str, str]


def _stdlib_files() -> list[Path]:
    root = Path(sysconfig.get_paths()["stdlib"])
    return sorted(
        p for p in root.rglob("*.py")
        if not {"site-packages", "dist-packages"} & set(p.parts)
    )


STDLIB = _stdlib_files()
CHUNKS = 8


def _parse(data: bytes) -> ast.Module | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.parse(data)
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            return None


def lint_tree(tree: ast.Module, data: bytes, name: str,
              settings: Settings = SETTINGS) -> list[Finding]:
    """The core over a parsed tree, as flake8 calls it; any warning is a failure."""
    lines = decode_source(data).splitlines(keepends=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        findings = check_tree(tree, lines, name, settings, RULES)
    assert [str(w.message) for w in caught] == [], name
    return findings


def _env() -> dict[str, str]:
    env = dict(os.environ)
    for key in ("PYTHONSTARTUP", "PYTHONWARNINGS", "PYLINTRC"):
        env.pop(key, None)
    return env


def _awsbp_frames(text: str) -> list[str]:
    return [line for line in text.splitlines()
            if re.search(r"[/\\](awsbp|flake8_awsbp|pylint_awsbp)[/\\]", line)]


# --------------------------------------------------------------------- stdlib, core


def test_stdlib_is_found() -> None:
    assert len(STDLIB) > 500


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_stdlib_through_core(chunk: int, capfd: pytest.CaptureFixture[str]) -> None:
    failures: list[str] = []
    linted = 0
    for path in STDLIB[chunk::CHUNKS]:
        data = path.read_bytes() + GATE
        tree = _parse(data)
        if tree is None:
            continue  # the parser rejects it (bad-syntax test data): nothing to lint
        try:
            lint_tree(tree, data, str(path))
        except Exception as exc:  # collect every crash, report them all
            failures.append(f"{path}: {type(exc).__name__}: {exc}")
        linted += 1
    assert failures == []
    assert linted > 50
    out, err = capfd.readouterr()
    assert out == "" and err == ""


# --------------------------------------------------------------------- stdlib, hosts


def _host_sample(tmp_path: Path, count: int = 150) -> list[str]:
    """Copy ~``count`` stdlib files (every k-th by path) with ``import boto3`` appended."""
    candidates = [p for p in STDLIB if p.stat().st_size < 16_000]
    step = max(1, len(candidates) // count)
    names = []
    root = Path(sysconfig.get_paths()["stdlib"])
    for path in candidates[::step][:count]:
        name = "s_" + "_".join(path.relative_to(root).with_suffix("").parts) + ".py"
        (tmp_path / name).write_bytes(path.read_bytes() + GATE)
        names.append(name)
    return names


def _core_rows(tmp_path: Path, names: list[str],
               settings: Settings = DEFAULT) -> dict[str, list[Row]]:
    """What both hosts report with the default rule set (opt-in rules need naming)."""
    rules = select_rules(settings)
    rows: dict[str, list[Row]] = {}
    for name in names:
        data = (tmp_path / name).read_bytes()
        tree = _parse(data)
        if tree is None:
            continue
        lines = decode_source(data).splitlines(keepends=True)
        rows[name] = sorted((name, f.line, f.col, f.code, f.message)
                            for f in check_tree(tree, lines, name, settings, rules))
    return rows


def run_flake8(tmp_path: Path, names: list[str], runner: list[str] | None = None,
               ) -> tuple[dict[str, list[Row]], subprocess.CompletedProcess[str]]:
    cmd = (runner or [sys.executable, "-m", "flake8"]) + [
        "--isolated", "-j", "1", "--select", "AWSBP,E9",
        "--format", "%(path)s\t%(row)d\t%(col)d\t%(code)s\t%(text)s", *names,
    ]
    proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, env=_env(),
                          timeout=300)
    rows: dict[str, list[Row]] = {}
    for line in proc.stdout.splitlines():
        path, row, col, code, text = line.split("\t", 4)
        rows.setdefault(path, []).append((path, int(row), int(col) - 1, code, text))
    return {k: sorted(v) for k, v in rows.items()}, proc


def run_pylint(tmp_path: Path, names: list[str], runner: list[str] | None = None,
               ) -> tuple[list[dict[str, object]], subprocess.CompletedProcess[str]]:
    cmd = (runner or [sys.executable, "-m", "pylint"]) + [
        "--rcfile=/dev/null", "--load-plugins=pylint_awsbp", "--disable=all",
        "--enable=awsbp,syntax-error,parse-error,astroid-error,fatal",
        "--output-format=json2", "--persistent=n", "--score=n", *names,
    ]
    env = _env()
    env["PYLINTHOME"] = str(tmp_path / ".pylint.d")
    proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, env=env,
                          timeout=300)
    messages = json.loads(proc.stdout)["messages"] if proc.stdout.strip() else []
    return messages, proc


def _pylint_rows(messages: list[dict[str, object]]) -> dict[str, list[Row]]:
    rows: dict[str, list[Row]] = {}
    for m in messages:
        if m["symbol"] in AWSBP_SYMBOLS:
            path = str(m["path"])
            rows.setdefault(path, []).append((
                path, int(m["line"]), int(m["column"]),  # type: ignore[call-overload]
                get_rule(str(m["symbol"])).code, str(m["message"]),
            ))
    return {k: sorted(v) for k, v in rows.items()}


def _assert_flake8_clean(proc: subprocess.CompletedProcess[str]) -> None:
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    assert proc.stderr == "", proc.stderr[-3000:]
    assert "Traceback" not in proc.stdout
    assert "failed during execution" not in proc.stdout + proc.stderr


def _assert_pylint_clean(messages: list[dict[str, object]],
                         proc: subprocess.CompletedProcess[str]) -> None:
    assert proc.stderr == "", proc.stderr[-3000:]
    assert proc.returncode & 32 == 0, proc.stdout[-3000:]
    crashes = [m for m in messages if m["symbol"] in ("astroid-error", "fatal")]
    assert crashes == []


def test_stdlib_sample_through_flake8(tmp_path: Path) -> None:
    names = _host_sample(tmp_path)
    rows, proc = run_flake8(tmp_path, names)
    _assert_flake8_clean(proc)
    core = _core_rows(tmp_path, names)
    assert core, "expected parseable files"
    for name, expected in core.items():
        got = [r for r in rows.get(name, []) if r[3].startswith("AWSBP")]
        assert got == expected, name
    for name in set(names) - set(core):
        assert all(r[3].startswith("E9") for r in rows.get(name, [])), name


def test_stdlib_sample_through_pylint(tmp_path: Path) -> None:
    names = _host_sample(tmp_path)
    messages, proc = run_pylint(tmp_path, names)
    _assert_pylint_clean(messages, proc)
    rows = _pylint_rows(messages)
    core = _core_rows(tmp_path, names)
    for name, expected in core.items():
        assert rows.get(name, []) == expected, name
    others = {str(m["symbol"]) for m in messages} - AWSBP_SYMBOLS
    assert others <= {"syntax-error", "parse-error"}


# --------------------------------------------------------------------- deep nesting


def _loop(expr: str) -> str:
    return f"import boto3\n\nfor key in keys:\n    value = {expr}\n"


DEEP: dict[str, Callable[[int], str]] = {
    "attribute-chain": lambda n: _loop('boto3.client("s3")' + ".attr" * n),
    "call-chain": lambda n: _loop('boto3.client("s3")' + "()" * n),
    "subscript-chain": lambda n: _loop('boto3.client("s3")' + "[0]" * n),
    "nested-calls": lambda n: _loop("f(" * n + 'boto3.client("s3")' + ")" * n),
    "binop-chain": lambda n: _loop('boto3.client("s3")' + " + 1" * n),
    "power-chain": lambda n: _loop(" ** ".join(["2"] * n) + ' ** boto3.client("s3")'),
    "unary-chain": lambda n: _loop("-" * n + 'boto3.client("s3")'),
    "not-chain": lambda n: _loop("not " * n + 'boto3.client("s3")'),
    "lambda-chain": lambda n: _loop("lambda: " * n + 'boto3.client("s3")'),
    "ifexp-chain": lambda n: _loop('boto3.client("s3") if a else ' * n + "None"),
    "string-concat": lambda n: _loop(" ".join(['"AKIA2E0A8F3B244C9986"'] * n)),
    "compare-chain": lambda n: _loop(" < ".join(["a"] * n) + ' < boto3.client("s3")'),
    "boolop-chain": lambda n: _loop(" and ".join(["a"] * n) + ' or boto3.client("s3")'),
    "nested-lists": lambda n: _loop("[" * n + 'boto3.client("s3")' + "]" * n),
    "nested-dicts": lambda n: _loop('{"SecretAccessKey": ' * n
                                    + '"b8Jq3/Xk2LrT9vWz5NcQ7YhE1uFpA4sD6gKmR0tV"' + "}" * n),
    "nested-parens": lambda n: _loop("(" * n + 'boto3.client("s3")' + ")" * n),
    "nested-comprehensions": lambda n: _loop(
        "[" * n + 'boto3.client("s3")' + "".join(f" for x{i} in y]" for i in range(n))),
    "elif-chain": lambda n: "import boto3\n\nfor key in keys:\n    if a:\n        pass\n"
    + "    elif a:\n        boto3.client('s3')\n" * n,
    "nested-ifs": lambda n: "import boto3\n" + "".join(" " * i + "if a:\n" for i in range(n))
    + " " * n + "for k in keys:\n" + " " * (n + 1) + "boto3.client('s3')\n",
    "nested-fors": lambda n: "import boto3\n"
    + "".join(" " * i + f"for a{i} in b:\n" for i in range(n)) + " " * n + "boto3.client('s3')\n",
    "nested-defs": lambda n: "import boto3\n"
    + "".join(" " * i + f"def f{i}(event, context):\n" for i in range(n))
    + " " * n + "boto3.client('s3')\n",
    "nested-classes": lambda n: "import boto3\n"
    + "".join(" " * i + f"class C{i}:\n" for i in range(n)) + " " * n + "c = boto3.client('s3')\n",
    "nested-withs": lambda n: "import boto3\n"
    + "".join(" " * i + "with a as b:\n" for i in range(n))
    + " " * n + "for k in keys:\n" + " " * (n + 1) + "boto3.client('s3')\n",
    "nested-try": lambda n: "import boto3\n"
    + "".join(" " * i + "try:\n" for i in range(n)) + " " * n + "boto3.client('s3')\n"
    + "".join(" " * i + "except Exception:\n" + " " * (i + 1) + "pass\n"
              for i in reversed(range(n))),
    "union-annotation": lambda n: "import boto3\n\n\ndef f(client: " + " | ".join(["int"] * n)
    + " | S3Client):\n    for key in keys:\n        client.delete_object(Bucket='b', Key=key)\n",
    "string-union-annotation": lambda n: "import boto3\n\n\ndef f(client: '"
    + " | ".join(["int"] * n) + " | S3Client'):\n    return client\n",
    "alias-chain": lambda n: "import boto3\n\nc0 = boto3.client('s3')\n"
    + "".join(f"c{i + 1} = c{i}\n" for i in range(n))
    + f"for key in keys:\n    c{n}.delete_object(Bucket='b', Key=key)\n",
    "call-graph-chain": lambda n: "import boto3\n\n\ndef lambda_handler(event, context):\n"
    "    return f0()\n\n\n" + "".join(f"def f{i}():\n    return f{i + 1}()\n\n\n"
                                      for i in range(n))
    + f"def f{n}():\n    return boto3.client('s3')\n",
    "return-chain": lambda n: "import boto3\n\n\ndef f0():\n    return boto3.client('s3')\n\n\n"
    + "".join(f"def f{i + 1}():\n    return f{i}()\n\n\n" for i in range(n))
    + f"for key in keys:\n    f{n}().delete_object(Bucket='b', Key=key)\n",
}
# Constructs whose depth is flat in the AST but long in the model's eyes: 5,000 is the cap.
DEPTH_CAP = 5000


def _parses(source: str) -> bool:
    return _parse(source.encode()) is not None


def deepest(builder: Callable[[int], str], cap: int = DEPTH_CAP) -> int:
    """The largest ``n <= cap`` for which ``builder(n)`` parses (binary search)."""
    if _parses(builder(cap)):
        return cap
    low, high = 0, cap
    while low < high - 1:
        middle = (low + high) // 2
        if _parses(builder(middle)):
            low = middle
        else:
            high = middle
    return low


@pytest.mark.parametrize("name", sorted(DEEP))
def test_deepest_nesting_through_core(name: str, capfd: pytest.CaptureFixture[str]) -> None:
    builder = DEEP[name]
    depth = deepest(builder)
    # the parser's own limits: 100 indentation levels, 200 nested brackets
    assert depth >= (90 if name.startswith("nested-") else 1000), depth
    source = builder(depth).encode()
    tree = _parse(source)
    assert tree is not None
    started = time.process_time()
    lint_tree(tree, source, "deep.py")
    lint_tree(tree, source, "deep.py", DEFAULT)
    assert time.process_time() - started < 10
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_deep_nesting_finds_what_shallow_code_finds() -> None:
    """Depth changes nothing about the answer: the loop client is still reported."""
    for name in ("attribute-chain", "nested-calls", "nested-fors", "elif-chain", "nested-ifs",
                 "nested-lists", "ifexp-chain"):
        builder = DEEP[name]
        depth = min(deepest(builder), 1000)
        data = builder(depth).encode()
        tree = _parse(data)
        assert tree is not None
        codes = {f.code for f in lint_tree(tree, data, "deep.py", DEFAULT)}
        assert "AWSBP101" in codes, (name, depth)


# Runs a host with a raised recursion limit in a thread with a big stack: pyflakes and
# astroid are recursive and give up long before the parser's nesting limit; awsbp is
# what is under test here, so the hosts get the room they need.
DEEP_HOST = '''
import sys, threading
sys.setrecursionlimit(200_000)
threading.stack_size(512 * 1024 * 1024)
result = {}
def run():
    if sys.argv[1] == "flake8":
        from flake8.main.cli import main
        result["rc"] = main(sys.argv[2:])
    else:
        from pylint.lint import Run
        result["rc"] = Run(sys.argv[2:], exit=False).linter.msg_status
thread = threading.Thread(target=run)
thread.start()
thread.join()
sys.exit(result.get("rc", 99))
'''


def test_deep_nesting_through_both_hosts(tmp_path: Path) -> None:
    names = []
    for name, builder in sorted(DEEP.items()):
        depth = min(deepest(builder), 1000)
        (tmp_path / f"deep_{name.replace('-', '_')}.py").write_text(builder(depth))
        names.append(f"deep_{name.replace('-', '_')}.py")
    (tmp_path / "deep_host.py").write_text(DEEP_HOST)
    wrapper = [sys.executable, "deep_host.py"]
    core: dict[str, list[Row]] = {}
    for name in names:
        try:
            core.update(_core_rows(tmp_path, [name]))
        except RecursionError:
            pass  # reported by test_deepest_nesting_through_core
    flake8_rows, proc = run_flake8(tmp_path, names, [*wrapper, "flake8"])
    _assert_flake8_clean(proc)
    for name, expected in core.items():
        assert flake8_rows.get(name, []) == expected, name
    messages, pproc = run_pylint(tmp_path, names, [*wrapper, "pylint"])
    _assert_pylint_clean(messages, pproc)
    pylint_rows = _pylint_rows(messages)
    for name, expected in core.items():
        assert pylint_rows.get(name, []) == expected, name


# --------------------------------------------------------------------- a long module


def long_module(lines: int) -> str:
    """``lines`` lines of functions full of boto3 calls, chained from a Lambda handler."""
    out = ['"""Generated."""', "import boto3", "from botocore.config import Config", "",
           "CONFIG = Config(retries={'mode': 'standard'})", "", ""]
    index = 0
    while len(out) < lines - 8:
        out += [f"def f{index}(keys, bucket):",
                f"    '''Function {index}.'''",
                "    for key in keys:",
                "        client = boto3.client('s3', config=CONFIG)",
                "        client.put_object(Bucket=bucket, Key=key, Body=b'x')",
                f"    f{index + 1}(keys, bucket)",
                "    return boto3.Session().client('sqs', config=CONFIG)",
                "", ""]
        index += 1
    out += [f"def f{index}(keys, bucket):", "    return keys, bucket", "", "",
            "def lambda_handler(event, context):", "    return f0(event['keys'], 'b')"]
    return "\n".join(out) + "\n"


def _time_core(source: str, repeat: int) -> tuple[float, int]:
    data = source.encode()
    tree = _parse(data)
    assert tree is not None
    best = float("inf")
    count = 0
    for _ in range(repeat):
        started = time.process_time()
        count = len(lint_tree(tree, data, "long.py", DEFAULT))
        best = min(best, time.process_time() - started)
    return best, count


def test_long_module_is_linear_in_the_core() -> None:
    small_time, small_count = _time_core(long_module(2_000), repeat=3)
    big_time, big_count = _time_core(long_module(20_000), repeat=1)
    assert small_count > 100
    assert 8 * small_count <= big_count <= 12 * small_count
    assert big_time <= 15 * small_time + 0.05, (small_time, big_time)
    assert big_time < 30


# --------------------------------------------------------------------- odd files


def _odd_files() -> dict[str, bytes]:
    loop = 'import boto3\n\nfor key in keys:\n    boto3.client("s3")\n'
    files: dict[str, bytes] = {
        "syntax_error.py": b'import boto3\nfor key in keys:\n    boto3.client("s3")\ndef f(:\n',
        "indent_error.py": b'import boto3\nfor key in keys:\nboto3.client("s3")\n',
        "tab_error.py": b'import boto3\nif a:\n\tx = 1\n        boto3.client("s3")\n',
        "nul_byte.py": b'import boto3\nx = 1\x00\n' + loop.encode(),
        "nul_in_string.py": b'import boto3\nx = "a\x00b"\n' + loop.encode(),
        "bom.py": b"\xef\xbb\xbf" + loop.encode(),
        "bom_with_cookie.py": b"\xef\xbb\xbf# -*- coding: utf-8 -*-\n" + loop.encode(),
        "latin1.py": ('# -*- coding: latin-1 -*-\nimport boto3\nS = "caf\xe9"\n'
                      'for key in keys:\n    s = "\xe9\xe9"; boto3.client("s3")\n'
                      ).encode("latin-1"),
        "bad_utf8.py": b'import boto3\nx = "\xff\xfe"\n' + loop.encode(),
        "crlf.py": loop.replace("\n", "\r\n").encode(),
        "cr_only.py": loop.replace("\n", "\r").encode(),
        "mixed_newlines.py": b'import boto3\r\n\nfor key in keys:\r    boto3.client("s3")\n',
        "tabs.py": loop.replace("    ", "\t").encode(),
        "form_feed.py": b'import boto3\n\x0c\nfor key in keys:\n    \x0cboto3.client("s3")\n',
        "no_final_newline.py": loop.rstrip("\n").encode(),
        "empty.py": b"",
        "only_comments.py": b"# just a comment\n# AKIA2E0A8F3B244C9986\n",
        "continuation_at_eof.py": b"import boto3\nx = 1 + \\\n    2\n",
        "long_string.py": ('import boto3\nS = """\n' + "line AKIA2E0A8F3B244C9986\n" * 10_000
                           + '"""\n' + loop).encode(),
        "long_line.py": ("import boto3\nX = [" + "1, " * 40_000 + "]\n" + loop).encode(),
        "unicode_names.py": ('import boto3 as bötø\n\nfor ключ in keys:\n'
                             '    ünï = bötø.client("s3"); ß = "ü"; bötø.client("s3")\n').encode(),
        "surrogates.py": b'import boto3\nS = "\\ud800\\udfff"\nB = b"\\xff"\n' + loop.encode(),
        "future_and_weird.py": b'''from __future__ import annotations
import boto3
global g
del_me = 1
del del_me


def outer(*, event=None, **context):
    x = 1

    def inner():
        nonlocal x
        x = boto3.client
        return x("s3")
    return inner


class K(metaclass=type, extra=boto3.client("s3")):
    client = boto3.client("s3")
    [boto3.client("s3") for _ in range(3)]
    f = lambda self, c=boto3.client("s3"): c


async def agen(keys):
    return [boto3.client("s3") async for key in keys if (n := boto3.client("s3"))]


@(lambda f: f)(boto3.client("s3"))
def decorated(a, /, b, *args, c, **kw) -> "S3Client":
    print(*args, **kw)
    a, *rest = b
    return rest
''',
        "match_statement.py": b'''import boto3


def route(event, context):
    match event:
        case {"service": str(name)} if boto3.client(name):
            return boto3.client("s3")
        case [first, *rest]:
            return first, rest
        case Point(x=0) | None:
            return None
        case _:
            for key in event:
                boto3.client("s3")
''',
        "except_star.py": b'''import boto3


def group(keys):
    for key in keys:
        try:
            boto3.client("s3").get_object(Bucket="b", Key=key)
        except* ValueError as errors:
            boto3.client("s3")
        except* (TypeError, KeyError):
            pass
''',
        "py312_type_params.py": b'''import boto3

type ClientMap[K] = dict[K, object]


def first[T](items: list[T]) -> T:
    for item in items:
        boto3.client("s3")
    return items[0]


class Box[T: (int, str), *Ts, **P]:
    value: T
''',
        "py312_fstrings.py": b'import boto3\nfor key in keys:\n'
                             b'    x = f"{f"{f"{boto3.client("s3")}"}"}"\n',
        "py313_type_defaults.py": b"import boto3\n\ndef f[T = int](x: T) -> T:\n    return x\n",
        "py314_except_no_parens.py": b'import boto3\ntry:\n    boto3.client("s3")\n'
                                     b'except ValueError, TypeError:\n    pass\n',
        "py314_tstrings.py": b'import boto3\nfor key in keys:\n    t = t"{boto3.client("s3")}"\n',
    }
    return files


def test_odd_files_through_core(capfd: pytest.CaptureFixture[str]) -> None:
    parsed = 0
    for name, data in sorted(_odd_files().items()):
        tree = _parse(data)
        if tree is None:
            # check_source lets the parser's error through for the host to report
            with pytest.raises((SyntaxError, ValueError)):
                check_source(data, name, SETTINGS, RULES)
            continue
        parsed += 1
        lint_tree(tree, data, name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the parser's own warnings, not awsbp's
            from_source = check_source(data, name, SETTINGS, RULES)
        assert from_source == lint_tree(tree, data, name), name
    assert parsed >= 15
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_odd_files_findings_survive_encodings_and_newlines() -> None:
    files = _odd_files()
    for name in ("bom.py", "bom_with_cookie.py", "latin1.py", "crlf.py", "cr_only.py",
                 "tabs.py", "form_feed.py", "no_final_newline.py", "long_string.py",
                 "unicode_names.py", "nul_in_string.py"):
        data = files[name]
        tree = _parse(data)
        if tree is None:
            continue  # e.g. NUL bytes: only some Python versions parse them
        codes = [f.code for f in lint_tree(tree, data, name, DEFAULT)]
        assert "AWSBP101" in codes, name


def _write_odd(tmp_path: Path) -> list[str]:
    names = []
    for name, data in sorted(_odd_files().items()):
        (tmp_path / name).write_bytes(data)
        names.append(name)
    (tmp_path / "long_module.py").write_text(long_module(20_000))
    names.append("long_module.py")
    return names


def test_odd_files_through_flake8(tmp_path: Path) -> None:
    names = _write_odd(tmp_path)
    rows, proc = run_flake8(tmp_path, names)
    _assert_flake8_clean(proc)
    core = _core_rows(tmp_path, names)
    for name in names:
        got = rows.get(name, [])
        if name in core:
            assert [r for r in got if r[3].startswith("AWSBP")] == core[name], name
        elif not any(r[3].startswith("E9") for r in got):
            # flake8 decodes undecodable bytes as latin-1 and lints what it gets
            assert name == "bad_utf8.py", (name, got)
        else:
            assert not any(r[3].startswith("AWSBP") for r in got), name
    assert any(r[3] == "E999" for r in rows.get("syntax_error.py", []))
    assert len(core["long_module.py"]) > 10_000


def test_odd_files_through_pylint(tmp_path: Path) -> None:
    names = _write_odd(tmp_path)
    messages, proc = run_pylint(tmp_path, names)
    _assert_pylint_clean(messages, proc)
    rows = _pylint_rows(messages)
    core = _core_rows(tmp_path, names)
    rejected = {str(m["path"]) for m in messages
                if m["symbol"] in ("syntax-error", "parse-error")}
    for name in names:
        if name in core and name not in rejected:
            assert rows.get(name, []) == core[name], name
        else:
            # astroid may reject what ast accepts (CR-only newlines on 3.12+): then
            # pylint reports its syntax error and awsbp adds nothing
            assert name not in rows, name
    symbols = {(m["path"], m["symbol"]) for m in messages}
    assert ("syntax_error.py", "syntax-error") in symbols


# --------------------------------------------------------------------- generated programs


def _hypothesis_settings(examples: int) -> object:
    from hypothesis import HealthCheck, settings

    return settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                    suppress_health_check=list(HealthCheck))


def _check_generated(source: str) -> None:
    for data in (source.encode(), source.encode() + GATE):
        tree = _parse(data)
        if tree is None:
            continue
        lint_tree(tree, data, "generated.py")
        lint_tree(tree, data, "generated.py", DEFAULT)


@pytest.mark.filterwarnings("ignore::SyntaxWarning", "ignore::DeprecationWarning")
@pytest.mark.parametrize(("strategy", "examples"), [("from_grammar", 100), ("from_node", 25)])
def test_generated_programs(strategy: str, examples: int,
                            capfd: pytest.CaptureFixture[str]) -> None:
    """hypothesmith programs (a test dependency: ``pip install hypothesmith``)."""
    hypothesmith = pytest.importorskip("hypothesmith")
    from hypothesis import given

    @_hypothesis_settings(examples)  # type: ignore[operator]
    @given(getattr(hypothesmith, strategy)())
    def check(source: str) -> None:
        _check_generated(source)

    check()
    out, err = capfd.readouterr()
    assert out == "" and err == ""
