"""API correctness checked against botocore's service models, and exception modelling.

Every rule here compares what the code asks of boto3 with the botocore snapshot
shipped in :mod:`awsbp.botocore_data`: service names, client methods, waiters,
paginators, operation parameters, deprecated operations and modeled exceptions.
The per-service data is loaded only for services the file calls.

Findings about a client's methods need the receiver resolved with high evidence
(``boto3.client("s3")``, a known session's ``client()``, a boto3-stubs annotation);
``client.exceptions.X`` also accepts a client made by ``<anything>.client("svc")``.
A guess from the receiver's name alone never counts. Findings are collected during
the walk and reported in ``end_module``,
after dropping those whose receiver name is bound to something else elsewhere in
its scope (``if ...: c = boto3.client("s3") else: c = boto3.client("ec2")``) and
those a file's own customizations could explain (event hooks that add methods or
parameters, ``parameter_validation=False``, attributes assigned or patched onto
an object).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Container

from awsbp import botocore_data
from awsbp.botocore_data.model import ServiceModel, closest
from awsbp.checker import Checker, FileContext
from awsbp.evidence import Evidence
from awsbp.model import (
    FACTORY_CALL_NAMES,
    SemanticModel,
    call_arg,
    has_star_kwargs,
    literal_str,
    target_names,
)
from awsbp.options import OptionSpec
from awsbp.registry import Rule, RuleDocs
from awsbp.textgate import WordGate, any_word
from awsbp.values import AwsValue, Kind

OPTIONS: tuple[OptionSpec, ...] = (
    OptionSpec(
        name="awsbp-trust-client-factories",
        kind="bool",
        default=False,
        metavar="BOOL",
        help=(
            "Check operation names, parameters and deprecations (AWSBP203-AWSBP208) also on "
            "clients made by x.client(\"svc\") when x is not known to be a boto3 session "
            "(for code that gets sessions from helpers, such as Cloud Custodian's "
            "local_session())."
        ),
    ),
    OptionSpec(
        name="awsbp-extra-services",
        kind="list",
        default=(),
        metavar="SERVICES",
        help=(
            "Service names to accept in boto3.client()/resource() besides botocore's "
            "(custom service models loaded through AWS_DATA_PATH, or services newer than "
            "awsbp's botocore data)."
        ),
    ),
)

#: Display names and old names people write for a service, and the botocore name.
_SERVICE_HINTS: dict[str, str] = {
    "cloudwatch-logs": "logs", "cloudwatchlogs": "logs", "cwlogs": "logs",
    "cloudwatch-events": "events", "eventbridge": "events",
    "step-functions": "stepfunctions", "stepfunction": "stepfunctions",
    "states": "stepfunctions", "sfn": "stepfunctions",
    "secrets-manager": "secretsmanager", "secretmanager": "secretsmanager",
    "parameter-store": "ssm", "parameterstore": "ssm",
    "elasticsearch": "es", "cognito": "cognito-idp", "aws-lambda": "lambda",
    "dynamo": "dynamodb", "ddb": "dynamodb", "alb": "elbv2", "nlb": "elbv2",
    "kinesis-firehose": "firehose", "api-gateway": "apigateway", "route-53": "route53",
}

#: Request parameter aliases botocore accepts (``handlers._add_parameter_aliases``):
#: (service, operation or "*", parameter in the model) -> alias.
_PARAM_ALIASES: dict[tuple[str, str, str], str] = {
    ("ec2", "*", "Filter"): "Filters",
    ("logs", "create_export_task", "from"): "fromTime",
    ("cloudsearchdomain", "search", "return"): "returnFields",
}
#: Required members botocore fills in itself: idempotency tokens (``generate_idempotent_uuid``)
#: by name where the name is always such a token, plus the rest by operation.
_AUTO_FILLED_NAMES = frozenset(
    {
        "ClientToken", "clientToken", "ClientRequestToken", "clientRequestToken",
        "IdempotencyToken", "CreationToken", "ExecuteToken", "ProvisionToken",
        "TerminateToken", "requestId", "RequestId", "CreatorRequestId",
        "associatedResourceName",
    }
)
_AUTO_FILLED_BY_OPERATION: dict[tuple[str, str], frozenset[str]] = {
    ("athena", "delete_named_query"): frozenset({"NamedQueryId"}),
    ("athena", "stop_query_execution"): frozenset({"QueryExecutionId"}),
    ("chime-sdk-messaging", "channel_flow_callback"): frozenset({"CallbackId"}),
    ("servicecatalog", "update_provisioned_product"): frozenset({"UpdateToken"}),
}
#: glacier's ``accountId`` defaults to "-" (``handlers.inject_account_id``).
_AUTO_FILLED_BY_SERVICE: dict[str, frozenset[str]] = {"glacier": frozenset({"accountId"})}

#: Replacements for the deprecated operations users meet most.
_REPLACEMENTS: dict[tuple[str, str], str] = {
    ("s3", "put_bucket_lifecycle"): "put_bucket_lifecycle_configuration",
    ("s3", "get_bucket_lifecycle"): "get_bucket_lifecycle_configuration",
    ("s3", "put_bucket_notification"): "put_bucket_notification_configuration",
    ("s3", "get_bucket_notification"): "get_bucket_notification_configuration",
    ("lambda", "invoke_async"): "invoke (with InvocationType='Event')",
    ("logs", "list_tags_log_group"): "list_tags_for_resource",
    ("logs", "tag_log_group"): "tag_resource",
    ("logs", "untag_log_group"): "untag_resource",
    ("emr", "describe_job_flows"): "list_clusters and describe_cluster",
    ("efs", "create_tags"): "tag_resource",
    ("efs", "delete_tags"): "untag_resource",
    ("efs", "describe_tags"): "list_tags_for_resource",
}

#: Names in ``botocore.exceptions`` that are not in ``boto3.exceptions``.
_BOTOCORE_ONLY_EXCEPTIONS = frozenset(
    {
        "ClientError", "BotoCoreError", "NoCredentialsError", "PartialCredentialsError",
        "ParamValidationError", "EndpointConnectionError", "ConnectTimeoutError",
        "ReadTimeoutError", "ConnectionClosedError", "ConnectionError", "NoRegionError",
        "ProfileNotFound", "WaiterError", "CredentialRetrievalError", "UnknownServiceError",
        "DataNotFoundError", "OperationNotPageableError", "EventStreamError",
        "IncompleteReadError", "ResponseStreamingError", "SSLError", "ProxyConnectionError",
        "HTTPClientError", "TokenRetrievalError", "UnauthorizedSSOTokenError",
        "SSOTokenLoadError", "NoAuthTokenError", "UnknownKeyError", "InvalidConfigError",
        "InvalidRetryConfigurationError", "InvalidRetryModeError", "StubResponseError",
        "UnStubbedResponseError", "ValidationError", "UndefinedModelAttributeError",
    }
)
#: Members of a client's ``exceptions`` object that are not modeled exceptions.
_CLIENT_EXCEPTIONS_MEMBERS = frozenset({"ClientError", "from_code"})

_HOOK_ADDS_METHODS = "creating-client-class"
_HOOK_CHANGES_PARAMS = re.compile(
    r"provide-client-params|before-parameter-build|parameter_validation[\"']?\s*[=:]\s*False"
)
_NOT_FOUND_CODES = frozenset({"404", "NotFound", "Not Found", 404})

_BOTO3_CLIENT_DOC = (
    "https://boto3.amazonaws.com/v1/documentation/api/latest/guide/clients.html"
)
_ERROR_DOC = (
    "https://boto3.amazonaws.com/v1/documentation/api/latest/guide/error-handling.html"
)


def _version() -> str:
    """The botocore release the snapshot comes from (for messages)."""
    return botocore_data.botocore_version()


def _snake(name: str) -> str:
    """CamelCase operation name to botocore's snake_case (good enough for suggestions)."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    return text.lower()


