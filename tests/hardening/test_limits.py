"""Point 5 (issue point 5): limits against bombs. A real crafted archive
whose document unpacks far beyond what it stores; templates that would run
for hours, take gigabytes, recurse without end or empty a dict, rendered
through the real sandbox and the real Templates page."""

from __future__ import annotations

import time
import zipfile

import pytest

from desktop.paths import DataPaths
from desktop.services.data import archive
from desktop.services.mail import templates
from desktop.services.mail.templates import TemplateProblem
from tests.hardening.crafted import crafted_archive, rewrite_archive

MB = 1024 * 1024


def _with_document(db):
    from pathlib import Path

    (Path(db.database).parent / "documents" / "cv.pdf").write_bytes(b"%PDF-1.7 cv")


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (60 * MB, "would unpack to 60 MB, more than allowed"),  # over a document's limit
        (40 * MB, "is compressed far more than real data can be"),  # within it, a bomb ratio
    ],
)
def test_an_archive_that_unpacks_far_beyond_its_size_is_refused(tmp_path, size, expected):
    real = crafted_archive(tmp_path / "other", tmp_path / "real.zip", _with_document)
    bomb = rewrite_archive(
        real,
        tmp_path / "bomb.zip",
        lambda name, data: (
            (b"\0" * size, zipfile.ZIP_DEFLATED) if name.endswith("cv.pdf") else None
        ),
    )
    assert bomb.stat().st_size < 1 * MB
    here = DataPaths(tmp_path / "here")
    with pytest.raises(archive.ArchiveError) as caught:
        archive.import_archive(here, bomb)
    assert expected in caught.value.user_message
    assert not here.database.exists()
    assert list(here.documents.iterdir()) == []


CONTEXT = {"mentor": {"first_name": "Ada", "last_name": "Okafor"}}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("{{ 'x' * 10**9 }}", "more than 200,000 characters"),
        ("{{ 'x' * 1000000 }}", "more than 200,000 characters"),
        ("{{ 'x'.ljust(10**9) }}", "too large for a template"),
        ("{{ 'x'|center(10**9) }}", "too large for a template"),
        ("{{ 10**10**10 }}", "A power in it is too large"),
        (
            "{% for a in range(10000) %}{% for b in range(10000) %}{% endfor %}{% endfor %}",
            "takes longer than 2 seconds",
        ),
        ("{% for a in range(50000) %}x{% endfor %}", "at most 10,000 steps"),
        ("{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(1) }}", "calls itself again and again"),
        ("{{ mentor.clear() }}", "not allowed in a template"),
        ("{% set ns = namespace(s='x') %}", "namespace"),
        (
            "{% macro d(s, n) %}{{ d(s ~ s, n - 1) if n else s|length }}{% endmacro %}"
            "{{ d('x', 40) }}",
            "more than 200,000 characters",
        ),
        (  # ~ joins outside any call or operator the sandbox sees
            "{% set a = 'x' * 100000 %}" + "{% set a = a ~ a %}" * 30 + "{{ a|length }}",
            "more than 200,000 characters",
        ),
    ],
)
def test_a_template_past_a_limit_is_a_plain_problem(body, expected):
    started = time.monotonic()
    with pytest.raises(TemplateProblem) as caught:
        templates.render("Subject", body, {k: dict(v) for k, v in CONTEXT.items()})
    assert expected in caught.value.message
    assert time.monotonic() - started < 4


def test_a_normal_template_still_renders():
    rendered = templates.render(
        "Letter for {{ mentor.last_name }}",
        "Dear Dr. {{ mentor.last_name }},\n{% for i in range(3) %}{{ i }}{% endfor %}\n",
        CONTEXT,
    )
    assert rendered.subject == "Letter for Okafor"
    assert rendered.body == "Dear Dr. Okafor,\n012\n"


def test_the_templates_page_previews_a_runaway_template_without_freezing(
    qtbot, db, page_context, tmp_path
):
    """The preview renders on a worker: while a template that would loop
    for hours runs into its time limit, the GUI thread keeps serving its
    timers (a 50 ms ticker counts), and the page then shows the problem."""
    import os
    from pathlib import Path

    from PySide6.QtCore import QTimer

    from desktop.ui.mail.templates_page import TemplatesPage
    from tests.ui.mail.test_templates_page import click_template

    page = TemplatesPage(page_context)
    qtbot.addWidget(page)
    page.resize(1100, 760)
    page.show()
    qtbot.waitExposed(page)
    click_template(qtbot, page, page.template_list.topLevelItem(0).text(0).split("\n")[0])
    ticks = []
    ticker = QTimer()
    ticker.setInterval(50)
    ticker.timeout.connect(lambda: ticks.append(time.monotonic()))
    ticker.start()
    page.body.setPlainText(
        "{% for a in range(10000) %}{% for b in range(10000) %}{% endfor %}{% endfor %}"
    )
    started = time.monotonic()
    page.update_preview()
    elapsed = time.monotonic() - started
    ticker.stop()
    assert 1.5 < elapsed < 4
    assert len(ticks) >= 15, f"the GUI thread served {len(ticks)} ticks in {elapsed:.1f}s"
    assert page.problem() is not None
    assert "takes longer than 2 seconds" in page.problem_label.text()
    shot = Path(os.environ.get("LETTERDESK_SHOTS", tmp_path)) / "templates-runaway-loop.png"
    page.grab().save(str(shot))
