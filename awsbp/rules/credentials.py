"""Credential management: keys written into source code."""

from __future__ import annotations

import ast
import math
import re
from collections import Counter

from awsbp.checker import Checker, FileContext
from awsbp.evidence import Evidence
from awsbp.model import FACTORY_CALL_NAMES, call_arg, literal_str
from awsbp.registry import Rule, RuleDocs
from awsbp.textgate import EitherGate, any_word
from awsbp.values import Kind

CREDENTIAL_KEYWORDS = ("aws_access_key_id", "aws_secret_access_key", "aws_session_token")

#: Positional indexes of the credential parameters, by factory method name.
_POSITIONS: dict[str, tuple[int, int, int]] = {
    "client": (6, 7, 8),
    "resource": (6, 7, 8),
    "create_client": (6, 7, 8),
    "Session": (0, 1, 2),
    "AioSession": (0, 1, 2),
}

ACCESS_KEY_ID = re.compile(
    r"(?<![A-Z0-9])(?:A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA|ABIA|ACCA)"
    r"[A-Z0-9]{16}(?![A-Z0-9])"
)
_SECRET_SHAPE = re.compile(r"^[A-Za-z0-9/+=]{40}$")
_SECRET_IN_TEXT = re.compile(
    r"(?i)aws_?secret_?(?:access_?)?key\s*[=:]\s*[\"']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"
)
_SECRET_NAME = re.compile(r"(?i)secret_?(?:access_?)?key|secretaccesskey|aws_?secret")
#: A superset test for AWSBP302: a key id prefix (they are upper case, see
#: ACCESS_KEY_ID) or the word "secret" in any letter case. A regex with the common
#: first letter factored out scans far faster than eleven substring tests.
_PREFILTER = EitherGate(
    re.compile("A(?:3T|KIA|GPA|IDA|ROA|IPA|NPA|NVA|SIA|BIA|CCA)"), "secret"
)
_CREDENTIAL_KEYWORD_TEXT = any_word(
    "aws_access_key_id", "aws_secret_access_key", "aws_session_token", "set_credentials",
    "setup_default_session",
)
#: Text without any of these cannot pass a literal credential to a factory (AWSBP301):
#: the credential keywords, or a literal long enough to be a key given by position.
_CREDENTIAL_TEXT = any_word(  # the words most files have first: the gate stops at a hit
    "client(", "resource(", "Session(", "create_client(", "aws_access_key_id",
    "aws_secret_access_key", "aws_session_token", "set_credentials", "setup_default_session",
)
_FAKE_WORDS = re.compile(
    r"(?i)example|sample|fake|dummy|placeholder|changeme|change_me|redacted|your|mock"
    r"|test|xxxx|\*\*\*|<|>|\$\{|\{\{|%\(|none|null|foo|bar"
)
_SEQUENCES = ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", "1234567890")
MIN_SECRET_ENTROPY = 3.5

#: What a value must look like to be taken for a real credential of each kind.
_PLAUSIBLE: dict[str, re.Pattern[str]] = {
    "aws_access_key_id": re.compile(r"^[A-Z0-9]{16,128}$"),
    "access_key": re.compile(r"^[A-Z0-9]{16,128}$"),
    "aws_secret_access_key": re.compile(r"^[A-Za-z0-9/+=]{30,}$"),
    "secret_key": re.compile(r"^[A-Za-z0-9/+=]{30,}$"),
    "aws_session_token": re.compile(r"^[A-Za-z0-9/+=_-]{16,}$"),
    "token": re.compile(r"^[A-Za-z0-9/+=_-]{16,}$"),
}


def shannon_entropy(text: str) -> float:
    """Bits per character of ``text``."""
    if not text:
        return 0.0
    counts = Counter(text)
    total = len(text)
    return -sum(c / total * math.log2(c / total) for c in counts.values())


def looks_fake(value: str) -> bool:
    """Placeholders, documented examples and low-entropy strings are not real credentials."""
    stripped = value.strip()
    if not stripped or " " in stripped:
        return True
    if len(set(stripped)) <= 3:
        return True
    if _FAKE_WORDS.search(stripped):
        return True
    return any(seq[:8] in stripped.upper() for seq in _SEQUENCES)


def fake_key_id(key: str) -> bool:
    """An access key id that is AWS's documented example or obviously made up."""
    tail = key[4:]
    return "EXAMPLE" in key or looks_fake(tail) or len(set(tail)) <= 4


