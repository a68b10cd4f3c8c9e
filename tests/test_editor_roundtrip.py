"""The editor path, for real: a language server and the VS Code extensions' command lines.

1. python-lsp-server (``pylsp``) runs as a subprocess and we speak LSP to it over stdio:
   an unsaved buffer (its file does not exist on disk) gets awsbp diagnostics from pylsp's
   flake8 plugin and from its pylint plugin (stdin mode, ``args`` with
   ``--load-plugins=pylint_awsbp``); after a ``didChange`` that adds a suppression comment
   the diagnostic goes away while the other finding stays.
2. flake8 and pylint run exactly as the VS Code flake8 and pylint extensions run them (their
   arguments, source on stdin, their output parsing).

Every wait has a deadline and the server is always killed, so a hung server fails the test
instead of hanging CI.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60.0  # seconds for any one answer from the server (a lint runs flake8/pylint)

# Line numbers below are 1-based, as flake8 and pylint print them.
SOURCE = """\
import boto3


def cleanup(buckets):
    for bucket in buckets:
        boto3.client("s3").delete_bucket(Bucket=bucket)


def lambda_handler(event, context):
    table = boto3.resource("dynamodb").Table("jobs")
    return table.get_item(Key={"id": event["id"]})
"""
LOOP_LINE = 6  # AWSBP101 / W7301 boto3-client-in-loop, column 8 (0-based)
HANDLER_LINE = 10  # AWSBP601 / W7302 aws-client-in-lambda-handler
# The rules these tests follow; other awsbp rules may fire on the sample too (more land
# over time, and an explicit select turns on opt-in ones), so only these are compared.
WATCHED = {"AWSBP101", "AWSBP601", "W7301", "W7302"}


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONSTARTUP", None)
    return env


def _tool(name: str) -> str:
    """The console script ``name`` next to this interpreter, else whatever PATH finds."""
    candidate = Path(sys.executable).parent / name
    if candidate.is_file():
        return str(candidate)
    return shutil.which(name) or name


def _with_line(source: str, line: int, suffix: str) -> str:
    lines = source.splitlines(keepends=True)
    lines[line - 1] = lines[line - 1].rstrip("\n") + suffix + "\n"
    return "".join(lines)


# --------------------------------------------------------------------------------------
# A minimal LSP client over stdio (Content-Length framing)
# --------------------------------------------------------------------------------------


class LspClient:
    """Talk to a language server subprocess; every wait has a deadline."""

    def __init__(self, cwd: Path, log: Path) -> None:
        self._log_file = log.open("wb")
        self.log = log
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pylsp", "--check-parent-process"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log_file,
            cwd=cwd,
            env=_env(),
        )
        self._messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._next_id = 0
        assert self.proc.stdout is not None
        self._reader = threading.Thread(
            target=self._read_loop, args=(self.proc.stdout,), daemon=True
        )
        self._reader.start()

    def _read_loop(self, stream: IO[bytes]) -> None:
        try:
            while True:
                length = None
                while True:
                    header = stream.readline()
                    if not header:
                        return
                    header = header.strip()
                    if not header:
                        break
                    name, _, value = header.decode("ascii").partition(":")
                    if name.lower() == "content-length":
                        length = int(value.strip())
                if length is None:
                    continue
                body = stream.read(length)
                if len(body) < length:
                    return
                self._messages.put(json.loads(body))
        except (OSError, ValueError):  # the pipe was closed under us: the server is gone
            return
        finally:
            self._messages.put(None)

    def _send(self, payload: dict[str, Any]) -> None:
        body = json.dumps(payload).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        """Send a notification."""
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: dict[str, Any]) -> Any:
        """Send a request and return its result."""
        self._next_id += 1
        ident = self._next_id
        self._send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        reply = self.wait_for(lambda m: m.get("id") == ident and "method" not in m)
        assert "error" not in reply, reply
        return reply.get("result")

    def wait_for(self, predicate: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """The next message matching ``predicate``; fail after ``TIMEOUT`` seconds."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                pytest.fail(f"no answer from pylsp within {TIMEOUT:.0f}s\n{self.log_tail()}")
            try:
                message = self._messages.get(timeout=remaining)
            except queue.Empty:
                continue
            if message is None:
                pytest.fail(f"pylsp closed its output\n{self.log_tail()}")
            if "method" in message and "id" in message:  # a request from the server
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
                continue
            if predicate(message):
                return message

    def diagnostics(self, uri: str, version: int) -> list[dict[str, Any]]:
        """The diagnostics pylsp publishes for ``uri`` at document ``version``."""
        message = self.wait_for(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"].get("version") == version
        )
        result: list[dict[str, Any]] = message["params"]["diagnostics"]
        return result

    def log_tail(self) -> str:
        """The end of the server's stderr, for failure messages."""
        self._log_file.flush()
        return self.log.read_text(encoding="utf-8", errors="replace")[-3000:]

    def close(self) -> None:
        """Ask the server to exit; kill it if it does not within a few seconds."""
        try:
            if self.proc.poll() is None:
                self._next_id += 1
                self._send({"jsonrpc": "2.0", "id": self._next_id, "method": "shutdown"})
                self.notify("exit", {})
                self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait(timeout=10)
            for stream in (self.proc.stdin, self.proc.stdout):
                if stream is not None:
                    stream.close()
            self._log_file.close()


