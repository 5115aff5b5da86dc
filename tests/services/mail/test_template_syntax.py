"""Templates in plain words: field names for people, tags read as
sentences, and segments that give the template back unchanged."""

from __future__ import annotations

from desktop.services.mail import template_syntax as ts
from desktop.services.mail.template_fields import FIELDS
from desktop.services.mail.templates import builtin_templates


def test_every_chip_and_label_names_a_real_field():
    assert list(ts.unknown_chips()) == []
    paths = {field.path for field in FIELDS}
    # A label names a field, or a part of one ("rotation.title" of "rotation").
    assert all(path in paths or path.split(".")[0] in paths for path in ts.FIELD_LABELS)
    assert set(paths) <= set(ts.FIELD_LABELS)  # every field has a name for people


def test_segments_read_fields_and_tags_in_words():
    source = (
        "{{ greeting }},\n{% if rotation %}During the {{ rotation.title }}"
        "{% else %}Hello{% endif %}\n{% for item in highlights[:3] %}- {{ item.summary }}\n"
        "{% endfor %}{{ request.specialty if request.specialty != 'General' else 'medicine' }}"
    )
    parts = ts.segments(source)
    assert ts.join(parts) == source
    readable = [(p.kind, p.label) for p in parts if p.kind != "text"]
    assert readable == [
        ("field", "Mentor's greeting"),
        ("tag", "If there is: Your rotation together"),
        ("field", "Rotation name"),
        ("tag", "Otherwise"),
        ("tag", "End of “if”"),
        ("tag", "For each of: Highlights from your log"),
        ("field", "Highlights from your log: summary"),
        ("tag", "End of the list"),
        ("field", "Letter's specialty (worked out)"),
    ]


def test_every_builtin_template_survives_the_round_trip():
    for default in builtin_templates().values():
        for text in (default.subject, default.body):
            assert ts.join(ts.segments(text)) == text


def test_syntax_spans_cover_fields_tags_comments_and_a_tag_being_typed():
    line = "Dear {{ greeting }} {% if x %}hi{# note #} {{ unfinished"
    spans = [line[s:e] for s, e in ts.syntax_spans(line)]
    assert spans == ["{{ greeting }}", "{% if x %}", "{# note #}", "{{ unfinished"]
