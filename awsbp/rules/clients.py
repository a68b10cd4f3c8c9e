"""Connection management: where boto3 clients, resources and sessions are created."""

from __future__ import annotations

import ast

from awsbp.checker import Checker
from awsbp.evidence import Evidence
from awsbp.model import FACTORY_CALL_NAMES, call_arg
from awsbp.registry import Rule, RuleDocs
from awsbp.rules._calls import small_literal_loop
from awsbp.values import AwsValue, Kind


def kind_label(value: AwsValue) -> str:
    """``client``, ``resource`` or ``session`` for messages."""
    if value.kind is Kind.BOTOCORE_SESSION:
        return "session"
    label: str = value.kind.value
    return label


def non_service_args(call: ast.Call) -> list[ast.expr]:
    """Every argument of a factory call except the service name."""
    service = call_arg(call, 0, "service_name")
    values: list[ast.expr] = [a for a in call.args if a is not service]
    values.extend(kw.value for kw in call.keywords if kw.value is not service)
    return values


class ClientInLoopChecker(Checker):
    """AWSBP101: a factory call in the repeated part of a loop or comprehension."""

    CALL_NAMES = FACTORY_CALL_NAMES

    def visit_Call(self, node: ast.Call) -> None:
        frame = self.ctx.frame
        if not frame.in_loop():
            return
        value = self.model.factory_value(node)
        if value is None or not self.ctx.accepts(CLIENT_IN_LOOP, value.evidence):
            return
        if any(small_literal_loop(loop) for loop in frame.loop_nodes):
            return
        varying = frame.current_loop_vars()
        if varying and any(self.model.mentions(arg, varying) for arg in non_service_args(node)):
            return
        self.ctx.report(CLIENT_IN_LOOP, node, kind=kind_label(value))


CLIENT_IN_LOOP = Rule(
    code="AWSBP101",
    msgid="W7301",
    symbol="boto3-client-in-loop",
    message=(
        "boto3 {kind} created inside a loop; create it once before the loop and reuse it"
    ),
    summary="boto3 client, resource or session created inside a loop or comprehension",
    guide_section="AWS SDK (boto3) Optimization › Connection Management",
    checker=ClientInLoopChecker,
    min_evidence=Evidence.MEDIUM,
    docs=RuleDocs(
        what=(
            "Finds `boto3.client()`, `boto3.resource()`, `Session()`, `session.client()` and "
            "botocore's `create_client()` called in the body of a `for`/`while` loop or in a "
            "comprehension, where a new object is built on every iteration."
        ),
        why=(
            "Creating a client loads and parses the service model, builds an endpoint and a "
            "connection pool: milliseconds of CPU and tens of megabytes each time, and no "
            "connection reuse between iterations (boto3 issues #1670 and #4568). The guide's "
            "Connection Management section says to reuse one session and client "
            "(\"Don't do this in loops\").\n\n"
            "Clients whose arguments change per iteration (one client per region, account or "
            "assumed role, e.g. `region_name=region`) are not reported: they are legitimate, "
            "though worth caching in a dict keyed by region. Loops over a literal of at most "
            "three items are not reported either."
        ),
        example=(
            "import boto3\n\n\n"
            "def sizes(bucket, keys):\n"
            "    for key in keys:\n"
            "        s3 = boto3.client(\"s3\")\n"
            "        yield s3.head_object(Bucket=bucket, Key=key)[\"ContentLength\"]\n"
        ),
        use_instead=(
            "import boto3\n\n\n"
            "def sizes(bucket, keys):\n"
            "    s3 = boto3.client(\"s3\")\n"
            "    for key in keys:\n"
            "        yield s3.head_object(Bucket=bucket, Key=key)[\"ContentLength\"]\n"
        ),
        references=(
            "https://boto3.amazonaws.com/v1/documentation/api/latest/guide/clients.html",
            "https://github.com/boto/boto3/issues/1670",
        ),
    ),
)

RULES: tuple[Rule, ...] = (CLIENT_IN_LOOP,)
