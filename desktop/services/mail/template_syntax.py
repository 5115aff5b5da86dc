"""Templates for people who are not programmers: plain-language names for
the fields ("Mentor's greeting" for ``{{ greeting }}``), a reading of each
``{% … %}`` tag in words ("If there is: Your rotation together"), and the
parts of a template that are syntax rather than prose (which the spell
check skips).

``segments(source)`` cuts a template into text, fields and tags; joining
the ``source`` of every segment gives the template back unchanged, so a
view built from the segments can be turned back into the same text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from desktop.services.mail.template_fields import FIELDS

# {{ … }}, {% … %}, {# … #}; an opener without its closer runs to the end
# of the line (a tag being typed).
_SYNTAX = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\{[{%#][^\n]*")
_NAME = r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*"
_PLAIN_FIELD = re.compile(rf"^\{{\{{-?\s*({_NAME})\s*-?\}}\}}$")
_FIRST_NAME = re.compile(_NAME)
_TAG_BODY = re.compile(r"^\{%[-+]?\s*(.*?)\s*[-+]?%\}$", re.DOTALL)

# The names a non-programmer sees: on the editor's chips and in the simple view.
FIELD_LABELS: dict[str, str] = {
    "greeting": "Mentor's greeting",
    "mentor.greeting": "Mentor's greeting",
    "mentor.salutation": "Mentor's name as addressed",
    "mentor.full_name": "Mentor's full name",
    "mentor.honorific": "Mentor's title (Dr.)",
    "mentor.first_name": "Mentor's first name",
    "mentor.last_name": "Mentor's last name",
    "mentor.credentials": "Mentor's credentials",
    "mentor.title": "Mentor's position",
    "mentor.department": "Mentor's department",
    "mentor.institution": "Mentor's hospital",
    "mentor.specialty": "Mentor's specialty",
    "mentor.email": "Mentor's email",
    "applicant.full_name": "Your name",
    "applicant.first_name": "Your first name",
    "applicant.email": "Your email",
    "applicant.school": "Your school",
    "applicant.graduation_year": "Your graduation year",
    "applicant.target_specialty": "Your specialty",
    "applicant.aamc_id": "Your AAMC ID",
    "applicant.signature": "Your signature",
    "request.letter_type": "Letter type",
    "request.specialty": "Letter's specialty",
    "request.status": "Letter's status",
    "request.standardized": "Standardized letter (yes/no)",
    "request.waiver": "Waiver given",
    "request.waiver_text": "Waiver sentence",
    "request.letter_id": "Letter ID",
    "request.asked_on": "Day you asked",
    "request.due_on": "Due date",
    "request.submitted_on": "Day submitted",
    "cycle.name": "Application season",
    "cycle.service": "Application service",
    "cycle.portal": "Upload portal",
    "cycle.writer_request": "How the writer gets the request",
    "cycle.letter_id_name": "The service's name for the Letter ID",
    "cycle.cap_text": "Letter cap in words",
    "cycle.outcome_on": "Match or decision day",
    "cycle.max_letters_per_program": "Letter cap",
    "programs": "List of programs",
    "deadlines.letter_due": "Due date",
    "deadlines.due_in": "Time until due",
    "deadlines.days_left": "Days left",
    "deadlines.earliest": "Earliest program deadline",
    "deadlines.latest": "Latest program deadline",
    "letter_id": "Letter ID",
    "rotation": "Your rotation together",
    "rotation.title": "Rotation name",
    "rotation.period": "Rotation dates",
    "highlights": "Highlights from your log",
    "outcome.program": "Program you matched at",
    "outcome.verb": "“matched at” / “was admitted to”",
    "today": "Today's date",
}

# The chips above the editor, in the order an email uses them.
CHIPS: tuple[str, ...] = (
    "greeting",
    "mentor.salutation",
    "applicant.full_name",
    "applicant.signature",
    "request.letter_type",
    "request.due_on",
    "deadlines.due_in",
    "letter_id",
    "cycle.name",
    "cycle.portal",
    "rotation",
    "highlights",
    "programs",
    "today",
)

_FIELD_PATHS = {field.path for field in FIELDS}


def field_label(path: str) -> str:
    """ "Mentor's greeting" for "greeting"; a readable guess for any other."""
    if path in FIELD_LABELS:
        return FIELD_LABELS[path]
    return path.replace("_", " ").replace(".", ": ").capitalize()


def syntax_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of every ``{{ }}``, ``{% %}`` and ``{# #}`` in ``line``."""
    return [match.span() for match in _SYNTAX.finditer(line)]


