"""``make test-dist``: the Linux artefacts as a user meets them.

Builds them with packaging/build_linux.sh (unless dist/ is newer than every
source, resource and packaging file; ``LETTERDESK_DIST_REBUILD=1`` forces a
build), then:

- runs the frozen binary's ``--self-test`` on a fresh data folder, once
  without a keyring and once against a real Secret Service on a private
  D-Bus bus (keyring's backends are found through entry points, the part a
  bundle most easily loses);
- checks the .tar.gz and the .deb's metadata, and validates the shipped
  desktop file and AppStream metainfo;
- installs the .deb with dpkg (root only), checks the launcher on the PATH,
  the desktop file, the hicolor icons and the metainfo, starts the installed
  app under Xvfb on the xcb platform, takes a screenshot of the screen
  (kept as dist/test-dist-screenshot.png to look at), and removes the
  package, checking every file it installed is gone and the user's data
  folder is kept.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DIST = REPO / "dist"
APP_ID = "org.letterdesk.LetterDesk"
VERSION = re.search(
    r'^__version__ = "([^"]+)"$',
    (REPO / "desktop" / "__init__.py").read_text(encoding="utf-8"),
    re.MULTILINE,
)[1]  # type: ignore[index]
BUNDLE = DIST / "letterdesk"
DEB = DIST / f"letterdesk_{VERSION}_amd64.deb"
TARBALL = DIST / f"letterdesk-{VERSION}-linux-x86_64.tar.gz"
SCREENSHOT = DIST / "test-dist-screenshot.png"
# Sources whose change makes dist/ stale.
SOURCES = ("desktop", "resources", "packaging")
ICON_SIZES = (16, 32, 48, 64, 128, 256)
INSTALLED_FILES = [
    Path("/opt/letterdesk/letterdesk"),
    Path("/usr/bin/letterdesk"),
    Path(f"/usr/share/applications/{APP_ID}.desktop"),
    Path(f"/usr/share/metainfo/{APP_ID}.metainfo.xml"),
    Path(f"/usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg"),
    *(Path(f"/usr/share/icons/hicolor/{s}x{s}/apps/{APP_ID}.png") for s in ICON_SIZES),
]

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def newest_source_mtime() -> float:
    newest = 0.0
    for top in SOURCES:
        for path in (REPO / top).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                newest = max(newest, path.stat().st_mtime)
    return newest


@pytest.fixture(scope="module")
def artefacts() -> Path:
    fresh = (
        all(p.exists() for p in (BUNDLE / "letterdesk", DEB, TARBALL))
        and min(p.stat().st_mtime for p in (DEB, TARBALL)) > newest_source_mtime()
    )
    if os.environ.get("LETTERDESK_DIST_REBUILD") == "1" or not fresh:
        started = time.monotonic()
        subprocess.run(["sh", str(REPO / "packaging" / "build_linux.sh")], check=True)
        print(f"build_linux.sh took {time.monotonic() - started:.0f} s")
    return DIST


def app_env(**extra: str) -> dict[str, str]:
    """The environment of a user's session: no test redirections beyond a
    throwaway HOME/XDG (set by tests/conftest.py), no Python variables that
    would leak the venv into the frozen app."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.pop("LETTERDESK_DATA_DIR", None)
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    env.update(extra)
    return env


