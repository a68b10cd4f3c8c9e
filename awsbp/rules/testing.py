"""Testing: moto's removed decorators, clients created before mocks, unchecked Stubbers."""

from __future__ import annotations

import ast
import re

from awsbp.checker import Checker, FileContext, TestModuleChecker
from awsbp.evidence import Evidence
from awsbp.model import literal_str, qualname_parts
from awsbp.registry import Rule, RuleDocs
from awsbp.rules.clients import kind_label
from awsbp.textgate import any_word, has_word
from awsbp.values import Kind

_REMOVED_MOCK = re.compile(r"^mock_[a-z0-9_]+$")
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})
_CLIENT_KINDS = frozenset({Kind.CLIENT, Kind.RESOURCE})
_CREDENTIAL_KEYWORDS = frozenset({"aws_access_key_id", "aws_session_token", "botocore_session"})
_STUBBER = "botocore.stub.Stubber"
_CREDENTIAL_ENV = "AWS_ACCESS_KEY_ID"


#: ``mock_*`` names that moto 5 still has (outside the top-level package).
_MOTO5_MOCK_NAMES = frozenset({"mock_aws", "mock_xray_client", "mock_random", "mock_credentials"})


def is_removed_moto_mock(module: str, name: str) -> bool:
    """``moto.mock_s3``, ``moto.s3.mock_s3``...: moto's per-service mocks, gone in moto 5.

    ``module`` is the import path the name comes from (``moto`` or ``moto.<service>``).
    """
    if not _REMOVED_MOCK.match(name) or name in _MOTO5_MOCK_NAMES:
        return False
    parts = module.split(".")
    if parts == ["moto"]:
        return True
    # moto 4's ``from moto.s3 import mock_s3`` / ``from moto.ec2 import mock_ec2_deprecated``
    return len(parts) == 2 and parts[0] == "moto" and name.startswith(f"mock_{parts[1]}")


def _catches_import_error(node: ast.Try) -> bool:
    for handler in node.handlers:
        type_ = handler.type
        if type_ is None:
            return True
        elts = type_.elts if isinstance(type_, ast.Tuple) else [type_]
        for elt in elts:
            parts = qualname_parts(elt)
            if parts and parts[-1] in _IMPORT_ERRORS:
                return True
    return False


def _mentions_version(test: ast.expr) -> bool:
    """``if moto.__version__ ...``, ``if MOTO_5:``, ``if hasattr(moto, "mock_aws"):``."""
    for node in ast.walk(test) if _small(test) else ():
        text = None
        if isinstance(node, ast.Name):
            text = node.id
        elif isinstance(node, ast.Attribute):
            text = node.attr
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        if text and ("version" in text.lower() or "moto" in text.lower() or text == "hasattr"):
            return True
    return False


def _small(expr: ast.expr, limit: int = 64) -> bool:
    count = 0
    for _ in ast.walk(expr):
        count += 1
        if count > limit:
            return False
    return True


class RemovedMotoMockChecker(Checker):
    """AWSBP801: ``from moto import mock_s3`` and ``moto.mock_s3``."""

    TEXT_GATE = any_word("mock_")

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._compat: set[int] = set()

    def visit_Try(self, node: ast.Try) -> None:
        if not _catches_import_error(node):
            return
        blocks = [node.body, *(h.body for h in node.handlers)]
        for block in blocks:
            for stmt in block:
                self._compat.add(id(stmt))

    def visit_If(self, node: ast.If) -> None:
        if _mentions_version(node.test):
            for stmt in (*node.body, *node.orelse):
                self._compat.add(id(stmt))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if node.level or not (module == "moto" or module.startswith("moto.")):
            return
        if id(node) in self._compat:
            return
        for alias in node.names:
            if is_removed_moto_mock(module, alias.name):
                self.ctx.report(REMOVED_MOTO_MOCK, alias, name=alias.name)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if not node.attr.startswith("mock_") or not isinstance(node.ctx, ast.Load):
            return
        qual = self.model.qualname(node)
        if qual is not None and is_removed_moto_mock(qual.rpartition(".")[0], node.attr):
            self.ctx.report(REMOVED_MOTO_MOCK, node, name=node.attr)


