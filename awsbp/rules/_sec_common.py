"""Helpers shared by the security rules: partial literal evaluation, local bindings, receivers.

Nothing here walks a whole tree. :class:`Evaluator` turns one expression (a dict
literal, ``json.dumps(...)``, a JSON string, literal arithmetic, a name bound once
to one of those) into Python values, with :data:`UNKNOWN` wherever the source is
not a literal; it is bounded by :data:`MAX_DEPTH` and :data:`MAX_NODES`.
:class:`BindingChecker` finds out, when a rule asks, which names a function binds
exactly once and to what (replaying that function's part of the walk), so rules can
follow ``policy = {...}`` to ``put_bucket_policy(Policy=json.dumps(policy))``.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable, Mapping
from typing import ClassVar, Final

from awsbp import botocore_data
from awsbp.checker import Checker, FileContext
from awsbp.engine import walk_order
from awsbp.evidence import Evidence
from awsbp.model import SemanticModel, flat_statements, target_names
from awsbp.values import Kind

MAX_DEPTH: Final = 10
"""How many names/containers deep an evaluation may go."""

MAX_NODES: Final = 4000
"""How many expression nodes one evaluation may visit."""

MAX_JSON_CHARS: Final = 200_000
"""Longest JSON string literal worth parsing."""

LOGGING_LEVELS: Final[Mapping[str, int]] = {
    "CRITICAL": 50, "FATAL": 50, "ERROR": 40, "WARNING": 30, "WARN": 30,
    "INFO": 20, "DEBUG": 10, "NOTSET": 0,
}

_TIMEDELTA_UNITS: Final[Mapping[str, float]] = {
    "weeks": 604800.0, "days": 86400.0, "hours": 3600.0, "minutes": 60.0,
    "seconds": 1.0, "milliseconds": 0.001, "microseconds": 0.000001,
}
_TIMEDELTA_POSITIONS: Final = ("days", "seconds", "microseconds", "milliseconds", "minutes",
                               "hours", "weeks")

#: Methods that change a list or dict in place.
MUTATING_METHODS: Final = frozenset(
    {"append", "extend", "insert", "update", "setdefault", "pop", "popitem", "remove",
     "clear", "add", "discard", "sort", "reverse"}
)

#: Callee names that read their argument without changing it (``json.dumps(policy)``).
_READ_ONLY_CALLS: Final = frozenset(
    {"dumps", "dump", "print", "len", "str", "repr", "bool", "int", "float", "isinstance",
     "type", "id", "sorted", "list", "tuple", "dict", "deepcopy", "copy", "debug", "info",
     "warning", "error", "exception"}
)


class _Unknown:
    """The value of an expression that is not a literal."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = _Unknown()


class PDict(dict[str, object]):
    """A dict evaluated from source: remembers its node and the node of each value.

    ``complete`` is false when some keys could not be read (``**spread``, computed
    keys): a rule must not conclude that a key is absent from such a dict.
    """

    def __init__(self, node: ast.AST | None, complete: bool = True) -> None:
        super().__init__()
        self.node = node
        self.nodes: dict[str, ast.AST] = {}
        self.complete = complete


class PList(list[object]):
    """A list or tuple evaluated from source; ``complete`` is false after ``*spread``."""

    def __init__(self, node: ast.AST | None, complete: bool = True) -> None:
        super().__init__()
        self.node = node
        self.complete = complete


class Duration:
    """A ``datetime.timedelta`` evaluated from literal arguments."""

    __slots__ = ("seconds",)

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds


def value_node(container: object, key: str) -> ast.AST | None:
    """The source node of ``container[key]`` when the container came from a literal."""
    if isinstance(container, PDict):
        return container.nodes.get(key)
    return None


def container_node(container: object) -> ast.AST | None:
    """The source node of an evaluated dict or list, if it came from a literal."""
    if isinstance(container, (PDict, PList)):
        return container.node
    return None


