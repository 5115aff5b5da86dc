"""Every letter service LetterDesk knows, one declaration each.

Adding a service: add its member to ``Service`` (``domain/vocabulary.py``),
one ``LetterServiceRules`` here with each rule's source beside it, and its
test in ``tests/domain/test_letter_services.py``. Nothing else branches on
the service: coverage, assignment, the forms, templates and the writer's
summary all read these values.

Season dates are typical dates offered for a new cycle; the user edits them
per cycle, and none carries a year. Where a source is marked "secondary" it
is a school's or a guide's summary of the service's rule.
"""

from __future__ import annotations

from ..vocabulary import AssignmentUndo, CapScope, LetterType, Service
from .model import ExcludedPair, LetterIdRule, LetterServiceRules, MonthDay, PacketRule
from .model import SeasonDefaults as Season

T = LetterType
ALL_TYPES = tuple(LetterType)

# ERAS residency and fellowship share the AAMC's letter machinery.
_AAMC_PORTAL = "the AAMC Letter Writer Portal"
_ERAS_REQUEST = (
    "The request comes by email from ERAS with a secure link to the AAMC Letter Writer "
    "Portal; you can submit as a guest, without an AAMC account."
)  # aamc.org/services/eras-institutions/eras-letter-writers-faq (2027 season)
_ERAS_LETTER_ID = LetterIdRule(
    "ERAS Letter ID",
    "on the Letter Request Form from MyERAS; one ID per letter, never reused",
)  # students-residents.aamc.org …/letters-recommendation: "each Letter ID can be used once"
_LIAISON = "Liaison Letters"
_MATCH_DAY = MonthDay(3, 20, 1)  # NRMP Main Match: the third Friday of March (edit per cycle)

ERAS_RESIDENCY = LetterServiceRules(
    service=Service.ERAS_RESIDENCY,
    display_name="ERAS residency",
    # "Applicants may assign up to four (4) letters per program"
    # (aamc.org/services/eras-institutions/eras-letter-writers-faq).
    cap=4,
    scope=CapScope.PER_PROGRAM,
    # Narrative, standardized (SLOR/eSLOR, IM department letter) and chair
    # letters; "General" or a specialty per letter (same FAQ;
    # students-residents.aamc.org …/letters-recommendation). Emergency
    # medicine's SLOEs left with EM for ResidencyCAS in 2025–26.
    letter_types=(T.NARRATIVE, T.STANDARDIZED, T.IM_SEL, T.ORTHO_ESLOR, T.CHAIR),
    # "You must indicate whether you waive your right to view the LoR for
    # each LoR entry" (students-residents.aamc.org …/letters-recommendation).
    waiver_required=True,
    portal=_AAMC_PORTAL,  # new for the 2027 season, replacing the LoRP (ERAS letter writers FAQ)
    writer_request=_ERAS_REQUEST,
    letter_id=_ERAS_LETTER_ID,
    # An assigned letter cannot be unassigned (ERAS letter writers FAQ; DESIGN "Letter services").
    undo=AssignmentUndo.NEVER,
    # students-residents.aamc.org …/eras-timeline: MyERAS opens early June,
    # applications go in early September, programs review from late September.
    season=Season(MonthDay(6, 4), MonthDay(9, 3), MonthDay(9, 24), _MATCH_DAY),
    outcome_verb="matched at",
    notes=(
        "Dermatology, integrated plastic surgery and urology standardized letters use the "
        "portal's built-in form (ERAS Terms and Conditions: AAMC Letter Writer Portal).",
    ),
)

ERAS_FELLOWSHIP = LetterServiceRules(
    service=Service.ERAS_FELLOWSHIP,
    display_name="ERAS fellowship",
    cap=4,  # 4 per program (students-residents.aamc.org, ERAS fellowship FAQ)
    scope=CapScope.PER_PROGRAM,
    # Narrative letters (fellowship FAQ); the program director's and the
    # chair's letters are narrative letters with a flag.
    letter_types=(T.NARRATIVE, T.STANDARDIZED, T.CHAIR),
    waiver_required=True,  # same letter entry as residency
    portal=_AAMC_PORTAL,
    writer_request=_ERAS_REQUEST,
    letter_id=_ERAS_LETTER_ID,
    undo=AssignmentUndo.NEVER,  # ERAS: an assigned letter cannot be unassigned
    # The July cycle (fellowship FAQ has July and December cycles): opens in
    # June, applications in July, fellowship Match in early December.
    season=Season(MonthDay(6, 4), MonthDay(7, 1), MonthDay(7, 15), MonthDay(12, 3)),
    outcome_verb="matched at",
    notes=(
        "The ERAS Fellowships Documents Office takes up to 5 business days to process a letter.",
    ),
)

