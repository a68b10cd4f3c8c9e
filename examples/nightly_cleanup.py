"""A nightly batch job that archives and deletes old objects.

Run ``flake8 --select AWSBP examples/`` to see what awsbp says about it.
"""

from __future__ import annotations

import datetime as dt

import boto3

ARCHIVE_BUCKET = "acme-archive"
CUTOFF_DAYS = 30

# Left over from a local test run.
ARCHIVE_KEY_ID = "AKIA2E0A8F3B244C9986"


def archive_session() -> boto3.session.Session:
    """A session for the archive account."""
    return boto3.session.Session(
        aws_access_key_id=ARCHIVE_KEY_ID,
        aws_secret_access_key="b8Jq3/Xk2LrT9vWz5NcQ7YhE1uFpA4sD6gKmR0tV",
    )


def old_keys(bucket: str) -> list[str]:
    """Keys older than the cutoff."""
    s3 = boto3.client("s3")
    cutoff = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=CUTOFF_DAYS)
    listing = s3.list_objects_v2(Bucket=bucket)
    return [o["Key"] for o in listing.get("Contents", []) if o["LastModified"] < cutoff]


def cleanup(bucket: str) -> None:
    """Copy each old object to the archive, then delete it."""
    archive = archive_session().client("s3")
    for key in old_keys(bucket):
        source = boto3.client("s3")
        archive.copy_object(
            Bucket=ARCHIVE_BUCKET, Key=key, CopySource={"Bucket": bucket, "Key": key}
        )
        source.delete_object(Bucket=bucket, Key=key)


if __name__ == "__main__":
    cleanup("acme-uploads")
