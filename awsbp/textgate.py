"""Cheap tests on a file's whole text, run before any walking.

A gate only says "this file might matter"; it must never be narrower than what
its rule or checker reports. Plain substring tests run at C speed, where a
regular expression that starts with an alternation or a word boundary scans slowly.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol


class TextGate(Protocol):
    """Anything with ``search(text)`` returning None when the text cannot matter."""

    def search(self, string: str, /) -> object | None:
        """None when ``string`` cannot matter, something else when it might."""
        ...


class RememberingGate:
    """A gate that keeps its answer for the last text seen (by identity).

    One gate often serves several rules, and the engine, a checker's ``wanted`` and its
    ``__init__`` ask about the same file in a row. Subclasses implement :meth:`test`.
    """

    __slots__ = ("_last",)

    _last: tuple[str, object | None] | None

    def __init__(self) -> None:
        self._last = None

    def search(self, string: str, /) -> object | None:
        """None when ``string`` cannot matter, something else when it might."""
        last = self._last
        if last is not None and last[0] is string:
            return last[1]
        found = self.test(string)
        self._last = (string, found)
        return found

    def test(self, string: str, /) -> object | None:
        """The answer for a text not seen just before."""
        raise NotImplementedError


class AnyWord(RememberingGate):
    """Passes when any of ``words`` occurs in the text (case-folded with ``fold``)."""

    __slots__ = ("_tests", "fold", "then", "words")

    def __init__(
        self, words: tuple[str, ...], fold: bool = False, then: re.Pattern[str] | None = None
    ) -> None:
        super().__init__()
        self.words = words
        self.fold = fold
        self.then = then
        self._tests = _substring_tests(words)

    def test(self, string: str, /) -> object | None:
        """True when a word occurs (and ``then``, if given, also matches), else None."""
        hay = string.lower() if self.fold else string
        for test in self._tests:
            if test(hay):
                return True if self.then is None else self.then.search(string)
        return None


def _substring_tests(words: tuple[str, ...]) -> list[Callable[[str], object]]:
    """One C-speed test per word, or per group of words sharing a 4-letter prefix.

    Each ``word in text`` scans the whole text when the word is absent; words with a
    common prefix (``get_secret_value``, ``get_parameter``) share one scan as a regex
    that opens with the literal prefix, which the engine skips ahead to.
    """
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[:4] if len(word) >= 4 else word, []).append(word)
    tests: list[Callable[[str], object]] = []
    for prefix, group in groups.items():
        if len(group) == 1:
            tests.append(_contains(group[0]))
        else:
            rests = sorted({word[len(prefix):] for word in group}, key=len, reverse=True)
            pattern = re.escape(prefix) + "(?:" + "|".join(map(re.escape, rests)) + ")"
            tests.append(re.compile(pattern).search)
    return tests


def _contains(word: str) -> Callable[[str], bool]:
    """``word in text`` as a one-argument test."""

    def test(text: str) -> bool:
        return word in text

    return test


class EitherGate(RememberingGate):
    """Passes when a case-sensitive pattern matches or a word occurs, case-folded."""

    __slots__ = ("folded_word", "pattern")

    def __init__(self, pattern: re.Pattern[str], folded_word: str) -> None:
        super().__init__()
        self.pattern = pattern
        self.folded_word = folded_word

    def test(self, string: str, /) -> object | None:
        """True when the pattern matches or the word occurs in any letter case."""
        word = self.folded_word
        # the word as written in lower case needs no lower-cased copy of the text
        if word in string or self.pattern.search(string) is not None or word in string.lower():
            return True
        return None


def _identifier_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def has_word(
    text: str, word: str, *, right: bool = True, then: re.Pattern[str] | None = None
) -> bool:
    """Whether ``word`` occurs with no identifier character just before it.

    With ``right``, none just after it either; with ``then``, the pattern must match
    right after it. Found with ``str.find`` (C speed): a regular expression that starts
    with a word boundary cannot skip ahead to its literal and tests every position.
    """
    size = len(word)
    position = text.find(word)
    while position != -1:
        end = position + size
        if (
            (position == 0 or not _identifier_char(text[position - 1]))
            and not (right and end < len(text) and _identifier_char(text[end]))
            and (then is None or then.match(text, end) is not None)
        ):
            return True
        position = text.find(word, position + 1)
    return False


class WordGate(RememberingGate):
    """Passes when :func:`has_word` finds ``word``."""

    __slots__ = ("right", "then", "word")

    def __init__(
        self, word: str, right: bool = True, then: re.Pattern[str] | None = None
    ) -> None:
        super().__init__()
        self.word = word
        self.right = right
        self.then = then

    def test(self, string: str, /) -> object | None:
        """True when the word occurs as a word (see :func:`has_word`), else None."""
        return True if has_word(string, self.word, right=self.right, then=self.then) else None


def any_word(*words: str, fold: bool = False, then: str | None = None) -> AnyWord:
    """An :class:`AnyWord` gate; ``then`` is a regex confirmed only after a word hit."""
    return AnyWord(
        tuple(w.lower() for w in words) if fold else tuple(words),
        fold,
        re.compile(then) if then else None,
    )
