"""What an email template can say about one letter request: plain values
(strings, numbers, lists of dicts) read from the store, with dates already
written the way a person writes them ("December 11, 2026").

The field names are documented in ``desktop.services.mail.templates.FIELDS``;
``sample_context`` has the same shape, for previews before any data exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from desktop.domain.greeting import mentor_greeting
from desktop.domain.letter_services import cap_sentence, service_rules
from desktop.domain.people import mentor_display_name, mentor_salutation
from desktop.domain.vocabulary import (
    CapScope,
    ExperienceKind,
    LetterType,
    ProgramStatus,
    RequestStatus,
    Service,
)

from .models import (
    Assignment,
    Cycle,
    Experience,
    ExperienceMentor,
    Interaction,
    LetterRequest,
    Mentor,
    Profile,
    Program,
)
from .today import as_day, fk_id

Context = dict[str, Any]

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _cycle_context(
    name: str, service: Service, outcome_on: date | None, cap: int, scope: str
) -> Context:
    """The cycle's part of the context: its service's portal, how the writer
    gets the request and the Letter ID's name come from the declaration."""
    rules = service_rules(service)
    return {
        "name": name,
        "service": rules.display_name,
        "portal": rules.portal,
        "writer_request": rules.writer_request,
        "letter_id_name": rules.letter_id.name if rules.letter_id else "",
        "outcome_on": readable_date(outcome_on),
        "max_letters_per_program": cap,
        "cap_text": cap_sentence(cap, scope, rules),
    }


def _is_standardized(letter_type: str) -> bool:
    try:
        return LetterType(letter_type).is_standardized
    except ValueError:
        return False


def readable_date(day: date | None) -> str:
    """ "December 11, 2026" (the same in every locale); "" for no date."""
    if day is None:
        return ""
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def _period(start: date | None, end: date | None) -> str:
    if start and end:
        if start.year == end.year:
            return f"{_MONTHS[start.month - 1]} {start.day} – {readable_date(end)}"
        return f"{readable_date(start)} – {readable_date(end)}"
    if start:
        return f"since {readable_date(start)}"
    return f"until {readable_date(end)}" if end else ""


