"""Security: secrets in logs, wire logging, transport, public S3, policies, config, Lambda env.

Rules AWSBP303-AWSBP314. The credential rules AWSBP301/302 live in
:mod:`awsbp.rules.credentials`.
"""

from __future__ import annotations

import ast
import functools
import itertools
import re
from enum import Enum
from typing import Final
from urllib.parse import urlsplit

from awsbp.checker import Checker, FileContext, LambdaFileChecker
from awsbp.evidence import Evidence
from awsbp.model import call_arg, has_star_kwargs, keyword_arg, literal_str, target_names
from awsbp.options import OptionSpec
from awsbp.registry import Rule, RuleDocs
from awsbp.rules._policy import PolicyKind, as_document, policy_problems
from awsbp.rules._sec_common import (
    UNKNOWN,
    BindingChecker,
    PDict,
    as_number,
    call_name,
    defined_names,
    is_meta_client,
    receiver_kind,
    service_evidence,
    value_node,
)
from awsbp.rules.credentials import looks_fake
from awsbp.textgate import any_word
from awsbp.values import Kind

SIGV4_MAX_SECONDS: Final = 604800
"""Longest validity SigV4 accepts for a presigned request (7 days)."""

OPTIONS: tuple[OptionSpec, ...] = (
    OptionSpec(
        name="awsbp-max-presign-seconds",
        kind="int",
        default=3600,
        metavar="SECONDS",
        help=(
            "Longest ExpiresIn (seconds) a presigned URL may have before AWSBP313 reports "
            "it. Values over 604800 (7 days) are reported by AWSBP312 whatever this is."
        ),
    ),
    OptionSpec(
        name="awsbp-encryption-services",
        kind="list",
        default=("dynamodb", "logs", "s3", "secretsmanager", "sns", "sqs"),
        metavar="SERVICES",
        help=(
            "Services whose resource creation AWSBP310 checks for KMS encryption settings "
            "(any of dynamodb, logs, s3, secretsmanager, sns, sqs)."
        ),
    ),
)


# =============================================================================
# AWSBP303: secrets and credentials written to logs or stdout
# =============================================================================


class _Shape(Enum):
    """What a tainted expression holds."""

    CREDENTIALS = "credentials object"
    FROZEN = "frozen credentials"
    STS_RESPONSE = "sts response"
    STS_CREDENTIALS = "sts credentials"
    SECRET_RESPONSE = "secret response"
    SECRET_TEXT = "secret text"
    PARSED_SECRET = "parsed secret"
    PARAMETER_RESPONSE = "parameter response"
    PARAMETER = "parameter"
    KMS_RESPONSE = "kms response"
    KMS_RESPONSE_UNSURE = "decrypt response"


#: Shapes whose printed form reveals the secret.
_WHOLE_SECRET: Final = frozenset(_Shape) - {_Shape.CREDENTIALS, _Shape.KMS_RESPONSE_UNSURE}

_KEY_STEPS: Final[dict[_Shape, dict[str, _Shape]]] = {
    _Shape.STS_RESPONSE: {"Credentials": _Shape.STS_CREDENTIALS},
    _Shape.STS_CREDENTIALS: {
        "AccessKeyId": _Shape.SECRET_TEXT,
        "SecretAccessKey": _Shape.SECRET_TEXT,
        "SessionToken": _Shape.SECRET_TEXT,
    },
    _Shape.SECRET_RESPONSE: {
        "SecretString": _Shape.SECRET_TEXT,
        "SecretBinary": _Shape.SECRET_TEXT,
    },
    _Shape.PARAMETER_RESPONSE: {"Parameter": _Shape.PARAMETER},
    _Shape.PARAMETER: {"Value": _Shape.SECRET_TEXT},
    _Shape.KMS_RESPONSE: {"Plaintext": _Shape.SECRET_TEXT},
    _Shape.KMS_RESPONSE_UNSURE: {"Plaintext": _Shape.SECRET_TEXT},
}
_CREDENTIAL_ATTRS: Final = frozenset({"access_key", "secret_key", "token"})
_TEXT_METHODS: Final = frozenset(
    {"decode", "encode", "strip", "lstrip", "rstrip", "splitlines", "split"}
)
_SENSITIVE_KEY: Final = re.compile(
    r"(?i)pass|pwd|secret|token|private|credential|api_?key|apikey|auth|^key$|_key$"
)
_STS_OPERATIONS: Final = frozenset(
    {"assume_role", "assume_role_with_saml", "assume_role_with_web_identity",
     "get_session_token", "get_federation_token", "assume_root"}
)
_LOG_METHODS: Final = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"}
)
_LOGGER_TOKENS: Final = frozenset({"log", "logger", "logging", "loggers", "logs"})
_PRINT_SKIP_KEYWORDS: Final = frozenset({"file", "sep", "end", "flush"})
_TRANSPARENT_CALLS: Final = frozenset({"str", "repr", "format", "json.dumps", "pprint.pformat"})
_MAX_TAINT_DEPTH: Final = 12
_MAX_SINK_NODES: Final = 200


class _Taint:
    """What a tainted value holds and where it came from (immutable)."""

    __slots__ = ("shape", "what")

    def __init__(self, shape: _Shape, what: str) -> None:
        self.shape = shape
        self.what = what


