"""The semantic model: what it resolves, with which evidence, and where it stays quiet."""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterable
from pathlib import Path

import pytest

from awsbp.checker import Checker, FileContext
from awsbp.engine import _walk
from awsbp.evidence import Evidence
from awsbp.model import SemanticModel
from awsbp.names import guess_from_identifier
from awsbp.options import Settings
from awsbp.values import AwsValue, Kind


def infer_marked(source: str) -> list[AwsValue | None]:
    """Walk ``source`` and infer every call's receiver/value on lines marked ``# ?``."""
    source = textwrap.dedent(source)
    tree = ast.parse(source)
    marked = {i + 1 for i, line in enumerate(source.splitlines()) if line.rstrip().endswith("# ?")}
    ctx = FileContext(tree, source.splitlines(True), "mod.py", Settings.default(), frozenset())
    results: list[AwsValue | None] = []

    class Probe(Checker):
        def visit_Expr(self, node: ast.Expr) -> None:
            if node.lineno in marked:
                results.append(self.model.infer(node.value))

    probe = Probe(ctx)
    _walk(tree, ctx.model, {ast.Expr: [probe.visit_Expr]}, {})  # type: ignore[dict-item]
    return results


def kinds(values: list[AwsValue | None]) -> list[tuple[str, str | None] | None]:
    return [None if v is None else (v.kind.value, v.service) for v in values]


def test_factories_and_aliases() -> None:
    got = infer_marked(
        """
        import boto3
        import boto3 as b3
        import aioboto3
        from boto3 import client, resource, Session
        from boto3.session import Session as S2
        from botocore.session import get_session
        from botocore.config import Config
        boto3.client("s3")  # ?
        b3.resource("dynamodb")  # ?
        client(service_name="sqs")  # ?
        resource("ec2")  # ?
        Session()  # ?
        S2().client("sns")  # ?
        get_session().create_client("kms")  # ?
        aioboto3.Session().client("s3")  # ?
        Config(retries={"mode": "standard"})  # ?
        """
    )
    assert kinds(got) == [
        ("client", "s3"), ("resource", "dynamodb"), ("client", "sqs"), ("resource", "ec2"),
        ("session", None), ("client", "sns"), ("client", "kms"), ("client", "s3"),
        ("config", None),
    ]
    assert got[0] is not None and got[0].default_session
    assert got[5] is not None and not got[5].default_session
    assert got[7] is not None and got[7].is_async


def test_bindings_scopes_and_attributes() -> None:
    got = infer_marked(
        """
        import boto3

        SERVICE = "s3"

        def early():
            s3  # ?

        s3 = boto3.client(SERVICE)
        table = boto3.resource("dynamodb").Table("t")

        class Repo:
            shared = boto3.client("sqs")

            def __init__(self, session):
                self.ddb = boto3.resource("dynamodb")
                self.other = session.client("kinesis")

            def use(self):
                self.ddb  # ?
                self.shared  # ?
                self.other  # ?
                self.ddb.meta.client  # ?
                self.missing  # ?

        def shadow(s3):
            s3  # ?

        def local():
            s3 = "not a client"
            s3  # ?

        table  # ?
        s3.get_paginator("list_objects_v2")  # ?
        s3.get_waiter("bucket_exists")  # ?
        """
    )
    assert kinds(got) == [
        ("client", "s3"), ("resource", "dynamodb"), ("client", "sqs"), ("client", "kinesis"),
        ("client", "dynamodb"), None, None, None, ("table", "dynamodb"),
        ("paginator", "s3"), ("waiter", "s3"),
    ]
    assert got[3] is not None and got[3].evidence is Evidence.MEDIUM
    assert got[9] is not None and got[9].detail == "list_objects_v2"


def test_stub_annotations_and_return_inference() -> None:
    got = infer_marked(
        """
        import functools
        import boto3
        from typing import TYPE_CHECKING, Optional
        if TYPE_CHECKING:
            from mypy_boto3_s3 import S3Client
            from mypy_boto3_dynamodb.service_resource import Table
            from types_boto3_sagemaker_runtime.client import SageMakerRuntimeClient

        @functools.lru_cache
        def get_client():
            session = boto3.Session()
            return session.client("secretsmanager")

        def f(a: "S3Client", b: Optional[Table], c: SageMakerRuntimeClient | None, d: int):
            a  # ?
            b  # ?
            c  # ?
            d  # ?
            get_client()  # ?
        """
    )
    assert kinds(got) == [
        ("client", "s3"), ("table", "dynamodb"), ("client", "sagemaker-runtime"), None,
        ("client", "secretsmanager"),
    ]


