#!/usr/bin/env python3
"""Build the botocore knowledge snapshot shipped in ``awsbp/botocore_data``.

Usage::

    python scripts/build_botocore_snapshot.py [--out DIR] [--check]

The snapshot is generated from the *pinned* botocore (``botocore==X`` in the
``test`` extra of ``pyproject.toml``) and the matching boto3; the script refuses
to run (exit 2) against any other installed version, so the shipped data always
says exactly which botocore it describes.

``--check`` regenerates into a temporary directory and compares with the shipped
data (or ``--out``): exit 1 with the list of differing files when they differ.

Output is deterministic: sorted keys, compact separators, ASCII JSON, gzip with
``mtime=0`` and a fixed compression level. The file formats are described in
:mod:`awsbp.botocore_data` (``FORMAT_VERSION``); keep both in step.

This script is the only place that imports boto3/botocore; the loader never does.
"""

from __future__ import annotations

import argparse
import ast
import gzip
import inspect
import json
import re
import shutil
import sys
import tempfile
import textwrap
import warnings
import zlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = REPO_ROOT / "pyproject.toml"
DEFAULT_OUT = REPO_ROOT / "awsbp" / "botocore_data"
FORMAT_VERSION = 1
COMPRESSLEVEL = 9
INDEX_NAME = "index.json.gz"
SERVICES_DIR = "services"

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NAME = re.compile(r"[A-Za-z0-9_.\-]+")

Json = dict[str, Any]


class BuildError(Exception):
    """The installed botocore data does not fit what the snapshot format expects."""


# --------------------------------------------------------------------------- pins


def read_pins(pyproject: Path = PYPROJECT) -> dict[str, str]:
    """Return ``{package: version}`` for the ``==`` pins of the ``test`` extra."""
    text = pyproject.read_text(encoding="utf-8")
    if sys.version_info >= (3, 11):
        import tomllib

        extra = tomllib.loads(text)["project"]["optional-dependencies"]["test"]
        reqs = [str(r) for r in extra]
    else:  # Python 3.10: no tomllib; the pins are plain strings in a list
        block = re.search(r"(?ms)^test\s*=\s*\[(.*?)\]", text)
        reqs = re.findall(r'"([^"]+)"', block.group(1)) if block else []
    pins: dict[str, str] = {}
    for req in reqs:
        match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;,]+)\s*", req)
        if match:
            pins[match.group(1).lower()] = match.group(2)
    return pins


def check_versions(pins: Mapping[str, str]) -> str | None:
    """Return an error message unless the installed botocore/boto3 are the pinned ones.

    boto3 is pinned by ``boto3==X`` in the ``test`` extra when present, else it
    must carry the same version as the botocore pin (boto3 and botocore are
    released in lock-step with equal version numbers).
    """
    botocore_pin = pins.get("botocore")
    if botocore_pin is None:
        return f"no 'botocore==X' pin in the test extra of {PYPROJECT}"
    boto3_pin = pins.get("boto3", botocore_pin)
    try:
        import boto3  # type: ignore[import-untyped,unused-ignore]
        import botocore  # type: ignore[import-untyped,unused-ignore]
    except ImportError as exc:
        return (
            f"{exc.name} is not installed; run: "
            f'pip install "botocore=={botocore_pin}" "boto3=={boto3_pin}"'
        )
    problems = []
    if botocore.__version__ != botocore_pin:
        problems.append(f"botocore {botocore.__version__} is installed, the pin is {botocore_pin}")
    if boto3.__version__ != boto3_pin:
        problems.append(f"boto3 {boto3.__version__} is installed, the pin is {boto3_pin}")
    if problems:
        return (
            "; ".join(problems)
            + f'; run: pip install "botocore=={botocore_pin}" "boto3=={boto3_pin}"'
        )
    return None


# ------------------------------------------------------------------ small helpers


