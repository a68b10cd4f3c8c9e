"""Client configuration and caching: timeouts, explicit Config, per-invocation secrets."""

from __future__ import annotations

import ast
from collections.abc import Container

from awsbp.checker import Checker, FileContext, LambdaFileChecker
from awsbp.evidence import Evidence
from awsbp.model import FACTORY_CALL_NAMES, call_arg, target_names
from awsbp.registry import Rule, RuleDocs
from awsbp.rules._calls import canonical, has_star_args, method_of, receiver
from awsbp.rules.lambda_rules import is_cached_function
from awsbp.textgate import any_word
from awsbp.values import AwsValue, Kind

#: Positional index of ``config`` in boto3.client/resource, session.client/resource and
#: botocore's create_client (after service_name ... aws_session_token).
CONFIG_POSITION = 9
_CONFIG_CLASSES = frozenset(
    {"botocore.config.Config", "botocore.client.Config", "aiobotocore.config.AioConfig"}
)
_TIMEOUTS = frozenset({"connect_timeout", "read_timeout"})
_DEFAULT_CONFIG_HOOK = "set_default_client_config"


class _ConfigState:
    """What a factory call's ``config`` argument is known to be (immutable)."""

    __slots__ = ("has_timeouts", "known", "missing")

    def __init__(
        self, missing: bool = False, known: bool = False, has_timeouts: bool = False
    ) -> None:
        self.missing = missing
        self.known = known
        self.has_timeouts = has_timeouts


class ClientConfigChecker(Checker):
    """AWSBP120 (no timeouts in Lambda code) and AWSBP121 (no config at all)."""

    CALL_NAMES = FACTORY_CALL_NAMES

    @classmethod
    def wanted(cls, ctx: FileContext, text: str) -> bool:
        """AWSBP120 needs a Lambda handler in the file; AWSBP121 (opt-in) runs anywhere."""
        return bool(ctx.model.handlers) or ctx.is_enabled(NO_CONFIG)

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._skip = _DEFAULT_CONFIG_HOOK in ctx.text
        self._module_configs: dict[str, ast.expr] = {}
        self._local_configs: dict[tuple[int, str], ast.expr | None] = {}
        counts: dict[str, int] = {}
        for stmt in ctx.tree.body:
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    for name in target_names(target):
                        counts[name] = counts.get(name, 0) + 1
                        self._module_configs[name] = stmt.value
        for name, count in counts.items():
            if count != 1:
                self._module_configs.pop(name, None)

    def visit_Assign(self, node: ast.Assign) -> None:
        if self._skip or self.ctx.frame.node is self.model.tree:
            return
        fid = id(self.ctx.frame.node)
        for target in node.targets:
            for name in target_names(target):
                key = (fid, name)
                # a second assignment makes the value unknown
                self._local_configs[key] = node.value if key not in self._local_configs else None

    def _config_call(self, expr: ast.expr) -> ast.Call | None:
        if isinstance(expr, ast.Name):
            key = (id(self.ctx.frame.node), expr.id)
            if key in self._local_configs:
                bound = self._local_configs[key]
            elif expr.id in self._module_configs and not any(
                expr.id in scope.bindings for scope in self.model.scopes[1:]
            ):
                bound = self._module_configs[expr.id]
            else:
                return None
            if bound is None:
                return None
            expr = bound
        if isinstance(expr, ast.Call) and self.model.qualname(expr.func) in _CONFIG_CLASSES:
            return expr
        return None

    def _config_state(self, call: ast.Call) -> _ConfigState:
        if has_star_args(call):
            return _ConfigState()
        config = call_arg(call, CONFIG_POSITION, "config")
        if config is None or (isinstance(config, ast.Constant) and config.value is None):
            return _ConfigState(missing=True, known=True)
        found = self._config_call(config)
        if found is None or has_star_args(found):
            return _ConfigState()
        names = {kw.arg for kw in found.keywords if kw.arg}
        return _ConfigState(known=True, has_timeouts=bool(names & _TIMEOUTS))

    def visit_Call(self, node: ast.Call) -> None:
        if self._skip:
            return
        value = self.model.factory_value(node)
        if value is None or value.kind not in (Kind.CLIENT, Kind.RESOURCE):
            return
        state = self._config_state(node)
        if not state.known:
            return
        lambda_file = bool(self.model.handlers)
        if (
            lambda_file
            and not state.has_timeouts
            and self.ctx.accepts(NO_TIMEOUTS_IN_LAMBDA, value.evidence)
        ):
            what = "without a config" if state.missing else "with a Config that sets no timeout"
            self.ctx.report(NO_TIMEOUTS_IN_LAMBDA, node, kind=value.kind.value, what=what)
            if self.ctx.is_enabled(NO_TIMEOUTS_IN_LAMBDA):
                return
        if (
            state.missing
            and not self.ctx.is_test_file
            and self.ctx.accepts(NO_CONFIG, value.evidence)
        ):
            self.ctx.report(NO_CONFIG, node, kind=value.kind.value)


