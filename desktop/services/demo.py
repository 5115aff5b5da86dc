# ruff: noqa: E501 - the sample tables below read best one entry per line
"""The ``--demo`` sample: a final-year student applying to internal medicine.

Every date is relative to ``today`` so the sample always looks current: a
sub-internship ending this week (time to ask), a rotation that ended three
days ago, one that ended over a month ago (a letter not yet asked for), an
upcoming one, ongoing research and an old job. Names and notes use several
scripts on purpose, so the demo also shows that international text is kept
intact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import peewee as pw

from desktop.domain.letter_services import default_cycle_name, service_rules
from desktop.domain.vocabulary import (
    ExperienceKind,
    InteractionKind,
    LetterType,
    MentorCategory,
    ProgramStatus,
    ReminderPreference,
    RequestEventKind,
    RequestStatus,
    Service,
)
from desktop.errors import UserError
from desktop.paths import DataPaths
from desktop.store.database import open_database
from desktop.store.experiences import ExperienceFields, save_experience
from desktop.store.mentors import InteractionFields, MentorFields, save_interaction, save_mentor
from desktop.store.profile import (
    CycleFields,
    ProfileFields,
    create_cycle,
    cycles,
    data_is_empty,
    first_cycle_id,
    save_profile_and_first_cycle,
    set_application_details,
)
from desktop.store.programs import ProgramFields, assign, create_program, update_program
from desktop.store.requests import (
    RequestFields,
    create_backup,
    create_request,
    load_request_rows,
    log_event,
    move_status,
)
from desktop.store.sample import backdate_request_creation, sample_transaction


class DemoRefusedError(UserError):
    """The demo only goes into an empty data folder; ``user_message`` says so."""


def create_demo_folder(paths: DataPaths, today: date) -> pw.SqliteDatabase:
    """Create the data file in ``paths`` and fill it with the demo sample.

    Refuses a folder that already holds LetterDesk data (it is left as it
    was); returns the open database otherwise.
    """
    if paths.has_data():
        raise DemoRefusedError(
            f"The folder {paths.root} already holds LetterDesk data, so the demo was "
            "not added and nothing was changed. Choose a new, empty folder for the "
            "demo with --data-dir."
        )
    paths.ensure()
    db = open_database(paths.database, paths.backups)
    try:
        fill_demo_data(today)
        _add_documents(paths)
    except BaseException:
        db.close()
        # The file is ours (it held no data a moment ago): remove it, so a
        # second try is not refused as "already holds data".
        for suffix in ("", "-wal", "-shm"):
            paths.database.with_name(paths.database.name + suffix).unlink(missing_ok=True)
        raise
    return db


def _minimal_pdf(lines: list[str]) -> bytes:
    """A small valid one-page PDF with ``lines`` of ASCII text: enough for
    the sample's CV to open in any viewer, without a PDF library."""
    text = "\n".join(
        f"BT /F1 12 Tf 72 {720 - 18 * n} Td ({line}) Tj ET" for n, line in enumerate(lines)
    ).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _add_documents(paths: DataPaths) -> None:
    """A CV in two versions and a personal statement, the newer CV already
    sent to one writer, so the Documents page shows versions and shares."""
    import tempfile
    from pathlib import Path

    from desktop.services.documents import DocumentLibrary, record_shared

    library = DocumentLibrary(paths)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        cv_lines = ["Maya Chen-Alvarez - Curriculum vitae", "Education", "Research", "Awards"]
        (folder / "CV-summer.pdf").write_bytes(_minimal_pdf(cv_lines))
        (folder / "CV-autumn.pdf").write_bytes(_minimal_pdf([*cv_lines, "Presentations"]))
        (folder / "Personal statement.txt").write_text(
            "Why internal medicine: the long conversations at the bedside…\n", encoding="utf-8"
        )
        library.add_version(folder / "CV-summer.pdf", kind="cv", title="CV", version_label="Summer")
        cv = library.add_version(
            folder / "CV-autumn.pdf", kind="cv", title="CV", version_label="Autumn"
        )
        statement = library.add_version(
            folder / "Personal statement.txt",
            kind="personal_statement",
            title="Personal statement",
            version_label="Draft 3",
        )
    sent = [r for r in load_request_rows() if r.status is RequestStatus.MATERIALS_SENT]
    if sent:
        first = min(sent, key=lambda r: r.id)
        record_shared([cv, statement], first.mentor_id, first.id)