REMOVED_MOTO_MOCK = Rule(
    code="AWSBP801",
    msgid="E7375",
    symbol="removed-moto-mock",
    message="moto's '{name}' was removed in moto 5; use 'mock_aws' (one mock for every service)",
    summary="moto per-service mock (mock_s3, mock_dynamodb...) removed in moto 5",
    guide_section="Testing and Validation › Unit Testing",
    checker=RemovedMotoMockChecker,
    min_evidence=Evidence.HIGH,
    docs=RuleDocs(
        what=(
            "Finds imports of moto's per-service mocks (`from moto import mock_s3, "
            "mock_sts`, `from moto.s3 import mock_s3`) and attribute uses such as "
            "`@moto.mock_dynamodb` or `with moto.mock_sqs():`: every `mock_<name>` of the "
            "`moto` package except `mock_aws`, in any file (moto 5's own helpers such as "
            "`moto.xray.mock_xray_client` are not reported)."
        ),
        why=(
            "moto 5 replaced the per-service decorators and context managers with a single "
            "`mock_aws`; `from moto import mock_s3` raises `ImportError` and the whole test "
            "module fails to load. The guide's Unit Testing example still uses "
            "`@mock_s3`/`@mock_sts`; write `@mock_aws` instead, which mocks every service "
            "(and so also catches calls to services the test forgot to mock).\n\n"
            "Not reported: imports inside a `try` that catches `ImportError` or under an "
            "`if` on the moto version (code that supports both majors). A project pinned to "
            "`moto<5` can disable the rule."
        ),
        example=(
            "import boto3\n"
            "from moto import mock_s3\n\n\n"
            "@mock_s3\n"
            "def test_upload():\n"
            "    s3 = boto3.client(\"s3\", region_name=\"us-east-1\")\n"
            "    s3.create_bucket(Bucket=\"reports\")\n"
            "    s3.put_object(Bucket=\"reports\", Key=\"a.csv\", Body=b\"x\")\n"
        ),
        use_instead=(
            "import boto3\n"
            "from moto import mock_aws\n\n\n"
            "@mock_aws\n"
            "def test_upload():\n"
            "    s3 = boto3.client(\"s3\", region_name=\"us-east-1\")\n"
            "    s3.create_bucket(Bucket=\"reports\")\n"
            "    s3.put_object(Bucket=\"reports\", Key=\"a.csv\", Body=b\"x\")\n"
        ),
        references=(
            "https://docs.getmoto.org/en/latest/docs/getting_started.html",
            "https://github.com/getmoto/moto/blob/master/CHANGELOG.md",
        ),
        example_filename="test_example.py",
    ),
)


# ---------------------------------------------------------------------------- AWSBP802
def _sets_credential_env(call: ast.Call) -> bool:
    """``os.environ.setdefault("AWS_ACCESS_KEY_ID", ...)``, ``.update(AWS_ACCESS_KEY_ID=...)``."""
    if any(kw.arg == _CREDENTIAL_ENV for kw in call.keywords):
        return True
    for arg in call.args:
        if literal_str(arg) == _CREDENTIAL_ENV:
            return True
        if isinstance(arg, ast.Dict) and any(
            k is not None and literal_str(k) == _CREDENTIAL_ENV for k in arg.keys
        ):
            return True
    return False