@functools.lru_cache(maxsize=2048)
def _identifier_tokens(ident: str) -> tuple[str, ...]:
    """``_appLogger`` -> ``("app", "logger")``."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", ident)
    return tuple(t for t in re.split(r"[^A-Za-z]+", spaced.lower()) if t)


class SecretLoggedChecker(Checker):
    """AWSBP303: credential and secret values reaching a logging call or print."""

    TEXT_GATE = any_word(
        "get_credentials", "get_frozen_credentials", "get_secret_value", "get_parameter",
        "decrypt", "generate_data_key", *sorted(_STS_OPERATIONS),
    )

    CALL_NAMES = frozenset({"print", *_LOG_METHODS})

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._taints: dict[tuple[int, str], _Taint] = {}
        self._defined: frozenset[str] | None = None

    # ------------------------------------------------------------ bindings
    def _bind(self, name: str, taint: _Taint | None) -> None:
        key = (id(self.ctx.frame.node), name)
        if taint is None:
            self._taints.pop(key, None)
        else:
            self._taints[key] = taint

    def _bind_target(self, target: ast.expr, value: ast.expr | None) -> None:
        if isinstance(target, ast.Name):
            self._bind(target.id, None if value is None else self._taint(value, 0))
        elif (
            isinstance(target, (ast.Tuple, ast.List))
            and isinstance(value, (ast.Tuple, ast.List))
            and len(target.elts) == len(value.elts)
        ):
            for sub_target, sub_value in zip(target.elts, value.elts, strict=True):
                self._bind_target(sub_target, sub_value)
        else:
            for name in target_names(target):
                self._bind(name, None)

    def visit_Assign(self, node: ast.Assign) -> None:
        """Track names bound to secrets (and forget rebound ones)."""
        for target in node.targets:
            self._bind_target(target, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        """Track ``name: T = secret``."""
        if node.value is not None:
            self._bind_target(node.target, node.value)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        """``name += x`` makes ``name`` something else."""
        self._bind_target(node.target, None)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        """Track ``(name := secret)``."""
        self._bind(node.target.id, self._taint(node.value, 0))

    def visit_For(self, node: ast.For) -> None:
        """Loop targets are not tracked."""
        self._bind_target(node.target, None)

    def visit_withitem(self, node: ast.withitem) -> None:
        """``with ... as name`` targets are not tracked."""
        if node.optional_vars is not None:
            self._bind_target(node.optional_vars, None)

    # ------------------------------------------------------------ sources
    def _source(self, call: ast.Call) -> _Taint | None:
        func = call.func
        if not isinstance(func, ast.Attribute):
            return None
        op = func.attr
        if op == "get_frozen_credentials" and not call.args:
            return _Taint(_Shape.FROZEN, f"credentials from '{op}'")
        if op == "get_credentials" and not call.args and not call.keywords:
            value = self.model.infer(func.value)
            if value is not None and value.kind not in (Kind.SESSION, Kind.BOTOCORE_SESSION):
                return None
            if value is None and not self.model.imports_aws:
                return None
            return _Taint(_Shape.CREDENTIALS, f"credentials from '{op}'")
        if op in _STS_OPERATIONS:
            if self._accepts(self._service_evidence(call, frozenset({"sts"}))):
                return _Taint(_Shape.STS_RESPONSE, f"temporary credentials from '{op}'")
            return None
        if op == "get_secret_value":
            if self._accepts(self._service_evidence(call, frozenset({"secretsmanager"}))):
                return _Taint(_Shape.SECRET_RESPONSE, f"secret value from '{op}'")
            return None
        if op == "get_parameter":
            decrypt = keyword_arg(call, "WithDecryption")
            if not (isinstance(decrypt, ast.Constant) and decrypt.value is True):
                return None
            if self._accepts(self._service_evidence(call, frozenset({"ssm"}))):
                return _Taint(_Shape.PARAMETER_RESPONSE,
                              f"decrypted parameter value from '{op}'")
            return None
        if op in ("decrypt", "generate_data_key"):
            value = self.model.resolve_receiver(func.value)
            if value is not None and value.service == "kms" and self._accepts(value.evidence):
                return _Taint(_Shape.KMS_RESPONSE, f"plaintext from '{op}'")
            if value is None and self.model.imports_aws:
                return _Taint(_Shape.KMS_RESPONSE_UNSURE, f"plaintext from '{op}'")
        return None

    def _service_evidence(self, call: ast.Call, services: frozenset[str]) -> Evidence | None:
        if self._defined is None:
            self._defined = defined_names(self.ctx.tree)
        return service_evidence(self.model, call, services, None, self._defined)

    def _accepts(self, evidence: Evidence | None) -> bool:
        return evidence is not None and self.ctx.accepts(SECRET_LOGGED, evidence)

    # ------------------------------------------------------------ propagation
    def _taint(self, expr: ast.expr, depth: int) -> _Taint | None:
        if depth > _MAX_TAINT_DEPTH:
            return None
        if isinstance(expr, ast.Name):
            return self._taints.get((id(self.ctx.frame.node), expr.id))
        if isinstance(expr, ast.Await):
            return self._taint(expr.value, depth + 1)
        if isinstance(expr, ast.Subscript):
            base = self._taint(expr.value, depth + 1)
            if base is None:
                return None
            return _step_key(base, literal_str(expr.slice))
        if isinstance(expr, ast.Attribute):
            base = self._taint(expr.value, depth + 1)
            if base is not None and base.shape in (_Shape.CREDENTIALS, _Shape.FROZEN) and (
                expr.attr in _CREDENTIAL_ATTRS
            ):
                return _Taint(_Shape.SECRET_TEXT, base.what)
            return None
        if isinstance(expr, ast.Call):
            return self._taint_call(expr, depth)
        return None

    def _taint_call(self, call: ast.Call, depth: int) -> _Taint | None:
        source = self._source(call)
        if source is not None:
            return source
        func = call.func
        first = call.args[0] if call.args else None
        if isinstance(first, ast.Starred):
            return None
        qual = self.model.qualname(func) if isinstance(func, (ast.Name, ast.Attribute)) else None
        name = qual or (func.id if isinstance(func, ast.Name) else None)
        if name in ("json.loads", "base64.b64decode", "str", "bytes"):
            inner = None if first is None else self._taint(first, depth + 1)
            if inner is None or inner.shape is not _Shape.SECRET_TEXT:
                return inner if name == "str" else None
            shape = _Shape.PARSED_SECRET if name == "json.loads" else _Shape.SECRET_TEXT
            return _Taint(shape, inner.what)
        if not isinstance(func, ast.Attribute) or func.attr == "get_frozen_credentials":
            return None
        base = self._taint(func.value, depth + 1)
        if base is None:
            return None
        if func.attr == "get" and first is not None:
            return _step_key(base, literal_str(first))
        if func.attr in _TEXT_METHODS and base.shape is _Shape.SECRET_TEXT:
            return base
        return None

    # ------------------------------------------------------------ sinks
    def _sink(self, call: ast.Call) -> str | None:
        func = call.func
        if isinstance(func, ast.Name):
            if func.id != "print" or "print" in self.model.imports:
                return None
            target = keyword_arg(call, "file")
            if target is not None and self.model.qualname(target) not in (
                "sys.stdout", "sys.stderr"
            ):
                return None  # writing a file (a credentials file, say), not logging
            return "print"
        if not isinstance(func, ast.Attribute) or func.attr not in _LOG_METHODS:
            return None
        receiver = func.value
        if isinstance(receiver, ast.Call):
            getter = receiver.func
            name = getter.attr if isinstance(getter, ast.Attribute) else getattr(getter, "id", "")
            if name in ("getLogger", "get_logger"):
                return f"{name}(...).{func.attr}"
            return None
        if self.model.qualname(receiver) == "logging":
            return f"logging.{func.attr}"
        ident = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(
            receiver, "id", None
        )
        if not ident or (func.attr == "log" and not call.args):
            return None
        tokens = _identifier_tokens(ident)
        if any(t in _LOGGER_TOKENS or t.endswith("logger") for t in tokens):
            return f"{ident}.{func.attr}"
        return None

    def visit_Call(self, node: ast.Call) -> None:
        """Report secrets among the arguments of logging calls and print."""
        sink = self._sink(node)
        if sink is None:
            return
        args: list[ast.expr] = list(node.args)
        if sink.endswith(".log"):
            args = args[1:]
        for kw in node.keywords:
            if sink == "print" and kw.arg in _PRINT_SKIP_KEYWORDS:
                continue
            args.append(kw.value)
        stack = list(reversed(args))
        budget = _MAX_SINK_NODES
        while stack and budget > 0:
            budget -= 1
            expr = stack.pop()
            if isinstance(expr, ast.Starred):
                expr = expr.value
            taint = self._taint(expr, 0)
            if taint is not None and taint.shape in _WHOLE_SECRET:
                self.ctx.report(SECRET_LOGGED, expr, what=taint.what, sink=sink)
                return
            stack.extend(reversed(self._transparent_children(expr)))

    def _transparent_children(self, expr: ast.expr) -> list[ast.expr]:
        """Sub-expressions whose value is printed as part of ``expr``."""
        if isinstance(expr, ast.JoinedStr):
            return list(expr.values)
        if isinstance(expr, ast.FormattedValue):
            return [expr.value]
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.Add, ast.Mod)):
            return [expr.left, expr.right]
        if isinstance(expr, (ast.Tuple, ast.List, ast.Set)):
            return list(expr.elts)
        if isinstance(expr, ast.Dict):
            return list(expr.values)
        if isinstance(expr, ast.IfExp):
            return [expr.body, expr.orelse]
        if isinstance(expr, ast.Call):
            func = expr.func
            if isinstance(func, ast.Attribute) and func.attr in ("format", "join"):
                return [*expr.args, *(kw.value for kw in expr.keywords)]
            qual = self.model.qualname(func) if isinstance(func, (ast.Name, ast.Attribute)) \
                else None
            name = qual or (func.id if isinstance(func, ast.Name) else None)
            if name in _TRANSPARENT_CALLS:
                return [a for a in expr.args[:1] if not isinstance(a, ast.Starred)]
        return []


def _step_key(base: _Taint, key: str | None) -> _Taint | None:
    if key is None:
        return None
    if base.shape is _Shape.PARSED_SECRET:
        if _SENSITIVE_KEY.search(key):
            return _Taint(_Shape.SECRET_TEXT, base.what)
        return None
    nxt = _KEY_STEPS.get(base.shape, {}).get(key)
    return None if nxt is None else _Taint(nxt, base.what)


SECRET_LOGGED = Rule(
    code="AWSBP303",
    msgid="W7350",
    symbol="aws-secret-logged",
    message=(
        "secret logged: {what} reaches '{sink}'; log the secret's name or ARN instead, "
        "never its value"
    ),
    summary="Credentials or secret values written to a log or stdout",
    guide_section="Security Best Practices › Secrets Management",
    checker=SecretLoggedChecker,
    min_evidence=Evidence.MEDIUM,
    docs=RuleDocs(
        what=(
            "Finds logging calls (`logging.info(...)`, `logger.debug(...)`, "
            "`self.log.error(...)`...) and `print(...)` whose arguments contain, directly or "
            "inside an f-string, a `%`/`.format()`/`+` expression, `str()`/`repr()`/"
            "`json.dumps()`, a tuple/list/dict, or a name bound to one in the same "
            "function:\n\n"
            "- `access_key`/`secret_key`/`token` of `session.get_credentials()`, or the "
            "whole `get_frozen_credentials()` tuple;\n"
            "- the response, `[\"Credentials\"]` or its keys, of `sts.assume_role(...)` "
            "(and the other STS calls that return credentials);\n"
            "- the response, `[\"SecretString\"]` or `[\"SecretBinary\"]` of "
            "`secretsmanager.get_secret_value(...)`, the secret parsed with `json.loads`, "
            "and its password/token/key-like fields;\n"
            "- the response, `[\"Parameter\"]` or `[\"Parameter\"][\"Value\"]` of "
            "`ssm.get_parameter(..., WithDecryption=True)`;\n"
            "- the response or `[\"Plaintext\"]` of `kms.decrypt(...)`/"
            "`generate_data_key(...)`."
        ),
        why=(
            "Logs are copied, shipped and kept far longer than secrets are rotated, and "
            "they are readable by many more people than the secret itself. The guide's "
            "Secrets Management section says to keep sensitive values in Secrets Manager or "
            "Parameter Store; writing them to CloudWatch Logs undoes that.\n\n"
            "Logging metadata (`ARN`, `Name`, `VersionId`, `Expiration`, the assumed role's "
            "ARN), the length of a secret, a slice of it, or a non-sensitive field of a "
            "parsed secret (such as `username`) is not reported."
        ),
        example=(
            "import json\n"
            "import logging\n\n"
            "import boto3\n\n"
            "logger = logging.getLogger(__name__)\n"
            "secrets = boto3.client(\"secretsmanager\")\n\n\n"
            "def db_password(secret_id):\n"
            "    response = secrets.get_secret_value(SecretId=secret_id)\n"
            "    secret = json.loads(response[\"SecretString\"])\n"
            "    logger.info(\"connecting with %s\", secret[\"password\"])\n"
            "    return secret[\"password\"]\n"
        ),
        use_instead=(
            "import json\n"
            "import logging\n\n"
            "import boto3\n\n"
            "logger = logging.getLogger(__name__)\n"
            "secrets = boto3.client(\"secretsmanager\")\n\n\n"
            "def db_password(secret_id):\n"
            "    response = secrets.get_secret_value(SecretId=secret_id)\n"
            "    secret = json.loads(response[\"SecretString\"])\n"
            "    logger.info(\"loaded secret %s version %s\", response[\"ARN\"],\n"
            "                response[\"VersionId\"])\n"
            "    return secret[\"password\"]\n"
        ),
        references=(
            "https://docs.aws.amazon.com/secretsmanager/latest/userguide/best-practices.html",
            "https://docs.aws.amazon.com/codeguru/detector-library/python/"
            "aws-logged-credentials/",
        ),
        notes=(
            "Values are followed through names bound in the same function only; a secret "
            "returned from a helper function and logged by its caller is not found."
        ),
    ),
)


# =============================================================================
# AWSBP304-AWSBP313: call-argument checks
# =============================================================================

_PUBLIC_ACLS: Final = frozenset({"public-read", "public-read-write", "authenticated-read"})
_GROUP_URIS: Final = (
    ("acs.amazonaws.com/groups/global/AllUsers", "the AllUsers group (anyone)"),
    ("acs.amazonaws.com/groups/global/AuthenticatedUsers",
     "the AuthenticatedUsers group (any AWS account)"),
)
_GRANT_KEYS: Final = ("GrantRead", "GrantReadACP", "GrantWrite", "GrantWriteACP",
                      "GrantFullControl")
_S3: Final = frozenset({"s3"})
_ACL_CLIENT_OPS: Final = frozenset(
    {"create_bucket", "put_object", "put_bucket_acl", "put_object_acl", "copy_object",
     "create_multipart_upload"}
)
_ACL_FACTORIES: Final = frozenset({"Acl", "ObjectAcl", "BucketAcl"})
_BPA_KEYS: Final = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy",
                    "RestrictPublicBuckets")
_LOCAL_HOSTS: Final = frozenset(
    {"localhost", "0.0.0.0", "::1", "host.docker.internal", "example.com", "example.org",
     "example.net"}
)
_LOCAL_SUFFIXES: Final = (".localhost", ".test", ".example", ".invalid", ".local",
                          ".example.com", ".example.org", ".example.net")
_DEBUG_WORDS: Final = re.compile(r"(?i)debug|verbos")
_MAX_GUARD_NODES: Final = 40

_IAM: Final = frozenset({"iam"})
_POLICY_PARAMS: Final[dict[str, tuple[tuple[str, ...], PolicyKind, frozenset[str] | None]]] = {
    "create_policy": (("PolicyDocument",), PolicyKind.IDENTITY, _IAM),
    "create_policy_version": (("PolicyDocument",), PolicyKind.IDENTITY, _IAM),
    "put_role_policy": (("PolicyDocument",), PolicyKind.IDENTITY, _IAM),
    "put_user_policy": (("PolicyDocument",), PolicyKind.IDENTITY, _IAM),
    "put_group_policy": (("PolicyDocument",), PolicyKind.IDENTITY, _IAM),
    "create_role": (("AssumeRolePolicyDocument",), PolicyKind.TRUST, _IAM),
    "update_assume_role_policy": (("PolicyDocument",), PolicyKind.TRUST, _IAM),
    "put_bucket_policy": (("Policy",), PolicyKind.RESOURCE, frozenset({"s3", "s3control"})),
    "put_key_policy": (("Policy",), PolicyKind.RESOURCE, frozenset({"kms"})),
    "create_key": (("Policy",), PolicyKind.RESOURCE, frozenset({"kms"})),
    "put_resource_policy": (
        ("ResourcePolicy", "Policy", "PolicyDocument", "policyDocument", "policy",
         "PolicyInJson", "resourcePolicy"),
        PolicyKind.RESOURCE,
        None,
    ),
}
_ATTRIBUTE_POLICY_OPS: Final[dict[str, frozenset[str]]] = {
    "set_queue_attributes": frozenset({"sqs"}),
    "create_queue": frozenset({"sqs"}),
    "create_topic": frozenset({"sns"}),
}

_SECRET_WORDS: Final = ("password", "passwd", "secret", "passphrase")
_SECRET_TOKENS: Final = frozenset({"token", "pwd", "apikey", "privatekey", "pass"})
_SECRET_PAIRS: Final = frozenset({("api", "key"), ("private", "key"), ("secret", "key")})
_REFERENCE_SUFFIXES: Final = frozenset(
    {"name", "names", "arn", "arns", "id", "ids", "path", "param", "parameter", "parameters",
     "url", "uri", "endpoint", "ttl", "port", "table", "bucket", "length", "len", "expiry",
     "expiration", "expires", "enabled", "region", "header", "file", "location", "ssm",
     "type", "version", "prefix", "field", "env", "var", "secretid", "policy", "rotation",
     "store", "manager", "cache", "timeout", "size", "count", "format", "kms", "source",
     "mode", "host", "user", "username", "dir", "folder", "key_id", "keyid", "alias"}
)
_REFERENCE_VALUE: Final = re.compile(
    r"^(?:arn:|ssm:|secretsmanager:|resolve:|/)|\{\{resolve:|\$\{|\{\{|^(?:true|false|yes|no)$",
    re.I,
)
_ENCRYPTION_SETTINGS: Final[dict[str, tuple[str, str, str]]] = {
    # op: (service, what, fix)
    "create_table": (
        "dynamodb", "DynamoDB table created without SSESpecification",
        "pass SSESpecification={'Enabled': True, 'SSEType': 'KMS'} to encrypt it with a "
        "KMS key",
    ),
    "create_queue": (
        "sqs", "SQS queue created without KmsMasterKeyId or SqsManagedSseEnabled",
        "set Attributes={'KmsMasterKeyId': <key>} to encrypt messages with a KMS key",
    ),
    "create_topic": (
        "sns", "SNS topic created without KmsMasterKeyId",
        "set Attributes={'KmsMasterKeyId': <key>} to encrypt messages with a KMS key",
    ),
    "create_log_group": (
        "logs", "log group created without kmsKeyId",
        "pass kmsKeyId=<key ARN> to encrypt the log data with a KMS key",
    ),
    "create_secret": (
        "secretsmanager", "secret created without KmsKeyId (uses the aws/secretsmanager key)",
        "pass KmsKeyId=<key> to encrypt it with a customer managed KMS key",
    ),
}
_VERSIONING_CALLS: Final = frozenset(
    {"put_bucket_versioning", "put_bucket_lifecycle_configuration", "put_bucket_lifecycle",
     "BucketVersioning", "Versioning", "BucketLifecycleConfiguration",
     "LifecycleConfiguration", "BucketLifecycle", "Lifecycle"}
)
_PRESIGN_EXPIRES_POSITION: Final = {"generate_presigned_url": 2, "generate_presigned_post": 4}
_HANDLED_CALLS: Final = frozenset(
    {"set_stream_logger", "set_debug_logger", "set_file_logger", "setLevel", "client",
     "resource", "create_client", "upload_file", "upload_fileobj", "copy", "put", "create",
     "copy_from", "put_public_access_block", "delete_public_access_block",
     "set_topic_attributes", "create_function", "update_function_configuration",
     "put_parameter", "create_table", "create_log_group", "create_secret",
     "put_bucket_encryption", "generate_presigned_url", "generate_presigned_post",
     "create_queue", "create_topic", "put_object", "create_bucket"}
)
_INTERESTING_CALLS: Final = (
    _HANDLED_CALLS | _VERSIONING_CALLS | _ACL_CLIENT_OPS | frozenset(_POLICY_PARAMS)
    | frozenset(_ATTRIBUTE_POLICY_OPS)
)


_INTERESTING_TEXT: Final = re.compile(
    "|".join(sorted((re.escape(name) for name in _INTERESTING_CALLS), key=len, reverse=True))
)


def test_like(ctx: FileContext) -> bool:
    """A test file, or test scaffolding built on ``botocore.stub.Stubber``."""
    return ctx.is_test_file or any(
        target.startswith("botocore.stub") for target in ctx.model.imports.values()
    )


def _is_debug_level(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().upper() == "DEBUG"
    number = as_number(value)
    return number is not None and 0 < number <= 10


def _botocore_logger_name(value: object) -> bool:
    return isinstance(value, str) and (
        value == "" or value == "botocore" or value.startswith("botocore.")
    )


def _local_endpoint(url: str) -> bool:
    """Loopback, LocalStack, moto, docker-compose service names and placeholder hosts."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return True
    if not host:
        return True
    host = host.lower()
    if host in _LOCAL_HOSTS or host.endswith(_LOCAL_SUFFIXES):
        return True
    if host.startswith("127.") or "localstack" in host or host.startswith("moto"):
        return True
    return "." not in host and ":" not in host