def receiver_value(model: SemanticModel, expr: ast.expr) -> AwsValue | None:
    """The receiver's value; name hints (``s3_client``) only for names that are not imports.

    ``from awswrangler import s3`` makes ``s3.delete_objects(path=...)`` a module call.
    """
    value = model.infer(expr)
    if value is not None:
        return value
    if isinstance(expr, ast.Name) and expr.id in model.imports:
        return None
    return model.receiver_hint(expr)


class _Candidate:
    """A finding held until ``end_module``."""

    __slots__ = ("binding", "fields", "method", "node", "rule")

    rule: Rule
    node: ast.AST
    fields: dict[str, object]
    binding: tuple[int, str] | None
    """Scope key and name of the receiver, when the receiver is a plain name."""
    method: str | None
    """The client attribute called, for the attribute-assignment escape hatch."""

    def __init__(
        self,
        rule: Rule,
        node: ast.AST,
        fields: dict[str, object],
        binding: tuple[int, str] | None,
        method: str | None = None,
    ) -> None:
        self.rule = rule
        self.node = node
        self.fields = fields
        self.binding = binding
        self.method = method


#: ``<client>.exceptions.<Name>``: a dot, then "exceptions" (line breaks and spaces between
#: the parts are legal Python, and allowed for), a dot and the name.
_MODELED_EXCEPTION_TEXT = re.compile(r"\.[\s\\]*exceptions[\s\\]*\.([\s\\]*\w+)?")


def _exception_attribute_names(text: str) -> frozenset[str] | None:
    """The names written after ``.exceptions.`` in ``text``.

    None when one cannot be read there (a comment between the dot and the name).
    """
    found: set[str] = set()
    for match in _MODELED_EXCEPTION_TEXT.finditer(text):
        name = match.group(1)
        if name is None:
            return None
        found.add(name.lstrip(" \t\n\r\f\v\\"))
    return frozenset(found)


#: The binding signature of anything that is not a client of a known service.
_OTHER_VALUE: tuple[str, str | None] = ("?", None)


