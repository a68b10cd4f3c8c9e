"""The value every check produces: one finding at one place in the source."""

from __future__ import annotations

from awsbp.valueobject import ValueObject


class Finding(ValueObject):
    """One reported problem.

    Lines are 1-based; columns are 0-based UTF-8 byte offsets, exactly as in the
    stdlib ``ast`` (flake8 prints ``col + 1``, pylint prints ``col``).

    Immutable: never assign to an attribute after construction. Compares, hashes and
    orders by value: the tuple of the fields in declaration order (so findings sort by
    position, then code and message).
    """

    __slots__ = ("code", "col", "end_col", "end_line", "line", "message")

    line: int
    col: int
    code: str
    message: str
    end_line: int
    end_col: int

    def __init__(
        self, line: int, col: int, code: str, message: str, end_line: int, end_col: int
    ) -> None:
        self.line = line
        self.col = col
        self.code = code
        self.message = message
        self.end_line = end_line
        self.end_col = end_col

    def _key(self) -> tuple[int, int, str, str, int, int]:
        return (self.line, self.col, self.code, self.message, self.end_line, self.end_col)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return self._key() < other._key()

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return self._key() <= other._key()

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return self._key() > other._key()

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return self._key() >= other._key()

    def __repr__(self) -> str:
        return (
            f"Finding({self.line}:{self.col}-{self.end_line}:{self.end_col} "
            f"{self.code} {self.message!r})"
        )

    def as_text(self) -> str:
        """Render as ``AWSBPnnn message`` (the flake8 text)."""
        return f"{self.code} {self.message}"
