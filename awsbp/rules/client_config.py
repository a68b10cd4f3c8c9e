"""botocore ``Config``: options that fail at runtime and retry settings that fall back to legacy.

One checker serves the four rules. A ``Config(...)`` call is found through the
semantic model (``botocore.config.Config``, ``botocore.client.Config``,
aiobotocore's ``AioConfig``), its keywords are checked against the snapshot of
botocore's ``Config.OPTION_DEFAULTS``, and its ``retries`` argument is read when
it is a dict literal, a ``dict(...)`` call, or a name bound once to one of those
in the same function or at module level (and never mutated). Findings that
depend on following a name are settled in ``end_module``, once every assignment
and mutation of the file has been seen.
"""

from __future__ import annotations

import ast

from awsbp import botocore_data
from awsbp.botocore_data.model import closest
from awsbp.checker import Checker, FileContext
from awsbp.engine import walk_order
from awsbp.evidence import Evidence
from awsbp.model import has_star_kwargs, keyword_arg, literal_str, parameters
from awsbp.registry import Rule, RuleDocs
from awsbp.textgate import any_word
from awsbp.values import Kind

#: Extra keyword arguments aiobotocore's ``AioConfig`` accepts on top of botocore's.
AIO_CONFIG_OPTIONS = frozenset({"connector_args", "http_session_cls"})
#: Names a botocore Config class is reached by as an attribute (``botocore.config.Config``).
_CONFIG_NAMES = frozenset({"Config", "AioConfig"})
#: Methods that change a dict in place (a followed ``retries`` dict is then unknown).
_MUTATORS = frozenset({"update", "setdefault", "pop", "popitem", "clear", "__setitem__"})

_RETRIES_DOC = "https://boto3.amazonaws.com/v1/documentation/api/latest/guide/retries.html"
_CONFIG_DOC = (
    "https://botocore.amazonaws.com/v1/documentation/api/latest/reference/config.html"
)


class RetriesSpec:
    """What a ``retries`` argument is known to hold."""

    __slots__ = ("key_nodes", "keys", "open_ended")

    keys: dict[str, ast.expr]
    """Literal keys and their value nodes."""
    key_nodes: dict[str, ast.expr]
    """Where each literal key is written (for positions)."""
    open_ended: bool
    """The dict also has ``**other`` entries or non-literal keys (more keys may exist)."""

    def __init__(self) -> None:
        self.keys = {}
        self.key_nodes = {}
        self.open_ended = False


def retries_spec(expr: ast.expr) -> RetriesSpec | None:
    """Read a dict literal or a ``dict(...)`` call; None for anything else."""
    spec = RetriesSpec()
    if isinstance(expr, ast.Dict):
        for key, value in zip(expr.keys, expr.values, strict=True):
            name = literal_str(key)
            if name is None:
                spec.open_ended = True
                continue
            spec.keys[name] = value
            if key is not None:
                spec.key_nodes[name] = key
        return spec
    if (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Name)
        and expr.func.id == "dict"
    ):
        if expr.args:
            spec.open_ended = True
        for kw in expr.keywords:
            if kw.arg is None:
                spec.open_ended = True
                continue
            spec.keys[kw.arg] = kw.value
            spec.key_nodes[kw.arg] = kw.value
        return spec
    return None


def _retries_disabled(spec: RetriesSpec) -> bool:
    """``total_max_attempts: 1`` / ``max_attempts: 0``: no retries, so no mode to choose."""
    total = spec.keys.get("total_max_attempts")
    retries = spec.keys.get("max_attempts")
    return (isinstance(total, ast.Constant) and total.value == 1) or (
        isinstance(retries, ast.Constant) and retries.value == 0 and total is None
    )


class _Pending:
    """A ``Config`` whose ``retries`` is a name, resolved in ``end_module`` (immutable)."""

    __slots__ = ("enclosed", "frame_key", "name")

    def __init__(self, name: ast.Name, frame_key: int, enclosed: bool) -> None:
        self.name = name
        self.frame_key = frame_key
        self.enclosed = enclosed


