#!/bin/sh
# Builds LetterDesk.app and a .dmg on macOS:
#
#   dist/LetterDesk.app                          (packaging/letterdesk.spec, BUNDLE step)
#   dist/LetterDesk-<version>-macos-<arch>.dmg   (the .app and an Applications link)
#
# NOT RUN ON THE DEVELOPMENT MACHINE (Linux; hdiutil and codesign exist only
# on macOS): .github/workflows/build.yml runs it on a macOS runner. It uses
# the same spec as Linux and Windows and ends like the Linux path: the
# --self-test of the built app, then of the app inside the mounted .dmg.
#
# usage: packaging/macos/build_dmg.sh
#   PYINSTALLER      pyinstaller to use (default: .venv/bin/pyinstaller, else on PATH)
#   CODESIGN_IDENTITY  a "Developer ID Application: ..." identity; without it
#                    the app is signed ad hoc ("-"), which runs on this Mac
#                    and on others only after right-click > Open (not notarized).
set -eu

cd "$(dirname "$0")/../.."
REPO=$(pwd)
[ "$(uname -s)" = Darwin ] || { echo "build_dmg: macOS only" >&2; exit 1; }
PYINSTALLER=${PYINSTALLER:-$REPO/.venv/bin/pyinstaller}
[ -x "$PYINSTALLER" ] || PYINSTALLER=pyinstaller
VERSION=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' desktop/__init__.py)
ARCH=$(uname -m)
APP=$REPO/dist/LetterDesk.app
DMG=$REPO/dist/LetterDesk-$VERSION-macos-$ARCH.dmg

rm -rf "$APP" "$REPO/dist/letterdesk"
"$PYINSTALLER" --noconfirm --clean --log-level WARN \
    --distpath "$REPO/dist" --workpath "$REPO/build/pyinstaller" packaging/letterdesk.spec

# Sign the whole bundle (inside out, --deep) so Gatekeeper and the hardened
# runtime accept the Qt frameworks PyInstaller copied in.
codesign --force --deep --options runtime --timestamp=none \
    --sign "${CODESIGN_IDENTITY:--}" "$APP"
codesign --verify --deep --strict "$APP"

self_test() {
    data=$(mktemp -d)
    QT_QPA_PLATFORM=offscreen "$1/Contents/MacOS/letterdesk" --self-test --data-dir "$data/data"
    rm -rf "$data"
}
self_test "$APP"

STAGE=$REPO/build/dmg
rm -rf "$STAGE" "$DMG"
mkdir -p "$STAGE"
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
hdiutil create -volname "LetterDesk $VERSION" -srcfolder "$STAGE" -ov -format UDZO "$DMG"

MOUNT=$(mktemp -d)
hdiutil attach -nobrowse -readonly -mountpoint "$MOUNT" "$DMG" >/dev/null
trap 'hdiutil detach "$MOUNT" >/dev/null 2>&1 || true' EXIT
self_test "$MOUNT/LetterDesk.app"
echo "build_dmg: $DMG"
du -sh "$APP" "$DMG"
