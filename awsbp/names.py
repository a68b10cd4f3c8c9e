"""Name knowledge: SDK modules, service names, stub types, receiver-name hints."""

from __future__ import annotations

import functools
import re

from awsbp.evidence import Evidence
from awsbp.values import AwsValue, Kind

#: Top-level modules whose import marks a file as AWS code.
AWS_SDK_MODULES = frozenset({"boto3", "botocore", "aioboto3", "aiobotocore", "moto"})

#: The import statement of an SDK or of SDK type stubs, from the start of its line.
_SDK_IMPORT_LINE = re.compile(
    r"(?:from[ \t]+(?:{m})\b|import[ \t][^#\n]*?(?<![\w.])(?:{m})\b)".format(
        m="boto3|botocore|aioboto3|aiobotocore|moto|mypy_boto3_?\\w*|types_boto3_?\\w*"
        "|types_aiobotocore_?\\w*|types_aioboto3_?\\w*"
    )
)


def imports_sdk(text: str) -> bool:
    """Whether the text has an import of an AWS SDK, moto or SDK type stubs, anywhere.

    Every ``boto``/``moto`` is looked at (with ``str.find``): the statement it sits in
    (backslash continuations and ``;`` are followed) must be an import of one of them.
    Without one the semantic model cannot resolve any SDK object, so the AWS-only rules
    have nothing to report. A file that does not mention boto or moto at all fails fast.
    """
    for word in ("boto", "moto"):
        position = text.find(word)
        while position != -1:
            if _in_import_statement(text, position):
                return True
            position = text.find(word, position + 1)
    return False


def _in_import_statement(text: str, position: int) -> bool:
    start = text.rfind("\n", 0, position) + 1
    # a backslash continuation: the statement starts on an earlier line
    while start >= 2 and text[start - 2] == "\\":
        start = text.rfind("\n", 0, start - 1) + 1
    end = text.find("\n", position)
    statement = text[start : len(text) if end == -1 else end]
    for part in statement.replace("\\\n", " ").split(";"):
        if _SDK_IMPORT_LINE.match(part.lstrip(" \t")):
            return True
    return False

#: Services with a boto3 resource interface (boto3's ``data/`` folder).
RESOURCE_SERVICES = frozenset(
    {"cloudformation", "cloudwatch", "dynamodb", "ec2", "glacier", "iam", "s3", "sns", "sqs"}
)

_FALLBACK_SERVICES = frozenset(
    {
        "s3", "ec2", "dynamodb", "lambda", "sqs", "sns", "iam", "sts", "kms", "logs",
        "cloudwatch", "secretsmanager", "ssm", "kinesis", "firehose", "events", "glue",
        "athena", "rds", "ecs", "ecr", "eks", "cloudformation", "route53", "stepfunctions",
        "apigateway", "cognito-idp", "sagemaker", "organizations", "glacier",
    }
)

#: Receiver-name tokens that abbreviate a service.
_ALIASES: dict[str, str] = {
    "ddb": "dynamodb",
    "dynamo": "dynamodb",
    "cw": "cloudwatch",
    "cwl": "logs",
    "sfn": "stepfunctions",
    "secrets": "secretsmanager",
    "awslambda": "lambda",
    "lambda": "lambda",
    "cfn": "cloudformation",
    "r53": "route53",
}
_KIND_TOKENS: dict[str, Kind] = {
    "client": Kind.CLIENT,
    "conn": Kind.CLIENT,
    "resource": Kind.RESOURCE,
    "res": Kind.RESOURCE,
}
_TABLE_NAMES = frozenset({"table", "ddb_table", "dynamodb_table", "dynamo_table"})


@functools.cache
def _service_names() -> frozenset[str]:
    try:
        from awsbp import botocore_data

        return botocore_data.service_names()
    except (ImportError, AttributeError, OSError, ValueError):
        return _FALLBACK_SERVICES


def is_known_service(name: str) -> bool:
    """Whether ``name`` is a service (or alias) botocore accepts."""
    return name in _service_names()


