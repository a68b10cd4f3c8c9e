"""Lambda-specific rules: work done on every invocation that belongs at module level."""

from __future__ import annotations

import ast
import re

from awsbp.checker import FileContext, LambdaFileChecker
from awsbp.evidence import Evidence
from awsbp.model import FACTORY_CALL_NAMES, keyword_arg, literal_str, target_names
from awsbp.registry import Rule, RuleDocs
from awsbp.rules.clients import kind_label, non_service_args
from awsbp.textgate import WordGate, any_word

_CACHE_DECORATORS = frozenset({"lru_cache", "cache", "cached", "cached_property", "memoize"})
_CREDENTIAL_KEYWORDS = frozenset(
    {"aws_access_key_id", "aws_secret_access_key", "aws_session_token", "botocore_session"}
)


def is_cached_function(node: ast.AST | None) -> bool:
    """Whether a function is decorated with a memoizing decorator (``lru_cache``...)."""
    decorators = getattr(node, "decorator_list", None) or []
    for deco in decorators:
        target = deco.func if isinstance(deco, ast.Call) else deco
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name in _CACHE_DECORATORS:
            return True
    return False


class _Candidate:
    """A creating call in top-level ``function``, kept for ``end_module`` (immutable)."""

    __slots__ = ("function", "node", "what")

    def __init__(self, function: str, node: ast.Call, what: str) -> None:
        self.function = function
        self.node = node
        self.what = what


class PerInvocationChecker(LambdaFileChecker):
    """Base of the "created on every invocation" rules (AWSBP601, AWSBP605).

    Subclasses call :meth:`note` for a creating call; the creations that happen in
    the Lambda handler path on every invocation are reported at the end. Not
    reported: lazy initialisation into a ``global``, a cache (``CACHE[k] = ...``)
    or an attribute; memoized functions; creations whose arguments come from
    ``event``, from the loop being iterated, or (outside the handler) from the
    calling function's parameters.
    """

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._candidates: list[_Candidate] = []
        self._lazy: set[int] = set()

    def visit_Assign(self, node: ast.Assign) -> None:
        if self.model.top_function is None or not isinstance(node.value, ast.Call):
            return
        scope = self.model.scope
        for target in node.targets:
            if isinstance(target, ast.Name) and target.id in scope.globals_:
                self._lazy.add(id(node.value))
            elif isinstance(target, (ast.Subscript, ast.Attribute)):
                # cache[region] = boto3.client(...) / self.client = ...: caching, not per call
                self._lazy.add(id(node.value))

    def note(self, node: ast.Call, args: list[ast.expr], what: str) -> None:
        """Remember ``node`` when it creates its object on every invocation."""
        top = self.model.top_function
        if top is None or id(node) in self._lazy:
            return
        frame = self.ctx.frame
        if is_cached_function(frame.node):
            return
        if frame.event_names and any(self.model.mentions(a, frame.event_names) for a in args):
            return
        varying = frame.current_loop_vars()
        if varying and any(self.model.mentions(a, varying) for a in args):
            return
        if not frame.is_handler and frame.params and any(
            self.model.mentions(a, frame.params) for a in args
        ):
            return
        self._candidates.append(_Candidate(top, node, what))

    def report(self, candidate: _Candidate) -> None:
        """Report one creation found in the handler path."""
        raise NotImplementedError

    def end_module(self) -> None:
        if not self._candidates:
            return
        path = self.model.handler_path()
        for cand in self._candidates:
            if cand.function in path:
                self.report(cand)


class ClientInHandlerChecker(PerInvocationChecker):
    """AWSBP601: a factory call in a Lambda handler or a function it calls."""

    CALL_NAMES = FACTORY_CALL_NAMES

    def visit_Call(self, node: ast.Call) -> None:
        if self.model.top_function is None:
            return
        value = self.model.factory_value(node)
        if value is None or not self.ctx.accepts(CLIENT_IN_HANDLER, value.evidence):
            return
        for kw in node.keywords:
            if kw.arg in _CREDENTIAL_KEYWORDS and not isinstance(kw.value, ast.Constant):
                return  # assumed-role / per-tenant credentials
        self.note(node, non_service_args(node), kind_label(value))

    def report(self, candidate: _Candidate) -> None:
        self.ctx.report(
            CLIENT_IN_HANDLER, candidate.node, kind=candidate.what, function=candidate.function
        )