def _as_tuple(value: object, what: str) -> list[str]:
    """Normalise a paginator field (string, list of strings or absent) to a list."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise BuildError(f"unexpected {what}: {value!r}")


def _optional_str(value: object, what: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise BuildError(f"unexpected {what}: {value!r}")


def token_keys(expressions: Iterable[str]) -> list[str]:
    """Return the top-level response keys that JMESPath-ish token expressions read.

    ``"NextMarker || Contents[-1].Key"`` reads ``NextMarker`` and ``Contents``;
    ``"StreamDescription.Shards[-1].ShardId"`` reads ``StreamDescription``.
    """
    keys: list[str] = []
    for expression in expressions:
        for alternative in expression.split("||"):
            match = _IDENT.match(alternative.strip())
            if match is None:
                raise BuildError(f"cannot read the top-level key of {expression!r}")
            if match.group(0) not in keys:
                keys.append(match.group(0))
    return keys


def _joined(names: Iterable[str], what: str) -> str:
    """Join names with single spaces (the compact form the loader splits lazily)."""
    out = sorted(set(names))
    for name in out:
        if not _IDENT.fullmatch(name):
            raise BuildError(f"{what} name {name!r} cannot be space-joined")
    return " ".join(out)


def _qualname(obj: object) -> str:
    func = getattr(obj, "__func__", obj)
    module = getattr(func, "__module__", None) or "?"
    name = getattr(func, "__qualname__", None) or type(func).__qualname__
    return f"{module}.{name}"


def _tuple_assignments(func: Callable[..., object]) -> dict[str, list[str]]:
    """Return ``{name: [str, ...]}`` for ``name = ('a', 'b')`` statements in ``func``."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    found: dict[str, list[str]] = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Tuple | ast.List)
        ):
            values = [
                elt.value
                for elt in node.value.elts
                if isinstance(elt, ast.Constant) and isinstance(elt.value, str)
            ]
            if len(values) == len(node.value.elts):
                found[node.targets[0].id] = values
    return found


def _public_self_attributes(func: Callable[..., object]) -> set[str]:
    """Return the public ``self.x = ...`` attribute names assigned in ``func``."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            if (
                isinstance(node.value, ast.Name)
                and node.value.id == "self"
                and not node.attr.startswith("_")
            ):
                names.add(node.attr)
    return names


# ----------------------------------------------------------------- data gathering


def _loader() -> Any:
    """A botocore Loader that sees only botocore's own data (not ``~/.aws/models``)."""
    from botocore.loaders import Loader  # type: ignore[import-untyped,unused-ignore]

    return Loader(
        extra_search_paths=[Loader.BUILTIN_DATA_PATH],
        include_default_search_paths=False,
    )


def _load_optional(loader: Any, service: str, type_name: str, api_version: str) -> Json:
    from botocore.exceptions import DataNotFoundError  # type: ignore[import-untyped,unused-ignore]

    try:
        data: Json = loader.load_service_model(service, type_name, api_version)
    except DataNotFoundError:
        return {}
    return data


def build_service(loader: Any, name: str) -> tuple[Json, list[str], str]:
    """Return the per-service document, its snake_case operations and its service id."""
    from botocore import xform_name  # type: ignore[import-untyped,unused-ignore]
    from botocore.model import ServiceModel  # type: ignore[import-untyped,unused-ignore]

    api_version = loader.determine_latest_version(name, "service-2")
    model: Json = loader.load_service_model(name, "service-2", api_version)
    shapes: Json = model.get("shapes", {})
    operations: Json = {}
    snake_of: dict[str, str] = {}
    for op_name, op in model["operations"].items():
        snake = xform_name(op_name)
        if snake in operations:
            raise BuildError(f"{name}: two operations map to {snake!r}")
        snake_of[op_name] = snake
        members: Json = {}
        required: list[str] = []
        if "input" in op:
            shape = shapes[op["input"]["shape"]]
            members = shape.get("members", {})
            required = list(shape.get("required", []))
        deprecated_params = [m for m, spec in members.items() if spec.get("deprecated")]
        operations[snake] = [
            _joined(members, f"{name}.{op_name} parameter"),
            _joined(required, f"{name}.{op_name} required parameter"),
            1 if op.get("deprecated") else 0,
            _joined(deprecated_params, f"{name}.{op_name} deprecated parameter"),
        ]

    paginators: Json = {}
    pages = _load_optional(loader, name, "paginators-1", api_version)
    for op_name, config in pages.get("pagination", {}).items():
        if op_name not in snake_of:
            raise BuildError(f"{name}: paginator for unknown operation {op_name!r}")
        where = f"{name}.{op_name} paginator"
        output_token = _as_tuple(config.get("output_token"), f"{where} output_token")
        paginators[snake_of[op_name]] = {
            "input_token": _as_tuple(config.get("input_token"), f"{where} input_token"),
            "output_token": output_token,
            "output_token_keys": token_keys(output_token),
            "result_key": _as_tuple(config.get("result_key"), f"{where} result_key"),
            "limit_key": _optional_str(config.get("limit_key"), f"{where} limit_key"),
            "more_results": _optional_str(config.get("more_results"), f"{where} more_results"),
        }

    waiters: Json = {}
    waiter_data = _load_optional(loader, name, "waiters-2", api_version)
    for waiter_name, config in waiter_data.get("waiters", {}).items():
        op_name = config.get("operation")
        if op_name not in snake_of:
            raise BuildError(f"{name}: waiter {waiter_name!r} polls unknown {op_name!r}")
        waiters[xform_name(waiter_name)] = snake_of[op_name]

    exceptions = sorted(n for n, shape in shapes.items() if shape.get("exception"))
    document: Json = {
        "v": FORMAT_VERSION,
        "service": name,
        "api_version": api_version,
        "operations": operations,
        "paginators": paginators,
        "waiters": waiters,
        "exceptions": exceptions,
    }
    service_id = ServiceModel(model, service_name=name).service_id.hyphenize()
    return document, sorted(operations), service_id


