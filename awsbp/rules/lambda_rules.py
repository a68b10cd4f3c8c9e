"""Lambda-specific rules: work done on every invocation that belongs at module level."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from awsbp.checker import Checker, FileContext
from awsbp.evidence import Evidence
from awsbp.model import FACTORY_CALL_NAMES
from awsbp.registry import Rule, RuleDocs
from awsbp.rules.clients import kind_label, non_service_args

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


@dataclass(frozen=True)
class _Candidate:
    function: str
    node: ast.Call
    kind: str


class ClientInHandlerChecker(Checker):
    """AWSBP601: a factory call in a Lambda handler or a function it calls."""

    CALL_NAMES = FACTORY_CALL_NAMES

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

    def visit_Call(self, node: ast.Call) -> None:
        top = self.model.top_function
        if top is None or id(node) in self._lazy:
            return
        if not self.model.handlers:
            return
        value = self.model.factory_value(node)
        if value is None or not self.ctx.accepts(CLIENT_IN_HANDLER, value.evidence):
            return
        frame = self.ctx.frame
        if is_cached_function(frame.node):
            return
        args = non_service_args(node)
        for kw in node.keywords:
            if kw.arg in _CREDENTIAL_KEYWORDS and not isinstance(kw.value, ast.Constant):
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
        self._candidates.append(_Candidate(top, node, kind_label(value)))

    def end_module(self) -> None:
        if not self._candidates:
            return
        path = self.model.handler_path()
        for cand in self._candidates:
            if cand.function in path:
                self.ctx.report(
                    CLIENT_IN_HANDLER, cand.node, kind=cand.kind, function=cand.function
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
            "import boto3\n\n\n"
            "def lambda_handler(event, context):\n"
            "    s3 = boto3.client(\"s3\")\n"
            "    return s3.list_buckets()[\"Buckets\"][0][\"Name\"]\n"
        ),
        use_instead=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n\n\n"
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

RULES: tuple[Rule, ...] = (CLIENT_IN_HANDLER,)
