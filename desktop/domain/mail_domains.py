"""Mail domains as they go on the wire, and domains that only look honest.

``ascii_domain`` is the one place a domain becomes its ASCII (IDNA, "xn--")
form: Message-IDs, the SMTP envelope, the headers and the DNS lookups of the
server discovery all use it, so a non-ASCII domain cannot slip into one of
them. It uses the ``idna`` package (IDNA 2008 with UTS #46 mapping), not the
standard library's "idna" codec, which implements IDNA 2003 and turns
``faß.de`` into a different domain (``fass.de``).

``homograph_warning`` flags a domain whose letters come from scripts that
are used to imitate one another (Latin, Cyrillic, Greek): "hospitаl.org"
with a Cyrillic "а" reads like a real hospital and goes out as
``xn--hospitl-…``. An honest domain in one script (``пример.рф``,
``bücher.de``) is not flagged.
"""

from __future__ import annotations

import re
import unicodedata

import idna

_ASCII_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")

# Scripts whose letters are commonly passed off as one another's.
_CONFUSABLE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")
# Cyrillic and Greek letters that look like Latin ones: a label made only of
# these, in a domain that is otherwise ASCII, imitates a Latin word.
_LATIN_LOOKALIKES = frozenset(
    "аеорсуххіјѕԁһӏԛԝүԍвкмнтАЕОРСУХІЈЅԀҺӀԚԜҮВКМНТ"  # Cyrillic
    "αο νρτυχικΑΒΕΖΗΙΚΜΝΟΡΤΥΧ".replace(" ", "")  # Greek
)


def ascii_domain(domain: str) -> str:
    """The domain in ASCII (lower case, IDNA-encoded where needed); raises
    ``ValueError`` when it is not a valid domain name."""
    text = domain.strip().rstrip(".")
    if not text:
        raise ValueError("empty domain")
    if text.isascii():
        lowered = text.lower()
        labels = lowered.split(".")
        plain = all(_ASCII_LABEL.fullmatch(x) and not x.startswith("xn--") for x in labels)
        if plain and len(lowered) <= 253:
            return lowered
    try:
        return idna.encode(text, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError) as exc:
        raise ValueError(f"{domain!r} is not a valid domain name: {exc}") from exc


def unicode_domain(domain: str) -> str:
    """The domain as a person reads it ("xn--" labels decoded)."""
    try:
        return idna.decode(domain)
    except (idna.IDNAError, UnicodeError):
        return domain


def _script(char: str) -> str | None:
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    return next((script for script in _CONFUSABLE_SCRIPTS if name.startswith(script)), "OTHER")


def homograph_warning(domain: str) -> str | None:
    """A sentence for the user when ``domain`` mixes look-alike scripts in
    one label, or spells a Latin-looking label in Cyrillic or Greek letters
    under an ASCII top-level domain; ``None`` for an honest domain."""
    readable = unicode_domain(domain.strip().rstrip("."))
    if readable.isascii():
        return None
    labels = readable.split(".")
    for label in labels:
        scripts = {s for s in map(_script, label) if s is not None}
        mixed = len(scripts & set(_CONFUSABLE_SCRIPTS)) > 1
        disguised = (
            bool(scripts)
            and scripts <= {"CYRILLIC", "GREEK"}
            and labels[-1].isascii()
            and all(c in _LATIN_LOOKALIKES for c in label if c.isalpha())
        )
        if mixed or disguised:
            found = ", ".join(sorted(s.title() for s in scripts))
            try:
                wire = ascii_domain(readable)
            except ValueError:
                wire = domain
            how = (
                f"mixes letters of different alphabets ({found})"
                if mixed
                else f"is written in {found} letters that look like Latin ones"
            )
            return (
                f"The domain {readable} {how}; it goes out as {wire}. It may imitate "
                "another address: check it letter by letter, or type it again by hand."
            )
    return None