class ConfigChecker(Checker):
    """AWSBP110-AWSBP113: botocore ``Config`` options and retry settings."""

    TEXT_GATE = any_word("Config")
    CALL_NAMES = frozenset({"merge"}) | _CONFIG_NAMES

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._pending: list[_Pending] = []
        self._partial: set[int] = set()
        self._module_key = id(ctx.tree)
        self._bindings: _FileBindings | None = None

    # ------------------------------------------------------------ Config calls
    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "merge":
            # base.merge(Config(...)) / Config(...).merge(other): partial configurations
            self._partial.update(id(arg) for arg in (func.value, *node.args))
        if isinstance(func, ast.Name):
            if func.id not in self.model.imports:
                return
        elif not isinstance(func, ast.Attribute) or func.attr not in _CONFIG_NAMES:
            return
        value = self.model.infer(node)
        if value is None or value.kind is not Kind.CONFIG or value.origin is not node:
            return
        if not self.ctx.accepts(INVALID_CONFIG, value.evidence):
            return
        self._check_keywords(node, value.is_async)
        if node.args:
            return  # positional options: rare, and their order depends on the version
        retries = keyword_arg(node, "retries")
        if retries is None:
            if node.keywords and not has_star_kwargs(node) and id(node) not in self._partial:
                self.ctx.report(CONFIG_WITHOUT_RETRIES, node)
            return
        spec = retries_spec(retries)
        if spec is not None:
            self._check_retries(spec, retries, None)
        elif isinstance(retries, ast.Name):
            self._pending.append(
                _Pending(retries, id(self.ctx.frame.node), self._enclosed(retries.id))
            )

    def _enclosed(self, name: str) -> bool:
        """Whether ``name`` may come from an enclosing function or a comprehension."""
        scopes = self.model.scopes
        innermost = len(scopes) - 1
        while innermost > 0 and scopes[innermost].kind not in ("function", "lambda"):
            innermost -= 1
        return any(
            name in scope.bindings
            for index, scope in enumerate(scopes)
            if index > 0 and (
                (index < innermost and scope.kind in ("function", "lambda"))
                or scope.kind == "comprehension"
            )
        )

    def _check_keywords(self, node: ast.Call, is_async: bool) -> None:
        if not self.ctx.is_enabled(INVALID_CONFIG):
            return
        known = botocore_data.config_options()
        if is_async:
            known = known | AIO_CONFIG_OPTIONS
        for kw in node.keywords:
            if kw.arg is None or kw.arg in known:
                continue
            suggestion = closest(kw.arg, known)
            fix = (
                f"use '{suggestion}'" if suggestion
                else "see botocore's Config reference for the valid options"
            )
            self.ctx.report(
                INVALID_CONFIG, kw, problem=f"unknown option '{kw.arg}'",
                error="TypeError", fix=fix,
            )

    def _check_retries(
        self, spec: RetriesSpec, literal: ast.expr, through: ast.Name | None
    ) -> None:
        """Check a retries dict; ``through`` is the name it was reached by, if any.

        Findings point into the literal when it is written in the call, else at the
        name passed as ``retries=`` (the line a user would suppress).
        """
        keys = botocore_data.retry_keys()
        for key, key_node in spec.key_nodes.items():
            if key in keys:
                continue
            suggestion = "total_max_attempts" if "attempt" in key.lower() else closest(key, keys)
            fix = f"use '{suggestion}'" if suggestion else (
                "use 'mode', 'total_max_attempts' or 'max_attempts'"
            )
            self.ctx.report(
                INVALID_CONFIG, through or key_node, problem=f"unknown retries key '{key}'",
                error="InvalidRetryConfigurationError", fix=fix,
            )
        mode_node = spec.keys.get("mode")
        mode = literal_str(mode_node)
        if mode_node is not None:
            if mode is not None and mode not in botocore_data.retry_modes():
                self.ctx.report(
                    INVALID_CONFIG, through or mode_node, problem=f"unknown retry mode '{mode}'",
                    error="InvalidRetryModeError", fix="use 'standard' or 'adaptive'",
                )
            elif mode == "legacy":
                self.ctx.report(
                    LEGACY_RETRY_MODE, through or mode_node,
                    what="set the legacy retry mode explicitly", env="",
                )
        elif not spec.open_ended and not _retries_disabled(spec):
            self.ctx.report(
                LEGACY_RETRY_MODE, through or literal,
                what="without 'mode' fall back to the legacy retry mode",
                env=" (or set AWS_RETRY_MODE)",
            )
        if "max_attempts" in spec.key_nodes and "total_max_attempts" not in spec.keys:
            self.ctx.report(MAX_ATTEMPTS, through or spec.key_nodes["max_attempts"])

    # ------------------------------------------------------------ end
    def end_module(self) -> None:
        for pending in self._pending:
            bound = self._resolve(pending)
            spec = retries_spec(bound) if bound is not None else None
            if bound is not None and spec is not None:
                self._check_retries(spec, bound, pending.name)

    def _resolve(self, pending: _Pending) -> ast.expr | None:
        """The one dict a ``retries=name`` can hold, or None when unsure."""
        if self._bindings is None:
            self._bindings = _FileBindings(self.ctx.tree)
        facts = self._bindings
        name = pending.name.id
        if pending.enclosed or name in facts.globals_:
            return None
        if pending.frame_key != self._module_key:
            if name in facts.params.get(pending.frame_key, frozenset()):
                return None
            local = facts.values.get((pending.frame_key, name))
            if local is not None:
                if (pending.frame_key, name) in facts.mutated or len(local) != 1:
                    return None
                return local[0]
        values = facts.values.get((self._module_key, name))
        if values is None or len(values) != 1 or facts.module_name_mutated(name):
            return None
        return values[0]