def run_self_test(binary: Path, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(binary), "--self-test", "--data-dir", str(data_dir)],
        env=app_env(QT_QPA_PLATFORM="offscreen", **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


# -- the frozen bundle ------------------------------------------------------


def test_frozen_self_test_on_a_fresh_data_folder(artefacts: Path, tmp_path: Path) -> None:
    data = tmp_path / "fresh data"
    result = run_self_test(artefacts / "letterdesk" / "letterdesk", data)
    print(result.stdout, result.stderr)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert f"LetterDesk {VERSION} self-test" in out
    assert "Python 3.11" in out and "platform offscreen" in out
    # Resources come from inside the bundle, not from the checkout.
    assert f"resources: {artefacts / 'letterdesk' / '_internal' / 'resources'}" in out
    assert "(created)" in out and (data / "letterdesk.sqlite3").is_file()
    assert "main window: shown" in out
    # The spell check's word lists are in the bundle.
    assert "spelling: 'recomendation' → 'recommendation', SLOE known: True" in out
    # Sign-in and server discovery (issue 10): oauthlib, dnspython's record
    # types (loaded by name), idna and the build's client-ID file.
    config = artefacts / "letterdesk" / "_internal" / "packaging" / "oauth-clients.json"
    assert f"mail: xn--universitt-y5a.example, SRV and MX records, PKCE, {config}" in out
    assert out.rstrip().endswith("OK")


def test_frozen_self_test_finds_a_real_secret_service(artefacts: Path, tmp_path: Path) -> None:
    from tests.keyring_service import SecretServiceDaemon, SecretServiceUnavailable

    service = SecretServiceDaemon(tmp_path / "keyring")
    try:
        service.start()
    except SecretServiceUnavailable as exc:
        service.stop()
        pytest.fail(f"No real Secret Service for this test: {exc}")
    try:
        result = run_self_test(
            artefacts / "letterdesk" / "letterdesk", tmp_path / "data", **service.environment
        )
    finally:
        service.stop()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "keyring: Secret Service" in result.stdout, result.stdout


def test_bundle_has_every_qt_module_the_app_imports(artefacts: Path) -> None:
    """The spec excludes Qt modules by name; one the app starts to use must
    come off that list (the self-test does not reach every import)."""
    used = set()
    for source in (REPO / "desktop").rglob("*.py"):
        used.update(re.findall(r"PySide6\.(Qt\w+)", source.read_text(encoding="utf-8")))
    bundled = {
        p.name.split(".")[0]
        for p in (artefacts / "letterdesk" / "_internal" / "PySide6").glob("Qt*.so")
    }
    assert used <= bundled, f"used but not bundled: {sorted(used - bundled)}"


def test_bundle_leaves_out_what_the_app_does_not_use(artefacts: Path) -> None:
    internal = artefacts / "letterdesk" / "_internal"
    names = {p.name for p in internal.rglob("*")}
    for unwanted in (
        "libgtk-3.so.0",
        "libqgtk3.so",
        "libqvnc.so",
        "libQt6Qml.so.6",
        "libQt6EglFSDeviceIntegration.so.6",
    ):
        assert unwanted not in names
    assert not (internal / "resources" / "screenshots").exists()
    assert (internal / "resources" / "templates" / "request.txt").is_file()
    assert (internal / "resources" / "icons" / "letterdesk-256.png").is_file()
    dangling = [p for p in internal.rglob("*") if p.is_symlink() and not p.exists()]
    assert not dangling


def test_tarball_holds_the_bundle(artefacts: Path) -> None:
    top = f"letterdesk-{VERSION}"
    with tarfile.open(TARBALL) as tar:
        members = {m.name: m for m in tar.getmembers()}
    assert members[f"{top}/letterdesk"].mode & 0o111
    assert f"{top}/_internal/resources/templates/request.txt" in members
    assert f"{top}/share/{APP_ID}.desktop" in members
    assert all(m.uid == 0 and m.gid == 0 for m in members.values())


def test_deb_metadata(artefacts: Path) -> None:
    fields = subprocess.run(
        ["dpkg-deb", "-f", str(DEB), "Package", "Version", "Architecture", "Depends"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Package: letterdesk" in fields
    assert f"Version: {VERSION}" in fields
    assert "Architecture: amd64" in fields
    for lib in ("libegl1", "libgl1", "libxcb1", "fontconfig-config"):
        assert lib in fields
    listing = subprocess.run(
        ["dpkg-deb", "-c", str(DEB)], capture_output=True, text=True, check=True
    ).stdout
    assert "./usr/bin/letterdesk -> /opt/letterdesk/letterdesk" in listing
    assert all(line.split()[1] == "root/root" for line in listing.splitlines())


def test_shipped_desktop_file_and_metainfo_validate() -> None:
    desktop = subprocess.run(
        ["desktop-file-validate", str(REPO / "resources" / f"{APP_ID}.desktop")],
        capture_output=True,
        text=True,
    )
    assert desktop.returncode == 0 and not desktop.stdout.strip(), desktop.stdout
    metainfo = subprocess.run(
        [
            "appstreamcli",
            "validate",
            "--no-net",
            str(REPO / "resources" / f"{APP_ID}.metainfo.xml"),
        ],
        capture_output=True,
        text=True,
    )
    assert metainfo.returncode == 0, metainfo.stdout + metainfo.stderr
    # The release listed first is this version.
    text = (REPO / "resources" / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    assert re.search(r'<release version="([^"]+)"', text)[1] == VERSION  # type: ignore[index]


# -- the installed package ----------------------------------------------------


def package_status() -> str:
    return subprocess.run(
        ["dpkg-query", "-W", "-f=${db:Status-Status}", "letterdesk"],
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture
def installed_deb(artefacts: Path) -> Iterator[Path]:
    if os.geteuid() != 0 or shutil.which("dpkg") is None:
        pytest.skip("installing the .deb needs root and dpkg")
    if package_status() == "installed":
        pytest.fail(
            "a letterdesk package is already installed; remove it first (dpkg -r letterdesk)"
        )
    subprocess.run(["dpkg", "-i", str(DEB)], check=True)
    try:
        yield DEB
    finally:
        if package_status() not in ("", "not-installed"):
            subprocess.run(["dpkg", "--purge", "letterdesk"], check=False)


class Xvfb:
    """A private X server on a free display (Xvfb picks it: -displayfd)."""

    def __init__(self, width: int = 1280, height: int = 800) -> None:
        read_end, write_end = os.pipe()
        self.process = subprocess.Popen(
            [
                "Xvfb",
                "-displayfd",
                str(write_end),
                "-screen",
                "0",
                f"{width}x{height}x24",
                "-nolisten",
                "tcp",
            ],
            pass_fds=(write_end,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write_end)
        with os.fdopen(read_end) as pipe:
            number = pipe.readline().strip()
        if not number:
            self.stop()
            raise RuntimeError("Xvfb did not start")
        self.display = f":{number}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def window_ids(display: str, title: str) -> list[str]:
    tree = subprocess.run(
        ["xwininfo", "-root", "-tree", "-display", display],
        capture_output=True,
        text=True,
    ).stdout
    return [line.split()[0] for line in tree.splitlines() if f'"{title}"' in line]


def xwd_to_png(xwd: bytes, target: Path) -> tuple[int, int, int]:
    """Write an XWD dump of a TrueColor screen (24 or 32 bits per pixel,
    least significant byte first, as Xvfb makes it) as PNG; returns
    (width, height, number of distinct colours in a 1-in-16 sample)."""
    from PySide6.QtGui import QImage

    header = struct.unpack(">25I", xwd[:100])
    header_size, _version, pixmap_format, _depth, width, height = header[:6]
    byte_order, bits_per_pixel, bytes_per_line = header[7], header[11], header[12]
    ncolors = header[19]
    formats = {24: QImage.Format.Format_BGR888, 32: QImage.Format.Format_RGB32}
    assert pixmap_format == 2 and byte_order == 0 and bits_per_pixel in formats, header
    pixels = xwd[header_size + 12 * ncolors :][: bytes_per_line * height]
    image = QImage(pixels, width, height, bytes_per_line, formats[bits_per_pixel]).copy()
    assert image.save(str(target), "PNG")
    colours = {image.pixel(x, y) for x in range(0, width, 4) for y in range(0, height, 4)}
    return width, height, len(colours)


def test_deb_installs_runs_and_uninstalls(installed_deb: Path, tmp_path: Path) -> None:
    # In place after dpkg -i.
    for path in INSTALLED_FILES:
        assert path.exists(), path
    assert os.path.realpath("/usr/bin/letterdesk") == "/opt/letterdesk/letterdesk"
    assert shutil.which("letterdesk", path="/usr/bin") == "/usr/bin/letterdesk"
    check = subprocess.run(
        ["desktop-file-validate", f"/usr/share/applications/{APP_ID}.desktop"],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout
    version = subprocess.run(
        ["letterdesk", "--version"], env=app_env(), capture_output=True, text=True, timeout=60
    )
    assert version.stdout.strip() == f"LetterDesk {VERSION}"

    # The installed app on a real X server (xcb platform, as on a desktop).
    data = tmp_path / "user data"
    xvfb = Xvfb()
    try:
        env = app_env(DISPLAY=xvfb.display, QT_QPA_PLATFORM="xcb")
        # --demo: a new, empty data folder would open on the first-run dialog.
        timed = subprocess.run(
            ["letterdesk", "--demo", "--data-dir", str(tmp_path / "timed")],
            env={**env, "LETTERDESK_EXIT_AFTER_FIRST_PAINT": "1"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert timed.returncode == 0 and "first-paint" in timed.stdout, timed.stderr

        app = subprocess.Popen(
            ["letterdesk", "--demo", "--data-dir", str(data)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            deadline = time.monotonic() + 60
            while not window_ids(xvfb.display, "LetterDesk"):
                assert app.poll() is None, f"the app exited: {app.stdout.read()}"  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "no LetterDesk window after 60 s"
                time.sleep(0.2)
            time.sleep(2.0)  # let the pages finish painting
            # Qt names several windows after the app (the client leader
            # too); the class sits on the top-level one.
            wm_class = " ".join(
                subprocess.run(
                    ["xprop", "-display", xvfb.display, "-id", window, "WM_CLASS"],
                    capture_output=True,
                    text=True,
                ).stdout
                for window in window_ids(xvfb.display, "LetterDesk")
            )
            dump = subprocess.run(
                ["xwd", "-root", "-silent", "-display", xvfb.display],
                capture_output=True,
                check=True,
            ).stdout
            width, height, colours = xwd_to_png(dump, SCREENSHOT)
            print(
                f"screenshot {SCREENSHOT}: {width}x{height}, {colours} colours; {wm_class.strip()}"
            )
            assert (width, height) == (1280, 800)
            # A blank or black screen has a handful of colours; the app's
            # window with text and its icon has hundreds.
            assert colours > 100
            # The desktop file's StartupWMClass matches the window's class.
            assert '"LetterDesk"' in wm_class
            assert app.poll() is None, "the app died while on screen"
        finally:
            app.send_signal(signal.SIGTERM)
            try:
                app.wait(timeout=20)
            except subprocess.TimeoutExpired:
                app.kill()
                app.wait()
            app.stdout.close()  # type: ignore[union-attr]
    finally:
        xvfb.stop()
    assert (data / "letterdesk.sqlite3").is_file()

    # Removal takes every installed file and keeps the user's data.
    subprocess.run(["dpkg", "-r", "letterdesk"], check=True)
    assert package_status() != "installed"
    for path in INSTALLED_FILES:
        assert not path.exists() and not path.is_symlink(), path
    assert not Path("/opt/letterdesk").exists()
    assert (data / "letterdesk.sqlite3").is_file()
    # A package with a postrm stays known to dpkg ("rc") until purged; purge
    # leaves this machine's package database as it was.
    subprocess.run(["dpkg", "--purge", "letterdesk"], check=True)
    assert package_status() in ("", "not-installed")


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v"]))
