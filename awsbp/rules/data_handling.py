"""Data handling and API use: pagination, waiters, batches, transfers, DynamoDB types."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from awsbp.botocore_data import PaginatorModel, ServiceModel
from awsbp.checker import Checker, FileContext
from awsbp.evidence import Evidence
from awsbp.model import call_arg, keyword_arg, literal_str
from awsbp.registry import Rule, RuleDocs
from awsbp.rules._calls import (
    call_values,
    canonical,
    has_star_args,
    keyword_names,
    method_of,
    receiver,
    service_model,
    small_literal_loop,
)
from awsbp.rules._flow import Candidate, Facts, FlowChecker, FrameState
from awsbp.textgate import any_word
from awsbp.values import AwsValue, Kind

# --------------------------------------------------------------------------- pagination

#: Keys that show the code handles a continuation token itself, whatever the operation.
GENERIC_TOKEN_KEYS = frozenset(
    {
        "NextToken", "nextToken", "ContinuationToken", "NextContinuationToken",
        "LastEvaluatedKey", "ExclusiveStartKey", "IsTruncated", "Marker", "NextMarker",
        "NextPageToken", "PaginationToken", "nextPageToken", "paginationToken",
    }
)

#: Paginated operations whose plain call returns every result in practice: the API
#: returns everything unless a page size is given, or a service quota keeps the number
#: of results below the default page size.
UNPAGINATED_IN_PRACTICE = frozenset(
    {
        ("s3", "list_buckets"),                     # all buckets unless MaxBuckets is given
        ("iam", "list_account_aliases"),            # at most one alias per account
        ("organizations", "list_roots"),            # one root per organization
        ("guardduty", "list_detectors"),            # one detector per region
        ("iam", "list_attached_user_policies"),     # <= 20 managed policies, page of 100
        ("iam", "list_attached_role_policies"),
        ("iam", "list_attached_group_policies"),
        ("iam", "list_policy_versions"),            # <= 5 versions
        ("iam", "list_access_keys"),                # <= 2 keys per user
        ("iam", "list_mfa_devices"),                # <= 8 devices per user
        ("iam", "list_ssh_public_keys"),            # <= 5 keys per user
        ("iam", "list_signing_certificates"),       # <= 2 certificates per user
        ("iam", "list_groups_for_user"),            # <= 10 groups per user
        ("logs", "describe_subscription_filters"),  # <= 2 per log group
        ("logs", "describe_resource_policies"),     # <= 10 per region
        ("efs", "describe_mount_targets"),          # one per availability zone, page of 10
        ("events", "list_targets_by_rule"),         # <= 5 targets per rule, page of 100
        ("elbv2", "describe_account_limits"),       # a fixed, short list of limits
        ("elb", "describe_account_limits"),
    }
)

#: Services whose ``describe_*`` calls return every result when no page size is given.
_ALL_RESULTS_UNLESS_LIMITED = frozenset({"ec2"})

#: First words of every paginated operation in the botocore snapshot (a fast pre-filter:
#: calls whose method starts otherwise are not looked at).
_PAGINATED_VERBS = (
    "list_", "describe_", "get_", "search", "query", "scan", "select", "export_",
    "lookup_", "simulate_", "batch_", "retrieve", "admin_", "filter_", "create_",
    "download_", "poll_", "view_", "forecast", "rerank", "execute_", "validate_", "preview_",
)

_SELECTOR = re.compile(
    r"^(?P<stem>[A-Za-z0-9]*?)(?P<suffix>Identifiers?|Ids?|Names?|Arns?|ARNs?)(?:List)?$"
)
_VERSION_WORD = re.compile(r"^v\d+$")


def _item_noun(op: str) -> str | None:
    """``describe_db_instances`` -> ``instances``; ``list_versions_by_function`` -> ``versions``."""
    words = op.split("_")[1:]
    for stop in ("by", "for", "in", "of"):
        if stop in words:
            words = words[: words.index(stop)]
    words = [w for w in words if not _VERSION_WORD.match(w)]
    return words[-1] if words else None


def _singulars(word: str) -> tuple[str, ...]:
    if word.endswith("ies"):
        return (word[:-3] + "y",)
    if word.endswith("es"):
        return (word[:-2], word[:-1])
    if word.endswith("s"):
        return (word[:-1],)
    return (word,)


def selects_items(op: str, keywords: frozenset[str]) -> bool:
    """Whether the call names the items it wants (``describe_instances(InstanceIds=...)``).

    A keyword ``<Item>Ids``/``<Item>Names``/``<Item>Arn``... whose stem is the item the
    operation lists (or a bare ``Names``/``Ids``) bounds the result to those items.
    """
    noun = _item_noun(op)
    if noun is None:
        return False
    singulars = [s for s in _singulars(noun) if len(s) >= 3]
    for kw in keywords:
        match = _SELECTOR.match(kw)
        if match is None:
            continue
        stem = match.group("stem").lower()
        if not stem and match.group("suffix").endswith("s"):
            return True
        if stem and any(stem.endswith(s) for s in singulars):
            return True
    return False


class _Pagination:
    """Candidate data for a paginated call: its paginator, whether on a Table (immutable)."""

    __slots__ = ("paginator", "table")

    def __init__(self, paginator: PaginatorModel, table: bool) -> None:
        self.paginator = paginator
        self.table = table


class _Batch:
    """Candidate data: the failure keys of a batch call's response (immutable)."""

    __slots__ = ("keys",)

    def __init__(self, keys: tuple[str, ...]) -> None:
        self.keys = keys


#: Operations that report per-entry failures in a 200 response -> the failure fields.
BATCH_FAILURE_KEYS: dict[tuple[str, str], tuple[str, ...]] = {
    ("dynamodb", "batch_write_item"): ("UnprocessedItems",),
    ("dynamodb", "batch_get_item"): ("UnprocessedKeys",),
    ("dynamodb", "batch_execute_statement"): ("Responses",),
    ("sqs", "send_message_batch"): ("Failed", "Successful"),
    ("sqs", "delete_message_batch"): ("Failed", "Successful"),
    ("sqs", "change_message_visibility_batch"): ("Failed", "Successful"),
    ("sns", "publish_batch"): ("Failed", "Successful"),
    ("kinesis", "put_records"): ("FailedRecordCount", "Records"),
    ("firehose", "put_record_batch"): ("FailedPutCount", "RequestResponses"),
    ("events", "put_events"): ("FailedEntryCount", "Entries"),
    ("events", "put_targets"): ("FailedEntryCount", "FailedEntries"),
    ("events", "remove_targets"): ("FailedEntryCount", "FailedEntries"),
    ("s3", "delete_objects"): ("Errors",),
    ("secretsmanager", "batch_get_secret_value"): ("Errors",),
    ("glue", "batch_create_partition"): ("Errors",),
    ("glue", "batch_delete_partition"): ("Errors",),
    ("glue", "batch_delete_table"): ("Errors",),
    ("glue", "batch_update_partition"): ("Errors",),
    ("glue", "batch_get_partition"): ("UnprocessedKeys",),
}