class ImportTimeClientChecker(TestModuleChecker):
    """AWSBP802: a boto3 client created at import time in a moto test module."""

    @classmethod
    def wanted(cls, ctx: FileContext, text: str) -> bool:
        """Only test modules that import moto."""
        return "moto" in ctx.model.aws_modules and super().wanted(ctx, text)

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._mock_blocks: list[ast.AST] = []
        self._mock_started = False
        self._env_credentials = False
        self._mocks: set[str] = set()

    def visit_With(self, node: ast.With) -> None:
        if len(self.model.frames) != 1:
            return
        for item in node.items:
            if self._is_moto_call(item.context_expr):
                self._mock_blocks.append(node)
                return

    def leave_With(self, node: ast.With) -> None:
        if self._mock_blocks and self._mock_blocks[-1] is node:
            self._mock_blocks.pop()

    def _is_moto_call(self, expr: ast.expr) -> bool:
        if not isinstance(expr, ast.Call) or not isinstance(
            expr.func, (ast.Name, ast.Attribute)
        ):
            return False
        qual = self.model.qualname(expr.func)
        return qual is not None and qual.split(".")[0] == "moto"

    def visit_Assign(self, node: ast.Assign) -> None:
        if len(self.model.frames) != 1:
            return
        for target in node.targets:
            if isinstance(target, ast.Subscript) and literal_str(target.slice) == _CREDENTIAL_ENV:
                self._env_credentials = True
            elif isinstance(target, ast.Name) and self._is_moto_call(node.value):
                self._mocks.add(target.id)

    def visit_Call(self, node: ast.Call) -> None:
        if len(self.model.frames) != 1:
            return
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "start" and (
            self._is_moto_call(func.value)
            or (isinstance(func.value, ast.Name) and func.value.id in self._mocks)
        ):
            # mock = mock_aws(); mock.start() at import time: later clients are mocked
            self._mock_started = True
            return
        if _sets_credential_env(node):
            self._env_credentials = True
            return
        if self._mock_blocks or self._mock_started or self._env_credentials:
            return
        value = self.model.factory_value(node)
        if value is None or value.kind not in _CLIENT_KINDS:
            return
        if not self.ctx.accepts(IMPORT_TIME_CLIENT, value.evidence):
            return
        for kw in node.keywords:
            if kw.arg == "endpoint_url" or kw.arg in _CREDENTIAL_KEYWORDS or kw.arg is None:
                return  # moto server/LocalStack, explicit fake credentials, **kwargs
        self.ctx.report(IMPORT_TIME_CLIENT, node, kind=kind_label(value))


IMPORT_TIME_CLIENT = Rule(
    code="AWSBP802",
    msgid="W7376",
    symbol="boto3-client-at-import-in-test",
    message=(
        "boto3 {kind} created at import time in a moto test module, before any mock is "
        "active; create it inside the test or fixture, under mock_aws()"
    ),
    summary="boto3 client created at module level (or in a class body) of a moto test module",
    guide_section="Testing and Validation › Unit Testing",
    checker=ImportTimeClientChecker,
    min_evidence=Evidence.MEDIUM,
    docs=RuleDocs(
        what=(
            "Finds `boto3.client()`/`resource()` (and session/botocore equivalents) called at "
            "module level or in a class body of a test module (`test_*.py`, `*_test.py`, "
            "`conftest.py`, files under `tests/`, or importing pytest) that imports moto."
        ),
        why=(
            "Module-level code runs when pytest imports the file, before any `mock_aws` "
            "decorator, context manager or fixture is active. The client resolves its "
            "credentials then: with none in the environment (CI), every call fails with "
            "`NoCredentialsError` even under `mock_aws`; with real ones, and moto imported "
            "after the client, calls go to AWS. moto's documentation says mocks must be set "
            "up before the boto3 client is established. The guide's Unit Testing section "
            "builds tests on moto.\n\n"
            "Not reported: clients with `endpoint_url` (moto server, LocalStack) or explicit "
            "fake credentials, clients created after a module-level `mock.start()` or inside "
            "`with mock_aws():`, clients created after `os.environ[\"AWS_ACCESS_KEY_ID\"]` is "
            "set at module level, and modules that use only `botocore.stub.Stubber` (a "
            "Stubber patches a client whenever it was created)."
        ),
        example=(
            "import boto3\n"
            "from moto import mock_aws\n\n"
            "s3 = boto3.client(\"s3\", region_name=\"us-east-1\")\n\n\n"
            "@mock_aws\n"
            "def test_upload():\n"
            "    s3.create_bucket(Bucket=\"reports\")\n"
            "    s3.put_object(Bucket=\"reports\", Key=\"a.csv\", Body=b\"x\")\n"
        ),
        use_instead=(
            "import boto3\n"
            "import pytest\n"
            "from moto import mock_aws\n\n\n"
            "@pytest.fixture\n"
            "def s3():\n"
            "    with mock_aws():\n"
            "        yield boto3.client(\"s3\", region_name=\"us-east-1\")\n\n\n"
            "def test_upload(s3):\n"
            "    s3.create_bucket(Bucket=\"reports\")\n"
            "    s3.put_object(Bucket=\"reports\", Key=\"a.csv\", Body=b\"x\")\n"
        ),
        references=(
            "https://docs.getmoto.org/en/latest/docs/getting_started.html",
        ),
        example_filename="test_example.py",
    ),
)