def _plugins(**enabled: dict[str, Any]) -> dict[str, Any]:
    """pylsp plugin settings: the given plugins on, the default linters off."""
    plugins: dict[str, Any] = {
        name: {"enabled": False} for name in ("pycodestyle", "pyflakes", "mccabe", "pydocstyle")
    }
    plugins.update({name: {"enabled": True, **cfg} for name, cfg in enabled.items()})
    return {"pylsp": {"plugins": plugins}}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """An empty project directory: no config files of the repository leak in."""
    root = tmp_path / "project"
    (root / "jobs").mkdir(parents=True)
    return root


def _start(workspace: Path, tmp_path: Path, settings: dict[str, Any]) -> LspClient:
    pytest.importorskip("pylsp", reason="python-lsp-server is not installed")
    client = LspClient(workspace, tmp_path / "pylsp.log")
    try:
        client.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": workspace.as_uri(),
                "rootPath": str(workspace),
                "capabilities": {},
                "initializationOptions": settings,
            },
        )
        client.notify("initialized", {})
    except BaseException:
        client.close()
        raise
    return client


@pytest.fixture
def lsp_flake8(workspace: Path, tmp_path: Path) -> Iterator[LspClient]:
    settings = _plugins(flake8={"select": ["AWSBP"], "executable": _tool("flake8")})
    client = _start(workspace, tmp_path, settings)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def lsp_pylint(workspace: Path, tmp_path: Path) -> Iterator[LspClient]:
    # An ``executable`` puts pylsp's pylint plugin in stdin mode (unsaved buffers);
    # ``args`` go straight to pylint.
    settings = _plugins(
        pylint={
            "executable": _tool("pylint"),
            "args": ["--load-plugins=pylint_awsbp", "--disable=all", "--enable=awsbp"],
        }
    )
    client = _start(workspace, tmp_path, settings)
    try:
        yield client
    finally:
        client.close()


def _open(client: LspClient, workspace: Path, text: str) -> str:
    path = workspace / "jobs" / "cleanup_job.py"
    assert not path.exists()  # an unsaved buffer: nothing on disk to read
    uri = path.as_uri()
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}},
    )
    return uri


def _change(client: LspClient, uri: str, text: str, version: int) -> None:
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
    )


def _summary(diagnostics: list[dict[str, Any]]) -> list[tuple[int, int, str, str]]:
    """``(1-based line, 0-based column, code, source)`` per watched diagnostic, sorted."""
    return sorted(
        (
            d["range"]["start"]["line"] + 1,
            d["range"]["start"]["character"],
            str(d.get("code")),
            d.get("source", ""),
        )
        for d in diagnostics
        if d.get("code") in WATCHED
    )


def test_pylsp_flake8_unsaved_buffer_and_noqa(
    lsp_flake8: LspClient, workspace: Path
) -> None:
    uri = _open(lsp_flake8, workspace, SOURCE)
    found = lsp_flake8.diagnostics(uri, version=1)
    assert _summary(found) == [
        (LOOP_LINE, 8, "AWSBP101", "flake8"),
        (HANDLER_LINE, 12, "AWSBP601", "flake8"),
    ], lsp_flake8.log_tail()
    loop = next(d for d in found if d["code"] == "AWSBP101")
    assert "created inside a loop" in loop["message"]
    assert loop["severity"] == 2  # pylsp shows plugin codes as warnings
    assert {str(d["code"])[:5] for d in found} == {"AWSBP"}  # select: ["AWSBP"] applied

    _change(lsp_flake8, uri, _with_line(SOURCE, LOOP_LINE, "  # noqa: AWSBP101"), version=2)
    after = lsp_flake8.diagnostics(uri, version=2)
    assert _summary(after) == [(HANDLER_LINE, 12, "AWSBP601", "flake8")]


