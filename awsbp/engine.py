"""One iterative walk per file, dispatching nodes to the enabled rules' handlers.

The walk is pre-order in source order with an explicit stack (no recursion, so
1,000-deep nesting is fine). Markers on the stack tell the semantic model when a
scope ends and when the repeated part of a loop starts and stops.
"""

from __future__ import annotations

import ast
import gc
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from typing import Any

from awsbp.checker import Checker, FileContext, LambdaFileChecker, may_have_handler
from awsbp.findings import Finding
from awsbp.model import SemanticModel, imported_name
from awsbp.names import imports_sdk
from awsbp.options import Settings
from awsbp.registry import Rule, all_rules, matches

_LEAVE = 1
_LOOP_IN = 2
_LOOP_OUT = 3
_LEAVE_FUNCTION = 4
_LEAVE_CLASS = 5
_LEAVE_COMPREHENSION = 6

#: Fields the walk never descends into: load/store contexts and operators (``op``,
#: ``ops``) are read through their parent node, never visited themselves.
_SKIP_FIELDS = frozenset({"ctx", "type_comment", "kind", "op", "ops"})
_NOT_WALKED = (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)
_fields_cache: dict[type, tuple[str, ...]] = {}

Handler = Callable[[ast.AST], None]


def select_rules(
    settings: Settings,
    *,
    include_default_off: bool = False,
    named: Collection[str] = (),
) -> list[Rule]:
    """Rules to run: default-on plus named default-off ones, minus awsbp-disable.

    A default-off rule runs when ``include_default_off`` is set, when its code is in
    ``awsbp-enable`` (a code or a prefix), or when ``named`` holds its full code,
    symbol or msgid (flake8's ``--extend-select AWSBP121``, pylint's
    ``--enable=<symbol>``). Prefixes such as ``--select AWSBP`` switch on only the
    default set: opt-in rules must be named.
    """
    disabled = settings.get_list("awsbp-disable")
    enabled_extra = settings.get_list("awsbp-enable")
    named_set = frozenset(named)
    chosen: list[Rule] = []
    for rule in all_rules():
        opted_in = (
            include_default_off
            or matches(rule.code, enabled_extra)
            or bool(named_set & {rule.code, rule.symbol, rule.msgid})
        )
        if matches(rule.code, disabled) and not (opted_in and rule.code in enabled_extra):
            continue
        if rule.default_enabled or opted_in:
            chosen.append(rule)
    return chosen


def run_rules(
    tree: ast.Module,
    lines: Sequence[str],
    filename: str,
    settings: Settings,
    rules: Iterable[Rule],
) -> list[Finding]:
    """Run ``rules`` over one parsed module and return sorted, de-duplicated findings."""
    candidates = list(rules)
    if not candidates:
        return []
    text = "".join(lines)
    if not imports_sdk(text):
        candidates = _rules_without_sdk(candidates, settings, text)
        if not candidates:
            return []
    line_list = lines if isinstance(lines, list) else list(lines)
    ctx = FileContext(
        tree, line_list, filename, settings, frozenset(r.code for r in candidates), text
    )
    checker_types: dict[type[Checker], None] = {}
    for rule in candidates:
        checker_types.setdefault(rule.checker, None)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # the walk allocates little and frees it all; collections only cost
    checkers: list[Checker] = []
    try:
        checkers = [cls(ctx) for cls in checker_types if cls.wanted(ctx, text)]
        if not checkers:
            return []
        enter, leave, by_call_name, filtered_calls = _dispatch_tables(checkers)
        _walk(tree, ctx.model, enter, leave, by_call_name, filtered_calls)
        for checker in checkers:
            checker.end_module()
        return sorted(set(ctx.findings))
    finally:
        # Checkers keep bound methods of themselves (handler tables, evaluators): a
        # reference cycle that would hold the file's context, tree and text until the
        # host's next full garbage collection. Emptying them frees it all right here.
        for checker in checkers:
            vars(checker).clear()
        if gc_was_enabled:
            gc.enable()


