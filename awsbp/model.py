"""The per-file semantic model: imports, scopes, bindings and AWS value inference.

The model is fed by the engine's single walk (``enter``/``leave`` hooks run before
the rules' own handlers for the same node) plus a shallow pre-pass over the
module's top-level statements, so that functions defined above a module-level
``s3 = boto3.client("s3")`` still see it. Nothing here recurses over the tree:
expression inference is bounded by :data:`MAX_INFER_DEPTH`.
"""

from __future__ import annotations

import ast
import bisect
import functools
import re
import warnings
from collections.abc import Iterable, Iterator

from awsbp import names
from awsbp.evidence import Evidence
from awsbp.values import AwsValue, Kind

MAX_INFER_DEPTH = 24

#: Fully qualified factory callables -> (kind, is_async, default_session).
_FACTORIES: dict[str, tuple[Kind, bool, bool]] = {
    "boto3.client": (Kind.CLIENT, False, True),
    "boto3.resource": (Kind.RESOURCE, False, True),
    "boto3.Session": (Kind.SESSION, False, False),
    "boto3.session.Session": (Kind.SESSION, False, False),
    "aioboto3.Session": (Kind.SESSION, True, False),
    "aioboto3.session.Session": (Kind.SESSION, True, False),
    "aioboto3.client": (Kind.CLIENT, True, True),
    "aioboto3.resource": (Kind.RESOURCE, True, True),
    "botocore.session.get_session": (Kind.BOTOCORE_SESSION, False, False),
    "botocore.session.Session": (Kind.BOTOCORE_SESSION, False, False),
    "aiobotocore.session.get_session": (Kind.BOTOCORE_SESSION, True, False),
    "aiobotocore.session.AioSession": (Kind.BOTOCORE_SESSION, True, False),
    "botocore.config.Config": (Kind.CONFIG, False, False),
    "botocore.client.Config": (Kind.CONFIG, False, False),
    "aiobotocore.config.AioConfig": (Kind.CONFIG, True, False),
}

#: Methods on a session (or botocore session) that create clients/resources.
_SESSION_METHODS = {"client": Kind.CLIENT, "resource": Kind.RESOURCE}
_BOTOCORE_SESSION_METHODS = {"create_client": Kind.CLIENT}
_RESOURCE_SUBOBJECTS = {
    ("dynamodb", "Table"): Kind.TABLE,
    ("s3", "Bucket"): Kind.BUCKET,
    ("s3", "Object"): Kind.OBJECT,
}

#: Callee names of every client/resource/session factory (for ``Checker.CALL_NAMES``).
FACTORY_CALL_NAMES = frozenset(
    {"client", "resource", "Session", "create_client", "get_session", "AioSession"}
)
_FACTORY_ATTRS = FACTORY_CALL_NAMES
#: Every method name ``x.<name>(...)`` that can make an SDK object (see ``_infer_call``):
#: factories reached through a module, session methods, resource sub-objects, paginators
#: and waiters. Calls of any other method are not inferred at all.
_INFERRED_METHODS = frozenset(
    {qual.rpartition(".")[2] for qual in _FACTORIES}
    | set(_SESSION_METHODS) | set(_BOTOCORE_SESSION_METHODS)
    | {method for _, method in _RESOURCE_SUBOBJECTS}
    | {"Object", "get_paginator", "get_waiter"}
)
_CREATED_KINDS = frozenset({Kind.CLIENT, Kind.RESOURCE, Kind.SESSION, Kind.BOTOCORE_SESSION})

#: Expression types an SDK object can come from (others: literals, arithmetic, ...).
_SDK_VALUE_NODES = (ast.Call, ast.Name, ast.Attribute, ast.Await, ast.NamedExpr)
_SDK_VALUE_TYPES = frozenset(_SDK_VALUE_NODES)

_HANDLER_CONTEXT_PARAMS = frozenset({"context", "ctx", "_context", "_ctx", "lambda_context"})


def qualname_parts(expr: ast.expr) -> list[str] | None:
    """``a.b.c`` as ``["a", "b", "c"]``; None if the chain does not end in a Name."""
    parts: list[str] = []
    node: ast.expr = expr
    while node.__class__ is ast.Attribute:
        parts.append(node.attr)
        node = node.value
    if node.__class__ is not ast.Name:
        return None
    parts.append(node.id)
    parts.reverse()
    return parts


def literal_str(expr: ast.expr | None) -> str | None:
    """The value of a string constant, else None."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value
    return None


def call_arg(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    """The argument given positionally at ``position`` or as ``keyword=``."""
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    if position < len(call.args):
        arg = call.args[position]
        if not isinstance(arg, ast.Starred) and not any(
            isinstance(a, ast.Starred) for a in call.args[:position]
        ):
            return arg
    return None


def keyword_arg(call: ast.Call, keyword: str) -> ast.expr | None:
    """The value of ``keyword=`` in ``call``, else None."""
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    return None


def has_star_kwargs(call: ast.Call) -> bool:
    """Whether the call passes ``**kwargs``."""
    return any(kw.arg is None for kw in call.keywords)


def parameters(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> list[ast.arg]:
    """Every parameter of a function: positional-only, positional, keyword-only, ``*``, ``**``."""
    args = node.args
    found = args.posonlyargs + args.args + args.kwonlyargs
    if args.vararg:
        found.append(args.vararg)
    if args.kwarg:
        found.append(args.kwarg)
    return found


def comprehension_targets(node: ast.AST) -> set[str]:
    """The names a comprehension's ``for`` clauses bind (its own scope)."""
    names: set[str] = set()
    for gen in getattr(node, "generators", ()):
        names.update(target_names(gen.target))
    return names