# ---------------------------------------------------------------------------- AWSBP803
class _TestState:
    """Stubber activity in one test function."""

    __slots__ = (
        "activations",
        "asserted",
        "clients",
        "direct",
        "escaped",
        "node",
        "stubbers",
    )

    def __init__(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.node = node
        self.stubbers: set[str] = set()
        self.clients: set[str] = set()
        self.activations: list[ast.AST] = []
        self.asserted = False
        self.escaped = False
        self.direct = False


def _dotted(expr: ast.expr) -> str | None:
    """``client`` or ``self.client`` as text, for matching a Stubber's client."""
    parts = qualname_parts(expr)
    return ".".join(parts) if parts else None


class StubberChecker(TestModuleChecker):
    """AWSBP803: a Stubber activated in a test that never asserts no pending responses."""

    TEXT_GATE = any_word("Stubber")

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._states: list[_TestState] = []

    def _current(self) -> _TestState | None:
        if not self._states or self._states[-1].node is not self.ctx.frame.node:
            return None
        return self._states[-1]

    def _enter(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if node.name.startswith("test"):
            self._states.append(_TestState(node))

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._enter(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._enter(node)

    def leave_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._leave(node)

    def leave_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._leave(node)

    def _leave(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if not self._states or self._states[-1].node is not node:
            return
        state = self._states.pop()
        if state.asserted or state.escaped or state.direct:
            return
        for activation in state.activations:
            self.ctx.report(UNCHECKED_STUBBER, activation, function=node.name)

    def _is_stubber_call(self, expr: ast.expr) -> bool:
        if not isinstance(expr, ast.Call) or not isinstance(
            expr.func, (ast.Name, ast.Attribute)
        ):
            return False
        if self.model.qualname(expr.func) != _STUBBER:
            return False
        state = self._current()
        if state is not None and expr.args:
            key = _dotted(expr.args[0])
            if key is not None:
                state.clients.add(key)
        return True

    def visit_Assign(self, node: ast.Assign) -> None:
        state = self._current()
        if state is None or not self._is_stubber_call(node.value):
            return
        for target in node.targets:
            if isinstance(target, ast.Name):
                state.stubbers.add(target.id)
            else:
                state.escaped = True  # self.stubber = Stubber(...): checked elsewhere

    def visit_With(self, node: ast.With) -> None:
        state = self._current()
        if state is None:
            return
        for item in node.items:
            expr = item.context_expr
            if self._is_stubber_call(expr) or (
                isinstance(expr, ast.Name) and expr.id in state.stubbers
            ):
                state.activations.append(expr)
                if isinstance(item.optional_vars, ast.Name):
                    state.stubbers.add(item.optional_vars.id)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr == "assert_no_pending_responses" and self._states:
            for state in self._states:
                state.asserted = True

    def visit_Call(self, node: ast.Call) -> None:
        state = self._current()
        if state is None:
            return
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "activate":
            owner = func.value
            if self._is_stubber_call(owner) or (
                isinstance(owner, ast.Name) and owner.id in state.stubbers
            ):
                state.activations.append(node)
            return
        if isinstance(func, ast.Attribute) and not func.attr.startswith("_"):
            key = _dotted(func.value)
            if key is not None and key in state.clients:
                # the test calls the stubbed client itself: an unused response would
                # show as a failed call or assertion, not go unnoticed
                state.direct = True
        if state.stubbers and any(
            isinstance(a, ast.Name) and a.id in state.stubbers
            for a in (*node.args, *(kw.value for kw in node.keywords))
        ):
            state.escaped = True  # handed to a helper that may check it

    def visit_Return(self, node: ast.Return) -> None:
        self._escape(node.value)

    def visit_Yield(self, node: ast.Yield) -> None:
        self._escape(node.value)

    def _escape(self, value: ast.expr | None) -> None:
        state = self._current()
        if state is not None and isinstance(value, ast.Name) and value.id in state.stubbers:
            state.escaped = True


UNCHECKED_STUBBER = Rule(
    code="AWSBP803",
    msgid="W7377",
    symbol="stubber-without-pending-check",
    message=(
        "botocore Stubber activated in test '{function}' that never calls "
        "assert_no_pending_responses(); expected calls that never happen go unnoticed"
    ),
    summary="botocore Stubber used in a test that never calls assert_no_pending_responses()",
    guide_section="Testing and Validation › Unit Testing",
    checker=StubberChecker,
    min_evidence=Evidence.HIGH,
    docs=RuleDocs(
        what=(
            "Finds `botocore.stub.Stubber` objects activated in a test function "
            "(`stubber.activate()`, `with Stubber(client):`, `with stubber:`) when the test "
            "never calls (or registers, e.g. with `addCleanup`) "
            "`assert_no_pending_responses()`."
        ),
        why=(
            "A Stubber only fails when the code makes a call it did not expect. If the code "
            "stops making an expected call (a refactoring drops the `delete_object`), the "
            "queued response is simply never used and the test still passes. "
            "`stubber.assert_no_pending_responses()` at the end of the test turns that into "
            "a failure. The guide's Unit Testing section asks for tests that validate the "
            "AWS interactions.\n\n"
            "Not reported: tests that call the stubbed client themselves (an unused "
            "response then shows up as a failing call or assertion), stubbers stored on "
            "`self` (set up and checked in `setUp`/`tearDown`), returned or yielded "
            "(fixtures), or passed to a helper function that may do the check."
        ),
        example=(
            "import boto3\n"
            "from botocore.stub import Stubber\n\n"
            "from reports import archive_report\n\n\n"
            "def test_archive_report():\n"
            "    s3 = boto3.client(\"s3\", region_name=\"us-east-1\")\n"
            "    stubber = Stubber(s3)\n"
            "    stubber.add_response(\"copy_object\", {})\n"
            "    stubber.add_response(\"delete_object\", {})\n"
            "    stubber.activate()\n"
            "    archive_report(s3, \"reports\", \"2024.csv\")\n"
        ),
        use_instead=(
            "import boto3\n"
            "from botocore.stub import Stubber\n\n"
            "from reports import archive_report\n\n\n"
            "def test_archive_report():\n"
            "    s3 = boto3.client(\"s3\", region_name=\"us-east-1\")\n"
            "    stubber = Stubber(s3)\n"
            "    stubber.add_response(\"copy_object\", {})\n"
            "    stubber.add_response(\"delete_object\", {})\n"
            "    with stubber:\n"
            "        archive_report(s3, \"reports\", \"2024.csv\")\n"
            "    stubber.assert_no_pending_responses()\n"
        ),
        references=(
            "https://botocore.amazonaws.com/v1/documentation/api/latest/reference/stubber.html",
        ),
        example_filename="test_example.py",
    ),
)


# ---------------------------------------------------------------------------- AWSBP804
#: Text that shows a test mocks AWS or talks to a local or real endpoint on purpose.
_MOCKING_SUBSTRINGS = (
    "Stubber", "botocore.stub", "endpoint_url", "localstack", "LocalStack", "unittest.mock",
    "monkeypatch", "MagicMock", "placebo", "pytest_mock", "responses", "integration",
    "AWS_ENDPOINT_URL",
)
_MOCKING_WORDS = ("moto", "mock", "mocker", "patch", "e2e", "live")


def _mentions_mocking(text: str) -> bool:
    """Whether ``text`` mentions mocking (substring and whole-word tests, at C speed)."""
    return any(word in text for word in _MOCKING_SUBSTRINGS) or any(
        has_word(text, word) for word in _MOCKING_WORDS
    )


#: Client and resource methods that make no request.
_OFFLINE_METHODS = frozenset(
    {"get_paginator", "get_waiter", "can_paginate", "close", "generate_presigned_url",
     "generate_presigned_post", "Table", "Bucket", "Object", "Queue", "Topic", "Instance"}
)
_API_KINDS = frozenset({Kind.CLIENT, Kind.RESOURCE, Kind.TABLE, Kind.BUCKET, Kind.OBJECT})


class UnmockedClientChecker(TestModuleChecker):
    """AWSBP804: boto3 clients in a test module with no mocking in sight."""

    @classmethod
    def wanted(cls, ctx: FileContext, text: str) -> bool:
        """Only test modules that are not integration tests (by path)."""
        return "integ" not in ctx.filename.lower() and super().wanted(ctx, text)

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._api_call = False
        self._calls: list[tuple[ast.Call, str]] = []

    def visit_Call(self, node: ast.Call) -> None:
        value = self.model.factory_value(node)
        if value is None:
            self._note_api_call(node)
            return
        if value.kind in _CLIENT_KINDS and self.ctx.accepts(UNMOCKED_TEST_CLIENT, value.evidence):
            self._calls.append((node, kind_label(value)))

    def _note_api_call(self, node: ast.Call) -> None:
        """A call that goes over the network: ``s3.list_buckets()``, ``table.put_item()``."""
        func = node.func
        if self._api_call or not isinstance(func, ast.Attribute):
            return
        if func.attr.startswith("_") or func.attr in _OFFLINE_METHODS:
            return
        owner = self.model.infer(func.value)
        if owner is not None and owner.kind in _API_KINDS:
            self._api_call = True

    def end_module(self) -> None:
        if not self._calls or not self._api_call:
            return
        if _mentions_mocking(self.ctx.text):
            return
        for node, kind in self._calls:
            self.ctx.report(UNMOCKED_TEST_CLIENT, node, kind=kind)


UNMOCKED_TEST_CLIENT = Rule(
    code="AWSBP804",
    msgid="W7378",
    symbol="unmocked-aws-client-in-test",
    message=(
        "boto3 {kind} created in a test module with no moto, Stubber, endpoint_url or mock "
        "in sight; the test talks to real AWS: use mock_aws() or stub the client"
    ),
    summary="Test module creates boto3 clients without moto, Stubber, endpoint_url or mocks",
    guide_section="Testing and Validation › Unit Testing",
    checker=UnmockedClientChecker,
    default_enabled=False,
    min_evidence=Evidence.HIGH,
    docs=RuleDocs(
        what=(
            "Finds boto3 clients and resources created in a test module that makes AWS "
            "calls and whose text shows no sign of mocking or of a local endpoint: no moto, "
            "no `Stubber`, no `endpoint_url`/LocalStack, no `unittest.mock`/`mock`/`mocker`/"
            "`monkeypatch`/`patch`, and no `integration`/`e2e`/`live` marker or file name."
        ),
        why=(
            "A unit test that builds a real client calls real AWS: it needs credentials, "
            "costs money, is slow and flaky, and can modify a real account. The guide's "
            "Unit Testing section uses moto, and its Integration Testing section "
            "LocalStack.\n\n"
            "Off by default: mocks are often set up out of sight (a `conftest.py` fixture "
            "that starts `mock_aws`, an autouse fixture, environment variables such as "
            "`AWS_ENDPOINT_URL`), which a single-file check cannot see. Enable it with "
            "`awsbp-enable = AWSBP804` in projects that mock in each test module."
        ),
        example=(
            "import boto3\n\n\n"
            "def test_bucket_is_created():\n"
            "    s3 = boto3.client(\"s3\", region_name=\"us-east-1\")\n"
            "    s3.create_bucket(Bucket=\"reports\")\n"
            "    assert s3.list_buckets()[\"Buckets\"]\n"
        ),
        use_instead=(
            "import boto3\n"
            "from moto import mock_aws\n\n\n"
            "@mock_aws\n"
            "def test_bucket_is_created():\n"
            "    s3 = boto3.client(\"s3\", region_name=\"us-east-1\")\n"
            "    s3.create_bucket(Bucket=\"reports\")\n"
            "    assert s3.list_buckets()[\"Buckets\"]\n"
        ),
        references=(
            "https://docs.getmoto.org/en/latest/docs/getting_started.html",
            "https://docs.localstack.cloud/user-guide/integrations/sdks/python/",
        ),
        example_filename="test_example.py",
    ),
)

RULES: tuple[Rule, ...] = (
    REMOVED_MOTO_MOCK,
    IMPORT_TIME_CLIENT,
    UNCHECKED_STUBBER,
    UNMOCKED_TEST_CLIENT,
)
