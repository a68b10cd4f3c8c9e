"""Concurrency and async: boto3 in event loops, threads and processes."""

from __future__ import annotations

import ast
from collections.abc import Container

from awsbp.checker import Checker, FileContext
from awsbp.evidence import Evidence
from awsbp.model import FACTORY_CALL_NAMES, call_arg, imported_name, keyword_arg
from awsbp.registry import Rule, RuleDocs
from awsbp.rules._calls import (
    LOCAL_METHODS,
    SYNC_KINDS,
    int_literal,
    method_of,
    service_model,
)
from awsbp.rules.lambda_rules import is_cached_function
from awsbp.textgate import any_word
from awsbp.values import AwsValue, Kind

# =========================================================================== async

_AIO_MODULES = ("aioboto3", "aiobotocore", "types_aiobotocore", "types_aioboto3")
_TABLE_ACTIONS = frozenset(
    {"put_item", "get_item", "update_item", "delete_item", "query", "scan", "load", "reload"}
)
_CONTEXT_METHODS = frozenset({"__aenter__", "__aexit__", "__enter__", "__exit__"})


def _unwrap_await(expr: ast.expr) -> ast.expr:
    while isinstance(expr, ast.Await):
        expr = expr.value
    return expr


class _AioClient:
    """An aioboto3/aiobotocore client context manager bound to a name."""

    __slots__ = ("call", "entered", "escaped", "used")

    def __init__(
        self, call: ast.Call, entered: bool = False, used: bool = False, escaped: bool = False
    ) -> None:
        self.call = call
        self.entered = entered
        self.used = used
        self.escaped = escaped


class _Pending:
    """An un-awaited async operation call whose result was bound to a name."""

    __slots__ = ("awaited", "call", "op", "used")

    def __init__(
        self, call: ast.Call, op: str, used: bool = False, awaited: bool = False
    ) -> None:
        self.call = call
        self.op = op
        self.used = used
        self.awaited = awaited