def secret_looking_name(name: str) -> bool:
    """``DB_PASSWORD``, ``apiKey``, ``/app/prod/stripe-token``; not ``DB_PASSWORD_ARN``."""
    segment = name.rstrip("/").rsplit("/", 1)[-1]
    tokens = _identifier_tokens(segment)
    if not tokens or tokens[-1] in _REFERENCE_SUFFIXES:
        return False
    if len(tokens) >= 2 and f"{tokens[-2]}_{tokens[-1]}" in _REFERENCE_SUFFIXES:
        return False
    if any(word in token for token in tokens for word in _SECRET_WORDS):
        return True
    if any(token in _SECRET_TOKENS for token in tokens):
        return True
    return any(pair in _SECRET_PAIRS for pair in itertools.pairwise(tokens))


def _literal_secret_value(value: object) -> bool:
    if not isinstance(value, str):
        return False
    text = value.strip()
    if len(text) < 4 or text.isdigit() or _REFERENCE_VALUE.search(text):
        return False
    return not looks_fake(text)


def _joined_text(expr: ast.expr) -> str | None:
    """An f-string's literal parts with ``{}`` for each placeholder."""
    if not isinstance(expr, ast.JoinedStr):
        return None
    parts: list[str] = []
    for value in expr.values:
        text = literal_str(value)
        parts.append(text if text is not None else "{}")
    return "".join(parts)


def _uri_group(value: object, budget: list[int]) -> str | None:
    """The public group a (nested) grant value names, if any."""
    budget[0] -= 1
    if budget[0] < 0:
        return None
    if isinstance(value, str):
        for uri, label in _GROUP_URIS:
            if uri in value:
                return label
        return None
    if isinstance(value, dict):
        items: list[object] = list(value.values())
    elif isinstance(value, list):
        items = list(value)
    else:
        return None
    for item in items:
        found = _uri_group(item, budget)
        if found is not None:
            return found
    return None


def _seconds_text(seconds: float) -> str:
    return str(int(seconds)) if float(seconds).is_integer() else f"{seconds:.1f}"


def _duration_text(seconds: float) -> str:
    days = seconds / 86400
    if days >= 1:
        return f"{days:g} days"
    hours = seconds / 3600
    return f"{hours:g} hours"


