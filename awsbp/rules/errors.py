"""Error handling: AWS errors swallowed, dispatched without fall-through, retried by hand."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator

from awsbp.checker import Checker, FileContext
from awsbp.evidence import Evidence
from awsbp.model import SemanticModel, literal_str, qualname_parts
from awsbp.registry import Rule, RuleDocs
from awsbp.textgate import any_word
from awsbp.values import Kind

#: Import paths of the catch-all botocore exceptions.
GENERIC_AWS_ERRORS = frozenset(
    {"botocore.exceptions.ClientError", "botocore.exceptions.BotoCoreError"}
)

_GENERIC_NAMES = frozenset({"ClientError", "BotoCoreError"})
#: Libraries with a ``ClientError`` of their own.
_NON_AWS_ERROR_MODULES = frozenset(
    {"aiohttp", "google", "httpx", "requests", "kubernetes", "docker", "azure", "grpc",
     "urllib3", "openstack", "keystoneauth1", "oci", "hvac", "github", "gitlab", "slack_sdk"}
)

#: Error codes of throttling errors (botocore's standard retry mode list, plus S3's).
THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
        "EC2ThrottledException",
    }
)

#: Logging methods below warning level.
LOW_LOG_METHODS = frozenset({"debug", "info"})
#: Logging methods at warning level or above (``log`` takes a level: counted as logging).
LOG_METHODS = frozenset({"warning", "warn", "error", "exception", "critical", "fatal", "log"})

_AWS_KINDS = frozenset(
    {Kind.CLIENT, Kind.RESOURCE, Kind.TABLE, Kind.BUCKET, Kind.OBJECT, Kind.PAGINATOR,
     Kind.WAITER}
)

WALK_LIMIT = 4000
_NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


# ---------------------------------------------------------------------------- helpers
def bounded_walk(roots: Iterable[ast.AST], limit: int = WALK_LIMIT) -> Iterator[ast.AST]:
    """Nodes under ``roots`` (roots included), not entering nested defs, classes or lambdas.

    Stops after ``limit`` nodes, so a handler stays cheap on pathological input.
    """
    stack: list[ast.AST] = list(roots)
    seen = 0
    while stack and seen < limit:
        node = stack.pop()
        seen += 1
        yield node
        if isinstance(node, _NESTED_SCOPES):
            continue
        stack.extend(ast.iter_child_nodes(node))


def receiver_name(expr: ast.expr) -> str | None:
    """The last identifier of a receiver: ``logger``, ``self.log`` -> ``log``."""
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return None


_LOGGER_NAME = re.compile(
    r"(?i)^_*(?:log|logs|logger|logging|lgr|[a-z0-9_]*_log|[a-z0-9_]*logger)$"
)


def is_logger(expr: ast.expr) -> bool:
    """Whether ``expr`` looks like a logger (``logger``, ``LOG``, ``self.log``, ``logging``)."""
    name = receiver_name(expr)
    return name is not None and bool(_LOGGER_NAME.match(name))


def is_logging_call(call: ast.Call, methods: frozenset[str] = LOG_METHODS) -> bool:
    """``<logger>.<method>(...)`` for one of ``methods``."""
    func = call.func
    return isinstance(func, ast.Attribute) and func.attr in methods and is_logger(func.value)


def is_print_call(call: ast.Call) -> bool:
    """A call of the builtin-looking ``print``."""
    return isinstance(call.func, ast.Name) and call.func.id == "print"


def has_exc_info(call: ast.Call) -> bool:
    """Whether the call passes ``exc_info`` (or ``stack_info``) with a value that is not False."""
    for kw in call.keywords:
        if kw.arg in ("exc_info", "stack_info"):
            return not (isinstance(kw.value, ast.Constant) and not kw.value.value)
    return False


def mentions_name(exprs: Iterable[ast.AST], name: str | None) -> bool:
    """Whether any of ``exprs`` reads the variable ``name`` (bounded walk)."""
    if name is None:
        return False
    return any(isinstance(n, ast.Name) and n.id == name for n in bounded_walk(exprs, 500))


def silent_statement(stmt: ast.stmt, exc: str | None = None) -> bool:
    """``pass``, ``continue``, ``...``, a docstring, a debug/info log, or a ``print``.

    A ``print`` that shows the exception ``exc`` (a command-line tool reporting the
    error to its user) is not silent.
    """
    if isinstance(stmt, (ast.Pass, ast.Continue)):
        return True
    if not isinstance(stmt, ast.Expr):
        return False
    value = stmt.value
    if isinstance(value, ast.Constant):
        return True
    if isinstance(value, ast.Call):
        if is_print_call(value):
            return not mentions_name([*value.args, *(k.value for k in value.keywords)], exc)
        return is_logging_call(value, LOW_LOG_METHODS) and not has_exc_info(value)
    return False


class CaughtError:
    """One AWS exception class named by an ``except`` clause (immutable)."""

    __slots__ = ("evidence", "generic", "label", "name")

    def __init__(self, label: str, name: str, generic: bool, evidence: Evidence) -> None:
        self.label = label
        self.name = name
        self.generic = generic
        self.evidence = evidence


def _classify_exception(model: SemanticModel, expr: ast.expr) -> CaughtError | None:
    qual = model.qualname(expr)
    if qual is not None:
        name = qual.rpartition(".")[2]
        if qual in GENERIC_AWS_ERRORS:
            return CaughtError(name, name, True, Evidence.HIGH)
        if (
            name in _GENERIC_NAMES
            and qual.split(".")[0] not in _NON_AWS_ERROR_MODULES
            and model.imports_aws
        ):
            # a project's re-export (``from c7n.exceptions import ClientError``)
            return CaughtError(name, name, True, Evidence.MEDIUM)
        return None
    if not (
        isinstance(expr, ast.Attribute)
        and isinstance(expr.value, ast.Attribute)
        and expr.value.attr == "exceptions"
    ):
        return None
    owner = expr.value.value
    if model.qualname(owner) is not None:
        # requests.exceptions.X, some_module.exceptions.X: not a botocore client
        return None
    value = model.resolve_receiver(owner)
    if value is not None and value.kind is not Kind.CLIENT:
        return None
    if value is None and not model.imports_aws:
        return None
    evidence = value.evidence if value is not None else Evidence.MEDIUM
    parts = qualname_parts(expr)
    label = ".".join(parts[-3:]) if parts else f"exceptions.{expr.attr}"
    return CaughtError(label, expr.attr, expr.attr == "ClientError", evidence)


def caught_aws_errors(model: SemanticModel, handler: ast.ExceptHandler) -> list[CaughtError]:
    """AWS exceptions an ``except`` clause catches (ClientError, client.exceptions.X...)."""
    type_ = handler.type
    if type_ is None:
        return []
    elts = type_.elts if isinstance(type_, ast.Tuple) else [type_]
    found: list[CaughtError] = []
    for elt in elts:
        caught = _classify_exception(model, elt)
        if caught is not None:
            found.append(caught)
    return found


def catches_everything(handler: ast.ExceptHandler) -> bool:
    """``except:``, ``except Exception``, ``except BaseException`` (alone or in a tuple)."""
    type_ = handler.type
    if type_ is None:
        return True
    elts = type_.elts if isinstance(type_, ast.Tuple) else [type_]
    return any(isinstance(e, ast.Name) and e.id in ("Exception", "BaseException") for e in elts)


def _generic(caught: list[CaughtError], rule: Rule, ctx: FileContext) -> CaughtError | None:
    for item in caught:
        if item.generic and ctx.accepts(rule, item.evidence):
            return item
    return None


# ---------------------------------------------------------------------------- error codes
def _is_response(expr: ast.expr, exc: str) -> bool:
    return (
        isinstance(expr, ast.Attribute)
        and expr.attr == "response"
        and isinstance(expr.value, ast.Name)
        and expr.value.id == exc
    )


def _key_of(expr: ast.expr, key: str, inner: ast.expr | None = None) -> ast.expr | None:
    """The container of ``x[key]`` / ``x.get(key, ...)``, else None."""
    if isinstance(expr, ast.Subscript) and literal_str(expr.slice) == key:
        return expr.value
    if (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr == "get"
        and expr.args
        and literal_str(expr.args[0]) == key
    ):
        return expr.func.value
    return inner


class CodeNames:
    """Names bound, in one handler, to ``e.response["Error"]`` and to its ``"Code"``."""

    __slots__ = ("code_vars", "error_vars", "exc")

    def __init__(self, exc: str, error_vars: set[str], code_vars: set[str]) -> None:
        self.exc = exc
        self.error_vars = error_vars
        self.code_vars = code_vars

    def is_error_dict(self, expr: ast.expr) -> bool:
        """``e.response["Error"]``, ``e.response.get("Error", {})`` or a name bound to it."""
        if isinstance(expr, ast.Name):
            return expr.id in self.error_vars
        container = _key_of(expr, "Error")
        return container is not None and _is_response(container, self.exc)

    def is_code(self, expr: ast.expr) -> bool:
        """``<error dict>["Code"]``, ``.get("Code")`` or a name bound to one."""
        if isinstance(expr, ast.Name):
            return expr.id in self.code_vars
        container = _key_of(expr, "Code")
        return container is not None and self.is_error_dict(container)

    def bind(self, stmt: ast.stmt) -> bool:
        """Record ``code = e.response[...]...``; True when ``stmt`` is such a binding."""
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            target, value = stmt.target, stmt.value
        else:
            return False
        if not isinstance(target, ast.Name):
            return False
        if self.is_code(value):
            self.code_vars.add(target.id)
            return True
        if self.is_error_dict(value):
            self.error_vars.add(target.id)
            return True
        return False


def _string_values(expr: ast.expr, str_consts: dict[str, str]) -> list[str]:
    if isinstance(expr, (ast.Tuple, ast.List, ast.Set)):
        out: list[str] = []
        for elt in expr.elts:
            out.extend(_string_values(elt, str_consts))
        return out
    text = literal_str(expr)
    if text is None and isinstance(expr, ast.Name):
        text = str_consts.get(expr.id)
    return [text] if text is not None else []


def dispatch_codes(
    test: ast.expr, names: CodeNames, str_consts: dict[str, str]
) -> list[str] | None:
    """The codes an ``if`` test matches positively (``code == "X"``, ``code in (...)``).

    None when the test does not compare the error code, or compares it negatively
    (``!=``, ``not in``, ``not``), which usually guards a re-raise.
    """
    stack: list[ast.expr] = [test]
    codes: list[str] = []
    compared = False
    while stack:
        node = stack.pop()
        if isinstance(node, ast.BoolOp):
            stack.extend(node.values)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return None
        elif isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for index, op in enumerate(node.ops):
                left, right = operands[index], operands[index + 1]
                if names.is_code(left):
                    other = right
                elif names.is_code(right):
                    other = left
                else:
                    continue
                if not isinstance(op, (ast.Eq, ast.In, ast.Is)):
                    return None
                compared = True
                codes.extend(_string_values(other, str_consts))
    return codes if compared else None


def _dispatch_chain(
    stmt: ast.If, names: CodeNames, str_consts: dict[str, str]
) -> list[str] | None:
    """Codes of an ``if``/``elif`` chain on the error code that has no ``else``."""
    codes: list[str] = []
    node = stmt
    while True:
        matched = dispatch_codes(node.test, names, str_consts)
        if matched is None:
            return None
        codes.extend(matched)
        if not node.orelse:
            return codes
        if len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If):
            node = node.orelse[0]
            continue
        return None


# ---------------------------------------------------------------------------- sleeping
def _is_sleep(model: SemanticModel, call: ast.Call) -> bool:
    qual = model.qualname(call.func) if isinstance(call.func, (ast.Name, ast.Attribute)) else None
    return qual in ("time.sleep", "asyncio.sleep", "gevent.sleep", "eventlet.sleep")


def _module_string_collections(tree: ast.Module) -> dict[str, list[str]]:
    """Module-level ``NAME = ("a", "b")`` (tuples, lists, sets, frozensets of strings)."""
    out: dict[str, list[str]] = {}
    for stmt in tree.body:
        if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1:
            continue
        target = stmt.targets[0]
        if not isinstance(target, ast.Name):
            continue
        value = stmt.value
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name)
            and value.func.id in ("frozenset", "set", "tuple", "list")
            and len(value.args) == 1
        ):
            value = value.args[0]
        if isinstance(value, (ast.Tuple, ast.List, ast.Set)):
            strings = [s for s in (literal_str(e) for e in value.elts) if s is not None]
            if strings:
                out[target.id] = strings
    return out


def _throttling_text(text: str) -> bool:
    return text in THROTTLING_CODES or "throttl" in text.lower()


# ---------------------------------------------------------------------------- checker
class _HandlerCandidate:
    """AWSBP413: an ``except Exception`` in a Lambda handler, pending the AWS-call check."""

    __slots__ = ("callees", "handler", "has_aws_call", "try_node")

    def __init__(
        self, handler: ast.ExceptHandler, try_node: ast.Try, has_aws_call: bool, callees: set[str]
    ) -> None:
        self.handler = handler
        self.try_node = try_node
        self.has_aws_call = has_aws_call
        self.callees = callees


class ErrorHandlingChecker(Checker):
    """AWSBP410-AWSBP413: what ``except`` clauses do with AWS errors."""

    TEXT_GATE = any_word("except")

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._collections: dict[str, list[str]] | None = None
        self._open_tries: list[_HandlerCandidate] = []
        self._pending: list[_HandlerCandidate] = []
        self._aws_functions: set[str] = set()
        if not ctx.model.handlers:
            # AWSBP413 is about Lambda handlers: without one, calls and tries do not matter
            self.skip_handlers = frozenset({"visit_Call", "visit_Try", "leave_Try"})

    # -- shared --------------------------------------------------------------
    def _str_consts(self) -> dict[str, str]:
        return self.model.module_string_constants()

    def _string_collections(self) -> dict[str, list[str]]:
        if self._collections is None:
            self._collections = _module_string_collections(self.model.tree)
        return self._collections

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        caught = caught_aws_errors(self.model, node)
        if not caught:
            return
        # Tests ignore errors on purpose (the assertion is elsewhere): AWSBP410/411 skip them.
        production = not self.ctx.is_test_file
        generic = _generic(caught, SWALLOWED_AWS_ERROR, self.ctx)
        if production and generic is not None and node.body and all(
            silent_statement(s, node.name) for s in node.body
        ):
            self.ctx.report(SWALLOWED_AWS_ERROR, node, exc=generic.label)
        if production and node.name:
            self._check_dispatch(node, caught)
        if self.ctx.frame.in_loop():
            self._check_retry(node, caught)

    # -- AWSBP411 ------------------------------------------------------------
    def _check_dispatch(self, node: ast.ExceptHandler, caught: list[CaughtError]) -> None:
        generic = _generic(caught, CODE_DISPATCH_FALLTHROUGH, self.ctx)
        if generic is None or node.name is None:
            return
        names = CodeNames(node.name, set(), set())
        first: ast.If | None = None
        codes: list[str] = []
        for stmt in node.body:
            if names.bind(stmt) or silent_statement(stmt, node.name):
                continue
            if isinstance(stmt, ast.If):
                matched = _dispatch_chain(stmt, names, self._str_consts())
                if matched is not None:
                    first = first or stmt
                    codes.extend(matched)
                    continue
            return
        if first is None:
            return
        unique = list(dict.fromkeys(codes))
        shown = ", ".join(repr(c) for c in unique[:4]) if unique else "the matched ones"
        if len(unique) > 4:
            shown += ", ..."
        self.ctx.report(CODE_DISPATCH_FALLTHROUGH, first, exc=generic.label, codes=shown)

    # -- AWSBP412 ------------------------------------------------------------
    def _check_retry(self, node: ast.ExceptHandler, caught: list[CaughtError]) -> None:
        frame = self.ctx.frame
        loop = frame.loop_nodes[-1] if frame.loop_nodes else None
        if not isinstance(loop, (ast.For, ast.AsyncFor, ast.While)):
            return
        accepted = [c for c in caught if self.ctx.accepts(HAND_ROLLED_RETRY, c.evidence)]
        if not accepted:
            return
        codes = [c.name for c in accepted if not c.generic and _throttling_text(c.name)]
        if not codes and not any(c.generic for c in accepted):
            return
        slept = False
        collections = self._string_collections()
        str_consts = self._str_consts()
        for sub in bounded_walk(node.body):
            if isinstance(sub, ast.Call) and _is_sleep(self.model, sub):
                slept = True
            elif isinstance(sub, ast.Compare):
                for operand in (sub.left, *sub.comparators):
                    values = _string_values(operand, str_consts)
                    if isinstance(operand, ast.Name):
                        values = values + collections.get(operand.id, [])
                    codes.extend(v for v in values if _throttling_text(v))
        if not codes:
            return
        if not slept:
            # A sleep outside the handler is a retry only when success leaves the loop;
            # otherwise it is a polling interval (``while True: try: poll() ...; sleep(n)``).
            slept = self._sleeps_in_loop_body(loop) and self._exits_on_success(loop, node)
        if slept:
            unique = list(dict.fromkeys(codes))
            shown = ", ".join(unique[:3]) + (", ..." if len(unique) > 3 else "")
            self.ctx.report(HAND_ROLLED_RETRY, node, codes=shown)

    @staticmethod
    def _exits_on_success(
        loop: ast.For | ast.AsyncFor | ast.While, handler: ast.ExceptHandler
    ) -> bool:
        """A ``return``/``break`` in the try's body or else, or in the loop body after it."""
        try_node = next(
            (s for s in loop.body if isinstance(s, ast.Try) and handler in s.handlers), None
        )
        if try_node is None:
            return False
        for sub in bounded_walk([*try_node.body, *try_node.orelse], 500):
            if isinstance(sub, (ast.Return, ast.Break)):
                return True
        after = loop.body[loop.body.index(try_node) + 1:]
        return any(isinstance(stmt, (ast.Return, ast.Break)) for stmt in after)

    def _sleeps_in_loop_body(self, loop: ast.For | ast.AsyncFor | ast.While) -> bool:
        """A ``sleep`` among the loop body's own statements (``try ...; sleep(n)``)."""
        for stmt in loop.body:
            value = stmt.value if isinstance(stmt, ast.Expr) else None
            if isinstance(value, ast.Await):
                value = value.value
            if isinstance(value, ast.Call) and _is_sleep(self.model, value):
                return True
        return False

    # -- AWSBP413 ------------------------------------------------------------
    def visit_Try(self, node: ast.Try) -> None:
        frame = self.ctx.frame
        if not frame.is_handler or not node.body:
            return
        for handler in node.handlers:
            if catches_everything(handler) and self._unlogged_return(handler):
                cand = _HandlerCandidate(handler, node, False, set())
                self._open_tries.append(cand)
                self._pending.append(cand)

    def leave_Try(self, node: ast.Try) -> None:
        while self._open_tries and self._open_tries[-1].try_node is node:
            self._open_tries.pop()

    def visit_Call(self, node: ast.Call) -> None:
        top = self.model.top_function
        if top is None or not self.model.handlers:
            return
        is_aws = self._is_aws_call(node)
        if is_aws:
            self._aws_functions.add(top)
        if not self._open_tries:
            return
        line = getattr(node, "lineno", 0)
        callee = node.func.id if isinstance(node.func, ast.Name) else None
        for cand in self._open_tries:
            body = cand.try_node.body
            end = getattr(body[-1], "end_lineno", None) or body[-1].lineno
            if body[0].lineno <= line <= end:
                if is_aws:
                    cand.has_aws_call = True
                elif callee is not None:
                    cand.callees.add(callee)

    def _is_aws_call(self, node: ast.Call) -> bool:
        func = node.func
        if not isinstance(func, ast.Attribute):
            return False
        if self.model.factory_value(node) is not None:
            return True
        value = self.model.resolve_receiver(func.value)
        return (
            value is not None
            and value.kind in _AWS_KINDS
            and self.ctx.accepts(UNLOGGED_HANDLER_ERROR, value.evidence)
        )

    def _unlogged_return(self, handler: ast.ExceptHandler) -> bool:
        """The handler returns, never raises, and does not log or pass on the exception."""
        exc = handler.name
        returns = False
        for sub in bounded_walk(handler.body):
            if isinstance(sub, ast.Raise):
                return False
            if isinstance(sub, ast.Return):
                returns = True
            elif isinstance(sub, ast.Call) and self._records(sub, exc):
                return False
        return returns

    @staticmethod
    def _records(call: ast.Call, exc: str | None) -> bool:
        """Whether a call logs or hands on the exception."""
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in _RECORDING_CALLS or has_exc_info(call):
            return True
        if exc is None or name in _PURE_CALLS:
            return False
        args: list[ast.expr] = [*call.args, *(kw.value for kw in call.keywords)]
        for arg in args:
            for sub in bounded_walk([arg], 200):
                if isinstance(sub, ast.Name) and sub.id == exc:
                    if isinstance(arg, ast.Call) and _only_pure(arg, exc):
                        break
                    return True
        return False

    def end_module(self) -> None:
        if not self._pending:
            return
        aws_functions = self._reaching_aws()
        for cand in self._pending:
            if cand.has_aws_call or cand.callees & aws_functions:
                self.ctx.report(UNLOGGED_HANDLER_ERROR, cand.handler)

    def _reaching_aws(self) -> set[str]:
        """Module-level functions that make AWS calls, directly or through others."""
        reaching = set(self._aws_functions)
        changed = True
        calls = self.model.calls_from
        while changed:
            changed = False
            for name, callees in calls.items():
                if name not in reaching and callees & reaching:
                    reaching.add(name)
                    changed = True
        return reaching