_BATCH_OPS = frozenset(op for _, op in BATCH_FAILURE_KEYS)


_VERB_PATTERN = "|".join(re.escape(verb) for verb in _PAGINATED_VERBS)
_BATCH_PATTERN = "|".join(re.escape(op) for op in sorted(_BATCH_OPS))

#: A callee name :meth:`ResponseChecker.visit_Call` looks at: a paginated verb's prefix, or
#: a whole batch operation name.
_PAGINATED_OR_BATCH = re.compile(f"{_VERB_PATTERN}|(?:{_BATCH_PATTERN})\\Z")



class _NameTest(dict[str, bool]):
    """Whether a method name matches ``pattern``, remembered per name.

    A dict lookup costs less than a regex match, and files call the same few hundred
    names over and over.
    """

    __slots__ = ("_match",)

    def __init__(self, pattern: re.Pattern[str]) -> None:
        super().__init__()
        self._match = pattern.match

    def __missing__(self, name: str) -> bool:
        if len(self) > 20_000:  # an unusual run: start over rather than grow
            self.clear()
        found = self[name] = self._match(name) is not None
        return found


_PAGINATED_OR_BATCH_NAME = _NameTest(_PAGINATED_OR_BATCH)

_RESPONSE_TEXT = re.compile(f"\\.(?:{_VERB_PATTERN}|{_BATCH_PATTERN})")


class ResponseChecker(FlowChecker):
    """AWSBP220 (pagination) and AWSBP221 (batch failures), from response tracking."""

    @classmethod
    def wanted(cls, ctx: FileContext, text: str) -> bool:
        """Only files that call a method named like a paginated or a batch operation."""
        return _RESPONSE_TEXT.search(text) is not None

    def call_filter(self) -> Callable[[str], object]:
        """Only methods named like a paginated operation or a batch operation."""
        return _PAGINATED_OR_BATCH_NAME.__getitem__

    def visit_Call(self, node: ast.Call) -> None:
        found = method_of(node)
        if found is None:
            return
        method = found[1]
        value = None
        if method.startswith(_PAGINATED_VERBS) and self.ctx.is_enabled(UNPAGINATED_CALL):
            value = receiver(self.model, node)
            self._pagination(node, method, value)
        if method in _BATCH_OPS and self.ctx.is_enabled(BATCH_UNCHECKED):
            value = value or receiver(self.model, node)
            self._batch(node, method, value)

    def _pagination(self, node: ast.Call, method: str, value: AwsValue | None) -> None:
        if value is None:
            return
        if value.kind not in (Kind.CLIENT, Kind.TABLE):
            return
        if not self.ctx.accepts(UNPAGINATED_CALL, value.evidence):
            return
        if value.kind is Kind.TABLE and method not in ("scan", "query"):
            return
        svc = service_model(value)
        if svc is None:
            return
        paginator = svc.paginators.get(method)
        if paginator is None or (svc.name, method) in UNPAGINATED_IN_PRACTICE:
            return
        if svc.name in _ALL_RESULTS_UNLESS_LIMITED and method.startswith("describe_"):
            return
        if has_star_args(node):
            return
        keywords = keyword_names(node)
        if keywords & set(paginator.input_token):
            return
        if paginator.limit_key is not None and paginator.limit_key in keywords:
            return
        if selects_items(method, keywords):
            return
        self.defer_candidate(node, method, _Pagination(paginator, value.kind is Kind.TABLE))

    def _batch(self, node: ast.Call, method: str, value: AwsValue | None) -> None:
        if value is None or value.kind not in (Kind.CLIENT, Kind.RESOURCE):
            return
        if not self.ctx.accepts(BATCH_UNCHECKED, value.evidence):
            return
        service = canonical(value)
        if service is None:
            return
        keys = BATCH_FAILURE_KEYS.get((service, method))
        if keys is None:
            return
        if value.kind is Kind.RESOURCE and service != "dynamodb":
            return
        self.defer_candidate(node, method, _Batch(keys))

    def judge(self, cand: Candidate, facts: Facts, state: FrameState) -> None:
        if isinstance(cand.data, _Pagination):
            self._judge_pagination(cand, cand.data, facts, state)
        elif isinstance(cand.data, _Batch):
            self._judge_batch(cand, cand.data, facts, state)

    def _judge_pagination(
        self, cand: Candidate, data: _Pagination, facts: Facts, state: FrameState
    ) -> None:
        if cand.escaped or facts.escaped or cand.discarded:
            return
        paginator = data.paginator
        results = [tuple(key.split(".")) for key in paginator.result_key]
        tokens = set(GENERIC_TOKEN_KEYS) | set(paginator.input_token)
        tokens |= set(paginator.output_token_keys)
        if paginator.more_results:
            tokens.add(paginator.more_results)
        tokens -= {path[0] for path in results}
        if self.frame_mentions(state, tokens, keywords=True):
            return
        if not any(path in facts.consumed for path in results):
            return
        if data.table:
            fix = (
                "repeat the call with ExclusiveStartKey=response['LastEvaluatedKey'] "
                "until no LastEvaluatedKey is returned"
            )
        else:
            fix = f"iterate get_paginator('{cand.op}').paginate(...) instead"
        self.ctx.report(UNPAGINATED_CALL, cand.call, op=cand.op, fix=fix)

    def _judge_batch(
        self, cand: Candidate, data: _Batch, facts: Facts, state: FrameState
    ) -> None:
        if cand.escaped or facts.escaped:
            return
        keys = set(data.keys)
        if keys & facts.keys or self.frame_mentions(state, keys):
            return
        self.ctx.report(BATCH_UNCHECKED, cand.call, op=cand.op, field=data.keys[0])