class _FileBindings:
    """Every binding and dict change of a module, per frame, read in one replay.

    Only needed to resolve ``Config(retries=name)``, which is rare: the replay
    (:func:`awsbp.engine.walk_order`) runs once per file, on the first such name.
    """

    def __init__(self, tree: ast.Module) -> None:
        #: (frame key, name) -> every value assigned (None: not a plain assignment).
        self.values: dict[tuple[int, str], list[ast.expr | None]] = {}
        self.params: dict[int, frozenset[str]] = {}
        self.mutated: set[tuple[int, str]] = set()
        #: Names declared global or nonlocal anywhere.
        self.globals_: set[str] = set()
        self._module_key = id(tree)
        for node, frame in walk_order(tree):
            self._record(node, id(frame))

    def module_name_mutated(self, name: str) -> bool:
        """A change to ``name`` anywhere it is not a local of the changing function."""
        for frame_key, mutated in self.mutated:
            if mutated != name:
                continue
            if frame_key == self._module_key:
                return True
            local = (frame_key, name) in self.values or name in self.params.get(
                frame_key, frozenset()
            )
            if not local:
                return True
        return False

    def _record(self, node: ast.AST, key: int) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            self.params[id(node)] = frozenset(arg.arg for arg in parameters(node))
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                self._store(key, target, node.value)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self._store(key, node.target, node.value)
        elif isinstance(node, ast.AugAssign):
            if isinstance(node.target, ast.Name):
                self.mutated.add((key, node.target.id))
            else:
                self._store(key, node.target, None)
        elif isinstance(node, ast.NamedExpr):
            self.values.setdefault((key, node.target.id), []).append(node.value)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self._store(key, node.target, None)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    self._store(key, item.optional_vars, None)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            self.globals_.update(node.names)
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                self._store(key, target, None)
        elif isinstance(node, ast.Call):
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr in _MUTATORS
                and isinstance(func.value, ast.Name)
            ):
                self.mutated.add((key, func.value.id))

    def _store(self, key: int, target: ast.expr, value: ast.expr | None) -> None:
        """Record a binding; ``d["k"] = v`` and ``del d["k"]`` mark ``d`` as changed."""
        if isinstance(target, ast.Name):
            self.values.setdefault((key, target.id), []).append(value)
        elif isinstance(target, ast.Subscript):
            if isinstance(target.value, ast.Name):
                self.mutated.add((key, target.value.id))
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._store(key, element, None)
        elif isinstance(target, ast.Starred):
            self._store(key, target.value, None)