@dataclass(frozen=True)
class Segment:
    kind: Literal["text", "field", "tag"]
    source: str  # exactly as in the template
    label: str = ""  # what the simple view shows for a field or a tag


def segments(source: str) -> list[Segment]:
    """The template cut into text, fields and tags, in order."""
    found: list[Segment] = []
    loops: dict[str, str] = {}  # loop variable → the list it walks
    position = 0
    for match in _SYNTAX.finditer(source):
        if match.start() > position:
            found.append(Segment("text", source[position : match.start()]))
        found.append(_segment(match.group(), loops))
        position = match.end()
    if position < len(source):
        found.append(Segment("text", source[position:]))
    return found


def join(parts: list[Segment]) -> str:
    return "".join(part.source for part in parts)


def _segment(syntax: str, loops: dict[str, str]) -> Segment:
    if syntax.startswith("{{"):
        return Segment("field", syntax, _expression_label(syntax, loops))
    if syntax.startswith("{#"):
        return Segment("tag", syntax, "Note")
    return Segment("tag", syntax, _tag_label(syntax, loops))


def _name_label(name: str, loops: dict[str, str]) -> str:
    head, _, rest = name.partition(".")
    if head in loops:  # "item.summary" inside "for item in highlights"
        walked = field_label(loops[head])
        return f"{walked}: {rest.replace('_', ' ')}" if rest else walked
    return field_label(name)


def _expression_label(syntax: str, loops: dict[str, str]) -> str:
    plain = _PLAIN_FIELD.match(syntax)
    if plain:
        return _name_label(plain.group(1), loops)
    inner = syntax.strip("{}-+ ")
    first = _FIRST_NAME.search(inner)
    if first:
        return f"{_name_label(first.group(), loops)} (worked out)"
    return "Worked-out value"


def _condition_label(condition: str, loops: dict[str, str]) -> str:
    negated = condition.startswith("not ")
    name = condition[4:].strip() if negated else condition
    if re.fullmatch(_NAME, name):
        label = _name_label(name, loops)
        return f"there is no: {label}" if negated else f"there is: {label}"
    first = _FIRST_NAME.search(condition)
    return f"a condition on {_name_label(first.group(), loops)}" if first else "a condition"


def _tag_label(syntax: str, loops: dict[str, str]) -> str:
    match = _TAG_BODY.match(syntax)
    body = match.group(1) if match else syntax.strip("{}%-+ ")
    keyword, _, rest = body.partition(" ")
    rest = rest.strip()
    if keyword == "if":
        return f"If {_condition_label(rest, loops)}"
    if keyword == "elif":
        return f"Otherwise, if {_condition_label(rest, loops)}"
    if keyword == "else":
        return "Otherwise"
    if keyword == "endif":
        return "End of “if”"
    if keyword == "for":
        variable, _, iterable = rest.partition(" in ")
        iterable = iterable.split("[", 1)[0].split("|", 1)[0].strip()
        loops[variable.strip()] = iterable
        return f"For each of: {_name_label(iterable, loops)}"
    if keyword == "endfor":
        return "End of the list"
    return "Template logic"


def unknown_chips() -> Iterator[str]:
    """Chips whose field does not exist (a test keeps this empty)."""
    return (path for path in CHIPS if path not in _FIELD_PATHS)