CLIENT_IN_HANDLER = Rule(
    code="AWSBP601",
    msgid="W7302",
    symbol="aws-client-in-lambda-handler",
    message=(
        "boto3 {kind} created on every invocation in Lambda handler path '{function}'; "
        "create it once at module level"
    ),
    summary="boto3 client, resource or session created inside a Lambda handler",
    guide_section="Lambda-Specific Best Practices › Cold Start Optimization",
    checker=ClientInHandlerChecker,
    min_evidence=Evidence.MEDIUM,
    options=("awsbp-lambda-handlers", "awsbp-lambda-heuristic"),
    docs=RuleDocs(
        what=(
            "Finds boto3 clients, resources and sessions created inside a Lambda handler, or "
            "inside a module-level function that the handler calls (directly or through "
            "other module-level functions)."
        ),
        why=(
            "Lambda keeps the module loaded between warm invocations. A client created at "
            "module level is built once per execution environment and reuses its HTTPS "
            "connections; one created in the handler is rebuilt on every request, adding "
            "latency and memory. The guide says \"Move AWS clients outside the handler "
            "function\" and \"Initialize resources outside the handler\".\n\n"
            "Not reported: factories whose arguments come from `event` (a per-tenant region "
            "or endpoint), from the calling function's parameters, or from assumed-role "
            "credentials; lazy initialisation into a `global` or a cache "
            "(`CLIENTS[region] = ...`); and functions decorated with `functools.lru_cache`/"
            "`cache`."
        ),
        example=(
            "import boto3\n"
            "from botocore.config import Config\n\n"
            "CONFIG = Config(\n"
            "    connect_timeout=2, read_timeout=5, retries={\"mode\": \"standard\"}\n"
            ")\n\n\n"
            "def lambda_handler(event, context):\n"
            "    s3 = boto3.client(\"s3\", config=CONFIG)\n"
            "    return s3.list_buckets()[\"Buckets\"][0][\"Name\"]\n"
        ),
        use_instead=(
            "import boto3\n"
            "from botocore.config import Config\n\n"
            "CONFIG = Config(\n"
            "    connect_timeout=2, read_timeout=5, retries={\"mode\": \"standard\"}\n"
            ")\n"
            "s3 = boto3.client(\"s3\", config=CONFIG)\n\n\n"
            "def lambda_handler(event, context):\n"
            "    return s3.list_buckets()[\"Buckets\"][0][\"Name\"]\n"
        ),
        references=(
            "https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html",
        ),
        notes=(
            "Handlers are found by a heuristic (a module-level function taking "
            "`(event, context)`) and by the `awsbp-lambda-handlers` option."
        ),
    ),
)



# ---------------------------------------------------------------------------- AWSBP602-604

#: Decorators known to pass a handler through unchanged (Powertools, X-Ray, Sentry...).
_PASS_THROUGH_DECORATORS = frozenset(
    {
        "inject_lambda_context", "capture_lambda_handler", "log_metrics", "event_source",
        "event_parser", "idempotent", "idempotent_function", "validator", "capture",
        "serverless_function", "lambda_handler_decorator",
    }
)

#: Calls whose result the Lambda runtime's JSON encoder rejects, by import path.
_NON_JSON_CALLS: dict[str, str] = {
    "datetime.datetime.now": "a datetime",
    "datetime.datetime.utcnow": "a datetime",
    "datetime.datetime.today": "a datetime",
    "datetime.datetime.fromtimestamp": "a datetime",
    "datetime.datetime.utcfromtimestamp": "a datetime",
    "datetime.datetime.fromisoformat": "a datetime",
    "datetime.datetime.strptime": "a datetime",
    "datetime.datetime.combine": "a datetime",
    "datetime.datetime": "a datetime",
    "datetime.date.today": "a date",
    "datetime.date.fromisoformat": "a date",
    "datetime.date": "a date",
    "datetime.time": "a time",
    "datetime.timedelta": "a timedelta",
    "uuid.uuid1": "a UUID",
    "uuid.uuid4": "a UUID",
    "uuid.uuid5": "a UUID",
    "uuid.UUID": "a UUID",
}
_SET_BUILTINS = frozenset({"set", "frozenset"})