UNPAGINATED_CALL = Rule(
    code="AWSBP220",
    msgid="W7330",
    symbol="aws-call-without-pagination",
    message="paginated call '{op}' returns one page but it is used as the full list; {fix}",
    summary="Paginated operation whose first page is used as the complete result",
    guide_section="AWS SDK (boto3) Optimization › Data Handling",
    checker=ResponseChecker,
    min_evidence=Evidence.MEDIUM,
    docs=RuleDocs(
        what=(
            "Finds calls to operations that botocore paginates (`list_objects_v2`, `scan`, "
            "`describe_instances`, `list_functions`... any service, taken from botocore's "
            "paginator definitions) whose result list is iterated, collected, counted or "
            "returned, while the function never looks at the continuation token. DynamoDB "
            "`Table.scan()`/`Table.query()` are covered too."
        ),
        why=(
            "Paginated APIs return at most one page (1,000 S3 keys, 1 MB of DynamoDB items, "
            "50 Lambda functions...) and a token for the next one. Code that uses the first "
            "page as the whole answer works in tests and silently drops data in production. "
            "The guide's Data Handling section says \"Use paginators for operations that "
            "return large datasets\".\n\n"
            "Not reported: calls that pass the input token or a page-size limit "
            "(`MaxKeys=1`, `Limit=10`: a deliberately bounded read), calls that name the "
            "items they want (`describe_instances(InstanceIds=ids)`, "
            "`describe_stacks(StackName=name)`), functions that read or pass any "
            "continuation token (`NextToken`, `LastEvaluatedKey`, `IsTruncated`, the "
            "operation's own token keys), results only tested for existence "
            "(`if resp.get(\"Contents\"):`, `resp[\"Items\"][0]`), responses returned or "
            "handed to another function whole, operations that return everything unless a "
            "page size is given (`s3.list_buckets()`, EC2 `describe_*`), and operations whose "
            "result count a service quota keeps below one page (`iam.list_access_keys`, "
            "`iam.list_attached_role_policies`, `logs.describe_subscription_filters`...)."
        ),
        example=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n\n\n"
            "def keys(bucket):\n"
            "    response = s3.list_objects_v2(Bucket=bucket)\n"
            "    return [obj[\"Key\"] for obj in response.get(\"Contents\", [])]\n"
        ),
        use_instead=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n\n\n"
            "def keys(bucket):\n"
            "    paginator = s3.get_paginator(\"list_objects_v2\")\n"
            "    return [\n"
            "        obj[\"Key\"]\n"
            "        for page in paginator.paginate(Bucket=bucket)\n"
            "        for obj in page.get(\"Contents\", [])\n"
            "    ]\n"
        ),
        references=(
            "https://boto3.amazonaws.com/v1/documentation/api/latest/guide/paginators.html",
            "https://boto3.amazonaws.com/v1/documentation/api/latest/guide/dynamodb.html",
        ),
    ),
)

BATCH_UNCHECKED = Rule(
    code="AWSBP221",
    msgid="W7331",
    symbol="aws-batch-failures-unchecked",
    message=(
        "batch call '{op}' can fail for some entries without raising; read '{field}' in its "
        "response and retry or report the failed entries"
    ),
    summary="Batch API response never checked for per-entry failures",
    guide_section="Error Handling › Exception Hierarchy; AWS SDK (boto3) Optimization › "
    "Data Handling",
    checker=ResponseChecker,
    min_evidence=Evidence.MEDIUM,
    docs=RuleDocs(
        what=(
            "Finds calls to batch APIs that report per-entry failures inside a successful "
            "response (`batch_write_item` → `UnprocessedItems`, `batch_get_item` → "
            "`UnprocessedKeys`, SQS `send_message_batch`/`delete_message_batch`/"
            "`change_message_visibility_batch` and SNS `publish_batch` → `Failed`, Kinesis "
            "`put_records` → `FailedRecordCount`, Firehose `put_record_batch` → "
            "`FailedPutCount`, EventBridge `put_events`/`put_targets` → `FailedEntryCount`, "
            "S3 `delete_objects` → `Errors`, Secrets Manager `batch_get_secret_value` and "
            "Glue partition batches → `Errors`) whose response is discarded, or kept but "
            "never read for those fields."
        ),
        why=(
            "These calls return HTTP 200 even when some entries were throttled or rejected; "
            "no exception is raised. Ignoring the failure fields drops data silently (boto "
            "issue #1714: unprocessed items lost \"on the floor\"). The guide asks for "
            "proper handling of AWS errors (Error Handling) and careful batch data handling.\n\n"
            "Not reported: responses returned, yielded, stored on `self` or passed to "
            "another function (the caller may check them), and functions that mention the "
            "failure field anywhere. For DynamoDB writes, `Table.batch_writer()` retries "
            "unprocessed items for you."
        ),
        example=(
            "import boto3\n\n"
            "sqs = boto3.client(\"sqs\")\n\n\n"
            "def send_all(queue_url, entries):\n"
            "    sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)\n"
        ),
        use_instead=(
            "import boto3\n\n"
            "sqs = boto3.client(\"sqs\")\n\n\n"
            "def send_all(queue_url, entries):\n"
            "    response = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)\n"
            "    if response.get(\"Failed\"):\n"
            "        raise RuntimeError(f\"{len(response['Failed'])} messages not sent\")\n"
        ),
        references=(
            "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/"
            "API_SendMessageBatch.html",
            "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/"
            "API_BatchWriteItem.html",
            "https://github.com/boto/boto/issues/1714",
        ),
    ),
)


# --------------------------------------------------------------------------- per item


class _PerItem:
    """A per-item operation, the batch call to use instead, and what rules it out.

    Immutable.
    """

    __slots__ = ("alternative", "excluded", "group_param", "one_entry_param")

    def __init__(
        self,
        alternative: str,
        group_param: str | None = None,
        excluded: frozenset[str] = frozenset(),
        one_entry_param: str | None = None,
    ) -> None:
        self.alternative = alternative
        self.group_param = group_param
        self.excluded = excluded
        self.one_entry_param = one_entry_param


_CONDITIONAL_WRITE = frozenset(
    {"ConditionExpression", "Expected", "ConditionalOperator", "ReturnValues",
     "ReturnValuesOnConditionCheckFailure"}
)
_TABLE_BATCH = "write through 'with table.batch_writer() as batch:' instead"