class ClientApiChecker(Checker):
    """AWSBP203-AWSBP208 and AWSBP401: calls and exceptions on resolved clients."""

    #: A client value needs a factory, a ``.meta.client`` or a stub annotation in the file.
    TEXT_GATE = any_word(
        "client(", "resource(", "create_client", "meta.client", "mypy_boto3", "types_boto3",
        "types_aiobotocore", "BaseClient",
    )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._candidates: list[_Candidate] = []
        #: Per (scope, name): what the first binding made (see ``_record``), and the keys
        #: a later binding gave something else.
        self._signatures: dict[tuple[int, str], tuple[str, str | None]] = {}
        self._rebound: set[tuple[int, str]] = set()
        self._assigned_attrs: set[str] = set()
        self._trust_factories = ctx.settings.get_bool("awsbp-trust-client-factories")
        #: The names written after ``.exceptions.`` (None: some could not be read).
        self._exception_names: frozenset[str] | None = frozenset()
        if "exceptions" in ctx.text:
            self._exception_names = _exception_attribute_names(ctx.text)
        if self._exception_names is not None and not self._exception_names:
            # ``client.exceptions.X`` (AWSBP401) cannot occur without the attribute chain
            self.skip_handlers = frozenset({"visit_Attribute"})

    # ------------------------------------------------------------ bindings
    def _scope_key_for_load(self, name: str) -> int | None:
        scopes = self.model.scopes
        innermost = scopes[-1]
        for scope in reversed(scopes):
            if scope.kind == "class" and scope is not innermost:
                continue
            if name in scope.bindings:
                return id(scope.node)
        return None

    def _record(self, name: str, value_node: ast.expr | None) -> None:
        """Note what ``name`` is bound to here: a client of a service, or something else.

        The model has just bound the name (it runs before the handlers): its value is
        reused. ``client = None`` before a lazy creation is no competing binding.
        """
        model = self.model
        value = model.lookup(name) if value_node is not None else None
        if value is None:
            if value_node is not None and value_node.__class__ is ast.Constant:
                return
            signature: tuple[str, str | None] = _OTHER_VALUE
        else:
            service = value.service
            canonical = botocore_data.canonical_service(service) if service else None
            signature = (value.kind.value, canonical or service)
        scope = model.scope
        key = (id(model.scopes[0].node) if name in scope.globals_ else id(scope.node), name)
        first = self._signatures.setdefault(key, signature)
        if first != signature:
            self._rebound.add(key)

    def _record_target(self, target: ast.expr, value_node: ast.expr | None) -> None:
        if target.__class__ is ast.Name:
            self._record(target.id, value_node)
        elif target.__class__ is ast.Attribute:
            self._assigned_attrs.add(target.attr)
        else:
            for name in target_names(target):
                self._record(name, None)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._record_target(target, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._record_target(node.target, node.value)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._record_target(node.target, None)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self._record_target(node.target, node.value)

    def visit_For(self, node: ast.For) -> None:
        self._record_target(node.target, None)

    def visit_AsyncFor(self, node: ast.AsyncFor) -> None:
        self._record_target(node.target, None)

    def visit_With(self, node: ast.With) -> None:
        self._with(node.items)

    def visit_AsyncWith(self, node: ast.AsyncWith) -> None:
        self._with(node.items)

    def _with(self, items: list[ast.withitem]) -> None:
        for item in items:
            if isinstance(item.optional_vars, ast.Name):
                self._record_target(item.optional_vars, item.context_expr)
            elif item.optional_vars is not None:
                self._record_target(item.optional_vars, None)

    # ------------------------------------------------------------ resolution
    def _client(self, expr: ast.expr) -> tuple[AwsValue, ServiceModel] | None:
        """The client ``expr`` is and its service model, with the evidence rules judge.

        A guess from the receiver's name counts as low evidence here (names such as
        ``ec2`` or ``s3`` often hold dicts or modules); a client made by
        ``<unknown>.client("svc")`` stays medium, or counts as high when
        ``awsbp-trust-client-factories`` is on.
        """
        value = receiver_value(self.model, expr)
        if value is None or value.kind is not Kind.CLIENT or not value.service:
            return None
        service = botocore_data.service(value.service)
        if service is None:
            return None
        if value.evidence is Evidence.MEDIUM:
            if value.origin is None:
                value = value.with_evidence(Evidence.LOW)
            elif self._trust_factories:
                value = value.with_evidence(Evidence.HIGH)
        return value, service

    def _binding(self, expr: ast.expr) -> tuple[int, str] | None:
        if isinstance(expr, ast.Name):
            key = self._scope_key_for_load(expr.id)
            if key is not None:
                return (key, expr.id)
        return None

    def _string_arg(self, expr: ast.expr | None) -> str | None:
        """A literal, or a module-level string constant not shadowed locally."""
        text = literal_str(expr)
        if text is not None or not isinstance(expr, ast.Name):
            return text
        if any(expr.id in scope.bindings for scope in self.model.scopes[1:]):
            return None
        return self.model.module_string_constants().get(expr.id)

    def _hold(
        self, rule: Rule, node: ast.AST, receiver: ast.expr, method: str | None = None,
        **fields: object,
    ) -> None:
        self._candidates.append(
            _Candidate(rule, node, dict(fields), self._binding(receiver), method)
        )

    # ------------------------------------------------------------ calls
    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if not isinstance(func, ast.Attribute):
            if isinstance(func, ast.Name) and func.id == "setattr":
                self._note_patched(node)
            return
        if func.attr == "object":
            self._note_patched(node)
        method = func.attr
        if method.startswith("_") or self.model.plainly_not_sdk(func.value):
            return
        resolved = self._client(func.value)
        if resolved is None:
            return
        value, service = resolved
        if method == "get_waiter":
            self._check_waiter(node, func.value, value, service)
        elif method == "get_paginator":
            self._check_paginator(node, func.value, value, service)
        elif method in service.operations:
            self._check_operation(node, func.value, value, service, method)
        elif method not in service.extra_methods and self.ctx.accepts(
            UNKNOWN_METHOD, value.evidence
        ):
            hint = closest(method, service.operations | service.extra_methods)
            self._hold(
                UNKNOWN_METHOD, node, func.value, method,
                service=service.name, op=method, version=_version(),
                hint=f"; did you mean '{hint}'?" if hint else
                f"; check the name in the boto3 reference for {service.name}",
            )

    def _note_patched(self, node: ast.Call) -> None:
        """``setattr(c, "m", f)`` / ``patch.object(c, "m")`` give ``c`` a method ``m``."""
        name = literal_str(node.args[1]) if len(node.args) > 1 else None
        if name:
            self._assigned_attrs.add(name)

    def _check_waiter(
        self, node: ast.Call, receiver: ast.expr, value: AwsValue, service: ServiceModel
    ) -> None:
        if not self.ctx.accepts(UNKNOWN_WAITER, value.evidence):
            return
        arg = call_arg(node, 0, "waiter_name")
        name = self._string_arg(arg)
        if arg is None or name is None or name in service.waiters:
            return
        waiters = sorted(service.waiters)
        suggestion = closest(name, service.waiters) or (
            closest(_snake(name), service.waiters) if name != _snake(name) else None
        )
        if suggestion:
            hint = f"use '{suggestion}'"
        elif not waiters:
            hint = f"{service.name} defines no waiters; poll the describe call instead"
        elif len(waiters) <= 6:
            hint = "its waiters are " + ", ".join(f"'{w}'" for w in waiters)
        else:
            hint = f"see client.waiter_names for {service.name}'s waiters"
        self._hold(
            UNKNOWN_WAITER, arg, receiver, None, service=service.name, name=name, hint=hint
        )

    def _check_paginator(
        self, node: ast.Call, receiver: ast.expr, value: AwsValue, service: ServiceModel
    ) -> None:
        if not self.ctx.accepts(BAD_PAGINATOR, value.evidence):
            return
        arg = call_arg(node, 0, "operation_name")
        op = self._string_arg(arg)
        if arg is None or op is None or op in service.paginators:
            return
        snake = _snake(op)
        if op in service.operations:
            problem = (
                f"the {service.name} operation '{op}' has no paginator "
                "(OperationNotPageableError); call it directly"
            )
        elif snake in service.paginators:
            problem = f"it takes the snake_case operation name; use '{snake}'"
        elif snake in service.operations:
            problem = (
                f"it takes the snake_case name, and '{snake}' has no paginator "
                "(OperationNotPageableError); call it directly"
            )
        else:
            suggestion = closest(op, service.paginators)
            problem = f"the {service.name} client has no operation '{op}'" + (
                f"; use '{suggestion}'" if suggestion else
                f"; see can_paginate() for {service.name}'s paginated operations"
            )
        self._hold(BAD_PAGINATOR, arg, receiver, None, op=op, problem=problem)

    def _check_operation(
        self,
        node: ast.Call,
        receiver: ast.expr,
        value: AwsValue,
        service: ServiceModel,
        method: str,
    ) -> None:
        operation = service.operation(method)
        if operation is None:
            return
        if operation.deprecated and self.ctx.accepts(DEPRECATED_OPERATION, value.evidence):
            replacement = _REPLACEMENTS.get((service.name, method))
            self._hold(
                DEPRECATED_OPERATION, node, receiver, None, service=service.name, op=method,
                fix=f"use {replacement}() instead" if replacement else
                "move to the replacement named in the API reference",
            )
        if node.args or has_star_kwargs(node):
            return
        check_unknown = self.ctx.accepts(UNKNOWN_PARAMETER, value.evidence)
        check_missing = self.ctx.accepts(MISSING_PARAMETER, value.evidence)
        if not (check_unknown or check_missing):
            return
        params = operation.params
        aliases = self._aliases(service.name, method, params)
        given: set[str] = set()
        for kw in node.keywords:
            if kw.arg is None:
                continue
            name = aliases.get(kw.arg, kw.arg)
            given.add(name)
            if name in params:
                continue
            suggestion = closest(kw.arg, params)
            if suggestion:
                given.add(suggestion)  # a misspelt required member is reported once
            if not check_unknown:
                continue
            self._hold(
                UNKNOWN_PARAMETER, kw, receiver, None, service=service.name, op=method,
                param=kw.arg,
                hint=f"; did you mean '{suggestion}'?" if suggestion else
                f"; see the {method} request syntax",
            )
        if not check_missing:
            return
        missing = sorted(
            name for name in operation.required - given
            if name not in _AUTO_FILLED_NAMES
            and name not in _AUTO_FILLED_BY_OPERATION.get((service.name, method), ())
            and name not in _AUTO_FILLED_BY_SERVICE.get(service.name, ())
        )
        if missing:
            self._hold(
                MISSING_PARAMETER, node, receiver, None, service=service.name, op=method,
                params=", ".join(f"'{m}'" for m in missing),
                plural="s" if len(missing) > 1 else "",
                pronoun="them" if len(missing) > 1 else "it",
            )

    @staticmethod
    def _aliases(service: str, op: str, params: frozenset[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for (svc, alias_op, original), alias in _PARAM_ALIASES.items():
            if svc == service and alias_op in ("*", op) and original in params:
                out[alias] = original
        return out

    # ------------------------------------------------------------ exceptions
    def attribute_filter(self) -> Container[str] | None:
        """Only the names that follow ``.exceptions.`` in the text."""
        return self._exception_names

    def visit_Attribute(self, node: ast.Attribute) -> None:
        owner = node.value
        if not isinstance(owner, ast.Attribute) or owner.attr != "exceptions":
            return
        name = node.attr
        if name in _CLIENT_EXCEPTIONS_MEMBERS or name.startswith("_"):
            return
        if not isinstance(node.ctx, ast.Load):
            return
        resolved = self._client(owner.value)
        if resolved is None:
            return
        value, service = resolved
        if name in service.exceptions or not self.ctx.accepts(UNKNOWN_EXCEPTION, value.evidence):
            return
        suggestion = closest(name, service.exceptions)
        self._hold(
            UNKNOWN_EXCEPTION, node, owner.value, None, service=service.name, name=name,
            hint=f"use '{suggestion}'" if suggestion else
            "catch botocore.exceptions.ClientError and check e.response['Error']['Code']",
        )

    # ------------------------------------------------------------ end
    def end_module(self) -> None:
        if not self._candidates:
            return
        text = self.ctx.text
        adds_methods = _HOOK_ADDS_METHODS in text
        changes_params = _HOOK_CHANGES_PARAMS.search(text) is not None
        for cand in self._candidates:
            if cand.binding is not None and cand.binding in self._rebound:
                continue
            if cand.rule is UNKNOWN_METHOD and (
                adds_methods or cand.method in self._assigned_attrs
            ):
                continue
            if cand.rule in (UNKNOWN_PARAMETER, MISSING_PARAMETER) and changes_params:
                continue
            self.ctx.report(cand.rule, cand.node, **cand.fields)


class ServiceNameChecker(Checker):
    """AWSBP201-AWSBP202: the service name given to a client/resource factory."""

    CALL_NAMES = FACTORY_CALL_NAMES

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if not isinstance(func, (ast.Attribute, ast.Name)):
            return
        value = self.model.factory_value(node)
        if value is None or value.kind not in (Kind.CLIENT, Kind.RESOURCE):
            return
        if not value.service or not self.ctx.accepts(UNKNOWN_SERVICE, value.evidence):
            return
        arg = call_arg(node, 0, "service_name")
        if arg is None:
            return
        name = value.service
        if name in self.ctx.settings.get_list("awsbp-extra-services"):
            return
        factory = func.attr if isinstance(func, ast.Attribute) else func.id
        canonical = botocore_data.canonical_service(name)
        if canonical is None:
            suggestion = _SERVICE_HINTS.get(name.lower()) or closest(
                name, botocore_data.service_names()
            )
            self.ctx.report(
                UNKNOWN_SERVICE, arg, service=name, factory=factory, version=_version(),
                hint=f"; did you mean '{suggestion}'?" if suggestion else
                "; check it against boto3.session.Session().get_available_services()",
            )
            return
        if value.kind is Kind.RESOURCE and canonical not in botocore_data.resource_services():
            self.ctx.report(NO_RESOURCE_INTERFACE, arg, service=name)



_FROM_BOTO3_IMPORT = re.compile(r"boto3\s+import")


def _may_name_boto3_exception_or_vendored(text: str) -> bool:
    """Whether ``boto3.exceptions.X`` or ``botocore.vendored.requests.X`` can occur.

    ``boto3.exceptions`` is reached as an attribute chain (``b3.exceptions.X``), imported
    from boto3 (``from boto3 import exceptions``) or imported as a module.
    """
    return (
        "vendored" in text
        or "boto3.exceptions" in text
        or _FROM_BOTO3_IMPORT.search(text) is not None
        or ("exceptions" in text and _MODELED_EXCEPTION_TEXT.search(text) is not None)
    )


class ImportChecker(Checker):
    """AWSBP209, AWSBP210 and AWSBP402: imports of the wrong thing."""

    TEXT_GATE = any_word("boto", "vendored", "exceptions")

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._vendored_imported = False
        self._fallback_depth = 0
        self._vendored_text = "vendored" in ctx.text
        if not _may_name_boto3_exception_or_vendored(ctx.text):
            # an attribute of boto3.exceptions or botocore.vendored.requests needs one of
            # these words in the text
            self.skip_handlers = frozenset({"visit_Attribute"})

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if _catches_import_error(node.type):
            self._fallback_depth += 1

    def leave_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if _catches_import_error(node.type):
            self._fallback_depth -= 1

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            name = alias.name
            if name == "boto" or name.startswith("boto."):
                if not self._fallback_depth:
                    self.ctx.report(BOTO2_IMPORT, node, module=name)
                return
            if _is_vendored_requests(name):
                if not self._fallback_depth and not _vendored_exceptions_only(name, ()):
                    self._vendored_imported = True
                    self.ctx.report(VENDORED_REQUESTS, node)
                return

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module
        if node.level or module is None:
            return
        names = tuple(alias.name for alias in node.names)
        if module == "boto" or module.startswith("boto."):
            if not self._fallback_depth:
                self.ctx.report(BOTO2_IMPORT, node, module=module)
            return
        if module == "botocore.vendored" and "requests" in names:
            if not self._fallback_depth:
                self._vendored_imported = True
                self.ctx.report(VENDORED_REQUESTS, node)
            return
        if _is_vendored_requests(module):
            if not self._fallback_depth and not _vendored_exceptions_only(module, names):
                self._vendored_imported = True
                self.ctx.report(VENDORED_REQUESTS, node)
            return
        if module == "boto3.exceptions":
            for name in names:
                if name in _BOTOCORE_ONLY_EXCEPTIONS:
                    self.ctx.report(
                        WRONG_EXCEPTION_MODULE, node, name=name, error="ImportError"
                    )
                    return

    def attribute_filter(self) -> Container[str] | None:
        """boto3.exceptions.<botocore-only name>, unless the text mentions vendored requests."""
        return None if self._vendored_text else _BOTOCORE_ONLY_EXCEPTIONS

    def visit_Attribute(self, node: ast.Attribute) -> None:
        attr = node.attr
        if attr not in _BOTOCORE_ONLY_EXCEPTIONS and not self._vendored_text:
            return  # neither boto3.exceptions.<botocore-only name> nor vendored requests
        owner = node.value
        if attr in _BOTOCORE_ONLY_EXCEPTIONS and isinstance(owner, (ast.Attribute, ast.Name)):
            if self.model.qualname(owner) == "boto3.exceptions":
                self.ctx.report(
                    WRONG_EXCEPTION_MODULE, node, name=attr, error="AttributeError"
                )
            return
        if (
            not self._vendored_imported
            and attr not in _VENDORED_LEFTOVERS
            and isinstance(owner, ast.Attribute)
            and owner.attr == "requests"
            and isinstance(owner.value, ast.Attribute)
            and owner.value.attr == "vendored"
            and self.model.qualname(owner) == "botocore.vendored.requests"
        ):
            self.ctx.report(VENDORED_REQUESTS, owner)


#: What still works in ``botocore.vendored.requests``: exception classes (botocore's own
#: exceptions subclass them) and the vendored urllib3 exceptions under ``packages``.
_VENDORED_LEFTOVERS = frozenset(
    {
        "exceptions", "packages", "RequestException", "Timeout", "URLRequired",
        "TooManyRedirects", "HTTPError", "ConnectionError", "ReadTimeout", "ConnectTimeout",
    }
)
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})


def _catches_import_error(expr: ast.expr | None) -> bool:
    if expr is None:
        return False
    items = expr.elts if isinstance(expr, ast.Tuple) else [expr]
    return any(isinstance(i, ast.Name) and i.id in _IMPORT_ERRORS for i in items)


def _is_vendored_requests(module: str) -> bool:
    return module == "botocore.vendored.requests" or module.startswith(
        "botocore.vendored.requests."
    )


def _vendored_exceptions_only(module: str, names: tuple[str, ...]) -> bool:
    """An import of the exception classes that still exist there (and still work)."""
    parts = module.split(".")[3:]
    if parts:
        return parts[0] in _VENDORED_LEFTOVERS
    return bool(names) and all(n in _VENDORED_LEFTOVERS for n in names)


class _TryState:
    """What one ``try`` statement's body calls and its handlers match."""

    __slots__ = ("body_span", "handler_spans", "head_object", "node", "nosuchkey", "not_found")

    def __init__(self, node: ast.Try, body_span: tuple[int, int]) -> None:
        self.node = node
        self.body_span = body_span
        self.head_object = False
        self.nosuchkey: ast.AST | None = None
        self.not_found = False
        self.handler_spans: list[tuple[int, int]] = []


def _span(nodes: list[ast.stmt]) -> tuple[int, int]:
    if not nodes:
        return (0, -1)
    first, last = nodes[0], nodes[-1]
    return (first.lineno, getattr(last, "end_lineno", None) or last.lineno)


def _inside(node: ast.AST, span: tuple[int, int]) -> bool:
    line = getattr(node, "lineno", 0)
    return span[0] <= line <= span[1]


class HeadObjectChecker(Checker):
    """AWSBP403: ``head_object`` failures matched as ``NoSuchKey``."""

    TEXT_GATE = any_word("NoSuchKey")

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._tries: list[_TryState] = []

    def visit_Try(self, node: ast.Try) -> None:
        self._open(node)

    def leave_Try(self, node: ast.Try) -> None:
        self._close()

    def visit_TryStar(self, node: ast.Try) -> None:
        self._open(node)

    def leave_TryStar(self, node: ast.Try) -> None:
        self._close()

    def _open(self, node: ast.Try) -> None:
        state = _TryState(node, _span(node.body))
        for handler in node.handlers:
            end = getattr(handler, "end_lineno", None) or handler.lineno
            state.handler_spans.append((handler.lineno, end))
            if handler.type is not None and state.nosuchkey is None:
                state.nosuchkey = _nosuchkey_type(handler.type)
        self._tries.append(state)

    def _close(self) -> None:
        state = self._tries.pop()
        if state.head_object and state.nosuchkey is not None and not state.not_found:
            self.ctx.report(HEAD_OBJECT_NOSUCHKEY, state.nosuchkey)

    def visit_Call(self, node: ast.Call) -> None:
        if not self._tries:
            return
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr != "head_object":
            return
        value = receiver_value(self.model, func.value)
        if value is None or value.kind is not Kind.CLIENT or not value.service:
            return
        if botocore_data.canonical_service(value.service) != "s3":
            return
        if not self.ctx.accepts(HEAD_OBJECT_NOSUCHKEY, value.evidence):
            return
        for state in reversed(self._tries):
            if _inside(node, state.body_span):
                state.head_object = True
                return

    def visit_Compare(self, node: ast.Compare) -> None:
        if not self._tries:
            return
        if not any(_mentions_nosuchkey(c) for c in [node.left, *node.comparators]):
            return
        for state in self._handler_states(node):
            if state.nosuchkey is None:
                state.nosuchkey = node

    def visit_Constant(self, node: ast.Constant) -> None:
        if not self._tries or node.value not in _NOT_FOUND_CODES:
            return
        if isinstance(node.value, bool):
            return
        for state in self._handler_states(node):
            state.not_found = True

    def _handler_states(self, node: ast.AST) -> list[_TryState]:
        return [
            state for state in self._tries
            if any(_inside(node, span) for span in state.handler_spans)
        ]


def _nosuchkey_type(expr: ast.expr) -> ast.AST | None:
    """``x.exceptions.NoSuchKey`` in an ``except`` clause (alone or in a tuple)."""
    items = expr.elts if isinstance(expr, ast.Tuple) else [expr]
    for item in items:
        if (
            isinstance(item, ast.Attribute)
            and item.attr == "NoSuchKey"
            and isinstance(item.value, ast.Attribute)
            and item.value.attr == "exceptions"
        ):
            return item
    return None


def _mentions_nosuchkey(expr: ast.expr) -> bool:
    if literal_str(expr) == "NoSuchKey":
        return True
    if isinstance(expr, (ast.Tuple, ast.List, ast.Set)):
        return any(literal_str(e) == "NoSuchKey" for e in expr.elts)
    return False


# ---------------------------------------------------------------------------- rules

_FACTORY_NOTE = (
    "By default the client must be known with high evidence: `boto3.client(\"s3\")`, "
    "`client()` on a known `boto3.Session`, botocore's `create_client`, or a boto3-stubs "
    "annotation. Clients made by `x.client(\"s3\")` on a receiver awsbp cannot resolve (a "
    "session returned by a helper, or a wrapper) are checked only with "
    "`awsbp-trust-client-factories = true`; code that gets its sessions from helper "
    "functions (Cloud Custodian's `local_session()`) should turn it on."
)

UNKNOWN_SERVICE = Rule(
    code="AWSBP201",
    msgid="E7314",
    symbol="unknown-aws-service",
    message=(
        "unknown AWS service name '{service}' in {factory}() (not in botocore {version})"
        "{hint}"
    ),
    summary="Service name that botocore does not know given to client()/resource()",
    guide_section="Beyond the guide: botocore's service list (the call fails at runtime)",
    checker=ServiceNameChecker,
    min_evidence=Evidence.HIGH,
    options=("awsbp-extra-services",),
    docs=RuleDocs(
        what=(
            "Finds `boto3.client()`, `boto3.resource()`, `session.client()`/`resource()`, "
            "botocore's `create_client()` and the aioboto3/aiobotocore equivalents given a "
            "service name (a literal, or a module-level string constant) that is not a "
            "botocore service or alias, and suggests the closest valid name."
        ),
        why=(
            "An unknown name raises `UnknownServiceError` when the client is created, often "
            "at import time, taking the whole module (or Lambda function) down with it. "
            "Common slips are display names (`\"cloudwatch-logs\"` for `\"logs\"`, "
            "`\"step-functions\"` for `\"stepfunctions\"`) and typos.\n\n"
            "The service list comes from the botocore release awsbp's data was generated "
            "from. For custom service models (`AWS_DATA_PATH`) or services added by a newer "
            "botocore, list them in `awsbp-extra-services`."
        ),
        example=(
            "import boto3\n\n"
            "logs = boto3.client(\"cloudwatch-logs\")\n"
        ),
        use_instead=(
            "import boto3\n\n"
            "logs = boto3.client(\"logs\")\n"
        ),
        references=(_BOTO3_CLIENT_DOC,),
    ),
)

NO_RESOURCE_INTERFACE = Rule(
    code="AWSBP202",
    msgid="E7315",
    symbol="aws-service-without-resource",
    message=(
        "boto3 has no resource interface for '{service}' (ResourceNotExistsError); "
        "use client('{service}') instead"
    ),
    summary="boto3.resource() for a service that only has a client",
    guide_section="Beyond the guide: boto3's resource list (the call fails at runtime)",
    checker=ServiceNameChecker,
    min_evidence=Evidence.HIGH,
    docs=RuleDocs(
        what=(
            "Finds `boto3.resource(name)` and `session.resource(name)` for a service that "
            "exists but has no boto3 resource interface. Only cloudformation, cloudwatch, "
            "dynamodb, ec2, glacier, iam, s3, sns and sqs have one."
        ),
        why=(
            "`boto3.resource(\"lambda\")` raises `ResourceNotExistsError` when it runs. AWS "
            "has said it will add no new resources, so every other service is used through "
            "its client."
        ),
        example=(
            "import boto3\n\n"
            "functions = boto3.resource(\"lambda\")\n"
        ),
        use_instead=(
            "import boto3\n\n"
            "functions = boto3.client(\"lambda\")\n"
        ),
        references=(
            "https://boto3.amazonaws.com/v1/documentation/api/latest/guide/resources.html",
        ),
    ),
)

UNKNOWN_METHOD = Rule(
    code="AWSBP203",
    msgid="E7316",
    symbol="unknown-client-method",
    message=(
        "the {service} client has no method '{op}' (not in botocore {version}){hint}"
    ),
    summary="Call of a method that a resolved boto3 client does not have",
    guide_section="Beyond the guide: botocore's service models (the call fails at runtime)",
    checker=ClientApiChecker,
    min_evidence=Evidence.HIGH,
    options=("awsbp-trust-client-factories",),
    docs=RuleDocs(
        what=(
            "Finds a call `client.name(...)` on a client whose service is known with high "
            "evidence (created by `boto3.client(\"s3\")`, a session's `client()`, "
            "`create_client()`, or annotated with a boto3-stubs type) where `name` is not "
            "an operation of that service, not a method every client has (`get_paginator`, "
            "`get_waiter`, `generate_presigned_url`, `can_paginate`, `close`...) and not a "
            "method boto3 injects (S3's `upload_file`, `download_fileobj`, `copy`...; RDS's "
            "`generate_db_auth_token`). Operation names are snake_case."
        ),
        why=(
            "The call raises `AttributeError` at runtime, usually on a path tests do not "
            "cover (error handling, a rarely used branch). Frequent causes: a CamelCase or "
            "singular/plural slip (`list_object_v2`), a resource method called on a client "
            "(`s3.Bucket(...)`, `table.put_item` on the DynamoDB client), or an operation of "
            "a different service.\n\n"
            "Not reported: receivers that are only guessed from their name, names bound to "
            "clients of different services in the same scope, files that register a "
            "`creating-client-class` event hook (which can add methods), and attributes the "
            "file assigns or patches onto an object (`client.extra = ...`, "
            "`patch.object(client, \"extra\")`). Method names come from the botocore release "
            "awsbp's data was generated from.\n\n"
            + _FACTORY_NOTE
        ),
        example=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n"
            "pages = s3.list_object_v2(Bucket=\"my-bucket\")\n"
        ),
        use_instead=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n"
            "page = s3.list_objects_v2(Bucket=\"my-bucket\")\n"
        ),
        references=(_BOTO3_CLIENT_DOC,),
        notes=(
            "mypy with boto3-stubs finds the same mistakes on annotated code; this rule "
            "needs no annotations."
        ),
    ),
)

