"""Value equality for awsbp's small immutable classes (what a frozen dataclass gave)."""

from __future__ import annotations


class ValueObject:
    """Compares and hashes by :meth:`_key`: its fields, in declaration order.

    Only instances of the very same class compare equal, as with dataclasses.
    Subclasses declare ``__slots__`` and are immutable by convention: nothing assigns to
    an attribute after construction (a runtime guard would slow down their creation).
    """

    __slots__ = ()

    def _key(self) -> tuple[object, ...]:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ValueObject) or other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())