NO_TIMEOUTS_IN_LAMBDA = Rule(
    code="AWSBP120",
    msgid="W7342",
    symbol="aws-client-without-timeouts-in-lambda",
    message=(
        "boto3 {kind} created {what} in Lambda code; botocore's 60 s connect and read "
        "timeouts outlive most Lambda timeouts: pass config=Config(connect_timeout=..., "
        "read_timeout=...)"
    ),
    summary="Client created without connect/read timeouts in a file with a Lambda handler",
    guide_section="Lambda-Specific Best Practices › Resource Management",
    checker=ClientConfigChecker,
    min_evidence=Evidence.HIGH,
    options=("awsbp-lambda-handlers", "awsbp-lambda-heuristic"),
    docs=RuleDocs(
        what=(
            "In a file that defines a Lambda handler, finds boto3/botocore/aioboto3 clients "
            "and resources created without `config=`, or with a `Config(...)` (written "
            "inline or bound to a name in the same module or function) that sets neither "
            "`connect_timeout` nor `read_timeout`."
        ),
        why=(
            "botocore waits up to 60 seconds to connect and 60 seconds for each read, and "
            "retries on top of that. A Lambda function with a 3 to 30 second timeout is "
            "killed mid-call instead of failing fast, retrying or returning an error, and "
            "the invocation is billed for the whole wait. The guide's Lambda section says "
            "\"Set appropriate timeout values\", and its Connection Management section asks "
            "for clients configured \"with adaptive attempts and timeouts\".\n\n"
            "Not reported: configs that cannot be read statically (a parameter, "
            "`**kwargs`, a merged config), modules that call `set_default_client_config`, "
            "and files without a Lambda handler. For long-polling calls "
            "(`sqs.receive_message(WaitTimeSeconds=20)`) pick a `read_timeout` above the wait."
        ),
        example=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n\n\n"
            "def lambda_handler(event, context):\n"
            "    return s3.head_object(Bucket=event[\"bucket\"], Key=event[\"key\"])[\"ETag\"]\n"
        ),
        use_instead=(
            "import boto3\n"
            "from botocore.config import Config\n\n"
            "s3 = boto3.client(\n"
            "    \"s3\",\n"
            "    config=Config(connect_timeout=3, read_timeout=5, retries={\"mode\": "
            "\"standard\"}),\n"
            ")\n\n\n"
            "def lambda_handler(event, context):\n"
            "    return s3.head_object(Bucket=event[\"bucket\"], Key=event[\"key\"])[\"ETag\"]\n"
        ),
        references=(
            "https://botocore.amazonaws.com/v1/documentation/api/latest/reference/config.html",
            "https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html",
        ),
        notes=(
            "Lambda files are recognised by a handler: a module-level function taking "
            "`(event, context)` or one named by the `awsbp-lambda-handlers` option."
        ),
    ),
)