UNKNOWN_WAITER = Rule(
    code="AWSBP204",
    msgid="E7317",
    symbol="unknown-waiter-name",
    message="the {service} client has no waiter '{name}' (ValueError at runtime); {hint}",
    summary="get_waiter() with a name the service does not define",
    guide_section="Beyond the guide: botocore's waiter models (the call fails at runtime)",
    checker=ClientApiChecker,
    min_evidence=Evidence.HIGH,
    options=("awsbp-trust-client-factories",),
    docs=RuleDocs(
        what=(
            "Finds `client.get_waiter(name)` on a high-evidence client where `name` (a "
            "literal or module-level constant) is not one of the service's waiters. Waiter "
            "names are snake_case (`bucket_exists`, `instance_running`)."
        ),
        why=(
            "`get_waiter` raises `ValueError: Waiter does not exist` at runtime; CamelCase "
            "names from the API reference (`BucketExists`) and waiters of another service "
            "are the usual causes."
        ),
        example=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n"
            "s3.get_waiter(\"BucketExists\").wait(Bucket=\"my-bucket\")\n"
        ),
        use_instead=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n"
            "s3.get_waiter(\"bucket_exists\").wait(Bucket=\"my-bucket\")\n"
        ),
        references=(_BOTO3_CLIENT_DOC,),
    ),
)

