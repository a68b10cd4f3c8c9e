"""Response tracking: how the result of an AWS call is used inside one function.

Rules such as "paginated call used without pagination" and "batch failures never
checked" need to know, for a call ``resp = client.op(...)`` (or a direct
``client.op(...)["Items"]``), which response keys the function reads, whether it
iterates/collects a result list, and whether the response escapes (returned,
passed to a call, stored elsewhere), in which case the caller may handle it.

Such calls are rare (a dozen functions in a 90,000-line project), so the facts are
collected on demand. During the engine's walk a subclass only spots the calls
(``visit_Call``, where the semantic model resolves the receiver) and defers them
with :meth:`FlowChecker.defer_candidate`. When the enclosing top-level function
ends (or the module, for module-level calls), :class:`FlowChecker` replays that
function alone, once, with the ``fact_*`` handlers below. The replay is pre-order
in source order, so a parent node is seen before its children: parents classify
their child expressions (``for x in resp["Items"]`` marks the subscript as
iterated) and a child that no parent explained is an escape. Every handler looks
at a node and its direct children (or a short chain of subscripts), and each node
is replayed at most once, so the cost stays linear in the file size.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable

from awsbp.checker import Checker, FileContext
from awsbp.engine import child_nodes
from awsbp.model import comprehension_targets, parameters, target_names

#: A short chain of constant keys read from a subject, ``resp["A"]["B"]`` -> ("A", "B").
Path = tuple[str, ...]
#: Who a fact is about: ("n", frame id, name) for a bound name, ("c", call id, "") for a call.
SubjectKey = tuple[str, int, str]

MAX_CHAIN = 4

#: Calls that look at a value without collecting it (``len`` is special-cased).
_NON_CONSUMING = frozenset(
    {"bool", "isinstance", "type", "id", "print", "repr", "str", "hasattr", "callable"}
)
_LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "log"}
)
_EMPTY_DEFAULTS = (ast.List, ast.Dict, ast.Tuple)
_ITEM_TYPES = frozenset({ast.Subscript, ast.Call, ast.BoolOp, ast.Await})


def unwrap_await(expr: ast.expr) -> ast.expr:
    """``await x`` -> ``x`` (repeatedly); other expressions unchanged."""
    while isinstance(expr, ast.Await):
        expr = expr.value
    return expr


def const_key(expr: ast.expr | None) -> str | None:
    """The string value of a constant subscript/``get`` key, else None."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value
    return None


def strip_default(expr: ast.expr) -> ast.expr:
    """``x or []`` / ``x or {}`` -> ``x`` (the usual "missing key" default)."""
    if (
        isinstance(expr, ast.BoolOp)
        and isinstance(expr.op, ast.Or)
        and len(expr.values) == 2
        and isinstance(expr.values[1], _EMPTY_DEFAULTS)
    ):
        return expr.values[0]
    return expr


def result_item(expr: ast.expr) -> tuple[ast.expr, Path] | None:
    """``root["A"]["B"]`` / ``root.get("A", {}).get("B")`` -> (root, ("A", "B")).

    The root is a Name or a Call (``await`` unwrapped); None for anything else.
    """
    node = expr
    if node.__class__ is ast.BoolOp:
        node = strip_default(node)
    keys: list[str] = []
    for _ in range(MAX_CHAIN):
        cls = node.__class__
        if cls is ast.Await:
            node = unwrap_await(node)
            cls = node.__class__
        if cls is ast.Subscript:
            key = const_key(node.slice)  # type: ignore[attr-defined]
            if key is None:
                return None
            keys.append(key)
            node = node.value  # type: ignore[attr-defined]
            continue
        if cls is ast.Call:
            func = node.func  # type: ignore[attr-defined]
            if (
                func.__class__ is ast.Attribute
                and func.attr == "get"
                and node.args  # type: ignore[attr-defined]
                and not node.keywords  # type: ignore[attr-defined]
                and len(node.args) <= 2  # type: ignore[attr-defined]
            ):
                key = const_key(node.args[0])  # type: ignore[attr-defined]
                if key is None:
                    return None
                keys.append(key)
                node = func.value
                continue
        break
    else:
        return None
    if not keys:
        return None
    node = unwrap_await(node)
    if node.__class__ is not ast.Name and node.__class__ is not ast.Call:
        return None
    keys.reverse()
    return node, tuple(keys)


def _func_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


class Facts:
    """What the function did with one subject (a bound response, or a direct call)."""

    __slots__ = ("consumed", "escaped", "keys")

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.consumed: set[Path] = set()
        self.escaped = False