#: Calls that log or report the current exception whatever their arguments.
_RECORDING_CALLS = frozenset(
    {
        "exception", "print_exc", "print_exception", "format_exc", "format_exception",
        "capture_exception", "captureException", "record_exception", "notify_exception",
    }
)
#: Calls that only turn the exception into data for the response.
_PURE_CALLS = frozenset(
    {"str", "repr", "dumps", "dict", "format", "type", "getattr", "isinstance", "len", "list",
     "join", "jsonify", "hasattr"}
)


def _only_pure(call: ast.Call, exc: str) -> bool:
    """``str(e)``, ``json.dumps({"error": str(e)})``: the exception only becomes data."""
    for sub in bounded_walk([call], 200):
        if isinstance(sub, ast.Call):
            func = sub.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in _PURE_CALLS:
                return False
    return True


# ---------------------------------------------------------------------------- rules
SWALLOWED_AWS_ERROR = Rule(
    code="AWSBP410",
    msgid="W7365",
    symbol="aws-error-swallowed",
    message=(
        "swallowed '{exc}': handle the error codes you expect, and re-raise or log the "
        "rest at warning level or above"
    ),
    summary="ClientError/BotoCoreError caught with a body that only passes, continues or prints",
    guide_section=(
        "Error Handling › Response Standards (distinguish transient and permanent errors)"
    ),
    checker=ErrorHandlingChecker,
    min_evidence=Evidence.MEDIUM,
    docs=RuleDocs(
        what=(
            "Finds `except` clauses that catch botocore's catch-all exceptions (`ClientError` "
            "or `BotoCoreError` from `botocore.exceptions`, under any alias, "
            "`<client>.exceptions.ClientError`, or a tuple containing one) whose body only "
            "does `pass`, `continue`, `...`, `print(...)` or `logger.debug/info(...)`."
        ),
        why=(
            "`ClientError` covers every error an AWS API returns: a missing resource, but "
            "also `AccessDenied`, throttling, validation errors and service outages. "
            "Dropping all of them hides permissions bugs and outages behind a code path "
            "that looks like \"not found\". The guide's Error Handling section asks to "
            "\"Distinguish between transient and permanent errors\": test "
            "`e.response[\"Error\"][\"Code\"]` for the codes you expect and re-raise (or "
            "log at warning level or above) the rest.\n\n"
            "Not reported: handlers that re-raise, return (any value), log at warning "
            "level or above, `print` the exception itself (a command-line tool reporting it "
            "to its user), assign, call any other function (for example to record the "
            "error) or contain any other statement; handlers of specific modeled "
            "exceptions such as `s3.exceptions.NoSuchKey` (catching exactly the error you "
            "expect is the recommended pattern); handlers that dispatch on the error code "
            "(see AWSBP411); test files, where errors are often ignored on purpose."
        ),
        example=(
            "import boto3\n"
            "from botocore.exceptions import ClientError\n\n"
            "s3 = boto3.client(\"s3\")\n\n\n"
            "def delete_report(bucket: str, key: str) -> None:\n"
            "    try:\n"
            "        s3.delete_object(Bucket=bucket, Key=key)\n"
            "    except ClientError:\n"
            "        pass\n"
        ),
        use_instead=(
            "import logging\n\n"
            "import boto3\n"
            "from botocore.exceptions import ClientError\n\n"
            "logger = logging.getLogger(__name__)\n"
            "s3 = boto3.client(\"s3\")\n\n\n"
            "def delete_report(bucket: str, key: str) -> None:\n"
            "    try:\n"
            "        s3.delete_object(Bucket=bucket, Key=key)\n"
            "    except ClientError as e:\n"
            "        if e.response[\"Error\"][\"Code\"] != \"NoSuchBucket\":\n"
            "            logger.warning(\"could not delete %s/%s: %s\", bucket, key, e)\n"
            "            raise\n"
        ),
        references=(
            "https://boto3.amazonaws.com/v1/documentation/api/latest/guide/error-handling.html",
        ),
    ),
)

