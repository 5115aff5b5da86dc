"""A whole name, as people type it in an address book or a spreadsheet,
split into the parts LetterDesk keeps: honorific, first name, last name and
credentials.

Both importers use it: the CSV importer for a "Name" column, the vCard
importer for a card that has only FN (or puts a whole name in the given
name, as phones do). The rules, in order:

- credentials and generational suffixes at the end, after a comma or not
  ("MD", "Ph.D.", "Jr.", "III") go to credentials;
- "Last, First" (one comma left) is family name first;
- honorifics at the start ("Dr.", "Prof. Dr.", "Dra.", "Mme") go to the
  honorific;
- lower-case particles before the last word belong to the last name
  ("van Beethoven", "de la Cruz");
- the last remaining word is the last name, the others the first name; a
  single word is a last name (the form requires one).

Phone address books decorate names to sort them ("zzMad Perla 45"): words
without a letter and a glued sort prefix are dropped, and ``changed`` says
so, so the importer can keep the name as written in the notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Compared without dots and case: "Ph.D." is "phd".
_CREDENTIALS = frozenset(
    [
        "md",
        "do",
        "phd",
        "mbbs",
        "mbchb",
        "mbbch",
        "bmbs",
        "mph",
        "msc",
        "ms",
        "ma",
        "mba",
        "ba",
        "bs",
        "bsc",
        "rn",
        "np",
        "pa",
        "pac",
        "dnp",
        "msn",
        "crnp",
        "faan",
        "facs",
        "facp",
        "fccp",
        "facc",
        "faap",
        "facog",
        "facep",
        "frcp",
        "frcs",
        "frcpc",
        "frcsc",
        "frcpath",
        "mrcp",
        "mrcs",
        "jd",
        "dds",
        "dmd",
        "pharmd",
        "dvm",
        "edd",
        "psyd",
        "dphil",
        "dm",
        "habil",
        "mmed",
        "ms",
        "mch",
        "dch",
        "lmsw",
        "lcsw",
        "otr",
        "pt",
        "dpt",
        "aprn",
        "fnp",
    ]
)
_SUFFIXES = frozenset(["jr", "sr", "ii", "iii", "iv", "v", "esq"])
_HONORIFICS = frozenset(
    [
        "dr",
        "dra",
        "drs",
        "prof",
        "professor",
        "profa",
        "doctor",
        "mr",
        "mrs",
        "ms",
        "mx",
        "miss",
        "sir",
        "dame",
        "rev",
        "fr",
        "pr",
        "herr",
        "frau",
        "mme",
        "mlle",
        "me",
        "sr",
        "sra",
        "srta",
        "dott",
        "dottssa",
        "prdr",
        "privdoz",
        "pd",
    ]
)
_PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "degli",
        "di",
        "da",
        "das",
        "dos",
        "do",
        "du",
        "des",
        "la",
        "le",
        "ter",
        "ten",
        "bin",
        "ibn",
        "al",
        "el",
        "zu",
    ]
)
# A phone's sort prefix glued to the name: "zzMad", "aaaBob", "!Bob", "_Bob".
_SORT_PREFIX = re.compile(r"^(?:z{2,}|a{3,}|[!_.*~#]+)(?=[^\W\d_])")


@dataclass(frozen=True)
class PersonName:
    honorific: str
    first: str
    last: str
    credentials: str
    changed: bool = False  # words were dropped (decorations, not name parts)


def _bare(word: str) -> str:
    return word.replace(".", "").replace("-", "").casefold()


def _is_credential(word: str) -> bool:
    bare = _bare(word.strip(","))
    return bare in _CREDENTIALS or bare in _SUFFIXES


def _is_honorific(word: str) -> bool:
    return _bare(word) in _HONORIFICS


def _has_letter(word: str) -> bool:
    return any(ch.isalpha() for ch in word)


def split_full_name(text: str) -> PersonName:
    """The parts of ``text`` by the rules in the module's docstring."""
    changed = False
    words = text.replace(",", " , ").split()
    # Decorations: a glued sort prefix, words without any letter (but keep
    # the commas, which carry meaning).
    cleaned: list[str] = []
    for word in words:
        if word != "," and not _has_letter(word):
            changed = True
            continue
        stripped = _SORT_PREFIX.sub("", word)
        changed = changed or stripped != word
        cleaned.append(stripped)
    words = cleaned

    credentials: list[str] = []
    while words and (words[-1] == "," or _is_credential(words[-1])):
        word = words.pop()
        if word != ",":
            credentials.insert(0, word)
    # Keep at least one word as the name: "MD" alone is somebody's initials.
    if not [w for w in words if w != ","] and credentials:
        words, credentials = credentials[:1], credentials[1:]

    first_words: list[str]
    if "," in words:
        at = words.index(",")
        last_words = [w for w in words[:at] if w != ","]
        first_words = [w for w in words[at + 1 :] if w != ","]
        if not first_words:
            first_words, last_words = last_words[:-1], last_words[-1:]
        elif not last_words:  # ", Maria": nothing before the comma
            first_words, last_words = first_words[:-1], first_words[-1:]
    else:
        first_words, last_words = words[:-1], words[-1:]

    honorific: list[str] = []
    for source in (first_words, last_words):
        while source and _is_honorific(source[0]) and len(first_words) + len(last_words) > 1:
            honorific.append(source.pop(0))
    if "," not in words:
        # Particles before the last word belong to the last name.
        while len(first_words) > 1 and first_words[-1].casefold() in _PARTICLES:
            last_words.insert(0, first_words.pop())
        if not last_words and first_words:
            last_words = [first_words.pop()]

    return PersonName(
        honorific=" ".join(honorific),
        first=" ".join(first_words),
        last=" ".join(last_words),
        credentials=", ".join(credentials),
        changed=changed,
    )