def fill_demo_data(today: date) -> None:
    """Fill the open, empty database with the sample, in one transaction."""
    if not data_is_empty():
        raise DemoRefusedError(
            "The demo can only fill an empty data file; this one already has a "
            "profile or mentors, so nothing was changed."
        )
    with sample_transaction():
        _add_profile_and_cycle(today)
        mentor_ids = {spec.key: save_mentor(spec.fields) for spec in MENTORS}
        for key, entries in INTERACTIONS.items():
            for days_ago, kind, summary, mention in entries:
                save_interaction(
                    mentor_ids[key],
                    InteractionFields(today - timedelta(days=days_ago), kind, summary, mention),
                )
        _add_experiences(today, mentor_ids)
        _add_requests_and_programs(today, mentor_ids)
        backdate_request_creation(today)


# --- profile and cycle --------------------------------------------------------


def season_start_year(today: date) -> int:
    """The ERAS season containing ``today`` runs from spring (after the
    previous Match) to the Match in March of the following year."""
    return today.year if today.month >= 4 else today.year - 1


def _third_friday_of_march(year: int) -> date:
    first = date(year, 3, 1)
    first_friday = first + timedelta(days=(4 - first.weekday()) % 7)
    return first_friday + timedelta(weeks=2)


def _add_profile_and_cycle(today: date) -> None:
    """The applicant dual-applies, as many do: internal medicine through ERAS
    (the first cycle) and emergency medicine through ResidencyCAS, where EM
    went in 2025–26, each cycle with its service's cap and season dates."""
    year = season_start_year(today)
    save_profile_and_first_cycle(
        ProfileFields(
            full_name="Maya Chen-Álvarez",
            email="maya.chen-alvarez@students.lakeshore.example",
            school="Lakeshore University School of Medicine",
            graduation_year=year + 1,
            target_specialty="Internal Medicine",
        ),
        _season_cycle(Service.ERAS_RESIDENCY, year, today),
    )
    create_cycle(_season_cycle(Service.RESIDENCYCAS, year, today))
    set_application_details(
        aamc_id="14735022",
        signature="Maya Chen-Álvarez\nMS4, Lakeshore University School of Medicine",
    )


def _season_cycle(service: Service, year: int, today: date) -> CycleFields:
    """A cycle of ``service`` for the season opening in ``year``, with the
    service's default dates; the Match is the third Friday of March."""
    rules = service_rules(service)
    assert rules.season is not None
    dates = rules.season.dates(year)
    return CycleFields(
        service=service.value,
        name=default_cycle_name(service, year + 1),
        max_letters_per_program=rules.cap,
        # At the latest a month ago, so the season is under way (and its
        # advice shows) whenever the demo is made after the Match.
        opens_on=min(dates["opens_on"], today - timedelta(days=30)),
        submissions_open_on=dates["submissions_open_on"],
        review_starts_on=dates["review_starts_on"],
        outcome_on=_third_friday_of_march(year + 1),
    )


# --- mentors --------------------------------------------------------------------


@dataclass(frozen=True)
class _MentorSpec:
    key: str
    fields: MentorFields


LAKESHORE = "Lakeshore University Hospital"

