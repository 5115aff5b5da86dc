"""What each letter service allows: letters per program, types, waiver."""

from __future__ import annotations

from dataclasses import dataclass

from .vocabulary import LetterType, Service


@dataclass(frozen=True)
class ServiceRules:
    default_max_letters: int
    waiver_required: bool
    letter_types: tuple[LetterType, ...]
    max_letters_editable: bool = False


SERVICE_RULES: dict[Service, ServiceRules] = {
    # ERAS: any number uploaded, at most 4 assigned to one program; the
    # waiver question must be answered for every letter entry.
    Service.ERAS_RESIDENCY: ServiceRules(
        4, True, (LetterType.NARRATIVE, LetterType.STANDARDIZED, LetterType.CHAIR)
    ),
    Service.ERAS_FELLOWSHIP: ServiceRules(
        4, True, (LetterType.NARRATIVE, LetterType.STANDARDIZED, LetterType.CHAIR)
    ),
    # AMCAS: committee letter, letter packet or individual letters, up to 10
    # per application (schools may set lower limits of their own).
    Service.AMCAS: ServiceRules(10, False, (LetterType.NARRATIVE, LetterType.COMMITTEE)),
    Service.OTHER: ServiceRules(4, False, tuple(LetterType), max_letters_editable=True),
}

MAX_LETTERS_LIMIT = 50


def rules_for(service: Service | str) -> ServiceRules:
    return SERVICE_RULES[Service(service)]


def default_cycle_name(service: Service | str, season_year: int) -> str:
    """A readable default name such as "ERAS residency 2027"."""
    return f"{Service(service).label} {season_year}"


def default_letter_type(service: Service | str, *, writes_standardized: bool) -> LetterType:
    """The type a new request starts with: the standardized letter (SLOE,
    eSLOR) when the writer writes one and the service takes it, else a
    narrative letter."""
    if writes_standardized and LetterType.STANDARDIZED in rules_for(service).letter_types:
        return LetterType.STANDARDIZED
    return LetterType.NARRATIVE
