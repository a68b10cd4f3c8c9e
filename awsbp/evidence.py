"""How sure the semantic model is about what a receiver is."""

from __future__ import annotations

import enum


class Evidence(enum.IntEnum):
    """Evidence levels, ordered: a rule asks for at least one of these.

    * ``HIGH``: the receiver was resolved to a boto3 factory with a known service.
    * ``MEDIUM``: not resolved, but the module imports an AWS SDK and the name of
      the receiver (``s3_client``, ``self.ddb``) or a unique operation name points
      to one service.
    * ``LOW``: ambiguous.
    """

    LOW = 1
    MEDIUM = 2
    HIGH = 3

    @classmethod
    def parse(cls, text: str) -> Evidence:
        """Parse ``low``/``medium``/``high`` (any case)."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown evidence level {text!r} (expected low, medium or high)"
            ) from None