def test_pylsp_pylint_unsaved_buffer_and_pragma(
    lsp_pylint: LspClient, workspace: Path
) -> None:
    uri = _open(lsp_pylint, workspace, SOURCE)
    found = lsp_pylint.diagnostics(uri, version=1)
    assert _summary(found) == [
        (LOOP_LINE, 8, "W7301", "pylint"),
        (HANDLER_LINE, 12, "W7302", "pylint"),
    ], lsp_pylint.log_tail()
    loop = next(d for d in found if d["code"] == "W7301")
    assert "created inside a loop" in loop["message"]
    assert "boto3-client-in-loop" in loop["message"]
    assert {str(d["code"])[1:3] for d in found} == {"73"}  # --disable=all --enable=awsbp

    pragma = "  # pylint: disable=boto3-client-in-loop"
    _change(lsp_pylint, uri, _with_line(SOURCE, LOOP_LINE, pragma), version=2)
    after = lsp_pylint.diagnostics(uri, version=2)
    assert _summary(after) == [(HANDLER_LINE, 12, "W7302", "pylint")]


# --------------------------------------------------------------------------------------
# The VS Code extensions' command lines (vscode-flake8, vscode-pylint)
# --------------------------------------------------------------------------------------

# vscode-flake8 passes this --format and parses each output line with this expression.
VSCODE_FLAKE8_FORMAT = "%(row)d,%(col)d,%(code).1s,%(code)s:%(text)s"
VSCODE_FLAKE8_RE = re.compile(
    r"(?P<line>\d+),(?P<column>-?\d+),(?P<type>\w+),(?P<code>\w+\d+):(?P<message>[^\r\n]*)"
)


def test_vscode_flake8_command_line(tmp_path: Path) -> None:
    path = tmp_path / "jobs" / "cleanup_job.py"  # never written: the buffer is unsaved
    args = [
        sys.executable, "-m", "flake8", "--extend-select=AWSBP",
        f"--format={VSCODE_FLAKE8_FORMAT}", "--stdin-display-name", str(path), "-",
    ]
    proc = subprocess.run(
        args, input=SOURCE, capture_output=True, text=True, cwd=tmp_path, env=_env(), timeout=120
    )
    assert proc.stderr == ""
    rows = [m.groupdict() for m in map(VSCODE_FLAKE8_RE.match, proc.stdout.splitlines()) if m]
    assert len(rows) == len(proc.stdout.splitlines())  # the extension parses every line
    awsbp = sorted(
        (int(r["line"]), int(r["column"]), r["type"], r["code"])
        for r in rows
        if r["code"] in WATCHED
    )
    assert awsbp == [(LOOP_LINE, 9, "A", "AWSBP101"), (HANDLER_LINE, 13, "A", "AWSBP601")]
    assert all(r["message"] for r in rows)

    noqa = _with_line(SOURCE, LOOP_LINE, "  # noqa: AWSBP101")
    again = subprocess.run(
        args, input=noqa, capture_output=True, text=True, cwd=tmp_path, env=_env(), timeout=120
    )
    assert "AWSBP101" not in again.stdout and "AWSBP601" in again.stdout


def test_vscode_pylint_command_line(tmp_path: Path) -> None:
    path = tmp_path / "jobs" / "cleanup_job.py"  # never written: the buffer is unsaved
    args = [
        sys.executable, "-m", "pylint", "--load-plugins=pylint_awsbp",
        "--disable=all", "--enable=awsbp",  # the user's "pylint.args"
        "--reports=n", "--output-format=json2", "--clear-cache-post-run=y",
        "--from-stdin", str(path),
    ]
    proc = subprocess.run(
        args, input=SOURCE, capture_output=True, text=True, cwd=tmp_path, env=_env(), timeout=120
    )
    assert proc.stderr == ""
    messages = json.loads(proc.stdout)["messages"]
    assert {m["messageId"][1:3] for m in messages} == {"73"}  # only awsbp was enabled
    rows = sorted(
        (m["line"], m["column"], m["messageId"], m["symbol"], m["type"])
        for m in messages
        if m["messageId"] in WATCHED
    )
    assert rows == [
        (LOOP_LINE, 8, "W7301", "boto3-client-in-loop", "warning"),
        (HANDLER_LINE, 12, "W7302", "aws-client-in-lambda-handler", "warning"),
    ]
    loop = next(m for m in messages if m["messageId"] == "W7301")
    assert loop["endLine"] == LOOP_LINE and loop["endColumn"] > loop["column"]
    assert loop["path"].endswith("cleanup_job.py")

    pragma = _with_line(SOURCE, LOOP_LINE, "  # pylint: disable=boto3-client-in-loop")
    again = subprocess.run(
        args, input=pragma, capture_output=True, text=True, cwd=tmp_path, env=_env(), timeout=120
    )
    ids = [m["messageId"] for m in json.loads(again.stdout)["messages"]]
    assert "W7301" not in ids and "W7302" in ids
