"""Spell checking for the emails an applicant writes: which words look
misspelt, what they might have meant, and the words the user added.

The English word list is pyspellchecker's (word frequencies shipped as
package data, so it works offline and in the frozen build); LetterDesk adds
a short list of medical and application words (``resources/spelling``:
specialties, SLOE, ERAS, ResidencyCAS…) so the words this app is about are
never flagged. Words the user adds go to a plain text file in the data
folder, one per line.

Checking a word is a dictionary lookup (a 500-word body takes about a
millisecond); loading the list takes a tenth of a second, so the UI does it
on a worker (``SpellChecker.load``) before the first check.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from desktop.errors import UserError
from desktop.files import atomic_write
from desktop.resources import resource_path

# Letters (any script) with inner apostrophes or hyphens: "don't", "follow-up".
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
# Not prose: web and email addresses, and words glued to digits ("PGY2").
_NOT_PROSE = re.compile(r"\S+@\S+|\w+://\S+|www\.\S+|\S*\d\S*")
MAX_SUGGESTIONS = 6
# Beyond this length a two-letter-edit search gets slow (seconds for a
# 14-letter word); one edit is still tried.
_TWO_EDITS_UP_TO = 9


class DictionaryNotSaved(UserError):
    pass


@dataclass(frozen=True)
class Misspelling:
    start: int  # index into the text checked
    length: int
    word: str


def _normal(word: str) -> str:
    return unicodedata.normalize("NFC", word).replace("’", "'").casefold()


@cache
def _english() -> Any:
    """pyspellchecker's English list, loaded once per process."""
    from spellchecker import SpellChecker as Frequencies

    return Frequencies(language="en", case_sensitive=False)


def medical_words() -> dict[str, str]:
    """The shipped extra words, by their checked form ("residencycas") with
    the way they are written ("ResidencyCAS")."""
    path = resource_path("spelling", "medical-words.txt")
    return {_normal(word): word for word in _lines_of(path.read_text(encoding="utf-8"))}


def _lines_of(text: str) -> Iterator[str]:
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            yield line


def word_spans(text: str, skip: Iterable[tuple[int, int]] = ()) -> Iterator[Misspelling]:
    """Every word in ``text`` worth checking, with its position; nothing
    inside the ``skip`` spans (start, end), addresses, or words with digits."""
    blocked = sorted(skip) + [(m.start(), m.end()) for m in _NOT_PROSE.finditer(text)]
    blocked.sort()
    for match in _WORD.finditer(text):
        start, end = match.span()
        if any(s < end and start < e for s, e in blocked):
            continue
        word = match.group().strip("'’-")
        yield Misspelling(start, len(match.group()), word)


class SpellChecker:
    """One user's checker: the shipped lists plus their own words (kept in
    ``user_dictionary``, a file in their data folder)."""

    def __init__(self, user_dictionary: Path) -> None:
        self.user_dictionary = user_dictionary
        self._extra: dict[str, str] = {}
        self._user: set[str] = set()
        self._allowed: set[str] = set()  # names met in this session, not stored
        self._lock = threading.Lock()
        self._loaded = False

    @property
    def is_loaded(self) -> bool:
        return self._loaded

    def load(self) -> SpellChecker:
        """Read the word lists (about 0.1 s the first time in a process)."""
        with self._lock:
            if not self._loaded:
                _english()
                self._extra = medical_words()
                self._user = self._read_user_words()
                self._loaded = True
        return self

    def _read_user_words(self) -> set[str]:
        try:
            text = self.user_dictionary.read_text(encoding="utf-8")
            return {_normal(word) for word in _lines_of(text)}
        except FileNotFoundError:
            return set()
        except (OSError, UnicodeDecodeError):
            return set()  # unreadable: checking works without it; adding rewrites it

    def is_known(self, word: str) -> bool:
        if not self._loaded:
            self.load()
        normal = _normal(word)
        if len(normal) < 2 or normal in self._user or normal in self._extra:
            return True
        if normal in self._allowed:
            return True
        if word.isupper() and len(word) <= 6:
            return True  # an acronym: "MSPE", "USMLE"
        frequencies = _english().word_frequency.dictionary
        if normal in frequencies:
            return True
        if normal.endswith("'s") and normal[:-2] in frequencies:
            return True
        # "follow-up", "sub-internship": each part a word
        parts = re.split(r"[-']", normal)
        return len(parts) > 1 and all(
            p in frequencies or p in self._extra or p in self._user for p in parts if p
        )

    def misspellings(self, text: str, skip: Iterable[tuple[int, int]] = ()) -> list[Misspelling]:
        return [span for span in word_spans(text, skip) if not self.is_known(span.word)]

    def suggestions(self, word: str) -> list[str]:
        """Likely meant words, most common first, in the word's own case."""
        if not self._loaded:
            self.load()
        english = _english()
        normal = _normal(word)
        found = english.known(english.edit_distance_1(normal))
        if not found and len(normal) <= _TWO_EDITS_UP_TO:
            found = english.known(english.edit_distance_2(normal))
        # The shipped words keep their own case ("SLOE", "ResidencyCAS").
        extra = sorted(written for w, written in self._extra.items() if _close(normal, w))
        own = sorted(w for w in self._user if _close(normal, w))
        ranked = sorted(found, key=lambda w: -english.word_usage_frequency(w))
        ordered = extra + [_same_case(word, w) for w in own + ranked if w not in self._extra]
        return ordered[:MAX_SUGGESTIONS]

    def allow(self, texts: Iterable[str]) -> None:
        """Accept the words of ``texts`` for this session without storing
        them: the names the app already knows (the mentor's, the
        applicant's, the programs'), which an email is full of."""
        for text in texts:
            self._allowed.update(_normal(m.group()) for m in _WORD.finditer(text or ""))

    def add(self, word: str) -> None:
        """Remember ``word`` for this user (written at once, atomically)."""
        normal = _normal(word)
        if not normal or normal in self._user:
            return
        words = sorted(self._user | {normal})
        try:
            self.user_dictionary.parent.mkdir(parents=True, exist_ok=True)
            with atomic_write(self.user_dictionary) as handle:
                handle.write(("\n".join(words) + "\n").encode("utf-8"))
        except OSError as error:
            raise DictionaryNotSaved(
                f"“{word}” could not be added to your dictionary ({error.strerror or error}). "
                "Check that the data folder can be written to, then try again."
            ) from error
        self._user.add(normal)


def _close(word: str, candidate: str) -> bool:
    """One letter added, dropped, changed or two swapped (for the short
    shipped lists, where pyspellchecker's search does not look)."""
    if abs(len(word) - len(candidate)) > 1 or word == candidate:
        return False
    if len(word) == len(candidate):
        diffs = [i for i, (a, b) in enumerate(zip(word, candidate, strict=True)) if a != b]
        if len(diffs) == 1:
            return True
        i = diffs[0] if len(diffs) == 2 else -1
        return len(diffs) == 2 and diffs[1] == i + 1 and word[i] == candidate[i + 1]
    short, long = sorted((word, candidate), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _same_case(original: str, suggestion: str) -> str:
    if original.isupper() and len(original) > 1:
        return suggestion.upper()
    if original[:1].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


_checkers: dict[Path, SpellChecker] = {}


def checker_for(user_dictionary: Path) -> SpellChecker:
    """The one checker for a data folder's dictionary (shared by compose and
    the template editor, so a word added in one is known in the other)."""
    key = user_dictionary.absolute()
    if key not in _checkers:
        _checkers[key] = SpellChecker(key)
    return _checkers[key]