def test_unrelated_code_is_unknown() -> None:
    got = infer_marked(
        """
        import requests
        client = requests.Session()
        client  # ?
        client.get("s3")  # ?
        """
    )
    assert got == [None, None]


@pytest.mark.parametrize(
    ("ident", "expected"),
    [
        ("s3", (Kind.CLIENT, "s3")),
        ("s3_client", (Kind.CLIENT, "s3")),
        ("ddb", (Kind.CLIENT, "dynamodb")),
        ("dynamodb_resource", (Kind.RESOURCE, "dynamodb")),
        ("events_client", (Kind.CLIENT, "events")),
        ("orders_table", (Kind.TABLE, "dynamodb")),
        ("events", None),
        ("config", None),
        ("client", None),
        ("lambda_resource", None),
    ],
)
def test_receiver_name_hints(ident: str, expected: tuple[Kind, str] | None) -> None:
    assert guess_from_identifier(ident) == expected


def test_lambda_handlers_and_handler_path() -> None:
    source = textwrap.dedent(
        """
        def handler(event, context):
            step_one()

        def step_one():
            step_two()

        def step_two():
            pass

        def unrelated():
            pass

        async def other(event, ctx):
            pass
        """
    )
    tree = ast.parse(source)
    model = SemanticModel(tree, "src/app.py")
    _walk(tree, model, {}, {})
    assert model.handlers == {"handler", "other"}
    assert model.handler_path() == {"handler", "other", "step_one", "step_two"}
    configured = SemanticModel(tree, "src/app.py", ("app.unrelated",), lambda_heuristic=False)
    assert configured.handlers == {"unrelated"}
    by_path = SemanticModel(tree, "./src/app.py", ("src/app.step_two",), lambda_heuristic=False)
    assert by_path.handlers == {"step_two"}
    elsewhere = SemanticModel(tree, "lib/other.py", ("app.unrelated",), lambda_heuristic=False)
    assert elsewhere.handlers == set()


def test_deep_nesting_does_not_recurse() -> None:
    depth = 1000
    source = "import boto3\nx = " + " + ".join(["boto3.client('s3')"] * depth) + "\n"
    source += "y = a" + ".b" * depth + "\n"
    tree = ast.parse(source)
    from awsbp.api import check_tree

    assert check_tree(tree, source.splitlines(True), "deep.py") == []


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_attribute_set_in_a_later_method(newline: str) -> None:
    """The pre-pass finds ``self.x = ...`` in any method, whatever the line ends."""
    source = textwrap.dedent(
        """
        import boto3

        class Worker:
            def run(self):
                self.queue  # ?
                self.local  # ?
                self.spaced  # ?

            def helper(self):
                local = 1
                return local

            def setup(self):
                client = boto3.client("sqs")
                self.queue = client
                self.spaced  :  object = boto3.client("sns")
        """
    )
    tree = ast.parse(source)
    lines = source.replace("\n", newline).splitlines(True)
    ctx = FileContext(tree, lines, "mod.py", Settings.default(), frozenset())
    results: list[AwsValue | None] = []

    class Probe(Checker):
        def visit_Expr(self, node: ast.Expr) -> None:
            if node.lineno in (6, 7, 8):
                results.append(self.model.infer(node.value))

    probe = Probe(ctx)
    _walk(tree, ctx.model, {ast.Expr: [probe.visit_Expr]}, {})  # type: ignore[dict-item]
    assert kinds(results) == [("client", "sqs"), None, ("client", "sns")]


def test_operators_and_contexts_cannot_have_handlers() -> None:
    """The walk never visits ``ast.Not``, ``ast.Add``, ``ast.Load``...: a handler is an error."""
    from awsbp.engine import _dispatch_tables

    class OnNot(Checker):
        def visit_Not(self, node: ast.Not) -> None:  # pragma: no cover - never called
            raise AssertionError

    ctx = FileContext(ast.parse("x = not y\n"), ["x = not y\n"], "m.py", Settings.default(),
                      frozenset())
    with pytest.raises(TypeError, match="not walked"):
        _dispatch_tables([OnNot(ctx)])


