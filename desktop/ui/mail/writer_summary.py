"""The writer's summary ("brag sheet"): one PDF for the writer of a letter
with who the applicant is, what the letter is for, how to submit it, and
what they saw the applicant do.

Made with Qt's own PDF writer (``QPdfWriter``) from HTML built here, with
every piece of user text escaped. Fonts are embedded by Qt; the family list
below names fonts with wide coverage, and Qt's font fallback fills in any
script they lack (accents, CJK, Arabic…), so names print as typed.

PDF generation can take longer than a frame; callers on the GUI thread run
``write_writer_summary`` through ``tasks.run_in_background`` (QTextDocument
and QPdfWriter work on a worker thread once the QGuiApplication exists).
"""

from __future__ import annotations

import os
import re
from datetime import date
from html import escape
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from desktop.domain.letter_services import service_rules
from desktop.domain.people import mentor_display_name
from desktop.domain.vocabulary import InteractionKind, LetterType, Service
from desktop.files import atomic_path
from desktop.store.experiences import ExperienceRow, load_experience_rows
from desktop.store.programs import AssignedProgram, assignments_for_request
from desktop.store.template_context import Highlight, summary_facts, writer_last_name

FONT_FAMILIES = [
    "DejaVu Sans",
    "Noto Sans",
    "Segoe UI",
    "Helvetica Neue",
    "Arial",
    "Noto Sans CJK SC",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans Arabic",
]


def _text(value: object) -> str:
    """Escaped text with line breaks kept."""
    return escape(str(value)).replace("\n", "<br>")


def long_date(day: date | None) -> str:
    if day is None:
        return "—"
    return f"{day:%B} {day.day}, {day.year}"


def summary_file_name(request_id: int) -> str:
    """A file name for the attachment: ``Writer summary - Okafor.pdf``."""
    last = re.sub(r"[^\w\- ]+", "", writer_last_name(request_id)).strip() or "writer"
    return f"Writer summary - {last}.pdf"


def _submission_steps(service: Service, letter_type: LetterType, letter_id: str | None) -> str:
    """How the writer submits, from the service's declaration."""
    rules = service_rules(service)
    steps = [escape(rules.writer_request)]
    if letter_type.is_standardized:
        steps.append(
            f"This is a standardized letter ({escape(letter_type.label)}): please complete "
            "the specialty's form as the request explains."
        )
    elif rules.portal:
        steps.append(
            "Please submit the letter as a PDF on letterhead, signed and dated, through "
            f"<b>{escape(rules.portal)}</b>."
        )
    else:
        steps.append("Submit the letter as the programs below instruct.")
    if rules.letter_id is not None:
        name = escape(rules.letter_id.name)
        if letter_id:
            steps.append(
                f"The {name} belongs to this one letter; please do not use it for another."
            )
        else:
            steps.append(f"I will send the {name} as soon as I have it.")
    return "".join(f"<li>{step}</li>" for step in steps)


def _waiver_text(waiver: bool | None) -> str:
    if waiver is True:
        return "Waived: I have waived my right to see this letter."
    if waiver is False:
        return "Not waived: I have kept my right to see this letter."
    return "Not answered yet."


def _programs_table(programs: list[AssignedProgram]) -> str:
    if not programs:
        return "<p><i>The programs are not chosen yet; I will send the list.</i></p>"
    rows = "".join(
        f"<tr><td>{_text(p.name)}</td><td>{escape(long_date(p.deadline))}</td></tr>"
        for p in programs
    )
    return (
        '<table width="100%" cellspacing="0" cellpadding="4" border="1" '
        'style="border-collapse: collapse; border-color: #c8c8c8;">'
        '<tr style="background: #eef3f7;"><th align="left">Program</th>'
        f'<th align="left" width="32%">Deadline</th></tr>{rows}</table>'
    )


def _experiences(rows: list[ExperienceRow]) -> str:
    if not rows:
        return ""
    items = []
    for row in rows:
        span = " – ".join(long_date(d) for d in (row.start_date, row.end_date) if d is not None)
        where = ", ".join(part for part in (row.institution, row.specialty) if part)
        detail = "; ".join(part for part in (where, span) if part)
        suffix = f" <span style='color:#555'>({_text(detail)})</span>" if detail else ""
        items.append(f"<li><b>{_text(row.title)}</b>{suffix}</li>")
    return "<h2>Where we worked together</h2><ul>" + "".join(items) + "</ul>"


def _highlights(highlights: list[Highlight]) -> str:
    if not highlights:
        return (
            "<h2>Highlights you may remember</h2><p><i>Nothing is marked "
            "“mention in my letter” in my log with you yet.</i></p>"
        )
    items = "".join(
        f"<li><b>{escape(long_date(h.on))}</b> ({_text(_kind_label(h.kind))}): "
        f"{_text(h.summary)}</li>"
        for h in highlights
    )
    return f"<h2>Highlights you may remember</h2><ul>{items}</ul>"