class AsyncChecker(Checker):
    """AWSBP701 (blocking boto3 in async def), AWSBP702 (aio client not entered), AWSBP703."""

    TEXT_GATE = any_word("async", "aioboto3", "aiobotocore")

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        imports = ctx.model.imports.values()
        self._aio = any(v.split(".")[0].startswith(_AIO_MODULES) for v in imports)
        self._awaited: set[int] = set()
        self._entered: set[int] = set()
        self._receivers: set[int] = set()
        self._subscripted: set[int] = set()
        self._discarded: set[int] = set()
        self._assigned: dict[int, str] = {}
        self._explained: set[int] = set()
        self._clients: dict[int, dict[str, _AioClient]] = {}
        self._pending: dict[int, dict[str, _Pending]] = {}

    def _fid(self) -> int:
        return id(self.ctx.frame.node)

    # -- context collected from parents (visited before their children) -------------
    def visit_Await(self, node: ast.Await) -> None:
        if not self._aio and not self.ctx.frame.is_async:
            return
        value = node.value
        self._awaited.add(id(value))
        if isinstance(value, ast.Name):
            pending = self._pending.get(self._fid(), {}).get(value.id)
            if pending is not None:
                pending.awaited = True
                self._explained.add(id(value))
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr == "__aenter__"
            and isinstance(value.func.value, ast.Name)
        ):
            self._enter_name(value.func.value)

    def visit_AsyncWith(self, node: ast.AsyncWith) -> None:
        if not self._aio:
            return
        for item in node.items:
            expr = _unwrap_await(item.context_expr)
            self._entered.add(id(expr))
            if isinstance(expr, ast.Name):
                self._enter_name(expr)

    def visit_With(self, node: ast.With) -> None:
        if not self._aio:
            return
        for item in node.items:
            expr = item.context_expr
            if isinstance(expr, ast.Call):
                value = self.model.factory_value(expr)
                if value is not None and self._is_aio_client(value):
                    self._entered.add(id(expr))
                    self.ctx.report(AIO_NOT_ENTERED, expr, kind=value.kind.value,
                                    how="is entered with 'with'")

    def visit_Expr(self, node: ast.Expr) -> None:
        if self._aio and isinstance(node.value, ast.Call):
            self._discarded.add(id(node.value))

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if not self._aio:
            return
        value = node.value
        if isinstance(value, ast.Call):
            self._subscripted.add(id(value))
        elif isinstance(value, ast.Name):
            pending = self._pending.get(self._fid(), {}).get(value.id)
            if pending is not None:
                pending.used = True
                self._explained.add(id(value))

    def visit_Assign(self, node: ast.Assign) -> None:
        if self._aio and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            fid = self._fid()
            self._pending.get(fid, {}).pop(name, None)
            self._clients.get(fid, {}).pop(name, None)
            if isinstance(node.value, ast.Call):
                self._assigned[id(node.value)] = name

    def _enter_name(self, name: ast.Name) -> None:
        client = self._clients.get(self._fid(), {}).get(name.id)
        if client is not None:
            client.entered = True
            self._explained.add(id(name))

    def visit_Name(self, node: ast.Name) -> None:
        if not self._aio or not isinstance(node.ctx, ast.Load) or id(node) in self._explained:
            return
        fid = self._fid()
        client = self._clients.get(fid, {}).get(node.id)
        if client is not None:
            client.escaped = True
        pending = self._pending.get(fid, {}).get(node.id)
        if pending is not None:
            pending.awaited = True  # handed on (gather, create_task, a list...): assume awaited

    # -- calls ----------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        if not self._aio and not self.ctx.frame.is_async:
            return
        func = node.func
        if isinstance(func, ast.Attribute):
            inner = func.value
            if isinstance(inner, ast.Call) and func.attr not in _CONTEXT_METHODS:
                self._receivers.add(id(inner))
            if func.attr == "enter_async_context" and node.args:
                arg = _unwrap_await(node.args[0])
                self._entered.add(id(arg))
                if isinstance(arg, ast.Name):
                    self._enter_name(arg)
            if isinstance(inner, ast.Name):
                self._name_receiver(inner, func.attr)
        value = self.model.factory_value(node)
        if value is not None:
            self._factory(node, value)
            return
        found = method_of(node)
        if found is None:
            return
        recv, method = found
        owner = self.model.infer(recv)
        if owner is None:
            return
        if owner.is_async:
            if self._aio:
                self._async_call(node, owner, method)
        else:
            self._sync_call(node, owner, method)

    def _name_receiver(self, name: ast.Name, method: str) -> None:
        fid = self._fid()
        client = self._clients.get(fid, {}).get(name.id)
        if client is not None:
            if method not in _CONTEXT_METHODS:
                client.used = True
            self._explained.add(id(name))
        pending = self._pending.get(fid, {}).get(name.id)
        if pending is not None and method == "get":
            pending.used = True
            self._explained.add(id(name))

    @staticmethod
    def _is_aio_client(value: AwsValue) -> bool:
        return value.is_async and value.kind in (Kind.CLIENT, Kind.RESOURCE)

    def _factory(self, node: ast.Call, value: AwsValue) -> None:
        if value.is_async:
            if not self._aio or not self._is_aio_client(value) or id(node) in self._entered:
                return
            if id(node) in self._receivers:
                self.ctx.report(AIO_NOT_ENTERED, node, kind=value.kind.value,
                                how="is used without 'async with'")
                return
            name = self._assigned.get(id(node))
            if name is not None:
                self._clients.setdefault(self._fid(), {})[name] = _AioClient(node)
            return
        frame = self.ctx.frame
        if (
            frame.is_async
            and value.kind in (Kind.CLIENT, Kind.RESOURCE)
            and not self.ctx.is_test_file
            and self.ctx.accepts(BLOCKING_IN_ASYNC, value.evidence)
        ):
            self.ctx.report(BLOCKING_IN_ASYNC, node, what=f"boto3 {value.kind.value} creation")

    def _sync_call(self, node: ast.Call, owner: AwsValue, method: str) -> None:
        frame = self.ctx.frame
        if not frame.is_async or owner.kind not in SYNC_KINDS or self.ctx.is_test_file:
            return
        if method in LOCAL_METHODS or method.startswith("_") or id(node) in self._awaited:
            return
        if not self.ctx.accepts(BLOCKING_IN_ASYNC, owner.evidence):
            return
        if owner.origin is None and owner.service is None:
            return  # e.g. a parameter annotated BaseClient: may well be an aiobotocore client
        if owner.kind is Kind.PAGINATOR:
            return  # paginate() is lazy; iterating it is reported in visit_For
        if owner.kind is Kind.WAITER and method != "wait":
            return
        if owner.kind is Kind.CLIENT:
            svc = service_model(owner)
            if svc is not None and not svc.has_method(method):
                return
        self.ctx.report(BLOCKING_IN_ASYNC, node, what=f"'{method}'")

    def visit_For(self, node: ast.For) -> None:
        frame = self.ctx.frame
        it = node.iter
        if not frame.is_async or self.ctx.is_test_file or not isinstance(it, ast.Call):
            return
        found = method_of(it)
        if found is None or found[1] != "paginate":
            return
        owner = self.model.infer(found[0])
        if (
            owner is not None
            and owner.kind is Kind.PAGINATOR
            and not owner.is_async
            and self.ctx.accepts(BLOCKING_IN_ASYNC, owner.evidence)
        ):
            self.ctx.report(BLOCKING_IN_ASYNC, it, what="iterating a boto3 paginator")

    def _async_call(self, node: ast.Call, owner: AwsValue, method: str) -> None:
        if id(node) in self._awaited or method.startswith("_"):
            return
        if owner.kind is Kind.CLIENT:
            svc = service_model(owner)
            if svc is None or method not in svc.operations:
                return
        elif owner.kind is Kind.TABLE:
            if method not in _TABLE_ACTIONS:
                return
        else:
            return
        if not self.ctx.accepts(AIO_NOT_AWAITED, owner.evidence):
            return
        if id(node) in self._discarded or id(node) in self._subscripted or id(
            node
        ) in self._receivers:
            self.ctx.report(AIO_NOT_AWAITED, node, op=method)
            return
        name = self._assigned.get(id(node))
        if name is not None:
            self._pending.setdefault(self._fid(), {})[name] = _Pending(node, method)

    # -- end of a function ------------------------------------------------------------
    def _finish(self, fid: int) -> None:
        for client in self._clients.pop(fid, {}).values():
            if client.used and not client.entered and not client.escaped:
                value = self.model.factory_value(client.call)
                kind = value.kind.value if value is not None else "client"
                self.ctx.report(AIO_NOT_ENTERED, client.call, kind=kind,
                                how="is used without 'async with'")
        for pending in self._pending.pop(fid, {}).values():
            if pending.used and not pending.awaited:
                self.ctx.report(AIO_NOT_AWAITED, pending.call, op=pending.op)

    def leave_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._finish(id(node))

    def leave_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._finish(id(node))

    def leave_Lambda(self, node: ast.Lambda) -> None:
        self._finish(id(node))

    def end_module(self) -> None:
        for fid in list(self._clients) + list(self._pending):
            self._finish(fid)


