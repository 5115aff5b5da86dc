"""A virtual screen of a chosen size for Qt's offscreen platform, which
otherwise gives every test an 800×800 screen. Its ``configfile`` option
takes the screens as JSON (Qt's qoffscreencommon.cpp reads the same keys)."""

from __future__ import annotations

import json
from pathlib import Path


def offscreen_platform(folder: Path, width: int, height: int) -> str:
    """The QT_QPA_PLATFORM value for one offscreen screen of width×height
    logical pixels (with QT_SCALE_FACTOR the physical screen is bigger)."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / f"screen-{width}x{height}.json"
    screen = {
        "name": f"Screen{width}x{height}",
        "x": 0,
        "y": 0,
        "width": width,
        "height": height,
        "logicalDpi": 96,
        "logicalBaseDpi": 96,
        "dpr": 1,
    }
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    return f"offscreen:configfile={config}"