BAD_PAGINATOR = Rule(
    code="AWSBP205",
    msgid="E7318",
    symbol="invalid-paginator-name",
    message="get_paginator('{op}') fails at runtime: {problem}",
    summary="get_paginator() for an operation that cannot paginate or does not exist",
    guide_section="Beyond the guide: botocore's paginator models (the call fails at runtime)",
    checker=ClientApiChecker,
    min_evidence=Evidence.HIGH,
    options=("awsbp-trust-client-factories",),
    docs=RuleDocs(
        what=(
            "Finds `client.get_paginator(name)` on a high-evidence client where `name` is "
            "not a paginated snake_case operation of the service: an operation without a "
            "paginator, a CamelCase name (`ListObjectsV2`), or no operation at all."
        ),
        why=(
            "botocore raises `OperationNotPageableError` for an operation without a "
            "paginator and `KeyError` for an unknown or CamelCase name, at runtime."
        ),
        example=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n"
            "pages = s3.get_paginator(\"ListObjectsV2\").paginate(Bucket=\"my-bucket\")\n"
        ),
        use_instead=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n"
            "pages = s3.get_paginator(\"list_objects_v2\").paginate(Bucket=\"my-bucket\")\n"
        ),
        references=(
            "https://boto3.amazonaws.com/v1/documentation/api/latest/guide/paginators.html",
        ),
    ),
)

