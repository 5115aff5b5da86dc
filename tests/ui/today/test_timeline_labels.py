"""Timeline rows of one writer's several letters are told apart (issue 12):
two rows reading "Dr. 王" twice get the letter type, and the specialty when
the type is the same too. Driven on the Today page over a real database."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QPoint, Qt

from desktop.domain.timing import format_day
from desktop.domain.vocabulary import Service
from desktop.paths import DataPaths
from desktop.store.models import Cycle
from desktop.store.requests import RequestFields, create_request
from desktop.ui.common import PageContext, Target
from desktop.ui.today.today_page import TodayPage


def test_one_writers_letters_read_differently_on_the_timeline(qtbot, db, make_mentor, today):
    cycle = Cycle.create(
        service=Service.ERAS_RESIDENCY.value, name="ERAS test", max_letters_per_program=4,
        opens_on=today - timedelta(days=30), outcome_on=today + timedelta(days=200),
    ).id  # fmt: skip
    away = Cycle.create(
        service=Service.OTHER.value, name="VSLO 2031", max_letters_per_program=4,
        opens_on=today - timedelta(days=30), outcome_on=today + timedelta(days=200),
    ).id  # fmt: skip
    wang = make_mentor("王", honorific="Dr.", days_ago=2)
    lee = make_mentor("Lee", honorific="Dr.", days_ago=2)
    kim = make_mentor("Kim", honorific="Dr.", days_ago=2)
    park = make_mentor("Park", honorific="Dr.", days_ago=2)

    def request(mentor: int, kind: str, specialty: str, due: int, in_cycle: int = cycle) -> int:
        fields = RequestFields(mentor, in_cycle, kind, specialty, True)
        fields.due_on = today + timedelta(days=due)
        return create_request(fields)

    sloe_surgery = request(wang, "standardized", "General Surgery", 30)
    sloe_derm = request(wang, "standardized", "Dermatology", 40)
    narrative = request(wang, "narrative", "Emergency Medicine", 50)
    only = request(lee, "narrative", "Emergency Medicine", 60)
    # Same letter, two cycles: the cycle tells them apart.
    kim_eras = request(kim, "narrative", "Emergency Medicine", 70)
    kim_away = request(kim, "narrative", "Emergency Medicine", 20, in_cycle=away)
    # Same letter, same cycle: only the due date is left.
    park_first = request(park, "narrative", "Surgery", 80)
    park_second = request(park, "narrative", "Surgery", 90)
    page = TodayPage(PageContext(DataPaths(Path(db.database).parent)))
    qtbot.addWidget(page)
    page.resize(1100, 800)
    page.show()
    qtbot.waitUntil(lambda: not page.is_refreshing(), timeout=5000)

    labels = {row.request_id: row.label for row in page.timeline.rows()}
    assert labels == {
        sloe_surgery: "Dr. 王 · SLOR/eSLOR, General Surgery",
        sloe_derm: "Dr. 王 · SLOR/eSLOR, Dermatology",
        narrative: "Dr. 王 · narrative",
        only: "Dr. Lee",  # one letter: the name alone says it
        kim_eras: "Dr. Kim · ERAS test",
        kim_away: "Dr. Kim · VSLO 2031",
        park_first: f"Dr. Park · due {format_day(today + timedelta(days=80))}",
        park_second: f"Dr. Park · due {format_day(today + timedelta(days=90))}",
    }
    # The row a person points at says which letter it is, and opens it.
    timeline = page.timeline
    second_row = [row.request_id for row in timeline.rows()].index(sloe_derm)
    y = timeline.HEADER_HEIGHT + timeline.ROW_HEIGHT // 2 + second_row * timeline.ROW_HEIGHT
    assert "Dermatology" in timeline.tooltip_at(QPoint(60, y))
    opened = []
    page.navigate.connect(opened.append)
    qtbot.mouseDClick(timeline.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(60, y))
    assert opened == [Target("requests", item_id=sloe_derm)]