BLOCKING_IN_ASYNC = Rule(
    code="AWSBP701",
    msgid="W7336",
    symbol="blocking-boto3-call-in-async",
    message=(
        "blocking boto3 call in 'async def': {what} stalls the event loop; use "
        "aioboto3/aiobotocore or run it with 'await asyncio.to_thread(...)'"
    ),
    summary="Synchronous boto3 call or client creation inside an async function",
    guide_section="Performance Optimization › Concurrency and Parallelism",
    checker=AsyncChecker,
    min_evidence=Evidence.HIGH,
    docs=RuleDocs(
        what=(
            "Finds, in the body of an `async def`, calls on synchronous boto3 clients, "
            "resources, Tables, Buckets and waiters (`s3.get_object(...)`, "
            "`table.put_item(...)`, `waiter.wait()`), `for` loops over a boto3 paginator, "
            "and `boto3.client()`/`boto3.resource()`/`session.client()` calls. The receiver "
            "must be resolved to a synchronous boto3 object (a name alone is not enough)."
        ),
        why=(
            "boto3 does blocking network I/O (and client creation reads service models from "
            "disk). Called from a coroutine it freezes the event loop: every other task "
            "waits for the request to finish, so the program is no more concurrent than a "
            "plain loop (aiobotocore issues #1023 and #1448). The guide recommends asyncio "
            "for I/O-bound work and shows aioboto3 for it.\n\n"
            "Not reported: calls inside functions or lambdas handed to "
            "`asyncio.to_thread`/`loop.run_in_executor`/`anyio.to_thread.run_sync` (they "
            "run in a worker thread), methods that send no request (`get_paginator`, "
            "`generate_presigned_url`, `Table(...)`...), aioboto3/aiobotocore objects, and "
            "test files."
        ),
        example=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n\n\n"
            "async def read(bucket, key):\n"
            "    return s3.get_object(Bucket=bucket, Key=key)[\"Body\"].read()\n"
        ),
        use_instead=(
            "import asyncio\n\n"
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n\n\n"
            "def _read(bucket, key):\n"
            "    return s3.get_object(Bucket=bucket, Key=key)[\"Body\"].read()\n\n\n"
            "async def read(bucket, key):\n"
            "    return await asyncio.to_thread(_read, bucket, key)\n"
        ),
        references=(
            "https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code",
            "https://aioboto3.readthedocs.io/en/latest/usage.html",
        ),
    ),
)

AIO_NOT_ENTERED = Rule(
    code="AWSBP702",
    msgid="E7337",
    symbol="aioboto3-client-without-async-with",
    message=(
        "aioboto3/aiobotocore {kind} {how}; write 'async with session.client(...) as "
        "client:' (or enter it with AsyncExitStack.enter_async_context)"
    ),
    summary="aioboto3/aiobotocore client or resource used without 'async with'",
    guide_section="Performance Optimization › Concurrency and Parallelism",
    checker=AsyncChecker,
    min_evidence=Evidence.HIGH,
    docs=RuleDocs(
        what=(
            "Finds `client()`/`resource()` of an aioboto3 session and `create_client()` of an "
            "aiobotocore session whose result is used for API calls without being entered "
            "with `async with` (or `AsyncExitStack.enter_async_context`, or "
            "`await cm.__aenter__()`), including the plain `with` statement."
        ),
        why=(
            "In aioboto3 and aiobotocore, `client()` returns an async context manager, not a "
            "client: calling an operation on it raises `AttributeError`, and a client that "
            "is never exited leaks its connection pool (`Unclosed client session` warnings). "
            "The guide's asyncio example uses aioboto3, whose documented usage is "
            "`async with session.client(...) as client:`.\n\n"
            "Not reported: context managers returned, stored on an object or passed to "
            "another function (the receiver may enter them)."
        ),
        example=(
            "import aioboto3\n\n"
            "session = aioboto3.Session()\n\n\n"
            "async def upload(bucket, key, data):\n"
            "    s3 = session.client(\"s3\")\n"
            "    await s3.put_object(Bucket=bucket, Key=key, Body=data)\n"
        ),
        use_instead=(
            "import aioboto3\n\n"
            "session = aioboto3.Session()\n\n\n"
            "async def upload(bucket, key, data):\n"
            "    async with session.client(\"s3\") as s3:\n"
            "        await s3.put_object(Bucket=bucket, Key=key, Body=data)\n"
        ),
        references=(
            "https://aioboto3.readthedocs.io/en/latest/usage.html",
            "https://aiobotocore.aio-libs.org/en/latest/tutorial.html",
        ),
    ),
)

AIO_NOT_AWAITED = Rule(
    code="AWSBP703",
    msgid="W7338",
    symbol="aioboto3-call-not-awaited",
    message=(
        "aioboto3/aiobotocore call '{op}' is not awaited and only creates a coroutine; "
        "write 'await' before the call"
    ),
    summary="aioboto3/aiobotocore operation called without await",
    guide_section="Performance Optimization › Concurrency and Parallelism",
    checker=AsyncChecker,
    min_evidence=Evidence.HIGH,
    docs=RuleDocs(
        what=(
            "Finds operation calls on aioboto3/aiobotocore clients and Tables that are not "
            "awaited and whose result is discarded, subscripted (`client.get_object(...)"
            "[\"Body\"]`) or bound to a name that is then read like a response."
        ),
        why=(
            "Async operations return coroutines. Without `await` the request is never sent "
            "(Python only warns \"coroutine was never awaited\" at garbage collection) and "
            "reading the result raises `TypeError: 'coroutine' object is not "
            "subscriptable`. The guide's asyncio guidance relies on awaiting each call.\n\n"
            "Not reported: coroutines handed to `asyncio.gather`, `create_task`, a list or "
            "any other function (they are awaited there)."
        ),
        example=(
            "import aioboto3\n\n"
            "session = aioboto3.Session()\n\n\n"
            "async def upload(bucket, key, data):\n"
            "    async with session.client(\"s3\") as s3:\n"
            "        s3.put_object(Bucket=bucket, Key=key, Body=data)\n"
        ),
        use_instead=(
            "import aioboto3\n\n"
            "session = aioboto3.Session()\n\n\n"
            "async def upload(bucket, key, data):\n"
            "    async with session.client(\"s3\") as s3:\n"
            "        await s3.put_object(Bucket=bucket, Key=key, Body=data)\n"
        ),
        references=("https://aioboto3.readthedocs.io/en/latest/usage.html",),
    ),
)