UNKNOWN_PARAMETER = Rule(
    code="AWSBP206",
    msgid="E7319",
    symbol="unknown-operation-parameter",
    message=(
        "unknown parameter '{param}' for {service} {op}() (ParamValidationError at runtime)"
        "{hint}"
    ),
    summary="Keyword argument that the operation's input shape does not have",
    guide_section="Beyond the guide: botocore's service models (the call fails at runtime)",
    checker=ClientApiChecker,
    min_evidence=Evidence.HIGH,
    options=("awsbp-trust-client-factories",),
    docs=RuleDocs(
        what=(
            "Finds a keyword argument of an operation call on a high-evidence client that "
            "is not a member of the operation's input shape. Parameter names are "
            "case-sensitive and follow the API (`QueueUrl`, `Bucket`, `TableName`)."
        ),
        why=(
            "botocore validates parameters before sending and raises "
            "`ParamValidationError: Unknown parameter in input` at runtime. The usual "
            "causes are case slips (`QueueURL`), parameters of a similar operation, and "
            "arguments meant for a higher-level helper (`ExtraArgs` is an `upload_file` "
            "argument, not a `put_object` one).\n\n"
            "Not reported: calls with `**kwargs` or positional arguments, resource and "
            "`Table` methods, receivers resolved only by name, and files that register "
            "`before-parameter-build`/`provide-client-params` hooks or set "
            "`parameter_validation=False`. botocore's parameter aliases (`Filters` for EC2 "
            "operations whose member is `Filter`) are accepted.\n\n" + _FACTORY_NOTE
        ),
        example=(
            "import boto3\n\n"
            "sqs = boto3.client(\"sqs\")\n"
            "sqs.send_message(QueueURL=\"https://queue\", MessageBody=\"hello\")\n"
        ),
        use_instead=(
            "import boto3\n\n"
            "sqs = boto3.client(\"sqs\")\n"
            "sqs.send_message(QueueUrl=\"https://queue\", MessageBody=\"hello\")\n"
        ),
        references=(_BOTO3_CLIENT_DOC,),
        notes=(
            "mypy with boto3-stubs finds the same mistakes on annotated code; this rule "
            "needs no annotations."
        ),
    ),
)

