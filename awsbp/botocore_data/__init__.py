"""botocore knowledge shipped with awsbp: a generated snapshot and its lazy loader.

awsbp never imports boto3 or botocore at lint time. Instead
``scripts/build_botocore_snapshot.py`` generates, from the pinned botocore and
boto3, ``index.json.gz`` (loaded once per process, on first use) and one
``services/<name>.json.gz`` per service (loaded only for the services a linted
file uses; see :mod:`awsbp.botocore_data.model` for that format).

The index (format version 1) holds::

    {"v": 1, "botocore_version": "1.43.11", "boto3_version": "1.43.11",
     "services": {"s3": "abort_multipart_upload complete_multipart_upload ...", ...},
     "aliases": {"runtime.sagemaker": "sagemaker-runtime"},
     "resource_services": ["cloudformation", ...],
     "config_options": [...], "retry_keys": [...], "retry_modes": [...],
     "common_client_methods": {"can_paginate": "<where it comes from>", ...},
     "injected_methods": {"s3": {"upload_file": "<where it comes from>", ...}, ...},
     "removed_methods": {"qbusiness": {"chat": "<handler that deletes it>"}, ...}}

Per-service operation lists are space-joined strings split only when needed.
"""

from __future__ import annotations

import functools
import json
import zlib
from collections.abc import Mapping
from importlib import resources
from typing import Any

from awsbp.botocore_data.model import OperationModel, PaginatorModel, ServiceModel, closest

__all__ = [
    "FORMAT_VERSION",
    "BotocoreDataError",
    "OperationModel",
    "PaginatorModel",
    "ServiceModel",
    "botocore_version",
    "canonical_service",
    "closest_service",
    "common_client_methods",
    "config_options",
    "injected_methods",
    "resource_services",
    "retry_keys",
    "retry_modes",
    "service",
    "service_names",
    "services_with_operation",
]

FORMAT_VERSION = 1
"""Version of the snapshot file formats this loader reads."""

_SERVICE_CACHE_SIZE = 64


class BotocoreDataError(RuntimeError):
    """The shipped snapshot is missing or unreadable (a broken awsbp install)."""


class _Index:
    """The decoded index (a plain slotted class: cheaper to define than a dataclass)."""

    __slots__ = (
        "aliases",
        "botocore_version",
        "common_client_methods",
        "config_options",
        "injected_methods",
        "operations",
        "removed_methods",
        "resource_services",
        "retry_keys",
        "retry_modes",
    )

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.botocore_version = str(raw["botocore_version"])
        self.operations: Mapping[str, str] = raw["services"]
        self.aliases: Mapping[str, str] = raw["aliases"]
        self.resource_services = frozenset[str](raw["resource_services"])
        self.config_options = frozenset[str](raw["config_options"])
        self.retry_keys = frozenset[str](raw["retry_keys"])
        self.retry_modes = frozenset[str](raw["retry_modes"])
        self.common_client_methods = frozenset[str](raw["common_client_methods"])
        self.injected_methods: Mapping[str, frozenset[str]] = {
            s: frozenset(m) for s, m in raw["injected_methods"].items()
        }
        self.removed_methods: Mapping[str, frozenset[str]] = {
            s: frozenset(m) for s, m in raw["removed_methods"].items()
        }


@functools.lru_cache(maxsize=1)
def _package_files() -> Any:
    """The package's resources, found once (a lookup costs as much as a small read)."""
    return resources.files(__name__)


def _read(relative: str) -> Any:
    """Decode one gzipped JSON resource of this package."""
    try:
        data = _package_files().joinpath(relative).read_bytes()
        document = json.loads(zlib.decompress(data, 31))  # 31: gzip container
    except (OSError, ValueError, zlib.error) as exc:
        raise BotocoreDataError(f"awsbp botocore data {relative!r} is unreadable: {exc}") from exc
    if not isinstance(document, dict) or document.get("v") != FORMAT_VERSION:
        raise BotocoreDataError(
            f"awsbp botocore data {relative!r} is not format version {FORMAT_VERSION}"
        )
    return document


@functools.cache
def _index() -> _Index:
    return _Index(_read("index.json.gz"))


def botocore_version() -> str:
    """Return the botocore version the snapshot was generated from."""
    return _index().botocore_version


@functools.cache
def service_names() -> frozenset[str]:
    """Return every service name ``boto3.client()`` accepts: canonical names and aliases."""
    index = _index()
    return frozenset(index.operations) | frozenset(index.aliases)


def canonical_service(name: str) -> str | None:
    """Map a canonical name or alias (``runtime.sagemaker``) to the canonical name."""
    index = _index()
    if name in index.operations:
        return name
    return index.aliases.get(name)


def closest_service(name: str) -> str | None:
    """Suggest the known service name closest to ``name`` (for messages), or None."""
    return closest(name, service_names())


def resource_services() -> frozenset[str]:
    """Return the services that have a boto3 resource interface (``boto3.resource``)."""
    return _index().resource_services


@functools.lru_cache(maxsize=512)
def services_with_operation(op: str) -> frozenset[str]:
    """Return the canonical services whose clients have the snake_case operation ``op``.

    Found by scanning each service's operation string (a C-speed substring test
    first): rules ask about a handful of operations per run, and an index of all
    15,000 would cost more to build than every question asked.
    """
    index = _index()
    return frozenset(
        name
        for name, joined in index.operations.items()
        if op in joined
        and op in joined.split()
        and op not in index.removed_methods.get(name, frozenset())
    )


def config_options() -> frozenset[str]:
    """Return the keyword arguments ``botocore.config.Config`` accepts."""
    return _index().config_options


def retry_keys() -> frozenset[str]:
    """Return the keys accepted in ``Config(retries={...})``."""
    return _index().retry_keys


def retry_modes() -> frozenset[str]:
    """Return the accepted values of ``Config(retries={"mode": ...})``."""
    return _index().retry_modes


def common_client_methods() -> frozenset[str]:
    """Return the non-operation members every client has (``get_paginator``, ``meta``...)."""
    return _index().common_client_methods


def injected_methods(service: str) -> frozenset[str]:
    """Return the methods boto3/botocore add to one service's client (``upload_file``...)."""
    canonical = canonical_service(service)
    if canonical is None:
        return frozenset()
    return _index().injected_methods.get(canonical, frozenset())


def service(name: str) -> ServiceModel | None:
    """Return the model of service ``name`` (alias or canonical), or None if unknown."""
    canonical = canonical_service(name)
    return None if canonical is None else _load_service(canonical)


@functools.lru_cache(maxsize=_SERVICE_CACHE_SIZE)
def _load_service(canonical: str) -> ServiceModel:
    index = _index()
    document = _read(f"services/{canonical}.json.gz")
    return ServiceModel(
        document,
        extra_methods=index.common_client_methods | injected_methods(canonical),
        removed=index.removed_methods.get(canonical, frozenset()),
    )