MENTORS: tuple[_MentorSpec, ...] = (
    _MentorSpec("okafor", MentorFields(
        honorific="Dr.", first_name="Amara", last_name="Okafor", credentials="MD, FACP",
        title="Associate Professor of Medicine", department="Department of Medicine",
        specialty="Internal Medicine", institution=LAKESHORE,
        email="a.okafor@lakeshore-med.example", phone="+1 555 010 0142",
        category=MentorCategory.CLINICAL_SUPERVISOR.value, strength=5,
        how_met="Attending on my internal medicine sub-internship (wards team B).",
        notes="Gives detailed feedback on presentations. Prefers email; answers in the evening.",
    )),
    _MentorSpec("martinez", MentorFields(
        honorific="Dr.", first_name="José", last_name="Martínez-Núñez", credentials="MD",
        title="Professor and Chair of Medicine", department="Department of Medicine",
        specialty="Internal Medicine", institution=LAKESHORE,
        email="jose.martinez-nunez@lakeshore-med.example",
        category=MentorCategory.CLINICAL_SUPERVISOR.value, is_department_chair=True,
        strength=3, reminder_preference=ReminderPreference.GENTLE.value,
        how_met="Attended on the wards for a week of my sub-internship.",
        notes="Chair's letter: the department wants my CV, personal statement and a "
        "15-minute meeting, booked through his assistant, Lucía Peña.",
    )),
    _MentorSpec("oconnor", MentorFields(
        honorific="Dr.", first_name="Siobhán", last_name="O'Connor", credentials="MD",
        title="Assistant Professor of Medicine (Cardiology)", department="Division of Cardiology",
        specialty="Cardiology", institution=LAKESHORE,
        email="s.oconnor@lakeshore-med.example",
        category=MentorCategory.CLINICAL_SUPERVISOR.value, strength=4,
        how_met="Consult attending on my cardiology elective.",
        notes="Co-author on the heart failure project; knows my research and clinical work.",
    )),
    _MentorSpec("haddad", MentorFields(
        honorific="Dr.", first_name="Layla", last_name="Haddad", credentials="MD",
        title="Clinical Assistant Professor of Emergency Medicine",
        department="Emergency Medicine", specialty="Emergency Medicine",
        institution="St. Brigid Community Hospital", email="lhaddad@stbrigid.example",
        category=MentorCategory.CLINICAL_SUPERVISOR.value, can_write_standardized=True,
        strength=4, how_met="Supervised most of my shifts on the emergency medicine rotation.",
        notes="St. Brigid has no EM residency, so hers would be a non-residency SLOE for "
        "my ResidencyCAS application. From my evaluation: «عمل ممتاز مع المرضى وعائلاتهم» "
        "(excellent work with patients and their families).",
    )),
    _MentorSpec("mensah", MentorFields(
        honorific="Dr.", first_name="Kwame", last_name="Mensah", credentials="MD",
        title="Program Director, Emergency Medicine Residency",
        department="Department of Emergency Medicine", specialty="Emergency Medicine",
        institution=LAKESHORE, email="k.mensah@lakeshore-med.example",
        category=MentorCategory.CLINICAL_SUPERVISOR.value, can_write_standardized=True,
        strength=5, how_met="Program director on my emergency medicine sub-internship.",
        notes="Writes the department's SLOE with the clerkship director.",
    )),
    _MentorSpec("lefevre", MentorFields(
        honorific="Dr.", first_name="Renée", last_name="Lefèvre-Dubois", credentials="PhD",
        title="Assistant Dean for Student Affairs", department="Office of Student Affairs",
        specialty="Medical Education", institution="Lakeshore University School of Medicine",
        email="renee.lefevre-dubois@lakeshore.example", phone="+1 555 010 0199",
        category=MentorCategory.ACADEMIC_ADVISOR.value, strength=4,
        how_met="My assigned career advisor since first year.",
        notes="Writes the MSPE meeting notes; helps with the program list.",
    )),
    _MentorSpec("wang", MentorFields(
        honorific="Dr.", first_name="秀英", last_name="王", credentials="MD, PhD",
        title="Associate Professor of Medicine",
        department="Cardiovascular Outcomes Research Lab", specialty="Cardiology",
        institution=LAKESHORE, email="xiuying.wang@lakeshore-med.example",
        category=MentorCategory.RESEARCH_ADVISOR.value, strength=5,
        how_met="Joined her lab for a summer project that became a year-long one.",
        notes="Prefers “Dr. Wang” (王秀英, Wang Xiuying). Our abstract was a poster at the "
        "ACP chapter meeting; the manuscript is in revision.",
    )),
    _MentorSpec("nguyen", MentorFields(
        honorific="Dr.", first_name="Émile", last_name="Nguyễn", credentials="DO",
        title="Hospitalist; Director of Community Outreach", department="Hospital Medicine",
        specialty="Internal Medicine", institution="Riverside Community Health",
        email="emile.nguyen@riverside-health.example",
        category=MentorCategory.PROFESSIONAL_CONNECTION.value, strength=2,
        how_met="ACP chapter mentorship program; met at the fall chapter meeting.",
        notes="Good for advice on community programs; has not seen me work clinically.",
    )),
    _MentorSpec("sorensen", MentorFields(
        honorific="Ms.", first_name="Ingrid", last_name="Sørensen", credentials="RN, BSN",
        title="Scribe Program Manager", department="Emergency Department",
        institution="Fjordview Medical Center", email="ingrid.sorensen@fjordview.example",
        category=MentorCategory.OTHER.value, strength=3,
        reminder_preference=ReminderPreference.NONE.value,
        how_met="My manager for two years as an emergency department scribe before medical school.",
        notes="Character reference only, for a program that asks for a non-physician letter.",
    )),
    _MentorSpec("herrera", MentorFields(
        honorific="Dr.", first_name="Tomás", last_name="Herrera", credentials="MD, FACS",
        title="Surgery Clerkship Director", department="Department of Surgery",
        specialty="General Surgery", institution=LAKESHORE,
        email="t.herrera@lakeshore-med.example",
        category=MentorCategory.CLINICAL_SUPERVISOR.value, strength=3,
        how_met="Clerkship director on my third-year surgery clerkship.",
        notes="Writes for the transitional-year programs I listed as a backup.",
    )),
    _MentorSpec("adeyemi", MentorFields(
        honorific="Dr.", first_name="Folake", last_name="Adeyemi", credentials="MD",
        title="Family Medicine Preceptor", department="Family Medicine",
        specialty="Family Medicine", institution="Riverside Community Health",
        email="f.adeyemi@riverside-health.example",
        category=MentorCategory.CLINICAL_SUPERVISOR.value, strength=4,
        how_met="Longitudinal preceptor in the community clinic, second and third year.",
        notes="On sabbatical this autumn.",
    )),
)  # fmt: skip

