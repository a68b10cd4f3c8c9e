"""What the semantic model knows about an expression: an AWS SDK value of some kind."""

from __future__ import annotations

import ast
import enum

from awsbp.evidence import Evidence
from awsbp.valueobject import ValueObject


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


class AwsValue(ValueObject):
    """An AWS SDK object: its kind, service, how sure we are, and where it came from.

    ``service`` is the service name as written (``"s3"``), or ``None`` when unknown.
    ``default_session`` is true for ``boto3.client``/``boto3.resource``, which use
    boto3's shared default session. ``origin`` is the creating call, when known.

    Immutable: never assign to an attribute after construction (values are shared, e.g.
    by caches); derive a changed copy with :meth:`with_evidence` or :meth:`with_async`.
    Compares and hashes by value (``origin`` by identity, as ``ast`` nodes do).
    """

    __slots__ = (
        "default_session",
        "detail",
        "evidence",
        "is_async",
        "kind",
        "origin",
        "service",
    )

    kind: Kind
    service: str | None
    evidence: Evidence
    is_async: bool
    default_session: bool
    origin: ast.Call | None
    detail: str | None

    def __init__(
        self,
        kind: Kind,
        service: str | None = None,
        evidence: Evidence = Evidence.HIGH,
        is_async: bool = False,
        default_session: bool = False,
        origin: ast.Call | None = None,
        detail: str | None = None,
    ) -> None:
        self.kind = kind
        self.service = service
        self.evidence = evidence
        self.is_async = is_async
        self.default_session = default_session
        self.origin = origin
        self.detail = detail

    def _key(
        self,
    ) -> tuple[Kind, str | None, Evidence, bool, bool, ast.Call | None, str | None]:
        return (
            self.kind,
            self.service,
            self.evidence,
            self.is_async,
            self.default_session,
            self.origin,
            self.detail,
        )

    def __repr__(self) -> str:
        extra = "".join(
            f", {name}={value!r}"
            for name, value in (
                ("is_async", self.is_async),
                ("default_session", self.default_session),
                ("origin", self.origin),
                ("detail", self.detail),
            )
            if value
        )
        return f"AwsValue({self.kind.name}, {self.service!r}, {self.evidence.name}{extra})"

    def weaker(self, evidence: Evidence) -> AwsValue:
        """The same value with evidence capped at ``evidence``."""
        if self.evidence <= evidence:
            return self
        return self.with_evidence(evidence)

    def with_evidence(self, evidence: Evidence) -> AwsValue:
        """The same value with evidence set to ``evidence``."""
        return AwsValue(
            self.kind, self.service, evidence, self.is_async, self.default_session,
            self.origin, self.detail,
        )

    def with_async(self, is_async: bool) -> AwsValue:
        """The same value with ``is_async`` set."""
        return AwsValue(
            self.kind, self.service, self.evidence, is_async, self.default_session,
            self.origin, self.detail,
        )