# =========================================================================== threads

_THREAD_POOLS = frozenset(
    {
        "concurrent.futures.ThreadPoolExecutor",
        "concurrent.futures.thread.ThreadPoolExecutor",
        "multiprocessing.pool.ThreadPool",
        "multiprocessing.dummy.Pool",
    }
)
def _callee_last_name(imports: dict[str, str], call: ast.Call) -> str | None:
    """The name a call is routed by: the last part of its qualified name.

    ``Pool`` for ``mp.Pool()`` and, after ``from multiprocessing import Pool as P``,
    for ``P()``.
    """
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return imported_name(func.id, imports)
    return None


_PROCESS_POOLS = frozenset(
    {
        "concurrent.futures.ProcessPoolExecutor",
        "concurrent.futures.process.ProcessPoolExecutor",
        "multiprocessing.Pool",
        "multiprocessing.pool.Pool",
    }
)
_STARTERS = {
    "threading.Thread": "thread",
    "multiprocessing.Process": "process",
}
_OFFLOADERS = frozenset({"asyncio.to_thread", "anyio.to_thread.run_sync"})
_SUBMIT_METHODS = frozenset(
    {"submit", "map", "imap", "imap_unordered", "starmap", "apply", "apply_async",
     "map_async", "starmap_async"}
)
_PARTIALS = frozenset({"functools.partial"})
_SHARED_IN_THREADS = frozenset(
    {Kind.SESSION, Kind.BOTOCORE_SESSION, Kind.RESOURCE, Kind.TABLE, Kind.BUCKET, Kind.OBJECT}
)
_AWS_OBJECTS = _SHARED_IN_THREADS | {Kind.CLIENT}
DEFAULT_MAX_POOL_CONNECTIONS = 10
#: The last parts of the pool and botocore Config constructors' qualified names.
_POOL_AND_CONFIG_NAMES = frozenset(
    {qual.rpartition(".")[2] for qual in _THREAD_POOLS | _PROCESS_POOLS} | {"Config"}
)
_CONCURRENCY_MODULES = frozenset({"threading", "concurrent", "multiprocessing", "asyncio", "anyio"})


class _Pool:
    """A thread or process pool: its kind, literal size and creating call (immutable)."""

    __slots__ = ("kind", "node", "workers")

    def __init__(self, kind: str, workers: int | None, node: ast.Call | None) -> None:
        self.kind = kind
        self.workers = workers
        self.node = node


class _Ref:
    """A reference, inside some function, to a boto3 object that lives outside it."""

    __slots__ = ("enclosing", "label", "node", "value")

    def __init__(self, node: ast.expr, label: str, value: AwsValue, enclosing: bool) -> None:
        self.node = node
        self.label = label
        self.value = value
        self.enclosing = enclosing


class _FrameFacts:
    """What one function (or lambda) does that matters when it runs as a worker."""

    __slots__ = ("cached", "factories", "refs")

    def __init__(self, cached: bool = False) -> None:
        self.factories: list[tuple[ast.Call, AwsValue]] = []
        self.refs: list[_Ref] = []
        self.cached = cached


class _Submission:
    """A callable handed to a pool, thread or process (immutable)."""

    __slots__ = (
        "arg_values",
        "args",
        "locally_bound",
        "pool",
        "site_class",
        "site_frame",
        "worker",
    )

    def __init__(
        self,
        worker: ast.expr,
        pool: _Pool,
        args: tuple[ast.expr, ...],
        arg_values: tuple[AwsValue | None, ...],
        site_frame: int,
        site_class: ast.ClassDef | None,
        locally_bound: bool = False,
    ) -> None:
        self.worker = worker
        self.pool = pool
        self.args = args
        self.arg_values = arg_values
        self.site_frame = site_frame
        self.site_class = site_class
        self.locally_bound = locally_bound


def _pool_size(call: ast.Call, qual: str) -> int | None:
    keyword = "processes" if "multiprocessing" in qual else "max_workers"
    return int_literal(call_arg(call, 0, keyword))


