"""The closed vocabularies LetterDesk stores: categories, kinds and statuses.

Values are stored in the database as the enum's string value, so renaming a
member's *value* needs a migration; renaming its label does not. Labels here
are the English source strings; the UI passes them through ``tr()``.
"""

from __future__ import annotations

from enum import StrEnum


class MentorCategory(StrEnum):
    ACADEMIC_ADVISOR = "academic_advisor"
    CLINICAL_SUPERVISOR = "clinical_supervisor"
    RESEARCH_ADVISOR = "research_advisor"
    PROFESSIONAL_CONNECTION = "professional_connection"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _CATEGORY_LABELS[self]


_CATEGORY_LABELS = {
    MentorCategory.ACADEMIC_ADVISOR: "Academic advisor",
    MentorCategory.CLINICAL_SUPERVISOR: "Clinical supervisor",
    MentorCategory.RESEARCH_ADVISOR: "Research advisor",
    MentorCategory.PROFESSIONAL_CONNECTION: "Professional connection",
    MentorCategory.OTHER: "Other (employer, coach…)",
}


class ReminderPreference(StrEnum):
    """How the writer wants to be nudged; "none" turns nudges off."""

    DEFAULT = "default"
    GENTLE = "gentle"
    NONE = "none"

    @property
    def label(self) -> str:
        return {"default": "Default", "gentle": "Gentle (fewer nudges)", "none": "No reminders"}[
            self.value
        ]


class ExperienceKind(StrEnum):
    ROTATION = "rotation"
    SUB_INTERNSHIP = "sub_internship"
    RESEARCH = "research"
    COURSE = "course"
    JOB = "job"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "rotation": "Rotation",
            "sub_internship": "Sub-internship",
            "research": "Research project",
            "course": "Course",
            "job": "Job",
            "other": "Other",
        }[self.value]

    @property
    def is_clinical(self) -> bool:
        """Rotations and sub-internships end with the classic "ask now" moment."""
        return self in (ExperienceKind.ROTATION, ExperienceKind.SUB_INTERNSHIP)


class InteractionKind(StrEnum):
    MEETING = "meeting"
    FEEDBACK = "feedback"
    PRESENTATION = "presentation"
    ACCOMPLISHMENT = "accomplishment"
    EMAIL = "email"
    THANK_YOU = "thank_you"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "meeting": "Meeting",
            "feedback": "Feedback received",
            "presentation": "Presentation",
            "accomplishment": "Accomplishment they saw",
            "email": "Email",
            "thank_you": "Thank-you",
            "other": "Other",
        }[self.value]


class Service(StrEnum):
    """The letter service of an application cycle; its declaration in
    ``desktop/domain/letter_services`` sets the rules. Stored as the value, so
    a new member needs no migration (the column has no CHECK)."""

    ERAS_RESIDENCY = "eras_residency"
    ERAS_FELLOWSHIP = "eras_fellowship"
    RESIDENCYCAS = "residencycas"
    AMCAS = "amcas"
    AACOMAS = "aacomas"
    TMDSAS = "tmdsas"
    CARMS = "carms"
    SF_MATCH = "sf_match"
    MILITARY_MATCH = "military_match"
    OTHER = "other"

    @property
    def label(self) -> str:
        # The display name is part of the service's one declaration.
        from .letter_services import service_rules

        return service_rules(self).display_name


class CapScope(StrEnum):
    """What a cycle's letter cap counts."""

    PER_PROGRAM = "per_program"  # letters assigned to one program (ERAS: 4)
    PER_APPLICATION = "per_application"  # distinct letters across the cycle (AMCAS: 10)
    EXACT = "exact"  # exactly this many distinct letters in the cycle (SF Match: 3)
    # A committee packet, or a set number of individual letters, plus an
    # optional extra (TMDSAS: one packet or three letters, plus one).
    PACKET_OR_INDIVIDUAL = "packet_or_individual"

    @property
    def label(self) -> str:
        return {
            "per_program": "per program",
            "per_application": "per application",
            "exact": "exactly, per application",
            "packet_or_individual": "a committee packet or individual letters",
        }[self.value]


class AssignmentUndo(StrEnum):
    """Whether a letter, once assigned to a program, can be taken back."""

    ALWAYS = "always"
    NEVER = "never"  # ERAS: an assigned letter cannot be unassigned
    UNTIL_SUBMITTED = "until_submitted"  # Liaison CASs: not once the letter is in

    @property
    def label(self) -> str:
        return {
            "always": "Can be unassigned",
            "never": "Final once assigned",
            "until_submitted": "Final once the letter is submitted",
        }[self.value]