def imported_name(name: str, imports: dict[str, str]) -> str:
    """The name an imported alias stands for (``P`` -> ``Pool`` after ``import ... as P``)."""
    target = imports.get(name)
    return name if target is None else target.rpartition(".")[2]


def target_names(target: ast.expr) -> Iterator[str]:
    """Names bound by an assignment/for target (tuples and starred unpacked)."""
    stack: list[ast.expr] = [target]
    while stack:
        node = stack.pop()
        cls = node.__class__
        if cls is ast.Name:
            yield node.id  # type: ignore[attr-defined]
        elif cls is ast.Tuple or cls is ast.List:
            stack.extend(node.elts)  # type: ignore[attr-defined]
        elif cls is ast.Starred:
            stack.append(node.value)  # type: ignore[attr-defined]


class Scope:
    """A naming scope: module, class, function, lambda or comprehension."""

    __slots__ = ("bindings", "globals_", "kind", "node")

    def __init__(self, kind: str, node: ast.AST | None) -> None:
        self.kind = kind
        self.node = node
        self.bindings: dict[str, AwsValue | None] = {}
        self.globals_: set[str] = set()


class Frame:
    """Per-function execution context: loops, async-ness, handler status."""

    __slots__ = (
        "class_node",
        "event_names",
        "is_async",
        "is_handler",
        "loop_assigned",
        "loop_depth",
        "loop_nodes",
        "loop_vars",
        "node",
        "params",
        "self_name",
    )

    def __init__(
        self, node: ast.AST | None, is_async: bool = False, params: frozenset[str] = frozenset()
    ) -> None:
        self.node = node
        self.is_async = is_async
        self.params = params
        self.loop_depth = 0
        self.loop_vars: list[frozenset[str]] = []
        self.loop_nodes: list[ast.AST] = []
        self.loop_assigned: list[set[str]] = []
        self.class_node: ast.ClassDef | None = None
        self.self_name: str | None = None
        self.is_handler = False
        self.event_names: set[str] = set()

    def in_loop(self) -> bool:
        """Whether the current node runs once per iteration of a loop in this frame."""
        return self.loop_depth > 0

    def current_loop_vars(self) -> frozenset[str]:
        """Names that change per iteration: loop targets and names assigned in the loop."""
        out: set[str] = set()
        for names_ in self.loop_vars:
            out |= names_
        for assigned in self.loop_assigned:
            out |= assigned
        return frozenset(out)


