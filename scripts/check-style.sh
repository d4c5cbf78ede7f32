#!/usr/bin/env bash
# Run each base tree's checkpatch.pl over our exported patch series:
#   check-style.sh qemu    QEMU's scripts/checkpatch.pl on build/patches/qemu/*.patch
#   check-style.sh linux   the kernel's scripts/checkpatch.pl --strict on build/patches/linux/*.patch
# Checking the series (not whole files) holds our lines to the style without
# blaming us for what the base files already contain.
. "$(dirname "$0")/lib.sh"

side=${1:?usage: check-style.sh qemu|linux}
"$TOP/scripts/export-patches.sh"
dir=$BUILD/patches/$side
shopt -s nullglob
patches=("$dir"/*.patch)
[ ${#patches[@]} -gt 0 ] || die "no patches in $dir (run scripts/export-patches.sh)"

case "$side" in
qemu)
    cp=$BUILD/base/qemu/scripts/checkpatch.pl
    opts=(--no-tree)
    ;;
linux)
    cp=$BUILD/base/linux/scripts/checkpatch.pl
    opts=(--no-tree --strict --show-types --ignore FILE_PATH_CHANGES)
    ;;
*) die "unknown side $side" ;;
esac

bad=0
for p in "${patches[@]}"; do
    if ! out=$(perl "$cp" "${opts[@]}" "$p" 2>&1); then
        bad=$((bad + 1))
        echo "== $(basename "$p")"
        echo "$out" | grep -E -A4 '^(ERROR|WARNING|CHECK)' | head -n 60
    elif echo "$out" | grep -qE '^(WARNING|CHECK)'; then
        bad=$((bad + 1))
        echo "== $(basename "$p")"
        echo "$out" | grep -E -A4 '^(WARNING|CHECK)' | head -n 60
    fi
done
echo "$side: ${#patches[@]} patches checked, $bad with findings"
[ $bad -eq 0 ]