def is_complete(container: object) -> bool:
    """Whether every key/element of an evaluated container is known."""
    if isinstance(container, (PDict, PList)):
        return container.complete
    return isinstance(container, (dict, list))


def parse_json(text: str) -> object:
    """``json.loads`` for a string literal, or UNKNOWN if it is not (small, valid) JSON."""
    if len(text) > MAX_JSON_CHARS:
        return UNKNOWN
    stripped = text.lstrip()
    if not stripped.startswith(("{", "[")):
        return UNKNOWN
    try:
        result: object = json.loads(text)
    except (ValueError, RecursionError):
        return UNKNOWN
    return result


def as_number(value: object) -> float | None:
    """An int or float (not bool) as a float, else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


class Evaluator:
    """Partial, bounded evaluation of literal-ish expressions."""

    def __init__(self, model: SemanticModel, lookup: Callable[[str], ast.expr | None]) -> None:
        self._model = model
        self._lookup = lookup
        self._budget = 0

    def evaluate(self, expr: ast.expr | None) -> object:
        """The value of ``expr``; containers as :class:`PDict`/:class:`PList`."""
        if expr is None:
            return UNKNOWN
        self._budget = MAX_NODES
        return self._eval(expr, 0)

    def _eval(self, expr: ast.expr, depth: int) -> object:
        self._budget -= 1
        if self._budget < 0 or depth > MAX_DEPTH:
            return UNKNOWN
        if isinstance(expr, ast.Constant):
            return expr.value
        if isinstance(expr, ast.Dict):
            return self._eval_dict(expr, depth)
        if isinstance(expr, (ast.List, ast.Tuple)):
            out = PList(expr)
            for elt in expr.elts:
                if isinstance(elt, ast.Starred):
                    out.complete = False
                    continue
                out.append(self._eval(elt, depth + 1))
            return out
        if isinstance(expr, ast.Name):
            bound = self._lookup(expr.id)
            return UNKNOWN if bound is None else self._eval(bound, depth + 1)
        if isinstance(expr, ast.Call):
            return self._eval_call(expr, depth)
        if isinstance(expr, ast.BinOp):
            return _binop(expr.op, self._eval(expr.left, depth + 1),
                          self._eval(expr.right, depth + 1))
        if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, (ast.USub, ast.UAdd)):
            operand = as_number(self._eval(expr.operand, depth + 1))
            if operand is None:
                return UNKNOWN
            return -operand if isinstance(expr.op, ast.USub) else operand
        if isinstance(expr, ast.JoinedStr):
            return self._eval_fstring(expr, depth)
        if isinstance(expr, ast.Attribute):
            qual = self._model.qualname(expr)
            if qual is not None and qual.startswith("logging."):
                level = LOGGING_LEVELS.get(qual[len("logging."):])
                if level is not None:
                    return level
            return UNKNOWN
        return UNKNOWN

    def _eval_fstring(self, expr: ast.JoinedStr, depth: int) -> object:
        parts: list[str] = []
        for value in expr.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                parts.append(value.value)
                continue
            if not isinstance(value, ast.FormattedValue) or value.format_spec is not None:
                return UNKNOWN
            if value.conversion not in (-1, ord("s")):
                return UNKNOWN
            inner = self._eval(value.value, depth + 1)
            if isinstance(inner, bool) or not isinstance(inner, (str, int)):
                return UNKNOWN
            parts.append(str(inner))
        return "".join(parts)

    def _eval_dict(self, expr: ast.Dict, depth: int) -> PDict:
        out = PDict(expr)
        for key_node, value in zip(expr.keys, expr.values, strict=False):
            if key_node is None:
                out.complete = False
                continue
            key = self._eval(key_node, depth + 1)
            if not isinstance(key, str):
                out.complete = False
                continue
            out[key] = self._eval(value, depth + 1)
            out.nodes[key] = value
        return out

    def _eval_call(self, call: ast.Call, depth: int) -> object:
        func = call.func
        qual = self._model.qualname(func) if isinstance(func, (ast.Name, ast.Attribute)) else None
        if qual is None and isinstance(func, ast.Name):
            qual = func.id
        first = call.args[0] if call.args and not isinstance(call.args[0], ast.Starred) else None
        if qual in ("json.dumps",) and first is not None:
            return self._eval(first, depth + 1)
        if qual == "json.loads" and first is not None:
            text = self._eval(first, depth + 1)
            return parse_json(text) if isinstance(text, str) else UNKNOWN
        if qual == "dict" and not call.args:
            out = PDict(call)
            for kw in call.keywords:
                if kw.arg is None:
                    out.complete = False
                    continue
                out[kw.arg] = self._eval(kw.value, depth + 1)
                out.nodes[kw.arg] = kw.value
            return out
        if qual in ("int", "round") and first is not None and len(call.args) == 1:
            number = as_number(self._eval(first, depth + 1))
            return UNKNOWN if number is None else int(number)
        if qual == "datetime.timedelta":
            return self._timedelta(call, depth)
        if (
            isinstance(func, ast.Attribute)
            and func.attr in ("strip", "lstrip", "rstrip")
            and not call.args
            and not call.keywords
        ):
            text = self._eval(func.value, depth + 1)
            return getattr(text, func.attr)() if isinstance(text, str) else UNKNOWN
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "total_seconds"
            and not call.args
            and not call.keywords
        ):
            duration = self._eval(func.value, depth + 1)
            return duration.seconds if isinstance(duration, Duration) else UNKNOWN
        return UNKNOWN

    def _timedelta(self, call: ast.Call, depth: int) -> object:
        seconds = 0.0
        if len(call.args) > len(_TIMEDELTA_POSITIONS):
            return UNKNOWN
        pairs: list[tuple[str | None, ast.expr]] = [
            (_TIMEDELTA_POSITIONS[i], arg) for i, arg in enumerate(call.args)
        ]
        pairs.extend((kw.arg, kw.value) for kw in call.keywords)
        for unit, arg in pairs:
            if unit is None or unit not in _TIMEDELTA_UNITS or isinstance(arg, ast.Starred):
                return UNKNOWN
            number = as_number(self._eval(arg, depth + 1))
            if number is None:
                return UNKNOWN
            seconds += number * _TIMEDELTA_UNITS[unit]
        return Duration(seconds)


def _binop(op: ast.operator, left: object, right: object) -> object:
    if isinstance(left, str) and isinstance(right, str) and isinstance(op, ast.Add):
        if len(left) + len(right) > MAX_JSON_CHARS:
            return UNKNOWN
        return left + right
    a = as_number(left)
    b = as_number(right)
    if a is None or b is None:
        return UNKNOWN
    both_int = isinstance(left, int) and isinstance(right, int)
    result: float
    if isinstance(op, ast.Add):
        result = a + b
    elif isinstance(op, ast.Sub):
        result = a - b
    elif isinstance(op, ast.Mult):
        result = a * b
    elif isinstance(op, ast.Div) and b:
        return a / b
    elif isinstance(op, ast.FloorDiv) and b:
        result = a // b
    elif isinstance(op, ast.Mod) and b:
        result = a % b
    elif isinstance(op, ast.Pow) and abs(a) <= 1e6 and 0 <= b <= 64:
        result = a**b
    else:
        return UNKNOWN
    if abs(result) > 1e18:
        return UNKNOWN
    return int(result) if both_int else result


def module_bindings(tree: ast.Module) -> dict[str, ast.expr]:
    """Module-level names bound exactly once, by a plain assignment, to their value."""
    counts: dict[str, int] = {}
    values: dict[str, ast.expr] = {}

    def bump(name: str) -> None:
        counts[name] = counts.get(name, 0) + 1

    for stmt in flat_statements(tree.body):
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                for name in target_names(target):
                    bump(name)
                if isinstance(target, ast.Name):
                    values[target.id] = stmt.value
        elif isinstance(stmt, ast.AnnAssign):
            if isinstance(stmt.target, ast.Name) and stmt.value is not None:
                bump(stmt.target.id)
                values[stmt.target.id] = stmt.value
        elif isinstance(stmt, ast.AugAssign):
            for name in target_names(stmt.target):
                bump(name)
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            for name in target_names(stmt.target):
                bump(name)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                if item.optional_vars is not None:
                    for name in target_names(item.optional_vars):
                        bump(name)
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            for alias in stmt.names:
                bump(alias.asname or alias.name.split(".")[0])
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bump(stmt.name)
    return {name: value for name, value in values.items() if counts.get(name) == 1}


def root_name(expr: ast.expr) -> str | None:
    """``x`` for ``x``, ``x["a"].b``, ``x[0]``; None otherwise."""
    node = expr
    for _ in range(MAX_DEPTH):
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
            continue
        return None
    return None


def call_name(call: ast.Call) -> str | None:
    """The called method or function name: ``put_object`` for ``s3.put_object(...)``."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def is_meta_client(expr: ast.expr) -> bool:
    """``<resource>.meta.client``: a boto3 client whatever the resource is."""
    return (
        isinstance(expr, ast.Attribute)
        and expr.attr == "client"
        and isinstance(expr.value, ast.Attribute)
        and expr.value.attr == "meta"
    )


