"""What the semantic model knows about an expression: an AWS SDK value of some kind."""

from __future__ import annotations

import ast
import enum
from dataclasses import dataclass, replace

from awsbp.evidence import Evidence


class Kind(enum.Enum):
    """Kinds of AWS SDK objects the model tracks."""

    CLIENT = "client"
    RESOURCE = "resource"
    SESSION = "session"
    BOTOCORE_SESSION = "botocore-session"
    TABLE = "table"
    BUCKET = "bucket"
    OBJECT = "object"
    PAGINATOR = "paginator"
    WAITER = "waiter"
    CONFIG = "config"


#: Kinds created by a factory call that opens connections (the "expensive" ones).
FACTORY_KINDS = frozenset({Kind.CLIENT, Kind.RESOURCE, Kind.SESSION, Kind.BOTOCORE_SESSION})


@dataclass(frozen=True)
class AwsValue:
    """An AWS SDK object: its kind, service, how sure we are, and where it came from.

    ``service`` is the service name as written (``"s3"``), or ``None`` when unknown.
    ``default_session`` is true for ``boto3.client``/``boto3.resource``, which use
    boto3's shared default session. ``origin`` is the creating call, when known.
    """

    kind: Kind
    service: str | None = None
    evidence: Evidence = Evidence.HIGH
    is_async: bool = False
    default_session: bool = False
    origin: ast.Call | None = None
    detail: str | None = None

    def weaker(self, evidence: Evidence) -> AwsValue:
        """The same value with evidence capped at ``evidence``."""
        if self.evidence <= evidence:
            return self
        return replace(self, evidence=evidence)
