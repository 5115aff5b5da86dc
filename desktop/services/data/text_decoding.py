"""Bytes from other programs to text, one piece at a time.

A contact file seldom says its encoding. Reading the whole file in one
encoding lets one stray byte (a row pasted from another file, a value from
an old database) turn every row into mojibake, or pass silently. So:

- a byte-order mark decides (UTF-8, UTF-16);
- otherwise each line is UTF-8 when it can be; a file with UTF-8 in it
  reads its other lines in the 8-bit code page that fits them best, and the
  lines read that way are reported;
- a file without any UTF-8 is one 8-bit code page, Windows-1252 or Mac Roman
  (what Excel writes on Western Windows and on the Mac), chosen by which
  one makes words of the bytes: Mac Roman's "ü" is byte 0x9F, which
  Windows-1252 reads as "Ÿ" inside a word ("MŸller"), and Latin-1 as an
  invisible control character.

``charset_codec`` turns a charset name found in a file into a Python codec,
or None, whatever the name holds (a NUL byte, a binary codec's name).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

LINE_BREAK = re.compile(rb"\r\n|\r|\n")
_SHOWN = {"utf-8": "UTF-8", "cp1252": "Windows-1252", "mac-roman": "Mac Roman"}


def shown_name(codec: str) -> str:
    """A codec name as people know it ("Windows-1252", not "cp1252")."""
    name = codecs.lookup(codec).name
    if name in _SHOWN:
        return _SHOWN[name]
    if re.fullmatch(r"cp125\d", name):
        return f"Windows-{name[2:]}"
    return name.upper() if name.startswith(("utf", "iso", "koi")) else name


def charset_codec(name: str) -> str | None:
    """The Python codec for a charset named in a file, or None when the name
    is unknown, malformed, or names something that is not a text encoding."""
    try:
        info = codecs.lookup(name.strip().strip('"'))
    except (LookupError, ValueError, TypeError):  # ValueError: a NUL in the name
        return None
    if not getattr(info, "_is_text_encoding", True):  # base64, zlib, rot13…
        return None
    return info.name


_FINAL_ACCENTS = frozenset("éèáàóòíúãõçñ")


def _word_score(text: str) -> int:
    """How much ``text``'s non-ASCII characters read as letters of words.
    A letter inside a word scores, a symbol inside a word (Mac Roman's "¸"
    for Windows-1252's "ü") or an upper-case letter in a lower-case word
    (Windows-1252's "Ÿ" for Mac Roman's "ü") costs; a common accented letter
    ending a word scores half. Characters beside spaces or punctuation, such
    as quotes and dashes, count for neither."""
    score = 0
    for index, ch in enumerate(text):
        if ord(ch) < 128:
            continue
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        if before.isalpha() and after.isalpha():
            if not ch.isalpha() or (ch.isupper() and after.islower()):
                score -= 2
            else:
                score += 2
        elif before.isalpha() and ch in _FINAL_ACCENTS:
            score += 1
    return score


def guess_8bit(raw: bytes) -> str:
    """ "cp1252" or "mac-roman", whichever reads ``raw`` as more words
    (Windows-1252 when they read alike)."""
    scores = {
        codec: _word_score(raw.decode(codec, errors="replace")) for codec in ("cp1252", "mac-roman")
    }
    return "mac-roman" if scores["mac-roman"] > scores["cp1252"] else "cp1252"


@dataclass
class DecodedText:
    text: str
    encoding: str  # as shown: "UTF-8", "Windows-1252", "Mac Roman", "UTF-16"
    # Line numbers (1-based, as a CSV reader counts them) read by a fallback,
    # and what the fallback was ("Windows-1252"; "" when bytes were replaced).
    fallback_lines: list[int] = field(default_factory=list)
    fallback: str = ""
    replaced_lines: list[int] = field(default_factory=list)


def _split_keeping_ends(raw: bytes) -> list[bytes]:
    pieces: list[bytes] = []
    start = 0
    for match in LINE_BREAK.finditer(raw):
        pieces.append(raw[start : match.end()])
        start = match.end()
    if start < len(raw):
        pieces.append(raw[start:])
    return pieces


def decode_lines(raw: bytes) -> DecodedText:
    """``raw`` as text by the rules in the module's docstring."""
    if raw.startswith(codecs.BOM_UTF8):
        return _by_line(raw[3:], "utf-8", None)
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            text = raw[2:].decode(codec, errors="replace")
            replaced = [n for n, line in enumerate(text.splitlines(), 1) if "\ufffd" in line]
            return DecodedText(text, "UTF-16", replaced_lines=replaced)
    try:
        return DecodedText(raw.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError:
        pass
    lines = _split_keeping_ends(raw)
    bad = [line for line in lines if not _is_utf8(line)]
    legacy = guess_8bit(b"".join(bad))
    has_utf8 = any(not line.isascii() and _is_utf8(line) for line in lines)
    return _by_line(raw, "utf-8" if has_utf8 else legacy, legacy)


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _by_line(raw: bytes, primary: str, fallback: str | None) -> DecodedText:
    out: list[str] = []
    result = DecodedText("", shown_name(primary))
    for number, line in enumerate(_split_keeping_ends(raw), 1):
        try:
            out.append(line.decode(primary))
            continue
        except UnicodeDecodeError:
            pass
        if fallback and fallback != primary:
            try:
                out.append(line.decode(fallback))
                result.fallback_lines.append(number)
                result.fallback = shown_name(fallback)
                continue
            except UnicodeDecodeError:
                pass
        out.append(line.decode(primary, errors="replace"))
        result.replaced_lines.append(number)
    result.text = "".join(out)
    return result


def line_list(numbers: list[int], limit: int = 8) -> str:
    """ "line 4", "lines 4, 9 and 12", "lines 4, 9, … (23 in all)"."""
    if len(numbers) == 1:
        return f"line {numbers[0]}"
    shown = [str(n) for n in numbers[:limit]]
    if len(numbers) > limit:
        return f"lines {', '.join(shown)}, … ({len(numbers)} in all)"
    return f"lines {', '.join(shown[:-1])} and {shown[-1]}"