def due_in(due: date | None, today: date) -> str:
    """ "in 6 days", "tomorrow", "in about 6 weeks", "3 days ago"."""
    if due is None:
        return ""
    days = (due - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    if days < 0:
        return f"{-days} days ago"
    if days < 14:
        return f"in {days} days"
    return f"in about {round(days / 7)} weeks"


def _waiver_text(waiver: bool | None) -> str:
    if waiver is None:
        return ""
    if waiver:
        return "I have waived my right to see this letter."
    return "I have not waived my right to see this letter."


def _applicant(profile: Profile | None) -> Context:
    if profile is None:
        return {
            "full_name": "",
            "first_name": "",
            "email": "",
            "school": "",
            "graduation_year": "",
            "target_specialty": "",
            "aamc_id": "",
            "signature": "",
        }
    full_name = profile.full_name.strip()
    return {
        "full_name": full_name,
        "first_name": full_name.split(" ")[0] if full_name else "",
        "email": profile.email,
        "school": profile.school,
        "graduation_year": str(profile.graduation_year or ""),
        "target_specialty": profile.target_specialty,
        "aamc_id": profile.aamc_id,
        "signature": profile.signature.strip() or full_name,
    }


def _mentor(mentor: Mentor) -> Context:
    names = (mentor.honorific, mentor.first_name, mentor.last_name, mentor.credentials)
    return {
        "greeting": mentor_greeting(mentor.greeting, *names),
        "salutation": mentor_salutation(*names),
        "full_name": mentor_display_name(
            mentor.honorific, mentor.first_name, mentor.last_name, mentor.credentials
        ),
        "honorific": mentor.honorific,
        "first_name": mentor.first_name,
        "last_name": mentor.last_name,
        "credentials": mentor.credentials,
        "title": mentor.title,
        "department": mentor.department,
        "institution": mentor.institution,
        "specialty": mentor.specialty,
        "email": mentor.email,
    }


def _rotation(mentor_id: int, today: date) -> Context | None:
    """The most recent experience shared with the mentor that has begun;
    rotations and sub-internships come before research or jobs, because
    that is what a letter usually speaks to."""
    query = (
        Experience.select()
        .join(ExperienceMentor)
        .where(ExperienceMentor.mentor == mentor_id)
        .order_by(Experience.id)
    )
    best: tuple[tuple[bool, date, date], Experience] | None = None
    for experience in query:
        start, end = as_day(experience.start_date), as_day(experience.end_date)
        if start is not None and start > today:
            continue  # not begun: nothing to recall yet
        try:
            clinical = ExperienceKind(experience.kind).is_clinical
        except ValueError:
            clinical = False
        key = (clinical, min(end or today, today), start or date.min)
        if best is None or key > best[0]:
            best = (key, experience)
    if best is None:
        return None
    experience = best[1]
    try:
        kind = ExperienceKind(experience.kind).label
    except ValueError:
        kind = experience.kind
    return {
        "title": experience.title,
        "kind": kind,
        "institution": experience.institution,
        "specialty": experience.specialty,
        "period": _period(as_day(experience.start_date), as_day(experience.end_date)),
        "start": readable_date(as_day(experience.start_date)),
        "end": readable_date(as_day(experience.end_date)),
    }


def _highlights(mentor_id: int) -> list[Context]:
    query = (
        Interaction.select()
        .where((Interaction.mentor == mentor_id) & Interaction.mention_in_letter)
        .order_by(Interaction.occurred_on, Interaction.id)
    )
    return [
        {"date": readable_date(as_day(i.occurred_on)), "kind": i.kind, "summary": i.summary}
        for i in query
    ]


def _programs(request_id: int) -> list[tuple[Program, date | None]]:
    query = (
        Program.select()
        .join(Assignment)
        .where(Assignment.request == request_id)
        .order_by(Program.deadline.asc(nulls="LAST"), Program.name)
    )
    return [(program, as_day(program.deadline)) for program in query]


def _outcome(cycle: Cycle, service: Service, programs: list[Program]) -> Context:
    """The program the applicant matched at (or was admitted to): one this
    letter went to first, else any program of the cycle."""
    matched = [p for p in programs if p.status == ProgramStatus.MATCHED.value]
    if not matched:
        matched = list(
            Program.select()
            .where((Program.cycle == cycle.id) & (Program.status == ProgramStatus.MATCHED.value))
            .order_by(Program.id)
            .limit(1)
        )
    return {
        "program": matched[0].name if matched else "",
        "verb": service_rules(service).outcome_verb,
    }


def _label(enum: type, value: str) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return value


def context_for_request(request_id: int, today: date) -> Context:
    """Everything a template may use about one request, as plain values."""
    request = LetterRequest.get_by_id(request_id)
    mentor = Mentor.get_by_id(fk_id(request, "mentor"))
    cycle = Cycle.get_by_id(fk_id(request, "cycle"))
    try:
        service = Service(cycle.service)
    except ValueError:
        service = Service.OTHER
    programs = _programs(request_id)
    due = as_day(request.due_on)
    deadlines = [d for _p, d in programs if d is not None]
    letter_id = request.letter_id or ""
    about_mentor = _mentor(mentor)
    return {
        "today": readable_date(today),
        "greeting": about_mentor["greeting"],
        "applicant": _applicant(Profile.select().order_by(Profile.id).first()),
        "mentor": about_mentor,
        "request": {
            "letter_type": _label(LetterType, request.letter_type),
            "specialty": request.specialty,
            "status": _label(RequestStatus, request.status),
            "waiver": request.waiver,
            "waiver_text": _waiver_text(request.waiver),
            "letter_id": letter_id,
            "standardized": _is_standardized(request.letter_type),
            "asked_on": readable_date(as_day(request.asked_on)),
            "due_on": readable_date(due),
            "submitted_on": readable_date(as_day(request.submitted_on)),
        },
        "cycle": _cycle_context(
            cycle.name,
            service,
            as_day(cycle.outcome_on),
            cycle.max_letters_per_program,
            cycle.cap_scope,
        ),
        "programs": [
            {
                "name": program.name,
                "deadline": readable_date(deadline),
                "location": program.location,
                "specialty": program.specialty,
            }
            for program, deadline in programs
        ],
        "deadlines": {
            "letter_due": readable_date(due),
            "due_in": due_in(due, today),
            "days_left": (due - today).days if due else None,
            "earliest": readable_date(min(deadlines)) if deadlines else "",
            "latest": readable_date(max(deadlines)) if deadlines else "",
        },
        "letter_id": letter_id,
        "rotation": _rotation(mentor.id, today),
        "highlights": _highlights(mentor.id),
        "outcome": _outcome(cycle, service, [p for p, _d in programs]),
    }


# --- the writer's summary -------------------------------------------------------------


@dataclass(frozen=True)
class Applicant:
    full_name: str
    school: str
    graduation_year: int | None
    email: str
    aamc_id: str
    target_specialty: str


@dataclass(frozen=True)
class Highlight:
    """A log entry marked "mention in my letter"."""

    on: date
    kind: str  # an InteractionKind value
    summary: str


@dataclass(frozen=True)
class SummaryFacts:
    """What the writer's summary PDF says about one request, read at once."""

    mentor_id: int
    honorific: str
    first_name: str
    last_name: str
    credentials: str
    cycle_name: str
    service: Service
    letter_type: LetterType
    specialty: str
    letter_id: str | None
    waiver: bool | None
    due_on: date | None
    applicant: Applicant | None
    highlights: tuple[Highlight, ...]  # oldest first
    greeting: str = ""  # "Dear Dr. Lopez", the mentor's own or inferred


def writer_last_name(request_id: int) -> str:
    request = LetterRequest.get_by_id(request_id)
    return str(Mentor.get_by_id(fk_id(request, "mentor")).last_name)


def summary_facts(request_id: int) -> SummaryFacts:
    request = LetterRequest.get_by_id(request_id)
    mentor = Mentor.get_by_id(fk_id(request, "mentor"))
    cycle = Cycle.get_by_id(fk_id(request, "cycle"))
    profile = Profile.select().order_by(Profile.id).first()
    applicant = (
        Applicant(
            full_name=profile.full_name,
            school=profile.school,
            graduation_year=profile.graduation_year,
            email=profile.email,
            aamc_id=profile.aamc_id,
            target_specialty=profile.target_specialty,
        )
        if profile is not None
        else None
    )
    marked = (
        Interaction.select()
        .where((Interaction.mentor == mentor.id) & Interaction.mention_in_letter)
        # Oldest day first; within a day the newest entry first, as the log lists it.
        .order_by(Interaction.occurred_on, Interaction.id.desc())
    )
    highlights = tuple(
        Highlight(as_day(i.occurred_on) or date.min, i.kind, i.summary) for i in marked
    )
    return SummaryFacts(
        mentor_id=int(mentor.id),
        honorific=mentor.honorific,
        first_name=mentor.first_name,
        last_name=mentor.last_name,
        credentials=mentor.credentials,
        cycle_name=cycle.name,
        service=Service(cycle.service),
        letter_type=LetterType(request.letter_type),
        specialty=request.specialty,
        letter_id=request.letter_id,
        waiver=request.waiver,
        due_on=as_day(request.due_on),
        applicant=applicant,
        highlights=highlights,
        greeting=mentor_greeting(
            mentor.greeting,
            mentor.honorific,
            mentor.first_name,
            mentor.last_name,
            mentor.credentials,
        ),
    )


def sample_context(today: date | None = None) -> Context:
    """A made-up request with every field filled, for previews without data."""
    today = today or date.today()
    due = today + timedelta(days=38)
    start, end = today - timedelta(days=30), today - timedelta(days=3)
    first, second = today + timedelta(days=60), today + timedelta(days=75)
    return {
        "today": readable_date(today),
        "greeting": "Dear Dr. Patel",
        "applicant": {
            "full_name": "Jordan Rivera",
            "first_name": "Jordan",
            "email": "jordan.rivera@example.edu",
            "school": "Lakeshore University School of Medicine",
            "graduation_year": str(today.year + 1),
            "target_specialty": "Internal Medicine",
            "aamc_id": "12345678",
            "signature": "Jordan Rivera\nMS4, Lakeshore University School of Medicine",
        },
        "mentor": {
            "greeting": "Dear Dr. Patel",
            "salutation": "Dr. Patel",
            "full_name": "Dr. Anika Patel, MD",
            "honorific": "Dr.",
            "first_name": "Anika",
            "last_name": "Patel",
            "credentials": "MD",
            "title": "Associate Professor of Medicine",
            "department": "Department of Medicine",
            "institution": "Lakeshore University Hospital",
            "specialty": "Internal Medicine",
            "email": "a.patel@example.edu",
        },
        "request": {
            "letter_type": LetterType.NARRATIVE.label,
            "specialty": "Internal Medicine",
            "status": RequestStatus.PLANNED.label,
            "waiver": True,
            "waiver_text": _waiver_text(True),
            "letter_id": "ERAS-10001",
            "standardized": False,
            "asked_on": "",
            "due_on": readable_date(due),
            "submitted_on": "",
        },
        "cycle": _cycle_context(
            f"ERAS {today.year + 1}",
            Service.ERAS_RESIDENCY,
            date(today.year + 1, 3, 19),
            4,
            CapScope.PER_PROGRAM.value,
        ),
        "programs": [
            {
                "name": "Lakeshore University Internal Medicine",
                "deadline": readable_date(first),
                "location": "Chicago, IL",
                "specialty": "Internal Medicine",
            },
            {
                "name": "Riverside Community Internal Medicine",
                "deadline": readable_date(second),
                "location": "Milwaukee, WI",
                "specialty": "Internal Medicine",
            },
        ],
        "deadlines": {
            "letter_due": readable_date(due),
            "due_in": due_in(due, today),
            "days_left": (due - today).days,
            "earliest": readable_date(first),
            "latest": readable_date(second),
        },
        "letter_id": "ERAS-10001",
        "rotation": {
            "title": "Internal medicine sub-internship",
            "kind": ExperienceKind.SUB_INTERNSHIP.label,
            "institution": "Lakeshore University Hospital",
            "specialty": "Internal Medicine",
            "period": _period(start, end),
            "start": readable_date(start),
            "end": readable_date(end),
        },
        "highlights": [
            {
                "date": readable_date(today - timedelta(days=20)),
                "kind": "presentation",
                "summary": "Presented a complex admission on rounds.",
            },
            {
                "date": readable_date(today - timedelta(days=9)),
                "kind": "accomplishment",
                "summary": "Led a family meeting while you observed.",
            },
        ],
        "outcome": {"program": "", "verb": service_rules(Service.ERAS_RESIDENCY).outcome_verb},
    }