RESIDENCYCAS = LetterServiceRules(
    service=Service.RESIDENCYCAS,
    display_name="ResidencyCAS",
    # OB/GYN since 2024–25 and emergency medicine since 2025–26; letters are
    # requested without limit, 4 assigned per program (help.liaisonedu.com
    # ResidencyCAS applicant help; cordem.org/resources/ascem).
    cap=4,
    scope=CapScope.PER_PROGRAM,
    # EM: SLOE, off-service SLOE, non-residency SLOE (cordem.org/resources/ascem,
    # esloe.cordem.org/howto); OB/GYN: the APGO SLOE is recommended.
    letter_types=(
        T.EM_SLOE,
        T.OFF_SERVICE_SLOE,
        T.NON_RESIDENCY_SLOE,
        T.APGO_SLOE,
        T.NARRATIVE,
        T.CHAIR,
    ),
    # Liaison asks the FERPA waiver for every evaluation request
    # (help.liaisonedu.com, "Understanding the recommendation process").
    waiver_required=True,
    portal=f"{_LIAISON} (ResidencyCAS)",
    writer_request=(
        "The request comes by email from ResidencyCAS with a link to Liaison Letters; an EM "
        "SLOE is completed on esloe.cordem.org with the ResidencyCAS Letter ID."
    ),  # help.liaisonedu.com ResidencyCAS; esloe.cordem.org/howto
    letter_id=LetterIdRule(
        "ResidencyCAS Letter ID",
        "in the writer's request; SLOE writers enter it on esloe.cordem.org",
    ),  # esloe.cordem.org/howto
    # A submitted assignment cannot be removed (secondary: school advising pages).
    undo=AssignmentUndo.UNTIL_SUBMITTED,
    # Common release with ERAS programs (secondary); the Match is the NRMP's.
    season=Season(MonthDay(6, 4), MonthDay(9, 3), MonthDay(9, 24), _MATCH_DAY),
    excluded_pairs=(
        # APGO/CREOG OB/GYN guidance: a writer who completes the SLOE does
        # not also write a narrative letter (DESIGN "Letter services").
        ExcludedPair(
            T.APGO_SLOE,
            T.NARRATIVE,
            "OB/GYN guidance: a writer who completes the APGO SLOE does not also write a "
            "narrative letter for the same program.",
        ),
    ),
    outcome_verb="matched at",
)

AMCAS = LetterServiceRules(
    service=Service.AMCAS,
    display_name="AMCAS (MD schools)",
    # "You may have up to 10 letters associated with your AMCAS application";
    # schools may accept fewer (students-residents.aamc.org, AMCAS "Letters
    # of Evaluation" / "creating letter entries").
    cap=10,
    scope=CapScope.PER_APPLICATION,
    # Committee letter, letter packet or individual letter; each one entry (same page).
    letter_types=(T.NARRATIVE, T.COMMITTEE, T.LETTER_PACKET),
    waiver_required=False,  # the AMCAS pages cited do not make it a condition of asking
    portal=_AAMC_PORTAL,
    writer_request=(
        "I will send you the Letter Request Form with my AAMC ID and the Letter ID; the "
        "letter is uploaded through the AAMC Letter Writer Portal."
    ),  # students-residents.aamc.org …/creating-letter-entries
    letter_id=LetterIdRule("AMCAS Letter ID", "on the Letter Request Form, with your AAMC ID"),
    undo=AssignmentUndo.ALWAYS,  # letters may be added and assigned after submission
    # AMCAS opens early May, submissions from late May, schools receive from
    # late June; "choose your school" by April 30 (AAMC traffic rules).
    season=Season(MonthDay(5, 1), MonthDay(5, 28), MonthDay(6, 27), MonthDay(4, 30, 1)),
    outcome_verb="was admitted to",
)

AACOMAS = LetterServiceRules(
    service=Service.AACOMAS,
    display_name="AACOMAS (DO schools)",
    # "You can enter information for a maximum of 6 evaluations"; they go to
    # every school you designate (help.unicas.com AACOMAS "Evaluations").
    cap=6,
    scope=CapScope.PER_APPLICATION,
    # Individual or committee; "a committee letter only counts as one evaluation".
    letter_types=(T.NARRATIVE, T.COMMITTEE),
    waiver_required=True,  # the FERPA waiver is asked with each evaluation (same page)
    portal=f"{_LIAISON} (AACOMAS)",
    writer_request=(
        "The request comes by email from AACOMAS with a link to Liaison Letters, where the "
        "evaluation is completed."
    ),  # help.unicas.com AACOMAS evaluations
    # "once a reference is completed … it may NOT be removed or replaced" (same page).
    undo=AssignmentUndo.UNTIL_SUBMITTED,
    season=Season(MonthDay(5, 1), MonthDay(5, 1), MonthDay(6, 15), MonthDay(4, 30, 1)),
    outcome_verb="was admitted to",
)

