#!/bin/sh
# Builds LetterDesk's Linux artefacts into dist/ (what `make dist` runs):
#
#   dist/letterdesk/                              the one-folder bundle (PyInstaller)
#   dist/letterdesk_<version>_amd64.deb           for Debian, Ubuntu and derivatives
#   dist/letterdesk-<version>-linux-x86_64.tar.gz the bundle, for everyone else
#
# usage: packaging/build_linux.sh [--skip-bundle]
#   --skip-bundle  reuse dist/letterdesk/ as it is (only repackage)
#
# Needs: the project's virtualenv with pyinstaller (PYINSTALLER overrides the
# path), dpkg-deb and tar. Runs as any user: the .deb is built with
# --root-owner-group, so no fakeroot is needed.
set -eu

cd "$(dirname "$0")/.."
REPO=$(pwd)
PYINSTALLER=${PYINSTALLER:-$REPO/.venv/bin/pyinstaller}
APP_ID=org.letterdesk.LetterDesk
VERSION=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' desktop/__init__.py)
[ -n "$VERSION" ] || { echo "build_linux: no __version__ in desktop/__init__.py" >&2; exit 1; }
ARCH=$(dpkg --print-architecture 2>/dev/null || echo amd64)
[ "$ARCH" = amd64 ] || { echo "build_linux: only amd64 is supported (this is $ARCH)" >&2; exit 1; }

DIST=$REPO/dist
BUNDLE=$DIST/letterdesk
STAGE=$REPO/build/deb/letterdesk_${VERSION}_${ARCH}
DEB=$DIST/letterdesk_${VERSION}_${ARCH}.deb
TARBALL=$DIST/letterdesk-${VERSION}-linux-x86_64.tar.gz

started=$(date +%s)
if [ "${1:-}" != "--skip-bundle" ]; then
    echo "build_linux: PyInstaller bundle (packaging/letterdesk.spec)"
    rm -rf "$BUNDLE"
    "$PYINSTALLER" --noconfirm --clean --log-level WARN \
        --distpath "$DIST" --workpath "$REPO/build/pyinstaller" packaging/letterdesk.spec
fi
[ -x "$BUNDLE/letterdesk" ] || { echo "build_linux: $BUNDLE/letterdesk is missing" >&2; exit 1; }

# --- .deb -------------------------------------------------------------------
echo "build_linux: staging $STAGE"
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" \
    "$STAGE/usr/share/applications" "$STAGE/usr/share/metainfo" \
    "$STAGE/usr/share/doc/letterdesk" "$STAGE/usr/share/icons/hicolor/scalable/apps"
cp -a "$BUNDLE" "$STAGE/opt/letterdesk"
# The bootloader finds _internal/ from its real path, so a symlink works.
ln -s /opt/letterdesk/letterdesk "$STAGE/usr/bin/letterdesk"
install -m 644 "resources/$APP_ID.desktop" "$STAGE/usr/share/applications/"
install -m 644 "resources/$APP_ID.metainfo.xml" "$STAGE/usr/share/metainfo/"
install -m 644 resources/icons/letterdesk.svg \
    "$STAGE/usr/share/icons/hicolor/scalable/apps/$APP_ID.svg"
for size in 16 32 48 64 128 256; do
    dir="$STAGE/usr/share/icons/hicolor/${size}x${size}/apps"
    mkdir -p "$dir"
    install -m 644 "resources/icons/letterdesk-$size.png" "$dir/$APP_ID.png"
done
cat > "$STAGE/usr/share/doc/letterdesk/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: LetterDesk
Source: https://github.com/letterdesk/letterdesk

Files: *
Copyright: LetterDesk developers
License: GPL-3.0-or-later
 On Debian systems the full text is in /usr/share/common-licenses/GPL-3.
 /opt/letterdesk bundles Python, Qt 6 (LGPL-3.0), PySide6 (LGPL-3.0) and
 the Python libraries listed in pyproject.toml under their own licenses.
EOF

# Installed-Size is in KiB. Depends: what the bundle loads from the system
# rather than carrying itself (found with ldd over every bundled library):
# libc/libstdc++, GL/EGL (the driver stack must be the system's), xcb and
# Wayland client libraries, fontconfig's configuration and a font, and the
# XKB keyboard data.
installed_kib=$(du -sk --apparent-size "$STAGE" | cut -f1)
cat > "$STAGE/DEBIAN/control" <<EOF
Package: letterdesk
Version: $VERSION
Architecture: $ARCH
Maintainer: LetterDesk developers <letterdesk@users.noreply.github.com>
Installed-Size: $installed_kib
Depends: libc6 (>= 2.28), libgcc-s1, libstdc++6, libegl1, libgl1, libxcb1,
 libwayland-client0, libwayland-cursor0, libwayland-egl1,
 fontconfig-config, fonts-dejavu-core | fonts-liberation2 | fonts-noto-core, xkb-data
Recommends: gnome-keyring | kwalletmanager | keepassxc
Section: misc
Priority: optional
Homepage: https://github.com/letterdesk/letterdesk
Description: plan, request and track letters of recommendation
 LetterDesk helps medical students and graduates get strong letters of
 recommendation on time (ERAS, AMCAS or any application that needs several
 recommenders): mentors, a rapport log, requests from planned to
 submitted, program requirements and emails from templates.
 .
 Everything stays in one local data folder; email passwords go to the
 system keyring (the Recommends provide one).
EOF
cat > "$STAGE/DEBIAN/postinst" <<'EOF'
#!/bin/sh
# dpkg's triggers from desktop-file-utils and hicolor-icon-theme usually do
# this already; run them here too for systems without those triggers.
set -e
if [ "$1" = configure ]; then
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q /usr/share/applications || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true
    fi
fi
exit 0
EOF
cat > "$STAGE/DEBIAN/postrm" <<'EOF'
#!/bin/sh
# Only the program is removed: the user's data folder (~/.local/share/LetterDesk
# or the one chosen with --data-dir) and keyring entries are theirs to keep.
set -e
if [ "$1" = remove ] || [ "$1" = purge ]; then
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q /usr/share/applications || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true
    fi
fi
exit 0
EOF
chmod 755 "$STAGE/DEBIAN/postinst" "$STAGE/DEBIAN/postrm"
# Regular permissions whatever the umask: dirs and executables 755, files 644.
find "$STAGE" -type d -exec chmod 755 {} +
find "$STAGE/opt" "$STAGE/usr" -type f -exec chmod go-w,a+r {} +
rm -f "$DEB"
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$DEB" >/dev/null
echo "build_linux: $DEB"

# --- .tar.gz ----------------------------------------------------------------
# letterdesk-<version>/ holds the bundle plus the desktop file and icon, so a
# user can unpack it anywhere and run ./letterdesk.
TAR_STAGE=$REPO/build/tar/letterdesk-$VERSION
rm -rf "$TAR_STAGE"
mkdir -p "$TAR_STAGE/share"
cp -a "$BUNDLE/." "$TAR_STAGE/"
cp "resources/$APP_ID.desktop" "resources/$APP_ID.metainfo.xml" "$TAR_STAGE/share/"
cp resources/icons/letterdesk-256.png "$TAR_STAGE/share/$APP_ID.png"
rm -f "$TARBALL"
tar -C "$(dirname "$TAR_STAGE")" --owner=0 --group=0 --numeric-owner \
    -czf "$TARBALL" "letterdesk-$VERSION"
echo "build_linux: $TARBALL"

echo "build_linux: done in $(( $(date +%s) - started )) s"
du -sh "$BUNDLE" "$DEB" "$TARBALL"
