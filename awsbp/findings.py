"""The value every check produces: one finding at one place in the source."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Finding:
    """One reported problem.

    Lines are 1-based; columns are 0-based UTF-8 byte offsets, exactly as in the
    stdlib ``ast`` (flake8 prints ``col + 1``, pylint prints ``col``).
    """

    line: int
    col: int
    code: str
    message: str
    end_line: int
    end_col: int

    def as_text(self) -> str:
        """Render as ``AWSBPnnn message`` (the flake8 text)."""
        return f"{self.code} {self.message}"