TMDSAS = LetterServiceRules(
    service=Service.TMDSAS,
    display_name="TMDSAS (Texas schools)",
    # "One Health Professions Committee Packet OR Three individual letters of
    # evaluation; Optional: One extra letter" (tmdsas.com/explore/letters-evaluation.html).
    cap=4,
    scope=CapScope.PACKET_OR_INDIVIDUAL,
    packet=PacketRule(individual=3, optional=1),
    letter_types=(T.COMMITTEE, T.NARRATIVE),
    waiver_required=False,
    portal="the TMDSAS Evaluator Portal",
    writer_request=(
        "TMDSAS gives you access to its Evaluator Portal, where you upload a signed, dated "
        "PDF on letterhead (mailing it is also accepted)."
    ),  # tmdsas.com/SUPPORT/evaluators.html
    undo=AssignmentUndo.ALWAYS,  # evaluators can be changed by message to TMDSAS (same site)
    # Application opens in early May, schools receive from mid-June, the
    # TMDSAS Match in February (secondary: medschoolinsiders TMDSAS guide).
    season=Season(MonthDay(5, 1), MonthDay(5, 15), MonthDay(6, 15), MonthDay(2, 14, 1)),
    outcome_verb="matched at",
    notes=(
        "Letters need letterhead, contact details, a signature, the applicant's name and a "
        "date (tmdsas.com).",
    ),
)

CARMS = LetterServiceRules(
    service=Service.CARMS,
    display_name="CaRMS (Canada)",
    # Each program sets its number of reference letters (carms.zendesk.com):
    # the cap is the cycle's own, typically 3.
    cap=3,
    scope=CapScope.PER_PROGRAM,
    cap_editable=True,
    letter_types=(T.NARRATIVE, T.STANDARDIZED),  # structured letters in some disciplines
    waiver_required=False,  # the applicant can never view CaRMS letters (carms.zendesk.com)
    portal="CaRMS Online",
    writer_request="The request comes by email from CaRMS; the letter is uploaded in CaRMS Online.",
    undo=AssignmentUndo.ALWAYS,
    # R-1 main residency match: documents from September, file review from
    # December, Match Day in early March (carms.ca timeline, secondary).
    season=Season(MonthDay(9, 3), MonthDay(11, 20), MonthDay(12, 1), MonthDay(3, 3, 1)),
    outcome_verb="matched at",
)

SF_MATCH = LetterServiceRules(
    service=Service.SF_MATCH,
    display_name="SF Match",
    # Ophthalmology asks for exactly 3 letters (a 4th only without an MSPE)
    # (sfmatch.org, dated page).
    cap=3,
    scope=CapScope.EXACT,
    letter_types=(T.NARRATIVE,),
    waiver_required=False,
    portal="the SF Match Central Application Service",
    writer_request=(
        "The request comes from the SF Match Central Application Service, where the letter "
        "is uploaded."
    ),
    undo=AssignmentUndo.ALWAYS,
    # CAS opens in early summer, programs review in the fall, the
    # ophthalmology match in late January (sfmatch.org, dated).
    season=Season(MonthDay(6, 1), MonthDay(9, 1), MonthDay(9, 15), MonthDay(1, 27, 1)),
    outcome_verb="matched at",
)

MILITARY_MATCH = LetterServiceRules(
    service=Service.MILITARY_MATCH,
    display_name="Military Match (JSGME)",
    # 3 letters, dated within 6 months; the writer must not be a program
    # director in the specialty (airforcemedicine.af.mil, secondary).
    cap=3,
    scope=CapScope.PER_APPLICATION,
    letter_types=(T.NARRATIVE, T.EM_SLOE, T.STANDARDIZED),
    waiver_required=False,
    portal="your service branch's application system",
    # Each branch sets how letters arrive.
    writer_request="I will forward my service branch's instructions for sending the letter.",
    undo=AssignmentUndo.ALWAYS,
    # Applications by the autumn, selection boards in November, results in
    # mid-December (secondary).
    season=Season(MonthDay(6, 1), MonthDay(9, 1), MonthDay(11, 15), MonthDay(12, 12)),
    outcome_verb="matched at",
    notes=("Letters must be dated within 6 months of the selection board.",),
)

OTHER = LetterServiceRules(
    service=Service.OTHER,
    display_name="Other (Interfolio or anything else)",
    cycle_name="Other",
    cap=4,
    scope=CapScope.PER_PROGRAM,
    cap_editable=True,  # the user sets the cap and its scope
    letter_types=ALL_TYPES,
    waiver_required=False,  # Interfolio: confidential or not, the applicant's choice
    portal="",  # no portal to name: the templates leave the sentence out
    writer_request=(
        "I will send the request link (Interfolio, for example) or the programs' instructions."
    ),  # product-help.interfolio.com: Interfolio emails the writer a request link
    undo=AssignmentUndo.ALWAYS,
    season=None,
)

DECLARATIONS: tuple[LetterServiceRules, ...] = (
    ERAS_RESIDENCY,
    ERAS_FELLOWSHIP,
    RESIDENCYCAS,
    AMCAS,
    AACOMAS,
    TMDSAS,
    CARMS,
    SF_MATCH,
    MILITARY_MATCH,
    OTHER,
)
