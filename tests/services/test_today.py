"""Today in one call, without Qt: ``compute_today`` on a real data folder
gives every rule's advice, leaves hidden items aside and lays out the
timeline, in a process that never imports PySide6."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import date, timedelta
from pathlib import Path

from desktop.domain.actions import ActionKind
from desktop.paths import DataPaths
from desktop.services.demo import create_demo_folder
from desktop.services.today import compute_today, tidy_ended_snoozes
from desktop.store import settings as settings_store

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2031, 9, 30)

_COMPUTE = textwrap.dedent(
    """
    import json, sys
    from datetime import date
    from pathlib import Path
    from desktop.services.today import compute_today
    from desktop.store.database import open_database

    db = open_database(Path(sys.argv[1]) / "letterdesk.sqlite3")
    result = compute_today(date.fromisoformat(sys.argv[2]))
    db.close()
    print(json.dumps({
        "kinds": sorted({a.kind.value for a in result.visible}),
        "keys": [a.key for a in result.visible],
        "hidden": [a.key for a, _state in result.hidden],
        "has_data": result.has_data,
        "timeline_rows": len(result.timeline.rows),
        "qt": sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6")),
    }))
    """
)


def _demo_folder(tmp_path: Path) -> DataPaths:
    paths = DataPaths(tmp_path / "data")
    create_demo_folder(paths, TODAY).close()
    return paths


def test_today_from_a_real_data_folder_without_qt(tmp_path):
    paths = _demo_folder(tmp_path)
    run = subprocess.run(
        [sys.executable, "-c", _COMPUTE, str(paths.root), TODAY.isoformat()],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert found["qt"] == []
    assert found["kinds"] == sorted(kind.value for kind in ActionKind)
    assert found["has_data"] is True and found["hidden"] == []
    assert found["timeline_rows"] == 13  # every request of the demo's three cycles
    assert len(found["keys"]) == len(set(found["keys"]))


def test_hidden_items_are_set_aside_until_their_snooze_ends(db):
    from desktop.services.demo import fill_demo_data

    fill_demo_data(TODAY)
    first = compute_today(TODAY)
    snoozed, dismissed = first.visible[0], first.visible[1]
    settings_store.snooze(snoozed.key, TODAY + timedelta(days=3))
    settings_store.dismiss(dismissed.key)

    now = compute_today(TODAY)
    assert [a.key for a, _state in now.hidden] == sorted(
        [snoozed.key, dismissed.key], key=[a.key for a in first.visible].index
    )
    assert snoozed.key not in {a.key for a in now.visible}
    assert len(now.visible) == len(first.visible) - 2

    later = TODAY + timedelta(days=4)
    tidy_ended_snoozes(later)
    after = compute_today(later)
    assert [a.key for a, _state in after.hidden] == [dismissed.key]
    assert snoozed.key in {a.key for a in after.visible}
    assert set(settings_store.action_states()) == {dismissed.key}  # the ended snooze is gone


def test_an_empty_file_has_no_data_and_an_empty_timeline(db):
    result = compute_today(TODAY)
    assert result.visible == [] and result.hidden == [] and not result.has_data
    assert result.timeline.is_empty and result.today == TODAY
