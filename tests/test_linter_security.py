"""Linting is safe: awsbp never runs the linted code, never touches the network, never
reads AWS credentials or secrets from the environment.

The hosts run as real subprocesses. A ``sitecustomize.py`` put on ``PYTHONPATH``
patches ``socket``, ``os.environ``, ``os.getenv`` and ``open`` and adds an audit
hook (``open``, ``socket.*``, ``subprocess.Popen``, ``os.system``...), writing one
JSON line per event to a log, with a flag for whether awsbp code
(``awsbp``/``flake8_awsbp``/``pylint_awsbp``) was on the stack. A control process
proves the probes fire.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import awsbp
from awsbp.api import check_file
from awsbp.registry import all_rules

SECRETS = {
    "AWS_ACCESS_KEY_ID": "AKIA2E0A8F3B244C9986",
    "AWS_SECRET_ACCESS_KEY": "b8Jq3/Xk2LrT9vWz5NcQ7YhE1uFpA4sD6gKmR0tV-env",
    "AWS_SESSION_TOKEN": "FwoGZXIvYXdzEJr-session-token-from-env",
    "AWS_PROFILE": "awsbp-test-profile",
    "GITHUB_TOKEN": "ghp_awsbp_test_token_value",
    "DB_PASSWORD": "hunter2-awsbp-test",
    "MY_API_KEY": "awsbp-test-api-key",
}
SENSITIVE = ("AWS", "SECRET", "TOKEN", "PASSWORD", "KEY")

EVIL = '''"""Linting this file must never run it."""
import pathlib
import boto3

pathlib.Path({marker!r}).write_text("executed")
raise SystemExit("the linted code was executed")

for key in keys:
    boto3.client("s3", aws_access_key_id="AKIA2E0A8F3B244C9986").get_object(Bucket="b", Key=key)


def lambda_handler(event, context):
    return boto3.client("sqs")


if __name__ == "__main__":
    pathlib.Path({marker!r}).write_text("executed as main")
'''

PROBE = r'''
"""Test probe: records network, environment, file and process activity."""
import builtins
import io
import json
import os
import socket
import sys

_LOG = os.environ.get("AWSBP_PROBE_LOG")
_OURS = ("awsbp", "flake8_awsbp", "pylint_awsbp")
_real_open = builtins.open
_busy = [False]


def _modules():
    frame = sys._getframe(2)
    names = []
    while frame is not None:
        names.append(str(frame.f_globals.get("__name__", "")))
        frame = frame.f_back
    return names


def _ours(names):
    return any(n == p or n.startswith(p + ".") for n in names for p in _OURS)


def _record(kind, detail, force=False):
    if not _LOG or _busy[0]:
        return
    _busy[0] = True
    try:
        names = _modules()
        ours = _ours(names)
        if ours or force:
            with _real_open(_LOG, "a", encoding="utf-8") as log:
                log.write(json.dumps({"pid": os.getpid(), "kind": kind, "detail": str(detail),
                                      "awsbp": ours, "stack": names[:12]}) + "\n")
    finally:
        _busy[0] = False


def _sensitive(text):
    text = str(text).upper()
    return any(word in text for word in ("AWS", "SECRET", "TOKEN", "PASSWORD", "KEY", ".AWS"))


# --- network: record and refuse
class _NoNetwork(OSError):
    pass


def _refuse(kind):
    def refuse(*args, **kwargs):
        _record(kind, args[1:2] if kind.startswith("socket.socket") else args[:1], force=True)
        raise _NoNetwork(f"network disabled by the awsbp test probe ({kind})")
    return refuse


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        return _refuse("socket.socket.connect")(self, address)
    return _real_connect(self, address)


def _connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        return _refuse("socket.socket.connect_ex")(self, address)
    return _real_connect_ex(self, address)


socket.socket.connect = _connect
socket.socket.connect_ex = _connect_ex
socket.create_connection = _refuse("socket.create_connection")
socket.getaddrinfo = _refuse("socket.getaddrinfo")
socket.gethostbyname = _refuse("socket.gethostbyname")
socket.gethostbyname_ex = _refuse("socket.gethostbyname_ex")

# --- environment: record reads of sensitive names (all reads made by awsbp)
_Environ = type(os.environ)
_real_getitem = _Environ.__getitem__
_real_contains = _Environ.__contains__
_real_iter = _Environ.__iter__


def _getitem(self, key):
    _record("environ", key, force=_sensitive(key))
    return _real_getitem(self, key)


def _contains(self, key):
    _record("environ", key, force=_sensitive(key))
    return _real_contains(self, key)


def _iter(self):
    _record("environ-iter", "*")
    return _real_iter(self)


_Environ.__getitem__ = _getitem
_Environ.__contains__ = _contains
_Environ.__iter__ = _iter
_real_getenv = os.getenv


def _getenv(key, default=None):
    _record("getenv", key, force=_sensitive(key))
    return _real_getenv(key, default)


os.getenv = _getenv


# --- files: builtins.open / io.open, plus the audit hook for every other way in
def _open(file, *args, **kwargs):
    _record("open", file, force=_sensitive(file))
    return _real_open(file, *args, **kwargs)


builtins.open = _open
io.open = _open

_WATCHED = ("socket.", "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn",
            "os.spawn", "os.startfile", "urllib.Request", "http.client.connect", "ftplib.",
            "smtplib.", "ctypes.dlopen", "webbrowser.open")


def _audit(event, args):
    if event == "open":
        if args and _sensitive(args[0]):
            _record("audit-open", args[0], force=True)
        elif args:
            _record("audit-open", args[0])
    elif event.startswith(_WATCHED):
        _record("audit:" + event, args[:2])


if _LOG:
    sys.addaudithook(_audit)
'''

CORE_SCRIPT = '''
import sys
from awsbp.api import check_file
from awsbp.registry import all_options, all_rules
from awsbp.engine import select_rules
from awsbp.options import Settings

all_rules(); all_options()
settings = Settings.from_raw({"awsbp-min-evidence": "low"})
rules = select_rules(settings, include_default_off=True)
count = 0
for path in sys.argv[1:]:
    count += len(check_file(path, settings, rules))
print(count)
'''

CONTROL_SCRIPT = '''
import os, socket, pathlib
try:
    socket.create_connection(("127.0.0.1", 9), timeout=1)
except OSError as exc:
    assert "awsbp test probe" in str(exc), exc
try:
    socket.getaddrinfo("localhost", 80)
except OSError:
    pass
os.environ.get("AWS_SECRET_ACCESS_KEY")
os.getenv("GITHUB_TOKEN")
pathlib.Path(os.path.expanduser("~/.aws/credentials")).read_text()
namespace = {"__name__": "awsbp.fake_rule"}
exec("import os\\nos.environ.get('AWS_SESSION_TOKEN')\\nopen(os.path.expanduser("
     "'~/.aws/config')).close()", namespace)
print("control done")
'''


def _sample_files(directory: Path) -> list[str]:
    """Realistic inputs: every rule's docs examples (firing and quiet) and an evil file."""
    directory.mkdir(parents=True, exist_ok=True)
    names = []
    for rule in all_rules():
        for kind, text in (("example", rule.docs.example), ("instead", rule.docs.use_instead)):
            stem = Path(rule.docs.example_filename).stem
            name = f"{stem}_{rule.code}_{kind}.py"
            (directory / name).write_text(text, encoding="utf-8")
            names.append(name)
    return names


