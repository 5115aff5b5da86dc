"""Whether a program's letter requirements are covered, and the per-program cap.

A program is *met* when the letters that are submitted or on track satisfy
every requirement, *at risk* when it takes letters that may not arrive
(overdue, not yet asked with too little lead time, due after the deadline)
to satisfy them, and *not met* when even those are not enough. A declined
or withdrawn letter will never come, so it counts for nothing: a program
that needs it is not met. Withdrawn programs are not
evaluated. Reasons are short phrases for the user, e.g. "needs a chair
letter" or "2 of 3 letters submitted, 1 overdue".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from .letter_services import LetterServiceRules, PacketRule, excluded_pair, service_rules
from .records import CycleRecord, ProgramRecord, RequestRecord, is_general, same_specialty
from .status import NOT_COMING_STATUSES
from .thresholds import AdviceThresholds
from .timing import below_minimum_lead, is_overdue
from .vocabulary import CapScope, LetterType, ProgramStatus, RequestStatus


class CoverageState(StrEnum):
    MET = "met"
    AT_RISK = "at_risk"
    NOT_MET = "not_met"
    NOT_EVALUATED = "not_evaluated"

    @property
    def label(self) -> str:
        return {
            "met": "Met",
            "at_risk": "At risk",
            "not_met": "Not met",
            "not_evaluated": "Not evaluated",
        }[self.value]


class LetterState(StrEnum):
    SUBMITTED = "submitted"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    NOT_COUNTED = "not_counted"  # declined or withdrawn: it will never come


class Risk(StrEnum):
    """Why a letter may not arrive; the value is the phrase used in tallies."""

    DECLINED = "declined"
    OVERDUE = "overdue"
    LATE_ASK = "not yet asked with too little lead time"
    AFTER_DEADLINE = "due after the program deadline"


class LetterStanding(NamedTuple):
    # A NamedTuple: Today builds one per assignment on every run.
    request_id: int
    state: LetterState
    risk: Risk | None = None


@dataclass(frozen=True)
class ProgramCoverage:
    program_id: int
    state: CoverageState
    reasons: tuple[str, ...]
    required: int
    submitted: int
    on_track: int
    at_risk: int
    letters: tuple[LetterStanding, ...] = ()


def letter_standing(
    letter: RequestRecord,
    *,
    deadline: date | None,
    today: date,
    thresholds: AdviceThresholds,
) -> LetterStanding:
    """How one assigned letter stands for a program with ``deadline``."""
    status = RequestStatus(letter.status)
    if status is RequestStatus.SUBMITTED:
        return LetterStanding(letter.id, LetterState.SUBMITTED)
    if status is RequestStatus.WITHDRAWN:
        return LetterStanding(letter.id, LetterState.NOT_COUNTED)
    if status is RequestStatus.DECLINED:
        # Never coming, so not counted; the risk is kept so the tally and the
        # program's letter list still say "declined".
        return LetterStanding(letter.id, LetterState.NOT_COUNTED, Risk.DECLINED)
    # The letter is late for this program when it misses either date.
    due = _earliest(letter.due_on, deadline)
    if is_overdue(status, due, today):
        return LetterStanding(letter.id, LetterState.AT_RISK, Risk.OVERDUE)
    if status is RequestStatus.PLANNED and below_minimum_lead(due, today, thresholds):
        return LetterStanding(letter.id, LetterState.AT_RISK, Risk.LATE_ASK)
    if letter.due_on is not None and deadline is not None and letter.due_on > deadline:
        return LetterStanding(letter.id, LetterState.AT_RISK, Risk.AFTER_DEADLINE)
    return LetterStanding(letter.id, LetterState.ON_TRACK)


def program_coverage(
    program: ProgramRecord,
    letters: Sequence[RequestRecord],
    *,
    today: date,
    thresholds: AdviceThresholds,
    cycle: CycleRecord | None = None,
    application: Sequence[RequestRecord] | None = None,
) -> ProgramCoverage:
    """Coverage of ``program`` by the requests assigned to it (``letters``).
    ``application``: every distinct letter assigned to any program of the
    cycle, for caps that count the whole application (``letters`` when None)."""
    required = max(program.letters_required, 0)
    if ProgramStatus(program.status) is ProgramStatus.WITHDRAWN:
        return ProgramCoverage(
            program.id, CoverageState.NOT_EVALUATED, ("withdrawn",), required, 0, 0, 0
        )

    standings = _standings(program, letters, today, thresholds)
    by_id = {letter.id: letter for letter in letters}
    solid = [by_id[s.request_id] for s in standings if s.state in _SOLID]
    risky = [by_id[s.request_id] for s in standings if s.state is LetterState.AT_RISK]
    submitted = sum(1 for s in standings if s.state is LetterState.SUBMITTED)
    on_track = len(solid) - submitted

    reasons = [_progress(required, submitted, on_track, standings)]
    state = CoverageState.MET
    for requirement in _requirements(program):
        if requirement.count(solid) >= requirement.needed:
            continue
        have = requirement.count(solid + risky)
        if have >= requirement.needed:
            state = _worse(state, CoverageState.AT_RISK)
            if requirement.at_risk:
                reasons.append(requirement.at_risk)
        else:
            state = CoverageState.NOT_MET
            reasons.append(requirement.missing(have))

    if cycle is not None:
        whole = list(application) if application is not None else list(letters)
        for found, phrase in _cap_findings(program, letters, whole, cycle, today, thresholds):
            state = _worse(state, found)
            reasons.append(phrase)
    return ProgramCoverage(
        program.id,
        state,
        tuple(reasons),
        required,
        submitted,
        on_track,
        len(risky),
        tuple(standings),
    )


def _standings(
    program: ProgramRecord,
    letters: Sequence[RequestRecord],
    today: date,
    thresholds: AdviceThresholds,
) -> list[LetterStanding]:
    replaced = _replaced_by_backup(letters)
    return [
        LetterStanding(letter.id, LetterState.NOT_COUNTED)
        if letter.id in replaced
        else letter_standing(letter, deadline=program.deadline, today=today, thresholds=thresholds)
        for letter in letters
    ]


def _cap_findings(
    program: ProgramRecord,
    letters: Sequence[RequestRecord],
    application: Sequence[RequestRecord],
    cycle: CycleRecord,
    today: date,
    thresholds: AdviceThresholds,
) -> list[tuple[CoverageState, str]]:
    """What the cycle's cap, in its scope, says about this program."""
    rules = service_rules(cycle.service)
    cap, scope = cycle.max_letters_per_program, cycle.scope
    owner = _cap_owner(cycle)
    if scope is CapScope.PER_PROGRAM:
        live = sum(1 for letter in letters if counts_toward_cap(letter.status))
        if live > cap:
            return [
                (
                    CoverageState.AT_RISK,
                    f"{live} letters assigned; {owner} allows {cap} per program",
                )
            ]
        return []
    coming = [letter for letter in application if counts_toward_cap(letter.status)]
    distinct = len({letter.id for letter in coming})
    if scope is CapScope.PER_APPLICATION:
        if distinct > cap:
            return [
                (
                    CoverageState.AT_RISK,
                    f"{distinct} different letters assigned across the cycle; {owner} allows "
                    f"{cap} per application",
                )
            ]
        return []
    if scope is CapScope.EXACT:
        if distinct != cap:
            return [
                (
                    CoverageState.NOT_MET,
                    f"{owner} takes exactly {_plural(cap, 'letter')}; "
                    f"{_plural(distinct, 'letter')} assigned",
                )
            ]
        return []
    return _packet_findings(program, application, rules, owner, today, thresholds)