class SecurityChecker(BindingChecker):
    """AWSBP304-AWSBP313: checks of the arguments of individual SDK calls."""

    CHECKED_CALLS = _INTERESTING_CALLS
    CALL_NAMES = _INTERESTING_CALLS

    @classmethod
    def wanted(cls, ctx: FileContext, text: str) -> bool:
        """Only files that mention one of the calls this checker looks at."""
        return _INTERESTING_TEXT.search(text) is not None

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._guards: list[ast.expr] = []
        self._test_module: bool | None = None
        self._buckets: list[ast.Call] = []
        self._kms_bucket_encryption = False
        self._versioning = False
        self._handlers = {
            "set_stream_logger": self._wire_logging,
            "set_debug_logger": self._wire_logging,
            "set_file_logger": self._wire_logging,
            "setLevel": self._wire_logging,
            "client": self._transport,
            "resource": self._transport,
            "create_client": self._transport,
            "upload_file": self._extra_args,
            "upload_fileobj": self._extra_args,
            "copy": self._extra_args,
            "put": self._resource_acl,
            "create": self._resource_acl,
            "copy_from": self._resource_acl,
            "put_public_access_block": self._public_access_block,
            "delete_public_access_block": self._public_access_block,
            "set_topic_attributes": self._topic_policy,
            "create_function": self._lambda_environment,
            "update_function_configuration": self._lambda_environment,
            "put_parameter": self._parameter,
            "create_table": self._encryption,
            "create_log_group": self._encryption,
            "create_secret": self._encryption,
            "put_bucket_encryption": self._bucket_encryption,
            "generate_presigned_url": self._presign,
            "generate_presigned_post": self._presign,
        }

    # ------------------------------------------------------------ dispatch
    def check_call(self, node: ast.Call, name: str) -> None:
        """Dispatch on the called method's name (one of :attr:`CHECKED_CALLS`)."""
        if name in _VERSIONING_CALLS:
            self._versioning = True
        handler = self._handlers.get(name)
        if handler is not None:
            handler(node)
        if name in _ACL_CLIENT_OPS:
            self._client_acl(node, name)
        if name in _POLICY_PARAMS:
            self._policy(node, name)
        if name in _ATTRIBUTE_POLICY_OPS:
            self._attribute_policy(node, name)
        if name in ("create_queue", "create_topic"):
            self._encryption(node)
        if name == "put_object":
            self._object_sse(node, keyword_arg(node, "ServerSideEncryption"))
        if name == "create_bucket" or (
            name == "create" and receiver_kind(self.model, node) is Kind.BUCKET
        ):
            self._create_bucket(node)

    def visit_If(self, node: ast.If) -> None:
        """Remember enclosing ``if`` tests (read only when a wire-logging call shows up)."""
        self._guards.append(node.test)

    def leave_If(self, node: ast.If) -> None:
        """Leave an ``if`` guard."""
        if self._guards:
            self._guards.pop()

    @staticmethod
    def _mentions_debug(test: ast.expr) -> bool:
        stack: list[ast.AST] = [test]
        seen = 0
        while stack and seen < _MAX_GUARD_NODES:
            seen += 1
            node = stack.pop()
            text: str | None = None
            if isinstance(node, ast.Name):
                text = node.id
            elif isinstance(node, ast.Attribute):
                text = node.attr
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
            if text and _DEBUG_WORDS.search(text):
                return True
            stack.extend(ast.iter_child_nodes(node))
        return False

    def _test_like(self) -> bool:
        if self._test_module is None:
            self._test_module = test_like(self.ctx)
        return self._test_module

    def _evidence_ok(self, rule: Rule, evidence: Evidence | None) -> bool:
        return evidence is not None and self.ctx.accepts(rule, evidence)

    # ------------------------------------------------------------ AWSBP304
    def _wire_logging(self, node: ast.Call) -> None:
        if not self.ctx.is_enabled(WIRE_LOGGING) or self._test_like():
            return
        func = node.func
        method = call_name(node)
        if any(self._mentions_debug(test) for test in self._guards):
            return  # an explicit ``if args.debug:`` opt-in
        frame_name = getattr(self.ctx.frame.node, "name", "")
        if isinstance(frame_name, str) and _DEBUG_WORDS.search(frame_name):
            return
        name: object
        level: object
        if method == "setLevel":
            if not isinstance(func, ast.Attribute) or not self._is_botocore_logger(func.value):
                return
            level = self.evaluate(call_arg(node, 0, "level"))
            name = "botocore"
            label = "setLevel"
        elif method == "set_stream_logger" and self.model.qualname(func) in (
            "boto3.set_stream_logger", "aioboto3.set_stream_logger"
        ):
            name_arg = call_arg(node, 0, "name")
            level_arg = call_arg(node, 1, "level")
            name = "boto3" if name_arg is None else self.evaluate(name_arg)
            level = 10 if level_arg is None else self.evaluate(level_arg)
            label = "boto3.set_stream_logger"
        else:
            if not isinstance(func, ast.Attribute):
                return
            owner = self.model.infer(func.value)
            if owner is None or owner.kind is not Kind.BOTOCORE_SESSION:
                return
            if method == "set_debug_logger":
                name_arg = call_arg(node, 0, "logger_name")
                name = "botocore" if name_arg is None else self.evaluate(name_arg)
                level = 10
            elif method == "set_stream_logger":
                name = self.evaluate(call_arg(node, 0, "logger_name"))
                level = self.evaluate(call_arg(node, 1, "log_level"))
            else:
                name_arg = call_arg(node, 2, "logger_name")
                name = "botocore" if name_arg is None else self.evaluate(name_arg)
                level = self.evaluate(call_arg(node, 0, "log_level"))
            label = f"session.{method}"
        if _botocore_logger_name(name) and _is_debug_level(level):
            self.ctx.report(WIRE_LOGGING, node, call=label)

    def _is_botocore_logger(self, expr: ast.expr) -> bool:
        if isinstance(expr, ast.Name):
            bound = self.lookup(expr.id)
            if bound is None:
                return False
            expr = bound
        if not isinstance(expr, ast.Call):
            return False
        qual = self.model.qualname(expr.func) if isinstance(
            expr.func, (ast.Name, ast.Attribute)
        ) else None
        if qual != "logging.getLogger":
            return False
        name = self.evaluate(call_arg(expr, 0, "name"))
        return isinstance(name, str) and name != "" and _botocore_logger_name(name)

    # ------------------------------------------------------------ AWSBP305
    def _transport(self, node: ast.Call) -> None:
        if not self.ctx.is_enabled(INSECURE_TRANSPORT) or self._test_like():
            return
        value = self.model.factory_value(node)
        if value is None or value.kind not in (Kind.CLIENT, Kind.RESOURCE):
            return
        if not self.ctx.accepts(INSECURE_TRANSPORT, value.evidence):
            return
        kind = value.kind.value
        verify = call_arg(node, 4, "verify")
        if verify is not None and self.evaluate(verify) is False:
            self.ctx.report(
                INSECURE_TRANSPORT, verify, kind=kind,
                problem="certificate verification is turned off (verify=False)",
                fix="remove it, or pass verify='/path/to/ca-bundle.pem' for a private CA",
            )
        use_ssl = call_arg(node, 3, "use_ssl")
        if use_ssl is not None and self.evaluate(use_ssl) is False:
            self.ctx.report(
                INSECURE_TRANSPORT, use_ssl, kind=kind,
                problem="use_ssl=False sends requests over plaintext HTTP",
                fix="remove it so requests use HTTPS",
            )
        endpoint = call_arg(node, 5, "endpoint_url")
        url = self.evaluate(endpoint) if endpoint is not None else None
        if isinstance(url, str) and url.lower().startswith("http://") and not _local_endpoint(
            url
        ):
            self.ctx.report(
                INSECURE_TRANSPORT, endpoint or node, kind=kind,
                problem=f"plaintext endpoint_url '{url}'",
                fix="use an https:// endpoint",
            )

    # ------------------------------------------------------------ AWSBP306
    def _public_acl(self, arg: ast.expr | None) -> str | None:
        value = self.evaluate(arg) if arg is not None else None
        if isinstance(value, str) and value in _PUBLIC_ACLS:
            return value
        return None

    def _check_acl_args(self, node: ast.Call, evidence: Evidence) -> None:
        if not self._evidence_ok(PUBLIC_S3_ACL, evidence):
            return
        acl_arg = keyword_arg(node, "ACL")
        acl = self._public_acl(acl_arg)
        if acl is not None and acl_arg is not None:
            self.ctx.report(PUBLIC_S3_ACL, acl_arg, what=f"ACL '{acl}'")
            return
        for key in (*_GRANT_KEYS, "AccessControlPolicy"):
            arg = keyword_arg(node, key)
            if arg is None:
                continue
            group = _uri_group(self.evaluate(arg), [200])
            if group is not None:
                self.ctx.report(PUBLIC_S3_ACL, arg, what=f"a grant to {group}")
                return

    def _client_acl(self, node: ast.Call, op: str) -> None:
        if not self.ctx.is_enabled(PUBLIC_S3_ACL):
            return
        evidence = self.service_evidence(node, _S3)
        if evidence is None:
            if not isinstance(node.func, ast.Attribute) or not self.model.imports_aws:
                return
            if self.defines(op) or self.model.resolve_receiver(node.func.value) is not None:
                return  # resolved to another service
            evidence = Evidence.MEDIUM  # an S3 canned ACL or group URI is S3's own vocabulary
        self._check_acl_args(node, evidence)

    def _resource_acl(self, node: ast.Call) -> None:
        if not self.ctx.is_enabled(PUBLIC_S3_ACL) or not isinstance(node.func, ast.Attribute):
            return
        receiver = node.func.value
        kind = receiver_kind(self.model, node)
        method = node.func.attr
        evidence: Evidence | None = None
        if isinstance(receiver, ast.Call) and call_name(receiver) in _ACL_FACTORIES:
            evidence = Evidence.MEDIUM if method == "put" else None
        elif (kind is Kind.OBJECT and method in ("put", "copy_from")) or (
            kind is Kind.BUCKET and method == "create"
        ):
            value = self.model.infer(receiver)
            evidence = value.evidence if value is not None else None
        if evidence is None:
            return
        self._check_acl_args(node, evidence)

    def _extra_args(self, node: ast.Call) -> None:
        if not isinstance(node.func, ast.Attribute):
            return
        kind = receiver_kind(self.model, node)
        arg = keyword_arg(node, "ExtraArgs")
        if arg is None and kind is Kind.CLIENT:
            arg = call_arg(node, 3, "ExtraArgs")
        if arg is None:
            return
        evidence = self.service_evidence(node, _S3, Evidence.MEDIUM)
        if evidence is None:
            return
        extra = self.evaluate(arg)
        if not isinstance(extra, dict):
            return
        self._object_sse(node, value_node(extra, "ServerSideEncryption"),
                         extra.get("ServerSideEncryption"))
        if not self.ctx.is_enabled(PUBLIC_S3_ACL) or not self.ctx.accepts(
            PUBLIC_S3_ACL, evidence
        ):
            return
        acl = extra.get("ACL")
        if isinstance(acl, str) and acl in _PUBLIC_ACLS:
            self.ctx.report(PUBLIC_S3_ACL, value_node(extra, "ACL") or arg, what=f"ACL '{acl}'")
            return
        for key in _GRANT_KEYS:
            group = _uri_group(extra.get(key), [50])
            if group is not None:
                self.ctx.report(PUBLIC_S3_ACL, value_node(extra, key) or arg,
                                what=f"a grant to {group}")
                return

    # ------------------------------------------------------------ AWSBP307
    def _public_access_block(self, node: ast.Call) -> None:
        if not self.ctx.is_enabled(PUBLIC_ACCESS_BLOCK):
            return
        evidence = self.service_evidence(node, frozenset({"s3", "s3control"}))
        if not self._evidence_ok(PUBLIC_ACCESS_BLOCK, evidence):
            return
        method = call_name(node)
        if method == "delete_public_access_block":
            self.ctx.report(PUBLIC_ACCESS_BLOCK, node,
                            what="delete_public_access_block removes every setting")
            return
        arg = keyword_arg(node, "PublicAccessBlockConfiguration")
        config = self.evaluate(arg) if arg is not None else None
        if not isinstance(config, dict):
            return
        off = [key for key in _BPA_KEYS if config.get(key) is False]
        if off:
            where = value_node(config, off[0]) or arg or node
            self.ctx.report(PUBLIC_ACCESS_BLOCK, where,
                            what=f"put_public_access_block sets {'/'.join(off)} to False")

    # ------------------------------------------------------------ AWSBP308
    def _policy(self, node: ast.Call, op: str) -> None:
        if not self.ctx.is_enabled(PERMISSIVE_POLICY):
            return
        params, kind, services = _POLICY_PARAMS[op]
        arg: ast.expr | None = None
        for param in params:
            arg = keyword_arg(node, param)
            if arg is not None:
                break
        if arg is None:
            return
        if services is not None:
            evidence = self.service_evidence(node, services, Evidence.MEDIUM)
        else:
            evidence = self._any_client_evidence(node)
        if not self._evidence_ok(PERMISSIVE_POLICY, evidence):
            return
        self._report_policy(self.evaluate(arg), kind, arg)

    def _any_client_evidence(self, node: ast.Call) -> Evidence | None:
        if not isinstance(node.func, ast.Attribute) or not self.model.imports_aws:
            return None
        value = self.model.resolve_receiver(node.func.value)
        if value is None:
            return Evidence.MEDIUM
        return value.evidence if value.kind is Kind.CLIENT else None

    def _report_policy(self, value: object, kind: PolicyKind, fallback: ast.AST) -> None:
        document = as_document(value)
        if document is None:
            return
        for problem in policy_problems(document, kind):
            self.ctx.report(PERMISSIVE_POLICY, problem.node or fallback, what=problem.what)

    def _topic_policy(self, node: ast.Call) -> None:
        if not self.ctx.is_enabled(PERMISSIVE_POLICY):
            return
        if self.evaluate(call_arg(node, 1, "AttributeName")) != "Policy":
            return
        arg = keyword_arg(node, "AttributeValue")
        if arg is None:
            return
        evidence = self.service_evidence(node, frozenset({"sns"}), Evidence.MEDIUM)
        if self._evidence_ok(PERMISSIVE_POLICY, evidence):
            self._report_policy(self.evaluate(arg), PolicyKind.RESOURCE, arg)

    def _attribute_policy(self, node: ast.Call, op: str) -> None:
        if not self.ctx.is_enabled(PERMISSIVE_POLICY):
            return
        arg = keyword_arg(node, "Attributes")
        if arg is None:
            return
        fallback = Evidence.MEDIUM if op == "set_queue_attributes" else None
        evidence = self.service_evidence(node, _ATTRIBUTE_POLICY_OPS[op], fallback)
        if not self._evidence_ok(PERMISSIVE_POLICY, evidence):
            return
        attributes = self.evaluate(arg)
        if isinstance(attributes, dict) and "Policy" in attributes:
            where = value_node(attributes, "Policy") or arg
            self._report_policy(attributes["Policy"], PolicyKind.RESOURCE, where)

    # ------------------------------------------------------------ AWSBP309
    def _lambda_environment(self, node: ast.Call) -> None:
        if not self.ctx.is_enabled(SECRET_IN_CONFIG):
            return
        arg = keyword_arg(node, "Environment")
        if arg is None:
            return
        evidence = self.service_evidence(node, frozenset({"lambda"}), Evidence.MEDIUM)
        if not self._evidence_ok(SECRET_IN_CONFIG, evidence):
            return
        environment = self.evaluate(arg)
        variables = environment.get("Variables") if isinstance(environment, dict) else None
        if not isinstance(variables, dict):
            return
        for name, value in variables.items():
            if secret_looking_name(name) and _literal_secret_value(value):
                where = value_node(variables, name) or arg
                self.ctx.report(
                    SECRET_IN_CONFIG, where,
                    what=f"Lambda environment variable '{name}' holds a literal value",
                    fix="keep it in Secrets Manager or a SecureString parameter and pass "
                        "its name",
                )

    def _parameter(self, node: ast.Call) -> None:
        if not self.ctx.is_enabled(SECRET_IN_CONFIG) or has_star_kwargs(node):
            return
        evidence = self.service_evidence(node, frozenset({"ssm"}))
        if not self._evidence_ok(SECRET_IN_CONFIG, evidence):
            return
        name_arg = keyword_arg(node, "Name")
        if name_arg is None:
            return
        name = self.evaluate(name_arg)
        if not isinstance(name, str):
            name = _joined_text(name_arg)
        if name is None or not secret_looking_name(name):
            return
        type_arg = keyword_arg(node, "Type")
        if type_arg is None:
            overwrite = keyword_arg(node, "Overwrite")
            if overwrite is not None and self.evaluate(overwrite) is not False:
                return  # updating: the parameter keeps its existing type
            where: ast.AST = name_arg
            type_text = "no Type"
        else:
            value = self.evaluate(type_arg)
            if value not in ("String", "StringList"):
                return
            where = type_arg
            type_text = f"Type='{value}'"
        self.ctx.report(
            SECRET_IN_CONFIG, where,
            what=f"SSM parameter '{name}' is stored with {type_text}",
            fix="use Type='SecureString' so it is encrypted with KMS",
        )

    # ------------------------------------------------------------ AWSBP310
    def _encryption_services(self) -> tuple[str, ...]:
        return self.ctx.settings.get_list("awsbp-encryption-services")

    def _encryption(self, node: ast.Call) -> None:
        if not self.ctx.is_enabled(NO_KMS_ENCRYPTION) or self._test_like():
            return
        op = call_name(node)
        if op is None or op not in _ENCRYPTION_SETTINGS or has_star_kwargs(node):
            return
        service, what, fix = _ENCRYPTION_SETTINGS[op]
        if service not in self._encryption_services():
            return
        fallback = self._encryption_fallback(node, op)
        evidence = self.service_evidence(node, frozenset({service}), fallback)
        if not self._evidence_ok(NO_KMS_ENCRYPTION, evidence):
            return
        if self._encrypted(node, op):
            return
        self.ctx.report(NO_KMS_ENCRYPTION, node, what=what, fix=fix)

    @staticmethod
    def _encryption_fallback(node: ast.Call, op: str) -> Evidence | None:
        keywords = {kw.arg for kw in node.keywords}
        if op == "create_table" and {"KeySchema", "AttributeDefinitions"} <= keywords and (
            "TableBucketARN" not in keywords and "DatabaseName" not in keywords
        ):
            return Evidence.MEDIUM
        if op == "create_queue" and "QueueName" in keywords:
            return Evidence.MEDIUM
        if op == "create_topic" and "Name" in keywords and not keywords & {
            "AwsAccountId", "ClusterArn", "TopicId"
        }:
            return Evidence.MEDIUM
        return None

    def _encrypted(self, node: ast.Call, op: str) -> bool:
        if op == "create_table":
            spec = keyword_arg(node, "SSESpecification")
            if spec is None:
                return False
            value = self.evaluate(spec)
            return not (isinstance(value, dict) and value.get("Enabled") is False)
        if op in ("create_queue", "create_topic"):
            arg = keyword_arg(node, "Attributes")
            if arg is None:
                return False
            attributes = self.evaluate(arg)
            if not isinstance(attributes, PDict) or not attributes.complete:
                return True
            keys = {"KmsMasterKeyId"} if op == "create_topic" else {
                "KmsMasterKeyId", "SqsManagedSseEnabled"
            }
            return bool(keys & set(attributes))
        key = "kmsKeyId" if op == "create_log_group" else "KmsKeyId"
        return keyword_arg(node, key) is not None

    def _object_sse(self, node: ast.Call, arg: ast.AST | None, value: object = UNKNOWN) -> None:
        if arg is None or not self.ctx.is_enabled(NO_KMS_ENCRYPTION) or self._test_like():
            return
        if "s3" not in self._encryption_services():
            return
        if value is UNKNOWN and isinstance(arg, ast.expr):
            value = self.evaluate(arg)
        if value != "AES256":
            return
        if call_name(node) == "put_object":
            evidence = self.service_evidence(node, _S3, Evidence.MEDIUM)
            if not self._evidence_ok(NO_KMS_ENCRYPTION, evidence):
                return
        self.ctx.report(
            NO_KMS_ENCRYPTION, arg,
            what="object written with ServerSideEncryption='AES256' (SSE-S3)",
            fix="use ServerSideEncryption='aws:kms' with SSEKMSKeyId to encrypt it with a "
                "KMS key",
        )

    def _bucket_encryption(self, node: ast.Call) -> None:
        arg = keyword_arg(node, "ServerSideEncryptionConfiguration")
        if arg is None:
            return
        if _mentions_kms(self.evaluate(arg), [100]):
            self._kms_bucket_encryption = True

    # ------------------------------------------------------------ AWSBP310/311 buckets
    def _create_bucket(self, node: ast.Call) -> None:
        if not (self.ctx.is_enabled(NO_KMS_ENCRYPTION) or self.ctx.is_enabled(NO_VERSIONING)):
            return
        if self._test_like():
            return
        if call_name(node) == "create":
            value = self.model.infer(node.func.value) if isinstance(
                node.func, ast.Attribute) else None
            evidence = value.evidence if value is not None else None
        else:
            fallback = None
            keywords = {kw.arg for kw in node.keywords}
            if "Bucket" in keywords and "OutpostId" not in keywords:
                fallback = Evidence.MEDIUM
            evidence = self.service_evidence(node, _S3, fallback)
        if evidence is not None:
            self._buckets.append(node)

    def end_module(self) -> None:
        """Report buckets created in a module that never configures them."""
        if not self._buckets:
            return
        for node in self._buckets:
            if not self._kms_bucket_encryption and "s3" in self._encryption_services():
                self.ctx.report(
                    NO_KMS_ENCRYPTION, node,
                    what="S3 bucket created and this module never sets aws:kms default "
                         "encryption",
                    fix="call put_bucket_encryption with SSEAlgorithm 'aws:kms' after "
                        "creating it",
                )
            if not self._versioning:
                self.ctx.report(NO_VERSIONING, node)

    # ------------------------------------------------------------ AWSBP312/313
    def _presign(self, node: ast.Call) -> None:
        if not (self.ctx.is_enabled(PRESIGN_OVER_LIMIT) or self.ctx.is_enabled(PRESIGN_TOO_LONG)):
            return
        if not isinstance(node.func, ast.Attribute) or not self.model.imports_aws:
            return
        method = node.func.attr
        value = self.model.resolve_receiver(node.func.value)
        if value is None and self.defines(method) and not is_meta_client(node.func.value):
            return  # the module's own signer class
        evidence = Evidence.MEDIUM if value is None else value.evidence
        if value is not None and value.kind is not Kind.CLIENT:
            return
        arg = call_arg(node, _PRESIGN_EXPIRES_POSITION[method], "ExpiresIn")
        seconds = as_number(self.evaluate(arg)) if arg is not None else None
        if arg is None or seconds is None:
            return
        if seconds > SIGV4_MAX_SECONDS:
            if self.ctx.accepts(PRESIGN_OVER_LIMIT, evidence):
                self.ctx.report(PRESIGN_OVER_LIMIT, arg, seconds=_seconds_text(seconds),
                                human=_duration_text(seconds))
            return
        limit = self.ctx.settings.get_int("awsbp-max-presign-seconds")
        if seconds > limit and self.ctx.accepts(PRESIGN_TOO_LONG, evidence):
            self.ctx.report(PRESIGN_TOO_LONG, arg, seconds=_seconds_text(seconds),
                            human=_duration_text(seconds), limit=limit)


