"""Typed views of one service's botocore facts, decoded lazily from the snapshot.

A per-service file (``services/<name>.json.gz``, format version 1) holds::

    {"v": 1, "service": "s3", "api_version": "2006-03-01",
     "operations": {"put_object": ["ACL Body Bucket ...", "Bucket Key", 0, ""], ...},
     "paginators": {"list_objects_v2": {"input_token": [...], "output_token": [...],
                    "output_token_keys": [...], "result_key": [...],
                    "limit_key": "MaxKeys" | null, "more_results": str | null}, ...},
     "waiters": {"bucket_exists": "head_bucket", ...},
     "exceptions": ["NoSuchBucket", ...]}

Each operation is ``[params, required, deprecated, deprecated_params]`` where the
three name lists are single-space-joined strings (parameter names are
identifiers), so ``json.loads`` creates few objects; :meth:`ServiceModel.operation`
splits them on first use.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from types import MappingProxyType
from typing import Any

from awsbp.valueobject import ValueObject

__all__ = ["OperationModel", "PaginatorModel", "ServiceModel", "closest"]

_CUTOFF = 0.6


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """Return the candidate most similar to ``name`` (case-insensitive), if any is close.

    difflib is imported with this module, never lazily while a file is linted (a lazy
    import could pick up a ``difflib.py`` of the project being checked).
    """
    by_lower: dict[str, str] = {}
    for candidate in sorted(candidates):
        by_lower.setdefault(candidate.lower(), candidate)
    matches = difflib.get_close_matches(name.lower(), by_lower, n=1, cutoff=_CUTOFF)
    return by_lower[matches[0]] if matches else None


#: Joins an operation's four raw fields into one string (no field holds it).
_SEP = "\x1f"


def _names(joined: str) -> frozenset[str]:
    return frozenset(joined.split()) if joined else frozenset()


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(value) if value else ()  # the snapshot's lists hold strings only


class OperationModel(ValueObject):
    """One client operation: its snake_case name and its input parameters.

    Immutable (never assigned after construction); compares and hashes by value.
    """

    __slots__ = ("deprecated", "deprecated_params", "name", "params", "required")

    name: str
    """snake_case method name, e.g. ``put_object``."""
    params: frozenset[str]
    """Names of all input parameters (members of the input shape)."""
    required: frozenset[str]
    """Names of the required input parameters."""
    deprecated: bool
    """The operation itself is marked deprecated."""
    deprecated_params: frozenset[str]
    """Input parameters marked deprecated."""

    def __init__(
        self,
        name: str,
        params: frozenset[str],
        required: frozenset[str],
        deprecated: bool,
        deprecated_params: frozenset[str],
    ) -> None:
        self.name = name
        self.params = params
        self.required = required
        self.deprecated = deprecated
        self.deprecated_params = deprecated_params

    def _key(self) -> tuple[str, frozenset[str], frozenset[str], bool, frozenset[str]]:
        return (self.name, self.params, self.required, self.deprecated, self.deprecated_params)


class PaginatorModel(ValueObject):
    """How an operation paginates (``paginators-1.json`` with the SDK extras merged).

    Immutable (never assigned after construction); compares and hashes by value.
    """

    __slots__ = (
        "input_token",
        "limit_key",
        "more_results",
        "operation",
        "output_token",
        "output_token_keys",
        "result_key",
    )

    operation: str
    """snake_case operation the paginator drives."""
    input_token: tuple[str, ...]
    """Request parameters that carry the continuation token(s)."""
    output_token: tuple[str, ...]
    """Raw output token expressions, e.g. ``NextMarker || Contents[-1].Key``."""
    output_token_keys: tuple[str, ...]
    """Top-level response keys that the output token expressions read."""
    result_key: tuple[str, ...]
    """Response keys (possibly dotted) holding the paginated results."""
    limit_key: str | None
    """Request parameter limiting the page size, if any."""
    more_results: str | None
    """Response key telling whether more results exist, if any."""

    def __init__(
        self,
        operation: str,
        input_token: tuple[str, ...],
        output_token: tuple[str, ...],
        output_token_keys: tuple[str, ...],
        result_key: tuple[str, ...],
        limit_key: str | None,
        more_results: str | None,
    ) -> None:
        self.operation = operation
        self.input_token = input_token
        self.output_token = output_token
        self.output_token_keys = output_token_keys
        self.result_key = result_key
        self.limit_key = limit_key
        self.more_results = more_results

    def _key(
        self,
    ) -> tuple[
        str, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], str | None,
        str | None,
    ]:
        return (
            self.operation,
            self.input_token,
            self.output_token,
            self.output_token_keys,
            self.result_key,
            self.limit_key,
            self.more_results,
        )



#: Separates the items of one paginator field (no item holds it).
_ITEM_SEP = "\x1e"
#: Stands for a missing optional field (``limit_key``, ``more_results``).
_NONE = "\x00"


def _encode_paginator(spec: Mapping[str, Any]) -> str:
    """One paginator spec as a single string (strings are never tracked by the GC)."""
    lists = [
        _ITEM_SEP.join(_strings(spec.get(key)))
        for key in ("input_token", "output_token", "output_token_keys", "result_key")
    ]
    optionals = [
        _NONE if spec.get(key) is None else str(spec[key])
        for key in ("limit_key", "more_results")
    ]
    return _SEP.join(lists + optionals)


def _items(joined: str) -> tuple[str, ...]:
    return tuple(joined.split(_ITEM_SEP)) if joined else ()


class _Paginators(Mapping[str, PaginatorModel]):
    """snake_case operation -> :class:`PaginatorModel`, decoded on lookup.

    Most services' paginators are never looked at in a run: keeping them as strings in
    a dict of strings keeps a few thousand objects out of the host's garbage
    collections.
    """

    __slots__ = ("_decoded", "_raw")

    def __init__(self, raw: dict[str, str]) -> None:
        self._raw = raw
        self._decoded: dict[str, PaginatorModel] = {}

    def __getitem__(self, op: str) -> PaginatorModel:
        model = self._decoded.get(op)
        if model is None:
            fields = self._raw[op].split(_SEP)
            model = PaginatorModel(
                operation=op,
                input_token=_items(fields[0]),
                output_token=_items(fields[1]),
                output_token_keys=_items(fields[2]),
                result_key=_items(fields[3]),
                limit_key=None if fields[4] == _NONE else fields[4],
                more_results=None if fields[5] == _NONE else fields[5],
            )
            self._decoded[op] = model
        return model

    def __contains__(self, op: object) -> bool:
        return op in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


class ServiceModel:
    """What awsbp knows about one botocore service (one per-service snapshot file).

    Attributes:
        name: canonical service name, e.g. ``s3``.
        api_version: the botocore API version the data comes from.
        operations: snake_case operations the client has as methods (modeled
            operations that botocore removes from the client class, such as
            ``qbusiness.chat``, are left out; see ``removed``).
        removed: modeled operations botocore deletes from the client class.
        paginators: snake_case operation -> its :class:`PaginatorModel`.
        waiters: snake_case waiter name -> snake_case operation it polls.
        exceptions: modeled exception shape names (``client.exceptions.X``).
        extra_methods: non-operation client methods (common to every client
            plus those injected into this one).

    """

    __slots__ = (
        "_cache",
        "_raw_operations",
        "api_version",
        "exceptions",
        "extra_methods",
        "name",
        "operations",
        "paginators",
        "removed",
        "waiters",
    )

    name: str
    api_version: str
    operations: AbstractSet[str]
    removed: frozenset[str]
    paginators: Mapping[str, PaginatorModel]
    waiters: Mapping[str, str]
    exceptions: AbstractSet[str]
    extra_methods: frozenset[str]

    def __init__(
        self,
        document: Mapping[str, Any],
        *,
        extra_methods: frozenset[str] = frozenset(),
        removed: frozenset[str] = frozenset(),
    ) -> None:
        """Build the model from a decoded per-service document."""
        self.name = str(document["service"])
        self.api_version = str(document.get("api_version", ""))
        # Dicts of strings only: the garbage collector never tracks them, so what a run
        # loads does not lengthen the host linter's full collections.
        raw_operations: dict[str, str] = {
            op: _SEP.join((params, required, "1" if deprecated else "", deprecated_params))
            for op, (params, required, deprecated, deprecated_params)
            in document["operations"].items()
            if op not in removed
        }
        self._raw_operations = raw_operations
        self._cache: dict[str, OperationModel] = {}
        self.operations = raw_operations.keys()
        self.removed = frozenset(removed)
        self.paginators = _Paginators(
            {
                op: _encode_paginator(spec)
                for op, spec in document.get("paginators", {}).items()
                if op in raw_operations
            }
        )
        self.waiters = MappingProxyType(
            {
                str(waiter): str(op)
                for waiter, op in document.get("waiters", {}).items()
                if op in raw_operations
            }
        )
        self.exceptions = dict.fromkeys(document.get("exceptions", ())).keys()
        self.extra_methods = frozenset(extra_methods)

    def __repr__(self) -> str:
        return f"ServiceModel({self.name!r}, {len(self.operations)} operations)"

    def operation(self, name: str) -> OperationModel | None:
        """Return the snake_case operation ``name``, or None if the client lacks it."""
        cached = self._cache.get(name)
        if cached is not None:
            return cached
        raw = self._raw_operations.get(name)
        if raw is None:
            return None
        params, required, deprecated, deprecated_params = raw.split(_SEP)
        model = OperationModel(
            name=name,
            params=_names(params),
            required=_names(required),
            deprecated=bool(deprecated),
            deprecated_params=_names(deprecated_params),
        )
        self._cache[name] = model
        return model

    def has_method(self, name: str) -> bool:
        """Whether a client of this service has ``name`` (operation or other method)."""
        return name in self.operations or name in self.extra_methods

    def closest_operation(self, name: str) -> str | None:
        """Suggest the client method closest to ``name`` (operations and other methods)."""
        return closest(name, self.operations | self.extra_methods)

    def closest_waiter(self, name: str) -> str | None:
        """Suggest the waiter name closest to ``name``."""
        return closest(name, self.waiters)
