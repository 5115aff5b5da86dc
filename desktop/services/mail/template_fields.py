"""The fields an email template can use, each with a sentence for the
Templates page. ``desktop.store.template_context`` fills them; a test
checks the two agree."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TemplateField:
    path: str  # "mentor.salutation"
    description: str
    snippet: str = ""  # inserted instead of {{ path }} (lists need a loop)

    @property
    def insertion(self) -> str:
        return self.snippet or "{{ " + self.path + " }}"


F = TemplateField

FIELDS: tuple[TemplateField, ...] = (
    F("applicant.full_name", "Your full name"),
    F("applicant.first_name", "Your first name"),
    F("applicant.email", "Your email address"),
    F("applicant.school", "Your medical school"),
    F("applicant.graduation_year", "Your graduation year"),
    F("applicant.target_specialty", "The specialty you are applying in"),
    F("applicant.aamc_id", "Your AAMC ID"),
    F("applicant.signature", "Your signature (your name when none is set)"),
    F("greeting", "How the email opens: “Dear Dr. Okafor” (set on the mentor's form)"),
    F("mentor.greeting", "The same greeting: “Dear Dr. Okafor”, or the mentor's own"),
    F("mentor.salutation", "The writer's name as you address them: “Dr. Okafor”"),
    F("mentor.full_name", "Name with credentials: “Dr. Amara Okafor, MD”"),
    F("mentor.honorific", "Dr., Prof., Ms.…"),
    F("mentor.first_name", "The writer's first name"),
    F("mentor.last_name", "The writer's last name"),
    F("mentor.credentials", "MD, PhD…"),
    F("mentor.title", "Their position: “Associate Professor of Medicine”"),
    F("mentor.department", "Their department"),
    F("mentor.institution", "Their hospital or school"),
    F("mentor.specialty", "Their specialty"),
    F("mentor.email", "Their email address"),
    F("request.letter_type", "Narrative, EM SLOE, APGO SLOE, eSLOR, chair, committee letter…"),
    F("request.standardized", "Yes (true) for a standardized letter (a SLOE, eSLOR, SEL…)"),
    F("request.specialty", "The letter's specialty (“General” when not specific)"),
    F("request.status", "Planned, asked, accepted…"),
    F("request.waiver", "Yes (true) when you waived your right to see the letter"),
    F("request.waiver_text", "A sentence about the waiver; empty when not answered yet"),
    F("request.letter_id", "The Letter ID (also plain letter_id)"),
    F("request.asked_on", "The day you asked"),
    F("request.due_on", "The day the letter is due"),
    F("request.submitted_on", "The day the letter was submitted"),
    F("cycle.name", "The application season: “ERAS 2027”"),
    F("cycle.service", "ERAS residency, ResidencyCAS, AMCAS, AACOMAS, TMDSAS…"),
    F("cycle.portal", "Where writers submit: the AAMC Letter Writer Portal, Liaison Letters…"),
    F(
        "cycle.writer_request",
        "How the writer gets the request, in one sentence, for the cycle's service",
    ),
    F("cycle.letter_id_name", "What the service calls the Letter ID; empty when it has none"),
    F("cycle.cap_text", "The letter cap in words: “at most 10 letters per application”"),
    F("cycle.outcome_on", "Match day or the decision date"),
    F("cycle.max_letters_per_program", "The letter cap (counted as cycle.cap_text says)"),
    F(
        "programs",
        "The programs this letter goes to, each with name, deadline, location, specialty",
        "{% for program in programs %}\n"
        "- {{ program.name }}{% if program.deadline %} ({{ program.deadline }}){% endif %}\n"
        "{% endfor %}\n",
    ),
    F("deadlines.letter_due", "The day the letter is due"),
    F("deadlines.due_in", "“in 6 days”, “tomorrow”, “in about 5 weeks”"),
    F("deadlines.days_left", "Days until the letter is due (a number; none without a date)"),
    F("deadlines.earliest", "The earliest deadline among this letter's programs"),
    F("deadlines.latest", "The latest deadline among this letter's programs"),
    F("letter_id", "The Letter ID for the portal; empty until you have one"),
    F(
        "rotation",
        "Your most recent rotation or project with this writer: title, kind, "
        "institution, specialty, period, start, end; empty when there is none",
        "{% if rotation %}{{ rotation.title }} ({{ rotation.period }}){% endif %}",
    ),
    F(
        "highlights",
        "Log entries marked “mention in my letter”, each with date, kind, summary",
        "{% for item in highlights %}\n- {{ item.summary }}\n{% endfor %}\n",
    ),
    F("outcome.program", "The program you matched at or were admitted to; empty before"),
    F("outcome.verb", "“matched at”, “was admitted to”…, to follow “I”"),
    F("today", "Today's date"),
)