def _mentions_kms(value: object, budget: list[int]) -> bool:
    budget[0] -= 1
    if budget[0] < 0:
        return False
    if value is UNKNOWN:
        return True  # computed configuration: assume it may use KMS
    if isinstance(value, str):
        return value.startswith("aws:kms")
    if isinstance(value, dict):
        return any(_mentions_kms(v, budget) for v in value.values())
    if isinstance(value, list):
        return any(_mentions_kms(v, budget) for v in value)
    return False


WIRE_LOGGING = Rule(
    code="AWSBP304",
    msgid="W7351",
    symbol="botocore-debug-logging",
    message=(
        "botocore DEBUG logging switched on by '{call}' writes request headers and bodies "
        "(signatures, secrets, data) to the log; keep botocore at INFO or above"
    ),
    summary="botocore DEBUG (wire) logging switched on in non-test code",
    guide_section="Monitoring & Observability › Logging Standards",
    checker=SecurityChecker,
    min_evidence=Evidence.HIGH,
    docs=RuleDocs(
        what=(
            "Finds `boto3.set_stream_logger(\"botocore\")` and `set_stream_logger(\"\")` at "
            "DEBUG (the default level), `logging.getLogger(\"botocore\").setLevel(...)` with "
            "`logging.DEBUG`, `10` or `\"DEBUG\"` (directly or through a name bound to the "
            "logger), and a botocore session's `set_debug_logger()`, `set_stream_logger()` "
            "and `set_file_logger()` at DEBUG."
        ),
        why=(
            "At DEBUG, botocore logs every request and response: headers (the "
            "`Authorization` signature, the session token), bodies of calls such as "
            "`get_secret_value`, `decrypt` or `get_parameter` (the secrets themselves) and "
            "your data. Ansible shipped this by accident (CVE-2019-14846). The guide asks "
            "for standard log levels (Logging Standards) and keeping secrets out of logs "
            "(Secrets Management).\n\n"
            "Not reported: test files; calls inside an `if` whose condition mentions "
            "`debug` or `verbose` (`if args.debug:`), or inside a function whose name does "
            "(an explicit opt-in switch); a level that is not a literal; the default "
            "`boto3` logger of `boto3.set_stream_logger()`, which does not log requests; "
            "and the root logger."
        ),
        example=(
            "import logging\n\n"
            "import boto3\n\n"
            "boto3.set_stream_logger(\"botocore\", logging.DEBUG)\n"
        ),
        use_instead=(
            "import logging\n\n"
            "import boto3\n\n"
            "boto3.set_stream_logger(\"botocore\", logging.INFO)\n"
        ),
        references=(
            "https://boto3.amazonaws.com/v1/documentation/api/latest/reference/core/"
            "boto3.html#boto3.set_stream_logger",
            "https://nvd.nist.gov/vuln/detail/CVE-2019-14846",
        ),
    ),
)