def _packet_findings(
    program: ProgramRecord,
    application: Sequence[RequestRecord],
    rules: LetterServiceRules,
    owner: str,
    today: date,
    thresholds: AdviceThresholds,
) -> list[tuple[CoverageState, str]]:
    """TMDSAS: one committee packet or N individual letters, plus optional extras."""
    packet = rules.packet or PacketRule(individual=3, optional=1)
    standings = {s.request_id: s for s in _standings(program, application, today, thresholds)}
    findings: list[tuple[CoverageState, str]] = []

    def count(committee: bool, states: tuple[LetterState, ...]) -> int:
        return sum(
            1
            for letter in application
            if LetterType(letter.letter_type).is_committee is committee
            and standings[letter.id].state in states
        )

    solid_packets, solid_individual = count(True, _SOLID), count(False, _SOLID)
    risky = (*_SOLID, LetterState.AT_RISK)
    if not (solid_packets >= 1 or solid_individual >= packet.individual):
        if count(True, risky) >= 1 or count(False, risky) >= packet.individual:
            findings.append(
                (CoverageState.AT_RISK, "the committee packet or individual letters are at risk")
            )
        else:
            findings.append(
                (
                    CoverageState.NOT_MET,
                    f"{owner} needs a committee packet or {packet.individual} individual "
                    f"letters (has {_plural(count(False, risky), 'individual letter')})",
                )
            )
    live_packets = sum(
        1
        for letter in application
        if LetterType(letter.letter_type).is_committee and counts_toward_cap(letter.status)
    )
    live_individual = sum(
        1
        for letter in application
        if not LetterType(letter.letter_type).is_committee and counts_toward_cap(letter.status)
    )
    if packet_excess(live_packets, live_individual, packet):
        findings.append(
            (
                CoverageState.AT_RISK,
                f"more letters than {owner} forwards: one packet or {packet.individual} "
                f"individual letters, plus {packet.optional}",
            )
        )
    return findings


