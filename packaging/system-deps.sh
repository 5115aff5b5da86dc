#!/bin/sh
# Checks that the Debian packages LetterDesk needs are present (Qt's runtime
# libraries, fonts, D-Bus, Xvfb for screenshots, and for the tests a
# Secret Service keyring). As root it installs the
# missing ones with apt; otherwise it prints the exact command and fails.
#
# usage: packaging/system-deps.sh [run|test|interop|dist]
#   interop: what `make test-interop` needs on top of test
#   dist: what `make dist` and `make test-dist` need on top of test
set -eu

purpose="${1:-test}"

# Qt 6 (PySide6 wheels) under the offscreen platform: EGL/GL, xkbcommon,
# fontconfig + a font, D-Bus, GLib.
packages="libegl1 libgl1 libxkbcommon0 libfontconfig1 fonts-dejavu-core libdbus-1-3 libglib2.0-0"
# A real X11 window (make run) needs the xcb platform plugin's libraries.
packages="$packages libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1"
packages="$packages libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1"
if [ "$purpose" = "test" ] || [ "$purpose" = "interop" ] || [ "$purpose" = "dist" ]; then
    # Screenshots under a virtual screen, and a CJK font so names in any
    # script render in the tests' screenshots.
    packages="$packages xvfb xauth fonts-wqy-microhei"
    # The keyring tests run a real Secret Service: gnome-keyring-daemon on a
    # private D-Bus session bus that the test fixture starts itself.
    packages="$packages gnome-keyring dbus-daemon libsecret-tools"
    # The writer's summary test reads the PDF's text back with pdftotext.
    packages="$packages poppler-utils"
    # The hardening tests start LetterDesk's backup code with the clock 400
    # days ahead (libfaketime's LD_PRELOAD library), a real clock offset.
    packages="$packages faketime"
    # The reply watcher and the Sent copy are tested against a real IMAP
    # server (Dovecot, started by tests/services/mail/imap_server.py), and
    # the tray's notifications against a real notification daemon (dunst)
    # on the tests' private D-Bus.
    packages="$packages dovecot-imapd dunst"
    # The start-at-login entry is checked with desktop-file-validate.
    packages="$packages desktop-file-utils"
fi
if [ "$purpose" = "interop" ]; then
    # The CSV export is opened in a real LibreOffice Calc, headless, to see
    # that the formula guard stops formulas and shows phone numbers as typed.
    packages="$packages libreoffice-calc-nogui"
fi
if [ "$purpose" = "dist" ]; then
    # PyInstaller strips the Linux bundle with binutils' strip; the shipped
    # desktop file and AppStream metainfo are checked with their validators;
    # the installed app is screenshotted under Xvfb with xwd (x11-apps) once
    # xwininfo (x11-utils) sees its window.
    packages="$packages binutils desktop-file-utils appstream x11-apps x11-utils"
fi

command -v dpkg-query >/dev/null 2>&1 || {
    echo "system-deps: not a Debian-based system; install Qt 6's runtime libraries yourself." >&2
    exit 0
}

missing=""
for pkg in $packages; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = "installed" ] || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = "0" ]; then
    echo "system-deps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086 # word splitting wanted
    apt-get install -y -q --no-install-recommends $missing
else
    echo "system-deps: LetterDesk needs these Debian packages:$missing" >&2
    echo "Install them with:" >&2
    echo "    sudo apt-get install -y --no-install-recommends$missing" >&2
    exit 1
fi