INSECURE_TRANSPORT = Rule(
    code="AWSBP305",
    msgid="W7352",
    symbol="aws-insecure-transport",
    message="insecure transport: {problem} for a boto3 {kind}; {fix}",
    summary="TLS verification turned off or plaintext HTTP endpoint on a client",
    guide_section="Security Best Practices › Data Protection",
    checker=SecurityChecker,
    min_evidence=Evidence.MEDIUM,
    docs=RuleDocs(
        what=(
            "Finds `verify=False` and `use_ssl=False` given to `boto3.client`/`resource`, "
            "`session.client`/`resource` and botocore's `create_client` (by keyword or "
            "position), and an `endpoint_url` string (or a name bound to one) that starts "
            "with `http://`."
        ),
        why=(
            "`verify=False` accepts any certificate, so anyone on the network path can read "
            "and change requests, credentials and data; `use_ssl=False` and `http://` "
            "endpoints send them in clear text. The guide's Data Protection section says to "
            "use secure communication protocols (HTTPS, TLS).\n\n"
            "Not reported: test files; `http://` endpoints on loopback and local "
            "development hosts (`localhost`, `127.x`, `::1`, `0.0.0.0`, "
            "`host.docker.internal`, anything containing `localstack`, `moto...` hosts, "
            "single-label docker-compose service names such as `http://minio:9000`, and the "
            "reserved `.test`/`.example`/`.localhost` names); `verify` given a CA bundle "
            "path; endpoint URLs built at run time."
        ),
        example=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\", verify=False)\n"
        ),
        use_instead=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\", verify=\"/etc/pki/corp-ca.pem\")\n"
        ),
        references=(
            "https://boto3.amazonaws.com/v1/documentation/api/latest/reference/core/"
            "session.html#boto3.session.Session.client",
        ),
    ),
)

PUBLIC_S3_ACL = Rule(
    code="AWSBP306",
    msgid="W7353",
    symbol="s3-public-acl",
    message=(
        "public S3 access granted by {what}; remove it and share through CloudFront (origin "
        "access control) or presigned URLs"
    ),
    summary="Public canned ACL or grant to AllUsers/AuthenticatedUsers on S3",
    guide_section="AWS SDK (boto3) Optimization › Resource Configuration",
    checker=SecurityChecker,
    min_evidence=Evidence.MEDIUM,
    docs=RuleDocs(
        what=(
            "Finds `ACL=\"public-read\"`, `\"public-read-write\"` and "
            "`\"authenticated-read\"` on `create_bucket`, `put_object`, `put_bucket_acl`, "
            "`put_object_acl`, `copy_object`, `create_multipart_upload`, the resource "
            "methods `Bucket.create`/`put_object`, `Object.put`/`copy_from`, "
            "`Acl().put`, and in `ExtraArgs` of `upload_file`/`upload_fileobj`/`copy`; and "
            "`Grant*` values or `AccessControlPolicy` grants naming the "
            "`http://acs.amazonaws.com/groups/global/AllUsers` or `AuthenticatedUsers` "
            "groups."
        ),
        why=(
            "A public ACL lets anyone on the internet (`AuthenticatedUsers`: anyone with any "
            "AWS account) read, or with `public-read-write` overwrite, the data; such "
            "exposures are a leading cause of S3 data leaks. The guide's Resource "
            "Configuration section says to use resource-based policies to control access; "
            "AWS recommends keeping ACLs disabled (Object Ownership: bucket owner enforced) "
            "and Block Public Access on.\n\n"
            "`private`, `bucket-owner-full-control`, `log-delivery-write` and other "
            "non-public ACLs, and ACLs computed at run time, are not reported. A bucket "
            "that really hosts a public website can keep the call with `# noqa: AWSBP306`."
        ),
        example=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n"
            "s3.put_object(Bucket=\"reports\", Key=\"q3.pdf\", Body=b\"...\", "
            "ACL=\"public-read\")\n"
        ),
        use_instead=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n"
            "s3.put_object(Bucket=\"reports\", Key=\"q3.pdf\", Body=b\"...\")\n"
            "url = s3.generate_presigned_url(\n"
            "    \"get_object\", Params={\"Bucket\": \"reports\", \"Key\": \"q3.pdf\"}, "
            "ExpiresIn=900\n"
            ")\n"
        ),
        references=(
            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html",
            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html",
        ),
    ),
)

PUBLIC_ACCESS_BLOCK = Rule(
    code="AWSBP307",
    msgid="W7354",
    symbol="s3-public-access-block-disabled",
    message=(
        "S3 Block Public Access switched off: {what}; keep BlockPublicAcls, "
        "IgnorePublicAcls, BlockPublicPolicy and RestrictPublicBuckets all True"
    ),
    summary="S3 Block Public Access turned off or deleted",
    guide_section="Security Best Practices › Data Protection",
    checker=SecurityChecker,
    min_evidence=Evidence.MEDIUM,
    docs=RuleDocs(
        what=(
            "Finds `put_public_access_block` (S3 bucket level or S3 Control account level) "
            "whose `PublicAccessBlockConfiguration` sets any of `BlockPublicAcls`, "
            "`IgnorePublicAcls`, `BlockPublicPolicy` or `RestrictPublicBuckets` to `False`, "
            "and every `delete_public_access_block` call."
        ),
        why=(
            "Block Public Access is the account- and bucket-wide safety net that stops a "
            "public ACL or bucket policy from exposing data; AWS turns it on for every new "
            "bucket. Switching it off is what the guide's Data Protection section warns "
            "against.\n\n"
            "Configurations computed at run time (from a user's settings, for example) are "
            "not reported; settings left out of a literal configuration are not reported "
            "either (only explicit `False`)."
        ),
        example=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n"
            "s3.put_public_access_block(\n"
            "    Bucket=\"site\",\n"
            "    PublicAccessBlockConfiguration={\n"
            "        \"BlockPublicAcls\": True,\n"
            "        \"IgnorePublicAcls\": True,\n"
            "        \"BlockPublicPolicy\": False,\n"
            "        \"RestrictPublicBuckets\": True,\n"
            "    },\n"
            ")\n"
        ),
        use_instead=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n"
            "s3.put_public_access_block(\n"
            "    Bucket=\"site\",\n"
            "    PublicAccessBlockConfiguration={\n"
            "        \"BlockPublicAcls\": True,\n"
            "        \"IgnorePublicAcls\": True,\n"
            "        \"BlockPublicPolicy\": True,\n"
            "        \"RestrictPublicBuckets\": True,\n"
            "    },\n"
            ")\n"
        ),
        references=(
            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
        ),
    ),
)

