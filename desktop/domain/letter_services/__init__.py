"""Letter services as data: one declaration per service (``catalogue.py``)
and the questions the rest of the app asks of them.

A declaration gives the display name, the cap and its scope, the letter
types, combination rules, Letter ID and waiver, the writer portal and how
the writer gets the request, whether an assignment can be undone, and the
default season dates. See ARCHITECTURE.md, "How to add… a letter service".
"""

from __future__ import annotations

from datetime import date

from ..vocabulary import AssignmentUndo, CapScope, LetterType, RequestStatus, Service
from .catalogue import DECLARATIONS
from .model import (
    ExcludedPair,
    LetterIdRule,
    LetterServiceRules,
    MonthDay,
    PacketRule,
    SeasonDefaults,
)

__all__ = [
    "DECLARATIONS",
    "MAX_LETTERS_LIMIT",
    "ExcludedPair",
    "LetterIdRule",
    "LetterServiceRules",
    "MonthDay",
    "PacketRule",
    "SeasonDefaults",
    "assigning_is_final",
    "assignment_is_final",
    "cap_problem",
    "cap_sentence",
    "default_cycle_name",
    "default_letter_type",
    "excluded_pair",
    "scopes_allowed",
    "season_defaults",
    "service_rules",
]

# The most letters any cycle may allow (the spin box's range, and the store's).
MAX_LETTERS_LIMIT = 50

_BY_SERVICE: dict[Service, LetterServiceRules] = {rules.service: rules for rules in DECLARATIONS}


def service_rules(service: Service | str) -> LetterServiceRules:
    """The declaration of ``service``; an unknown stored value (written by a
    newer version) is served by Other's rules rather than crashing."""
    try:
        return _BY_SERVICE[Service(service)]
    except ValueError:
        return _BY_SERVICE[Service.OTHER]


def default_cycle_name(service: Service | str, season_year: int) -> str:
    """A readable default name such as "ERAS residency 2027"."""
    rules = service_rules(service)
    return f"{rules.cycle_name or rules.display_name} {season_year}"


# The standardized form a specialty's writers fill in, by words its name
# contains ("Emergency Medicine", "Obstetrics and Gynecology"…).
_SPECIALTY_FORMS: tuple[tuple[tuple[str, ...], LetterType], ...] = (
    (("emergency",), LetterType.EM_SLOE),
    (("obstetric", "gynecolog", "gynaecolog", "ob/gyn", "obgyn"), LetterType.APGO_SLOE),
    (("orthop",), LetterType.ORTHO_ESLOR),
    (("internal medicine",), LetterType.IM_SEL),
)


def _specialty_form(specialty: str) -> LetterType | None:
    name = specialty.casefold()
    for words, form in _SPECIALTY_FORMS:
        if any(word in name for word in words):
            return form
    return None


def default_letter_type(
    service: Service | str,
    *,
    writes_standardized: bool,
    specialty: str = "",
    writer_specialty: str = "",
) -> LetterType:
    """The type a new request starts with. A writer who writes standardized
    letters gets one of the service's own standardized types: the form of the
    letter's specialty (EM SLOE for emergency medicine on ResidencyCAS), the
    off-service SLOE when the writer works in another specialty, else the
    service's general standardized letter or its first one. Anyone else, or
    a service without standardized letters, starts with a narrative letter."""
    offered = service_rules(service).standardized_types
    if not writes_standardized or not offered:
        return LetterType.NARRATIVE
    form = _specialty_form(specialty)
    if form is LetterType.EM_SLOE and LetterType.OFF_SERVICE_SLOE in offered:
        writer_form = _specialty_form(writer_specialty)
        if writer_specialty.strip() and writer_form is not LetterType.EM_SLOE:
            form = LetterType.OFF_SERVICE_SLOE
    if form in offered:
        return form
    if LetterType.STANDARDIZED in offered:
        return LetterType.STANDARDIZED
    return offered[0]


