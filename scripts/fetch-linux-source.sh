#!/usr/bin/env bash
# Extract the pinned Linux source (linux-source-6.1) into build/base/linux as a
# git repository with one commit: used for checkpatch.pl, the in-tree build
# check, the patch series and the test kernel.
. "$(dirname "$0")/lib.sh"

tarball=/usr/src/linux-source-6.1.tar.xz
[ -f "$tarball" ] || die "$tarball missing: run 'make deps'"
ver=$(dpkg-query -W -f='${Version}' "$KERNEL_SOURCE_PKG")
dest=$BUILD/base/linux
stamp=$dest/.fetched-$ver
[ -f "$stamp" ] && exit 0

rm -rf "$dest" "$BUILD/base/linux-tmp"
mkdir -p "$BUILD/base/linux-tmp"
log "extracting $tarball ($ver)"
tar -C "$BUILD/base/linux-tmp" -xJf "$tarball"
mv "$BUILD/base/linux-tmp/linux-source-6.1" "$dest"
rm -rf "$BUILD/base/linux-tmp"
(
    cd "$dest"
    git init -q
    git add -A -f .
    git -c user.name=base -c user.email=base@localhost \
        commit -q -m "Debian linux-source-6.1 $ver (pristine base)"
)
touch "$stamp"
log "base Linux tree ready in $dest"