# Per mentor: (days before today, kind, summary, mention in my letter).
# The newest entry of each sets "last contact": 2 to 90 days ago.
K = InteractionKind
INTERACTIONS: dict[str, list[tuple[int, str, str, bool]]] = {
    "okafor": [
        (21, K.MEETING, "Orientation: goals for the sub-I (carry four patients, present on rounds).", False),
        (17, K.PRESENTATION, "Presented a new admission with DKA on rounds; she praised the plan.", True),
        (14, K.FEEDBACK, "Mid-rotation feedback: strong reasoning; make overnight sign-out shorter.", False),
        (10, K.ACCOMPLISHMENT, "Caught a digoxin–amiodarone interaction at discharge reconciliation.", True),
        (7, K.PRESENTATION, "Noon conference talk: approach to hyponatremia (15 minutes).", True),
        (4, K.OTHER, "Led a family meeting about a new cirrhosis diagnosis while she observed.", True),
        (2, K.FEEDBACK, "Check-in: “performing at intern level”. Plan to ask for a letter in person.", False),
    ],
    "martinez": [
        (19, K.MEETING, "Chair's rounds; talked about my interest in primary care research.", False),
        (12, K.PRESENTATION, "Morning report case: cardiac sarcoidosis presenting as heart block.", True),
        (5, K.EMAIL, "Wrote to Lucía Peña to book the chair's letter meeting.", False),
    ],
    "oconnor": [
        (31, K.MEETING, "First day: goals for the elective (ECG reading, consult notes).", False),
        (24, K.FEEDBACK, "Consult notes are clear; state the pretest probability explicitly.", False),
        (17, K.ACCOMPLISHMENT, "Spotted a Brugada pattern on a pre-op ECG before she did.", True),
        (10, K.PRESENTATION, "Journal club on DAPA-HF; she asked me to teach the students.", True),
        (3, K.FEEDBACK, "End-of-rotation feedback: glad to support my application.", True),
    ],
    "haddad": [
        (75, K.MEETING, "Orientation shift; set goals for the rotation.", False),
        (68, K.FEEDBACK, "Good triage instincts; document faster during busy hours.", False),
        (61, K.ACCOMPLISHMENT, "Ran the first minutes of a trauma activation under supervision.", True),
        (54, K.PRESENTATION, "Emergency medicine conference case: pediatric intussusception.", False),
        (47, K.THANK_YOU, "Thank-you card after my last shift.", False),
    ],
    "mensah": [
        (47, K.MEETING, "Sub-I orientation: SLOE expectations and shift goals.", False),
        (33, K.FEEDBACK, "Mid-rotation: strong resuscitation skills; speed up dispositions.", False),
        (26, K.ACCOMPLISHMENT, "Ran a STEMI activation from triage to the cath lab call.", True),
        (12, K.EMAIL, "Confirmed the SLOE went in through ResidencyCAS.", False),
    ],
    "lefevre": [
        (160, K.MEETING, "Career advising: internal medicine or emergency medicine?", False),
        (120, K.MEETING, "CV review; she suggested putting research first.", False),
        (95, K.FEEDBACK, "Feedback on the clinical reasoning seminar; asked me to co-lead a session.", True),
        (92, K.ACCOMPLISHMENT, "Co-led the seminar session on diagnostic error.", True),
        (45, K.EMAIL, "Sent her my personal statement draft.", False),
        (20, K.MEETING, "Program list and letter plan: chair letter, two IM letters, research.", False),
    ],
    "wang": [
        (330, K.MEETING, "First lab meeting: early mobility in heart failure admissions.", False),
        (250, K.ACCOMPLISHMENT, "Finished chart abstraction for 412 admissions ahead of schedule.", True),
        (180, K.PRESENTATION, "Presented preliminary results at lab meeting.", False),
        (130, K.ACCOMPLISHMENT, "Abstract accepted as a poster at the ACP chapter meeting.", True),
        (75, K.EMAIL, "Sent the manuscript draft with a rewritten methods section.", False),
        (40, K.FEEDBACK, "Comments on the discussion: ready after one more round.", False),
        (9, K.MEETING, "Went over the reviewers' comments; she offered to write a research letter.", True),
    ],
    "nguyen": [
        (130, K.OTHER, "Met at the ACP chapter poster session; he asked about our poster.", False),
        (100, K.MEETING, "Coffee chat on community hospital medicine and primary care tracks.", False),
        (60, K.THANK_YOU, "Thank-you email with an update on my application plans.", False),
    ],
    "sorensen": [
        (400, K.EMAIL, "Holiday card and an update on third year.", False),
        (90, K.EMAIL, "Asked whether she could be a character reference; she said yes.", False),
    ],
    "herrera": [
        (300, K.FEEDBACK, "End-of-clerkship evaluation: honors; strong in the OR and on the floor.", True),
        (40, K.MEETING, "Asked for a letter for the transitional-year programs; he agreed.", False),
        (26, K.EMAIL, "Sent CV, personal statement and the program list.", False),
    ],
    "adeyemi": [
        (400, K.ACCOMPLISHMENT, "Ran a diabetes group visit in Spanish and English.", True),
        (60, K.MEETING, "Talked about family medicine as a parallel plan.", False),
        (38, K.EMAIL, "Replied that her sabbatical rules out a letter this season.", False),
    ],
}  # fmt: skip