def _rules_without_sdk(rules: list[Rule], settings: Settings, text: str) -> list[Rule]:
    """The rules that can fire in a file that never mentions an AWS SDK.

    Those not marked ``aws_only`` whose text gate passes; the Lambda handler rules only
    when the file can have a handler (tested once, before their own gates).
    """
    handler: bool | None = None
    kept: list[Rule] = []
    for rule in rules:
        if rule.aws_only:
            continue
        if issubclass(rule.checker, LambdaFileChecker):
            if handler is None:
                handler = may_have_handler(settings, text)
            if not handler:
                continue
        if rule.prefilter is None or rule.prefilter.search(text):
            kept.append(rule)
    return kept


def _dispatch_tables(checkers: list[Checker]) -> tuple[
    dict[type, list[Any]], dict[type, list[Handler]], dict[str, list[Handler]],
    list[tuple[Handler, Callable[[str], object]]],
]:
    enter: dict[type, list[Any]] = {}
    leave: dict[type, list[Handler]] = {}
    by_call_name: dict[str, list[Handler]] = {}
    filtered_calls: list[tuple[Handler, Callable[[str], object]]] = []
    for checker in checkers:
        call_names = type(checker).CALL_NAMES
        skip = checker.skip_handlers
        for attr, is_enter, node_type in _handler_methods(type(checker)):
            if attr in skip:
                continue
            handler = getattr(checker, attr)
            if node_type is ast.Call and is_enter and call_names is not None:
                for call_name in call_names:
                    by_call_name.setdefault(call_name, []).append(handler)
            elif node_type is ast.Call and is_enter and (
                wanted_calls := checker.call_filter()
            ) is not None:
                filtered_calls.append((handler, wanted_calls))
            elif node_type is ast.Name and is_enter:
                # (handler, the ids it wants or None): the walk tests the id itself
                enter.setdefault(node_type, []).append((handler, checker.name_filter()))
            elif node_type is ast.Attribute and is_enter:
                enter.setdefault(node_type, []).append((handler, checker.attribute_filter()))
            else:
                (enter if is_enter else leave).setdefault(node_type, []).append(handler)
    return enter, leave, by_call_name, filtered_calls


_methods_cache: dict[type, tuple[tuple[str, bool, type], ...]] = {}


def _handler_methods(checker_type: type) -> tuple[tuple[str, bool, type], ...]:
    """``(method name, is visit, ast node type)`` for a checker class, cached."""
    cached = _methods_cache.get(checker_type)
    if cached is not None:
        return cached
    found: list[tuple[str, bool, type]] = []
    for attr in dir(checker_type):
        if attr.startswith("visit_"):
            is_enter, name = True, attr[6:]
        elif attr.startswith("leave_"):
            is_enter, name = False, attr[6:]
        else:
            continue
        node_type = getattr(ast, name, None)
        if isinstance(node_type, type) and issubclass(node_type, ast.AST):
            if issubclass(node_type, _NOT_WALKED):
                raise TypeError(
                    f"{checker_type.__name__}.{attr}: contexts and operators are not walked; "
                    "look at them from the parent node"
                )
            found.append((attr, is_enter, node_type))
    result = tuple(found)
    _methods_cache[checker_type] = result
    return result