INVALID_CONFIG = Rule(
    code="AWSBP110",
    msgid="E7310",
    symbol="invalid-botocore-config",
    message="invalid botocore Config: {problem} raises {error} at runtime; {fix}",
    summary="botocore Config with an unknown option, retries key or retry mode",
    guide_section="AWS SDK (boto3) Optimization › Connection Management",
    checker=ConfigChecker,
    min_evidence=Evidence.HIGH,
    docs=RuleDocs(
        what=(
            "Finds `botocore.config.Config(...)` (also imported from `botocore.client`, and "
            "aiobotocore's `AioConfig`) called with a keyword botocore does not know, a "
            "`retries` dict with a key other than `mode`, `total_max_attempts` and "
            "`max_attempts`, or a retry `mode` other than `standard`, `adaptive` and "
            "`legacy`. The `retries` value is read when it is a dict literal, `dict(...)`, or "
            "a name bound once to one of those in the same function or at module level."
        ),
        why=(
            "These mistakes are not caught until the line runs: `Config(timeout=5)` raises "
            "`TypeError: Got unexpected keyword argument 'timeout'`, "
            "`retries={\"attempts\": 3}` raises `InvalidRetryConfigurationError` and "
            "`retries={\"mode\": \"exponential\"}` raises `InvalidRetryModeError`, often at "
            "import time of a module that builds its clients at module level (so the whole "
            "Lambda function fails to start). The guide's Connection Management section "
            "asks for clients configured with retries and timeouts; a configuration that "
            "crashes configures nothing.\n\n"
            "Option names come from the botocore release awsbp's data was generated from "
            "(see `python -m awsbp --version`); an option added by a newer botocore can be "
            "suppressed with `# noqa: AWSBP110`."
        ),
        example=(
            "import boto3\n"
            "from botocore.config import Config\n\n"
            "CONFIG = Config(timeout=5, retries={\"mode\": \"standard\"})\n"
            "s3 = boto3.client(\"s3\", config=CONFIG)\n"
        ),
        use_instead=(
            "import boto3\n"
            "from botocore.config import Config\n\n"
            "CONFIG = Config(read_timeout=5, retries={\"mode\": \"standard\"})\n"
            "s3 = boto3.client(\"s3\", config=CONFIG)\n"
        ),
        references=(_CONFIG_DOC, _RETRIES_DOC),
    ),
)

LEGACY_RETRY_MODE = Rule(
    code="AWSBP111",
    msgid="W7311",
    symbol="legacy-retry-mode",
    message="retries {what}; set 'mode': 'standard' or 'adaptive'{env}",
    summary="botocore Config retries without a standard/adaptive retry mode",
    guide_section="AWS SDK (boto3) Optimization › Connection Management",
    checker=ConfigChecker,
    min_evidence=Evidence.HIGH,
    docs=RuleDocs(
        what=(
            "Finds a botocore `Config(retries={...})` whose retries dict has no `mode` (so "
            "botocore falls back to `legacy`) or sets `mode` to `legacy`. A dict that turns "
            "retries off (`total_max_attempts: 1`, `max_attempts: 0`) is not reported."
        ),
        why=(
            "The guide's Connection Management section asks to \"Configure retry logic with "
            "exponential backoff\". botocore's `legacy` retry mode, still the default, retries "
            "a short list of errors and treats throttling narrowly; `standard` retries the "
            "larger set of transient and throttling errors (`ThrottlingException`, "
            "`TooManyRequestsException`, `ProvisionedThroughputExceededException`, "
            "`SlowDown`...) with capped exponential backoff and a retry quota, and "
            "`adaptive` adds client-side rate limiting. Code that sets `max_attempts` but "
            "no mode usually believes it has configured backoff and got legacy retries.\n\n"
            "A `mode` in the dict overrides the environment, but without one botocore reads "
            "`AWS_RETRY_MODE` or `retry_mode` in `~/.aws/config`. If your deployment sets the "
            "mode there, suppress this rule for the project (`awsbp-disable = AWSBP111`). "
            "A retries dict with `**` entries or one built at run time is not reported."
        ),
        example=(
            "from botocore.config import Config\n\n"
            "CONFIG = Config(read_timeout=10, retries={\"total_max_attempts\": 6})\n"
        ),
        use_instead=(
            "from botocore.config import Config\n\n"
            "CONFIG = Config(\n"
            "    read_timeout=10, retries={\"mode\": \"standard\", \"total_max_attempts\": 6}\n"
            ")\n"
        ),
        references=(_RETRIES_DOC,),
    ),
)