def value_for_stub_type(qualname: str) -> AwsValue | None:
    """Map a boto3-stubs/types-boto3/botocore type to an AWS value.

    ``mypy_boto3_s3.S3Client`` and ``types_boto3_s3.client.S3Client`` give
    CLIENT(s3); ``...ServiceResource`` gives RESOURCE; ``...Table`` TABLE;
    ``botocore.client.BaseClient`` gives CLIENT of unknown service.
    """
    if qualname in ("botocore.client.BaseClient",):
        return AwsValue(Kind.CLIENT, None, Evidence.HIGH)
    if qualname in ("boto3.Session", "boto3.session.Session"):
        return AwsValue(Kind.SESSION, None, Evidence.HIGH)
    root, _, rest = qualname.partition(".")
    for prefix in ("mypy_boto3_", "types_boto3_", "types_aiobotocore_", "types_aioboto3_"):
        if root.startswith(prefix):
            service = root[len(prefix):].replace("_", "-")
            is_async = "aio" in prefix
            break
    else:
        return None
    type_name = rest.rpartition(".")[2]
    if type_name.endswith("Client"):
        kind = Kind.CLIENT
    elif type_name.endswith("ServiceResource"):
        kind = Kind.RESOURCE
    elif type_name == "Table":
        kind = Kind.TABLE
    elif type_name == "Bucket":
        kind = Kind.BUCKET
    elif type_name.endswith("Paginator"):
        kind = Kind.PAGINATOR
    elif type_name.endswith("Waiter"):
        kind = Kind.WAITER
    else:
        return None
    return AwsValue(kind, service, Evidence.HIGH, is_async)


#: Service names distinctive enough to trust as a bare receiver name (``s3.put_object``).
_DISTINCTIVE = frozenset(
    {
        "s3", "ec2", "sqs", "sns", "dynamodb", "kms", "sts", "iam", "ssm", "secretsmanager",
        "cloudwatch", "kinesis", "firehose", "stepfunctions", "sagemaker", "athena", "glue",
        "rds", "ecs", "ecr", "eks", "lambda", "route53", "cloudformation", "cloudtrail",
        "cloudfront", "elbv2", "elb", "emr", "redshift", "efs", "ses", "sesv2", "acm",
        "apigateway", "apigatewayv2", "codebuild", "codepipeline", "codecommit", "dms",
        "elasticache", "guardduty", "inspector2", "kafka", "opensearch", "quicksight",
        "securityhub", "wafv2", "xray", "appsync", "autoscaling", "backup", "s3control",
    }
)


@functools.lru_cache(maxsize=4096)
def guess_from_identifier(ident: str) -> tuple[Kind, str] | None:
    """Guess (kind, service) from a receiver name such as ``s3_client`` or ``ddb``.

    A bare name must be a distinctive service name or alias (``s3``, ``ddb``); a
    name with a kind token (``events_client``, ``s3_resource``) may name any service.
    Common words that are also services (``events``, ``config``, ``logs``) alone are
    not trusted.
    """
    lowered = ident.lower().strip("_")
    if lowered in _TABLE_NAMES or lowered.endswith("_table"):
        return (Kind.TABLE, "dynamodb")
    tokens = [t for t in lowered.split("_") if t]
    if not tokens:
        return None
    kind: Kind | None = None
    service_tokens: list[str] = []
    for token in tokens:
        if token in _KIND_TOKENS and kind is None:
            kind = _KIND_TOKENS[token]
        else:
            service_tokens.append(token)
    if not service_tokens or len(service_tokens) > 2:
        return None
    joined = "".join(service_tokens)
    candidates = [joined, "-".join(service_tokens)]
    if joined in _ALIASES:
        candidates.insert(0, _ALIASES[joined])
    for candidate in candidates:
        if not is_known_service(candidate):
            continue
        if kind is None and candidate not in _DISTINCTIVE and joined not in _ALIASES:
            return None
        resolved = kind or Kind.CLIENT
        if resolved is Kind.RESOURCE and candidate not in RESOURCE_SERVICES:
            return None
        return (resolved, candidate)
    return None