def real_secret(value: str) -> bool:
    """A 40-character, high-entropy, secret-key-shaped string."""
    return (
        bool(_SECRET_SHAPE.match(value))
        and not looks_fake(value)
        and shannon_entropy(value) >= MIN_SECRET_ENTROPY
    )


class CredentialsChecker(Checker):
    """AWSBP301 (credentials passed to factories) and AWSBP302 (key-shaped literals)."""

    CALL_NAMES = FACTORY_CALL_NAMES | {"set_credentials", "setup_default_session"}

    @classmethod
    def wanted(cls, ctx: FileContext, text: str) -> bool:
        """Only files where a credential keyword or a key-shaped string can appear."""
        return _CREDENTIAL_TEXT.search(text) is not None or _PREFILTER.search(text) is not None

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._claimed: set[int] = set()
        self._local_strings: dict[tuple[int, str], str | None] = {}
        if _PREFILTER.search(ctx.text) is None:
            # no key-shaped or secret-named string anywhere: AWSBP302 cannot fire, and a
            # literal credential (AWSBP301) needs a credential keyword in the text
            skip = {"visit_Constant", "visit_Dict", "visit_keyword"}
            if _CREDENTIAL_KEYWORD_TEXT.search(ctx.text) is None:
                skip.add("visit_Assign")
            self.skip_handlers = frozenset(skip)

    # -- AWSBP301 -----------------------------------------------------------
    def visit_Assign(self, node: ast.Assign) -> None:
        text = literal_str(node.value)
        frame_id = id(self.ctx.frame.node)
        for target in node.targets:
            if isinstance(target, ast.Name):
                key = (frame_id, target.id)
                self._local_strings[key] = text if key not in self._local_strings else None
            self._check_named_secret(target, node.value)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        method = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if method == "set_credentials":
            self._check_set_credentials(node)
            return
        if method not in _POSITIONS and method != "setup_default_session":
            return
        if not self.model.imports_aws:
            return
        if method == "setup_default_session":
            qual = self.model.qualname(func)
            if qual != "boto3.setup_default_session":
                return
            positions: tuple[int, int, int] = (0, 1, 2)
        else:
            value = self.model.factory_value(node)
            if value is None or not self.ctx.accepts(HARDCODED_CREDENTIALS, value.evidence):
                return
            positions = _POSITIONS[method]
        for keyword, position in zip(CREDENTIAL_KEYWORDS, positions, strict=True):
            arg = call_arg(node, position, keyword)
            if arg is not None:
                self._check_value(arg, keyword)

    def _check_set_credentials(self, node: ast.Call) -> None:
        if not self.model.imports_aws or not isinstance(node.func, ast.Attribute):
            return
        owner = self.model.infer(node.func.value)
        if owner is None or owner.kind is not Kind.BOTOCORE_SESSION:
            return
        for keyword, position in zip(("access_key", "secret_key", "token"), (0, 1, 2),
                                     strict=True):
            arg = call_arg(node, position, keyword)
            if arg is not None:
                self._check_value(arg, keyword)

    def _resolve_literal(self, arg: ast.expr) -> str | None:
        text = literal_str(arg)
        if text is not None:
            return text
        if isinstance(arg, ast.Name):
            local = self._local_strings.get((id(self.ctx.frame.node), arg.id))
            if local is not None:
                return local
            if (id(self.ctx.frame.node), arg.id) in self._local_strings:
                return None
            return self.model.module_string_constants().get(arg.id)
        return None

    def _check_value(self, arg: ast.expr, keyword: str) -> None:
        text = self._resolve_literal(arg)
        if text is None or looks_fake(text) or not _PLAUSIBLE[keyword].match(text):
            return
        if self.ctx.is_test_file and not (
            ACCESS_KEY_ID.search(text) and not fake_key_id(text)
        ) and not real_secret(text):
            return
        if isinstance(arg, ast.Constant) and self.ctx.is_enabled(HARDCODED_CREDENTIALS):
            self._claimed.add(id(arg))
        self.ctx.report(HARDCODED_CREDENTIALS, arg, param=keyword)

    # -- AWSBP302 -----------------------------------------------------------
    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if not isinstance(value, str) or len(value) < 20 or id(node) in self._claimed:
            return
        for match in ACCESS_KEY_ID.finditer(value):
            if not fake_key_id(match.group(0)):
                self.ctx.report(KEY_LITERAL, node, what="access key id")
                return
        for match in _SECRET_IN_TEXT.finditer(value):
            if real_secret(match.group(1)):
                self.ctx.report(KEY_LITERAL, node, what="secret access key")
                return

    def visit_Dict(self, node: ast.Dict) -> None:
        for key, value in zip(node.keys, node.values, strict=True):
            name = literal_str(key)
            if name is not None and _SECRET_NAME.search(name):
                self._report_secret(value)

    def visit_keyword(self, node: ast.keyword) -> None:
        if node.arg and _SECRET_NAME.search(node.arg):
            self._report_secret(node.value)

    def _check_named_secret(self, target: ast.expr, value: ast.expr) -> None:
        name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", None)
        if name and _SECRET_NAME.search(name):
            self._report_secret(value)

    def _report_secret(self, value: ast.expr) -> None:
        text = literal_str(value)
        if text is None or id(value) in self._claimed or not real_secret(text):
            return
        self._claimed.add(id(value))
        self.ctx.report(KEY_LITERAL, value, what="secret access key")