#: Fields that never hold a node (names, numbers, constants), per node type: the walk
#: does not read them, so a leaf such as a Name or a Constant is never looked into.
_SCALAR_FIELDS: dict[str, frozenset[str]] = {
    "Name": frozenset({"id"}),
    "Constant": frozenset({"value", "kind"}),
    "Attribute": frozenset({"attr"}),
    "FunctionDef": frozenset({"name"}),
    "AsyncFunctionDef": frozenset({"name"}),
    "ClassDef": frozenset({"name"}),
    "alias": frozenset({"name", "asname"}),
    "arg": frozenset({"arg"}),
    "keyword": frozenset({"arg"}),
    "ImportFrom": frozenset({"module", "level"}),
    "ExceptHandler": frozenset({"name"}),
    "comprehension": frozenset({"is_async"}),
    "FormattedValue": frozenset({"conversion"}),
    "AnnAssign": frozenset({"simple"}),
    "Global": frozenset({"names"}),
    "Nonlocal": frozenset({"names"}),
    "MatchSingleton": frozenset({"value"}),
    "MatchAs": frozenset({"name"}),
    "MatchStar": frozenset({"name"}),
    "MatchMapping": frozenset({"rest"}),
    "MatchClass": frozenset({"kwd_attrs"}),
    "TypeVar": frozenset({"name"}),
    "ParamSpec": frozenset({"name"}),
    "TypeVarTuple": frozenset({"name"}),
}
_NONE_FIELDS: dict[type, frozenset[str]] = {
    node_type: fields
    for name, fields in _SCALAR_FIELDS.items()
    if isinstance(node_type := getattr(ast, name, None), type)
}


def _child_fields(node_type: type) -> tuple[str, ...]:
    """Fields that may hold child nodes, reversed (for pushing), cached per type."""
    fields = _fields_cache.get(node_type)
    if fields is None:
        all_fields: tuple[str, ...] = getattr(node_type, "_fields", ())
        skip = _SKIP_FIELDS | _NONE_FIELDS.get(node_type, frozenset())
        fields = tuple(reversed([f for f in all_fields if f not in skip]))
        _fields_cache[node_type] = fields
    return fields


# How the walk treats a node type: 0 plain; the others update the model or open scopes.
_PLAIN, _CALL, _ASSIGN, _IMPORT, _WITH, _GLOBAL, _FUNC, _LAMBDA, _CLASS, _FOR, _WHILE, _COMP = (
    range(12)
)
_NODE_KIND: dict[type, int] = {
    ast.Call: _CALL,
    ast.Assign: _ASSIGN,
    ast.AnnAssign: _ASSIGN,
    ast.AugAssign: _ASSIGN,
    ast.NamedExpr: _ASSIGN,
    ast.Import: _IMPORT,
    ast.ImportFrom: _IMPORT,
    ast.With: _WITH,
    ast.AsyncWith: _WITH,
    ast.Global: _GLOBAL,
    ast.FunctionDef: _FUNC,
    ast.AsyncFunctionDef: _FUNC,
    ast.Lambda: _LAMBDA,
    ast.ClassDef: _CLASS,
    ast.For: _FOR,
    ast.AsyncFor: _FOR,
    ast.While: _WHILE,
    ast.ListComp: _COMP,
    ast.SetComp: _COMP,
    ast.GeneratorExp: _COMP,
    ast.DictComp: _COMP,
}


_SKIP = -1
#: What the walk does with one node type in one file: its kind, its enter handlers (or
#: None), whether it has leave handlers, and its child fields.
Plan = tuple[int, "list[Any] | None", bool, tuple[str, ...]]


#: Plain node kinds without handlers in this file: a leaf is skipped at once, the
#: children of a bare node are pushed without asking for handlers.
_LEAF = -2
_BARE = -3
#: A Name or an Attribute with handlers: each is a ``(handler, names)`` pair, called when
#: ``names`` is None or holds the node's ``id`` / ``attr`` (see :meth:`Checker.name_filter`
#: and :meth:`Checker.attribute_filter`).
_FILTERED = -4


#: The one plan of every leaf type (checked by identity, before unpacking).
_LEAF_PLAN: Plan = (_LEAF, None, False, ())