#: Event keys only an API Gateway (or function URL / ALB) event has.
_API_EVENT_KEYS = frozenset(
    {
        "httpMethod", "queryStringParameters", "multiValueQueryStringParameters",
        "pathParameters", "requestContext", "rawPath", "rawQueryString", "routeKey",
        "stageVariables", "multiValueHeaders",
    }
)
#: Response keys only an API Gateway proxy response has (besides ``statusCode``).
_API_RESPONSE_KEYS = frozenset({"headers", "multiValueHeaders", "isBase64Encoded", "cookies"})
_STATUS_TYPOS = frozenset({"statuscode", "status_code"})
MAX_RETURN_DEPTH = 8


def _dict_keys(node: ast.Dict) -> list[str | None]:
    """Literal string keys of a dict display; None for other keys and ``**spread``."""
    return [literal_str(k) if k is not None else None for k in node.keys]


class _HandlerState:
    """What one Lambda handler returns and reads, collected during the walk."""

    __slots__ = ("api_event", "assigned", "node", "returns")

    def __init__(
        self,
        node: ast.FunctionDef | ast.AsyncFunctionDef,
        returns: list[ast.Return],
        assigned: dict[str, ast.expr | None],
        api_event: bool = False,
    ) -> None:
        self.node = node
        self.returns = returns
        self.assigned = assigned
        self.api_event = api_event