def packet_excess(packets: int, individual: int, packet: PacketRule) -> bool:
    """Whether ``packets`` committee packets and ``individual`` letters are
    more than the service forwards."""
    if packets > 1:
        return True
    if packets == 1:
        return individual > packet.optional
    return individual > packet.individual + packet.optional


def counts_toward_cap(status: RequestStatus) -> bool:
    """Declined and withdrawn letters never reach the program, so they leave
    room for the backup that replaces them."""
    return RequestStatus(status) not in NOT_COMING_STATUSES


def can_assign(
    request: RequestRecord,
    program: ProgramRecord,
    *,
    cycle: CycleRecord,
    assigned: Sequence[RequestRecord],
    application: Sequence[RequestRecord] | None = None,
) -> str | None:
    """Why ``request`` may not be assigned to ``program`` (which already has
    ``assigned``), or ``None`` when it may. ``application``: the letters
    assigned to any program of the cycle, for caps that count the whole
    application (``assigned`` when None)."""
    if request.cycle_id != program.cycle_id:
        return "This letter belongs to another cycle; assign it to a program of its own cycle."
    if ProgramStatus(program.status) is ProgramStatus.WITHDRAWN:
        return f"You withdrew from {program.name}; letters can no longer be assigned to it."
    status = RequestStatus(request.status)
    if status is RequestStatus.DECLINED:
        return "This writer declined; activate a backup writer and assign that letter instead."
    if status is RequestStatus.WITHDRAWN:
        return "This request was withdrawn; reopen it before assigning it."
    if any(other.id == request.id for other in assigned):
        return f"This letter is already assigned to {program.name}."
    for other in assigned:
        if other.mentor_id == request.mentor_id and counts_toward_cap(other.status):
            rule = excluded_pair(cycle.service, other.letter_type, request.letter_type)
            if rule is not None:
                return rule.reason
    cap, scope, owner = cycle.max_letters_per_program, cycle.scope, _cap_owner(cycle)
    if scope is CapScope.PER_PROGRAM:
        live = sum(1 for other in assigned if counts_toward_cap(other.status))
        if live >= cap:
            return (
                f"{program.name} already has {cap} letters assigned, the most "
                f"{owner} allows per program. Unassign one first."
            )
        return None
    whole = assigned if application is None else application
    coming = {other.id: other for other in whole if counts_toward_cap(other.status)}
    if request.id in coming:
        return None  # already one of the application's letters: no new entry
    if scope is CapScope.PACKET_OR_INDIVIDUAL:
        packet = service_rules(cycle.service).packet or PacketRule(individual=3, optional=1)
        packets = sum(1 for o in coming.values() if LetterType(o.letter_type).is_committee)
        individual = len(coming) - packets
        if LetterType(request.letter_type).is_committee:
            packets += 1
        else:
            individual += 1
        if packet_excess(packets, individual, packet):
            return (
                f"{owner} forwards one committee packet or {packet.individual} individual "
                f"letters, plus {packet.optional} optional, and this cycle already has that "
                "many. Unassign one first."
            )
        return None
    if len(coming) >= cap:
        allows = "takes exactly" if scope is CapScope.EXACT else "allows at most"
        return (
            f"{owner} {allows} {_plural(cap, 'letter')} per application, and "
            f"{len(coming)} different letters are already assigned across this cycle's "
            "programs. Assign one of those, or unassign one first."
        )
    return None


# --- helpers ---------------------------------------------------------------

_SOLID = (LetterState.SUBMITTED, LetterState.ON_TRACK)
_ORDER = (CoverageState.MET, CoverageState.AT_RISK, CoverageState.NOT_MET)


