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
    """The letter service of an application cycle; it sets the rules."""

    ERAS_RESIDENCY = "eras_residency"
    ERAS_FELLOWSHIP = "eras_fellowship"
    AMCAS = "amcas"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "eras_residency": "ERAS residency",
            "eras_fellowship": "ERAS fellowship",
            "amcas": "AMCAS (medical school)",
            "other": "Other",
        }[self.value]


class LetterType(StrEnum):
    NARRATIVE = "narrative"
    STANDARDIZED = "standardized"  # SLOE, eSLOE, eSLOR…
    CHAIR = "chair"  # department chair letter
    COMMITTEE = "committee"  # committee letter or letter packet (AMCAS)

    @property
    def label(self) -> str:
        return {
            "narrative": "Narrative",
            "standardized": "Standardized (SLOE/eSLOR)",
            "chair": "Department chair letter",
            "committee": "Committee letter / packet",
        }[self.value]


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