PERMISSIVE_POLICY = Rule(
    code="AWSBP308",
    msgid="W7355",
    symbol="aws-policy-too-permissive",
    message=(
        "policy statement {what}; grant only the actions, resources and principals needed, "
        "or add a Condition"
    ),
    summary="Over-permissive IAM or resource policy document built in code",
    guide_section="Security Best Practices › Credential Management",
    checker=SecurityChecker,
    min_evidence=Evidence.MEDIUM,
    docs=RuleDocs(
        what=(
            "Reads policy documents built in code (a dict literal, `json.dumps(dict)`, a "
            "JSON string literal, or a name bound once to one of those in the same function "
            "or at module level) passed to:\n\n"
            "- IAM identity policies (`PolicyDocument` of `create_policy`, "
            "`create_policy_version`, `put_role_policy`, `put_user_policy`, "
            "`put_group_policy`): an `Allow` statement whose `Action` is `\"*\"`, or "
            "`\"<service>:*\"` on `Resource` `\"*\"`;\n"
            "- trust policies (`AssumeRolePolicyDocument` of `create_role`, "
            "`PolicyDocument` of `update_assume_role_policy`) and resource policies "
            "(`put_bucket_policy`, `put_key_policy`, `create_key`, `put_resource_policy`, "
            "SNS `set_topic_attributes(AttributeName=\"Policy\")`, SQS "
            "`set_queue_attributes`/`create_queue` and SNS `create_topic` with "
            "`Attributes={\"Policy\": ...}`): an `Allow` statement whose `Principal` is "
            "`\"*\"` or `{\"AWS\": \"*\"}`, without a `Condition`."
        ),
        why=(
            "The guide's Credential Management section asks for IAM roles \"with least "
            "privilege\" that \"grant only permissions necessary for specific actions\" and "
            "\"condition-based policies when possible\". A wildcard action grants every "
            "present and future API of a service; a wildcard principal without a condition "
            "opens the resource (or the role) to every AWS account.\n\n"
            "Not reported: `Deny` statements; statements with any `Condition`; statements "
            "whose effect, actions or principal are computed at run time; service "
            "wildcards on specific resources; key policies granting `kms:*` to the "
            "account's root (the AWS default key policy); documents changed in place after "
            "being built (`policy[\"Statement\"].append(...)`) or passed to another function "
            "first."
        ),
        example=(
            "import json\n\n"
            "import boto3\n\n"
            "iam = boto3.client(\"iam\")\n"
            "iam.create_policy(\n"
            "    PolicyName=\"app\",\n"
            "    PolicyDocument=json.dumps({\n"
            "        \"Version\": \"2012-10-17\",\n"
            "        \"Statement\": [\n"
            "            {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"},\n"
            "        ],\n"
            "    }),\n"
            ")\n"
        ),
        use_instead=(
            "import json\n\n"
            "import boto3\n\n"
            "iam = boto3.client(\"iam\")\n"
            "iam.create_policy(\n"
            "    PolicyName=\"app\",\n"
            "    PolicyDocument=json.dumps({\n"
            "        \"Version\": \"2012-10-17\",\n"
            "        \"Statement\": [\n"
            "            {\n"
            "                \"Effect\": \"Allow\",\n"
            "                \"Action\": [\"s3:GetObject\", \"s3:PutObject\"],\n"
            "                \"Resource\": \"arn:aws:s3:::app-data/*\",\n"
            "            },\n"
            "        ],\n"
            "    }),\n"
            ")\n"
        ),
        references=(
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html"
            "#grant-least-privilege",
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
        ),
        notes=(
            "`NotAction`/`NotPrincipal` statements are not analysed; `lambda.add_permission` "
            "is not checked."
        ),
    ),
)

SECRET_IN_CONFIG = Rule(
    code="AWSBP309",
    msgid="W7356",
    symbol="aws-secret-in-plain-config",
    message="secret-looking {what}; {fix}",
    summary="Secret-looking literal in Lambda environment variables or a plain SSM String",
    guide_section="Security Best Practices › Secrets Management",
    checker=SecurityChecker,
    min_evidence=Evidence.MEDIUM,
    docs=RuleDocs(
        what=(
            "Finds `lambda.create_function`/`update_function_configuration` whose "
            "`Environment={\"Variables\": {...}}` gives a secret-looking name (containing "
            "PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY...) a non-empty literal value; "
            "and `ssm.put_parameter` storing a secret-looking parameter name with "
            "`Type=\"String\"`/`\"StringList\"` (or with no `Type` when creating it)."
        ),
        why=(
            "Lambda environment variables are visible in plain text to anyone who can read "
            "the function's configuration, and end up in templates, state files and "
            "CloudTrail; a `String` parameter is not encrypted. The guide's Secrets "
            "Management section says to keep sensitive values in Secrets Manager or "
            "Parameter Store and to \"use environment variables for non-sensitive "
            "configuration\".\n\n"
            "Not reported: names that refer to a secret rather than hold it (`DB_SECRET_ARN`, "
            "`API_KEY_PARAMETER`, `TOKEN_URL`, `SECRET_NAME`...); values that are ARNs, "
            "parameter paths, `{{resolve:...}}`/`${...}` references, numbers, booleans, "
            "placeholders (`changeme`, `<token>`, `test`...); values computed at run time; "
            "`put_parameter(..., Overwrite=True)` without `Type` (the parameter keeps its "
            "type)."
        ),
        example=(
            "import boto3\n\n"
            "lambda_client = boto3.client(\"lambda\")\n"
            "lambda_client.update_function_configuration(\n"
            "    FunctionName=\"orders\",\n"
            "    Environment={\"Variables\": {\"DB_PASSWORD\": \"s3cr3t-Passw0rd\"}},\n"
            ")\n"
        ),
        use_instead=(
            "import boto3\n\n"
            "lambda_client = boto3.client(\"lambda\")\n"
            "lambda_client.update_function_configuration(\n"
            "    FunctionName=\"orders\",\n"
            "    Environment={\"Variables\": {\"DB_PASSWORD_SECRET_ARN\": \"arn:aws:"
            "secretsmanager:eu-west-1:123456789012:secret:orders-db\"}},\n"
            ")\n"
        ),
        references=(
            "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html",
            "https://docs.aws.amazon.com/systems-manager/latest/userguide/"
            "systems-manager-parameter-store.html",
        ),
    ),
)

NO_KMS_ENCRYPTION = Rule(
    code="AWSBP310",
    msgid="W7357",
    symbol="aws-resource-without-kms",
    message="no KMS key requested: {what}; {fix}",
    summary="Resource created without KMS encryption settings (strict, off by default)",
    guide_section="AWS SDK (boto3) Optimization › Resource Configuration",
    checker=SecurityChecker,
    default_enabled=False,
    min_evidence=Evidence.MEDIUM,
    options=("awsbp-encryption-services",),
    docs=RuleDocs(
        what=(
            "A strict-profile rule. Finds DynamoDB `create_table` without "
            "`SSESpecification` (or with `Enabled: False`), SQS `create_queue` without "
            "`KmsMasterKeyId`/`SqsManagedSseEnabled` in `Attributes`, SNS `create_topic` "
            "without `KmsMasterKeyId`, CloudWatch Logs `create_log_group` without "
            "`kmsKeyId`, Secrets Manager `create_secret` without `KmsKeyId`, S3 "
            "`create_bucket` in a module that never calls `put_bucket_encryption` with "
            "`aws:kms`, and `put_object`/`ExtraArgs` with `ServerSideEncryption=\"AES256\"`."
        ),
        why=(
            "The guide's Resource Configuration section says \"Enable encryption (KMS) "
            "whenever possible for data at rest\". A KMS key you control lets you audit and "
            "revoke access to the data separately from the resource.\n\n"
            "Off by default: AWS now encrypts most of these resources by default with keys "
            "it owns or manages (S3 SSE-S3 since January 2023, SQS SSE-SQS for new queues, "
            "DynamoDB and CloudWatch Logs always), so the finding is a policy choice, not a "
            "defect. Switch it on where your organisation requires customer managed keys; "
            "restrict it to some services with `awsbp-encryption-services`. Test files, "
            "calls with `**kwargs` and attributes computed at run time are not reported."
        ),
        example=(
            "import boto3\n\n"
            "sqs = boto3.client(\"sqs\")\n"
            "sqs.create_queue(QueueName=\"orders\")\n"
        ),
        use_instead=(
            "import boto3\n\n"
            "sqs = boto3.client(\"sqs\")\n"
            "sqs.create_queue(QueueName=\"orders\", Attributes={\"KmsMasterKeyId\": "
            "\"alias/orders\"})\n"
        ),
        references=(
            "https://docs.aws.amazon.com/kms/latest/developerguide/service-integration.html",
            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
        ),
    ),
)

NO_VERSIONING = Rule(
    code="AWSBP311",
    msgid="W7358",
    symbol="s3-bucket-without-versioning",
    message=(
        "bucket created but this module never configures S3 versioning or lifecycle rules; "
        "call put_bucket_versioning (Status 'Enabled') and "
        "put_bucket_lifecycle_configuration for it"
    ),
    summary="S3 bucket created in a module that never sets versioning or lifecycle (off)",
    guide_section="AWS SDK (boto3) Optimization › Resource Configuration",
    checker=SecurityChecker,
    default_enabled=False,
    min_evidence=Evidence.MEDIUM,
    docs=RuleDocs(
        what=(
            "Finds `create_bucket` (client or resource) and `Bucket.create()` in a module "
            "that never calls `put_bucket_versioning`, `put_bucket_lifecycle_configuration` "
            "(or `put_bucket_lifecycle`), nor the resource `BucketVersioning`/`Versioning` "
            "or `BucketLifecycleConfiguration` objects."
        ),
        why=(
            "The guide's Resource Configuration section says to \"Implement versioning for "
            "S3 buckets\" and \"Configure lifecycle policies for cost optimization and "
            "compliance\". Versioning protects against accidental overwrite and deletion; "
            "lifecycle rules expire old versions and move cold data to cheaper storage.\n\n"
            "Off by default: buckets are often created and configured in different modules, "
            "or by infrastructure-as-code, so the check (per module, by name) is a policy "
            "aid rather than proof. Test files are not reported."
        ),
        example=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n"
            "s3.create_bucket(Bucket=\"audit-archive\")\n"
        ),
        use_instead=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n"
            "s3.create_bucket(Bucket=\"audit-archive\")\n"
            "s3.put_bucket_versioning(\n"
            "    Bucket=\"audit-archive\", VersioningConfiguration={\"Status\": \"Enabled\"}\n"
            ")\n"
        ),
        references=(
            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html",
            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/"
            "object-lifecycle-mgmt.html",
        ),
    ),
)

PRESIGN_OVER_LIMIT = Rule(
    code="AWSBP312",
    msgid="E7359",
    symbol="presigned-url-expiry-over-limit",
    message=(
        "presigned URL ExpiresIn is {seconds} seconds ({human}), over SigV4's 7-day maximum "
        "of 604800: the URL will be rejected; use at most 604800"
    ),
    summary="Presigned URL expiry longer than SigV4's 7-day maximum",
    guide_section="Beyond the guide: SigV4 presigned URLs are valid for at most 7 days",
    checker=SecurityChecker,
    min_evidence=Evidence.MEDIUM,
    docs=RuleDocs(
        what=(
            "Finds `generate_presigned_url`/`generate_presigned_post` whose `ExpiresIn` is "
            "a literal (a number, literal arithmetic such as `8 * 24 * 3600`, "
            "`timedelta(days=8).total_seconds()`, or a name bound to one) greater than "
            "604800 seconds."
        ),
        why=(
            "botocore signs any expiry without complaint, but S3 rejects SigV4 presigned "
            "requests valid for more than seven days (`AuthorizationQueryParametersError`), "
            "so the link is broken from the start. Long-lived links are also a data "
            "exposure risk: anyone holding the URL can use it until it expires."
        ),
        example=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n"
            "url = s3.generate_presigned_url(\n"
            "    \"get_object\",\n"
            "    Params={\"Bucket\": \"exports\", \"Key\": \"report.csv\"},\n"
            "    ExpiresIn=30 * 24 * 3600,\n"
            ")\n"
        ),
        use_instead=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n"
            "url = s3.generate_presigned_url(\n"
            "    \"get_object\",\n"
            "    Params={\"Bucket\": \"exports\", \"Key\": \"report.csv\"},\n"
            "    ExpiresIn=900,\n"
            ")\n"
        ),
        references=(
            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/"
            "using-presigned-url.html",
            "https://docs.aws.amazon.com/cli/latest/reference/s3/presign.html",
        ),
    ),
)