class LetterType(StrEnum):
    NARRATIVE = "narrative"  # also AMCAS/AACOMAS/TMDSAS's "individual letter"
    STANDARDIZED = "standardized"  # any other standardized form (SLOR, eSLOR…)
    CHAIR = "chair"  # department chair letter
    COMMITTEE = "committee"  # committee letter or packet (AMCAS, AACOMAS, TMDSAS)
    LETTER_PACKET = "letter_packet"  # AMCAS: several letters sent as one entry
    EM_SLOE = "em_sloe"  # emergency medicine SLOE (CORD), from an EM rotation
    OFF_SERVICE_SLOE = "off_service_sloe"  # oSLOE: EM SLOE from an off-service rotation
    NON_RESIDENCY_SLOE = "non_residency_sloe"  # EM SLOE from a site without a residency
    APGO_SLOE = "apgo_sloe"  # OB/GYN standardized letter (APGO/CREOG)
    ORTHO_ESLOR = "ortho_eslor"  # orthopaedic surgery electronic SLOR
    IM_SEL = "im_sel"  # internal medicine department letter (standardized)

    @property
    def label(self) -> str:
        return {
            "narrative": "Narrative",
            "standardized": "Standardized (SLOR/eSLOR, other specialties)",
            "chair": "Department chair letter",
            "committee": "Committee letter / packet",
            "letter_packet": "Letter packet",
            "em_sloe": "EM SLOE",
            "off_service_sloe": "Off-service SLOE (oSLOE)",
            "non_residency_sloe": "Non-residency SLOE",
            "apgo_sloe": "APGO SLOE (OB/GYN)",
            "ortho_eslor": "Orthopaedic eSLOR",
            "im_sel": "IM department letter (SEL)",
        }[self.value]

    @property
    def short_label(self) -> str:
        """A word or two, for a narrow place beside a name."""
        return {
            "narrative": "narrative",
            "standardized": "SLOR/eSLOR",
            "chair": "chair letter",
            "committee": "committee",
            "letter_packet": "letter packet",
            "em_sloe": "EM SLOE",
            "off_service_sloe": "oSLOE",
            "non_residency_sloe": "non-residency SLOE",
            "apgo_sloe": "APGO SLOE",
            "ortho_eslor": "ortho eSLOR",
            "im_sel": "IM SEL",
        }[self.value]

    @property
    def is_standardized(self) -> bool:
        """A structured form rather than a free letter: counts for a
        program's "standardized letter" requirement."""
        return self in _STANDARDIZED

    @property
    def is_committee(self) -> bool:
        """One entry that carries a committee's (or several writers') letter."""
        return self in (LetterType.COMMITTEE, LetterType.LETTER_PACKET)


_STANDARDIZED = frozenset(
    {
        LetterType.STANDARDIZED,
        LetterType.EM_SLOE,
        LetterType.OFF_SERVICE_SLOE,
        LetterType.NON_RESIDENCY_SLOE,
        LetterType.APGO_SLOE,
        LetterType.ORTHO_ESLOR,
        LetterType.IM_SEL,
    }
)


class RequestStatus(StrEnum):
    PLANNED = "planned"
    ASKED = "asked"
    ACCEPTED = "accepted"
    MATERIALS_SENT = "materials_sent"
    SUBMITTED = "submitted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {
            "planned": "Planned",
            "asked": "Asked",
            "accepted": "Accepted",
            "materials_sent": "Materials sent",
            "submitted": "Submitted",
            "declined": "Declined",
            "withdrawn": "Withdrawn",
        }[self.value]


class RequestEventKind(StrEnum):
    """Dated events on a request that are not status changes."""

    REMINDED = "reminded"
    THANKED = "thanked"
    OUTCOME_SHARED = "outcome_shared"

    @property
    def label(self) -> str:
        return {
            "reminded": "Reminded",
            "thanked": "Thanked",
            "outcome_shared": "Outcome shared",
        }[self.value]


class ProgramStatus(StrEnum):
    CONSIDERING = "considering"
    APPLIED = "applied"
    INTERVIEW = "interview"
    RANKED = "ranked"
    MATCHED = "matched"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {
            "considering": "Considering",
            "applied": "Applied",
            "interview": "Interview",
            "ranked": "Ranked",
            "matched": "Matched",
            "withdrawn": "Withdrawn",
        }[self.value]


class DocumentKind(StrEnum):
    CV = "cv"
    PERSONAL_STATEMENT = "personal_statement"
    PHOTO = "photo"
    REQUEST_FORM = "request_form"
    TRANSCRIPT = "transcript"
    SCORE_REPORT = "score_report"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "cv": "CV",
            "personal_statement": "Personal statement",
            "photo": "Photo",
            "request_form": "Letter request form",
            "transcript": "Transcript",
            "score_report": "Score report",
            "other": "Other",
        }[self.value]


class TemplatePurpose(StrEnum):
    REQUEST = "request"
    MATERIALS = "materials"
    NUDGE = "nudge"
    REMINDER = "reminder"
    THANK_YOU = "thank_you"
    UPDATE = "update"

    @property
    def label(self) -> str:
        return {
            "request": "Asking for the letter",
            "materials": "Materials",
            "nudge": "Nudge after asking",
            "reminder": "Due-date reminder",
            "thank_you": "Thank-you",
            "update": "Outcome update",
        }[self.value]


class EmailState(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    # Came back with a restore or an archive import: not sent until the
    # user looks and confirms (the copy may have gone out already).
    HELD = "held"

    @property
    def label(self) -> str:
        return {
            "held": "Held",
            "draft": "Draft",
            "scheduled": "Scheduled",
            "queued": "Queued",
            "sending": "Sending / unclear",
            "sent": "Sent",
            "failed": "Failed",
        }[self.value]