# --- experiences ----------------------------------------------------------------


def _add_experiences(today: date, mentor_ids: dict[str, int]) -> None:
    def days(n: int) -> date:
        return today + timedelta(days=n)

    E = ExperienceKind
    experiences = [
        # Ends within two weeks: the moment to ask.
        ExperienceFields(
            E.SUB_INTERNSHIP.value, "Internal medicine sub-internship", LAKESHORE,
            "Internal Medicine", days(-21), days(7), "Wards team B; four to six patients.",
            [mentor_ids["okafor"], mentor_ids["martinez"]],
        ),
        # Ended three days ago: still a good moment.
        ExperienceFields(
            E.ROTATION.value, "Cardiology elective", LAKESHORE, "Cardiology",
            days(-31), days(-3), "Consult service and ECG clinic.", [mentor_ids["oconnor"]],
        ),
        # The EM sub-internship whose SLOE is already in.
        ExperienceFields(
            E.SUB_INTERNSHIP.value, "Emergency medicine sub-internship", LAKESHORE,
            "Emergency Medicine", days(-48), days(-20), "Audition rotation for ResidencyCAS.",
            [mentor_ids["mensah"]],
        ),
        # Ended over 30 days ago with no ask: memories fade.
        ExperienceFields(
            E.ROTATION.value, "Emergency medicine rotation", "St. Brigid Community Hospital",
            "Emergency Medicine", days(-75), days(-47), "", [mentor_ids["haddad"]],
        ),
        # Upcoming.
        ExperienceFields(
            E.SUB_INTERNSHIP.value, "Medical ICU sub-internship", LAKESHORE,
            "Critical Care", days(12), days(39), "", [mentor_ids["martinez"]],
        ),
        # Ongoing research with two mentors.
        ExperienceFields(
            E.RESEARCH.value, "Early mobility in heart failure admissions", LAKESHORE,
            "Cardiology", days(-330), None, "Retrospective cohort; manuscript in revision.",
            [mentor_ids["wang"], mentor_ids["oconnor"]],
        ),
        ExperienceFields(
            E.COURSE.value, "Clinical reasoning seminar (MS4 elective)",
            "Lakeshore University School of Medicine", "Medical Education",
            days(-120), days(-92), "", [mentor_ids["lefevre"]],
        ),
        ExperienceFields(
            E.JOB.value, "Emergency department scribe", "Fjordview Medical Center",
            "Emergency Medicine", days(-1500), days(-1150), "Full time for two years.",
            [mentor_ids["sorensen"]],
        ),
    ]  # fmt: skip
    for values in experiences:
        save_experience(values)


