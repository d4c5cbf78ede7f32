#!/usr/bin/env bash
# Run each base tree's checkpatch.pl over our change to it, exported as one
# squashed patch (the final code, not each historical step):
#   check-style.sh qemu    QEMU's scripts/checkpatch.pl on build/patches/qemu-squashed.patch
#   check-style.sh linux   the kernel's scripts/checkpatch.pl --strict on build/patches/linux-squashed.patch
# Checking the diff (not whole files) holds our lines to the style without
# blaming us for what the base files already contain.  One finding is
# waived: "added, moved or deleted file(s), does MAINTAINERS need updating?"
# (a series of new files for an out-of-tree project has no MAINTAINERS entry).
. "$(dirname "$0")/lib.sh"

side=${1:?usage: check-style.sh qemu|linux}
"$TOP/scripts/export-patches.sh"
patches=("$BUILD/patches/$side-squashed.patch")
[ -s "${patches[0]}" ] || die "no $side patch exported"

case "$side" in
qemu)
    cp=$BUILD/base/qemu/scripts/checkpatch.pl
    opts=(--no-tree)
    waive='added, moved or deleted file\(s\), does MAINTAINERS need updating'
    ;;
linux)
    cp=$BUILD/base/linux/scripts/checkpatch.pl
    opts=(--no-tree --strict --show-types --ignore FILE_PATH_CHANGES)
    waive='^$'
    ;;
*) die "unknown side $side" ;;
esac

out=$(perl "$cp" "${opts[@]}" "${patches[0]}" 2>&1 || true)
# Each finding is a paragraph starting with ERROR/WARNING/CHECK.
findings=$(echo "$out" | awk -v RS= -v waive="$waive" '
    /^(ERROR|WARNING|CHECK)/ && $0 !~ waive { print; print ""; n++ }
    END { exit n > 0 }') && rc=0 || rc=1
if [ $rc -ne 0 ]; then
    echo "$findings" | head -n 200
    echo "$side: $(echo "$findings" | grep -cE '^(ERROR|WARNING|CHECK)') findings"
    exit 1
fi
echo "$side: checkpatch clean ($(grep -c '^+' "${patches[0]}") added lines)"
