"""The shape of a letter service's declaration: everything LetterDesk needs
to know about one service, in one frozen value (see ``catalogue.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..vocabulary import AssignmentUndo, CapScope, LetterType, Service


@dataclass(frozen=True)
class MonthDay:
    """A season date as month and day, ``year_offset`` years after the year
    the season opens: never a year of its own, so it serves every season."""

    month: int
    day: int
    year_offset: int = 0

    def in_season(self, opening_year: int) -> date:
        return date(opening_year + self.year_offset, self.month, self.day)


@dataclass(frozen=True)
class SeasonDefaults:
    """Typical dates of a season, offered for a new cycle and editable there."""

    opens: MonthDay
    submissions_open: MonthDay
    review_starts: MonthDay
    outcome: MonthDay

    def dates(self, opening_year: int) -> dict[str, date]:
        """The cycle fields ``opens_on`` … ``outcome_on`` for a season that
        opens in ``opening_year``."""
        return {
            "opens_on": self.opens.in_season(opening_year),
            "submissions_open_on": self.submissions_open.in_season(opening_year),
            "review_starts_on": self.review_starts.in_season(opening_year),
            "outcome_on": self.outcome.in_season(opening_year),
        }


@dataclass(frozen=True)
class LetterIdRule:
    """The service's Letter ID: what it is called and where the writer uses it."""

    name: str
    format: str


@dataclass(frozen=True)
class ExcludedPair:
    """A combination the service's specialty guidance rules out: one writer
    does not send both of these letter types to the same program."""

    first: LetterType
    second: LetterType
    reason: str


@dataclass(frozen=True)
class PacketRule:
    """TMDSAS-style requirement: one committee packet, or ``individual``
    individual letters; ``optional`` extra letters may come with either."""

    individual: int
    optional: int


@dataclass(frozen=True)
class LetterServiceRules:
    service: Service
    display_name: str
    # The cap and what it counts. ``cap_editable``: the user sets the cap
    # (and, for a per-program or per-application cap, its scope) per cycle;
    # otherwise the store refuses any other value.
    cap: int
    scope: CapScope
    letter_types: tuple[LetterType, ...]
    waiver_required: bool
    portal: str  # as a sentence would name it: "the AAMC Letter Writer Portal"
    # How the writer gets the request: one sentence addressed to the writer
    # (it goes into the ask email and the writer's summary).
    writer_request: str
    undo: AssignmentUndo
    season: SeasonDefaults | None
    letter_id: LetterIdRule | None = None
    cap_editable: bool = False
    excluded_pairs: tuple[ExcludedPair, ...] = ()
    packet: PacketRule | None = None
    outcome_verb: str = "was accepted at"  # "I matched at …", for the outcome email
    cycle_name: str = ""  # the start of a new cycle's name, when not the display name
    # Rules the app does not check; the cycle form shows them as a tooltip.
    notes: tuple[str, ...] = field(default=())

    @property
    def standardized_types(self) -> tuple[LetterType, ...]:
        return tuple(t for t in self.letter_types if t.is_standardized)