def test_name_and_attribute_filters_are_tested_live_by_the_walk() -> None:
    """``name_filter``/``attribute_filter`` containers may grow while the walk runs."""
    from awsbp.engine import _dispatch_tables

    source = "a.x\nb.y\nb.x\na.y\nc = a\n"

    class Filtered(Checker):
        def __init__(self, ctx: FileContext) -> None:
            super().__init__(ctx)
            self.names: set[str] = {"a"}
            self.attrs: set[str] = {"x"}
            self.seen: list[str] = []

        def name_filter(self) -> set[str]:
            return self.names

        def attribute_filter(self) -> set[str]:
            return self.attrs

        def visit_Name(self, node: ast.Name) -> None:
            self.seen.append(node.id)

        def visit_Attribute(self, node: ast.Attribute) -> None:
            self.seen.append("." + node.attr)
            self.names.add("b")  # from now on, b counts too
            self.attrs.add("y")

    class Unfiltered(Checker):
        def __init__(self, ctx: FileContext) -> None:
            super().__init__(ctx)
            self.seen: list[str] = []

        def visit_Name(self, node: ast.Name) -> None:
            self.seen.append(node.id)

    tree = ast.parse(source)
    ctx = FileContext(tree, source.splitlines(True), "m.py", Settings.default(), frozenset())
    filtered, unfiltered = Filtered(ctx), Unfiltered(ctx)
    enter, leave, named, filtered_calls = _dispatch_tables([filtered, unfiltered])
    assert not filtered_calls
    _walk(tree, ctx.model, enter, leave, named, filtered_calls)
    assert filtered.seen == [".x", "a", ".y", "b", ".x", "b", ".y", "a", "a"]
    assert unfiltered.seen == ["a", "b", "b", "a", "c", "a"]


_ORDER_SOURCE = '''
import os, boto3 as b
from x import (y as z)
@deco(a := 1)
def f(p, q=g(1), *r, s: int = 2, **t) -> h(3):
    """doc"""
    for i, j in k(l):
        m[i] = [n for n in o if n for u in n if u]
    else:
        v = {w: x for w, x in y.items()}
    while c(d):
        break
    else:
        pass
    with e() as (ff, gg), hh():
        lam = lambda aa, bb=cc(): aa(bb)
    try:
        del m[0], v
    except (E, F) as err:
        raise G from err
    finally:
        {**spread, 1: {2, 3}, "k": (yield)}
    class C(Base, metaclass=M):
        attr: int = 3
        async def am(self):
            async for q in self.r():
                await q
            async with self.l as lk:
                return [*lk, f"{lk!r:>{width}}"]
    global gl
    match v:
        case [1, *rest] | {"k": 2, **kw} if rest:
            pass
        case C(attr=3) as cc:
            pass
    return not (a < b <= c) and -d or e if f else g[1:2, ::3]
f(x for x in y)
'''


def _engine_order(tree: ast.AST) -> list[tuple[ast.AST, ast.AST]]:
    """Every node the engine's walk visits, with the model's frame node at the time."""
    seen: list[tuple[ast.AST, ast.AST]] = []
    ctx = FileContext(tree, [], "m.py", Settings.default(), frozenset())  # type: ignore[arg-type]

    def record(node: ast.AST) -> None:
        seen.append((node, ctx.model.frame.node))

    enter: dict[type, list[object]] = {}
    for node_type in {type(n) for n in ast.walk(tree)}:
        if node_type in (ast.Name, ast.Attribute):
            enter[node_type] = [(record, None)]
        else:
            enter[node_type] = [record]
    _walk(tree, ctx.model, enter, {})  # type: ignore[arg-type]
    return seen


def _order_sources() -> list[str]:
    fixtures = sorted((Path(__file__).parent / "fixtures").rglob("*.py"))
    return [_ORDER_SOURCE, "x = 1\n", *(p.read_text(encoding="utf-8") for p in fixtures)]


def test_walk_order_is_the_walks_order() -> None:
    """``walk_order`` (for on-demand replays) visits what the walk visits, in its order.

    From the module, and from each function: the same stretch of the walk, with the
    function as the outermost frame.
    """
    from awsbp.engine import walk_order

    def ids(pairs: Iterable[tuple[ast.AST, ast.AST]]) -> list[tuple[int, int]]:
        return [(id(node), id(frame)) for node, frame in pairs]

    for source in _order_sources():
        tree = ast.parse(source)
        expected = _engine_order(tree)
        assert ids(walk_order(tree)) == ids(expected)
        starts = {id(node): i for i, (node, _) in enumerate(expected)}
        for func in ast.walk(tree):
            if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                part = ids(walk_order(func))
                start = starts[id(func)]
                assert part == ids(expected[start:start + len(part)])


def test_child_nodes_is_iter_child_nodes_without_contexts_and_operators() -> None:
    from awsbp.engine import _NOT_WALKED, child_nodes

    for source in _order_sources():
        for node in ast.walk(ast.parse(source)):
            expected = [c for c in ast.iter_child_nodes(node) if not isinstance(c, _NOT_WALKED)]
            assert child_nodes(node) == expected