#: (kind, canonical service, operation) -> the batch alternative.
PER_ITEM_CALLS: dict[tuple[Kind, str, str], _PerItem] = {
    (Kind.TABLE, "dynamodb", "put_item"): _PerItem(_TABLE_BATCH, None, _CONDITIONAL_WRITE),
    (Kind.TABLE, "dynamodb", "delete_item"): _PerItem(_TABLE_BATCH, None, _CONDITIONAL_WRITE),
    (Kind.CLIENT, "dynamodb", "put_item"): _PerItem(
        "use batch_write_item (25 items per call) or a Table's batch_writer()", None,
        _CONDITIONAL_WRITE,
    ),
    (Kind.CLIENT, "dynamodb", "delete_item"): _PerItem(
        "use batch_write_item (25 items per call) or a Table's batch_writer()", None,
        _CONDITIONAL_WRITE,
    ),
    (Kind.CLIENT, "s3", "delete_object"): _PerItem(
        "collect the keys and call delete_objects (1,000 keys per call)", "Bucket",
        frozenset({"IfMatch", "IfMatchLastModifiedTime", "IfMatchSize"}),
    ),
    (Kind.CLIENT, "sqs", "send_message"): _PerItem(
        "use send_message_batch (10 messages per call)", "QueueUrl"
    ),
    (Kind.CLIENT, "sqs", "delete_message"): _PerItem(
        "use delete_message_batch (10 receipt handles per call)", "QueueUrl"
    ),
    (Kind.CLIENT, "kinesis", "put_record"): _PerItem(
        "use put_records (500 records per call)", "StreamName",
        frozenset({"SequenceNumberForOrdering"}),
    ),
    (Kind.CLIENT, "firehose", "put_record"): _PerItem(
        "use put_record_batch (500 records per call)", "DeliveryStreamName"
    ),
    (Kind.CLIENT, "cloudwatch", "put_metric_data"): _PerItem(
        "collect the data points and send up to 1,000 per put_metric_data call", "Namespace",
        one_entry_param="MetricData",
    ),
    (Kind.CLIENT, "events", "put_events"): _PerItem(
        "collect the entries and send up to 10 per put_events call", None,
        one_entry_param="Entries",
    ),
}
_PER_ITEM_NAMES = frozenset(op for _, _, op in PER_ITEM_CALLS)


def _one_element_list(expr: ast.expr | None) -> bool:
    return isinstance(expr, (ast.List, ast.Tuple)) and len(expr.elts) == 1 and not isinstance(
        expr.elts[0], ast.Starred
    )


class PerItemChecker(Checker):
    """AWSBP222: a per-item write/delete/send in a loop where a batch API exists."""

    TEXT_GATE = any_word(*sorted(_PER_ITEM_NAMES))

    CALL_NAMES = _PER_ITEM_NAMES

    def visit_Call(self, node: ast.Call) -> None:
        frame = self.ctx.frame
        if not frame.in_loop():
            return
        found = method_of(node)
        if found is None:
            return
        value = receiver(self.model, node)
        if value is None or not self.ctx.accepts(PER_ITEM_IN_LOOP, value.evidence):
            return
        service = canonical(value)
        if service is None:
            return
        spec = PER_ITEM_CALLS.get((value.kind, service, found[1]))
        if spec is None or has_star_args(node):
            return
        if keyword_names(node) & spec.excluded:
            return
        if spec.one_entry_param is not None and not _one_element_list(
            keyword_arg(node, spec.one_entry_param)
        ):
            return
        if all(small_literal_loop(loop) for loop in frame.loop_nodes):
            return
        varying = frame.current_loop_vars()
        if not varying:
            return
        group = keyword_arg(node, spec.group_param) if spec.group_param else None
        if group is not None and self.model.mentions(group, varying):
            return
        if not any(self.model.mentions(arg, varying) for arg in call_values(node)):
            return
        self.ctx.report(PER_ITEM_IN_LOOP, node, op=found[1], alternative=spec.alternative)


PER_ITEM_IN_LOOP = Rule(
    code="AWSBP222",
    msgid="W7332",
    symbol="aws-per-item-call-in-loop",
    message="per-item call '{op}' in a loop; {alternative}",
    summary="Per-item AWS call in a loop where a batch API exists",
    guide_section="Performance Optimization › Memory and CPU Management",
    checker=PerItemChecker,
    min_evidence=Evidence.MEDIUM,
    docs=RuleDocs(
        what=(
            "Finds, in the body of a loop or comprehension, per-item calls that have a batch "
            "counterpart and whose arguments change per iteration: DynamoDB `put_item`/"
            "`delete_item` on a Table (use `batch_writer()`) or a client "
            "(`batch_write_item`), S3 `delete_object` (`delete_objects`), SQS "
            "`send_message`/`delete_message` (`*_batch`), Kinesis `put_record` "
            "(`put_records`), Firehose `put_record` (`put_record_batch`), CloudWatch "
            "`put_metric_data` with a one-element `MetricData`, EventBridge `put_events` "
            "with a one-element `Entries`."
        ),
        why=(
            "Each call is a network round trip (and for SQS, Kinesis and EventBridge a billed "
            "request); the batch APIs send 10 to 1,000 items per request. The guide asks to "
            "\"Optimize database queries and API calls\" (Performance Optimization).\n\n"
            "Not reported: conditional writes (`ConditionExpression`, `ReturnValues`: batch "
            "writes cannot express them), Kinesis records with `SequenceNumberForOrdering`, "
            "calls whose queue, stream, bucket or namespace changes per iteration (batches "
            "are per target), calls whose arguments do not change per iteration (retry "
            "loops), loops over a literal of at most three items, and calls on a "
            "`batch_writer()`."
        ),
        example=(
            "import boto3\n\n"
            "table = boto3.resource(\"dynamodb\").Table(\"orders\")\n\n\n"
            "def save(orders):\n"
            "    for order in orders:\n"
            "        table.put_item(Item=order)\n"
        ),
        use_instead=(
            "import boto3\n\n"
            "table = boto3.resource(\"dynamodb\").Table(\"orders\")\n\n\n"
            "def save(orders):\n"
            "    with table.batch_writer() as batch:\n"
            "        for order in orders:\n"
            "            batch.put_item(Item=order)\n"
        ),
        references=(
            "https://boto3.amazonaws.com/v1/documentation/api/latest/guide/dynamodb.html"
            "#batch-writing",
            "https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html",
        ),
    ),
)

# --------------------------------------------------------------------------- floats

#: Table method -> the arguments that carry attribute values.
_TABLE_VALUE_ARGS: dict[str, tuple[str, ...]] = {
    "put_item": ("Item", "ExpressionAttributeValues"),
    "update_item": ("Key", "ExpressionAttributeValues", "AttributeUpdates"),
    "delete_item": ("Key", "ExpressionAttributeValues"),
    "get_item": ("Key",),
    "query": ("ExpressionAttributeValues", "ExclusiveStartKey"),
    "scan": ("ExpressionAttributeValues", "ExclusiveStartKey"),
}
_RESOURCE_VALUE_ARGS: dict[str, tuple[str, ...]] = {
    "batch_write_item": ("RequestItems",),
    "batch_get_item": ("RequestItems",),
}
_CONDITION_METHODS = frozenset(
    {"eq", "ne", "lt", "lte", "gt", "gte", "between", "begins_with", "is_in", "contains"}
)
_CONDITION_BUILDERS = frozenset(
    {"boto3.dynamodb.conditions.Key", "boto3.dynamodb.conditions.Attr"}
)
_FLOAT_CALLS = frozenset(
    {"time.time", "time.monotonic", "time.perf_counter", "time.process_time"}
)
_MAX_VALUE_NODES = 200
#: A module that mentions none of these cannot hold a DynamoDB Table or condition.
_DYNAMODB_WORDS = ("dynamodb", "Table", "batch_writer", "conditions", "DynamoDB")