def _kind_label(kind: str) -> str:
    try:
        return InteractionKind(kind).label
    except ValueError:
        return kind


def writer_summary_html(request_id: int, *, goals: str = "", today: date | None = None) -> str:
    """The summary as HTML (also usable for an on-screen preview)."""
    today = today or date.today()
    facts = summary_facts(request_id)
    profile = facts.applicant
    service = facts.service
    letter_type = facts.letter_type
    applicant = profile.full_name if profile else ""
    writer = mentor_display_name(
        facts.honorific, facts.first_name, facts.last_name, facts.credentials
    )
    greeting = facts.greeting
    highlights = list(facts.highlights)
    # Only work that has begun: a rotation starting next week is not yet
    # something the writer saw.
    experiences = [
        row
        for row in load_experience_rows(facts.mentor_id)
        if row.start_date is None or row.start_date <= today
    ]
    programs = assignments_for_request(request_id)

    about = []
    if profile is not None:
        school = profile.school
        if profile.graduation_year:
            school = (
                f"{school}, class of {profile.graduation_year}"
                if school
                else (f"Class of {profile.graduation_year}")
            )
        for label, value in (
            ("School", school),
            ("Email", profile.email),
            ("AAMC ID", profile.aamc_id),
        ):
            if value:
                about.append(f"<tr><td width='28%'><b>{label}</b></td><td>{_text(value)}</td></tr>")
    target = (profile.target_specialty if profile else "") or facts.specialty
    goal_rows = [f"<tr><td width='28%'><b>Target specialty</b></td><td>{_text(target)}</td></tr>"]
    if goals.strip():
        goal_rows.append(f"<tr><td><b>My goals</b></td><td>{_text(goals.strip())}</td></tr>")
    goal_rows.append(f"<tr><td><b>Applying through</b></td><td>{_text(facts.cycle_name)}</td></tr>")
    rules = service_rules(service)
    letter_rows = [
        ("Portal", escape(rules.portal or "as the programs instruct")),
        ("Letter", _text(f"{letter_type.label}, specialty: {facts.specialty or 'General'}")),
        ("Waiver", escape(_waiver_text(facts.waiver))),
        ("Please submit by", f"<b>{escape(long_date(facts.due_on))}</b>"),
    ]
    if rules.letter_id is not None or facts.letter_id:
        # An ID the user typed is shown even where the service names none.
        name = rules.letter_id.name if rules.letter_id is not None else "Letter ID"
        letter_id = f"<b>{_text(facts.letter_id)}</b>" if facts.letter_id else "to follow"
        letter_rows.insert(0, (name, letter_id))
    letter_table = "".join(
        f"<tr><td width='28%'><b>{label}</b></td><td>{value}</td></tr>"
        for label, value in letter_rows
    )
    return f"""<html><body>
<h1 style="color:#275d85;">Letter of recommendation: summary for {_text(writer)}</h1>
<p>{_text(greeting)}, thank you for writing for me. Everything you need is on this page.
<br><span style="color:#555">Prepared by {_text(applicant)}
on {escape(long_date(today))}.</span></p>
<h2>About me: {_text(applicant)}</h2>
<table width="100%" cellpadding="2">{"".join(about)}{"".join(goal_rows)}</table>
<h2>How to submit</h2>
<table width="100%" cellpadding="2">{letter_table}</table>
<ul>{_submission_steps(service, letter_type, facts.letter_id)}</ul>
<h2>Programs and deadlines</h2>
{_programs_table(programs)}
{_highlights(highlights)}
{_experiences(experiences)}
<p style="color:#555">Questions, or want to meet? Reply to my email
{_text(profile.email if profile and profile.email else "")}; I am glad to send anything else.</p>
</body></html>"""


def write_writer_summary(
    request_id: int, path: str | os.PathLike[str], *, goals: str = "", today: date | None = None
) -> Path:
    """Write the summary PDF for ``request_id`` to ``path`` and return it.
    The PDF is written under a temporary name and renamed into place, so a
    failure never leaves half a file where the attachment is expected."""
    target = Path(path)
    html = writer_summary_html(request_id, goals=goals, today=today)
    with atomic_path(target) as part:
        writer = QPdfWriter(str(part))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
        # QTextDocument.print_ adds its own 2 cm margin (and the page
        # numbers in it), so the page itself needs none.
        writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
        writer.setResolution(300)
        writer.setCreator("LetterDesk")
        writer.setTitle(f"Writer's summary for {writer_last_name(request_id)}")
        document = QTextDocument()
        font = QFont()
        font.setFamilies(FONT_FAMILIES)
        font.setPointSizeF(10.5)
        document.setDefaultFont(font)
        document.setDefaultStyleSheet(
            "h1 { font-size: 17pt; } h2 { font-size: 13pt; color: #275d85; margin-top: 14px; }"
            " li { margin-bottom: 3px; }"
        )
        document.setHtml(html)
        document.print_(writer)
        del writer  # finishes and closes the file
    return target