_SUPPRESS_NOTE = (
    "Documented example keys (`AKIAIOSFODNN7EXAMPLE`), placeholders (`\"<your key>\"`, "
    "`\"XXXX\"`, `\"testing\"`, empty strings) and other obvious fakes are not reported."
)

HARDCODED_CREDENTIALS = Rule(
    code="AWSBP301",
    msgid="W7303",
    symbol="hardcoded-aws-credentials",
    message=(
        "hard-coded AWS credential passed as '{param}'; rely on the default credential "
        "chain (IAM role, environment, profile) instead"
    ),
    summary="Hard-coded credentials passed to a boto3/botocore/aioboto3 factory",
    guide_section="Security Best Practices › Credential Management",
    checker=CredentialsChecker,
    min_evidence=Evidence.HIGH,
    docs=RuleDocs(
        what=(
            "Finds `aws_access_key_id`, `aws_secret_access_key` and `aws_session_token` "
            "given as string literals (or names bound only to a string literal) to "
            "`boto3.client`/`resource`/`Session`, `session.client`, botocore's "
            "`create_client`/`set_credentials`, aioboto3 sessions and "
            "`boto3.setup_default_session`, by keyword or by position."
        ),
        why=(
            "Keys in source end up in version control, build artefacts and logs, and they "
            "never rotate. The guide's Credential Management section says \"Never hardcode "
            "credentials\" and \"Use IAM roles\"; boto3 finds credentials itself (role, "
            "environment, profile, SSO) when none are passed.\n\n" + _SUPPRESS_NOTE + " In "
            "test files only real-looking keys are reported."
        ),
        example=(
            "import boto3\n\n"
            "s3 = boto3.client(\n"
            "    \"s3\",\n"
            "    aws_access_key_id=\"AKIA2E0A8F3B244C9986\",\n"
            "    aws_secret_access_key=\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY\",\n"
            ")\n"
        ),
        use_instead=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")  # credentials come from the role or environment\n"
        ),
        references=(
            "https://boto3.amazonaws.com/v1/documentation/api/latest/guide/credentials.html",
        ),
    ),
)

KEY_LITERAL = Rule(
    code="AWSBP302",
    msgid="W7304",
    symbol="aws-key-literal",
    message="AWS {what} in source code; remove it, rotate the key and load it at run time",
    summary="AWS access key id or secret access key literal anywhere in a file",
    guide_section="Security Best Practices › Credential Management",
    checker=CredentialsChecker,
    min_evidence=Evidence.LOW,
    aws_only=False,
    prefilter=_PREFILTER,
    docs=RuleDocs(
        what=(
            "Finds string literals that contain an AWS access key id (`AKIA`, `ASIA`, "
            "`AROA`... followed by 16 characters) and 40-character secret access keys "
            "assigned to, passed as, or written next to a name such as "
            "`aws_secret_access_key`, in any file (boto3 need not be imported)."
        ),
        why=(
            "A committed key is a leaked key: attackers scan public and private "
            "repositories for them within minutes. The guide's Credential Management "
            "section says \"Never hardcode credentials\". Rotate the key, then load "
            "secrets from Secrets Manager or Parameter Store.\n\n" + _SUPPRESS_NOTE
        ),
        example=(
            "BACKUP_USER_KEY_ID = \"AKIA2E0A8F3B244C9986\"\n"
        ),
        use_instead=(
            "import os\n\n"
            "BACKUP_USER_KEY_ID = os.environ[\"BACKUP_USER_KEY_ID\"]\n"
        ),
        references=(
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html",
        ),
    ),
)

RULES: tuple[Rule, ...] = (HARDCODED_CREDENTIALS, KEY_LITERAL)