_FLOAT_LITERAL = re.compile(r"[0-9][.eE]|\.[0-9]")


class FloatChecker(Checker):
    """AWSBP223: float values in DynamoDB resource calls and condition builders."""

    #: A float literal (``1.5``, ``.5``, ``1e3``) or ``float(...)``/``inf``/``nan``; the
    #: common words are tested first (a regex opening with a digit class scans slowly).
    TEXT_GATE = any_word("inf", "nan", "float", then=None)

    CALL_NAMES = frozenset(_TABLE_VALUE_ARGS) | frozenset(_RESOURCE_VALUE_ARGS) | (
        _CONDITION_METHODS
    )

    @classmethod
    def wanted(cls, ctx: FileContext, text: str) -> bool:
        """Only files with a float-like literal that mention DynamoDB."""
        return any(word in text for word in _DYNAMODB_WORDS) and (
            super().wanted(ctx, text) or _FLOAT_LITERAL.search(text) is not None
        )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._floats: dict[int, set[str]] = {}
        self._dicts: dict[int, dict[str, ast.expr]] = {}
        self._writers: dict[int, set[str]] = {}
        self._reported: set[int] = set()

    # -- bindings ---------------------------------------------------------------
    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name):
                self._bind(target.id, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if isinstance(node.target, ast.Name):
            self._bind(node.target.id, node.value)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if isinstance(node.target, ast.Name):
            fid = id(self.ctx.frame.node)
            self._dicts.get(fid, {}).pop(node.target.id, None)
            if not self._is_float(node.value, fid):
                self._floats.get(fid, set()).discard(node.target.id)

    def _bind(self, name: str, value: ast.expr | None) -> None:
        fid = id(self.ctx.frame.node)
        floats = self._floats.setdefault(fid, set())
        dicts = self._dicts.setdefault(fid, {})
        dicts.pop(name, None)
        floats.discard(name)
        self._writers.get(fid, set()).discard(name)
        if value is None:
            return
        if self._is_float(value, fid):
            floats.add(name)
        elif isinstance(value, ast.Dict):
            dicts[name] = value

    def visit_With(self, node: ast.With) -> None:
        for item in node.items:
            expr = item.context_expr
            target = item.optional_vars
            if not isinstance(target, ast.Name) or not isinstance(expr, ast.Call):
                continue
            found = method_of(expr)
            if found is None or found[1] != "batch_writer":
                continue
            owner = self.model.resolve_receiver(found[0])
            if owner is not None and owner.kind is Kind.TABLE and self.ctx.accepts(
                DYNAMODB_FLOAT, owner.evidence
            ):
                self._writers.setdefault(id(self.ctx.frame.node), set()).add(target.id)

    # -- values -----------------------------------------------------------------
    def _is_float(self, expr: ast.expr, fid: int) -> bool:
        if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, (ast.USub, ast.UAdd)):
            expr = expr.operand
        if isinstance(expr, ast.Constant):
            return isinstance(expr.value, float)
        if isinstance(expr, ast.Call):
            func = expr.func
            if isinstance(func, ast.Name) and func.id == "float":
                return "float" not in self.model.imports and self.model.lookup("float") is None
            qual = self.model.qualname(func)
            return qual in _FLOAT_CALLS
        if isinstance(expr, ast.Name):
            if expr.id in self._floats.get(fid, ()):
                return True
            module = id(self.model.tree)
            return fid != module and expr.id in self._floats.get(module, ()) and (
                self.model.scope.kind != "module" and expr.id not in self.model.scope.bindings
            )
        return False

    def _float_nodes(self, expr: ast.expr) -> list[ast.expr]:
        """Float-valued leaves of a literal structure (dicts, lists, dict() calls)."""
        fid = id(self.ctx.frame.node)
        found: list[ast.expr] = []
        stack: list[tuple[ast.expr, int]] = [(expr, 0)]
        budget = _MAX_VALUE_NODES
        while stack and budget:
            budget -= 1
            node, depth = stack.pop()
            if self._is_float(node, fid):
                found.append(node)
                continue
            if isinstance(node, ast.Dict):
                stack.extend((v, depth) for v in node.values)
            elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
                stack.extend((e, depth) for e in node.elts)
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "dict"
            ):
                stack.extend((kw.value, depth) for kw in node.keywords)
            elif isinstance(node, ast.Name) and depth == 0:
                bound = self._dicts.get(fid, {}).get(node.id)
                if bound is not None:
                    stack.append((bound, depth + 1))
        found.sort(key=lambda n: (n.lineno, n.col_offset))
        return found

    def _report(self, nodes: list[ast.expr], where: str) -> None:
        for node in nodes:
            if id(node) in self._reported:
                continue
            self._reported.add(id(node))
            self.ctx.report(DYNAMODB_FLOAT, node, where=where)

    # -- calls ------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        found = method_of(node)
        if found is None:
            return
        recv, method = found
        if method in _CONDITION_METHODS:
            self._condition(node, recv)
            return
        args: tuple[str, ...] | None = None
        if isinstance(recv, ast.Name) and recv.id in self._writers.get(
            id(self.ctx.frame.node), ()
        ):
            args = {"put_item": ("Item",), "delete_item": ("Key",)}.get(method)
        else:
            value = receiver(self.model, node)
            if value is None or value.service is None or not self.ctx.accepts(
                DYNAMODB_FLOAT, value.evidence
            ):
                return
            if value.kind is Kind.TABLE:
                args = _TABLE_VALUE_ARGS.get(method)
            elif value.kind is Kind.RESOURCE and canonical(value) == "dynamodb":
                args = _RESOURCE_VALUE_ARGS.get(method)
        if not args:
            return
        for name in args:
            arg = keyword_arg(node, name)
            if arg is not None:
                self._report(self._float_nodes(arg), _WHERE.get(name, "value"))

    def _condition(self, node: ast.Call, recv: ast.expr) -> None:
        if not isinstance(recv, ast.Call):
            return
        if self.model.qualname(recv.func) not in _CONDITION_BUILDERS:
            return
        nodes: list[ast.expr] = []
        for arg in call_values(node):
            nodes.extend(self._float_nodes(arg))
        self._report(nodes, "condition")