class FrameState:
    """Per-function facts: names being tracked, aliases, and the function's text."""

    __slots__ = ("aliases", "node", "text", "tracked")

    def __init__(self, node: ast.AST | None) -> None:
        self.node = node
        self.tracked: set[str] = set()
        self.aliases: dict[str, tuple[SubjectKey, Path]] = {}
        #: The source text of the function (filled on first use by ``frame_mentions``).
        self.text: str | None = None


class Candidate:
    """A call whose response a rule wants to judge at the end of its function."""

    __slots__ = ("call", "data", "discarded", "escaped", "frame", "op", "subject")

    def __init__(
        self,
        call: ast.Call,
        op: str,
        frame: int,
        subject: SubjectKey,
        data: object = None,
        discarded: bool = False,
        escaped: bool = False,
    ) -> None:
        self.call = call
        self.op = op
        self.frame = frame
        self.subject = subject
        self.data = data
        self.discarded = discarded
        self.escaped = escaped


_FUNCTION_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_SCOPE_TYPES = (ast.ClassDef, ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
#: Replay-stack marker: the node below it (a function or a scope) ends here.
_END = object()


class FlowChecker(Checker):
    """Base checker: defers candidate calls, then replays their function to judge them.

    Subclasses spot candidates in ``visit_Call`` (the engine's walk, where the model
    knows what the receiver is) and call :meth:`defer_candidate`; they implement
    :meth:`judge`, which runs when the candidate's function ends in the replay.
    """

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        #: Deferred candidates not replayed yet: call id -> (operation, rule data).
        self._pending: dict[int, tuple[str, object]] = {}
        self._module_pending = False
        self._handlers = _fact_handlers(type(self))
        self._reset()

    def _reset(self) -> None:
        """Fresh facts for one replay."""
        self._frames: dict[int, FrameState] = {}
        self._facts: dict[SubjectKey, Facts] = {}
        self._explained: set[int] = set()
        self._existence: set[int] = set()
        self._non_consuming_args: set[int] = set()
        self._bindings: dict[int, tuple[int, str]] = {}
        self._discarded: set[int] = set()
        self._candidates: dict[int, list[Candidate]] = {}
        self._tracked_names: set[str] = set()
        #: The replay's function nodes (the module first) and naming scopes.
        self._frame_nodes: list[ast.AST] = [self.model.tree]
        self._scopes: list[set[str]] = [set()]

    # ------------------------------------------------------------------ the engine's walk
    def defer_candidate(self, call: ast.Call, op: str, data: object = None) -> None:
        """Judge ``call``'s response when its function has been replayed."""
        self._pending[id(call)] = (op, data)
        if len(self.model.frames) == 1:
            self._module_pending = True

    def _leave_function(self, node: ast.AST) -> None:
        # leave handlers run before the model closes the frame: 2 = a top-level function
        if not self._module_pending and len(self.model.frames) == 2:
            self._replay(node)

    def leave_FunctionDef(self, node: ast.FunctionDef) -> None:
        if self._pending:
            self._leave_function(node)

    def leave_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        if self._pending:
            self._leave_function(node)

    def leave_Lambda(self, node: ast.Lambda) -> None:
        if self._pending:
            self._leave_function(node)

    def end_module(self) -> None:
        if self._pending:
            self._replay(self.model.tree)

    # ------------------------------------------------------------------ the replay
    def _replay(self, root: ast.AST) -> None:
        """Walk ``root`` once in source order, collecting facts and judging candidates."""
        self._reset()
        handlers = self._handlers
        stack: list[object] = [root]
        while stack:
            node = stack.pop()
            if node is _END:
                self._end(stack.pop())
                continue
            assert isinstance(node, ast.AST)
            self._bind(node)
            handler = handlers.get(node.__class__)
            if handler is not None:
                handler(self, node)
            if node is not self.model.tree:
                if isinstance(node, _FUNCTION_TYPES):
                    self._frame_nodes.append(node)
                    self._scopes.append({arg.arg for arg in parameters(node)})
                    stack.extend((node, _END))
                elif isinstance(node, _SCOPE_TYPES):
                    self._scopes.append(comprehension_targets(node))
                    stack.extend((node, _END))
            stack.extend(reversed(child_nodes(node)))
        if root is self.model.tree:
            self._finish(id(root))
        self._pending.clear()
        self._module_pending = False
        self._reset()

    def _end(self, node: object) -> None:
        self._scopes.pop()
        if isinstance(node, _FUNCTION_TYPES):
            self._finish(id(node))
            self._frame_nodes.pop()

    def _bind(self, node: ast.AST) -> None:
        """What the replay's scopes need: which names the innermost scope binds so far."""
        cls = node.__class__
        if cls is ast.Assign:
            for target in node.targets:  # type: ignore[attr-defined]
                self._scopes[-1].update(target_names(target))
        elif cls is ast.AnnAssign or cls is ast.AugAssign or cls is ast.For or (
            cls is ast.AsyncFor
        ):
            self._scopes[-1].update(target_names(node.target))  # type: ignore[attr-defined]
        elif cls is ast.NamedExpr:
            self._scopes[-1].add(node.target.id)  # type: ignore[attr-defined]
        elif cls is ast.With or cls is ast.AsyncWith:
            for item in node.items:  # type: ignore[attr-defined]
                if item.optional_vars is not None:
                    self._scopes[-1].update(target_names(item.optional_vars))
        elif cls is ast.FunctionDef or cls is ast.AsyncFunctionDef or cls is ast.ClassDef:
            if len(self._scopes) > 1:
                self._scopes[-1].add(node.name)  # type: ignore[attr-defined]
        elif cls is ast.Import or cls is ast.ImportFrom:
            for alias in node.names:  # type: ignore[attr-defined]
                self._scopes[-1].discard(alias.asname or alias.name.split(".")[0])

    # ------------------------------------------------------------------ state
    def frame_state(self) -> FrameState:
        """The facts of the function the replay is in."""
        node = self._frame_nodes[-1]
        state = self._frames.get(id(node))
        if state is None:
            state = FrameState(node)
            self._frames[id(node)] = state
        return state

    def facts(self, key: SubjectKey) -> Facts:
        """Facts about one subject (created empty on first use)."""
        found = self._facts.get(key)
        if found is None:
            found = Facts()
            self._facts[key] = found
        return found

    def _name_key(self, name: str) -> SubjectKey:
        """The subject key of ``name`` as seen from the current function."""
        frames = self._frame_nodes
        cid = id(frames[-1])
        state = self._frames.get(cid)
        if state is not None and name in state.tracked:
            return ("n", cid, name)
        if name not in self._scopes[-1]:
            for frame in reversed(frames[:-1]):
                outer = self._frames.get(id(frame))
                if outer is not None and name in outer.tracked:
                    return ("n", id(frame), name)
        return ("n", cid, name)

    def subject_key(self, root: ast.expr) -> SubjectKey | None:
        """The subject key of a Name or Call root."""
        if isinstance(root, ast.Name):
            return self._name_key(root.id)
        if isinstance(root, ast.Call):
            return ("c", id(root), "")
        return None

    # ------------------------------------------------------------------ events
    def _read_keys(self, root: ast.expr, path: Path) -> None:
        key = self.subject_key(root)
        if key is None:
            return
        self._explained.add(id(root))
        self.facts(key).keys.update(path)

    def _consume(self, expr: ast.expr | None) -> None:
        """``expr`` is collected/iterated/returned: record it if it is a result item."""
        if expr is None or expr.__class__ not in _ITEM_TYPES:
            return
        found = result_item(expr)
        if found is None:
            return
        root, path = found
        key = self.subject_key(root)
        if key is not None:
            self.facts(key).consumed.add(path)

    def _mark_test(self, expr: ast.expr) -> None:
        """A truth test: names and ``len(x)`` in it are existence checks, not uses."""
        stack: list[ast.expr] = [expr]
        budget = 16
        while stack and budget:
            budget -= 1
            node = stack.pop()
            if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
                stack.append(node.operand)
            elif isinstance(node, ast.BoolOp):
                stack.extend(node.values)
            elif isinstance(node, ast.Compare):
                stack.append(node.left)
            elif isinstance(node, ast.Name):
                self._explained.add(id(node))
            elif isinstance(node, ast.Call) and _func_name(node) in ("len", "bool", "any"):
                self._existence.add(id(node))

    def frame_mentions(
        self, state: FrameState, words: Iterable[str], keywords: bool = False
    ) -> bool:
        """Whether the function's source has any of ``words`` as a string (or keyword).

        Stands for "reads that key" (``resp["NextToken"]``, ``"IsTruncated" in resp``)
        and, with ``keywords``, "passes that keyword" (``NextToken=token``): a text test
        made only when a candidate is judged, a superset of both.
        """
        text = state.text
        if text is None:
            node = state.node
            start = getattr(node, "lineno", None)
            if node is None or node is self.model.tree or start is None:
                text = self.ctx.text
            else:
                end = getattr(node, "end_lineno", None) or start
                text = "".join(self.ctx.lines[start - 1 : end])
            state.text = text
        for word in words:
            if f'"{word}"' in text or f"'{word}'" in text:
                return True
            if keywords and f"{word}=" in text:
                return True
        return False

    # ------------------------------------------------------------------ fact handlers
    # ``fact_X`` runs for each ``X`` node of the replay, before its children.
    def fact_Subscript(self, node: ast.Subscript) -> None:
        found = result_item(node)
        if found is not None:
            self._read_keys(*found)
            return
        base = unwrap_await(node.value)
        if isinstance(base, (ast.Name, ast.Call)):
            # element access (items[0]) or a store into the response: not a use
            self._explained.add(id(base))

    def fact_Call(self, node: ast.Call) -> None:
        self._call_facts(node)
        deferred = self._pending.get(id(node))
        if deferred is not None:
            self.add_candidate(node, *deferred)

    def _call_facts(self, node: ast.Call) -> None:
        func = node.func
        is_attr = func.__class__ is ast.Attribute
        name = func.attr if is_attr else getattr(func, "id", None)  # type: ignore[attr-defined]
        if name == "get" and is_attr:
            found = result_item(node)
            if found is not None:
                self._read_keys(*found)
        if not node.args and not node.keywords:
            return
        if id(node) in self._existence:
            for value in node.args:
                if value.__class__ is ast.Name:
                    self._explained.add(id(value))
            return
        if name in _NON_CONSUMING or (is_attr and name in _LOG_METHODS):
            for value in node.args:
                if value.__class__ is ast.Name:
                    self._non_consuming_args.add(id(value))
            for kw in node.keywords:
                if kw.value.__class__ is ast.Name:
                    self._non_consuming_args.add(id(kw.value))
            return
        for value in node.args:
            self._consume(value.value if isinstance(value, ast.Starred) else value)
        for kw in node.keywords:
            self._consume(kw.value)
        if name in ("bool", "any", "all") and len(node.args) == 1:
            self._mark_test(node.args[0])

    def fact_Compare(self, node: ast.Compare) -> None:
        if len(node.ops) != 1 or len(node.comparators) != 1:
            return
        op = node.ops[0]
        left, right = node.left, node.comparators[0]
        if isinstance(op, (ast.In, ast.NotIn)):
            key = const_key(left)
            if key is None:
                return
            target = unwrap_await(right)
            found = result_item(target)
            if found is not None:
                root, path = found
                self._read_keys(root, (*path, key))
            elif isinstance(target, (ast.Name, ast.Call)):
                self._read_keys(target, (key,))
            return
        if isinstance(op, (ast.Is, ast.IsNot)) or (
            isinstance(right, ast.Constant) and isinstance(right.value, int)
            and right.value <= 1
        ) or isinstance(right, _EMPTY_DEFAULTS):
            self._mark_test(left)

    def fact_If(self, node: ast.If) -> None:
        self._mark_test(node.test)

    def fact_While(self, node: ast.While) -> None:
        self._mark_test(node.test)

    def fact_IfExp(self, node: ast.IfExp) -> None:
        self._mark_test(node.test)

    def fact_Assert(self, node: ast.Assert) -> None:
        self._mark_test(node.test)

    def fact_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Not):
            self._mark_test(node.operand)

    def fact_For(self, node: ast.For) -> None:
        self._consume(node.iter)

    def fact_AsyncFor(self, node: ast.AsyncFor) -> None:
        self._consume(node.iter)

    def _comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp |
                       ast.DictComp) -> None:
        for gen in node.generators:
            self._consume(gen.iter)
            for cond in gen.ifs:
                self._mark_test(cond)

    def fact_ListComp(self, node: ast.ListComp) -> None:
        self._comprehension(node)

    def fact_SetComp(self, node: ast.SetComp) -> None:
        self._comprehension(node)

    def fact_GeneratorExp(self, node: ast.GeneratorExp) -> None:
        self._comprehension(node)

    def fact_DictComp(self, node: ast.DictComp) -> None:
        self._comprehension(node)

    def fact_Return(self, node: ast.Return) -> None:
        self._consume(node.value)

    def fact_Yield(self, node: ast.Yield) -> None:
        self._consume(node.value)

    def fact_YieldFrom(self, node: ast.YieldFrom) -> None:
        self._consume(node.value)

    def fact_Starred(self, node: ast.Starred) -> None:
        self._consume(node.value)

    def fact_Dict(self, node: ast.Dict) -> None:
        for value in node.values:
            self._consume(value)

    def fact_List(self, node: ast.List) -> None:
        if isinstance(node.ctx, ast.Load):
            for elt in node.elts:
                self._consume(elt)

    def fact_Tuple(self, node: ast.Tuple) -> None:
        if isinstance(node.ctx, ast.Load):
            for elt in node.elts:
                self._consume(elt)

    def fact_Set(self, node: ast.Set) -> None:
        for elt in node.elts:
            self._consume(elt)

    def fact_AugAssign(self, node: ast.AugAssign) -> None:
        self._consume(node.value)

    def fact_Expr(self, node: ast.Expr) -> None:
        value = unwrap_await(node.value)
        if isinstance(value, ast.Call):
            self._discarded.add(id(value))

    def fact_Assign(self, node: ast.Assign) -> None:
        self._assign(node.targets, node.value)

    def fact_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._assign([node.target], node.value)

    def _assign(self, targets: list[ast.expr], value_node: ast.expr) -> None:
        value = unwrap_await(value_node)
        single = targets[0] if len(targets) == 1 else None
        tracked = self._tracked_names
        if tracked:
            for target in targets:
                if isinstance(target, ast.Name) and target.id in tracked:
                    self.frame_state().aliases.pop(target.id, None)
        if isinstance(single, ast.Name) and value.__class__ is ast.Call:
            self._bindings[id(value)] = (id(self._frame_nodes[-1]), single.id)
        if value_node.__class__ not in _ITEM_TYPES:
            return
        found = result_item(value_node)
        if found is None:
            return
        root, path = found
        key = self.subject_key(root)
        if key is None:
            return
        state = self.frame_state()
        if isinstance(single, ast.Name):
            state.aliases[single.id] = (key, path)
            state.tracked.add(single.id)
            self._tracked_names.add(single.id)
        else:
            self.facts(key).consumed.add(path)

    def fact_Name(self, node: ast.Name) -> None:
        if node.id not in self._tracked_names or not isinstance(node.ctx, ast.Load):
            return
        if id(node) in self._explained:
            return
        key = self._name_key(node.id)
        state = self._frames.get(key[1])
        if state is None or node.id not in state.tracked:
            return
        alias = state.aliases.get(node.id)
        if alias is not None:
            if id(node) not in self._non_consuming_args:
                self.facts(alias[0]).consumed.add(alias[1])
            return
        self.facts(key).escaped = True

    # ------------------------------------------------------------------ candidates
    def add_candidate(self, call: ast.Call, op: str, data: object = None) -> Candidate:
        """Track ``call``'s response (in the replay); :meth:`judge` sees it at the end."""
        fid = id(self._frame_nodes[-1])
        state = self.frame_state()  # the function's state (and node, for its text) exists now
        binding = self._bindings.get(id(call))
        if binding is not None and binding[0] == fid:
            subject: SubjectKey = ("n", fid, binding[1])
            state.tracked.add(binding[1])
            self._tracked_names.add(binding[1])
            state.aliases.pop(binding[1], None)
        else:
            subject = ("c", id(call), "")
        cand = Candidate(call, op, fid, subject, data)
        if binding is None:
            cand.discarded = id(call) in self._discarded
            cand.escaped = not cand.discarded and id(call) not in self._explained
        self._candidates.setdefault(fid, []).append(cand)
        return cand

    def judge(self, cand: Candidate, facts: Facts, state: FrameState) -> None:
        """Decide about one candidate when its function ends (subclasses override)."""

    def _finish(self, fid: int) -> None:
        cands = self._candidates.pop(fid, [])
        state = self._frames.get(fid) or FrameState(None)
        for cand in cands:
            self.judge(cand, self._facts.get(cand.subject) or Facts(), state)
        self._frames.pop(fid, None)


FactHandler = Callable[[FlowChecker, ast.AST], None]
_fact_cache: dict[type, dict[type, FactHandler]] = {}


def _fact_handlers(checker_type: type[FlowChecker]) -> dict[type, FactHandler]:
    """Node type -> the ``fact_<Type>`` function of ``checker_type`` (cached per class)."""
    found = _fact_cache.get(checker_type)
    if found is None:
        found = {}
        for attr in dir(checker_type):
            node_type = getattr(ast, attr[5:], None) if attr.startswith("fact_") else None
            if isinstance(node_type, type):
                found[node_type] = getattr(checker_type, attr)
        _fact_cache[checker_type] = found
    return found
