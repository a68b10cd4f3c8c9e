"""The text gates that run before any walking: exact about what they let through."""

from __future__ import annotations

import re

import pytest

from awsbp.names import imports_sdk
from awsbp.textgate import WordGate, any_word, has_word


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import boto3\n", True),
        ("  import boto3.session as s\n", True),
        ("from botocore.exceptions import ClientError\n", True),
        ("import os, boto3\n", True),
        ("import os, \\\n    boto3\n", True),
        ("x = 1; import moto\n", True),
        ("if TYPE_CHECKING:\n    from mypy_boto3_s3 import S3Client\n", True),
        ("from types_boto3_s3.client import S3Client\n", True),
        ("import aioboto3\n", True),
        ("from types_aiobotocore_s3 import S3Client\n", True),
        ("import types_aioboto3_dynamodb as t\n", True),
        ("def f():\n    from boto3 import client\n", True),
        ("# uses boto3\nimport os\n", False),
        ("from c7n.utils import local_session  # boto3\n", False),
        ("x = 'import boto3 later'\n", False),
        ("from . import boto3_helpers\n", False),
        ("import boto3_helpers\n", False),
        ("import myboto3, a.boto3\n", False),
        ("import promotion\n", False),
    ],
)
def test_imports_sdk(source: str, expected: bool) -> None:
    assert imports_sdk(source) is expected


def test_any_word_groups_words_with_a_common_prefix() -> None:
    gate = any_word("get_secret_value", "get_parameter", "boto")
    assert gate.search("ssm.get_parameter(Name=n)")
    assert gate.search("import boto") and not gate.search("ssm.get_params()")
    folded = any_word("Secret", "get_x", fold=True)
    assert folded.search("SECRET") and folded.search("GET_X") and not folded.search("none")


def test_word_gate_needs_a_word_start() -> None:
    assert has_word("import boto\n", "boto") and not has_word("import boto3\n", "boto")
    print_call = WordGate("print", right=False, then=re.compile(r"\s*\("))
    assert print_call.search("print (x)") and print_call.search("fingerprint = 1\nprint(x)")
    assert not print_call.search("pprint(x)") and not print_call.search("printer(x)")


def test_exception_attribute_names_are_read_after_the_dot() -> None:
    from awsbp.rules.api_correctness import _exception_attribute_names

    text = "except s3.exceptions.NoSuchKey:\n    x = (c.exceptions .\\\n  Boom)\n"
    assert _exception_attribute_names(text) == {"NoSuchKey", "Boom"}
    assert _exception_attribute_names("import exceptions\n") == frozenset()
    # a comment between the dot and the name: the names cannot be listed
    assert _exception_attribute_names("(c.exceptions.  # why\n   Boom)\n") is None