_WHERE = {
    "Item": "item",
    "Key": "key",
    "ExclusiveStartKey": "key",
    "ExpressionAttributeValues": "expression value",
    "AttributeUpdates": "attribute update",
    "RequestItems": "batch request",
}

DYNAMODB_FLOAT = Rule(
    code="AWSBP223",
    msgid="E7333",
    symbol="dynamodb-float-value",
    message=(
        "float in a DynamoDB {where}: boto3 raises TypeError for float values; "
        "use decimal.Decimal (e.g. Decimal(str(x)))"
    ),
    summary="Float value passed to a DynamoDB Table/resource call (TypeError at run time)",
    guide_section="Beyond the guide: boto3's DynamoDB serializer rejects floats at run time",
    checker=FloatChecker,
    min_evidence=Evidence.MEDIUM,
    docs=RuleDocs(
        what=(
            "Finds float literals, `float(...)` calls, `time.time()` and names bound to them "
            "in the items, keys and expression values given to DynamoDB `Table` methods "
            "(`put_item`, `update_item`, `delete_item`, `get_item`, `query`, `scan`), to "
            "`batch_writer()` handles, to the resource's `batch_write_item`/"
            "`batch_get_item`, and to `Key(...)`/`Attr(...)` condition builders "
            "(`Key(\"price\").lt(9.99)`). Dict and list literals are searched, and so is a "
            "dict literal bound to a name in the same function."
        ),
        why=(
            "boto3's DynamoDB type serializer refuses floats (`TypeError: Float types are "
            "not supported. Use Decimal types instead.`) because DynamoDB numbers are "
            "exact decimals; the call fails at run time, often only on the code path that "
            "sees a fractional value.\n\n"
            "Low-level client calls (`boto3.client(\"dynamodb\")`), which take numbers as "
            "strings (`{\"N\": \"1.5\"}`), are not checked."
        ),
        example=(
            "import boto3\n\n"
            "table = boto3.resource(\"dynamodb\").Table(\"products\")\n\n\n"
            "def save(sku):\n"
            "    table.put_item(Item={\"sku\": sku, \"price\": 19.99})\n"
        ),
        use_instead=(
            "from decimal import Decimal\n\n"
            "import boto3\n\n"
            "table = boto3.resource(\"dynamodb\").Table(\"products\")\n\n\n"
            "def save(sku):\n"
            "    table.put_item(Item={\"sku\": sku, \"price\": Decimal(\"19.99\")})\n"
        ),
        references=(
            "https://boto3.amazonaws.com/v1/documentation/api/latest/reference/customizations/"
            "dynamodb.html",
            "https://github.com/boto/boto3/issues/665",
        ),
    ),
)


# --------------------------------------------------------------------------- waiters

_SLEEPS = frozenset({"time.sleep", "asyncio.sleep", "trio.sleep", "anyio.sleep", "gevent.sleep"})
_MAX_WAITERS_NAMED = 3


class _PollLoop:
    """A ``while`` loop being walked: the calls it polls and what else it does."""

    __slots__ = ("frame", "node", "polls", "sleeps", "tokens", "waiter")

    def __init__(
        self,
        node: ast.While,
        frame: int,
        polls: list[tuple[ast.Call, str, tuple[str, ...]]],
        sleeps: bool = False,
        tokens: bool = False,
        waiter: bool = False,
    ) -> None:
        self.node = node
        self.frame = frame
        self.polls = polls
        self.sleeps = sleeps
        self.tokens = tokens
        self.waiter = waiter


def waiters_by_operation(svc: ServiceModel) -> dict[str, tuple[str, ...]]:
    """Operation -> the waiters that poll it, for one service."""
    table: dict[str, list[str]] = {}
    for waiter, op in svc.waiters.items():
        table.setdefault(op, []).append(waiter)
    return {op: tuple(sorted(names)) for op, names in table.items()}


class WaiterChecker(Checker):
    """AWSBP224: a ``while`` loop that polls an operation a waiter covers, with a sleep."""

    @classmethod
    def wanted(cls, ctx: FileContext, text: str) -> bool:
        """Polling needs a ``while`` loop and a sleep."""
        return "while" in text and "sleep" in text

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._loops: list[_PollLoop] = []
        self._waiter_maps: dict[str, dict[str, tuple[str, ...]]] = {}

    def _current(self) -> _PollLoop | None:
        if not self._loops:
            return None
        loop = self._loops[-1]
        return loop if loop.frame == id(self.ctx.frame.node) else None

    def visit_While(self, node: ast.While) -> None:
        self._loops.append(_PollLoop(node, id(self.ctx.frame.node), []))

    def leave_While(self, node: ast.While) -> None:
        if not self._loops or self._loops[-1].node is not node:
            return
        loop = self._loops.pop()
        if not loop.polls or not loop.sleeps or loop.tokens or loop.waiter:
            return
        call, op, waiters = loop.polls[0]
        names = "', '".join(waiters[:_MAX_WAITERS_NAMED])
        more = ", ..." if len(waiters) > _MAX_WAITERS_NAMED else ""
        self.ctx.report(POLLING_LOOP, call, op=op, waiters=f"'{names}'{more}")

    def visit_Constant(self, node: ast.Constant) -> None:
        loop = self._current()
        if loop is not None and node.value in GENERIC_TOKEN_KEYS:
            loop.tokens = True

    def visit_keyword(self, node: ast.keyword) -> None:
        loop = self._current()
        if loop is not None and node.arg in GENERIC_TOKEN_KEYS:
            loop.tokens = True

    def visit_Call(self, node: ast.Call) -> None:
        loop = self._current()
        if loop is None:
            return
        func = node.func
        if self.model.qualname(func) in _SLEEPS:
            loop.sleeps = True
            return
        found = method_of(node)
        if found is None:
            return
        method = found[1]
        if method in ("get_waiter", "wait"):
            loop.waiter = True
            return
        if not method.startswith(("describe_", "get_", "head_", "list_")):
            return
        value = receiver(self.model, node)
        if value is None or value.kind is not Kind.CLIENT:
            return
        if not self.ctx.accepts(POLLING_LOOP, value.evidence):
            return
        service = canonical(value)
        svc = service_model(value)
        if service is None or svc is None:
            return
        table = self._waiter_maps.get(service)
        if table is None:
            table = waiters_by_operation(svc)
            self._waiter_maps[service] = table
        waiters = table.get(method)
        if waiters:
            loop.polls.append((node, method, waiters))