NO_CONFIG = Rule(
    code="AWSBP121",
    msgid="C7343",
    symbol="aws-client-without-config",
    message=(
        "boto3 {kind} created without config=; pass a botocore Config with retry mode and "
        "timeouts chosen for this code"
    ),
    summary="Client or resource created without an explicit botocore Config (opt-in)",
    guide_section="AWS SDK (boto3) Optimization › Connection Management",
    checker=ClientConfigChecker,
    default_enabled=False,
    min_evidence=Evidence.HIGH,
    docs=RuleDocs(
        what=(
            "Finds boto3/botocore/aioboto3 clients and resources created without a "
            "`config=` argument. Off by default: enable it to require an explicit retry and "
            "timeout policy on every client."
        ),
        why=(
            "Without a `Config`, a client uses the legacy retry mode (unless "
            "`AWS_RETRY_MODE` is set) and 60 second timeouts. The guide asks for connection "
            "pooling \"with adaptive attempts and timeouts\" and for retry logic with "
            "configurable constants (Connection Management). The guide's own short examples "
            "create clients without a config, which is why this strictness rule is opt-in.\n\n"
            "Not reported: test files, calls with `**kwargs`, modules that call "
            "`set_default_client_config`, and (when AWSBP120 is enabled) clients in Lambda "
            "files, which AWSBP120 already reports."
        ),
        example=(
            "import boto3\n\n"
            "sqs = boto3.client(\"sqs\")\n"
        ),
        use_instead=(
            "import boto3\n"
            "from botocore.config import Config\n\n"
            "AWS_CONFIG = Config(retries={\"mode\": \"standard\"}, connect_timeout=5, "
            "read_timeout=30)\n"
            "sqs = boto3.client(\"sqs\", config=AWS_CONFIG)\n"
        ),
        references=(
            "https://boto3.amazonaws.com/v1/documentation/api/latest/guide/configuration.html",
            "https://boto3.amazonaws.com/v1/documentation/api/latest/guide/retries.html",
        ),
    ),
)

# --------------------------------------------------------------------------- secrets

#: (service, operation) of the calls that fetch configuration secrets.
SECRET_FETCHES = frozenset(
    {
        ("secretsmanager", "get_secret_value"),
        ("secretsmanager", "batch_get_secret_value"),
        ("ssm", "get_parameter"),
        ("ssm", "get_parameters"),
        ("ssm", "get_parameters_by_path"),
    }
)
_CACHE_FACTORIES = frozenset(
    {"dict", "set", "list", "defaultdict", "OrderedDict", "TTLCache", "LRUCache", "Cache",
     "TLRUCache", "LFUCache"}
)


def _cache_like(value: ast.expr | None) -> bool:
    """A module-level value that looks like a cache: a container, ``None``, a cache object."""
    if value is None:
        return True
    if isinstance(value, (ast.Dict, ast.Set, ast.List)):
        return True
    if isinstance(value, ast.Constant) and value.value is None:
        return True
    if isinstance(value, ast.Call):
        func = value.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return name in _CACHE_FACTORIES
    return False


class _Fetch:
    """A secret fetch in top-level ``function``, kept for ``end_module`` (immutable)."""

    __slots__ = ("function", "node", "op")

    def __init__(self, function: str, node: ast.Call, op: str) -> None:
        self.function = function
        self.node = node
        self.op = op


class SecretsCacheChecker(LambdaFileChecker):
    """AWSBP122: secrets/parameters fetched on every Lambda invocation."""

    TEXT_GATE = any_word("get_secret_value", "get_parameter")

    CALL_NAMES = frozenset(op for _, op in SECRET_FETCHES)

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._fetches: list[_Fetch] = []
        self._caching: set[str] = set()
        self._cache_names: set[str] = set()
        if ctx.model.handlers:
            for stmt in ctx.tree.body:
                if isinstance(stmt, ast.Assign) and _cache_like(stmt.value):
                    for target in stmt.targets:
                        self._cache_names.update(target_names(target))
                elif isinstance(stmt, ast.AnnAssign) and _cache_like(stmt.value):
                    self._cache_names.update(target_names(stmt.target))

    def visit_Global(self, node: ast.Global) -> None:
        top = self.model.top_function
        if top is not None and self.model.handlers:
            self._caching.add(top)

    def name_filter(self) -> Container[str]:
        """Only the module-level cache names matter."""
        return self._cache_names

    def visit_Name(self, node: ast.Name) -> None:
        top = self.model.top_function
        if top is None or top in self._caching:
            return
        for scope in reversed(self.model.scopes[1:]):
            if node.id in scope.bindings:
                return
        self._caching.add(top)

    def visit_Call(self, node: ast.Call) -> None:
        top = self.model.top_function
        if top is None or not self.model.handlers:
            return
        found = method_of(node)
        if found is None:
            return
        value: AwsValue | None = receiver(self.model, node)
        if value is None or value.kind is not Kind.CLIENT:
            return
        if (canonical(value), found[1]) not in SECRET_FETCHES:
            return
        if not self.ctx.accepts(SECRETS_PER_INVOCATION, value.evidence):
            return
        if is_cached_function(self.ctx.frame.node) or is_cached_function(
            self.model.top_level_functions.get(top)
        ):
            return
        self._fetches.append(_Fetch(top, node, found[1]))

    def end_module(self) -> None:
        if not self._fetches:
            return
        path = self.model.handler_path()
        for fetch in self._fetches:
            if fetch.function in path and fetch.function not in self._caching:
                self.ctx.report(SECRETS_PER_INVOCATION, fetch.node, op=fetch.op,
                                function=fetch.function)