# --- letter requests and programs ---------------------------------------------------
#
# Chosen so that, relative to ``today``, every Today rule and every coverage
# state shows up at least once:
#   ask now (O'Connor, elective ended 3 days ago) and ask soon (Haddad, 47
#   days ago) come from the experiences above, as nobody asked them yet;
#   short lead time: Okafor, the backup lined up for Dr. Adeyemi, who declined;
#   ask by: Dr. Lefèvre-Dubois, planned, letter due in 35 days;
#   send materials: Dr. Martínez-Núñez accepted the chair letter 5 days ago;
#   reminder: Dr. Herrera was asked 15 days ago;
#   overdue: Dr. Wang's letter was due 3 days ago;
#   find a backup: Dr. Nguyễn declined and nobody replaces him yet;
#   due date and keep in touch: Ms. Sørensen, who wants no reminders, has
#   her materials and her letter is due in 5 days; nothing heard for 85 days;
#   thank (late) and share the outcome: Dr. Wang's letter for the
#   away-rotation cycle, whose results are out, never thanked for;
#   coverage: an emergency medicine program (ResidencyCAS) lacks a letter.
# ERAS programs: at risk and withdrawn; ResidencyCAS programs: met and not
# met (see ``_add_emergency_medicine``).


def _add_requests_and_programs(today: date, mentor_ids: dict[str, int]) -> None:
    def days(n: int) -> date:
        return today + timedelta(days=n)

    eras = first_cycle_id()
    assert eras is not None  # made by _add_profile_and_cycle
    T = LetterType

    def request(key: str, letter_type: LetterType, specialty: str, due: int, **extra) -> int:
        values = RequestFields(
            mentor_id=mentor_ids[key], cycle_id=eras, letter_type=letter_type.value,
            specialty=specialty, waiver=True, due_on=days(due), **extra,
        )  # fmt: skip
        return create_request(values)

    def move(rid: int, *steps: tuple[RequestStatus, int, str]) -> None:
        for status, when, note in steps:
            move_status(rid, status, on=days(when), today=today, note=note)

    S = RequestStatus
    chair = request("martinez", T.CHAIR, "Internal Medicine", 45, letter_id="ERAS-40117")
    second = request("martinez", T.NARRATIVE, "Internal Medicine", 45)
    lefevre = request("lefevre", T.NARRATIVE, "General", 35, planned_ask_on=days(-5))
    herrera = request("herrera", T.NARRATIVE, "General", 60, letter_id="ERAS-40121")
    wang = request("wang", T.NARRATIVE, "Cardiology", -3, letter_id="ERAS-40125")
    nguyen = request("nguyen", T.NARRATIVE, "Internal Medicine", 50)
    adeyemi = request("adeyemi", T.NARRATIVE, "Family Medicine", 20)
    sorensen = request("sorensen", T.NARRATIVE, "General", 5, letter_id="ERAS-40102")

    F = ProgramFields
    lakeshore = create_program(
        F(
            eras,
            "Lakeshore University Internal Medicine",
            "Internal Medicine",
            "Chicago, IL",
            days(75),
            ProgramStatus.APPLIED.value,
            3,
            1,
            chair_letter_required=True,
        )
    )
    riverside = create_program(
        F(
            eras,
            "Riverside Community Internal Medicine",
            "Internal Medicine",
            "Milwaukee, WI",
            days(60),
            ProgramStatus.CONSIDERING.value,
            3,
        )
    )
    family = create_program(
        F(
            eras,
            "Riverside Family Medicine",
            "Family Medicine",
            "Milwaukee, WI",
            days(40),
            ProgramStatus.CONSIDERING.value,
            2,
            1,
        )
    )
    northbridge = create_program(F(
        eras, "Northbridge Transitional Year", "", "Boston, MA",
        days(55), ProgramStatus.CONSIDERING.value, 3,
    ))  # fmt: skip
    for rid, program in (
        (chair, lakeshore), (herrera, lakeshore), (sorensen, lakeshore),
        (chair, riverside), (herrera, riverside), (wang, riverside), (nguyen, riverside),
        (adeyemi, family), (lefevre, family),
        (herrera, northbridge),
    ):  # fmt: skip
        assign(rid, program)
    update_program(northbridge, F(
        eras, "Northbridge Transitional Year", "", "Boston, MA", days(55),
        ProgramStatus.WITHDRAWN.value, 3, notes="Withdrew: decided against a transitional year.",
    ))  # fmt: skip

    move(
        chair,
        (S.ASKED, -8, "Asked in person after chair's rounds."),
        (S.ACCEPTED, -5, "Lucía Peña confirmed; he wants my CV and statement."),
    )
    move(second, (S.WITHDRAWN, -12, "The department sends one chair letter; not needed."))
    move(herrera, (S.ASKED, -15, "Asked in his office."))
    move(
        wang,
        (S.ASKED, -40, ""),
        (S.ACCEPTED, -38, ""),
        (S.MATERIALS_SENT, -26, "Sent CV, statement and the manuscript."),
    )
    move(
        nguyen,
        (S.ASKED, -20, ""),
        (S.DECLINED, -10, "Has not seen me work clinically; suggested a ward attending."),
    )
    move(adeyemi, (S.ASKED, -45, ""), (S.DECLINED, -38, "On sabbatical this autumn."))
    create_backup(adeyemi, mentor_ids["okafor"], note="Ask in person before the sub-I ends.")
    move(sorensen, (S.ASKED, -90, "By phone."), (S.ACCEPTED, -88, ""),
         (S.MATERIALS_SENT, -85, "Sent my CV and the program list."))  # fmt: skip
    log_event(
        herrera, RequestEventKind.REMINDED, days(-30), "Before asking: confirmed he was back."
    )

    _add_emergency_medicine(today, mentor_ids)
    _add_past_cycle(today, mentor_ids)


