"""An order-processing Lambda function, written the way many first versions are.

Run ``flake8 --select AWSBP examples/`` to see what awsbp says about it.
"""

from __future__ import annotations

import json
import logging
import os

import boto3

logger = logging.getLogger(__name__)
TABLE_NAME = os.environ.get("TABLE_NAME", "orders")


def load_order(order_id: str) -> dict:
    """Fetch one order from DynamoDB."""
    table = boto3.resource("dynamodb").Table(TABLE_NAME)
    return table.get_item(Key={"order_id": order_id}).get("Item", {})


def lambda_handler(event, context):
    """Handle an API Gateway request for one order."""
    s3 = boto3.client("s3")
    order = load_order(event["pathParameters"]["id"])
    receipts = []
    for line in order.get("lines", []):
        receipt = s3.get_object(Bucket="receipts", Key=line["receipt_key"])
        receipts.append(receipt["Body"].read().decode())
    logger.info("order %s has %d receipts", order.get("order_id"), len(receipts))
    return {"statusCode": 200, "body": json.dumps({"receipts": receipts})}
