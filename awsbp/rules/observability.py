"""Monitoring and observability: CloudWatch custom metrics."""

from __future__ import annotations

import ast

from awsbp import botocore_data
from awsbp.checker import Checker
from awsbp.evidence import Evidence
from awsbp.model import keyword_arg, literal_str
from awsbp.registry import Rule, RuleDocs
from awsbp.textgate import any_word
from awsbp.values import Kind

RESERVED_PREFIX = "AWS/"


def _namespace_text(checker: Checker, expr: ast.expr) -> str | None:
    """The (leading) text of a namespace: a literal, a module constant or an f-string head."""
    text = literal_str(expr)
    if text is not None:
        return text
    if isinstance(expr, ast.Name):
        return checker.model.module_string_constants().get(expr.id)
    if isinstance(expr, ast.JoinedStr) and expr.values:
        head = literal_str(expr.values[0])
        return None if head is None else head + "..."
    return None


class MetricNamespaceChecker(Checker):
    """AWSBP501: ``put_metric_data(Namespace="AWS/...")``."""

    TEXT_GATE = any_word("put_metric_data")

    CALL_NAMES = frozenset({"put_metric_data"})

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr != "put_metric_data":
            return
        namespace = keyword_arg(node, "Namespace")
        if namespace is None:
            return
        text = _namespace_text(self, namespace)
        if text is None or not text.startswith(RESERVED_PREFIX):
            return
        value = self.model.resolve_receiver(func.value)
        if value is not None:
            if value.kind is not Kind.CLIENT or value.service not in (None, "cloudwatch"):
                return
            evidence = value.evidence
        else:
            # put_metric_data is a CloudWatch-only operation
            services = botocore_data.services_with_operation("put_metric_data")
            if set(services) != {"cloudwatch"}:
                return
            evidence = Evidence.MEDIUM
        if self.ctx.accepts(RESERVED_NAMESPACE, evidence):
            self.ctx.report(RESERVED_NAMESPACE, namespace, namespace=text)


RESERVED_NAMESPACE = Rule(
    code="AWSBP501",
    msgid="E7374",
    symbol="reserved-cloudwatch-namespace",
    message=(
        "custom metric namespace '{namespace}' starts with 'AWS/', which CloudWatch reserves "
        "for AWS services and rejects; use a prefix of your own (e.g. 'MyApp/Orders')"
    ),
    summary="put_metric_data with a Namespace starting with 'AWS/' (reserved, rejected)",
    guide_section="Monitoring & Observability › Monitoring Setup (implement custom metrics)",
    checker=MetricNamespaceChecker,
    min_evidence=Evidence.MEDIUM,
    docs=RuleDocs(
        what=(
            "Finds CloudWatch `put_metric_data` calls whose `Namespace` is a string literal, "
            "a module-level string constant or an f-string that starts with `AWS/`."
        ),
        why=(
            "Namespaces beginning with `AWS/` belong to AWS services; CloudWatch answers "
            "`InvalidParameterValue` and the data points are lost, usually in a code path "
            "nobody watches. The guide asks to \"Implement custom metrics for business logic "
            "monitoring\": give them a namespace of your own."
        ),
        example=(
            "import boto3\n\n"
            "cloudwatch = boto3.client(\"cloudwatch\")\n\n\n"
            "def record_order(total: float) -> None:\n"
            "    cloudwatch.put_metric_data(\n"
            "        Namespace=\"AWS/Orders\",\n"
            "        MetricData=[{\"MetricName\": \"OrderTotal\", \"Value\": total}],\n"
            "    )\n"
        ),
        use_instead=(
            "import boto3\n\n"
            "cloudwatch = boto3.client(\"cloudwatch\")\n\n\n"
            "def record_order(total: float) -> None:\n"
            "    cloudwatch.put_metric_data(\n"
            "        Namespace=\"Shop/Orders\",\n"
            "        MetricData=[{\"MetricName\": \"OrderTotal\", \"Value\": total}],\n"
            "    )\n"
        ),
        references=(
            "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/"
            "API_PutMetricData.html",
        ),
    ),
)

RULES: tuple[Rule, ...] = (RESERVED_NAMESPACE,)