POLLING_LOOP = Rule(
    code="AWSBP224",
    msgid="W7334",
    symbol="aws-polling-loop-without-waiter",
    message="sleep loop polls '{op}'; use the botocore waiter {waiters} "
    "(client.get_waiter(...).wait(...)) instead",
    summary="Hand-written polling loop where a botocore waiter exists",
    guide_section="AWS SDK (boto3) Optimization › Data Handling",
    checker=WaiterChecker,
    min_evidence=Evidence.MEDIUM,
    docs=RuleDocs(
        what=(
            "Finds `while` loops that call an operation botocore has a waiter for "
            "(`describe_instances`, `describe_stacks`, `head_object`, `describe_table`, "
            "`get_function_configuration`... taken from botocore's waiter definitions of "
            "every service) and also call `time.sleep()` or `asyncio.sleep()`. The message "
            "names the waiters that poll that operation."
        ),
        why=(
            "Waiters encode the success and failure states of each resource, a sensible "
            "delay and a maximum number of attempts (both adjustable with "
            "`WaiterConfig={\"Delay\": ..., \"MaxAttempts\": ...}`). Hand-written loops tend to "
            "wait forever on a failed resource, miss failure states, or poll too fast and "
            "get throttled. The guide's Data Handling section asks to use the SDK's "
            "helpers for API calls rather than hand-rolled loops.\n\n"
            "Not reported: loops that handle a pagination token (`NextToken`, `Marker`...), "
            "loops without a sleep, loops that already use a waiter, and `for` loops."
        ),
        example=(
            "import time\n\n"
            "import boto3\n\n"
            "cfn = boto3.client(\"cloudformation\")\n\n\n"
            "def wait_for(stack):\n"
            "    while True:\n"
            "        stack_ = cfn.describe_stacks(StackName=stack)[\"Stacks\"][0]\n"
            "        status = stack_[\"StackStatus\"]\n"
            "        if status.endswith(\"_COMPLETE\"):\n"
            "            return status\n"
            "        time.sleep(10)\n"
        ),
        use_instead=(
            "import boto3\n\n"
            "cfn = boto3.client(\"cloudformation\")\n\n\n"
            "def wait_for(stack):\n"
            "    cfn.get_waiter(\"stack_create_complete\").wait(\n"
            "        StackName=stack, WaiterConfig={\"Delay\": 10, \"MaxAttempts\": 60}\n"
            "    )\n"
        ),
        references=(
            "https://boto3.amazonaws.com/v1/documentation/api/latest/guide/clients.html"
            "#waiters",
        ),
    ),
)

# --------------------------------------------------------------------------- transfers

_UPLOAD_OK = frozenset(
    {
        "Bucket", "Key", "Body", "ACL", "CacheControl", "ChecksumAlgorithm",
        "ContentDisposition", "ContentEncoding", "ContentLanguage", "ContentType",
        "ExpectedBucketOwner", "Expires", "GrantFullControl", "GrantRead", "GrantReadACP",
        "GrantWriteACP", "Metadata", "ObjectLockLegalHoldStatus", "ObjectLockMode",
        "ObjectLockRetainUntilDate", "RequestPayer", "SSECustomerAlgorithm", "SSECustomerKey",
        "SSECustomerKeyMD5", "SSEKMSEncryptionContext", "SSEKMSKeyId", "ServerSideEncryption",
        "StorageClass", "Tagging", "WebsiteRedirectLocation",
    }
)
_DOWNLOAD_OK = frozenset(
    {
        "Bucket", "Key", "ChecksumMode", "ExpectedBucketOwner", "RequestPayer",
        "SSECustomerAlgorithm", "SSECustomerKey", "SSECustomerKeyMD5", "VersionId",
    }
)
_OPENERS = frozenset({"open", "io.open", "builtins.open", "codecs.open"})


def _open_mode(call: ast.Call) -> str | None:
    """The literal mode of an ``open(...)`` call (``"r"`` when omitted), else None."""
    mode = call_arg(call, 1, "mode")
    if mode is None:
        return "r"
    text = literal_str(mode)
    return text