CODE_DISPATCH_FALLTHROUGH = Rule(
    code="AWSBP411",
    msgid="W7366",
    symbol="aws-error-code-unhandled-fallthrough",
    message=(
        "error codes other than {codes} fall through this '{exc}' handler and are "
        "silently dropped; re-raise or log them after the if chain"
    ),
    summary="Error-code dispatch in a ClientError handler with no else and nothing after it",
    guide_section="Error Handling › Exception Hierarchy (error-code dispatch with an else)",
    checker=ErrorHandlingChecker,
    min_evidence=Evidence.MEDIUM,
    docs=RuleDocs(
        what=(
            "Finds `except ClientError as e` (or `BotoCoreError`, "
            "`<client>.exceptions.ClientError`) handlers that compare "
            "`e.response[\"Error\"][\"Code\"]` (also `.get(\"Error\", {}).get(\"Code\")`, "
            "or a variable bound to either) to literals in an `if`/`elif` chain with no "
            "`else`, when nothing in the handler re-raises, returns or logs outside the "
            "chain."
        ),
        why=(
            "The chain handles the codes the author expected; every other code (access "
            "denied, throttling, a service outage) falls off the end of the handler and "
            "execution continues as if the call had succeeded. The guide's Error Handling "
            "example dispatches on `error_code` and ends the chain with an `else` that logs "
            "and returns an error.\n\n"
            "Not reported: chains that end with `else`, handlers with a `raise`, `return` "
            "or warning-level log after the chain, negative tests "
            "(`if code != \"NoSuchKey\": raise`), which already re-raise the rest, and test "
            "files."
        ),
        example=(
            "import boto3\n"
            "from botocore.exceptions import ClientError\n\n"
            "s3 = boto3.client(\"s3\")\n\n\n"
            "def read_config(bucket: str) -> bytes:\n"
            "    data = b\"{}\"\n"
            "    try:\n"
            "        data = s3.get_object(Bucket=bucket, Key=\"config.json\")[\"Body\"].read()\n"
            "    except ClientError as e:\n"
            "        if e.response[\"Error\"][\"Code\"] == \"NoSuchKey\":\n"
            "            data = b\"{}\"\n"
            "    return data\n"
        ),
        use_instead=(
            "import boto3\n"
            "from botocore.exceptions import ClientError\n\n"
            "s3 = boto3.client(\"s3\")\n\n\n"
            "def read_config(bucket: str) -> bytes:\n"
            "    try:\n"
            "        return s3.get_object(Bucket=bucket, Key=\"config.json\")[\"Body\"].read()\n"
            "    except ClientError as e:\n"
            "        if e.response[\"Error\"][\"Code\"] == \"NoSuchKey\":\n"
            "            return b\"{}\"\n"
            "        raise\n"
        ),
        references=(
            "https://boto3.amazonaws.com/v1/documentation/api/latest/guide/error-handling.html",
        ),
    ),
)

