#!/usr/bin/env bash
# Fetch the pinned QEMU source package into build/base/qemu (patched tree, pristine).
# The tree is a git repository with one commit so that patch export can diff against it.
. "$(dirname "$0")/lib.sh"

dest=$BUILD/base/qemu
stamp=$dest/.fetched-$QEMU_SRC_VERSION
[ -f "$stamp" ] && exit 0

grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ /etc/apt/sources.list 2>/dev/null ||
grep -rqs '^deb-src' /etc/apt/sources.list.d/ /etc/apt/sources.list 2>/dev/null ||
    die "no deb-src entry in apt sources: run 'make deps' (scripts/deps.sh adds one)"

work=$BUILD/base/qemu-dl
rm -rf "$work" "$dest"
mkdir -p "$work"
log "apt-get source $QEMU_SRC_PKG=$QEMU_SRC_VERSION"
(cd "$work" && apt-get source -q "$QEMU_SRC_PKG=$QEMU_SRC_VERSION" >/dev/null 2>&1) ||
    (cd "$work" && apt-get source -q "$QEMU_SRC_PKG=$QEMU_SRC_VERSION") ||
    die "apt-get source failed (is the deb-src entry present and 'apt-get update' done?)"
mv "$work/$QEMU_SRC_DIR" "$dest"
rm -rf "$work"
(
    cd "$dest"
    rm -rf .pc debian/.debhelper
    git init -q
    git add -A -f .
    git -c user.name=base -c user.email=base@localhost \
        commit -q -m "Debian qemu $QEMU_SRC_VERSION (pristine base)"
)
touch "$stamp"
log "base QEMU tree ready in $dest"