class SemanticModel:
    """Imports, scopes and AWS values for one module, updated during the walk."""

    def __init__(
        self,
        tree: ast.Module,
        filename: str,
        lambda_handlers: tuple[str, ...] = (),
        lambda_heuristic: bool = True,
        text: str | None = None,
    ) -> None:
        self.tree = tree
        self._text = text
        #: Per receiver name (``self``), the lines (1-based, sorted) where the text stores
        #: into one of its attributes: the pre-pass reads only methods that have one.
        self._attribute_stores: dict[str, list[int] | None] = {}
        self.filename = filename
        self.imports: dict[str, str] = {}
        self.aws_modules: set[str] = set()
        self.scopes: list[Scope] = [Scope("module", tree)]
        self.frames: list[Frame] = [Frame(tree)]
        #: The innermost function (or module) frame and naming scope, kept current.
        self.frame: Frame = self.frames[0]
        self.scope: Scope = self.scopes[0]
        self.class_attrs: dict[tuple[ast.ClassDef, str], AwsValue | None] = {}
        #: Every plain name that is (or was) bound to an AWS value in some scope: a cheap
        #: first test before a scope lookup (``name in model.aws_names``).
        self.aws_names: set[str] = set()
        #: Every attribute name that can hold an AWS value: ``meta.client`` and each
        #: class attribute (``self.x``) bound to one somewhere. Only grows.
        self.aws_attrs: set[str] = {"client"}
        self.class_stack: list[ast.ClassDef] = []
        self.function_returns: dict[str, AwsValue] = {}
        self.top_function: str | None = None
        self.top_level_functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        self.calls_from: dict[str, set[str]] = {}
        self.handlers: set[str] = set()
        self._lambda_handlers = lambda_handlers
        self._lambda_heuristic = lambda_heuristic
        self._str_consts: dict[str, str] | None = None
        #: ``infer`` results for the current state of the bindings: rules ask about the
        #: same receiver several times per node, and every walk hook that can change
        #: a binding, a scope or a class attribute empties it.
        self._inferred: dict[int, AwsValue | None] = {}
        self._prepass()

    # ------------------------------------------------------------------ pre-pass
    def _prepass(self) -> None:
        """Shallow scan of module-level statements: imports, bindings, handlers, classes."""
        module_scope = self.scopes[0]
        for stmt in flat_statements(self.tree.body):
            cls = stmt.__class__
            if cls is ast.Import or cls is ast.ImportFrom:
                self._record_import(stmt)  # type: ignore[arg-type]
            elif cls is ast.Assign or cls is ast.AnnAssign:
                self._bind_assignment(stmt, module_scope)  # type: ignore[arg-type]
            elif cls is ast.FunctionDef or cls is ast.AsyncFunctionDef:
                self.top_level_functions[stmt.name] = stmt  # type: ignore[attr-defined,assignment]
                if self._is_handler(stmt):  # type: ignore[arg-type]
                    self.handlers.add(stmt.name)  # type: ignore[attr-defined]
            elif cls is ast.ClassDef:
                self._prescan_class(stmt)  # type: ignore[arg-type]
        for name, func in self.top_level_functions.items():
            value = self._infer_function_return(func)
            if value is not None:
                self.function_returns[name] = value
        # Second pass: module bindings that call functions whose return we now know.
        for stmt in flat_statements(self.tree.body):
            if stmt.__class__ is ast.Assign or stmt.__class__ is ast.AnnAssign:
                self._bind_assignment(stmt, module_scope)

    def _prescan_class(self, cls: ast.ClassDef) -> None:
        for item in cls.body:
            if isinstance(item, (ast.Assign, ast.AnnAssign)):
                value = self._infer(item.value, [self.scopes[0]], 0) if item.value else None
                targets = item.targets if isinstance(item, ast.Assign) else [item.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        self.class_attrs[(cls, target.id)] = value
                        if value is not None:
                            self.aws_attrs.add(target.id)
                continue
            if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            self_name = _self_name(item)
            if self_name is None or not self._may_store_attribute(item, self_name):
                continue
            local = Scope("function", item)
            for stmt in flat_statements(item.body):
                # only values that can be (or lead to) an SDK object: calls and names
                if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and (
                    stmt.value.__class__ in _SDK_VALUE_TYPES
                ):
                    self._bind_assignment(stmt, local, cls=cls, self_name=self_name, scopes=[
                        self.scopes[0], local])

    def _may_store_attribute(
        self, func: ast.FunctionDef | ast.AsyncFunctionDef, self_name: str
    ) -> bool:
        """Whether ``func``'s lines store into an attribute of ``self_name`` (a superset)."""
        if self._text is None:
            return True
        if self_name not in self._attribute_stores:
            self._attribute_stores[self_name] = _attribute_store_lines(self._text, self_name)
        lines = self._attribute_stores[self_name]
        if lines is None:
            return True
        first = bisect.bisect_left(lines, func.lineno)
        return first < len(lines) and lines[first] <= (func.end_lineno or func.lineno)

    def _infer_function_return(
        self, func: ast.FunctionDef | ast.AsyncFunctionDef
    ) -> AwsValue | None:
        local = Scope("function", func)
        found: AwsValue | None = None
        returns = 0
        for stmt in flat_statements(func.body):
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
                if isinstance(stmt.value, _SDK_VALUE_NODES):
                    self._bind_assignment(stmt, local, scopes=[self.scopes[0], local])
                else:  # a literal or arithmetic: it only shadows outer names
                    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                    for target in targets:
                        for name in target_names(target):
                            local.bindings[name] = None
            elif isinstance(stmt, ast.Return):
                returns += 1
                if stmt.value is None or (
                    isinstance(stmt.value, ast.Constant) and stmt.value.value is None
                ):
                    continue
                value = self._infer(stmt.value, [self.scopes[0], local], 0)
                if value is None or value.kind is Kind.CONFIG:
                    return None
                if found is not None and (found.kind, found.service) != (value.kind, value.service):
                    return None
                found = value
        if returns == 0 or found is None:
            return None
        return AwsValue(found.kind, found.service, found.evidence, found.is_async,
                        found.default_session, None)

    def _is_handler(self, func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        if self._matches_configured_handler(func.name):
            return True
        if not self._lambda_heuristic:
            return False
        args = func.args
        positional = [a.arg for a in args.posonlyargs + args.args]
        if len(positional) != 2 or args.vararg or args.kwonlyargs:
            return False
        return positional[0] in ("event", "_event") and positional[1] in _HANDLER_CONTEXT_PARAMS

    def _matches_configured_handler(self, func_name: str) -> bool:
        if not self._lambda_handlers:
            return False
        path = self.filename.replace("\\", "/")
        stem = path[:-3] if path.endswith(".py") else path
        for spec in self._lambda_handlers:
            module, _, name = spec.rpartition(".")
            if name != func_name:
                continue
            if not module:
                return True
            module_path = module.replace(".", "/") if "/" not in module else module
            if stem == module_path or stem.endswith("/" + module_path):
                return True
        return False

    # ------------------------------------------------------------------ imports
    def _record_import(self, stmt: ast.Import | ast.ImportFrom) -> None:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                root = alias.name.split(".")[0]
                if alias.asname:
                    self.imports[alias.asname] = alias.name
                else:
                    self.imports[root] = root
                self._note_module(alias.name)
        else:
            if stmt.level or stmt.module is None:
                for alias in stmt.names:
                    self.imports.pop(alias.asname or alias.name, None)
                return
            for alias in stmt.names:
                if alias.name == "*":
                    continue
                self.imports[alias.asname or alias.name] = f"{stmt.module}.{alias.name}"
            self._note_module(stmt.module)

    def _note_module(self, module: str) -> None:
        root = module.split(".")[0]
        if root in names.AWS_SDK_MODULES:
            self.aws_modules.add(root)

    def qualname(self, expr: ast.expr) -> str | None:
        """The dotted import path an expression refers to (``b3.client`` -> ``boto3.client``)."""
        parts = qualname_parts(expr)
        if parts is None:
            return None
        base = self.imports.get(parts[0])
        if base is None:
            return None
        if self._is_shadowed(parts[0]):
            return None
        return ".".join([base, *parts[1:]])

    def _is_shadowed(self, name: str) -> bool:
        for scope in reversed(self.scopes[1:]):
            if scope.kind == "class" and scope is not self.scopes[-1]:
                continue
            if name in scope.bindings:
                return True
        return False

    @property
    def imports_aws(self) -> bool:
        """Whether the module imports boto3/botocore/aioboto3/aiobotocore/moto."""
        return bool(self.aws_modules)

    # ------------------------------------------------------------------ walk hooks

    def on_import(self, node: ast.Import | ast.ImportFrom) -> None:
        """Record an import wherever it appears (lazy imports inside functions too)."""
        if self._inferred:
            self._inferred.clear()
        self._record_import(node)
        if len(self.scopes) > 1:
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                self.scope.bindings.pop(bound, None)

    def on_assign(self, node: ast.Assign | ast.AnnAssign | ast.AugAssign | ast.NamedExpr) -> None:
        """Update bindings for an assignment."""
        if self._inferred:
            self._inferred.clear()
        frame = self.frame
        if node.__class__ is ast.Assign and len(node.targets) == 1:
            # the common case, ``name = <literal, arithmetic, subscript...>`` in a function:
            # the name is bound to no SDK value (what _bind_assignment would find)
            target = node.targets[0]
            scope = self.scope
            if (
                target.__class__ is ast.Name
                and scope.kind == "function"
                and self._plainly_no_value(node.value)
                and target.id not in scope.globals_
            ):
                name: str = target.id
                scope.bindings[name] = None
                if frame.loop_assigned:
                    frame.loop_assigned[-1].add(name)
                if frame.event_names and self._mentions(node.value, frame.event_names):
                    frame.event_names.add(name)
                return
        if isinstance(node, ast.AugAssign):
            for name in target_names(node.target):
                self._set_binding(name, None)
            if frame.loop_assigned:
                frame.loop_assigned[-1].update(target_names(node.target))
            return
        if isinstance(node, ast.NamedExpr):
            self._set_binding(node.target.id, self.infer(node.value))
            self._inferred.clear()
            if frame.loop_assigned:
                frame.loop_assigned[-1].add(node.target.id)
            return
        if frame.loop_assigned:
            targets_ = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets_:
                frame.loop_assigned[-1].update(target_names(target))
        self._bind_assignment(node, self.scope, cls=self._current_class(),
                              self_name=self.frame.self_name)
        if frame.event_names and node.value is not None and self._mentions(
            node.value, frame.event_names
        ):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                frame.event_names.update(target_names(target))

    def _plainly_no_value(self, expr: ast.expr) -> bool:
        """A cheap sufficient test that ``expr`` is no SDK object (``_infer`` gives None).

        Literals and arithmetic; calls of methods that never make SDK objects and of
        names neither imported nor known to return one; names never bound to one.
        """
        cls = expr.__class__
        if cls not in _SDK_VALUE_TYPES:
            return True
        if cls is ast.Call:
            return not self._callee_may_make_sdk(expr.func)  # type: ignore[attr-defined]
        if cls is ast.Name:
            return expr.id not in self.aws_names  # type: ignore[attr-defined]
        return False

    def _current_class(self) -> ast.ClassDef | None:
        return self.frame.class_node

    def _bind_assignment(
        self,
        stmt: ast.Assign | ast.AnnAssign,
        scope: Scope,
        cls: ast.ClassDef | None = None,
        self_name: str | None = None,
        scopes: list[Scope] | None = None,
    ) -> None:
        value_node = stmt.value
        is_assign = stmt.__class__ is ast.Assign
        targets = stmt.targets if is_assign else [stmt.target]  # type: ignore[union-attr]
        value: AwsValue | None = None
        if value_node is not None:
            value = self._infer(value_node, scopes if scopes is not None else self.scopes, 0)
        if value is None and not is_assign:
            value = self.value_from_annotation(stmt.annotation)  # type: ignore[union-attr]
        for target in targets:
            if target.__class__ is ast.Name:
                if scope.kind == "module" or scope is self.scope:
                    self._set_binding_in(scope, target.id, value)
                else:
                    scope.bindings[target.id] = value
                    if value is not None:
                        self.aws_names.add(target.id)
                if scope.kind == "class" and isinstance(scope.node, ast.ClassDef):
                    # class-body attribute: later read as self.<name>
                    self.class_attrs[(scope.node, target.id)] = value
                    if value is not None:
                        self.aws_attrs.add(target.id)
            elif isinstance(target, (ast.Tuple, ast.List)):
                for name in target_names(target):
                    self._set_binding_in(scope, name, None)
            elif (
                isinstance(target, ast.Attribute)
                and cls is not None
                and self_name is not None
                and isinstance(target.value, ast.Name)
                and target.value.id == self_name
            ):
                key = (cls, target.attr)
                if key in self.class_attrs and self.class_attrs[key] != value:
                    old = self.class_attrs[key]
                    if old is None or value is None or (old.kind, old.service) != (
                        value.kind, value.service
                    ):
                        self.class_attrs[key] = None
                        continue
                self.class_attrs[key] = value
                if value is not None:
                    self.aws_attrs.add(target.attr)

    def _set_binding(self, name: str, value: AwsValue | None) -> None:
        self._set_binding_in(self.scope, name, value)

    def _set_binding_in(self, scope: Scope, name: str, value: AwsValue | None) -> None:
        if value is not None:
            self.aws_names.add(name)
        if scope.kind != "module" and name in scope.globals_:
            scope = self.scopes[0]
        if scope.kind == "module" and len(self.frames) == 1 and name in scope.bindings:
            old = scope.bindings[name]
            if old is not None and value is not None and (old.kind, old.service) == (
                value.kind, value.service
            ):
                return
        scope.bindings[name] = value

    def on_global(self, node: ast.Global) -> None:
        """Names declared global write to the module scope."""
        if self._inferred:
            self._inferred.clear()
        self.scope.globals_.update(node.names)

    def enter_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        """Open a function scope and frame; bind parameters."""
        if self._inferred:
            self._inferred.clear()
        is_async = isinstance(node, ast.AsyncFunctionDef)
        outer_class = self.scope.node if self.scope.kind == "class" else None
        scope = Scope("lambda" if isinstance(node, ast.Lambda) else "function", node)
        all_args = parameters(node)
        for arg in all_args:
            annotated = self.value_from_annotation(arg.annotation) if arg.annotation else None
            scope.bindings[arg.arg] = annotated
            if annotated is not None:
                self.aws_names.add(arg.arg)
        frame = Frame(node, is_async=is_async, params=frozenset(a.arg for a in all_args))
        if isinstance(outer_class, ast.ClassDef) and not isinstance(node, ast.Lambda):
            frame.class_node = outer_class
            frame.self_name = _self_name(node)
        elif not isinstance(node, ast.Lambda):
            frame.class_node = self.frame.class_node
            frame.self_name = self.frame.self_name
            if frame.self_name in frame.params:
                frame.self_name = None
        if isinstance(node, ast.Lambda):
            frame.class_node = self.frame.class_node
            frame.self_name = self.frame.self_name
        if len(self.frames) == 1 and not isinstance(node, ast.Lambda):
            self.top_function = node.name
            frame.is_handler = node.name in self.handlers
            self.calls_from.setdefault(node.name, set())
        # only the Lambda rules (files with a handler) follow data from the event
        if self.handlers and ("event" in frame.params or "_event" in frame.params):
            frame.event_names = {n for n in ("event", "_event") if n in frame.params}
        self.scopes.append(scope)
        self.frames.append(frame)
        self.scope = scope
        self.frame = frame

    def leave_function(self) -> None:
        """Close the innermost function scope and frame."""
        if self._inferred:
            self._inferred.clear()
        self.scopes.pop()
        self.frames.pop()
        self.scope = self.scopes[-1]
        self.frame = self.frames[-1]
        if len(self.frames) == 1:
            self.top_function = None

    def enter_class(self, node: ast.ClassDef) -> None:
        """Open a class scope."""
        if self._inferred:
            self._inferred.clear()
        self.scopes.append(Scope("class", node))
        self.scope = self.scopes[-1]
        self.class_stack.append(node)

    def leave_class(self) -> None:
        """Close the innermost class scope."""
        if self._inferred:
            self._inferred.clear()
        self.scopes.pop()
        self.scope = self.scopes[-1]
        self.class_stack.pop()

    def enter_comprehension(self, node: ast.AST) -> None:
        """Open a comprehension scope (targets shadow outer names)."""
        if self._inferred:
            self._inferred.clear()
        scope = Scope("comprehension", node)
        scope.bindings = dict.fromkeys(comprehension_targets(node))
        self.scopes.append(scope)
        self.scope = scope

    def leave_comprehension(self) -> None:
        """Close the innermost comprehension scope."""
        if self._inferred:
            self._inferred.clear()
        self.scopes.pop()
        self.scope = self.scopes[-1]

    def loop_in(self, node: ast.AST) -> None:
        """Enter the repeated part of a loop or comprehension."""
        if self._inferred:
            self._inferred.clear()
        frame = self.frame
        frame.loop_depth += 1
        frame.loop_nodes.append(node)
        loop_vars: set[str] = set()
        if isinstance(node, (ast.For, ast.AsyncFor)):
            loop_vars.update(target_names(node.target))
            for name in loop_vars:
                self._set_binding(name, None)
            if frame.event_names and self._mentions(node.iter, frame.event_names):
                frame.event_names.update(loop_vars)
        else:
            for gen in getattr(node, "generators", []):
                loop_vars.update(target_names(gen.target))
        frame.loop_vars.append(frozenset(loop_vars))
        frame.loop_assigned.append(set())

    def loop_out(self) -> None:
        """Leave the repeated part of a loop."""
        frame = self.frame
        frame.loop_depth -= 1
        frame.loop_nodes.pop()
        frame.loop_vars.pop()
        frame.loop_assigned.pop()

    def on_with(self, node: ast.With | ast.AsyncWith) -> None:
        """Bind ``with factory(...) as name`` targets."""
        if self._inferred:
            self._inferred.clear()
        for item in node.items:
            if item.optional_vars is None:
                continue
            value = self.infer(item.context_expr)
            if isinstance(item.optional_vars, ast.Name):
                self._set_binding(item.optional_vars.id, value)
            else:
                for name in target_names(item.optional_vars):
                    self._set_binding(name, None)
            self._inferred.clear()

    def on_definition(self, name: str) -> None:
        """A def/class statement rebinds ``name`` to something that is not an AWS value."""
        if self._inferred:
            self._inferred.clear()
        if len(self.scopes) > 1:
            self.scope.bindings[name] = None

    def on_call(self, node: ast.Call) -> None:
        """Record calls between module-level functions (for the Lambda handler path)."""
        top = self.top_function
        if top is not None and isinstance(node.func, ast.Name):
            callee = node.func.id
            if callee in self.top_level_functions and callee != top:
                self.calls_from[top].add(callee)

    # ------------------------------------------------------------------ queries
    def factory_value(self, call: ast.Call) -> AwsValue | None:
        """The value a client/resource/session factory call creates, else None.

        Cheap: looks only at calls named like factories before inferring.
        """
        func = call.func
        if isinstance(func, ast.Attribute):
            if func.attr not in _FACTORY_ATTRS:
                return None
        elif isinstance(func, ast.Name):
            if func.id not in self.imports:
                return None
        else:
            return None
        value = self.infer(call)
        if value is None or value.origin is not call or value.kind not in _CREATED_KINDS:
            return None
        return value

    def lookup(self, name: str) -> AwsValue | None:
        """The AWS value bound to ``name`` in the current scope chain, if any."""
        if name not in self.aws_names:
            return None
        return self._lookup(name, self.scopes)

    @staticmethod
    def _lookup(name: str, scopes: list[Scope]) -> AwsValue | None:
        innermost = scopes[-1]
        for scope in reversed(scopes):
            if scope.kind == "class" and scope is not innermost:
                continue
            if name in scope.bindings:
                return scope.bindings[name]
        return None

    def infer(self, expr: ast.expr) -> AwsValue | None:
        """What AWS SDK object ``expr`` evaluates to, if the model can tell."""
        key = id(expr)
        inferred = self._inferred
        if key in inferred:
            return inferred[key]
        value = self._infer(expr, self.scopes, 0)
        inferred[key] = value
        return value

    def _infer(self, expr: ast.expr, scopes: list[Scope], depth: int) -> AwsValue | None:
        cls = expr.__class__
        if cls not in _SDK_VALUE_TYPES or depth > MAX_INFER_DEPTH:
            return None  # literals, arithmetic, comprehensions... are never SDK objects
        if cls is ast.Name:
            name = expr.id  # type: ignore[attr-defined]
            # a name never bound to an SDK value anywhere cannot be one here
            return self._lookup(name, scopes) if name in self.aws_names else None
        if cls is ast.Call:
            return self._infer_call(expr, scopes, depth)  # type: ignore[arg-type]
        if isinstance(expr, ast.Attribute):
            if expr.attr == "client" and isinstance(expr.value, ast.Attribute) and (
                expr.value.attr == "meta"
            ):
                owner = self._infer(expr.value.value, scopes, depth + 1)
                if owner is not None and owner.kind in (
                    Kind.RESOURCE, Kind.TABLE, Kind.BUCKET, Kind.OBJECT
                ):
                    return AwsValue(Kind.CLIENT, owner.service, owner.evidence, owner.is_async)
                return None
            if isinstance(expr.value, ast.Name):
                class_node = self.frame.class_node
                if class_node is not None and expr.value.id == self.frame.self_name:
                    return self.class_attrs.get((class_node, expr.attr))
            return None
        if isinstance(expr, ast.Await):
            return self._infer(expr.value, scopes, depth + 1)
        if isinstance(expr, ast.NamedExpr):
            return self._infer(expr.value, scopes, depth + 1)
        return None

    def _callee_may_make_sdk(self, func: ast.expr) -> bool:
        """Whether a call of ``func`` can make an SDK object (what ``_infer_call`` handles).

        A method named as a factory, session method, resource sub-object, paginator or
        waiter; or a name that is imported or a function known to return one.
        """
        if func.__class__ is ast.Attribute:
            return func.attr in _INFERRED_METHODS
        if func.__class__ is ast.Name:
            name: str = func.id
            return name in self.imports or name in self.function_returns
        return False

    def _infer_call(self, call: ast.Call, scopes: list[Scope], depth: int) -> AwsValue | None:
        func = call.func
        if not self._callee_may_make_sdk(func):
            return None
        qual = self.qualname(func) if isinstance(func, (ast.Name, ast.Attribute)) else None
        if qual is not None:
            factory = _FACTORIES.get(qual)
            if factory is not None:
                kind, is_async, default_session = factory
                service = None
                if kind in (Kind.CLIENT, Kind.RESOURCE):
                    service = self._service_arg(call, scopes)
                return AwsValue(kind, service, Evidence.HIGH, is_async, default_session, call)
        if isinstance(func, ast.Name):
            returned = self.function_returns.get(func.id)
            if returned is not None and self._lookup(func.id, scopes) is None:
                return AwsValue(returned.kind, returned.service, returned.evidence,
                                returned.is_async, returned.default_session, call)
            return None
        if not isinstance(func, ast.Attribute):
            return None
        method = func.attr
        if method in _SESSION_METHODS or method in _BOTOCORE_SESSION_METHODS:
            owner = self._infer(func.value, scopes, depth + 1)
            service = self._service_arg(call, scopes)
            if owner is not None:
                if owner.kind is Kind.SESSION and method in _SESSION_METHODS:
                    return AwsValue(_SESSION_METHODS[method], service, Evidence.HIGH,
                                    owner.is_async, False, call)
                if owner.kind is Kind.BOTOCORE_SESSION and method == "create_client":
                    return AwsValue(Kind.CLIENT, service, Evidence.HIGH, owner.is_async,
                                    False, call)
                return None
            if service is not None and self.imports_aws and names.is_known_service(service):
                if method == "resource" and service not in names.RESOURCE_SERVICES:
                    return None
                kind = Kind.RESOURCE if method == "resource" else Kind.CLIENT
                # The receiver is unknown (a parameter, a wrapper): the literal service
                # name makes a boto3 session likely, not certain.
                return AwsValue(kind, service, Evidence.MEDIUM, False, False, call)
            return None
        owner = self._infer(func.value, scopes, depth + 1)
        if owner is None:
            return None
        if owner.kind is Kind.RESOURCE and owner.service is not None:
            sub = _RESOURCE_SUBOBJECTS.get((owner.service, method))
            if sub is not None:
                return AwsValue(sub, owner.service, owner.evidence, owner.is_async, False, call)
        if owner.kind is Kind.BUCKET and method == "Object":
            return AwsValue(Kind.OBJECT, "s3", owner.evidence, owner.is_async, False, call)
        if owner.kind is Kind.CLIENT and method in ("get_paginator", "get_waiter"):
            kind = Kind.PAGINATOR if method == "get_paginator" else Kind.WAITER
            return AwsValue(kind, owner.service, owner.evidence, owner.is_async, False, call,
                            literal_str(call_arg(call, 0, "operation_name" if kind is
                                                 Kind.PAGINATOR else "waiter_name")))
        return None

    def _service_arg(self, call: ast.Call, scopes: list[Scope]) -> str | None:
        arg = call_arg(call, 0, "service_name")
        text = literal_str(arg)
        if text is not None:
            return text
        if isinstance(arg, ast.Name):
            return self.module_string_constants().get(arg.id)
        return None

    def module_string_constants(self) -> dict[str, str]:
        """Module-level names bound exactly once to a string literal."""
        if self._str_consts is not None:
            return self._str_consts
        counts: dict[str, int] = {}
        values: dict[str, str] = {}
        for stmt in flat_statements(self.tree.body):
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    for name in target_names(target):
                        counts[name] = counts.get(name, 0) + 1
                        text = literal_str(stmt.value) if isinstance(target, ast.Name) else None
                        if text is not None:
                            values[name] = text
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                counts[stmt.target.id] = counts.get(stmt.target.id, 0) + 1
                text = literal_str(stmt.value)
                if text is not None:
                    values[stmt.target.id] = text
        result = {k: v for k, v in values.items() if counts.get(k) == 1}
        self._str_consts = result
        return result

    def value_from_annotation(self, annotation: ast.expr | None) -> AwsValue | None:
        """An AWS value for a boto3-stubs/types-boto3 annotation (``S3Client``).

        Unions (``S3Client | None``), ``Optional[...]`` and string annotations are
        looked through; iterative, so absurdly long unions cannot recurse deeply.
        """
        todo: list[ast.expr] = [] if annotation is None else [annotation]
        parsed_strings = 0
        while todo:
            node = todo.pop()
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                parsed_strings += 1
                if parsed_strings > 2 or len(node.value) > 200:
                    continue
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        node = ast.parse(node.value, mode="eval").body
                except (SyntaxError, ValueError, MemoryError, RecursionError):
                    continue
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
                todo.append(node.right)
                todo.append(node.left)
                continue
            if isinstance(node, ast.Subscript):
                outer = qualname_parts(node.value)
                if outer and outer[-1] == "Optional":
                    todo.append(node.slice)
                continue
            qual = self.qualname(node)
            if qual is None:
                continue
            value = names.value_for_stub_type(qual)
            if value is not None:
                return value
        return None

    def plainly_not_sdk(self, expr: ast.expr) -> bool:
        """A cheap sufficient test that a receiver is no SDK object, by model or by name.

        True for a plain name never bound to an SDK value whose spelling suggests none
        either (or that is an import), and for ``x.attr`` where no class attribute
        ``attr`` holds one and the spelling suggests none: :meth:`infer` and
        :meth:`receiver_hint` would both give None.
        """
        cls = expr.__class__
        if cls is ast.Name:
            ident: str = expr.id  # type: ignore[attr-defined]
            return ident not in self.aws_names and (
                not self.aws_modules or ident in self.imports or hint_value(ident) is None
            )
        if cls is ast.Attribute:
            attr: str = expr.attr  # type: ignore[attr-defined]
            return attr not in self.aws_attrs and (
                not self.aws_modules or hint_value(attr) is None
            )
        return False

    def receiver_hint(self, expr: ast.expr) -> AwsValue | None:
        """A medium-evidence guess from the receiver's name (``s3_client``, ``self.ddb``)."""
        if not self.aws_modules:
            return None
        cls = expr.__class__
        if cls is ast.Name:
            return hint_value(expr.id)  # type: ignore[attr-defined]
        if cls is ast.Attribute:
            return hint_value(expr.attr)  # type: ignore[attr-defined]
        return None

    def resolve_receiver(self, expr: ast.expr) -> AwsValue | None:
        """Infer the receiver; fall back to the name hint (medium evidence)."""
        value = self.infer(expr)
        if value is not None:
            return value
        return self.receiver_hint(expr)

    def handler_path(self) -> frozenset[str]:
        """Lambda handlers plus the module-level functions they call, transitively."""
        seen: set[str] = set()
        todo = list(self.handlers)
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            todo.extend(self.calls_from.get(name, ()))
        return frozenset(seen)

    def _mentions(self, expr: ast.expr, idents: Iterable[str]) -> bool:
        wanted = set(idents)
        return any(isinstance(n, ast.Name) and n.id in wanted for n in ast.walk(expr))

    def mentions(self, expr: ast.expr, idents: Iterable[str]) -> bool:
        """Whether ``expr`` reads any of the names ``idents``."""
        return self._mentions(expr, idents)


@functools.lru_cache(maxsize=4096)
def hint_value(ident: str) -> AwsValue | None:
    """The medium-evidence value a receiver name suggests (values are immutable: shared)."""
    guess = names.guess_from_identifier(ident)
    if guess is None:
        return None
    return AwsValue(guess[0], guess[1], Evidence.MEDIUM)


def _self_name(func: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    for deco in func.decorator_list:
        if deco.__class__ is ast.Name and deco.id == "staticmethod":
            return None
    args = func.args
    first = args.posonlyargs or args.args
    return first[0].arg if first else None


#: ``<owner>.name =`` or ``<owner>.name: T =`` (not ``==``), after the owner's name.
_ATTRIBUTE_STORE = r"[ \t]*\.[ \t]*\w+[ \t]*(?::[^=\n]*)?=(?!=)"


def _attribute_store_lines(text: str, owner: str) -> list[int] | None:
    """Sorted 1-based numbers of the lines that may store an attribute of ``owner``.

    A superset (the owner's name may end a longer word); the pattern opens with the
    name, a literal the regex engine skips ahead to. None when lone carriage returns
    (old Mac line ends) make line numbers uncertain.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    found: list[int] = []
    line, position = 1, 0
    for match in re.finditer(re.escape(owner) + _ATTRIBUTE_STORE, text):
        start = match.start()
        line += text.count("\n", position, start)
        position = start
        if not found or found[-1] != line:
            found.append(line)
    return found


_LOOP_AND_IF_BLOCKS = frozenset({ast.If, ast.For, ast.AsyncFor, ast.While})
_TRY_BLOCKS = frozenset({ast.Try, getattr(ast, "TryStar", ast.Try)})  # TryStar: 3.11+
_BLOCKS = _LOOP_AND_IF_BLOCKS | {ast.With, ast.AsyncWith} | _TRY_BLOCKS


def flat_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements of a block, descending into if/try/with/for bodies but not defs."""
    stack: list[ast.stmt] = list(reversed(body))
    while stack:
        stmt = stack.pop()
        yield stmt
        cls = stmt.__class__
        if cls not in _BLOCKS:
            continue
        if cls in _LOOP_AND_IF_BLOCKS:
            stack.extend(reversed(stmt.orelse))  # type: ignore[attr-defined]
            stack.extend(reversed(stmt.body))  # type: ignore[attr-defined]
        elif cls is ast.With or cls is ast.AsyncWith:
            stack.extend(reversed(stmt.body))  # type: ignore[attr-defined]
        else:  # try, try/except*
            stack.extend(reversed(getattr(stmt, "finalbody", [])))
            stack.extend(reversed(getattr(stmt, "orelse", [])))
            for handler in reversed(getattr(stmt, "handlers", [])):
                stack.extend(reversed(handler.body))
            stack.extend(reversed(getattr(stmt, "body", [])))