def defined_names(tree: ast.Module) -> frozenset[str]:
    """Names of module-level functions and of methods of module-level classes."""
    found: set[str] = set()
    for stmt in flat_statements(tree.body):
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.add(stmt.name)
        elif isinstance(stmt, ast.ClassDef):
            for item in stmt.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found.add(item.name)
    return frozenset(found)


def service_evidence(
    model: SemanticModel,
    call: ast.Call,
    services: frozenset[str],
    fallback: Evidence | None = None,
    local_names: frozenset[str] = frozenset(),
) -> Evidence | None:
    """How sure we are that ``call`` is an operation of one of ``services``.

    A receiver resolved (or named, e.g. ``s3_client``) to another service gives
    None. An unresolved receiver in an AWS-importing module gives MEDIUM when
    botocore knows the operation only on ``services``, else ``fallback``; but
    None when the module itself defines a method of that name (``local_names``):
    the receiver is then as likely to be the module's own class.
    """
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    value = model.resolve_receiver(func.value)
    if value is not None and value.service is not None:
        canonical = botocore_data.canonical_service(value.service) or value.service
        return value.evidence if canonical in services else None
    if value is not None and value.kind not in (Kind.CLIENT, Kind.RESOURCE):
        return None
    if not model.imports_aws or (func.attr in local_names and not is_meta_client(func.value)):
        return None
    owners = botocore_data.services_with_operation(func.attr)
    if owners and owners <= services:
        return Evidence.MEDIUM
    return fallback


