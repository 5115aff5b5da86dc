"""Email templates: rendering in Jinja2's sandbox, problems reported at
their line, the documented fields, and the built-in templates shipped in
``resources/templates``.

Rendering is strict: a field that does not exist is an error (with the
line and the fields that do exist), never an empty gap in a sent email.
The sandbox keeps a template from reaching Python internals. Lines that
hold only a tag (``{% if … %}``, ``{% endfor %}``) disappear from the
output; every other line keeps its line break, so templates read as the
email they make.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from jinja2 import StrictUndefined, Template
from jinja2.exceptions import (
    SecurityError,
    TemplateError,
    TemplateRuntimeError,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.utils import missing

from desktop.domain.vocabulary import TemplatePurpose
from desktop.errors import UserError
from desktop.resources import resource_path
from desktop.services.mail.template_fields import FIELDS, TemplateField
from desktop.services.mail.template_limits import LimitedEnvironment, TemplateLimit, render_limited
from desktop.store import templates as stored_templates
from desktop.store.templates import TemplateText

__all__ = [
    "FIELDS",
    "Rendered",
    "TemplateField",
    "TemplateProblem",
    "TemplateText",
    "builtin_templates",
    "ensure_builtin_templates",
    "find_problem",
    "is_edited",
    "render",
    "reset_to_default",
]

SUBJECT, BODY = "subject", "body"
# Characters that end a line in an email header (or in str.splitlines()).
_LINE_BREAKS = re.compile("[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_TAG = re.compile(r"\{%.*?%\}")
_TEMPLATE_FILE = "<template>"  # Jinja's filename for templates made from strings


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


class TemplateProblem(UserError):
    """Why a template cannot be used: ``message`` is the sentence to show,
    ``line`` the 1-based line in ``field`` ("subject" or "body")."""

    def __init__(self, message: str, line: int | None, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.field = field

    def __repr__(self) -> str:
        return f"TemplateProblem({self.message!r}, line={self.line}, field={self.field!r})"


class _MissingField(UndefinedError):
    """A field that is not in the context; keeps where the lookup failed."""

    def __init__(self, message: str | None = None, *, owner: Any, name: str | None) -> None:
        super().__init__(message)
        self.owner = owner
        self.name = name


class _FieldUndefined(StrictUndefined):
    """StrictUndefined whose error remembers the object and the name looked
    up, so the message can say "'mentor.frist_name' is not a field"."""

    __slots__ = ()

    def __init__(
        self,
        hint: str | None = None,
        obj: Any = missing,
        name: str | None = None,
        exc: type[TemplateRuntimeError] = UndefinedError,
    ) -> None:
        if exc is UndefinedError and hint is None:
            exc = partial(_MissingField, owner=obj, name=name)  # type: ignore[assignment]
        super().__init__(hint, obj, name, exc)


def _environment() -> LimitedEnvironment:
    # Immutable sandbox with time, size and depth limits (template_limits).
    return LimitedEnvironment(
        undefined=_FieldUndefined,
        autoescape=False,  # plain-text email, not HTML
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_ENV = _environment()


def _keep_line_breaks(source: str) -> str:
    """With trim_blocks a line *ending* in a tag would lose its line break
    ("- {{ p.name }}{% if … %}…{% endif %}"). Jinja's ``+%}`` keeps it; add
    it where a line has text besides tags. Line numbers do not change."""
    lines = source.split("\n")
    for number, line in enumerate(lines):
        stripped = line.rstrip()
        if (
            stripped.endswith("%}")
            and not stripped.endswith(("-%}", "+%}"))
            and _TAG.sub("", stripped).strip()
        ):
            lines[number] = stripped[:-2] + "+%}" + line[len(stripped) :]
    return "\n".join(lines)


def _template_line(traceback: TracebackType | None) -> int | None:
    """The template line of the innermost template frame Jinja rewrote into
    the traceback."""
    line = None
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == _TEMPLATE_FILE:
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def _path_to(target: Any, value: Any, path: str) -> str | None:
    """Where ``target`` sits in the context, as "mentor" or "programs[]"."""
    if value is target:
        return path
    if isinstance(value, dict):
        for key, item in value.items():
            found = _path_to(target, item, f"{path}.{key}" if path else str(key))
            if found:
                return found
    elif isinstance(value, list):
        for item in value:
            found = _path_to(target, item, f"{path}[]")
            if found:
                return found
    return None


def _explain_missing(error: _MissingField, context: dict[str, Any]) -> str:
    name = error.name or "?"
    if error.owner is missing:
        available = sorted(context)
        where, shown = "", name
    elif isinstance(error.owner, dict):
        available = sorted(error.owner)
        where = _path_to(error.owner, context, "") or ""
        shown = f"{where}.{name}" if where and not where.endswith("[]") else name
    else:
        # e.g. "rotation.title" when there is no rotation (None) for this request
        return (
            f"'{name}' cannot be read from an empty value ({error}). "
            "Put it inside {% if … %} so it is used only when present."
        )
    prefix = f"{where}." if where and not where.endswith("[]") else ""
    close = difflib.get_close_matches(name, available, n=1)
    hint = f" Did you mean '{prefix}{close[0]}'?" if close else ""
    owner = f" of each item in {where[:-2]}" if where.endswith("[]") else ""
    return (
        f"'{shown}' is not a field{owner}.{hint} "
        f"Available: {', '.join(prefix + key for key in available)}."
    )


def _compile(source: str, field: str) -> Template:
    try:
        return _ENV.from_string(_keep_line_breaks(source))
    except TemplateSyntaxError as error:
        raise _problem(field, error.lineno, error.message or str(error)) from None


def _problem(field: str, line: int | None, text: str) -> TemplateProblem:
    where = "Subject" if field == SUBJECT else f"Line {line}" if line else "Body"
    return TemplateProblem(f"{where}: {text}", line, field)


def _render_one(source: str, field: str, context: dict[str, Any]) -> str:
    template = _compile(source, field)
    try:
        return render_limited(template, context)
    except TemplateLimit as error:
        line = _template_line(error.__traceback__)
        raise _problem(field, line, str(error)) from None
    except _MissingField as error:
        line = _template_line(error.__traceback__)
        raise _problem(field, line, _explain_missing(error, context)) from None
    except SecurityError as error:
        line = _template_line(error.__traceback__)
        raise _problem(field, line, f"not allowed in a template ({error})") from None
    except TemplateError as error:
        line = _template_line(error.__traceback__)
        raise _problem(field, line, error.message or str(error)) from None
    except (TypeError, ValueError, ArithmeticError, LookupError) as error:
        # e.g. {{ 1 / 0 }} or a filter given the wrong kind of value
        line = _template_line(error.__traceback__)
        raise _problem(field, line, str(error)) from None


def render(subject_tpl: str, body_tpl: str, context: dict[str, Any]) -> Rendered:
    """Fill both templates with ``context``; raise ``TemplateProblem`` for a
    syntax error, an unknown field, something the sandbox forbids, or a
    subject that would not be a single header line."""
    subject = _render_one(subject_tpl, SUBJECT, context).strip()
    if _LINE_BREAKS.search(subject):
        raise _problem(SUBJECT, 1, "the subject must be one line, but it contains a line break.")
    body = _render_one(body_tpl, BODY, context)
    return Rendered(subject, body)


def find_problem(
    subject_tpl: str, body_tpl: str, context: dict[str, Any]
) -> TemplateProblem | None:
    try:
        render(subject_tpl, body_tpl, context)
    except TemplateProblem as problem:
        return problem
    return None


# --- built-in templates ----------------------------------------------------


def _parse_builtin(purpose: TemplatePurpose, path: Path) -> TemplateText:
    """A file is "Name: …" and "Subject: …" lines, a blank line, the body."""
    text = path.read_text(encoding="utf-8")
    head, _, body = text.partition("\n\n")
    headers = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        headers[key.strip().casefold()] = value.strip()
    if "subject" not in headers or not body.strip():
        raise ValueError(f"{path} needs a Subject: line, a blank line and a body")
    return TemplateText(
        purpose, headers.get("name", purpose.value), headers["subject"], body.lstrip("\n")
    )


def builtin_templates() -> dict[TemplatePurpose, TemplateText]:
    """The shipped default for every purpose, read from resources/templates."""
    folder = resource_path("templates")
    return {
        purpose: _parse_builtin(purpose, folder / f"{purpose.value}.txt")
        for purpose in TemplatePurpose
    }


def ensure_builtin_templates() -> int:
    """Add the built-in template of each purpose that has none yet (the
    user's edits to one are kept). Returns how many were added."""
    return stored_templates.add_missing_builtins(builtin_templates().values())


def reset_to_default(purpose: TemplatePurpose | str) -> int:
    """Put the shipped text back into the built-in template of ``purpose``
    (creating it if it was deleted); returns its id."""
    return stored_templates.restore_builtin(builtin_templates()[TemplatePurpose(purpose)])


class _TemplateLike(Protocol):
    purpose: str
    subject: str
    body: str


def is_edited(row: _TemplateLike, defaults: dict[TemplatePurpose, TemplateText]) -> bool:
    """A built-in template whose text differs from what ships."""
    try:
        default = defaults[TemplatePurpose(row.purpose)]
    except (ValueError, KeyError):
        return False
    return (row.subject, row.body) != (default.subject, default.body)