SECRETS_PER_INVOCATION = Rule(
    code="AWSBP122",
    msgid="W7344",
    symbol="aws-secret-fetched-per-invocation",
    message=(
        "secret fetched on every invocation: '{op}' in Lambda handler path '{function}'; "
        "cache the value outside the handler (a module-level dict, functools.lru_cache, or "
        "the AWS Parameters and Secrets Lambda extension)"
    ),
    summary="Secret or parameter fetched on every Lambda invocation without a cache",
    guide_section="Lambda-Specific Best Practices › Cold Start Optimization",
    checker=SecretsCacheChecker,
    min_evidence=Evidence.MEDIUM,
    options=("awsbp-lambda-handlers", "awsbp-lambda-heuristic"),
    docs=RuleDocs(
        what=(
            "Finds Secrets Manager `get_secret_value`/`batch_get_secret_value` and SSM "
            "`get_parameter`/`get_parameters`/`get_parameters_by_path` calls in a Lambda "
            "handler or in a module-level function the handler calls, when the function "
            "has no cache: it is not decorated with `functools.lru_cache`/`cache`, declares "
            "no `global`, and touches no module-level cache (a name bound at module level to "
            "`{}`, `None`, `dict()`, a `TTLCache`...)."
        ),
        why=(
            "Secrets and parameters rarely change between invocations, but fetching them "
            "in the handler adds a network round trip to every request, costs money per "
            "call and can hit the services' request-rate limits under load (throttling "
            "errors that fail the invocation). The guide's Lambda example keeps a "
            "module-level `secrets_cache = {}` next to the client, and its Performance "
            "section says \"Implement caching strategies where applicable\".\n\n"
            "Not reported: fetches at module level (once per execution environment), in "
            "functions the handler does not call, and in functions that consult a "
            "module-level cache (`if name not in CACHE:`, `CACHE.get(name)`). Code that "
            "must see every rotation immediately can suppress the finding with `# noqa`."
        ),
        example=(
            "import boto3\n"
            "from botocore.config import Config\n\n"
            "CONFIG = Config(connect_timeout=3, read_timeout=5, retries={\"mode\": \"standard\"})\n"
            "secrets = boto3.client(\"secretsmanager\", config=CONFIG)\n\n\n"
            "def lambda_handler(event, context):\n"
            "    password = secrets.get_secret_value(SecretId=\"db\")[\"SecretString\"]\n"
            "    return len(password)\n"
        ),
        use_instead=(
            "import boto3\n"
            "from botocore.config import Config\n\n"
            "CONFIG = Config(connect_timeout=3, read_timeout=5, retries={\"mode\": \"standard\"})\n"
            "secrets = boto3.client(\"secretsmanager\", config=CONFIG)\n"
            "secrets_cache = {}\n\n\n"
            "def get_secret(name):\n"
            "    if name not in secrets_cache:\n"
            "        secrets_cache[name] = secrets.get_secret_value(SecretId=name)"
            "[\"SecretString\"]\n"
            "    return secrets_cache[name]\n\n\n"
            "def lambda_handler(event, context):\n"
            "    return len(get_secret(\"db\"))\n"
        ),
        references=(
            "https://docs.aws.amazon.com/secretsmanager/latest/userguide/"
            "retrieving-secrets_lambda.html",
            "https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html",
        ),
        notes=(
            "Handlers are found as for AWSBP601: a module-level function taking "
            "`(event, context)`, or the `awsbp-lambda-handlers` option."
        ),
    ),
)

RULES: tuple[Rule, ...] = (NO_TIMEOUTS_IN_LAMBDA, NO_CONFIG, SECRETS_PER_INVOCATION)