def _probe_env(tmp_path: Path, log: Path) -> dict[str, str]:
    probe_dir = tmp_path / "probe"
    probe_dir.mkdir(exist_ok=True)
    (probe_dir / "sitecustomize.py").write_text(PROBE, encoding="utf-8")
    home = tmp_path / "home"
    (home / ".aws").mkdir(parents=True, exist_ok=True)
    (home / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIA2E0A8F3B244C9986\n"
        "aws_secret_access_key = b8Jq3/Xk2LrT9vWz5NcQ7YhE1uFpA4sD6gKmR0tV\n")
    (home / ".aws" / "config").write_text("[default]\nregion = eu-west-1\n")
    (tmp_path / "shared-credentials").write_text("[default]\n")
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONSTARTUP", "PYTHONWARNINGS", "PYLINTRC")}
    env.update(SECRETS)
    env.update({
        "HOME": str(home),
        "PYLINTHOME": str(tmp_path / "pylinthome"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "shared-credentials"),
        "AWS_CONFIG_FILE": str(tmp_path / "shared-credentials"),
        "PYTHONPATH": os.pathsep.join(
            [str(probe_dir), *filter(None, [os.environ.get("PYTHONPATH")])]),
        "AWSBP_PROBE_LOG": str(log),
    })
    return env