CONFIG_WITHOUT_RETRIES = Rule(
    code="AWSBP112",
    msgid="W7312",
    symbol="config-without-retries",
    message=(
        "botocore Config without 'retries' uses the legacy retry mode unless AWS_RETRY_MODE "
        "is set; set the retries 'mode' to 'standard' or 'adaptive'"
    ),
    summary="botocore Config that does not configure retries (legacy mode by default)",
    guide_section="AWS SDK (boto3) Optimization › Connection Management",
    checker=ConfigChecker,
    default_enabled=False,
    min_evidence=Evidence.HIGH,
    docs=RuleDocs(
        what=(
            "Finds a botocore `Config(...)` created with options but without a `retries` "
            "argument. Not reported: `Config()` with no arguments, `Config(**options)`, and "
            "configurations merged into or onto another (`base.merge(Config(...))`)."
        ),
        why=(
            "Without `retries`, botocore takes the retry mode from `AWS_RETRY_MODE` or the "
            "shared config file and otherwise uses `legacy` retries. The guide asks to "
            "\"Configure retry logic with exponential backoff\"; a `Config` is the natural "
            "place to choose `standard` or `adaptive` mode explicitly.\n\n"
            "Off by default: many `Config` objects exist for another reason "
            "(`signature_version=UNSIGNED` for public buckets, `s3v4` presigning, a proxy, "
            "a user agent) and deployments often set `AWS_RETRY_MODE` in the environment, "
            "so on real code most findings are not defects. Enable it where each `Config` "
            "is meant to be the complete client configuration."
        ),
        example=(
            "from botocore.config import Config\n\n"
            "CONFIG = Config(connect_timeout=5, read_timeout=10)\n"
        ),
        use_instead=(
            "from botocore.config import Config\n\n"
            "CONFIG = Config(\n"
            "    connect_timeout=5, read_timeout=10, retries={\"mode\": \"standard\"}\n"
            ")\n"
        ),
        references=(_RETRIES_DOC,),
    ),
)

MAX_ATTEMPTS = Rule(
    code="AWSBP113",
    msgid="W7313",
    symbol="retries-max-attempts",
    message=(
        "retries 'max_attempts' counts retries after the first call, not attempts; "
        "use 'total_max_attempts' for the total number of calls"
    ),
    summary="botocore Config retries using max_attempts instead of total_max_attempts",
    guide_section="AWS SDK (boto3) Optimization › Connection Management",
    checker=ConfigChecker,
    default_enabled=False,
    min_evidence=Evidence.HIGH,
    docs=RuleDocs(
        what=(
            "Finds `max_attempts` in a botocore `Config(retries={...})` dict that has no "
            "`total_max_attempts`."
        ),
        why=(
            "In a `Config`, `max_attempts` is the number of *retries* (`max_attempts=3` "
            "makes up to 4 calls), while `max_attempts` in `~/.aws/config` and "
            "`AWS_MAX_ATTEMPTS` count the first call too; boto3's retries guide recommends "
            "`total_max_attempts`, which means the same thing everywhere. The guide asks for "
            "retry logic with \"configurable constants for better control\": a constant "
            "that silently means one more is not under control.\n\n"
            "Off by default: `max_attempts` is valid and widely used, and the off-by-one "
            "matters only where the exact number of calls does."
        ),
        example=(
            "from botocore.config import Config\n\n"
            "CONFIG = Config(retries={\"mode\": \"standard\", \"max_attempts\": 3})\n"
        ),
        use_instead=(
            "from botocore.config import Config\n\n"
            "CONFIG = Config(retries={\"mode\": \"standard\", \"total_max_attempts\": 4})\n"
        ),
        references=(_RETRIES_DOC,),
    ),
)

RULES: tuple[Rule, ...] = (INVALID_CONFIG, LEGACY_RETRY_MODE, CONFIG_WITHOUT_RETRIES, MAX_ATTEMPTS)
