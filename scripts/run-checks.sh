#!/usr/bin/env bash
# Run the meson test suites named on the command line (default: all) and end
# with one line "N passed, N failed, N skipped".  Exit status is non-zero if
# anything failed or if no test ran at all.
. "$(dirname "$0")/lib.sh"

suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(unit qtest guest interop patches style)
args=()
for s in "${suites[@]}"; do
    args+=(--suite "$s")
done

mb=$BUILD/meson
rm -f "$mb/meson-logs/testlog.json"
start=$(date +%s)
set +e
meson test -C "$mb" --num-processes 1 --print-errorlogs "${args[@]}"
rc=$?
set -e
log "meson test finished in $(( $(date +%s) - start )) s (exit $rc)"

python3 "$TOP/scripts/summarize-tests.py" "$mb/meson-logs/testlog.json"
src=$?
[ $rc -eq 0 ] && [ $src -eq 0 ]