def _events(log: Path) -> list[dict[str, object]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


# --------------------------------------------------------------------- the probes work


def test_probe_records_what_it_should(tmp_path: Path) -> None:
    log = tmp_path / "control.jsonl"
    env = _probe_env(tmp_path, log)
    proc = _run([sys.executable, "-c", CONTROL_SCRIPT], tmp_path, env)
    assert proc.returncode == 0, proc.stderr
    assert "control done" in proc.stdout
    events = _events(log)
    kinds = {(e["kind"], e["awsbp"]) for e in events}
    assert ("socket.create_connection", False) in kinds
    assert ("socket.getaddrinfo", False) in kinds
    details = {(e["kind"], str(e["detail"]), e["awsbp"]) for e in events}
    assert ("environ", "AWS_SECRET_ACCESS_KEY", False) in details
    assert ("getenv", "GITHUB_TOKEN", False) in details
    assert any(e["kind"] in ("open", "audit-open") and ".aws/credentials" in str(e["detail"])
               for e in events)
    # attribution: code running in a module named awsbp.* is flagged
    assert ("environ", "AWS_SESSION_TOKEN", True) in details
    assert any(e["awsbp"] and ".aws/config" in str(e["detail"]) for e in events)


# --------------------------------------------------------------------- the real runs


@dataclass
class Probed:
    """Everything the probe saw over the core, flake8 and pylint runs."""

    events: list[dict[str, object]]
    outputs: dict[str, str]
    project: Path
    linted: frozenset[str]


def _host_runs(tmp_path: Path) -> Probed:
    """Core, flake8 and pylint (serial and -j 2) over the samples, under the probe."""
    log = tmp_path / "events.jsonl"
    env = _probe_env(tmp_path, log)
    project = tmp_path / "project"
    names = _sample_files(project)
    marker = tmp_path / "EXECUTED"
    (project / "evil.py").write_text(EVIL.format(marker=str(marker)), encoding="utf-8")
    names.append("evil.py")
    (tmp_path / "core.py").write_text(CORE_SCRIPT, encoding="utf-8")
    outputs = {}
    runs = {
        "core": [sys.executable, str(tmp_path / "core.py"), *names],
        "flake8": [sys.executable, "-m", "flake8", "--isolated", "-j", "1", *names],
        "flake8-j2": [sys.executable, "-m", "flake8", "--isolated", "-j", "2", *names],
        "pylint": [sys.executable, "-m", "pylint", "--rcfile=/dev/null",
                   "--load-plugins=pylint_awsbp", "--disable=all", "--enable=awsbp",
                   "--persistent=n", "--score=n", *names],
        "pylint-j2": [sys.executable, "-m", "pylint", "--rcfile=/dev/null",
                      "--load-plugins=pylint_awsbp", "--disable=all", "--enable=awsbp",
                      "--persistent=n", "--score=n", "-j", "2", *names],
    }
    for label, cmd in runs.items():
        proc = _run(cmd, project, env)
        assert "Traceback" not in proc.stderr + proc.stdout, (label, proc.stderr[-3000:])
        assert proc.stderr == "", (label, proc.stderr[-3000:])
        assert proc.stdout.strip(), label
        outputs[label] = proc.stdout
    assert not marker.exists(), marker.read_text()
    linted = frozenset(names) | frozenset(str(project / name) for name in names)
    return Probed(_events(log), outputs, project, linted)


def _network(probed: Probed) -> list[object]:
    """Any connection or name lookup, by anyone."""
    return [e for e in probed.events if str(e["kind"]).startswith(("socket", "audit:socket"))]


def _secret_reads(probed: Probed) -> list[object]:
    """Environment reads by awsbp: of secret-looking names, or iterating it all."""
    reads = [e for e in probed.events
             if e["awsbp"] and e["kind"] in ("environ", "getenv", "environ-iter")]
    return [e for e in reads if e["kind"] == "environ-iter"
            or any(word in str(e["detail"]).upper() for word in SENSITIVE)]


def _env_reads(probed: Probed) -> list[object]:
    """awsbp reads no environment variable at all: its behaviour comes from options."""
    return sorted({str(e["detail"]) for e in probed.events
                   if e["awsbp"] and e["kind"] in ("environ", "getenv")})


def _credential_files(probed: Probed) -> list[object]:
    """``~/.aws/credentials``, ``~/.aws/config`` or the files AWS_* variables name."""
    return [e for e in probed.events if e["kind"] in ("open", "audit-open")
            and (".aws" in str(e["detail"]) or "shared-credentials" in str(e["detail"]))]


def _processes(probed: Probed) -> list[object]:
    """Processes, shells, ctypes, URLs opened from awsbp code."""
    return [e for e in probed.events if e["awsbp"] and str(e["kind"]).startswith("audit:")]


def _is_import_machinery(module: str) -> bool:
    """Frames of the import system (``importlib._bootstrap`` or its frozen alias)."""
    return "importlib._bootstrap" in module or module.startswith("_frozen_importlib")


def _foreign_files(probed: Probed) -> list[object]:
    """awsbp opens only its package data and the files being linted (``check_file``
    reads its argument; the pylint front-end reads ``node.stream()``)."""
    package = str(Path(awsbp.__file__).resolve().parent)
    opened = {str(e["detail"]) for e in probed.events
              if e["awsbp"] and e["kind"] in ("open", "audit-open")
              and not any(_is_import_machinery(m) for m in e["stack"])}  # type: ignore[attr-defined]
    return sorted(p for p in opened
                  if not p.isdigit() and p not in probed.linted
                  and not str(Path(p).resolve()).startswith(package)
                  # an installed (non-editable) copy of the package, as the hosts see it
                  and "/awsbp/botocore_data/" not in Path(p).as_posix())


def _leaked_values(probed: Probed) -> list[object]:
    """Secret values from the environment in any output."""
    return [(label, name) for label, text in probed.outputs.items()
            for name, value in SECRETS.items()
            # the access key id is also a literal in the samples
            if name != "AWS_ACCESS_KEY_ID" and value in text]


def test_real_runs_touch_no_network_secret_or_credential(tmp_path: Path) -> None:
    """The core, flake8 and pylint (serial and ``-j 2``) over every docs example and
    a file that must never run, all under the probe, in one batch."""
    probed = _host_runs(tmp_path)
    checks = (_network, _secret_reads, _env_reads, _credential_files, _processes,
              _foreign_files, _leaked_values)
    problems = {check.__name__.strip("_"): check(probed) for check in checks}
    assert {name: found for name, found in problems.items() if found} == {}
    assert len(probed.outputs) == 5


# --------------------------------------------------------------------- in-process core


def test_core_in_process_does_not_execute_the_file(tmp_path: Path) -> None:
    marker = tmp_path / "EXECUTED"
    path = tmp_path / "evil.py"
    path.write_text(EVIL.format(marker=str(marker)), encoding="utf-8")
    modules = set(sys.modules)
    findings = check_file(path)
    assert findings
    assert not marker.exists()
    assert "evil" not in set(sys.modules) - modules


# --------------------------------------------------------------------- shadowed modules


def _awsbp_imports() -> set[str]:
    """Top-level names of every module the awsbp packages import, anywhere."""
    names: set[str] = set()
    root = Path(awsbp.__file__).resolve().parent.parent
    for package in ("awsbp", "flake8_awsbp", "pylint_awsbp"):
        for path in (root / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_bytes())):
                if isinstance(node, ast.Import):
                    names.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names.add(node.module.split(".")[0])
    return names


