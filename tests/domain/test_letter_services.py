"""Every letter service's declaration: consistent as a whole, and each
service's own rules (cap and scope, types, Letter ID, waiver, portal, undo,
season dates). Adding a service adds one declaration and its test here."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.coverage import CoverageState, can_assign, program_coverage
from desktop.domain.letter_services import (
    DECLARATIONS,
    MAX_LETTERS_LIMIT,
    assigning_is_final,
    assignment_is_final,
    cap_problem,
    default_cycle_name,
    default_letter_type,
    scopes_allowed,
    service_rules,
)
from desktop.domain.thresholds import AdviceThresholds
from desktop.domain.vocabulary import AssignmentUndo, CapScope, LetterType, Service
from desktop.domain.vocabulary import RequestStatus as S

from .records_factory import TODAY, cycle, day, program, request

T = LetterType


def on_track(id, **kw):
    kw.setdefault("due_on", day(30))
    kw.setdefault("mentor_id", id)
    return request(id, S.ACCEPTED, asked_on=day(-20), **kw)


def covered(prog, letters, cyc, application=None):
    return program_coverage(
        prog,
        letters,
        today=TODAY,
        thresholds=AdviceThresholds(),
        cycle=cyc,
        application=application,
    )


# --- every declaration -----------------------------------------------------------


def test_every_service_has_exactly_one_declaration():
    assert [rules.service for rules in DECLARATIONS] == list(Service)


@pytest.mark.parametrize("rules", DECLARATIONS, ids=lambda r: r.service.value)
def test_each_declaration_is_consistent(rules):
    assert rules.display_name.strip() and rules.service.label == rules.display_name
    assert 1 <= rules.cap <= MAX_LETTERS_LIMIT
    # Its own default passes its own check, so a new cycle can be saved.
    assert cap_problem(rules.service, rules.cap, rules.scope) is None
    assert rules.letter_types and len(set(rules.letter_types)) == len(rules.letter_types)
    assert rules.writer_request.strip().endswith(".")
    if rules.service is not Service.OTHER:
        assert rules.portal.strip(), "only Other has no portal to name"
    assert "LoRP" not in rules.portal and "Letter of Recommendation Portal" not in rules.portal
    for pair in rules.excluded_pairs:
        assert pair.first in rules.letter_types and pair.second in rules.letter_types
    if rules.scope is CapScope.PACKET_OR_INDIVIDUAL:
        assert rules.packet is not None
        assert any(t.is_committee for t in rules.letter_types)
    if rules.season is not None:
        for opening_year in (2026, 2031, 2040):  # no year is built in
            dates = list(rules.season.dates(opening_year).values())
            assert dates == sorted(dates), "season dates in order"
            assert dates[0].year == opening_year
            assert (dates[-1] - dates[0]).days < 366


@pytest.mark.parametrize("rules", DECLARATIONS, ids=lambda r: r.service.value)
def test_a_cap_the_service_does_not_allow_is_refused(rules):
    other = rules.cap + 2
    problem = cap_problem(rules.service, other, rules.scope)
    if rules.cap_editable:
        assert problem is None
    else:
        assert problem is not None and rules.display_name in problem and str(other) in problem
    assert cap_problem(rules.service, MAX_LETTERS_LIMIT + 1, rules.scope) is not None
    foreign = next(s for s in CapScope if s not in scopes_allowed(rules.service))
    assert cap_problem(rules.service, rules.cap, foreign) is not None


def test_an_unknown_stored_service_gets_others_rules():
    assert service_rules("from_a_newer_version") is service_rules(Service.OTHER)


def test_default_cycle_names_carry_the_season_year_only():
    assert default_cycle_name(Service.RESIDENCYCAS, 2027) == "ResidencyCAS 2027"
    assert default_cycle_name(Service.AMCAS, 2031) == "AMCAS (MD schools) 2031"


# --- per service -----------------------------------------------------------------


def test_eras_residency():
    rules = service_rules(Service.ERAS_RESIDENCY)
    assert (rules.cap, rules.scope) == (4, CapScope.PER_PROGRAM)
    assert cap_problem(Service.ERAS_RESIDENCY, 6, CapScope.PER_PROGRAM) is not None
    assert {T.NARRATIVE, T.STANDARDIZED, T.IM_SEL, T.ORTHO_ESLOR, T.CHAIR} == set(
        rules.letter_types
    )
    assert T.EM_SLOE not in rules.letter_types  # emergency medicine left for ResidencyCAS
    assert rules.waiver_required and rules.letter_id is not None
    assert rules.portal == "the AAMC Letter Writer Portal"
    assert "guest" in rules.writer_request and "email" in rules.writer_request
    assert rules.undo is AssignmentUndo.NEVER
    assert assigning_is_final(Service.ERAS_RESIDENCY, S.PLANNED)
    assert assignment_is_final(Service.ERAS_RESIDENCY, S.PLANNED, sent_to_service=True)
    # Assigned before LetterDesk asked (format 2): not known to be sent.
    assert not assignment_is_final(Service.ERAS_RESIDENCY, S.SUBMITTED, sent_to_service=False)
    season = rules.season.dates(2026)
    assert season["opens_on"] == date(2026, 6, 4) and season["outcome_on"].year == 2027


def test_eras_fellowship():
    rules = service_rules(Service.ERAS_FELLOWSHIP)
    assert (rules.cap, rules.scope, rules.undo) == (4, CapScope.PER_PROGRAM, AssignmentUndo.NEVER)
    assert rules.portal == "the AAMC Letter Writer Portal" and rules.waiver_required
    assert rules.season.dates(2026)["outcome_on"] == date(2026, 12, 3)


def test_residencycas_takes_sloes_and_keeps_submitted_letters():
    rules = service_rules(Service.RESIDENCYCAS)
    assert (rules.cap, rules.scope) == (4, CapScope.PER_PROGRAM)
    assert {T.EM_SLOE, T.OFF_SERVICE_SLOE, T.NON_RESIDENCY_SLOE, T.APGO_SLOE} <= set(
        rules.letter_types
    )
    assert all(t.is_standardized for t in rules.standardized_types)
    assert "Liaison Letters" in rules.portal and "esloe.cordem.org" in rules.writer_request
    assert rules.letter_id is not None and "ResidencyCAS" in rules.letter_id.name
    assert rules.undo is AssignmentUndo.UNTIL_SUBMITTED
    assert not assigning_is_final(Service.RESIDENCYCAS, S.ACCEPTED)
    assert assigning_is_final(Service.RESIDENCYCAS, S.SUBMITTED)
    assert assignment_is_final(Service.RESIDENCYCAS, S.SUBMITTED, sent_to_service=False)
    assert not assignment_is_final(Service.RESIDENCYCAS, S.ACCEPTED, sent_to_service=False)


def test_residencycas_obgyn_sloe_writer_does_not_also_write_a_narrative():
    cas = cycle(1, Service.RESIDENCYCAS)
    prog = program(name="Lakeshore OB/GYN")
    sloe = on_track(1, mentor_id=7, letter_type=T.APGO_SLOE)
    narrative = on_track(2, mentor_id=7, letter_type=T.NARRATIVE)
    reason = can_assign(narrative, prog, cycle=cas, assigned=[sloe])
    assert reason is not None and "APGO SLOE" in reason and "narrative" in reason
    # Another writer's narrative is fine, and so is an EM SLOE with a narrative.
    assert can_assign(on_track(3, mentor_id=8), prog, cycle=cas, assigned=[sloe]) is None
    em = on_track(4, mentor_id=9, letter_type=T.EM_SLOE)
    assert can_assign(on_track(5, mentor_id=9), prog, cycle=cas, assigned=[em]) is None


def test_residencycas_sloes_meet_a_standardized_requirement():
    cas = cycle(1, Service.RESIDENCYCAS)
    prog = program(letters_required=2, standardized_letter_required=True)
    letters = [on_track(1, letter_type=T.OFF_SERVICE_SLOE), on_track(2)]
    assert covered(prog, letters, cas).state is CoverageState.MET


def test_amcas_counts_distinct_letters_across_schools():
    amcas = cycle(1, Service.AMCAS)
    rules = service_rules(Service.AMCAS)
    assert (rules.cap, rules.scope) == (10, CapScope.PER_APPLICATION)
    assert {T.NARRATIVE, T.COMMITTEE, T.LETTER_PACKET} == set(rules.letter_types)
    assert rules.letter_id is not None and "AAMC ID" in rules.letter_id.format
    north, south = program(1, name="North"), program(2, name="South")
    first_seven = [on_track(i) for i in range(1, 8)]
    next_three = [on_track(i) for i in range(8, 11)]
    application = first_seven + next_three
    # An eleventh different letter is refused, though South has only three.
    reason = can_assign(
        on_track(11), south, cycle=amcas, assigned=next_three, application=application
    )
    assert reason is not None and "10 letters per application" in reason
    # One of the ten, sent to another school too, adds no entry.
    assert (
        can_assign(on_track(1), south, cycle=amcas, assigned=next_three, application=application)
        is None
    )
    # Coverage sees 14 different letters across the two schools.
    fourteen = [on_track(i) for i in range(1, 15)]
    result = covered(north, fourteen[:7], amcas, application=fourteen)
    assert result.state is CoverageState.AT_RISK
    assert "14 different letters assigned across the cycle" in " ".join(result.reasons)
    assert covered(north, fourteen[:7], amcas, application=fourteen[:10]).state is CoverageState.MET


def test_aacomas_six_evaluations_a_committee_letter_is_one():
    rules = service_rules(Service.AACOMAS)
    assert (rules.cap, rules.scope) == (6, CapScope.PER_APPLICATION)
    assert "Liaison Letters" in rules.portal and rules.undo is AssignmentUndo.UNTIL_SUBMITTED
    aacomas = cycle(1, Service.AACOMAS)
    six = [on_track(1, letter_type=T.COMMITTEE), *[on_track(i) for i in range(2, 7)]]
    reason = can_assign(on_track(7), program(), cycle=aacomas, assigned=six, application=six)
    assert reason is not None and "6 letters per application" in reason


def test_tmdsas_packet_or_three_individual_letters_plus_one():
    rules = service_rules(Service.TMDSAS)
    assert rules.scope is CapScope.PACKET_OR_INDIVIDUAL
    assert (rules.packet.individual, rules.packet.optional) == (3, 1)
    tmdsas = cycle(1, Service.TMDSAS)
    prog = program(letters_required=0)
    packet = on_track(1, letter_type=T.COMMITTEE)
    individual = [on_track(i) for i in range(2, 6)]
    assert covered(prog, [packet], tmdsas).state is CoverageState.MET
    assert covered(prog, individual[:3], tmdsas).state is CoverageState.MET
    two = covered(prog, individual[:2], tmdsas)
    assert two.state is CoverageState.NOT_MET
    assert "committee packet or 3 individual letters" in " ".join(two.reasons)
    # Three individual letters plus the optional fourth; not a fifth.
    assert can_assign(individual[3], prog, cycle=tmdsas, assigned=individual[:3]) is None
    fifth = can_assign(on_track(6), prog, cycle=tmdsas, assigned=individual)
    assert fifth is not None and "one committee packet or 3 individual letters" in fifth
    # A packet and one extra letter; not two extras, not a second packet.
    assert can_assign(individual[0], prog, cycle=tmdsas, assigned=[packet]) is None
    assert can_assign(individual[1], prog, cycle=tmdsas, assigned=[packet, individual[0]])
    assert can_assign(on_track(9, letter_type=T.COMMITTEE), prog, cycle=tmdsas, assigned=[packet])


def test_carms_cap_is_the_cycles_own():
    rules = service_rules(Service.CARMS)
    assert rules.cap_editable and rules.scope is CapScope.PER_PROGRAM
    assert cap_problem(Service.CARMS, 5, CapScope.PER_PROGRAM) is None
    assert rules.portal == "CaRMS Online"


def test_sf_match_wants_exactly_three():
    rules = service_rules(Service.SF_MATCH)
    assert (rules.cap, rules.scope) == (3, CapScope.EXACT)
    sf = cycle(1, Service.SF_MATCH)
    prog = program(letters_required=0)
    letters = [on_track(i) for i in range(1, 5)]
    assert covered(prog, letters[:3], sf).state is CoverageState.MET
    for wrong in (letters[:2], letters):  # below and above
        result = covered(prog, wrong, sf)
        assert result.state is CoverageState.NOT_MET
        assert "takes exactly 3 letters" in " ".join(result.reasons)
    assert can_assign(letters[3], prog, cycle=sf, assigned=letters[:3]) is not None


def test_military_match_three_letters_dated_within_six_months():
    rules = service_rules(Service.MILITARY_MATCH)
    assert (rules.cap, rules.scope) == (3, CapScope.PER_APPLICATION)
    assert any("6 months" in note for note in rules.notes)


def test_other_sets_its_own_cap_and_scope():
    rules = service_rules(Service.OTHER)
    assert rules.cap_editable and rules.portal == ""
    assert set(scopes_allowed(Service.OTHER)) == {CapScope.PER_PROGRAM, CapScope.PER_APPLICATION}
    assert cap_problem(Service.OTHER, 9, CapScope.PER_APPLICATION) is None
    assert cap_problem(Service.OTHER, 3, CapScope.EXACT) is not None
    assert rules.season is None and set(rules.letter_types) == set(LetterType)


# --- a new request's default letter type ------------------------------------------


@pytest.mark.parametrize(
    ("service", "specialty", "writer_specialty", "expected"),
    [
        # EM left ERAS for ResidencyCAS: an EM writer's letter is the EM SLOE there…
        (Service.RESIDENCYCAS, "Emergency Medicine", "Emergency Medicine", T.EM_SLOE),
        (Service.RESIDENCYCAS, "Emergency Medicine", "", T.EM_SLOE),
        # …and a writer from another specialty writes the off-service SLOE.
        (Service.RESIDENCYCAS, "Emergency Medicine", "Internal Medicine", T.OFF_SERVICE_SLOE),
        (Service.RESIDENCYCAS, "Obstetrics and Gynecology", "OB/GYN", T.APGO_SLOE),
        # ERAS has no EM SLOE any more: its general standardized letter.
        (Service.ERAS_RESIDENCY, "Emergency Medicine", "Emergency Medicine", T.STANDARDIZED),
        (Service.ERAS_RESIDENCY, "Internal Medicine", "Internal Medicine", T.IM_SEL),
        (Service.ERAS_RESIDENCY, "Orthopaedic Surgery", "Orthopaedic Surgery", T.ORTHO_ESLOR),
        (Service.ERAS_RESIDENCY, "General", "", T.STANDARDIZED),
        (Service.MILITARY_MATCH, "Emergency Medicine", "", T.EM_SLOE),
        # AMCAS takes no standardized letter.
        (Service.AMCAS, "General", "", T.NARRATIVE),
    ],
)
def test_a_standardized_writer_starts_with_the_services_own_form(
    service, specialty, writer_specialty, expected
):
    kind = default_letter_type(
        service, writes_standardized=True, specialty=specialty, writer_specialty=writer_specialty
    )
    assert kind is expected
    assert kind in service_rules(service).letter_types


@pytest.mark.parametrize("service", list(Service))
def test_every_service_offers_the_default_it_gives(service):
    for writes in (True, False):
        for specialty in ("General", "Emergency Medicine", "Obstetrics and Gynecology"):
            kind = default_letter_type(service, writes_standardized=writes, specialty=specialty)
            assert kind in service_rules(service).letter_types
            assert kind.is_standardized is (
                writes and bool(service_rules(service).standardized_types)
            )