class ThreadChecker(Checker):
    """AWSBP704 (default session in threads), AWSBP705 (sharing), AWSBP706 (pool size)."""

    TEXT_GATE = any_word(
        "Thread", "Executor", "Pool", "Process", "submit", "threading", "multiprocessing"
    )

    CALL_NAMES = FACTORY_CALL_NAMES | _SUBMIT_METHODS | frozenset(
        {"Thread", "Process", "to_thread", "run_sync", "run_in_executor"}
    )

    @classmethod
    def wanted(cls, ctx: FileContext, text: str) -> bool:
        """Only files that import threading, concurrent, multiprocessing, asyncio or anyio."""
        roots = {v.split(".")[0] for v in ctx.model.imports.values()}
        return bool(roots & _CONCURRENCY_MODULES) and super().wanted(ctx, text)

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._pools: dict[tuple[int, str], _Pool] = {}
        self._class_pools: dict[tuple[ast.ClassDef, str], _Pool] = {}
        self._facts: dict[int, _FrameFacts] = {}
        self._defs: dict[str, list[tuple[ast.AST, int, ast.ClassDef | None]]] = {}
        self._meta_only: set[int] = set()
        self._submissions: list[_Submission] = []
        self._configs: dict[str, ast.Call] = {}

    def _fid(self) -> int:
        return id(self.ctx.frame.node)

    def _frame_facts(self) -> _FrameFacts:
        fid = self._fid()
        facts = self._facts.get(fid)
        if facts is None:
            facts = _FrameFacts(cached=is_cached_function(self.ctx.frame.node))
            self._facts[fid] = facts
        return facts

    # -- definitions and bindings ------------------------------------------------------
    def _define(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        # the model has already entered the function: the definition site is the frame below
        frames = self.model.frames
        scopes = self.model.scopes
        outer = id(frames[-2].node) if len(frames) > 1 else id(self.model.tree)
        cls = scopes[-2].node if len(scopes) > 1 and scopes[-2].kind == "class" else None
        if not isinstance(cls, ast.ClassDef):
            cls = None
        self._defs.setdefault(node.name, []).append((node, outer, cls))

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._define(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._define(node)

    def _pool_of_call(self, call: ast.Call) -> _Pool | None:
        if _callee_last_name(self.model.imports, call) not in _POOL_AND_CONFIG_NAMES:
            return None
        qual = self.model.qualname(call.func)
        if qual in _THREAD_POOLS:
            return _Pool("thread", _pool_size(call, qual), call)
        if qual in _PROCESS_POOLS:
            return _Pool("process", _pool_size(call, qual), call)
        return None

    def _bind_pool(self, target: ast.expr, value: ast.expr) -> None:
        if not isinstance(value, ast.Call):
            return
        pool = self._pool_of_call(value)
        if pool is None:
            return
        if isinstance(target, ast.Name):
            self._pools[(self._fid(), target.id)] = pool
        elif (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id == self.ctx.frame.self_name
            and self.ctx.frame.class_node is not None
        ):
            self._class_pools[(self.ctx.frame.class_node, target.attr)] = pool

    def visit_Assign(self, node: ast.Assign) -> None:
        value = node.value
        if value.__class__ is not ast.Call or (
            _callee_last_name(self.model.imports, value) not in _POOL_AND_CONFIG_NAMES
        ):
            return  # neither a pool nor a botocore Config is made here
        is_config = isinstance(value, ast.Call) and self.model.qualname(value.func) in (
            "botocore.config.Config", "botocore.client.Config"
        )
        for target in node.targets:
            self._bind_pool(target, value)
            if is_config and isinstance(target, ast.Name):
                self._configs[target.id] = value

    def visit_With(self, node: ast.With) -> None:
        for item in node.items:
            if item.optional_vars is not None:
                self._bind_pool(item.optional_vars, item.context_expr)

    def _lookup_pool(self, expr: ast.expr) -> _Pool | None:
        if isinstance(expr, ast.Call):
            return self._pool_of_call(expr)
        if isinstance(expr, ast.Name):
            for frame in reversed(self.model.frames):
                pool = self._pools.get((id(frame.node), expr.id))
                if pool is not None:
                    return pool
            return None
        if (
            isinstance(expr, ast.Attribute)
            and isinstance(expr.value, ast.Name)
            and expr.value.id == self.ctx.frame.self_name
            and self.ctx.frame.class_node is not None
        ):
            return self._class_pools.get((self.ctx.frame.class_node, expr.attr))
        return None

    # -- references to boto3 objects inside functions ------------------------------------
    def _is_local(self, name: str) -> bool:
        frame_node = self.ctx.frame.node
        for scope in reversed(self.model.scopes):
            if name in scope.bindings:
                return True
            if scope.node is frame_node:
                return False
        return False

    def name_filter(self) -> Container[str]:
        """Only names bound to an AWS value somewhere can refer to one."""
        return self.model.aws_names

    def visit_Name(self, node: ast.Name) -> None:
        if not isinstance(node.ctx, ast.Load) or len(self.model.frames) == 1:
            return
        value = self.model.lookup(node.id)
        if value is None or value.kind not in _AWS_OBJECTS:
            return
        if id(node) in self._meta_only or self._is_local(node.id):
            return
        enclosing = self._bound_in_enclosing_function(node.id)
        self._frame_facts().refs.append(_Ref(node, node.id, value, enclosing))

    def _bound_in_enclosing_function(self, name: str) -> bool:
        frame_node = self.ctx.frame.node
        inside = True
        for scope in reversed(self.model.scopes):
            if inside:
                if scope.node is frame_node:
                    inside = False
                continue
            if scope.kind in ("function", "lambda") and name in scope.bindings:
                return True
        return False

    def attribute_filter(self) -> Container[str]:
        """``x.meta.client`` and the class attributes that can hold an AWS object."""
        return self.model.aws_attrs

    def visit_Attribute(self, node: ast.Attribute) -> None:
        value = node.value
        if node.attr == "client" and isinstance(value, ast.Attribute) and value.attr == "meta":
            self._meta_only.add(id(value.value))
            return
        frame = self.ctx.frame
        if (
            isinstance(node.ctx, ast.Load)
            and isinstance(value, ast.Name)
            and value.id == frame.self_name
            and id(node) not in self._meta_only
            and len(self.model.frames) > 1
        ):
            found = self.model.infer(node)
            if found is not None and found.kind in _AWS_OBJECTS:
                self._frame_facts().refs.append(_Ref(node, f"self.{node.attr}", found, False))

    # -- calls ------------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        value = self.model.factory_value(node)
        if value is not None:
            if value.default_session and value.kind in (Kind.CLIENT, Kind.RESOURCE):
                self._frame_facts().factories.append((node, value))
            return
        qual = self.model.qualname(node.func)
        if qual in _STARTERS:
            self._starter(node, _STARTERS[qual])
            return
        if qual in _OFFLOADERS:
            if node.args:
                self._submit(node.args[0], _Pool("thread", None, None), tuple(node.args[1:]))
            return
        found = method_of(node)
        if found is None:
            return
        recv, method = found
        if method == "run_in_executor" and len(node.args) >= 2:
            first = node.args[0]
            if isinstance(first, ast.Constant) and first.value is None:
                self._submit(node.args[1], _Pool("thread", None, None), tuple(node.args[2:]))
            return
        if method not in _SUBMIT_METHODS or not node.args:
            return
        pool = self._lookup_pool(recv)
        if pool is None:
            return
        args: tuple[ast.expr, ...] = ()
        if method == "submit":
            args = tuple(a for a in node.args[1:] if not isinstance(a, ast.Starred))
            args += tuple(kw.value for kw in node.keywords if kw.arg)
        elif method in ("apply", "apply_async"):
            packed = call_arg(node, 1, "args")
            if isinstance(packed, (ast.Tuple, ast.List)):
                args = tuple(packed.elts)
        self._submit(node.args[0], pool, args)

    def _starter(self, node: ast.Call, kind: str) -> None:
        target = call_arg(node, 1, "target")
        if target is None:
            return
        args: tuple[ast.expr, ...] = ()
        packed = call_arg(node, 3, "args")
        if isinstance(packed, (ast.Tuple, ast.List)):
            args = tuple(packed.elts)
        kwargs = call_arg(node, 4, "kwargs")
        if isinstance(kwargs, ast.Dict):
            args += tuple(kwargs.values)
        self._submit(target, _Pool(kind, None, None), args)

    def _submit(self, worker: ast.expr, pool: _Pool, args: tuple[ast.expr, ...]) -> None:
        if (
            isinstance(worker, ast.Call)
            and self.model.qualname(worker.func) in _PARTIALS
            and worker.args
        ):
            args = args + tuple(worker.args[1:]) + tuple(kw.value for kw in worker.keywords)
            worker = worker.args[0]
        values = tuple(self.model.infer(a) for a in args)
        local = isinstance(worker, ast.Name) and any(
            worker.id in scope.bindings for scope in self.model.scopes[1:]
        )
        self._submissions.append(
            _Submission(worker, pool, args, values, self._fid(),
                        self.ctx.frame.class_node if self.ctx.frame.self_name else None,
                        local)
        )

    # -- evaluation -----------------------------------------------------------------------
    def _resolve_worker(self, sub: _Submission) -> tuple[ast.AST, str] | None:
        worker = sub.worker
        if isinstance(worker, ast.Lambda):
            return worker, "<lambda>"
        if isinstance(worker, ast.Name):
            defs = [d for d in self._defs.get(worker.id, []) if d[2] is None]
            if sub.locally_bound:
                # a parameter or local variable, unless it names a function defined right here
                defs = [d for d in defs if d[1] == sub.site_frame]
            elif len(defs) > 1:
                defs = [d for d in defs if d[1] in (sub.site_frame, id(self.model.tree))]
            if len(defs) == 1:
                return defs[0][0], worker.id
            return None
        if (
            isinstance(worker, ast.Attribute)
            and isinstance(worker.value, ast.Name)
            and sub.site_class is not None
        ):
            defs = [d for d in self._defs.get(worker.attr, []) if d[2] is sub.site_class]
            if len(defs) == 1:
                return defs[0][0], worker.attr
        return None

    def _worker_frames(self, node: ast.AST, name: str) -> list[int]:
        """The worker and, for a module-level function, the module functions it calls."""
        frames = [id(node)]
        top = self.model.top_level_functions
        if name in top and top[name] is node:
            seen = {name}
            todo = list(self.model.calls_from.get(name, ()))
            while todo:
                callee = todo.pop()
                if callee in seen or callee not in top:
                    continue
                seen.add(callee)
                frames.append(id(top[callee]))
                todo.extend(self.model.calls_from.get(callee, ()))
        return frames

    def end_module(self) -> None:
        reported: set[int] = set()
        pool_reported: set[int] = set()
        for sub in self._submissions:
            where = "thread" if sub.pool.kind == "thread" else "process"
            self._check_args(sub, where, reported)
            resolved = self._resolve_worker(sub)
            if resolved is None:
                continue
            node, name = resolved
            facts = self._facts.get(id(node), _FrameFacts())
            if where == "thread":
                for fid in self._worker_frames(node, name):
                    inner = self._facts.get(fid)
                    if inner is None or inner.cached:
                        continue
                    for call, value in inner.factories:
                        if id(call) not in reported and self.ctx.accepts(
                            DEFAULT_SESSION_IN_THREAD, value.evidence
                        ):
                            reported.add(id(call))
                            self.ctx.report(DEFAULT_SESSION_IN_THREAD, call,
                                            kind=value.kind.value, worker=name)
            self._check_refs(facts, where, name, reported)
            if where == "thread" and sub.pool.workers is not None and sub.pool.node is not None:
                self._check_pool_size(sub, facts, pool_reported)

    def _check_args(self, sub: _Submission, where: str, reported: set[int]) -> None:
        for arg, value in zip(sub.args, sub.arg_values, strict=True):
            if value is None or id(arg) in reported:
                continue
            kinds = _SHARED_IN_THREADS if where == "thread" else _AWS_OBJECTS
            if value.kind not in kinds or not self.ctx.accepts(SHARED_WITH_WORKERS,
                                                                value.evidence):
                continue
            reported.add(id(arg))
            self.ctx.report(SHARED_WITH_WORKERS, arg, **_shared_fields(value, where))

    def _check_refs(self, facts: _FrameFacts, where: str, worker: str,
                    reported: set[int]) -> None:
        seen: set[str] = set()
        for ref in facts.refs:
            if ref.label in seen or id(ref.node) in reported:
                continue
            if where == "thread":
                if ref.value.kind not in _SHARED_IN_THREADS:
                    continue
            elif not ref.enclosing:
                continue
            if not self.ctx.accepts(SHARED_WITH_WORKERS, ref.value.evidence):
                continue
            seen.add(ref.label)
            reported.add(id(ref.node))
            self.ctx.report(SHARED_WITH_WORKERS, ref.node, **_shared_fields(ref.value, where))

    def _check_pool_size(self, sub: _Submission, facts: _FrameFacts,
                         pool_reported: set[int]) -> None:
        pool = sub.pool
        assert pool.node is not None and pool.workers is not None
        if id(pool.node) in pool_reported:
            return
        clients = [ref.value for ref in facts.refs if ref.value.kind is Kind.CLIENT]
        clients += [v for v in sub.arg_values if v is not None and v.kind is Kind.CLIENT]
        for value in clients:
            limit = self._max_pool(value)
            if limit is not None and pool.workers > limit:
                pool_reported.add(id(pool.node))
                self.ctx.report(POOL_TOO_SMALL, pool.node, workers=pool.workers, limit=limit)
                return

    def _max_pool(self, value: AwsValue) -> int | None:
        """The client's max_pool_connections when it can be read, else None."""
        origin = value.origin
        if origin is None or any(kw.arg is None for kw in origin.keywords):
            return None
        config = keyword_arg(origin, "config")
        if config is None:
            return DEFAULT_MAX_POOL_CONNECTIONS
        if isinstance(config, ast.Name):
            bound = self._configs.get(config.id)
            if bound is None:
                return None
            config = bound
        if not isinstance(config, ast.Call) or self.model.qualname(config.func) not in (
            "botocore.config.Config", "botocore.client.Config"
        ):
            return None
        if any(kw.arg is None for kw in config.keywords):
            return None
        size = keyword_arg(config, "max_pool_connections")
        if size is None:
            return DEFAULT_MAX_POOL_CONNECTIONS
        return int_literal(size)


def _shared_fields(value: AwsValue, where: str) -> dict[str, str]:
    kind = "session" if value.kind is Kind.BOTOCORE_SESSION else value.kind.value
    if where == "thread":
        advice = (
            "boto3 sessions and resources are not thread-safe: create one per thread "
            "(boto3.session.Session()) or share a client instead"
        )
    else:
        advice = "boto3 objects cannot be shared across processes: create them in the worker"
    return {"kind": kind, "where": where, "advice": advice}


DEFAULT_SESSION_IN_THREAD = Rule(
    code="AWSBP704",
    msgid="W7339",
    symbol="boto3-default-session-in-thread",
    message=(
        "boto3.{kind}() uses the shared default session inside thread worker '{worker}'; "
        "create the client before starting the threads, or a boto3.session.Session() per "
        "thread"
    ),
    summary="boto3.client()/resource() (the default session) called inside a thread worker",
    guide_section="Performance Optimization › Concurrency and Parallelism",
    checker=ThreadChecker,
    min_evidence=Evidence.HIGH,
    docs=RuleDocs(
        what=(
            "Finds `boto3.client()` and `boto3.resource()` calls (which use boto3's shared "
            "default session) inside a function of the same module that runs in a thread: "
            "the `target` of `threading.Thread`, a callable given to "
            "`ThreadPoolExecutor.submit/map` or `ThreadPool.map/apply_async`, "
            "`asyncio.to_thread` or `loop.run_in_executor(None, ...)` (lambdas, "
            "`functools.partial` and methods called as `self.work` too), and in the "
            "module-level functions such a worker calls."
        ),
        why=(
            "Sessions are not thread-safe. Creating clients from the default session in "
            "several threads at once races on its shared state and fails intermittently "
            "(`KeyError: 'credential_provider'`, `KeyError: 'endpoint_resolver'`; boto3 "
            "issues #1592 and #2750). The guide says \"Implement proper thread safety when "
            "using threading\"; boto3's documentation recommends one client created before "
            "the threads start (clients are thread-safe) or one `boto3.session.Session()` "
            "per thread.\n\n"
            "Not reported: clients created from an explicit `Session` inside the worker, and "
            "factories inside `functools.lru_cache`/`cache` functions."
        ),
        example=(
            "from concurrent.futures import ThreadPoolExecutor\n\n"
            "import boto3\n\n\n"
            "def fetch(key):\n"
            "    s3 = boto3.client(\"s3\")\n"
            "    return s3.get_object(Bucket=\"reports\", Key=key)[\"Body\"].read()\n\n\n"
            "def fetch_all(keys):\n"
            "    with ThreadPoolExecutor(max_workers=8) as pool:\n"
            "        return list(pool.map(fetch, keys))\n"
        ),
        use_instead=(
            "from concurrent.futures import ThreadPoolExecutor\n\n"
            "import boto3\n\n\n"
            "def fetch(key):\n"
            "    s3 = boto3.session.Session().client(\"s3\")\n"
            "    return s3.get_object(Bucket=\"reports\", Key=key)[\"Body\"].read()\n\n\n"
            "def fetch_all(keys):\n"
            "    with ThreadPoolExecutor(max_workers=8) as pool:\n"
            "        return list(pool.map(fetch, keys))\n"
        ),
        references=(
            "https://boto3.amazonaws.com/v1/documentation/api/latest/guide/clients.html"
            "#multithreading-or-multiprocessing-with-clients",
            "https://github.com/boto/boto3/issues/1592",
        ),
    ),
)

SHARED_WITH_WORKERS = Rule(
    code="AWSBP705",
    msgid="W7340",
    symbol="boto3-object-shared-with-workers",
    message="boto3 {kind} shared with {where} workers; {advice}",
    summary="boto3 session or resource shared with threads, or any boto3 object with processes",
    guide_section="Performance Optimization › Concurrency and Parallelism",
    checker=ThreadChecker,
    min_evidence=Evidence.HIGH,
    docs=RuleDocs(
        what=(
            "Finds boto3 sessions and resources (including `Table`, `Bucket` and `Object`) "
            "created outside a thread worker and used inside it (a free variable, "
            "`self.attr`, or an argument given to `submit`/`Thread(args=...)`); and boto3 "
            "clients, resources and sessions handed to process workers "
            "(`ProcessPoolExecutor`, `multiprocessing.Pool`/`Process`) as arguments or "
            "captured from the enclosing function. Workers are found as for AWSBP704."
        ),
        why=(
            "boto3 documents clients as thread-safe but sessions and resources as not: "
            "resources carry mutable state that concurrent threads corrupt. No boto3 object "
            "can cross a process boundary: passing one to a process pool fails to pickle, "
            "and a copy inherited through `fork` shares sockets with its parent. The guide "
            "says \"Implement proper thread safety when using threading\".\n\n"
            "Not reported: resources used only for `.meta.client` (a client), clients in "
            "threads, and module-level objects used by process workers (with the `spawn` "
            "and `forkserver` start methods each process re-imports the module and gets its "
            "own)."
        ),
        example=(
            "from concurrent.futures import ThreadPoolExecutor\n\n"
            "import boto3\n\n"
            "table = boto3.resource(\"dynamodb\").Table(\"orders\")\n\n\n"
            "def save(order):\n"
            "    return table.put_item(Item=order)\n\n\n"
            "def save_all(orders):\n"
            "    with ThreadPoolExecutor(max_workers=4) as pool:\n"
            "        return list(pool.map(save, orders))\n"
        ),
        use_instead=(
            "from concurrent.futures import ThreadPoolExecutor\n\n"
            "import boto3\n\n\n"
            "def save(order):\n"
            "    table = boto3.session.Session().resource(\"dynamodb\").Table(\"orders\")\n"
            "    return table.put_item(Item=order)\n\n\n"
            "def save_all(orders):\n"
            "    with ThreadPoolExecutor(max_workers=4) as pool:\n"
            "        return list(pool.map(save, orders))\n"
        ),
        references=(
            "https://boto3.amazonaws.com/v1/documentation/api/latest/guide/resources.html"
            "#multithreading-or-multiprocessing-with-resources",
            "https://boto3.amazonaws.com/v1/documentation/api/latest/guide/session.html"
            "#multithreading-or-multiprocessing-with-sessions",
        ),
    ),
)

POOL_TOO_SMALL = Rule(
    code="AWSBP706",
    msgid="W7341",
    symbol="thread-pool-exceeds-connection-pool",
    message=(
        "thread pool of {workers} workers shares a boto3 client whose connection pool "
        "holds {limit}; set Config(max_pool_connections={workers}) on the client"
    ),
    summary="Thread pool wider than the shared client's connection pool",
    guide_section="AWS SDK (boto3) Optimization › Connection Management",
    checker=ThreadChecker,
    min_evidence=Evidence.HIGH,
    docs=RuleDocs(
        what=(
            "Finds `ThreadPoolExecutor(max_workers=N)` (or `ThreadPool(N)`) with a literal N "
            "whose workers use a boto3 client created outside them, when N is larger than "
            "the client's `max_pool_connections`: 10 by default, or the literal value of "
            "`Config(max_pool_connections=...)` given to the client."
        ),
        why=(
            "A client keeps at most `max_pool_connections` HTTP connections. Extra threads "
            "either wait for a free connection or open throw-away ones, and urllib3 logs "
            "`Connection pool is full, discarding connection`: the pool width caps the "
            "concurrency you paid threads for. The guide says \"Use connection pooling\" "
            "and to configure clients for performance.\n\n"
            "Not reported: clients whose `config` cannot be read (a variable from "
            "elsewhere, `**kwargs`) and pools whose size is not a literal."
        ),
        example=(
            "from concurrent.futures import ThreadPoolExecutor\n\n"
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n\n\n"
            "def fetch(key):\n"
            "    return s3.get_object(Bucket=\"reports\", Key=key)[\"Body\"].read()\n\n\n"
            "def fetch_all(keys):\n"
            "    with ThreadPoolExecutor(max_workers=32) as pool:\n"
            "        return list(pool.map(fetch, keys))\n"
        ),
        use_instead=(
            "from concurrent.futures import ThreadPoolExecutor\n\n"
            "import boto3\n"
            "from botocore.config import Config\n\n"
            "s3 = boto3.client(\"s3\", config=Config(max_pool_connections=32))\n\n\n"
            "def fetch(key):\n"
            "    return s3.get_object(Bucket=\"reports\", Key=key)[\"Body\"].read()\n\n\n"
            "def fetch_all(keys):\n"
            "    with ThreadPoolExecutor(max_workers=32) as pool:\n"
            "        return list(pool.map(fetch, keys))\n"
        ),
        references=(
            "https://botocore.amazonaws.com/v1/documentation/api/latest/reference/config.html",
        ),
    ),
)

RULES: tuple[Rule, ...] = (
    BLOCKING_IN_ASYNC,
    AIO_NOT_ENTERED,
    AIO_NOT_AWAITED,
    DEFAULT_SESSION_IN_THREAD,
    SHARED_WITH_WORKERS,
    POOL_TOO_SMALL,
)
