"""The applicant's profile and application cycles."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime

import peewee as pw

from desktop.domain.letter_services import cap_problem, service_rules
from desktop.domain.vocabulary import CapScope
from desktop.errors import UserError

from .models import Cycle, Profile


@dataclass
class ProfileFields:
    full_name: str
    email: str = ""
    school: str = ""
    graduation_year: int | None = None
    target_specialty: str = ""


@dataclass
class CycleFields:
    service: str
    name: str
    # The letter cap; ``cap_scope`` says what it counts (None: the
    # service's own scope, which is all a service with a fixed cap allows).
    max_letters_per_program: int
    opens_on: date | None = None
    submissions_open_on: date | None = None
    review_starts_on: date | None = None
    outcome_on: date | None = None
    cap_scope: str | None = None


@dataclass(frozen=True)
class ProfileDetails:
    """The applicant as stored, with what the form does not edit."""

    id: int
    full_name: str
    email: str
    school: str
    graduation_year: int | None
    aamc_id: str
    target_specialty: str
    signature: str
    created_at: datetime


@dataclass(frozen=True)
class CycleRow:
    """One application cycle as stored."""

    id: int
    service: str
    name: str
    max_letters_per_program: int
    opens_on: date | None
    submissions_open_on: date | None
    review_starts_on: date | None
    outcome_on: date | None
    archived: bool
    created_at: datetime
    cap_scope: str


def _profile_model() -> Profile | None:
    return Profile.select().order_by(Profile.id).first()


def get_profile() -> ProfileDetails | None:
    profile = _profile_model()
    if profile is None:
        return None
    return ProfileDetails(
        **{f.name: getattr(profile, f.name) for f in dataclasses.fields(ProfileDetails)}
    )


def needs_first_run() -> bool:
    return _profile_model() is None


class CycleCapRefused(UserError):
    """The service does not allow that cap (or scope); ``user_message`` says
    what it allows."""


def _checked(fields: CycleFields) -> dict[str, object]:
    """The cycle's columns, with the scope filled in from the service and
    the cap checked against the service's declaration."""
    values = vars(fields).copy()
    scope = fields.cap_scope or service_rules(fields.service).scope.value
    problem = cap_problem(fields.service, fields.max_letters_per_program, scope)
    if problem is not None:
        raise CycleCapRefused(problem)
    values["cap_scope"] = scope
    return values


def save_profile_and_first_cycle(profile: ProfileFields, cycle: CycleFields) -> None:
    db = Profile._meta.database
    with db.atomic():
        Profile.create(**vars(profile))
        Cycle.create(**_checked(cycle))


def _cycle_row(cycle: Cycle) -> CycleRow:
    return CycleRow(**{f.name: getattr(cycle, f.name) for f in dataclasses.fields(CycleRow)})


def cycles() -> list[CycleRow]:
    """Every cycle, the newest first."""
    return [_cycle_row(cycle) for cycle in Cycle.select().order_by(Cycle.created_at.desc())]


def get_cycle(cycle_id: int) -> CycleRow:
    """Raises ``Cycle.DoesNotExist`` for an id that is not there."""
    return _cycle_row(Cycle.get_by_id(cycle_id))


def first_cycle_id() -> int | None:
    """The cycle created first (the first-run dialog's), if any."""
    cycle = Cycle.select(Cycle.id).order_by(Cycle.id).first()
    return None if cycle is None else int(cycle.id)


def data_is_empty() -> bool:
    from .models import Mentor

    return _profile_model() is None and not Mentor.select().exists()


def update_profile(fields: ProfileFields) -> None:
    """Save the profile's editable fields (creating the row if it is missing);
    fields it does not carry (signature, AAMC ID) are kept."""
    profile = _profile_model()
    if profile is None:
        Profile.create(**vars(fields))
        return
    for name, value in vars(fields).items():
        setattr(profile, name, value)
    profile.save()


def set_application_details(*, aamc_id: str, signature: str) -> None:
    """The AAMC ID and the email signature, which the profile form leaves alone."""
    Profile.update(aamc_id=aamc_id, signature=signature).execute()


def create_cycle(fields: CycleFields) -> int:
    """Raises ``CycleCapRefused`` for a cap the service does not allow."""
    return int(Cycle.create(**_checked(fields)).id)


class CycleChangeRefused(UserError):
    """The change would break letters already planned in the cycle;
    ``user_message`` says which and what to do instead."""


def update_cycle(cycle_id: int, fields: CycleFields) -> None:
    """Save a cycle's fields. Its service cannot change once it has letter
    requests (letter types and the waiver rule depend on it), its cap must be
    one the service allows (``CycleCapRefused``), and the cap cannot drop
    below the letters already assigned in its scope."""
    from .models import Assignment, LetterRequest, Program

    db = Cycle._meta.database
    with db.atomic():
        values = _checked(fields)
        cycle = Cycle.get_by_id(cycle_id)
        has_requests = LetterRequest.select().where(LetterRequest.cycle == cycle_id).exists()
        if fields.service != cycle.service and has_requests:
            raise CycleChangeRefused(
                f"{cycle.name} already has letter requests, so its service cannot change "
                "(it sets the letter types and the waiver rule). Create a new cycle instead."
            )
        if values["cap_scope"] == CapScope.PER_PROGRAM.value:
            fullest = (
                Assignment.select(pw.fn.COUNT(Assignment.id))
                .join(Program)
                .where(Program.cycle == cycle_id)
                .group_by(Assignment.program)
                .order_by(pw.fn.COUNT(Assignment.id).desc())
                .scalar()
            ) or 0
            held = f"A program in {cycle.name} already has {fullest} letters assigned"
        else:
            fullest = (
                Assignment.select(pw.fn.COUNT(Assignment.request.distinct()))
                .join(Program)
                .where(Program.cycle == cycle_id)
                .scalar()
            ) or 0
            held = f"{cycle.name} already has {fullest} different letters assigned"
        if fields.max_letters_per_program < fullest:
            raise CycleChangeRefused(
                f"{held}, more than {fields.max_letters_per_program}. "
                "Unassign letters first, then lower the limit."
            )
        for name, value in values.items():
            setattr(cycle, name, value)
        cycle.save()


def set_cycle_archived(cycle_id: int, archived: bool) -> None:
    Cycle.update(archived=archived).where(Cycle.id == cycle_id).execute()