def client_methods(
    operations: Mapping[str, list[str]], service_ids: Mapping[str, str]
) -> tuple[Json, Json, Json]:
    """Derive common, injected and removed client methods, with where each comes from.

    Mimics ``botocore.client.ClientCreator._create_client_class``: emit
    ``creating-client-class.<service id>`` on a boto3-wrapped botocore session
    (so botocore's built-in handlers and boto3's injections both run) with the
    modeled operations as class attributes, then compare what is left.
    """
    import boto3.session  # type: ignore[import-untyped,unused-ignore]
    import botocore.handlers  # type: ignore[import-untyped,unused-ignore]
    import botocore.session  # type: ignore[import-untyped,unused-ignore]
    from botocore.client import BaseClient  # type: ignore[import-untyped,unused-ignore]

    session = botocore.session.Session()
    boto3.session.Session(botocore_session=session)  # registers boto3's injections
    emitter = session.get_component("event_emitter")

    base_sources: dict[str, str] = {
        attr: f"botocore.client.BaseClient.{attr}"
        for attr in dir(BaseClient)
        if not attr.startswith("_")
    }
    for attr in _public_self_attributes(BaseClient.__init__):
        base_sources[attr] = f"botocore.client.BaseClient.__init__ (self.{attr})"

    sentinel = object()
    added: dict[str, dict[str, str]] = {}
    removed: dict[str, dict[str, str]] = {}
    for service, ops in operations.items():
        attributes: dict[str, object] = dict.fromkeys(ops, sentinel)
        bases: list[type] = [BaseClient]
        event = f"creating-client-class.{service_ids[service]}"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            emitter.emit(event, class_attributes=attributes, base_classes=bases)
        extra = {
            attr: _qualname(value)
            for attr, value in attributes.items()
            if value is not sentinel and not attr.startswith("_")
        }
        for base in bases[1:]:
            for attr in dir(base):
                if not attr.startswith("_") and attr not in base_sources:
                    extra.setdefault(attr, _qualname(base))
        added[service] = extra
        gone = sorted(set(ops) - set(attributes))
        if gone:
            handlers = [
                _qualname(entry[1])
                for entry in botocore.handlers.BUILTIN_HANDLERS
                if entry[0] == event
            ]
            source = ", ".join(handlers) or "unknown handler"
            removed[service] = {op: f"{source} ({event})" for op in gone}

    everywhere = set.intersection(*(set(v) for v in added.values())) if added else set()
    common: dict[str, str] = dict(base_sources)
    for attr in everywhere:
        sources = {added[s][attr] for s in added}
        common[attr] = " | ".join(sorted(sources)) + " (creating-client-class)"
    injected: Json = {}
    for service, extra in added.items():
        specific = {
            attr: f"{src} (creating-client-class.{service_ids[service]})"
            for attr, src in extra.items()
            if attr not in everywhere
        }
        if specific:
            injected[service] = specific
    clash = {(s, a) for s, m in injected.items() for a in m if a in operations[s]}
    if clash:
        raise BuildError(f"injected methods shadow operations: {sorted(clash)}")
    return dict(sorted(common.items())), injected, removed


def resource_services() -> list[str]:
    """Return the services with a boto3 resource interface (boto3's ``data/`` dir)."""
    import boto3  # type: ignore[import-untyped,unused-ignore]

    data = Path(boto3.__file__).resolve().parent / "data"
    return sorted(
        d.name for d in data.iterdir() if d.is_dir() and any(d.glob("*/resources-1.json"))
    )


def config_facts() -> Json:
    """Return botocore ``Config`` option names and the accepted retry keys and modes."""
    from botocore.config import Config  # type: ignore[import-untyped,unused-ignore]

    assigned = _tuple_assignments(Config._validate_retry_configuration)
    try:
        retry_keys, retry_modes = assigned["valid_options"], assigned["valid_modes"]
    except KeyError as exc:
        raise BuildError(f"Config._validate_retry_configuration has no {exc}") from None
    return {
        "config_options": sorted(Config.OPTION_DEFAULTS),
        "retry_keys": sorted(retry_keys),
        "retry_modes": sorted(retry_modes),
    }