def receiver_kind(model: SemanticModel, call: ast.Call) -> Kind | None:
    """The kind of the receiver of ``x.method(...)`` when the model resolves it."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    value = model.infer(func.value)
    return None if value is None else value.kind


class _BindingReplay:
    """Bindings and in-place changes under one node, replayed in the walk's order.

    :meth:`advance` replays up to (not including) a node; the facts then are those the
    walk had seen just before it. Store counts are per frame (``id`` of the function,
    lambda or root node); ``mutated`` holds the names changed in place so far.
    """

    def __init__(self, root: ast.AST) -> None:
        self.root = root
        self.stores: dict[tuple[int, str], int] = {}
        self.values: dict[tuple[int, str], ast.expr] = {}
        self.mutated: set[str] = set()
        self._order = walk_order(root)
        self._at: tuple[ast.AST, ast.AST] | None = None

    def advance(self, target: ast.AST | None) -> None:
        """Replay every node before ``target`` (None: to the end)."""
        at = self._at
        if at is not None:
            if at[0] is target:
                return
            self._record(*at)
            self._at = None
        for node, frame in self._order:
            if node is target:
                self._at = (node, frame)
                return
            self._record(node, frame)

    def _store(self, frame: ast.AST, name: str, value: ast.expr | None) -> None:
        key = (id(frame), name)
        count = self.stores.get(key, 0) + 1
        self.stores[key] = count
        if value is not None and count == 1:
            self.values[key] = value
        else:
            self.values.pop(key, None)

    def _store_target(self, frame: ast.AST, target: ast.expr, value: ast.expr | None) -> None:
        if isinstance(target, ast.Name):
            self._store(frame, target.id, value)
            return
        if isinstance(target, (ast.Subscript, ast.Attribute)):
            name = root_name(target)
            if name is not None:
                self.mutated.add(name)
            return
        for name in target_names(target):
            self._store(frame, name, None)

    def _record(self, node: ast.AST, frame: ast.AST) -> None:
        """What one node binds or changes: ``name = v`` (once), ``d[k] = v``, ``f(d)``..."""
        cls = node.__class__
        if cls is ast.Call:
            self._record_call(node)  # type: ignore[arg-type]
        elif cls is ast.Assign:
            for target in node.targets:  # type: ignore[attr-defined]
                self._store_target(frame, target, node.value)  # type: ignore[attr-defined]
        elif cls is ast.AnnAssign:
            if node.value is not None:  # type: ignore[attr-defined]
                self._store_target(frame, node.target, node.value)  # type: ignore[attr-defined]
        elif cls is ast.NamedExpr:
            self._store(frame, node.target.id, node.value)  # type: ignore[attr-defined]
        elif cls is ast.AugAssign or cls is ast.For or cls is ast.AsyncFor:
            self._store_target(frame, node.target, None)  # type: ignore[attr-defined]
        elif cls is ast.withitem:
            if node.optional_vars is not None:  # type: ignore[attr-defined]
                self._store_target(frame, node.optional_vars, None)  # type: ignore[attr-defined]
        elif cls in _COMPREHENSIONS:
            for gen in node.generators:  # type: ignore[attr-defined]
                for name in target_names(gen.target):
                    self._store(frame, name, None)
        elif cls is ast.Import:
            for alias in node.names:  # type: ignore[attr-defined]
                self._store(frame, alias.asname or alias.name.split(".")[0], None)
        elif cls is ast.ImportFrom:
            for alias in node.names:  # type: ignore[attr-defined]
                self._store(frame, alias.asname or alias.name, None)
        elif cls is ast.Delete:
            for target in node.targets:  # type: ignore[attr-defined]
                self._store_target(frame, target, None)

    def _record_call(self, node: ast.Call) -> None:
        """Containers a call can change: its receiver (``d.update()``) and arguments."""
        func = node.func
        name = ""
        if func.__class__ is ast.Attribute:
            name = func.attr
            if name in MUTATING_METHODS:
                root = root_name(func.value)
                if root is not None:
                    self.mutated.add(root)
        elif func.__class__ is ast.Name:
            name = func.id
        if name in _READ_ONLY_CALLS:
            return
        for arg in node.args:
            inner = arg.value if arg.__class__ is ast.Starred else arg
            if inner.__class__ is ast.Name:
                self.mutated.add(inner.id)
        for kw in node.keywords:
            if kw.value.__class__ is ast.Name:
                self.mutated.add(kw.value.id)


_COMPREHENSIONS: Final = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)

#: Values a later in-place change cannot alter (a name bound to one is still followed).
_IMMUTABLE_VALUES: Final = (ast.Constant, ast.BinOp, ast.UnaryOp, ast.JoinedStr)


class BindingChecker(Checker):
    """A checker that can ask, at a checked call, what a name is bound to (once).

    Subclasses set :attr:`CHECKED_CALLS`, implement :meth:`check_call` instead of
    ``visit_Call`` and read values with :meth:`evaluate` / :meth:`lookup`. Nothing is
    recorded during the walk: the first lookup in a function replays that function up
    to the checked call (:class:`_BindingReplay`), so files and functions without a
    lookup cost nothing.
    """

    #: Callee names :meth:`check_call` is called for.
    CHECKED_CALLS: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._here: ast.AST | None = None
        self._replay: _BindingReplay | None = None
        self._module_replay: _BindingReplay | None = None
        self._module: dict[str, ast.expr] | None = None
        self._defined: frozenset[str] | None = None
        self.evaluator = Evaluator(self.model, self.lookup)

    def defines(self, name: str) -> bool:
        """Whether this module defines a function or method called ``name``."""
        if self._defined is None:
            self._defined = defined_names(self.ctx.tree)
        return name in self._defined

    def service_evidence(
        self, call: ast.Call, services: frozenset[str], fallback: Evidence | None = None
    ) -> Evidence | None:
        """:func:`service_evidence`, aware of the methods this module defines itself."""
        if self._defined is None:
            self._defined = defined_names(self.ctx.tree)
        return service_evidence(self.model, call, services, fallback, self._defined)

    def visit_Call(self, node: ast.Call) -> None:
        """Run the subclass's check for calls named in :attr:`CHECKED_CALLS`."""
        func = node.func
        if func.__class__ is ast.Attribute:
            name = func.attr
        elif func.__class__ is ast.Name:
            name = func.id
        else:
            return
        if name in self.CHECKED_CALLS:
            self._here = node
            self.check_call(node, name)

    def check_call(self, node: ast.Call, name: str) -> None:
        """Subclasses check calls here; ``name`` is the callee's name."""

    def _function_facts(self, function: ast.AST) -> _BindingReplay:
        """The outermost function's bindings up to the call being checked."""
        replay = self._replay
        if replay is None or replay.root is not function:
            replay = self._replay = _BindingReplay(function)
        replay.advance(self._here)
        return replay

    def _changed_in_module(self, name: str) -> bool:
        """Whether the walk changed ``name`` in place anywhere before the checked call."""
        replay = self._module_replay
        if replay is None:
            replay = self._module_replay = _BindingReplay(self.ctx.tree)
        replay.advance(self._here)
        return name in replay.mutated

    def lookup(self, name: str) -> ast.expr | None:
        """The expression ``name`` is bound to (once) where it is read, else None.

        Looks through the enclosing functions, stopping at a parameter of that name,
        then at module level. A function's own bindings count up to the checked call.
        A container changed in place (``d[k] = v``, ``d.update()``, passed to a call)
        before the call is not followed: a local one changed in its function, a
        module-level one changed anywhere.
        """
        frames = self.model.frames
        outermost = frames[1].node if len(frames) > 1 else None
        if outermost is not None:
            facts = self._function_facts(outermost)
            for frame in reversed(frames[1:]):
                key = (id(frame.node), name)
                count = facts.stores.get(key, 0)
                if count:
                    found = facts.values.get(key) if count == 1 else None
                    if found is None or (
                        name in facts.mutated and not isinstance(found, _IMMUTABLE_VALUES)
                    ):
                        return None
                    return found
                if name in frame.params:
                    return None
        if self._module is None:
            self._module = module_bindings(self.ctx.tree)
        found = self._module.get(name)
        if found is None or (
            not isinstance(found, _IMMUTABLE_VALUES) and self._changed_in_module(name)
        ):
            return None
        return found

    def evaluate(self, expr: ast.expr | None) -> object:
        """Evaluate ``expr`` following names bound once (see :class:`Evaluator`)."""
        return self.evaluator.evaluate(expr)
