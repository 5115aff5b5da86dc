"""Regenerate resources/icons/letterdesk.ico and letterdesk.icns from the
PNG sizes next to them (which come from letterdesk.svg).

    .venv/bin/python packaging/make_icons.py

Needs Pillow (``pip install pillow``), not a runtime dependency. The .ico
(Windows: exe, installer, shortcuts) holds 16-256 px from the drawn PNGs;
the .icns (macOS .app) holds 16-1024 px, the 512 and 1024 px ones rendered
from the SVG with QtSvg (offscreen) since no PNG that large is kept. Both
files are committed, so a build never needs Pillow.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
PNG_SIZES = (16, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def load_sizes() -> dict[int, Image.Image]:
    images = {}
    for size in PNG_SIZES:
        image = Image.open(ICONS / f"letterdesk-{size}.png").convert("RGBA")
        if image.size != (size, size):
            raise SystemExit(f"letterdesk-{size}.png is {image.size}, expected {size}x{size}")
        images[size] = image
    return images


def render_svg(size: int) -> Image.Image:
    """letterdesk.svg rendered at size x size by QtSvg."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(ICONS / "letterdesk.svg"))
    if not renderer.isValid():
        raise SystemExit("letterdesk.svg could not be read")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    from io import BytesIO

    return Image.open(BytesIO(bytes(buffer.data()))).convert("RGBA")


def image_at(images: dict[int, Image.Image], size: int) -> Image.Image:
    """The drawn PNG of that size, the next larger one scaled down, or the
    SVG rendered when no PNG is large enough."""
    if size in images:
        return images[size]
    larger = [s for s in images if s > size]
    if not larger:
        return render_svg(size)
    return images[min(larger)].resize((size, size), Image.Resampling.LANCZOS)


def main() -> int:
    images = load_sizes()
    largest = images[max(images)]
    ico = ICONS / "letterdesk.ico"
    # Pillow writes one entry per size from the first image, scaling down;
    # appending the drawn sizes keeps the small ones crisp.
    largest.save(
        ico,
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[image_at(images, s) for s in ICO_SIZES],
    )
    icns = ICONS / "letterdesk.icns"
    base = image_at(images, 1024)
    base.save(
        icns,
        format="ICNS",
        append_images=[image_at(images, s) for s in ICNS_SIZES if s != 1024],
    )
    for path in (ico, icns):
        with Image.open(path) as check:
            print(
                f"{path.relative_to(ICONS.parents[1])}: {path.stat().st_size} bytes, "
                f"sizes {sorted(check.info.get('sizes', {check.size}))}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