def build(out: Path) -> None:
    """Generate the whole snapshot into ``out`` (created; stale service files removed)."""
    import boto3  # type: ignore[import-untyped,unused-ignore]
    import botocore  # type: ignore[import-untyped,unused-ignore]
    from botocore.utils import SERVICE_NAME_ALIASES  # type: ignore[import-untyped,unused-ignore]

    loader = _loader()
    names = sorted(loader.list_available_services("service-2"))
    documents: dict[str, Json] = {}
    operations: dict[str, list[str]] = {}
    service_ids: dict[str, str] = {}
    for name in names:
        if not _NAME.fullmatch(name):
            raise BuildError(f"service name {name!r} is not a safe file name")
        documents[name], operations[name], service_ids[name] = build_service(loader, name)

    aliases = {a: c for a, c in SERVICE_NAME_ALIASES.items() if c in documents}
    common, injected, removed = client_methods(operations, service_ids)
    index: Json = {
        "v": FORMAT_VERSION,
        "botocore_version": botocore.__version__,
        "boto3_version": boto3.__version__,
        "services": {n: " ".join(ops) for n, ops in operations.items()},
        "aliases": dict(sorted(aliases.items())),
        "resource_services": resource_services(),
        "common_client_methods": common,
        "injected_methods": injected,
        "removed_methods": removed,
        **config_facts(),
    }

    services_dir = out / SERVICES_DIR
    services_dir.mkdir(parents=True, exist_ok=True)
    _write(out / INDEX_NAME, index)
    wanted = {f"{name}.json.gz" for name in documents}
    for stale in services_dir.glob("*.json.gz"):
        if stale.name not in wanted:
            stale.unlink()
    for name, document in documents.items():
        _write(services_dir / f"{name}.json.gz", document)


def encode(document: Json) -> bytes:
    """Serialise deterministically: sorted keys, compact, ASCII, gzip with ``mtime=0``."""
    raw = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return gzip.compress(raw.encode("ascii"), compresslevel=COMPRESSLEVEL, mtime=0)


def _write(path: Path, document: Json) -> None:
    data = encode(document)
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


# ------------------------------------------------------------------------- check


def _snapshot_files(root: Path) -> set[str]:
    files = {INDEX_NAME} if (root / INDEX_NAME).exists() else set()
    files.update(f"{SERVICES_DIR}/{p.name}" for p in (root / SERVICES_DIR).glob("*.json.gz"))
    return files


def compare(expected: Path, actual: Path) -> tuple[list[str], list[str]]:
    """Compare two snapshot trees.

    Returns ``(differing, bytes_only)``: files whose content differs (missing,
    extra or other JSON), and files whose JSON is equal but whose compressed bytes
    differ (a different zlib build; harmless, reported as a note).
    """
    differing: list[str] = []
    bytes_only: list[str] = []
    want, have = _snapshot_files(expected), _snapshot_files(actual)
    differing.extend(f"{f} (missing)" for f in sorted(want - have))
    differing.extend(f"{f} (not generated: stale)" for f in sorted(have - want))
    for name in sorted(want & have):
        a, b = (expected / name).read_bytes(), (actual / name).read_bytes()
        if a == b:
            continue
        try:
            same = zlib.decompress(a, 31) == zlib.decompress(b, 31)
        except zlib.error:
            same = False
        (bytes_only if same else differing).append(name)
    return differing, bytes_only


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="snapshot directory")
    parser.add_argument(
        "--check", action="store_true", help="verify the snapshot in --out is up to date"
    )
    args = parser.parse_args(argv)

    problem = check_versions(read_pins())
    if problem:
        print(f"build_botocore_snapshot: refusing to run: {problem}", file=sys.stderr)
        return 2
    out: Path = args.out
    try:
        if not args.check:
            build(out)
            print(f"wrote {len(_snapshot_files(out))} files to {out}")
            return 0
        tmp = Path(tempfile.mkdtemp(prefix="awsbp-snapshot-"))
        try:
            build(tmp)
            differing, bytes_only = compare(tmp, out)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    except BuildError as exc:
        print(f"build_botocore_snapshot: {exc}", file=sys.stderr)
        return 2
    for name in bytes_only:
        print(f"note: {name}: same data, different gzip bytes (zlib build)", file=sys.stderr)
    if differing:
        print(f"botocore snapshot in {out} is out of date; differing files:")
        for name in differing:
            print(f"  {name}")
        print("regenerate with: python scripts/build_botocore_snapshot.py")
        return 1
    print(f"botocore snapshot in {out} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
