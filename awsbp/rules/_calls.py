"""Small helpers shared by the data-handling, concurrency and client-setup rules."""

from __future__ import annotations

import ast

from awsbp import botocore_data
from awsbp.botocore_data import ServiceModel
from awsbp.model import SemanticModel
from awsbp.values import AwsValue, Kind

SMALL_LITERAL_LOOP = 3

#: Client methods that never touch the network (no request is sent).
LOCAL_METHODS = frozenset(
    {
        "get_paginator", "get_waiter", "can_paginate", "generate_presigned_url",
        "generate_presigned_post", "close", "Table", "Bucket", "Object", "batch_writer",
        "get_available_subresources", "meta", "exceptions",
    }
)


def method_of(call: ast.Call) -> tuple[ast.expr, str] | None:
    """``recv.method(...)`` -> (recv, "method"); None for other calls."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.value, func.attr
    return None


def receiver(model: SemanticModel, call: ast.Call, *, hints: bool = True) -> AwsValue | None:
    """What the receiver of ``call`` is: inferred, or (with ``hints``) guessed by name.

    A guess from the receiver's name (``s3``, ``glue_client``) is only kept when the
    call looks like a boto3 operation call: the name is not an imported module or
    function (``from awswrangler import s3``), no positional arguments are given
    (boto3 operations take keywords only) and every keyword is a parameter of the
    operation in botocore's model.
    """
    found = method_of(call)
    if found is None:
        return None
    recv, method = found
    inferred = model.infer(recv)
    if not hints or (inferred is not None and inferred.service is not None):
        return inferred
    if inferred is not None and inferred.kind is not Kind.CLIENT:
        return inferred
    if isinstance(recv, ast.Name) and recv.id in model.imports and model.lookup(recv.id) is None:
        return inferred
    value = model.receiver_hint(recv)
    if value is None or (inferred is not None and value.kind is not Kind.CLIENT):
        return inferred
    if inferred is not None:
        # a client of unknown service (``client: BaseClient``) named ``lambda_client``
        value = value.with_async(inferred.is_async)
    if call.args:
        return inferred
    if value.kind in (Kind.CLIENT, Kind.TABLE):
        svc = service_model(value)
        op = svc.operation(method) if svc is not None else None
        if op is not None and any(
            kw.arg is not None and kw.arg not in op.params for kw in call.keywords
        ):
            return inferred
    return value


def service_model(value: AwsValue | None) -> ServiceModel | None:
    """The botocore model of the value's service, if known."""
    if value is None or value.service is None:
        return None
    return botocore_data.service(value.service)


def canonical(value: AwsValue | None) -> str | None:
    """The canonical service name of a value (``runtime.sagemaker`` -> ``sagemaker-runtime``)."""
    if value is None or value.service is None:
        return None
    return botocore_data.canonical_service(value.service)


def is_operation(value: AwsValue, method: str) -> bool:
    """Whether ``method`` is a modeled operation of the value's service (clients only)."""
    model = service_model(value)
    return model is not None and method in model.operations


def small_literal_loop(loop: ast.AST) -> bool:
    """``for x in ("a", "b")`` or ``for _ in range(3)``: a bounded, tiny loop."""
    if not isinstance(loop, (ast.For, ast.AsyncFor)):
        return False
    it = loop.iter
    if isinstance(it, (ast.Tuple, ast.List, ast.Set)):
        return len(it.elts) <= SMALL_LITERAL_LOOP
    if (
        isinstance(it, ast.Call)
        and isinstance(it.func, ast.Name)
        and it.func.id == "range"
        and len(it.args) == 1
        and isinstance(it.args[0], ast.Constant)
        and isinstance(it.args[0].value, int)
    ):
        return it.args[0].value <= SMALL_LITERAL_LOOP
    return False


def call_values(call: ast.Call) -> list[ast.expr]:
    """Every argument expression of a call (positional, starred and keyword)."""
    values: list[ast.expr] = [a.value if isinstance(a, ast.Starred) else a for a in call.args]
    values.extend(kw.value for kw in call.keywords)
    return values


def has_star_args(call: ast.Call) -> bool:
    """Whether the call unpacks ``*args`` or ``**kwargs``."""
    return any(isinstance(a, ast.Starred) for a in call.args) or any(
        kw.arg is None for kw in call.keywords
    )


def keyword_names(call: ast.Call) -> frozenset[str]:
    """Names of the keyword arguments given to a call."""
    return frozenset(kw.arg for kw in call.keywords if kw.arg)


def int_literal(expr: ast.expr | None) -> int | None:
    """The value of an int literal (not a bool), else None."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, int) and not isinstance(
        expr.value, bool
    ):
        return expr.value
    return None


SYNC_KINDS = frozenset(
    {Kind.CLIENT, Kind.RESOURCE, Kind.TABLE, Kind.BUCKET, Kind.OBJECT, Kind.PAGINATOR,
     Kind.WAITER}
)