MISSING_PARAMETER = Rule(
    code="AWSBP207",
    msgid="E7320",
    symbol="missing-required-parameter",
    message=(
        "missing required parameter{plural} {params} for {service} {op}() "
        "(ParamValidationError at runtime); pass {pronoun}"
    ),
    summary="Operation call without a parameter the input shape requires",
    guide_section="Beyond the guide: botocore's service models (the call fails at runtime)",
    checker=ClientApiChecker,
    min_evidence=Evidence.HIGH,
    options=("awsbp-trust-client-factories",),
    docs=RuleDocs(
        what=(
            "Finds an operation call on a high-evidence client, with keyword arguments "
            "only, that omits a member the operation's input shape marks required."
        ),
        why=(
            "botocore raises `ParamValidationError: Missing required parameter` before "
            "sending the request.\n\n"
            "Not reported: calls with `**kwargs` or positional arguments, and members "
            "botocore fills in itself (idempotency tokens such as `ClientToken`, Glacier's "
            "`accountId`), plus the cases listed for AWSBP206."
        ),
        example=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n"
            "s3.put_object(Key=\"report.csv\", Body=b\"data\")\n"
        ),
        use_instead=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n"
            "s3.put_object(Bucket=\"my-bucket\", Key=\"report.csv\", Body=b\"data\")\n"
        ),
        references=(_BOTO3_CLIENT_DOC,),
    ),
)

DEPRECATED_OPERATION = Rule(
    code="AWSBP208",
    msgid="W7321",
    symbol="deprecated-aws-operation",
    message="deprecated AWS operation {service} {op}(); {fix}",
    summary="Call of an operation the service model marks deprecated",
    guide_section="Packaging and Deployment › Environment Management",
    checker=ClientApiChecker,
    min_evidence=Evidence.HIGH,
    options=("awsbp-trust-client-factories",),
    docs=RuleDocs(
        what=(
            "Finds calls, on a high-evidence client, of operations that botocore's service "
            "model marks `deprecated` (for example S3's `put_bucket_lifecycle` and "
            "`get_bucket_notification`, Lambda's `invoke_async`, CloudWatch Logs' "
            "`tag_log_group`)."
        ),
        why=(
            "Deprecated operations keep working until AWS removes them, but they often lack "
            "features of their replacement (S3's old lifecycle API cannot express "
            "filters by tag or size) and they disappear from documentation and SDK "
            "examples. The guide's Environment Management section asks to keep "
            "dependencies current; that includes the APIs the code calls."
        ),
        example=(
            "import boto3\n\n"
            "lambda_client = boto3.client(\"lambda\")\n"
            "lambda_client.invoke_async(FunctionName=\"worker\", InvokeArgs=b\"{}\")\n"
        ),
        use_instead=(
            "import boto3\n\n"
            "lambda_client = boto3.client(\"lambda\")\n"
            "lambda_client.invoke(FunctionName=\"worker\", InvocationType=\"Event\", "
            "Payload=b\"{}\")\n"
        ),
        references=(
            "https://docs.aws.amazon.com/lambda/latest/api/API_InvokeAsync.html",
        ),
    ),
)

BOTO2_IMPORT = Rule(
    code="AWSBP209",
    msgid="W7322",
    symbol="boto2-import",
    message="boto 2 import '{module}': boto is unmaintained since 2018; port this code to boto3",
    summary="Import of the legacy boto 2 SDK",
    guide_section="Packaging and Deployment › Environment Management",
    checker=ImportChecker,
    min_evidence=Evidence.LOW,
    aws_only=False,
    prefilter=WordGate("boto"),
    docs=RuleDocs(
        what=(
            "Finds `import boto`, `import boto.<module>` and `from boto[...] import ...` "
            "(boto 2, not `boto3` or `botocore`), except inside an `except ImportError:` "
            "fallback."
        ),
        why=(
            "boto 2 has had no release since 2018: it does not know newer regions, "
            "signature versions or services, and it does not install cleanly on current "
            "Python versions. The guide's Environment Management section asks for current, "
            "pinned dependencies."
        ),
        example="import boto\n\nconnection = boto.connect_s3()\n",
        use_instead="import boto3\n\ns3 = boto3.client(\"s3\")\n",
        references=("https://github.com/boto/boto",),
    ),
)

VENDORED_REQUESTS = Rule(
    code="AWSBP210",
    msgid="W7323",
    symbol="botocore-vendored-requests",
    message=(
        "botocore.vendored.requests has no HTTP functions since botocore 1.13; use the "
        "requests package or urllib3 instead"
    ),
    summary="Use of botocore.vendored.requests",
    guide_section="Packaging and Deployment › Environment Management",
    checker=ImportChecker,
    min_evidence=Evidence.LOW,
    docs=RuleDocs(
        what=(
            "Finds `from botocore.vendored import requests`, `import "
            "botocore.vendored.requests` and uses such as `botocore.vendored.requests.get`."
        ),
        why=(
            "botocore stopped shipping a usable copy of requests in 2019 (1.13): "
            "`requests.get(...)` through it raises `AttributeError`. Old Lambda examples "
            "used it because the runtime had no `requests`; package `requests` with the "
            "function or use `urllib3`, which botocore already depends on. The guide's "
            "Environment Management section asks for explicit, pinned dependencies.\n\n"
            "Not reported: imports of the exception classes that remain "
            "(`botocore.vendored.requests.exceptions`, "
            "`botocore.vendored.requests.packages.urllib3.exceptions`), which still work "
            "because botocore's own exceptions subclass them, and imports inside an "
            "`except ImportError:` fallback."
        ),
        example=(
            "from botocore.vendored import requests\n\n"
            "status = requests.get(\"https://example.com\").status_code\n"
        ),
        use_instead=(
            "import urllib3\n\n"
            "status = urllib3.request(\"GET\", \"https://example.com\").status\n"
        ),
        references=(
            "https://aws.amazon.com/blogs/compute/upcoming-changes-to-the-python-sdk-in-aws-lambda/",
        ),
    ),
)