HAND_ROLLED_RETRY = Rule(
    code="AWSBP412",
    msgid="W7367",
    symbol="hand-rolled-throttling-retry",
    message=(
        "loop retries throttling errors ({codes}) by hand; configure botocore's "
        "'standard' or 'adaptive' retry mode with Config(retries=...) instead"
    ),
    summary="Loop that catches throttling errors and sleeps to retry them by hand",
    guide_section="AWS SDK (boto3) Optimization › Connection Management (configure retry logic)",
    checker=ErrorHandlingChecker,
    min_evidence=Evidence.MEDIUM,
    docs=RuleDocs(
        what=(
            "Finds `for`/`while` loops with an `except ClientError` (or a modeled throttling "
            "exception such as `<client>.exceptions.ProvisionedThroughputExceededException`) "
            "handler that tests for a throttling error code (`Throttling`, "
            "`ThrottlingException`, `TooManyRequestsException`, "
            "`ProvisionedThroughputExceededException`, `RequestLimitExceeded`, `SlowDown`, "
            "...) and calls `time.sleep`/`asyncio.sleep`, in the handler or in the loop "
            "body, before trying again."
        ),
        why=(
            "botocore already retries throttling errors, with exponential backoff and "
            "jitter, a retry quota that stops retry storms, and (in `adaptive` mode) "
            "client-side rate limiting. A hand-written loop usually sleeps a fixed or "
            "unjittered time, retries on top of botocore's own retries (multiplying the "
            "attempts), and is copied around with different constants. The guide says "
            "\"Configure retry logic with exponential backoff and configurable constants\": "
            "`Config(retries={\"mode\": \"standard\", \"max_attempts\": 10})`.\n\n"
            "Not reported: loops that sleep without testing for throttling (polling a "
            "status) and retries of batch partial failures (`UnprocessedItems`), which "
            "botocore does not retry."
        ),
        example=(
            "import time\n\n"
            "import boto3\n"
            "from botocore.exceptions import ClientError\n\n"
            "sqs = boto3.client(\"sqs\")\n\n\n"
            "def send(queue_url: str, body: str) -> None:\n"
            "    for attempt in range(5):\n"
            "        try:\n"
            "            sqs.send_message(QueueUrl=queue_url, MessageBody=body)\n"
            "            return\n"
            "        except ClientError as e:\n"
            "            if e.response[\"Error\"][\"Code\"] != \"ThrottlingException\":\n"
            "                raise\n"
            "            time.sleep(2**attempt)\n"
        ),
        use_instead=(
            "import boto3\n"
            "from botocore.config import Config\n\n"
            "sqs = boto3.client(\"sqs\", config=Config(retries={\"mode\": \"standard\", "
            "\"max_attempts\": 5}))\n\n\n"
            "def send(queue_url: str, body: str) -> None:\n"
            "    sqs.send_message(QueueUrl=queue_url, MessageBody=body)\n"
        ),
        references=(
            "https://boto3.amazonaws.com/v1/documentation/api/latest/guide/retries.html",
        ),
    ),
)