class HandlerShapeChecker(LambdaFileChecker):
    """AWSBP602 (async handler), AWSBP603 (non-JSON return), AWSBP604 (no statusCode)."""

    CALL_NAMES = frozenset({"get"})

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._state: _HandlerState | None = None
        self._rebound: set[str] | None = None

    # -- AWSBP602 --------------------------------------------------------------
    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._enter(node)
        if self._state is None or self._state.node is not node:
            return
        for deco in node.decorator_list:
            target = deco.func if isinstance(deco, ast.Call) else deco
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            if name not in _PASS_THROUGH_DECORATORS:
                return  # an unknown decorator may run the coroutine itself
        if node.name in self._module_rebound():
            return  # handler = asyncio_handler(handler)
        self.ctx.report(ASYNC_HANDLER, node, function=node.name)

    def _module_rebound(self) -> set[str]:
        if self._rebound is None:
            self._rebound = set()
            for stmt in self.model.tree.body:
                if isinstance(stmt, ast.Assign):
                    for target in stmt.targets:
                        if isinstance(target, ast.Name):
                            self._rebound.add(target.id)
        return self._rebound

    # -- collection ------------------------------------------------------------
    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._enter(node)

    def _enter(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        frame = self.ctx.frame
        if frame.is_handler and frame.node is node:
            self._state = _HandlerState(node, [], {})

    def _current(self) -> _HandlerState | None:
        state = self._state
        if state is None or self.ctx.frame.node is not state.node:
            return None
        return state

    def visit_Return(self, node: ast.Return) -> None:
        state = self._current()
        if state is not None and node.value is not None:
            state.returns.append(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        state = self._current()
        if state is None:
            return
        for target in node.targets:
            self._bind(state, target, node.value if len(node.targets) == 1 else None)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        state = self._current()
        if state is not None:
            self._bind(state, node.target, node.value)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        state = self._current()
        if state is not None:
            self._bind(state, node.target, None)
            self._bind(state, node.target, None)

    def visit_For(self, node: ast.For) -> None:
        state = self._current()
        if state is not None:
            self._bind(state, node.target, None)
            self._bind(state, node.target, None)

    def visit_With(self, node: ast.With) -> None:
        state = self._current()
        if state is not None:
            for item in node.items:
                if item.optional_vars is not None:
                    self._bind(state, item.optional_vars, None)
                    self._bind(state, item.optional_vars, None)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        state = self._current()
        if state is not None:
            self._bind(state, node.target, None)
            self._bind(state, node.target, None)

    @staticmethod
    def _bind(state: _HandlerState, target: ast.expr, value: ast.expr | None) -> None:
        """Remember single assignments; a second binding of a name forgets it."""
        if not isinstance(target, ast.Name):
            for name in target_names(target):
                state.assigned[name] = None
            return
        if target.id in state.assigned:
            state.assigned[target.id] = None
        else:
            state.assigned[target.id] = value

    def visit_Subscript(self, node: ast.Subscript) -> None:
        state = self._current()
        if state is not None and not state.api_event:
            self._note_event_key(state, node.value, node.slice)

    def visit_Call(self, node: ast.Call) -> None:
        state = self._current()
        if state is None or state.api_event or not isinstance(node.func, ast.Attribute):
            return
        if node.args:
            self._note_event_key(state, node.func.value, node.args[0])

    def _note_event_key(self, state: _HandlerState, owner: ast.expr, key: ast.expr) -> None:
        if (
            isinstance(owner, ast.Name)
            and owner.id in self.ctx.frame.event_names
            and literal_str(key) in _API_EVENT_KEYS
        ):
            state.api_event = True

    # -- evaluation ------------------------------------------------------------
    def leave_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._leave(node)

    def leave_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._leave(node)

    def _leave(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        state = self._state
        if state is None or state.node is not node:
            return
        self._state = None
        for ret in state.returns:
            if ret.value is None:
                continue
            found = self._non_json(ret.value, state, 0)
            if found is not None:
                bad, what = found
                self.ctx.report(NON_JSON_RETURN, bad, what=what, function=node.name)
        self._check_status_codes(state)

    def _non_json(
        self, expr: ast.expr, state: _HandlerState, depth: int
    ) -> tuple[ast.expr, str] | None:
        """The first value in a returned expression that the runtime cannot encode."""
        if depth > MAX_RETURN_DEPTH:
            return None
        if isinstance(expr, (ast.Set, ast.SetComp)):
            return expr, "a set"
        if isinstance(expr, ast.Constant) and isinstance(expr.value, bytes) and depth > 0:
            try:
                expr.value.decode("utf-8")
            except UnicodeDecodeError:
                return expr, "non-UTF-8 bytes"
            return None
        if isinstance(expr, ast.Call):
            what = self._non_json_call(expr)
            return (expr, what) if what is not None else None
        if isinstance(expr, ast.Dict):
            for key, value in zip(expr.keys, expr.values, strict=True):
                if key is None:
                    continue
                found = self._non_json(value, state, depth + 1)
                if found is not None:
                    return found
            return None
        if isinstance(expr, (ast.List, ast.Tuple)):
            for elt in expr.elts:
                if isinstance(elt, ast.Starred):
                    continue
                found = self._non_json(elt, state, depth + 1)
                if found is not None:
                    return found
            return None
        if isinstance(expr, ast.Name):
            bound = state.assigned.get(expr.id)
            if bound is None:
                return None
            found = self._non_json(bound, state, depth + 1)
            return (expr, found[1]) if found is not None else None
        return None

    def _non_json_call(self, call: ast.Call) -> str | None:
        func = call.func
        if isinstance(func, ast.Name) and func.id in _SET_BUILTINS:
            if func.id in self.model.imports or any(
                func.id in scope.bindings for scope in self.model.scopes
            ):
                return None
            return "a set"
        if not isinstance(func, (ast.Name, ast.Attribute)):
            return None
        qual = self.model.qualname(func)
        if qual is None:
            return None
        return _NON_JSON_CALLS.get(qual)

    # -- AWSBP604 --------------------------------------------------------------
    def _check_status_codes(self, state: _HandlerState) -> None:
        dicts = [r.value for r in state.returns if isinstance(r.value, ast.Dict)]
        if not dicts:
            return
        keyed = [(d, _dict_keys(d)) for d in dicts]
        any_status = any("statusCode" in keys for _, keys in keyed)
        for node, keys in keyed:
            if "body" not in keys or "statusCode" in keys or None in keys:
                continue
            typo = next((k for k in keys if k and k.lower() in _STATUS_TYPOS), None)
            api_like = (
                any_status
                or state.api_event
                or typo is not None
                or any(k in _API_RESPONSE_KEYS for k in keys if k)
            )
            if api_like:
                self.ctx.report(MISSING_STATUS_CODE, node, function=state.node.name)


ASYNC_HANDLER = Rule(
    code="AWSBP602",
    msgid="E7369",
    symbol="async-lambda-handler",
    message=(
        "async Lambda handler '{function}' is never awaited by the Python runtime; make it "
        "a plain 'def' that calls asyncio.run(...)"
    ),
    summary="Lambda handler defined with async def (the runtime never awaits it)",
    guide_section="Lambda-Specific Best Practices › Resource Management (proper error handling)",
    checker=HandlerShapeChecker,
    min_evidence=Evidence.LOW,
    options=("awsbp-lambda-handlers", "awsbp-lambda-heuristic"),
    aws_only=False,
    docs=RuleDocs(
        what=(
            "Finds Lambda handlers (module-level `async def` functions taking "
            "`(event, context)`, or named in `awsbp-lambda-handlers`) defined as coroutines."
        ),
        why=(
            "The Python runtime calls the handler and serialises what it returns. An "
            "`async def` handler returns a coroutine object that is never awaited: none of "
            "its code runs, the invocation fails with \"Unable to marshal response: Object "
            "of type coroutine is not JSON serializable\" and Python warns \"coroutine was "
            "never awaited\". The guide recommends asyncio for I/O-bound work; in Lambda, "
            "run it from a synchronous handler with `asyncio.run(main(event))`.\n\n"
            "Not reported: handlers wrapped by a decorator other than the known "
            "pass-through ones (Powertools' `inject_lambda_context`, `capture_lambda_handler`, "
            "`log_metrics`, `event_source`...), since such a decorator may run the coroutine "
            "itself, and handlers rebound at module level (`handler = run_sync(handler)`)."
        ),
        example=(
            "import asyncio\n\n\n"
            "async def fetch(url):\n"
            "    await asyncio.sleep(0.1)\n"
            "    return url\n\n\n"
            "async def lambda_handler(event, context):\n"
            "    pages = await asyncio.gather(*(fetch(u) for u in event[\"urls\"]))\n"
            "    return {\"count\": len(pages)}\n"
        ),
        use_instead=(
            "import asyncio\n\n\n"
            "async def fetch(url):\n"
            "    await asyncio.sleep(0.1)\n"
            "    return url\n\n\n"
            "async def main(event):\n"
            "    pages = await asyncio.gather(*(fetch(u) for u in event[\"urls\"]))\n"
            "    return {\"count\": len(pages)}\n\n\n"
            "def lambda_handler(event, context):\n"
            "    return asyncio.run(main(event))\n"
        ),
        references=(
            "https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html",
        ),
        notes=(
            "Handlers are found by a heuristic (a module-level function taking "
            "`(event, context)`) and by the `awsbp-lambda-handlers` option."
        ),
    ),
)

NON_JSON_RETURN = Rule(
    code="AWSBP603",
    msgid="W7370",
    symbol="lambda-handler-returns-non-json",
    message=(
        "value returned by Lambda handler '{function}' is {what}, which the runtime cannot encode "
        "as JSON; convert it (sorted(...), .isoformat(), str(...)) before returning"
    ),
    summary="Lambda handler returns a set, datetime or UUID the runtime cannot serialise",
    guide_section="Error Handling › Response Standards (return informative HTTP responses)",
    checker=HandlerShapeChecker,
    min_evidence=Evidence.LOW,
    options=("awsbp-lambda-handlers", "awsbp-lambda-heuristic"),
    aws_only=False,
    docs=RuleDocs(
        what=(
            "Finds `return` statements of a Lambda handler whose value is, or contains "
            "through dict/list/tuple displays and names assigned once in the handler, a set "
            "(`{...}`, `set(...)`, `frozenset(...)`, a set comprehension), a "
            "`datetime`/`date`/`time`/`timedelta` (`datetime.now()`, `date.today()`...), a "
            "`uuid.UUID` (`uuid4()`) or a bytes literal that is not UTF-8."
        ),
        why=(
            "The runtime encodes the returned value with a JSON encoder that knows `dict`, "
            "`list`, `tuple`, `str`, numbers, `Decimal` and UTF-8 `bytes`, and nothing "
            "else: the invocation fails after the handler's work is done, with \"Unable to "
            "marshal response: Object of type set is not JSON serializable\". The guide asks "
            "to \"Return informative HTTP responses\"; a response that cannot be encoded "
            "returns none.\n\n"
            "Not reported: values converted first (`json.dumps(...)`, `.isoformat()`, "
            "`str(...)`, `sorted(...)`), and DynamoDB items: the runtime encodes their "
            "`Decimal` numbers itself."
        ),
        example=(
            "from datetime import datetime, timezone\n\n\n"
            "def lambda_handler(event, context):\n"
            "    ids = {record[\"messageId\"] for record in event[\"Records\"]}\n"
            "    return {\"processed\": ids, \"at\": datetime.now(timezone.utc)}\n"
        ),
        use_instead=(
            "from datetime import datetime, timezone\n\n\n"
            "def lambda_handler(event, context):\n"
            "    ids = {record[\"messageId\"] for record in event[\"Records\"]}\n"
            "    return {\"processed\": sorted(ids), "
            "\"at\": datetime.now(timezone.utc).isoformat()}\n"
        ),
        references=(
            "https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html",
        ),
        notes=(
            "Handlers are found by a heuristic (a module-level function taking "
            "`(event, context)`) and by the `awsbp-lambda-handlers` option."
        ),
    ),
)

MISSING_STATUS_CODE = Rule(
    code="AWSBP604",
    msgid="W7371",
    symbol="api-response-without-status-code",
    message=(
        "API Gateway response from Lambda handler '{function}' has a 'body' but no "
        "'statusCode'; add \"statusCode\": 200 (or the right status)"
    ),
    summary="API Gateway-style handler response with a body but no statusCode",
    guide_section="Error Handling › Response Standards (return informative HTTP responses)",
    checker=HandlerShapeChecker,
    min_evidence=Evidence.LOW,
    options=("awsbp-lambda-handlers", "awsbp-lambda-heuristic"),
    aws_only=False,
    docs=RuleDocs(
        what=(
            "Finds dict displays returned by a Lambda handler that have a `\"body\"` key but "
            "no `\"statusCode\"` key, when the handler is evidently behind API Gateway: "
            "another `return` of the handler has a `statusCode`, the dict has `headers`/"
            "`isBase64Encoded`/`cookies`, it spells the key differently (`status_code`, "
            "`statuscode`, `status`), or the handler reads API Gateway event keys "
            "(`httpMethod`, `queryStringParameters`, `pathParameters`, `requestContext`, "
            "`rawPath`, `routeKey`...)."
        ),
        why=(
            "A REST API (proxy integration) answers 502 \"Malformed Lambda proxy response\" "
            "when `statusCode` is missing; an HTTP API with payload 2.0 sends the whole dict, "
            "`body` key and all, as a 200 JSON document. Either way the client never gets "
            "the response the handler built. The guide asks to \"Return informative HTTP "
            "responses with appropriate status codes\".\n\n"
            "Not reported: dicts with `**` unpacking, and handlers with no sign of API "
            "Gateway (a `body` key alone is normal for Step Functions or direct invocation)."
        ),
        example=(
            "import json\n\n\n"
            "def lambda_handler(event, context):\n"
            "    user_id = event[\"pathParameters\"][\"id\"]\n"
            "    return {\"headers\": {\"Content-Type\": \"application/json\"}, "
            "\"body\": json.dumps({\"deleted\": user_id})}\n"
        ),
        use_instead=(
            "import json\n\n\n"
            "def lambda_handler(event, context):\n"
            "    user_id = event[\"pathParameters\"][\"id\"]\n"
            "    return {\n"
            "        \"statusCode\": 200,\n"
            "        \"headers\": {\"Content-Type\": \"application/json\"},\n"
            "        \"body\": json.dumps({\"deleted\": user_id}),\n"
            "    }\n"
        ),
        references=(
            "https://docs.aws.amazon.com/apigateway/latest/developerguide/"
            "set-up-lambda-proxy-integrations.html",
            "https://docs.aws.amazon.com/apigateway/latest/developerguide/"
            "http-api-develop-integrations-lambda.html",
        ),
        notes=(
            "Handlers are found by a heuristic (a module-level function taking "
            "`(event, context)`) and by the `awsbp-lambda-handlers` option."
        ),
    ),
)


# ---------------------------------------------------------------------------- AWSBP605-606
#: Connection and connection-pool factories, by import path -> what they create.
_CONNECTION_FACTORIES: dict[str, str] = {
    "pymysql.connect": "pymysql connection",
    "pymysql.Connect": "pymysql connection",
    "pymysql.connections.Connection": "pymysql connection",
    "MySQLdb.connect": "MySQLdb connection",
    "mysql.connector.connect": "MySQL connection",
    "psycopg2.connect": "psycopg2 connection",
    "psycopg.connect": "psycopg connection",
    "psycopg.Connection.connect": "psycopg connection",
    "pg8000.connect": "pg8000 connection",
    "pg8000.native.Connection": "pg8000 connection",
    "pymongo.MongoClient": "MongoClient",
    "mongoengine.connect": "mongoengine connection",
    "redis.Redis": "Redis client",
    "redis.StrictRedis": "Redis client",
    "redis.from_url": "Redis client",
    "redis.Redis.from_url": "Redis client",
    "redis.StrictRedis.from_url": "Redis client",
    "redis.RedisCluster": "Redis client",
    "redis.cluster.RedisCluster": "Redis client",
    "sqlalchemy.create_engine": "SQLAlchemy engine",
    "requests.Session": "requests Session",
    "requests.session": "requests Session",
    "requests.sessions.Session": "requests Session",
    "httpx.Client": "httpx Client",
    "urllib3.PoolManager": "urllib3 PoolManager",
    "elasticsearch.Elasticsearch": "Elasticsearch client",
    "opensearchpy.OpenSearch": "OpenSearch client",
}
_CONNECTION_CALL_NAMES = frozenset(q.rpartition(".")[2] for q in _CONNECTION_FACTORIES)
_CONNECTION_PREFILTER = any_word(
    "pymysql", "MySQLdb", "mysql", "psycopg", "pg8000", "pymongo", "mongoengine", "redis",
    "sqlalchemy", "requests", "httpx", "urllib3", "elasticsearch", "opensearchpy",
)


class ConnectionInHandlerChecker(PerInvocationChecker):
    """AWSBP605: a database connection or HTTP pool created in the Lambda handler path."""

    CALL_NAMES = _CONNECTION_CALL_NAMES

    def visit_Call(self, node: ast.Call) -> None:
        if self.model.top_function is None:
            return
        func = node.func
        if not isinstance(func, (ast.Name, ast.Attribute)):
            return
        qual = self.model.qualname(func)
        what = _CONNECTION_FACTORIES.get(qual) if qual is not None else None
        if what is None:
            return
        self.note(node, [*node.args, *(kw.value for kw in node.keywords)], what)

    def report(self, candidate: _Candidate) -> None:
        self.ctx.report(
            CONNECTION_IN_HANDLER, candidate.node, what=candidate.what,
            function=candidate.function,
        )


CONNECTION_IN_HANDLER = Rule(
    code="AWSBP605",
    msgid="W7372",
    symbol="connection-in-lambda-handler",
    message=(
        "new {what} on every invocation in Lambda handler path '{function}'; create it "
        "once at module level (or lazily in a global) and reuse it"
    ),
    summary="Database connection or HTTP connection pool created inside a Lambda handler",
    guide_section="Performance Optimization › Concurrency and Parallelism (connection pooling)",
    checker=ConnectionInHandlerChecker,
    min_evidence=Evidence.LOW,
    options=("awsbp-lambda-handlers", "awsbp-lambda-heuristic"),
    aws_only=False,
    prefilter=_CONNECTION_PREFILTER,
    docs=RuleDocs(
        what=(
            "Finds database connections and HTTP connection pools (`pymysql.connect`, "
            "`mysql.connector.connect`, `psycopg2.connect`, `psycopg.connect`, "
            "`pg8000.connect`, `pymongo.MongoClient`, `redis.Redis`/`StrictRedis`/`from_url`, "
            "`sqlalchemy.create_engine`, `requests.Session()`, `httpx.Client()`, "
            "`urllib3.PoolManager()`, Elasticsearch/OpenSearch clients) created inside a "
            "Lambda handler or a module-level function it calls."
        ),
        why=(
            "Each invocation pays a new TCP and TLS handshake and authentication, and "
            "databases see a burst of connections that are never reused (and often never "
            "closed when the environment is frozen). Created at module level, the connection "
            "or pool survives between warm invocations. The guide says \"Initialize "
            "resources outside the handler\" and \"Use connection pooling for database "
            "connections\".\n\n"
            "Not reported, as for AWSBP601: lazy initialisation into a `global` or a cache "
            "(`POOL[key] = ...`, `self.conn = ...`), functions decorated with "
            "`functools.lru_cache`/`cache`, and connections whose arguments come from the "
            "event or from the calling function's parameters. `sqlite3.connect` is not "
            "reported: it opens a local file (often a per-invocation database in `/tmp`)."
        ),
        example=(
            "import os\n\n"
            "import pymysql\n\n\n"
            "def lambda_handler(event, context):\n"
            "    conn = pymysql.connect(host=os.environ[\"DB_HOST\"], user=\"app\", "
            "database=\"shop\")\n"
            "    with conn.cursor() as cursor:\n"
            "        cursor.execute(\"SELECT COUNT(*) FROM orders\")\n"
            "        return {\"orders\": cursor.fetchone()[0]}\n"
        ),
        use_instead=(
            "import os\n\n"
            "import pymysql\n\n"
            "conn = pymysql.connect(host=os.environ[\"DB_HOST\"], user=\"app\", "
            "database=\"shop\")\n\n\n"
            "def lambda_handler(event, context):\n"
            "    conn.ping(reconnect=True)\n"
            "    with conn.cursor() as cursor:\n"
            "        cursor.execute(\"SELECT COUNT(*) FROM orders\")\n"
            "        return {\"orders\": cursor.fetchone()[0]}\n"
        ),
        references=(
            "https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html",
            "https://docs.aws.amazon.com/lambda/latest/dg/configuration-database.html",
        ),
        notes=(
            "Handlers are found by a heuristic (a module-level function taking "
            "`(event, context)`) and by the `awsbp-lambda-handlers` option."
        ),
    ),
)


class PrintInHandlerChecker(LambdaFileChecker):
    """AWSBP606: ``print`` in the Lambda handler path."""

    CALL_NAMES = frozenset({"print"})

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._candidates: list[tuple[str, ast.Call]] = []

    def visit_Call(self, node: ast.Call) -> None:
        top = self.model.top_function
        if top is None or not self.model.handlers:
            return
        if not isinstance(node.func, ast.Name) or node.func.id != "print":
            return
        if "print" in self.model.imports or any(
            "print" in scope.bindings for scope in self.model.scopes
        ):
            return
        if keyword_arg(node, "file") is not None:
            return  # print(..., file=buffer): writing a file, not logging
        self._candidates.append((top, node))

    def end_module(self) -> None:
        if not self._candidates:
            return
        path = self.model.handler_path()
        for function, node in self._candidates:
            if function in path:
                self.ctx.report(PRINT_IN_HANDLER, node, function=function)


PRINT_IN_HANDLER = Rule(
    code="AWSBP606",
    msgid="C7373",
    symbol="print-in-lambda-handler",
    message=(
        "print() in Lambda handler path '{function}'; use the logging module (with levels "
        "and structured fields) instead"
    ),
    summary="print() used for logging in a Lambda handler path",
    guide_section="Monitoring & Observability › Logging Standards (use structured logging)",
    checker=PrintInHandlerChecker,
    default_enabled=False,
    min_evidence=Evidence.LOW,
    options=("awsbp-lambda-handlers", "awsbp-lambda-heuristic"),
    aws_only=False,
    prefilter=WordGate("print", right=False, then=re.compile(r"\s*\(")),
    docs=RuleDocs(
        what=(
            "Finds `print(...)` calls in a Lambda handler or in a module-level function it "
            "calls (calls with `file=` are not reported)."
        ),
        why=(
            "Printed lines reach CloudWatch Logs as plain text with no level, logger name "
            "or request id, so they cannot be filtered by severity, silenced in production "
            "or queried as fields. The guide asks to \"Use structured logging (JSON "
            "format)\" and to \"Standardize log levels\"; use `logging` (Lambda's root "
            "logger adds the request id) or Powertools' `Logger`.\n\n"
            "Off by default: printing is a deliberate, documented choice in many small "
            "functions. Enable it with `awsbp-enable = AWSBP606`."
        ),
        example=(
            "def lambda_handler(event, context):\n"
            "    print(\"received\", len(event[\"Records\"]), \"records\")\n"
            "    return {\"batchItemFailures\": []}\n"
        ),
        use_instead=(
            "import logging\n\n"
            "logger = logging.getLogger()\n"
            "logger.setLevel(logging.INFO)\n\n\n"
            "def lambda_handler(event, context):\n"
            "    logger.info(\"received %d records\", len(event[\"Records\"]))\n"
            "    return {\"batchItemFailures\": []}\n"
        ),
        references=(
            "https://docs.aws.amazon.com/lambda/latest/dg/python-logging.html",
        ),
        notes=(
            "Handlers are found by a heuristic (a module-level function taking "
            "`(event, context)`) and by the `awsbp-lambda-handlers` option."
        ),
    ),
)

RULES: tuple[Rule, ...] = (
    CLIENT_IN_HANDLER,
    ASYNC_HANDLER,
    NON_JSON_RETURN,
    MISSING_STATUS_CODE,
    CONNECTION_IN_HANDLER,
    PRINT_IN_HANDLER,
)