PRESIGN_TOO_LONG = Rule(
    code="AWSBP313",
    msgid="W7360",
    symbol="presigned-url-expiry-too-long",
    message=(
        "presigned URL ExpiresIn is {seconds} seconds ({human}), longer than the configured "
        "maximum of {limit}; shorten it (awsbp-max-presign-seconds)"
    ),
    summary="Presigned URL expiry longer than the configured maximum",
    guide_section="Beyond the guide: short-lived presigned URLs limit data exposure",
    checker=SecurityChecker,
    min_evidence=Evidence.MEDIUM,
    options=("awsbp-max-presign-seconds",),
    docs=RuleDocs(
        what=(
            "Finds `generate_presigned_url`/`generate_presigned_post` whose literal "
            "`ExpiresIn` (as for AWSBP312) is longer than `awsbp-max-presign-seconds` "
            "(default 3600, boto3's own default) but within SigV4's 7-day limit (longer "
            "ones are AWSBP312)."
        ),
        why=(
            "A presigned URL is a bearer token: whoever holds it can read (or write) the "
            "object until it expires, and URLs leak through browser history, logs and "
            "shared messages. Keep them as short as the use allows. URLs signed with "
            "temporary (role) credentials also stop working when the session ends, "
            "whatever `ExpiresIn` says.\n\n"
            "Raise `awsbp-max-presign-seconds` to your organisation's policy (for example "
            "86400) if longer links are expected."
        ),
        example=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n"
            "url = s3.generate_presigned_url(\n"
            "    \"get_object\",\n"
            "    Params={\"Bucket\": \"exports\", \"Key\": \"report.csv\"},\n"
            "    ExpiresIn=86400,\n"
            ")\n"
        ),
        use_instead=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n"
            "url = s3.generate_presigned_url(\n"
            "    \"get_object\",\n"
            "    Params={\"Bucket\": \"exports\", \"Key\": \"report.csv\"},\n"
            "    ExpiresIn=900,\n"
            ")\n"
        ),
        references=(
            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/"
            "using-presigned-url.html",
        ),
    ),
)


# =============================================================================
# AWSBP314: Lambda reserved environment variables overwritten
# =============================================================================

LAMBDA_RESERVED: Final = frozenset(
    {"_HANDLER", "_X_AMZN_TRACE_ID", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV",
     "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
     "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR"}
)
_ENV_PREFILTER: Final = any_word("environ", "putenv", "unsetenv")
_ENVIRON_METHODS: Final = frozenset({"update", "setdefault", "pop"})


def is_reserved(name: str) -> bool:
    """Whether Lambda's runtime owns the environment variable ``name``."""
    return name in LAMBDA_RESERVED or name.startswith("AWS_LAMBDA_")


class ReservedEnvChecker(LambdaFileChecker):
    """AWSBP314: writes to Lambda's reserved environment variables in a handler module."""

    TEXT_GATE = _ENV_PREFILTER

    CALL_NAMES = frozenset({*_ENVIRON_METHODS, "putenv", "unsetenv"})

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._on: bool | None = None

    def _active(self) -> bool:
        if self._on is None:
            self._on = bool(self.model.handlers) and not test_like(self.ctx)
        return self._on

    def _is_environ(self, expr: ast.expr) -> bool:
        return self.model.qualname(expr) == "os.environ"

    def _key(self, expr: ast.expr | None) -> str | None:
        text = literal_str(expr)
        if text is None and isinstance(expr, ast.Name):
            text = self.model.module_string_constants().get(expr.id)
        return text

    def _check_target(self, target: ast.expr) -> None:
        if isinstance(target, ast.Subscript) and self._is_environ(target.value):
            name = self._key(target.slice)
            if name is not None and is_reserved(name):
                self.ctx.report(LAMBDA_RESERVED_ENV, target, name=name)

    def _runtime_value(self, value: ast.expr) -> bool:
        """``os.environ["AWS_REGION"]``/``os.getenv("AWS_REGION")``: a runtime-set value."""
        key: ast.expr | None = None
        if isinstance(value, ast.Subscript) and self._is_environ(value.value):
            key = value.slice
        elif isinstance(value, ast.Call) and isinstance(value.func, (ast.Attribute, ast.Name)):
            func = value.func
            if (isinstance(func, ast.Attribute) and func.attr == "get"
                    and self._is_environ(func.value)) or self.model.qualname(func) == "os.getenv":
                key = call_arg(value, 0, "key")
        name = self._key(key) if key is not None else None
        return name is not None and is_reserved(name)

    def visit_Assign(self, node: ast.Assign) -> None:
        """``os.environ["AWS_REGION"] = ...`` (not a copy of another runtime variable)."""
        if self._active() and not self._runtime_value(node.value):
            for target in node.targets:
                self._check_target(target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        """``os.environ["AWS_LAMBDA_X"] += ...``."""
        if self._active():
            self._check_target(node.target)

    def visit_Delete(self, node: ast.Delete) -> None:
        """``del os.environ["AWS_SESSION_TOKEN"]``."""
        if self._active():
            for target in node.targets:
                self._check_target(target)

    def visit_Call(self, node: ast.Call) -> None:
        """``os.environ.update/setdefault/pop``, ``os.putenv``, ``os.unsetenv``."""
        func = node.func
        if not isinstance(func, (ast.Attribute, ast.Name)) or not self._active():
            return
        if isinstance(func, ast.Attribute) and func.attr in _ENVIRON_METHODS and (
            self._is_environ(func.value)
        ):
            if func.attr == "update":
                self._check_update(node)
                return
            name = self._key(call_arg(node, 0, "key"))
            if name is not None and is_reserved(name):
                self.ctx.report(LAMBDA_RESERVED_ENV, node, name=name)
            return
        if self.model.qualname(func) in ("os.putenv", "os.unsetenv"):
            name = self._key(call_arg(node, 0, "key"))
            if name is not None and is_reserved(name):
                self.ctx.report(LAMBDA_RESERVED_ENV, node, name=name)

    def _check_update(self, node: ast.Call) -> None:
        for kw in node.keywords:
            if kw.arg is not None and is_reserved(kw.arg):
                self.ctx.report(LAMBDA_RESERVED_ENV, kw.value, name=kw.arg)
        for arg in node.args[:1]:
            if not isinstance(arg, ast.Dict):
                continue
            for key in arg.keys:
                name = self._key(key)
                if key is not None and name is not None and is_reserved(name):
                    self.ctx.report(LAMBDA_RESERVED_ENV, key, name=name)


LAMBDA_RESERVED_ENV = Rule(
    code="AWSBP314",
    msgid="W7361",
    symbol="lambda-reserved-env-var-overwritten",
    message=(
        "reserved Lambda runtime variable '{name}' is changed; leave it to the runtime and "
        "use a variable name of your own"
    ),
    summary="Lambda reserved environment variable set or deleted in a handler module",
    guide_section="Lambda-Specific Best Practices › Resource Management",
    checker=ReservedEnvChecker,
    min_evidence=Evidence.LOW,
    aws_only=False,
    prefilter=_ENV_PREFILTER,
    options=("awsbp-lambda-handlers", "awsbp-lambda-heuristic"),
    docs=RuleDocs(
        what=(
            "In a module with a Lambda handler, finds `os.environ[NAME] = ...`, "
            "`del os.environ[NAME]`, `os.environ.update(...)`, `os.environ.setdefault(...)`, "
            "`os.environ.pop(...)`, `os.putenv(...)` and `os.unsetenv(...)` for the "
            "variables the Lambda runtime owns: `_HANDLER`, `_X_AMZN_TRACE_ID`, "
            "`AWS_REGION`, `AWS_DEFAULT_REGION`, `AWS_EXECUTION_ENV`, every `AWS_LAMBDA_*` "
            "name, `AWS_ACCESS_KEY`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, "
            "`AWS_SESSION_TOKEN`, `LAMBDA_TASK_ROOT` and `LAMBDA_RUNTIME_DIR`."
        ),
        why=(
            "Lambda sets these for every invocation: the execution role's rotating "
            "credentials, the region, the X-Ray trace header, the runtime API address. "
            "Overwriting them makes the SDK sign with stale or foreign credentials, talk to "
            "another region, or break tracing and the runtime loop; Lambda rejects them in "
            "function configuration for that reason. The guide's Resource Management "
            "section says to use environment variables for configuration: use names of "
            "your own. `setdefault` is reported too: in Lambda it never takes effect, so "
            "code relying on its value behaves differently there than locally.\n\n"
            "Test files (moto fixtures set `AWS_ACCESS_KEY_ID`) and modules without a "
            "handler are not reported."
        ),
        example=(
            "import os\n\n\n"
            "def handler(event, context):\n"
            "    os.environ[\"AWS_REGION\"] = event[\"region\"]\n"
            "    return {\"statusCode\": 200}\n"
        ),
        use_instead=(
            "import os\n\n\n"
            "def handler(event, context):\n"
            "    os.environ[\"TARGET_REGION\"] = event[\"region\"]\n"
            "    return {\"statusCode\": 200}\n"
        ),
        references=(
            "https://docs.aws.amazon.com/lambda/latest/dg/"
            "configuration-envvars.html#configuration-envvars-runtime",
        ),
    ),
)

RULES: tuple[Rule, ...] = (
    SECRET_LOGGED,
    WIRE_LOGGING,
    INSECURE_TRANSPORT,
    PUBLIC_S3_ACL,
    PUBLIC_ACCESS_BLOCK,
    PERMISSIVE_POLICY,
    SECRET_IN_CONFIG,
    NO_KMS_ENCRYPTION,
    NO_VERSIONING,
    PRESIGN_OVER_LIMIT,
    PRESIGN_TOO_LONG,
    LAMBDA_RESERVED_ENV,
)