UNLOGGED_HANDLER_ERROR = Rule(
    code="AWSBP413",
    msgid="W7368",
    symbol="lambda-handler-error-not-logged",
    message=(
        "exception from AWS calls caught in the Lambda handler and returned without being "
        "logged; log it with logger.exception(...) or exc_info=True before returning"
    ),
    summary="except Exception in a Lambda handler that returns an error without logging it",
    guide_section="Error Handling › Exception Hierarchy (log unexpected errors with exc_info)",
    checker=ErrorHandlingChecker,
    min_evidence=Evidence.MEDIUM,
    options=("awsbp-lambda-handlers", "awsbp-lambda-heuristic"),
    docs=RuleDocs(
        what=(
            "Finds `except Exception` (or `BaseException`, or a bare `except:`) clauses in a "
            "Lambda handler whose `try` body makes AWS calls (directly or through module-level "
            "functions the handler calls) and whose body returns (typically a "
            "`{\"statusCode\": 500}` response) without raising and without logging the "
            "exception."
        ),
        why=(
            "Once the handler catches the exception and returns normally, Lambda records a "
            "successful invocation: no error metric, no traceback in CloudWatch Logs, nothing "
            "to alarm on. The guide's Error Handling pattern ends with "
            "`except Exception as e: logger.error(f\"Unexpected error: {e}\", exc_info=True)` "
            "before returning the 500 response.\n\n"
            "Logging is recognised as `logger.exception(...)`, any call with `exc_info`, any "
            "call that is passed the exception (`logger.error(\"...\", e)`, "
            "`report(e)`), `traceback.print_exc()` and `sentry_sdk.capture_exception()`; "
            "`str(e)` or `json.dumps(...)` inside the returned response does not count."
        ),
        example=(
            "import json\n\n"
            "import boto3\n"
            "from botocore.config import Config\n\n"
            "CONFIG = Config(connect_timeout=5, read_timeout=10)\n"
            "table = boto3.resource(\"dynamodb\", config=CONFIG).Table(\"orders\")\n\n\n"
            "def lambda_handler(event, context):\n"
            "    try:\n"
            "        table.put_item(Item={\"id\": event[\"id\"]})\n"
            "        return {\"statusCode\": 200, \"body\": json.dumps({\"ok\": True})}\n"
            "    except Exception:\n"
            "        return {\"statusCode\": 500, \"body\": json.dumps({\"error\": \"oops\"})}\n"
        ),
        use_instead=(
            "import json\n"
            "import logging\n\n"
            "import boto3\n"
            "from botocore.config import Config\n\n"
            "CONFIG = Config(connect_timeout=5, read_timeout=10)\n"
            "logger = logging.getLogger()\n"
            "table = boto3.resource(\"dynamodb\", config=CONFIG).Table(\"orders\")\n\n\n"
            "def lambda_handler(event, context):\n"
            "    try:\n"
            "        table.put_item(Item={\"id\": event[\"id\"]})\n"
            "        return {\"statusCode\": 200, \"body\": json.dumps({\"ok\": True})}\n"
            "    except Exception:\n"
            "        logger.exception(\"order %s failed\", event.get(\"id\"))\n"
            "        return {\"statusCode\": 500, \"body\": json.dumps({\"error\": \"oops\"})}\n"
        ),
        references=(
            "https://docs.aws.amazon.com/lambda/latest/dg/python-exceptions.html",
            "https://docs.aws.amazon.com/lambda/latest/dg/python-logging.html",
        ),
        notes=(
            "Handlers are found by a heuristic (a module-level function taking "
            "`(event, context)`) and by the `awsbp-lambda-handlers` option."
        ),
    ),
)

RULES: tuple[Rule, ...] = (
    SWALLOWED_AWS_ERROR,
    CODE_DISPATCH_FALLTHROUGH,
    HAND_ROLLED_RETRY,
    UNLOGGED_HANDLER_ERROR,
)