def _plan(
    node_type: type, enter: dict[type, list[Any]], leave: dict[type, list[Handler]]
) -> Plan:
    if node_type is type(None):
        return (_SKIP, None, False, ())
    kind = _NODE_KIND.get(node_type, _PLAIN)
    handlers = enter.get(node_type) or None
    has_leave = node_type in leave
    fields = _child_fields(node_type)
    if kind == _PLAIN and handlers is None and not has_leave:
        if not fields:
            return _LEAF_PLAN
        kind = _BARE
    elif (node_type is ast.Name or node_type is ast.Attribute) and handlers is not None:
        kind = _FILTERED
    return (kind, handlers, has_leave, fields)


def _walk(
    tree: ast.Module,
    model: SemanticModel,
    enter: dict[type, list[Any]],
    leave: dict[type, list[Handler]],
    by_call_name: dict[str, list[Handler]] | None = None,
    filtered_calls: list[tuple[Handler, Callable[[str], object]]] | None = None,
) -> None:
    stack: list[Any] = [tree]
    named = by_call_name or {}
    filtered = filtered_calls or None
    imports = model.imports
    top_level_functions = model.top_level_functions
    push = stack.append
    extend = stack.extend
    pop = stack.pop
    plans: dict[type, Plan] = {}
    tuple_type = tuple
    list_type = list
    leaf_plan = _LEAF_PLAN
    while stack:
        node = pop()
        cls = node.__class__
        if cls is tuple_type:
            op, node = node
            if op == _LOOP_IN:
                model.loop_in(node)
            elif op == _LOOP_OUT:
                model.loop_out()
            else:
                leave_handlers = leave.get(node.__class__)
                if leave_handlers:
                    for handler in leave_handlers:
                        handler(node)
                if op == _LEAVE_FUNCTION:
                    model.leave_function()
                elif op == _LEAVE_CLASS:
                    model.leave_class()
                elif op == _LEAVE_COMPREHENSION:
                    model.leave_comprehension()
            continue
        plan = plans.get(cls)
        if plan is leaf_plan:
            continue
        if plan is None:
            plan = plans[cls] = _plan(cls, enter, leave)
            if plan is leaf_plan:
                continue
        kind, handlers, has_leave, fields = plan
        if kind <= _PLAIN:  # plain, bare, filtered, or a None in a list (no fields)
            if kind == _PLAIN:
                if handlers is not None:
                    for handler in handlers:
                        handler(node)
                if has_leave:
                    push((_LEAVE, node))
            elif kind == _FILTERED:
                is_name = cls is ast.Name
                ident = node.id if is_name else node.attr
                for handler, ids in handlers:  # type: ignore[union-attr]
                    if ids is None or ident in ids:
                        handler(node)
                if has_leave:
                    push((_LEAVE, node))
                if not is_name:
                    push(node.value)  # an Attribute's one child
                continue
            for name in fields:
                value = getattr(node, name, None)
                if value is None:
                    continue
                if value.__class__ is list_type:
                    if value:
                        extend(reversed(value))
                else:  # scalar fields are left out: any other value is a node
                    push(value)
            continue
        # --- semantic model first, so handlers see the updated state
        if kind == _CALL:
            func = node.func
            fcls = func.__class__
            if fcls is ast.Attribute:
                callee = func.attr
            elif fcls is ast.Name:
                if func.id in top_level_functions and model.top_function is not None:
                    model.on_call(node)
                callee = imported_name(func.id, imports)
            else:
                callee = None
            if callee is not None:
                call_handlers = named.get(callee)
                if call_handlers:
                    for handler in call_handlers:
                        handler(node)
                if filtered is not None:
                    for handler, wanted_call in filtered:
                        if wanted_call(callee):
                            handler(node)
        elif kind == _ASSIGN:
            model.on_assign(node)
        elif kind == _IMPORT:
            model.on_import(node)
        elif kind == _WITH:
            model.on_with(node)
        elif kind == _GLOBAL:
            model.on_global(node)
        elif kind == _FUNC:
            model.on_definition(node.name)
            model.enter_function(node)
        elif kind == _LAMBDA:
            model.enter_function(node)
        elif kind == _CLASS:
            model.on_definition(node.name)
            model.enter_class(node)
        if handlers is not None:
            for handler in handlers:
                handler(node)
        # --- children, pushed in reverse so they pop in source order
        if kind == _FOR:
            push((_LEAVE, node))
            extend(reversed(node.orelse))
            push((_LOOP_OUT, node))
            extend(reversed(node.body))
            push((_LOOP_IN, node))
            push(node.target)
            push(node.iter)
            continue
        if kind == _WHILE:
            push((_LEAVE, node))
            extend(reversed(node.orelse))
            push((_LOOP_OUT, node))
            extend(reversed(node.body))
            push(node.test)
            push((_LOOP_IN, node))
            continue
        if kind == _COMP:
            _push_comprehension(node, push, extend)
            model.enter_comprehension(node)
            continue
        if kind == _FUNC or kind == _LAMBDA:
            push((_LEAVE_FUNCTION, node))
        elif kind == _CLASS:
            push((_LEAVE_CLASS, node))
        elif has_leave:
            push((_LEAVE, node))
        for name in fields:
            value = getattr(node, name, None)
            if value is None:
                continue
            if value.__class__ is list_type:
                extend(reversed(value))
            else:
                push(value)


