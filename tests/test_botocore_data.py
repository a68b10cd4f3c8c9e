"""Tests of the shipped botocore snapshot, its loader and its builder."""

from __future__ import annotations

import gzip
import importlib.util
import io
import json
import shutil
import subprocess
import sys
import textwrap
from contextlib import redirect_stdout
from pathlib import Path
from types import ModuleType

import pytest

import awsbp.botocore_data as data

ROOT = Path(__file__).resolve().parent.parent
BUILDER_PATH = ROOT / "scripts" / "build_botocore_snapshot.py"
SHIPPED = ROOT / "awsbp" / "botocore_data"


def _load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_botocore_snapshot", BUILDER_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


builder = _load_builder()
PINS = builder.read_pins()


def _pinned_sdk_problem() -> str | None:
    """Why the installed SDK cannot regenerate the snapshot, or None if it can."""
    return builder.check_versions(PINS)


# ------------------------------------------------------------------ snapshot vs pin


def test_snapshot_is_for_the_pinned_botocore():
    assert data.botocore_version() == PINS["botocore"]


def test_shipped_snapshot_matches_the_pinned_botocore():
    problem = _pinned_sdk_problem()
    if problem:
        pytest.skip(f"cannot regenerate the botocore snapshot here: {problem}")
    result = subprocess.run(
        [sys.executable, str(BUILDER_PATH), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, (
        "shipped botocore snapshot differs from what the pinned botocore generates "
        "(run: python scripts/build_botocore_snapshot.py)\n" + result.stdout + result.stderr
    )


def test_builder_refuses_other_botocore_versions(monkeypatch, capsys):
    monkeypatch.setattr(builder, "read_pins", lambda: {"botocore": "0.0.1"})
    assert builder.main(["--check"]) == 2
    assert "refusing to run" in capsys.readouterr().err
    message = builder.check_versions({"botocore": "0.0.1"})
    assert message is not None and "0.0.1" in message


def test_builder_reads_the_pin_from_pyproject():
    assert PINS["botocore"].count(".") == 2


def test_compare_reports_changed_missing_and_stale_files(tmp_path):
    copy = tmp_path / "snapshot"
    shutil.copytree(SHIPPED / "services", copy / "services")
    shutil.copy(SHIPPED / "index.json.gz", copy / "index.json.gz")
    assert builder.compare(SHIPPED, copy) == ([], [])

    (copy / "services" / "sqs.json.gz").write_bytes(
        builder.encode({"v": 1, "service": "sqs", "operations": {}})
    )
    (copy / "services" / "s3.json.gz").unlink()
    (copy / "services" / "zzz.json.gz").write_bytes(builder.encode({"v": 1}))
    raw = gzip.decompress((SHIPPED / "index.json.gz").read_bytes())
    (copy / "index.json.gz").write_bytes(gzip.compress(raw, compresslevel=1, mtime=0))

    differing, bytes_only = builder.compare(SHIPPED, copy)
    assert differing == [
        "services/s3.json.gz (missing)",
        "services/zzz.json.gz (not generated: stale)",
        "services/sqs.json.gz",
    ]
    assert bytes_only == ["index.json.gz"]


def test_check_exit_status_and_listing(tmp_path, monkeypatch):
    """``--check`` exits 1 and lists the files when they differ (build stubbed out)."""
    monkeypatch.setattr(builder, "check_versions", lambda pins: None)

    def fake_build(out: Path) -> None:
        (out / "services").mkdir(parents=True, exist_ok=True)
        (out / "index.json.gz").write_bytes(builder.encode({"v": 1, "x": 1}))

    monkeypatch.setattr(builder, "build", fake_build)
    shipped = tmp_path / "shipped"
    fake_build(shipped)
    out = io.StringIO()
    with redirect_stdout(out):
        assert builder.main(["--check", "--out", str(shipped)]) == 0
    (shipped / "index.json.gz").write_bytes(builder.encode({"v": 1, "x": 2}))
    out = io.StringIO()
    with redirect_stdout(out):
        assert builder.main(["--check", "--out", str(shipped)]) == 1
    assert "index.json.gz" in out.getvalue()


def test_encoding_is_deterministic():
    document = {"b": [1, 2], "a": {"z": None, "y": "x"}}
    first = builder.encode(document)
    assert first == builder.encode(dict(reversed(list(document.items()))))
    assert first[4:8] == b"\0\0\0\0"  # gzip MTIME field
    assert gzip.decompress(first) == b'{"a":{"y":"x","z":null},"b":[1,2]}'


def test_token_keys():
    assert builder.token_keys(["NextMarker || Contents[-1].Key"]) == ["NextMarker", "Contents"]
    assert builder.token_keys(["StreamDescription.Shards[-1].ShardId"]) == ["StreamDescription"]
    assert builder.token_keys(["A", "B", "A"]) == ["A", "B"]
    with pytest.raises(builder.BuildError):
        builder.token_keys(["[0].x"])


# ------------------------------------------------------------------- known facts


def test_s3_list_objects_v2_paginator():
    s3 = data.service("s3")
    assert s3 is not None
    paginator = s3.paginators["list_objects_v2"]
    assert paginator.operation == "list_objects_v2"
    assert paginator.input_token == ("ContinuationToken",)
    assert paginator.output_token == ("NextContinuationToken",)
    assert paginator.limit_key == "MaxKeys"
    assert "Contents" in paginator.result_key


def test_s3_list_objects_paginator_keeps_raw_and_top_level_tokens():
    s3 = data.service("s3")
    assert s3 is not None
    paginator = s3.paginators["list_objects"]
    assert paginator.output_token == ("NextMarker || Contents[-1].Key",)
    assert paginator.output_token_keys == ("NextMarker", "Contents")
    assert paginator.more_results == "IsTruncated"


def test_dynamodb_waiter_and_scan_paginator():
    dynamodb = data.service("dynamodb")
    assert dynamodb is not None
    assert dynamodb.waiters["table_exists"] == "describe_table"
    scan = dynamodb.paginators["scan"]
    assert scan.input_token == ("ExclusiveStartKey",)
    assert scan.output_token == ("LastEvaluatedKey",)
    assert scan.output_token_keys == ("LastEvaluatedKey",)
    assert scan.more_results is None


def test_every_paginator_decodes_to_its_snapshot_spec():
    """Paginators are kept as joined strings until looked up; the round trip is exact."""
    checked = 0
    for name in sorted(data.service_names()):
        canonical = data.canonical_service(name)
        assert canonical is not None
        document = data._read(f"services/{canonical}.json.gz")
        service = data.service(canonical)
        assert service is not None
        specs = {
            op: spec for op, spec in document.get("paginators", {}).items()
            if op in service.operations
        }
        assert sorted(service.paginators) == sorted(specs)
        for op, spec in specs.items():
            model = service.paginators[op]
            assert model.operation == op
            for key in ("input_token", "output_token", "output_token_keys", "result_key"):
                assert getattr(model, key) == tuple(spec.get(key) or ()), (name, op, key)
            for key in ("limit_key", "more_results"):
                assert getattr(model, key) == spec.get(key), (name, op, key)
            assert service.paginators.get(op) is model
            checked += 1
    assert checked > 1000
    s3 = data.service("s3")
    assert s3 is not None
    assert "no_such_operation" not in s3.paginators
    assert s3.paginators.get("no_such_operation") is None


def test_s3_waiters_are_snake_case():
    s3 = data.service("s3")
    assert s3 is not None
    assert s3.waiters["bucket_exists"] == "head_bucket"
    assert s3.closest_waiter("bucket_exist") == "bucket_exists"
    assert s3.closest_waiter("zzzzzzzz") is None


def test_resource_services():
    assert data.resource_services() == {
        "cloudformation",
        "cloudwatch",
        "dynamodb",
        "ec2",
        "glacier",
        "iam",
        "s3",
        "sns",
        "sqs",
    }


def test_aliases():
    assert data.canonical_service("runtime.sagemaker") == "sagemaker-runtime"
    assert data.canonical_service("sagemaker-runtime") == "sagemaker-runtime"
    assert data.canonical_service("s4") is None
    assert "runtime.sagemaker" in data.service_names()
    assert data.service("runtime.sagemaker") is data.service("sagemaker-runtime")


def test_s3_exceptions_and_operations():
    s3 = data.service("s3")
    assert s3 is not None
    assert {"NoSuchKey", "NoSuchBucket"} <= s3.exceptions
    put_object = s3.operation("put_object")
    assert put_object is not None
    assert {"Bucket", "Key"} <= put_object.required
    assert put_object.required <= put_object.params
    assert not put_object.deprecated
    lifecycle = s3.operation("put_bucket_lifecycle")
    assert lifecycle is not None and lifecycle.deprecated
    assert s3.operation("PutObject") is None
    assert s3.operation("put_object") is put_object  # cached


def test_sqs_send_message_params():
    sqs = data.service("sqs")
    assert sqs is not None
    send = sqs.operation("send_message")
    assert send is not None
    assert {"QueueUrl", "MessageBody"} <= send.params
    assert send.required == {"QueueUrl", "MessageBody"}


def test_deprecated_params_exist():
    deprecated = [
        (name, op)
        for name in sorted(data.service_names())
        if (model := data.service(name)) is not None
        for op in sorted(model.operations)
        if (operation := model.operation(op)) is not None and operation.deprecated_params
    ]
    assert deprecated
    for name, op in deprecated:
        model = data.service(name)
        assert model is not None
        operation = model.operation(op)
        assert operation is not None
        assert operation.deprecated_params <= operation.params


def test_config_and_retries():
    assert "mode" in data.retry_keys()
    assert data.retry_keys() == {"max_attempts", "mode", "total_max_attempts"}
    assert "adaptive" in data.retry_modes()
    assert data.retry_modes() == {"legacy", "standard", "adaptive"}
    options = data.config_options()
    assert {"connect_timeout", "read_timeout", "retries", "max_pool_connections"} <= options
    assert "timeout" not in options


def test_client_methods():
    assert data.common_client_methods() == {
        "can_paginate",
        "close",
        "exceptions",
        "generate_presigned_url",
        "get_paginator",
        "get_waiter",
        "meta",
        "waiter_names",
    }
    assert data.injected_methods("s3") == {
        "copy",
        "download_file",
        "download_fileobj",
        "generate_presigned_post",
        "upload_file",
        "upload_fileobj",
    }
    assert data.injected_methods("rds") == {"generate_db_auth_token"}
    assert data.injected_methods("dsql") == {
        "generate_db_connect_auth_token",
        "generate_db_connect_admin_auth_token",
    }
    assert data.injected_methods("sqs") == frozenset()
    assert data.injected_methods("no-such-service") == frozenset()
    s3 = data.service("s3")
    assert s3 is not None
    assert s3.has_method("upload_file")
    assert s3.has_method("get_paginator")
    assert s3.has_method("list_objects_v2")
    assert not s3.has_method("generate_db_auth_token")
    assert not s3.has_method("list_object_v2")
    assert s3.closest_operation("list_object_v2") == "list_objects_v2"
    assert s3.closest_operation("uplod_file") == "upload_file"


def test_methods_botocore_removes_from_clients():
    qbusiness = data.service("qbusiness")
    assert qbusiness is not None
    assert "chat" in qbusiness.removed
    assert "chat" not in qbusiness.operations
    assert not qbusiness.has_method("chat")
    assert qbusiness.operation("chat") is None
    assert qbusiness.has_method("chat_sync")
    assert "qbusiness" not in data.services_with_operation("chat")


def test_unknown_service_and_suggestions():
    assert data.service("s4") is None
    assert data.closest_service("s33") == "s3"
    assert data.closest_service("S3") == "s3"
    assert data.closest_service("dynamo-db") == "dynamodb"
    assert data.closest_service("qqqqqqqqqqqq") is None


def test_services_with_operation():
    assert data.services_with_operation("list_objects_v2") == {"s3"}
    assert "dynamodb" in data.services_with_operation("scan")
    assert len(data.services_with_operation("list_tags_for_resource")) > 50
    assert data.services_with_operation("no_such_operation") == frozenset()


def test_service_model_cache_is_bounded_and_shared():
    assert data.service("s3") is data.service("s3")
    info = data._load_service.cache_info()
    assert info.maxsize is not None and info.maxsize <= 128


def test_every_service_loads_and_is_consistent():
    index = data._index()
    names = data.service_names()
    assert len(index.operations) > 400
    for name in names:
        canonical = data.canonical_service(name)
        assert canonical is not None
        model = data.service(name)
        assert model is not None
        assert model.name == canonical
        listed = set(index.operations[canonical].split())
        assert model.operations | model.removed == listed
        assert set(model.paginators) <= model.operations
        assert set(model.waiters.values()) <= model.operations
        for op, paginator in model.paginators.items():
            assert paginator.operation == op
            assert paginator.input_token and paginator.output_token
            assert set(paginator.output_token_keys) <= {
                part.strip().split(".")[0].split("[")[0]
                for token in paginator.output_token
                for part in token.split("||")
            }
            if paginator.limit_key is not None:
                operation = model.operation(op)
                assert operation is not None
                assert paginator.limit_key in operation.params
        for op in model.operations:
            assert op == op.lower(), op
            assert data.canonical_service(name) in data.services_with_operation(op)


def test_snapshot_files_are_valid_json():
    for path in [SHIPPED / "index.json.gz", *sorted((SHIPPED / "services").glob("*.json.gz"))]:
        document = json.loads(gzip.decompress(path.read_bytes()))
        assert document["v"] == data.FORMAT_VERSION


# --------------------------------------------------------------- runtime isolation


def test_loader_does_not_import_the_sdk():
    code = textwrap.dedent(
        """
        import sys
        import awsbp.botocore_data as data
        assert data.service("s3") is not None
        data.services_with_operation("scan")
        data.closest_service("s33")
        data.service("s3").operation("put_object")
        leaked = sorted(
            m for m in sys.modules if m.split(".")[0] in {"boto3", "botocore", "s3transfer"}
        )
        print(",".join(leaked))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == ""


def test_methods_match_real_clients(monkeypatch):
    """Instantiate real clients (no network) and compare their public methods."""
    problem = _pinned_sdk_problem()
    if problem:
        pytest.skip(f"needs the pinned boto3/botocore: {problem}")
    import boto3.session

    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    session = boto3.session.Session(
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        region_name="us-east-1",
    )
    for name in ("s3", "rds", "dsql", "sqs", "dynamodb", "qbusiness", "lexv2-runtime"):
        client = session.client(name)
        public = {attr for attr in dir(client) if not attr.startswith("_")}
        model = data.service(name)
        assert model is not None
        expected = model.operations | data.common_client_methods() | data.injected_methods(name)
        assert public == expected, name
        waiter_names = set(client.waiter_names)
        assert waiter_names == set(model.waiters), name
        assert {op for op in model.operations if client.can_paginate(op)} == set(
            model.paginators
        ), name