def _add_emergency_medicine(today: date, mentor_ids: dict[str, int]) -> None:
    """The ResidencyCAS cycle: emergency medicine with SLOEs, and writers it
    shares with the ERAS cycle (Dr. Herrera, Dr. Lefèvre-Dubois). Dr. Mensah's
    SLOE is in, so its assignments stay (ResidencyCAS keeps a submitted
    letter); one program still lacks a letter (not met)."""

    def days(n: int) -> date:
        return today + timedelta(days=n)

    cas = next(r.id for r in cycles() if r.service == Service.RESIDENCYCAS.value)
    T, S = LetterType, RequestStatus

    def request(key: str, letter_type: LetterType, due: int, **extra) -> int:
        return create_request(RequestFields(
            mentor_id=mentor_ids[key], cycle_id=cas, letter_type=letter_type.value,
            specialty="Emergency Medicine", waiver=True, due_on=days(due), **extra,
        ))  # fmt: skip

    sloe = request("mensah", T.EM_SLOE, -10, letter_id="RCAS-52210")
    off_service = request("herrera", T.OFF_SERVICE_SLOE, 50, letter_id="RCAS-52214")
    narrative = create_request(RequestFields(
        mentor_id=mentor_ids["lefevre"], cycle_id=cas, specialty="General", waiver=True,
        due_on=days(40), planned_ask_on=days(3),
    ))  # fmt: skip
    F = ProgramFields
    brigid = create_program(F(
        cas, "Great Lakes Regional Emergency Medicine", "Emergency Medicine", "Toledo, OH",
        days(70), ProgramStatus.APPLIED.value, 3, 1, standardized_letter_required=True,
        notes="Wants two SLOEs if possible.",
    ))  # fmt: skip
    lakeshore = create_program(F(
        cas, "Lakeshore University Emergency Medicine", "Emergency Medicine", "Chicago, IL",
        days(65), ProgramStatus.CONSIDERING.value, 3, 1, standardized_letter_required=True,
        notes="Needs a third letter: ask Dr. Haddad for a non-residency SLOE.",
    ))  # fmt: skip
    for rid, program in (
        (sloe, brigid), (off_service, brigid), (narrative, brigid),
        (sloe, lakeshore), (off_service, lakeshore),
    ):  # fmt: skip
        assign(rid, program)
    move_status(sloe, S.ASKED, on=days(-30), today=today, note="Asked at the end of the sub-I.")
    move_status(sloe, S.ACCEPTED, on=days(-29), today=today)
    move_status(sloe, S.SUBMITTED, on=days(-12), today=today, note="Through esloe.cordem.org.")
    log_event(sloe, RequestEventKind.THANKED, days(-11), "Thank-you note to the department.")
    move_status(off_service, S.ASKED, on=days(-9), today=today, note="After the M&M conference.")


def _add_past_cycle(today: date, mentor_ids: dict[str, int]) -> None:
    """A finished cycle: last winter's away-rotation applications, results
    out three weeks ago and not yet shared with Dr. Wang (share the outcome),
    and the thank-you for his letter never sent (late)."""

    def days(n: int) -> date:
        return today + timedelta(days=n)

    away = create_cycle(CycleFields(
        service=Service.OTHER.value, name="Away rotations (VSLO)", max_letters_per_program=2,
        opens_on=days(-200), outcome_on=days(-21),
    ))  # fmt: skip
    rid = create_request(
        RequestFields(
            mentor_id=mentor_ids["wang"], cycle_id=away, specialty="Cardiology",
            waiver=True, due_on=days(-120), letter_id="VSLO-7781",
        )
    )  # fmt: skip
    program = create_program(
        ProgramFields(
            away, "Bayview Cardiology Away Rotation", "Cardiology", "San Francisco, CA",
            days(-120), ProgramStatus.MATCHED.value, 1,
        )
    )  # fmt: skip
    assign(rid, program)
    move_status(rid, RequestStatus.ASKED, on=days(-160), today=today)
    move_status(rid, RequestStatus.SUBMITTED, on=days(-130), today=today)