def child_nodes(node: ast.AST) -> list[ast.AST]:
    """The child nodes of ``node`` in field order, as the walk sees them.

    ``ast.iter_child_nodes`` without the load/store contexts and operators (never
    walked), and faster: the fields that can hold nodes are known per node type.
    """
    children: list[ast.AST] = []
    for name in reversed(_child_fields(node.__class__)):
        value = getattr(node, name, None)
        if value is None:
            continue
        if value.__class__ is list:
            children.extend(item for item in value if item is not None)
        else:
            children.append(value)
    return children


def walk_order(root: ast.AST) -> Iterator[tuple[ast.AST, ast.AST]]:
    """The nodes under ``root`` (itself first) in the order :func:`_walk` visits them.

    Each comes with the node of the frame the model is in when the walk's handlers see
    it: the innermost function or lambda (a def's decorators and defaults included),
    else ``root``. For checkers that replay part of the walk on demand instead of
    recording facts on every node; ``tests/test_model.py`` holds the two orders equal.
    """
    frames: list[ast.AST] = [root]
    stack: list[Any] = [root]
    push = stack.append
    extend = stack.extend
    while stack:
        node = stack.pop()
        cls = node.__class__
        if cls is tuple:
            frames.pop()
            continue
        kind = _NODE_KIND.get(cls, _PLAIN)
        if (kind == _FUNC or kind == _LAMBDA) and node is not root:
            frames.append(node)
            push((_LEAVE_FUNCTION, node))
        yield node, frames[-1]
        if kind == _FOR:
            extend(reversed(node.orelse))
            extend(reversed(node.body))
            push(node.target)
            push(node.iter)
        elif kind == _WHILE:
            extend(reversed(node.orelse))
            extend(reversed(node.body))
            push(node.test)
        elif kind == _COMP:
            _push_comprehension(node, push, extend, markers=False)
        else:
            extend(reversed(child_nodes(node)))


def _push_comprehension(
    node: ast.AST,
    push: Callable[[object], None],
    extend: Callable[[Iterable[object]], None],
    *,
    markers: bool = True,
) -> None:
    """Children of a comprehension: the first iterable outside the loop, the rest inside."""
    generators: list[ast.comprehension] = node.generators  # type: ignore[attr-defined]
    if markers:
        push((_LEAVE_COMPREHENSION, node))
        push((_LOOP_OUT, node))
    if isinstance(node, ast.DictComp):
        push(node.value)
        push(node.key)
    else:
        push(node.elt)  # type: ignore[attr-defined]
    for index in range(len(generators) - 1, -1, -1):
        gen = generators[index]
        extend(reversed(gen.ifs))
        push(gen.target)
        if index > 0:
            push(gen.iter)
    if markers:
        push((_LOOP_IN, node))
    push(generators[0].iter)
