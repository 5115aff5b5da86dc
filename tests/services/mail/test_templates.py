"""Email templates: strict sandboxed rendering, problems at their line, the
built-in texts against real (demo) requests, and the context they read."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from desktop.domain.vocabulary import ProgramStatus, TemplatePurpose
from desktop.services.demo import fill_demo_data
from desktop.services.mail import templates as t
from desktop.services.mail.templates import FIELDS, TemplateProblem, render
from desktop.store import templates as stored
from desktop.store.experiences import ExperienceFields, save_experience
from desktop.store.mentors import InteractionFields, MentorFields, save_interaction, save_mentor
from desktop.store.models import Cycle, EmailTemplate, LetterRequest, Program
from desktop.store.programs import ProgramFields, assign, create_program, update_program
from desktop.store.requests import RequestFields, create_request
from desktop.store.template_context import (
    context_for_request,
    due_in,
    readable_date,
    sample_context,
)

TODAY = date(2026, 11, 2)


def problem_of(subject: str, body: str, context: dict[str, Any] | None = None) -> TemplateProblem:
    with pytest.raises(TemplateProblem) as caught:
        render(subject, body, sample_context(TODAY) if context is None else context)
    return caught.value


# --- rendering ---------------------------------------------------------------


def test_render_fills_subject_and_body_from_the_context():
    rendered = render(
        "Letter for {{ applicant.full_name }}",
        "Dear {{ mentor.salutation }},\n\nDue {{ request.due_on }}.\n",
        sample_context(TODAY),
    )
    assert rendered.subject == "Letter for Jordan Rivera"
    assert rendered.body == "Dear Dr. Patel,\n\nDue December 10, 2026.\n"


def test_lines_holding_only_tags_disappear_and_other_lines_keep_their_break():
    body = (
        "Programs:\n"
        "{% for program in programs %}\n"
        "- {{ program.name }}{% if program.deadline %} ({{ program.deadline }}){% endif %}\n"
        "{% endfor %}\n"
        "Bye\n"
    )
    rendered = render("s", body, sample_context(TODAY))
    assert rendered.body == (
        "Programs:\n"
        "- Lakeshore University Internal Medicine (January 1, 2027)\n"
        "- Riverside Community Internal Medicine (January 16, 2027)\n"
        "Bye\n"
    )


def test_a_misspelt_field_is_reported_at_its_line_with_the_fields_there_are():
    problem = problem_of("Hello", "Dear Dr. X,\n\nThanks.\nHi {{ mentor.frist_name }}\n")
    assert (problem.field, problem.line) == ("body", 4)
    assert problem.message.startswith("Line 4: 'mentor.frist_name' is not a field.")
    assert "Did you mean 'mentor.first_name'?" in problem.message
    assert "Available: " in problem.message and "mentor.salutation" in problem.message


def test_an_unknown_name_lists_the_top_level_fields():
    problem = problem_of("Hello", "one\ntwo {{ mentr.first_name }}")
    assert problem.line == 2
    assert "'mentr' is not a field" in problem.message
    assert "Did you mean 'mentor'?" in problem.message
    assert "applicant" in problem.message and "highlights" in problem.message


def test_an_unknown_field_of_a_list_item_names_the_list():
    problem = problem_of("s", "a\nb\n{% for p in programs %}\n{{ p.nmae }}\n{% endfor %}\n")
    assert problem.line == 4
    assert "'nmae' is not a field of each item in programs" in problem.message
    assert "Available: deadline, location, name, specialty." in problem.message


def test_a_field_of_an_empty_value_asks_for_an_if():
    context = dict(sample_context(TODAY), rotation=None)
    problem = problem_of("s", "Dear,\n{{ rotation.title }}", context)
    assert problem.line == 2
    assert "{% if" in problem.message
    render("s", "Dear,\n{% if rotation %}{{ rotation.title }}{% endif %}", context)


def test_a_syntax_error_is_reported_at_its_line():
    problem = problem_of("s", "Dear,\n\n{{ mentor.salutation }\nbye")
    assert problem.field == "body" and problem.line == 3
    assert problem.message.startswith("Line 3: ")


def test_an_unclosed_block_is_reported():
    problem = problem_of("s", "{% if letter_id %}\nID {{ letter_id }}\n")
    assert problem.field == "body" and "endif" in problem.message


def test_problems_in_the_subject_name_the_subject():
    problem = problem_of("About {{ mentor.nmae }}", "fine")
    assert problem.field == "subject" and problem.line == 1
    assert problem.message.startswith("Subject: 'mentor.nmae' is not a field")
    assert problem_of("About {{ mentor.salutation", "fine").field == "subject"


@pytest.mark.parametrize(
    "expression",
    [
        "{{ ''.__class__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ mentor.__class__ }}",
        "{{ programs.__class__.__init__.__globals__ }}",
        "{{ lipsum.__globals__ }}",
    ],
)
def test_the_sandbox_refuses_python_internals(expression):
    problem = problem_of("s", f"Hi\n{expression}\n")
    assert problem.field == "body" and problem.line == 2


def test_the_sandbox_message_says_it_is_not_allowed():
    problem = problem_of("s", "{{ ''.__class__ }}")
    assert problem.message.startswith("Line 1: not allowed in a template (")
    assert "unsafe" in problem.message


@pytest.mark.parametrize(
    "subject, context_change",
    [
        ("Hello\nBcc: everyone@example.com", {}),
        ("Letter from {{ applicant.full_name }}", {"full_name": "Jo\r\nBcc: x@example.com"}),
        ("Letter from {{ applicant.full_name }}", {"full_name": "Jo\u2028Rivera"}),
    ],
)
def test_a_subject_with_a_line_break_is_refused(subject, context_change):
    context = sample_context(TODAY)
    context["applicant"] = dict(context["applicant"], **context_change)
    problem = problem_of(subject, "body", context)
    assert problem.field == "subject"
    assert "one line" in problem.message


def test_surrounding_whitespace_of_the_subject_is_trimmed():
    assert render("  Hi {{ mentor.salutation }}\n", "b", sample_context(TODAY)).subject == (
        "Hi Dr. Patel"
    )


def test_find_problem_returns_none_for_a_good_template():
    assert t.find_problem("s", "{{ today }}", sample_context(TODAY)) is None
    assert t.find_problem("s", "{{ todya }}", sample_context(TODAY)) is not None


# --- the documented fields ----------------------------------------------------


def _lookup(context: dict[str, Any], path: str) -> Any:
    value: Any = context
    for part in path.split("."):
        value = value[part]
    return value


def _leaf_paths(context: dict[str, Any]) -> set[str]:
    paths = set()
    for key, value in context.items():
        if isinstance(value, dict) and key not in ("rotation",):
            paths |= {f"{key}.{sub}" for sub in value}
        else:
            paths.add(key)
    return paths


def test_every_documented_field_exists_and_every_field_is_documented():
    context = sample_context(TODAY)
    documented = {field.path for field in FIELDS}
    for path in documented:
        _lookup(context, path)  # raises KeyError for an undocumented promise
    assert _leaf_paths(context) == documented
    for field in FIELDS:
        assert field.description
        render("s", field.insertion, context)  # every insertion renders as it is


# --- built-in templates -----------------------------------------------------------


def test_every_purpose_has_a_builtin_template_that_renders_with_sample_data():
    defaults = t.builtin_templates()
    assert set(defaults) == set(TemplatePurpose)
    for purpose, default in defaults.items():
        assert default.name and default.subject and default.body.endswith("\n")
        rendered = render(default.subject, default.body, sample_context(TODAY))
        assert rendered.body.startswith("Dear Dr. Patel,\n"), purpose
        assert "{{" not in rendered.body and "{%" not in rendered.body
        assert "\n\n\n" not in rendered.body, purpose
        assert rendered.body.rstrip().endswith("MS4, Lakeshore University School of Medicine")


@pytest.fixture
def demo(db):
    fill_demo_data(TODAY)
    return db


def _demo_requests() -> list[LetterRequest]:
    return list(LetterRequest.select().order_by(LetterRequest.id))


def test_every_builtin_template_renders_for_every_demo_request(demo):
    defaults = t.builtin_templates()
    requests = _demo_requests()
    assert len(requests) >= 8
    for request in requests:
        context = context_for_request(request.id, TODAY)
        for purpose, default in defaults.items():
            rendered = render(default.subject, default.body, context)
            assert rendered.subject and "\n" not in rendered.subject
            assert rendered.body.startswith(f"{context['greeting']},\n")
            assert "None" not in rendered.body, (purpose, request.id)
            assert "\n\n\n" not in rendered.body, (purpose, request.id)


def test_builtin_texts_mention_the_letter_id_due_date_and_rotation(demo):
    chair = LetterRequest.get(LetterRequest.letter_id == "ERAS-40117")
    context = context_for_request(chair.id, TODAY)
    assert context["rotation"]["title"] == "Internal medicine sub-internship"
    due = context["request"]["due_on"]
    assert due == readable_date(TODAY + timedelta(days=45)) == "December 17, 2026"
    texts = {
        purpose: render(d.subject, d.body, context) for purpose, d in t.builtin_templates().items()
    }
    for purpose in (TemplatePurpose.REQUEST, TemplatePurpose.MATERIALS, TemplatePurpose.NUDGE):
        assert "ERAS-40117" in texts[purpose].body, purpose
    assert "ERAS-40117" in texts[TemplatePurpose.MATERIALS].subject
    for purpose in (TemplatePurpose.REQUEST, TemplatePurpose.MATERIALS, TemplatePurpose.REMINDER):
        assert due in texts[purpose].body, purpose
    assert due in texts[TemplatePurpose.REMINDER].subject
    for purpose in (TemplatePurpose.REQUEST, TemplatePurpose.MATERIALS):
        assert "Internal medicine sub-internship" in texts[purpose].body
    request = texts[TemplatePurpose.REQUEST].body
    assert "waived my right to see the letter" in request
    # ERAS 2027: the AAMC Letter Writer Portal, reached by a guest link.
    assert "AAMC Letter Writer Portal" in request and "LoRP" not in request
    assert "secure link" in request and "ERAS Letter ID for this letter is ERAS-40117" in request
    assert "standardized letter" not in request  # a chair letter is narrative
    assert "meet in person" in request
    materials = texts[TemplatePurpose.MATERIALS].body
    assert "attached my CV and personal statement" in materials
    assert "- Riverside Community Internal Medicine (application deadline" in materials
    assert "cardiac sarcoidosis" in materials  # a highlight marked for the letter
    assert "Chair's rounds" not in materials  # a log entry not marked


def test_the_ask_for_an_em_sloe_names_residencycas_and_the_sloe(demo):
    sloe = LetterRequest.get(LetterRequest.letter_type == "em_sloe")
    context = context_for_request(sloe.id, TODAY)
    request = render(
        t.builtin_templates()[TemplatePurpose.REQUEST].subject,
        t.builtin_templates()[TemplatePurpose.REQUEST].body,
        context,
    ).body
    assert "It would be a standardized letter: the EM SLOE." in request
    assert "Liaison Letters" in request and "esloe.cordem.org" in request
    assert "AAMC" not in request


def test_the_outcome_update_names_the_matched_program(demo):
    away = Cycle.get(Cycle.name == "Away rotations (VSLO)")
    request = LetterRequest.get(LetterRequest.cycle == away)
    context = context_for_request(request.id, TODAY)
    update = t.builtin_templates()[TemplatePurpose.UPDATE]
    rendered = render(update.subject, update.body, context)
    assert rendered.subject == "Good news: I was accepted at Bayview Cardiology Away Rotation"


def test_builtins_render_for_a_bare_request_with_nothing_optional(db):
    cycle = Cycle.create(service="other", name="Scholarship", max_letters_per_program=2)
    mentor = save_mentor(MentorFields(last_name="Lee", category="other"))
    request_id = create_request(RequestFields(mentor_id=mentor, cycle_id=cycle.id))
    context = context_for_request(request_id, TODAY)
    assert context["rotation"] is None and context["programs"] == []
    assert context["applicant"]["full_name"] == ""  # no profile yet
    assert context["request"]["waiver_text"] == "" and context["letter_id"] == ""
    assert context["deadlines"]["days_left"] is None
    for purpose, default in t.builtin_templates().items():
        rendered = render(default.subject, default.body, context)
        assert rendered.body.startswith("Dear Lee,\n"), purpose
        assert "None" not in rendered.body


def test_ensure_builtin_templates_adds_missing_ones_and_keeps_edits(db):
    assert t.ensure_builtin_templates() == len(TemplatePurpose)
    assert t.ensure_builtin_templates() == 0
    row = EmailTemplate.get(EmailTemplate.purpose == "reminder")
    stored.save_template(row.id, "Mine", "My body\n")
    EmailTemplate.delete().where(EmailTemplate.purpose == "nudge").execute()
    assert t.ensure_builtin_templates() == 1
    assert EmailTemplate.get_by_id(row.id).subject == "Mine"
    defaults = t.builtin_templates()
    assert t.is_edited(EmailTemplate.get_by_id(row.id), defaults)
    assert [r.purpose for r in stored.list_templates()] == [p.value for p in TemplatePurpose]
    listed = stored.get_template(row.id)
    assert listed is not None and t.is_edited(listed, defaults)


def test_reset_to_default_restores_the_shipped_text(db):
    t.ensure_builtin_templates()
    row = EmailTemplate.get(EmailTemplate.purpose == "thank_you")
    stored.save_template(row.id, "Thanks!", "Short.\n")
    assert t.reset_to_default("thank_you") == row.id
    again = EmailTemplate.get_by_id(row.id)
    default = t.builtin_templates()[TemplatePurpose.THANK_YOU]
    assert (again.subject, again.body) == (default.subject, default.body)
    assert not t.is_edited(again, t.builtin_templates())
    EmailTemplate.delete().execute()
    new_id = t.reset_to_default(TemplatePurpose.UPDATE)  # recreated when deleted
    assert EmailTemplate.get_by_id(new_id).is_builtin


# --- the context -------------------------------------------------------------------


def test_dates_are_written_for_people():
    assert readable_date(date(2026, 12, 11)) == "December 11, 2026"
    assert readable_date(None) == ""
    assert due_in(TODAY, TODAY) == "today"
    assert due_in(TODAY + timedelta(days=1), TODAY) == "tomorrow"
    assert due_in(TODAY + timedelta(days=6), TODAY) == "in 6 days"
    assert due_in(TODAY + timedelta(days=40), TODAY) == "in about 6 weeks"
    assert due_in(TODAY - timedelta(days=3), TODAY) == "3 days ago"


def test_context_reads_the_request_mentor_programs_rotation_and_highlights(db):
    cycle = Cycle.create(
        service="amcas", name="AMCAS 2027", max_letters_per_program=10, cap_scope="per_application"
    )
    mentor = save_mentor(
        MentorFields(honorific="Prof.", first_name="Ada", last_name="Byrne", category="other")
    )
    d = TODAY.__add__
    for days, kind, summary, mention in (
        (-20, "feedback", "Marked one", True),
        (-10, "meeting", "Not marked", False),
        (-5, "presentation", "Marked two", True),
    ):
        save_interaction(mentor, InteractionFields(d(timedelta(days)), kind, summary, mention))
    for kind, title, start, end in (
        ("research", "Ongoing lab work", -300, None),
        ("rotation", "Old rotation", -200, -170),
        ("rotation", "Recent rotation", -40, -10),
        ("sub_internship", "Future sub-I", 10, 40),
    ):
        save_experience(
            ExperienceFields(
                kind, title, "Mercy", start_date=d(timedelta(start)),
                end_date=d(timedelta(end)) if end is not None else None, mentor_ids=[mentor],
            )
        )  # fmt: skip
    request_id = create_request(
        RequestFields(
            mentor_id=mentor, cycle_id=cycle.id, waiver=False, letter_id="1234567",
            due_on=d(timedelta(20)),
        )
    )  # fmt: skip
    late = create_program(ProgramFields(cycle.id, "Zeta School", deadline=d(timedelta(90))))
    early = create_program(ProgramFields(cycle.id, "Alpha School", deadline=d(timedelta(30))))
    for program in (late, early):
        assign(request_id, program)
    update_program(
        late,
        ProgramFields(
            cycle.id, "Zeta School", deadline=d(timedelta(90)), status=ProgramStatus.MATCHED.value
        ),
    )

    context = context_for_request(request_id, TODAY)
    assert context["mentor"]["salutation"] == "Prof. Byrne"
    assert context["rotation"]["title"] == "Recent rotation"  # clinical, begun, most recent
    assert context["rotation"]["period"] == "September 23 – October 23, 2026"
    assert [h["summary"] for h in context["highlights"]] == ["Marked one", "Marked two"]
    assert [p["name"] for p in context["programs"]] == ["Alpha School", "Zeta School"]
    assert context["deadlines"]["earliest"] == "December 2, 2026"
    assert context["deadlines"]["due_in"] == "in about 3 weeks"
    assert context["request"]["waiver_text"].startswith("I have not waived")
    assert context["letter_id"] == "1234567"
    assert context["cycle"]["portal"] == "the AAMC Letter Writer Portal"
    assert context["cycle"]["cap_text"] == "at most 10 letters per application"
    assert context["outcome"] == {"program": "Zeta School", "verb": "was admitted to"}
    assert Program.select().count() == 2


# --- the greeting ----------------------------------------------------------------


def _ask_for(mentor: MentorFields) -> str:
    cycle = Cycle.create(service="eras_residency", name="ERAS 2027", max_letters_per_program=4)
    request_id = create_request(RequestFields(mentor_id=save_mentor(mentor), cycle_id=cycle.id))
    ask = t.builtin_templates()[TemplatePurpose.REQUEST]
    return render(ask.subject, ask.body, context_for_request(request_id, TODAY)).body


def test_the_ask_greets_an_md_without_an_honorific_as_doctor(db):
    body = _ask_for(
        MentorFields(first_name="Maria", last_name="Lopez", credentials="MD", category="other")
    )
    assert body.startswith("Dear Dr. Lopez,\n")


def test_the_mentors_own_greeting_opens_every_builtin_template(db):
    cycle = Cycle.create(service="eras_residency", name="ERAS 2027", max_letters_per_program=4)
    mentor = save_mentor(
        MentorFields(
            first_name="Maria", last_name="Lopez", credentials="MD", category="other",
            greeting="Dear Maria",
        )
    )  # fmt: skip
    context = context_for_request(
        create_request(RequestFields(mentor_id=mentor, cycle_id=cycle.id)), TODAY
    )
    assert context["greeting"] == context["mentor"]["greeting"] == "Dear Maria"
    assert context["mentor"]["salutation"] == "Dr. Lopez"
    for purpose, default in t.builtin_templates().items():
        assert render(default.subject, default.body, context).body.startswith("Dear Maria,\n"), (
            purpose
        )