def _worse(a: CoverageState, b: CoverageState) -> CoverageState:
    return a if _ORDER.index(a) >= _ORDER.index(b) else b


def _earliest(a: date | None, b: date | None) -> date | None:
    if a is None or b is None:
        return a or b
    return min(a, b)


def _cap_owner(cycle: CycleRecord) -> str:
    rules = service_rules(cycle.service)
    return "this cycle" if rules.cap_editable else rules.display_name


def _replaced_by_backup(letters: Sequence[RequestRecord]) -> set[int]:
    """Declined letters whose backup (or the backup's backup…) is assigned
    here too and still coming: the backup stands in, so the decline is no
    longer a risk for this program."""
    children: dict[int, list[RequestRecord]] = {}
    for letter in letters:
        if letter.backup_for is not None:
            children.setdefault(letter.backup_for, []).append(letter)

    def covered(letter_id: int, seen: frozenset[int]) -> bool:
        for child in children.get(letter_id, ()):
            if child.id in seen:  # a hand-made cycle of backups: stop
                continue
            if child.status not in NOT_COMING_STATUSES:
                return True
            if child.status is RequestStatus.DECLINED and covered(child.id, seen | {child.id}):
                return True
        return False

    return {
        letter.id
        for letter in letters
        if letter.status is RequestStatus.DECLINED and covered(letter.id, frozenset({letter.id}))
    }


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _progress(required: int, submitted: int, on_track: int, standings: list[LetterStanding]) -> str:
    if required:
        parts = [f"{submitted} of {_plural(required, 'letter')} submitted"]
    else:  # "0 of 0 letters" reads like a fault
        parts = [f"{_plural(submitted, 'letter')} submitted"]
    if on_track:
        parts.append(f"{on_track} on the way")
    risks: dict[Risk, int] = {}
    for standing in standings:
        if standing.risk is not None:
            risks[standing.risk] = risks.get(standing.risk, 0) + 1
    # In Risk's declaration order, so the phrase reads the same every time.
    parts.extend(f"{risks[risk]} {risk.value}" for risk in Risk if risk in risks)
    return ", ".join(parts)


class _Requirement(NamedTuple):
    """One "at least N letters of this kind" requirement. A letter counts
    toward every requirement it fits (an Internal Medicine chair letter is
    both the chair letter and a specialty letter), so each requirement is a
    simple count and no matching between letters and slots is needed."""

    needed: int
    fits: Callable[[RequestRecord], bool]
    missing: Callable[[int], str]  # phrase for "only ``have`` of these"
    at_risk: str  # phrase when only at-risk letters fill it; "" to stay quiet

    def count(self, letters: Sequence[RequestRecord]) -> int:
        return sum(1 for letter in letters if self.fits(letter))


def _requirements(program: ProgramRecord) -> list[_Requirement]:
    found: list[_Requirement] = []
    total = program.letters_required
    if total > 0:
        # The progress line already says which letters are at risk.
        found.append(
            _Requirement(
                total,
                lambda _letter: True,
                lambda have: f"needs {_plural(total - have, 'more letter')}",
                "",
            )
        )
    specialty_needed = program.specialty_letters_required
    if specialty_needed > 0:
        found.append(
            _Requirement(
                specialty_needed,
                lambda letter: _is_specialty_letter(letter, program.specialty),
                lambda have: _specialty_missing(have, specialty_needed),
                "specialty letters at risk",
            )
        )
    if program.chair_letter_required:
        found.append(
            _Requirement(
                1,
                lambda letter: LetterType(letter.letter_type) is LetterType.CHAIR,
                lambda _have: "needs a chair letter",
                "the chair letter is at risk",
            )
        )
    if program.standardized_letter_required:
        found.append(
            _Requirement(
                1,
                lambda letter: LetterType(letter.letter_type).is_standardized,
                lambda _have: "needs a standardized letter (SLOE/eSLOR)",
                "the standardized letter is at risk",
            )
        )
    return found


def _specialty_missing(have: int, needed: int) -> str:
    if have == 0:
        return f"needs {_plural(needed, 'specialty letter')}"
    return f"needs {_plural(needed - have, 'more specialty letter')} ({have} of {needed} so far)"


def _is_specialty_letter(letter: RequestRecord, program_specialty: str) -> bool:
    if is_general(program_specialty):
        # No specialty on the program: any specialty letter will do.
        return not is_general(letter.specialty)
    return same_specialty(letter.specialty, program_specialty)