def season_defaults(service: Service | str, today: date) -> dict[str, date] | None:
    """The service's default dates for the season an applicant prepares on
    ``today``: the one under way, or the next once it is over. None for a
    service without defaults (Other)."""
    season = service_rules(service).season
    if season is None:
        return None
    for opening_year in (today.year - 1, today.year):
        dates = season.dates(opening_year)
        if today <= dates["outcome_on"]:
            return dates
    return season.dates(today.year + 1)


def scopes_allowed(service: Service | str) -> tuple[CapScope, ...]:
    rules = service_rules(service)
    if rules.cap_editable and rules.scope in (CapScope.PER_PROGRAM, CapScope.PER_APPLICATION):
        return (CapScope.PER_PROGRAM, CapScope.PER_APPLICATION)
    return (rules.scope,)


def cap_problem(service: Service | str, cap: int, scope: CapScope | str) -> str | None:
    """Why ``cap`` counted ``scope`` is not allowed for ``service``, or None."""
    rules = service_rules(service)
    try:
        scope = CapScope(scope)
    except ValueError:
        return f"“{scope}” is not a letter cap LetterDesk knows. Choose one from the list."
    if scope not in scopes_allowed(service):
        return (
            f"{rules.display_name} counts letters {rules.scope.label}, not {scope.label}. "
            "Keep the service's own scope."
        )
    if not rules.cap_editable and cap != rules.cap:
        return (
            f"{rules.display_name} allows {cap_sentence(rules.cap, rules.scope, rules)}; "
            f"a cap of {cap} cannot be saved. Keep {rules.cap}, or choose “Other” for a "
            "service with its own cap."
        )
    if not 1 <= cap <= MAX_LETTERS_LIMIT:
        return f"The letter cap must be between 1 and {MAX_LETTERS_LIMIT}; it was {cap}."
    return None


def cap_sentence(cap: int, scope: CapScope | str, rules: LetterServiceRules | None = None) -> str:
    """ "at most 4 letters per program", "exactly 3 letters per application"…"""
    scope = CapScope(scope)
    if scope is CapScope.PACKET_OR_INDIVIDUAL and rules is not None and rules.packet:
        packet = rules.packet
        return (
            f"one committee packet or {packet.individual} individual letters, "
            f"plus {packet.optional} optional"
        )
    letters = "letter" if cap == 1 else "letters"
    if scope is CapScope.EXACT:
        return f"exactly {cap} {letters} per application"
    if scope is CapScope.PER_APPLICATION:
        return f"at most {cap} {letters} per application"
    return f"at most {cap} {letters} per program"


def assignment_is_final(
    service: Service | str, status: RequestStatus | str, *, sent_to_service: bool
) -> bool:
    """Whether an assignment can no longer be undone: marked as sent to a
    service that never lets go, or the letter is in at a service that keeps
    submitted letters where they were assigned."""
    undo = service_rules(service).undo
    if undo is AssignmentUndo.NEVER:
        return sent_to_service
    if undo is AssignmentUndo.UNTIL_SUBMITTED:
        return sent_to_service or RequestStatus(status) is RequestStatus.SUBMITTED
    return False


def assigning_is_final(service: Service | str, status: RequestStatus | str) -> bool:
    """Whether assigning a letter now makes it final at once, so the user is
    asked first and the assignment is marked as sent to the service."""
    undo = service_rules(service).undo
    if undo is AssignmentUndo.NEVER:
        return True
    return undo is AssignmentUndo.UNTIL_SUBMITTED and (
        RequestStatus(status) is RequestStatus.SUBMITTED
    )


def excluded_pair(
    service: Service | str, a: LetterType | str, b: LetterType | str
) -> ExcludedPair | None:
    """The service's rule against one writer sending both types to a program."""
    pair = {LetterType(a), LetterType(b)}
    for rule in service_rules(service).excluded_pairs:
        if {rule.first, rule.second} == pair:
            return rule
    return None