UNKNOWN_EXCEPTION = Rule(
    code="AWSBP401",
    msgid="E7324",
    symbol="unknown-client-exception",
    message=(
        "the {service} client models no exception '{name}' (AttributeError when the except "
        "clause runs); {hint}"
    ),
    summary="client.exceptions.X that the service does not model",
    guide_section="Error Handling › Exception Hierarchy",
    checker=ClientApiChecker,
    min_evidence=Evidence.MEDIUM,
    docs=RuleDocs(
        what=(
            "Finds `client.exceptions.X` (also `resource.meta.client.exceptions.X` and "
            "`table.meta.client.exceptions.X`) where the service models no exception `X`. "
            "`ClientError` and `from_code` are always accepted. The client must be resolved "
            "to a service: created by `boto3.client(\"svc\")`, a session, a boto3-stubs "
            "annotation, or by `x.client(\"svc\")` on any receiver (an object with both a "
            "`client(\"lambda\")` factory and modeled `exceptions` is a botocore client); a "
            "guess from the variable name alone is not enough."
        ),
        why=(
            "The guide's Exception Hierarchy section asks for specific exception handling; "
            "a specific handler that names a non-existent class is worse than none. The "
            "attribute is looked up only when an exception is being matched, so the "
            "`AttributeError` replaces the original error at the worst moment and the "
            "handler never runs. Error codes are not always class names: S3 models "
            "`NoSuchKey` and `NoSuchBucket` but not `NotFound` or `404`, and only modeled "
            "exceptions get classes; match other codes on "
            "`e.response['Error']['Code']`."
        ),
        example=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n\n\n"
            "def read(bucket, key):\n"
            "    try:\n"
            "        return s3.get_object(Bucket=bucket, Key=key)[\"Body\"].read()\n"
            "    except s3.exceptions.NoSuchKeyError:\n"
            "        return None\n"
        ),
        use_instead=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n\n\n"
            "def read(bucket, key):\n"
            "    try:\n"
            "        return s3.get_object(Bucket=bucket, Key=key)[\"Body\"].read()\n"
            "    except s3.exceptions.NoSuchKey:\n"
            "        return None\n"
        ),
        references=(_ERROR_DOC,),
    ),
)

WRONG_EXCEPTION_MODULE = Rule(
    code="AWSBP402",
    msgid="E7325",
    symbol="botocore-exception-from-boto3",
    message=(
        "exception '{name}' is not in boto3.exceptions ({error} at runtime); "
        "import it from botocore.exceptions"
    ),
    summary="ClientError (or another botocore exception) taken from boto3.exceptions",
    guide_section="AWS SDK (boto3) Optimization › Data Handling",
    checker=ImportChecker,
    min_evidence=Evidence.LOW,
    docs=RuleDocs(
        what=(
            "Finds `from boto3.exceptions import ClientError` and `boto3.exceptions."
            "ClientError`, and the same for the other `botocore.exceptions` classes "
            "(`BotoCoreError`, `NoCredentialsError`, `ParamValidationError`...)."
        ),
        why=(
            "`boto3.exceptions` holds only boto3's own errors (`S3UploadFailedError`, "
            "`ResourceNotExistsError`...). The import fails with `ImportError`; the "
            "attribute form fails with `AttributeError` when the `except` clause is "
            "evaluated, replacing the error being handled. The guide's exception-handling "
            "example imports `from botocore.exceptions import ClientError, BotoCoreError`."
        ),
        example=(
            "from boto3.exceptions import ClientError\n"
        ),
        use_instead=(
            "from botocore.exceptions import ClientError\n"
        ),
        references=(_ERROR_DOC,),
    ),
)

HEAD_OBJECT_NOSUCHKEY = Rule(
    code="AWSBP403",
    msgid="W7326",
    symbol="head-object-nosuchkey",
    message=(
        "head_object() reports a missing key as ClientError code '404', never NoSuchKey; "
        "check for '404' instead"
    ),
    summary="head_object failure matched as NoSuchKey, which it never raises",
    guide_section="Error Handling › Exception Hierarchy",
    checker=HeadObjectChecker,
    min_evidence=Evidence.MEDIUM,
    docs=RuleDocs(
        what=(
            "Finds a `try` whose body calls `head_object` on an S3 client and whose "
            "handlers catch `client.exceptions.NoSuchKey` or compare the error code with "
            "`\"NoSuchKey\"`, with no `\"404\"` (or `404`, `\"NotFound\"`) check in any of "
            "its handlers."
        ),
        why=(
            "A HEAD response has no body, so S3 cannot say `NoSuchKey`: botocore raises a "
            "plain `ClientError` whose code is `\"404\"` (boto3 issues #2442, #3988). The "
            "`NoSuchKey` branch never runs and \"object missing\" escapes as an unexpected "
            "error. The guide's Exception Hierarchy section asks for specific exception "
            "handling; here the specific case must be matched by its real code."
        ),
        example=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n\n\n"
            "def exists(bucket, key):\n"
            "    try:\n"
            "        s3.head_object(Bucket=bucket, Key=key)\n"
            "        return True\n"
            "    except s3.exceptions.NoSuchKey:\n"
            "        return False\n"
        ),
        use_instead=(
            "import boto3\n"
            "from botocore.exceptions import ClientError\n\n"
            "s3 = boto3.client(\"s3\")\n\n\n"
            "def exists(bucket, key):\n"
            "    try:\n"
            "        s3.head_object(Bucket=bucket, Key=key)\n"
            "        return True\n"
            "    except ClientError as e:\n"
            "        if e.response[\"Error\"][\"Code\"] == \"404\":\n"
            "            return False\n"
            "        raise\n"
        ),
        references=(
            "https://github.com/boto/boto3/issues/2442",
            "https://github.com/boto/boto3/issues/3988",
        ),
    ),
)

RULES: tuple[Rule, ...] = (
    UNKNOWN_SERVICE,
    NO_RESOURCE_INTERFACE,
    UNKNOWN_METHOD,
    UNKNOWN_WAITER,
    BAD_PAGINATOR,
    UNKNOWN_PARAMETER,
    MISSING_PARAMETER,
    DEPRECATED_OPERATION,
    BOTO2_IMPORT,
    VENDORED_REQUESTS,
    UNKNOWN_EXCEPTION,
    WRONG_EXCEPTION_MODULE,
    HEAD_OBJECT_NOSUCHKEY,
)