SHADOW = '''import sys
_frame, _stack = sys._getframe(0), []
while _frame is not None:
    _stack.append(str(_frame.f_globals.get("__name__", "")))
    _frame = _frame.f_back
with open({marker!r}, "a") as _log:
    _log.write(" ".join(_stack) + "\\n")
raise ImportError("shadow module {name} must never be imported")
'''


def test_modules_in_the_linted_directory_are_never_imported(tmp_path: Path) -> None:
    """pylint puts the linted file's directory on ``sys.path`` while it checks; a
    lazy import in awsbp would then run the project's ``difflib.py`` or ``json.py``."""
    project = tmp_path / "project"
    names = _sample_files(project)
    never = {"sys", "builtins", "__future__", "awsbp", "flake8_awsbp", "pylint_awsbp",
             "flake8", "pylint", "astroid"}
    shadowed = (_awsbp_imports() - never) | {"boto3", "botocore", "aioboto3", "aiobotocore",
                                              "moto", "gzip", "zlib", "json", "difflib"}
    for name in sorted(shadowed):
        marker = tmp_path / f"IMPORTED_{name}"
        (project / f"{name}.py").write_text(SHADOW.format(marker=str(marker), name=name))
    (tmp_path / "core.py").write_text(
        "import sys\nfrom awsbp.api import check_file\nfrom awsbp.registry import "
        "all_rules, all_options\nfrom awsbp.engine import select_rules\n"
        "from awsbp.options import Settings\nall_rules(); all_options()\n"
        "settings = Settings.default()\nrules = select_rules(settings, include_default_off=True)\n"
        "sys.path.insert(0, sys.argv[1])  # as pylint does while checking\n"
        "for path in sys.argv[2:]:\n    check_file(path, settings, rules)\n",
        encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONSTARTUP", "PYLINTRC")}
    env["PYLINTHOME"] = str(tmp_path / "pylinthome")
    files = [f"project/{name}" for name in names]
    runs = {
        "core": [sys.executable, str(tmp_path / "core.py"), str(project), *files],
        "flake8": [sys.executable, "-m", "flake8", "--isolated", "--select", "AWSBP", *files],
        "pylint": [sys.executable, "-m", "pylint", "--rcfile=/dev/null",
                   "--load-plugins=pylint_awsbp", "--disable=all", "--enable=awsbp",
                   "--persistent=n", "--score=n", *files],
    }
    ours = ("awsbp", "flake8_awsbp", "pylint_awsbp")
    imported: dict[str, str] = {}
    for label, cmd in runs.items():
        _run(cmd, tmp_path, env)
        for marker in sorted(tmp_path.glob("IMPORTED_*")):
            stack = marker.read_text().split("\n", 1)[0].split()
            importer = next((m for m in stack if m.startswith(ours)), "the host")
            imported[f"{label}: {marker.name[9:]}.py"] = f"imported by {importer}"
            marker.unlink()
    by_awsbp = {k: v for k, v in imported.items() if "the host" not in v}
    assert by_awsbp == {}
    assert imported == {}, "a host imported a module from the linted directory"