class TransferChecker(Checker):
    """AWSBP225: file contents through put_object, get_object bodies written to files."""

    TEXT_GATE = any_word("put_object", "get_object", ".put", "write", "upload", "download")

    CALL_NAMES = frozenset({"put_object", "put", "write", "write_bytes"})

    @classmethod
    def wanted(cls, ctx: FileContext, text: str) -> bool:
        """Only files that put or get S3 objects."""
        return (
            "put_object" in text or "get_object" in text or ".put(" in text or ".get()" in text
        ) and super().wanted(ctx, text)

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        # per frame: name -> "r"/"w" file handle, get_object response, downloaded bytes
        self._files: dict[int, dict[str, str]] = {}
        self._responses: dict[int, set[str]] = {}
        self._bodies: dict[int, set[str]] = {}

    # -- bindings ---------------------------------------------------------------
    def _fid(self) -> int:
        return id(self.ctx.frame.node)

    def _forget(self, name: str) -> None:
        fid = self._fid()
        self._files.get(fid, {}).pop(name, None)
        self._responses.get(fid, set()).discard(name)
        self._bodies.get(fid, set()).discard(name)

    def _opened(self, expr: ast.expr) -> str | None:
        """``"r"``/``"w"`` for a binary-mode ``open(...)`` call, else None."""
        if not isinstance(expr, ast.Call):
            return None
        func = expr.func
        if isinstance(func, ast.Name) and func.id == "open":
            if self.model.lookup("open") is not None or "open" in self.model.imports:
                return None
        elif self.model.qualname(func) not in _OPENERS:
            return None
        mode = _open_mode(expr)
        if mode is None or "b" not in mode:
            return None
        if "r" in mode and "+" not in mode:
            return "r"
        if any(c in mode for c in "wax"):
            return "w"
        return None

    def visit_With(self, node: ast.With) -> None:
        for item in node.items:
            if isinstance(item.optional_vars, ast.Name):
                self._forget(item.optional_vars.id)
                mode = self._opened(item.context_expr)
                if mode is not None:
                    self._files.setdefault(self._fid(), {})[item.optional_vars.id] = mode

    def visit_Assign(self, node: ast.Assign) -> None:
        if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self._forget(target.id)
            return
        name = node.targets[0].id
        self._forget(name)
        fid = self._fid()
        mode = self._opened(node.value)
        if mode is not None:
            self._files.setdefault(fid, {})[name] = mode
        elif isinstance(node.value, ast.Call) and self._is_get_object(node.value):
            self._responses.setdefault(fid, set()).add(name)
        elif self._is_body_read(node.value):
            self._bodies.setdefault(fid, set()).add(name)

    # -- recognisers ------------------------------------------------------------
    def _is_get_object(self, call: ast.Call) -> bool:
        found = method_of(call)
        if found is None or found[1] not in ("get_object", "get"):
            return False
        value = receiver(self.model, call)
        if value is None or not self.ctx.accepts(MANAGED_TRANSFER, value.evidence):
            return False
        if found[1] == "get_object":
            if value.kind is not Kind.CLIENT or canonical(value) != "s3":
                return False
        elif value.kind is not Kind.OBJECT:
            return False
        if has_star_args(call):
            return False
        return keyword_names(call) <= _DOWNLOAD_OK

    def _is_body_read(self, expr: ast.expr) -> bool:
        """``<get_object response>["Body"].read()`` with no size argument."""
        if not (
            isinstance(expr, ast.Call)
            and isinstance(expr.func, ast.Attribute)
            and expr.func.attr == "read"
            and not expr.args
            and not expr.keywords
        ):
            return False
        body = expr.func.value
        if not (isinstance(body, ast.Subscript) and literal_str(body.slice) == "Body"):
            return False
        source = body.value
        if isinstance(source, ast.Name):
            return source.id in self._responses.get(self._fid(), ())
        return isinstance(source, ast.Call) and self._is_get_object(source)

    def _file_contents(self, expr: ast.expr) -> bool:
        """A binary file object opened for reading, its ``.read()``, or ``.read_bytes()``."""
        if self._opened(expr) == "r":
            return True
        if isinstance(expr, ast.Name):
            return self._files.get(self._fid(), {}).get(expr.id) == "r"
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and not (
            expr.args or expr.keywords
        ):
            if expr.func.attr == "read_bytes":
                return True
            if expr.func.attr == "read":
                inner = expr.func.value
                if isinstance(inner, ast.Name):
                    return self._files.get(self._fid(), {}).get(inner.id) == "r"
                return self._opened(inner) == "r"
        return False

    # -- calls ------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        found = method_of(node)
        if found is None:
            return
        recv, method = found
        if method in ("put_object", "put"):
            self._upload(node, method)
        elif method in ("write", "write_bytes") and len(node.args) == 1 and not node.keywords:
            self._download(node, recv, method)

    def _upload(self, node: ast.Call, method: str) -> None:
        body = keyword_arg(node, "Body")
        if body is None or node.args or has_star_args(node):
            return
        if not keyword_names(node) <= _UPLOAD_OK or not self._file_contents(body):
            return
        value = receiver(self.model, node)
        if value is None or not self.ctx.accepts(MANAGED_TRANSFER, value.evidence):
            return
        if method == "put_object":
            if value.kind not in (Kind.CLIENT, Kind.BUCKET) or canonical(value) != "s3":
                return
            alternative = "upload_file()/upload_fileobj()"
        else:
            if value.kind is not Kind.OBJECT:
                return
            alternative = "Object.upload_file()/upload_fileobj()"
        self.ctx.report(
            MANAGED_TRANSFER, node,
            what=f"{method}() sends a file's contents in one request",
            alternative=alternative,
        )

    def _download(self, node: ast.Call, recv: ast.expr, method: str) -> None:
        data = node.args[0]
        if not (
            self._is_body_read(data)
            or (isinstance(data, ast.Name) and data.id in self._bodies.get(self._fid(), ()))
        ):
            return
        if method == "write":
            target_ok = self._opened(recv) == "w" or (
                isinstance(recv, ast.Name) and self._files.get(self._fid(), {}).get(recv.id) == "w"
            )
        else:
            target_ok = True
        if not target_ok:
            return
        self.ctx.report(
            MANAGED_TRANSFER, node,
            what="get_object() body read into memory and written to a file",
            alternative="download_file()/download_fileobj()",
        )


MANAGED_TRANSFER = Rule(
    code="AWSBP225",
    msgid="W7335",
    symbol="s3-transfer-without-transfer-manager",
    message="s3 {what}; use {alternative}, which stream large files in parallel parts with "
    "retries",
    summary="File uploaded with put_object or downloaded with get_object instead of the "
    "managed transfer methods",
    guide_section="AWS SDK (boto3) Optimization › Data Handling",
    checker=TransferChecker,
    min_evidence=Evidence.MEDIUM,
    docs=RuleDocs(
        what=(
            "Finds S3 `put_object()` (client, `Bucket.put_object`, `Object.put`) whose `Body` "
            "is a file opened in binary read mode (`open(path, \"rb\")`, a name bound to it, "
            "its `.read()`, or `Path.read_bytes()`), and `get_object()[\"Body\"].read()` "
            "written straight into a file opened for binary writing (`f.write(...)`) or "
            "`Path.write_bytes(...)`."
        ),
        why=(
            "`put_object` and `get_object` move the whole object in one request: a large file "
            "is held in memory, a dropped connection restarts from zero, and uploads above "
            "5 GB fail. `upload_file`/`upload_fileobj` and `download_file`/"
            "`download_fileobj` switch to multipart/ranged transfers above 8 MB, run the "
            "parts in parallel and retry each part. The guide says \"Use multipart uploads "
            "for large files\".\n\n"
            "Not reported: bodies built in memory (`json.dumps(...)`, bytes, `io.BytesIO`), "
            "files opened in text mode, calls with arguments the transfer methods do not "
            "accept (`ContentMD5`, `IfNoneMatch`, `Range`...), and bodies read in chunks."
        ),
        example=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n\n\n"
            "def publish(path, bucket, key):\n"
            "    with open(path, \"rb\") as f:\n"
            "        s3.put_object(Bucket=bucket, Key=key, Body=f)\n"
        ),
        use_instead=(
            "import boto3\n\n"
            "s3 = boto3.client(\"s3\")\n\n\n"
            "def publish(path, bucket, key):\n"
            "    s3.upload_file(path, bucket, key)\n"
        ),
        references=(
            "https://boto3.amazonaws.com/v1/documentation/api/latest/guide/s3-uploading-files.html",
            "https://boto3.amazonaws.com/v1/documentation/api/latest/reference/customizations/"
            "s3.html",
        ),
    ),
)

RULES: tuple[Rule, ...] = (
    UNPAGINATED_CALL,
    BATCH_UNCHECKED,
    PER_ITEM_IN_LOOP,
    DYNAMODB_FLOAT,
    POLLING_LOOP,
    MANAGED_TRANSFER,
)
