#!/usr/bin/env bash
# Build the parser fuzz target and run it for a bounded time.
#   run-fuzz.sh [SECONDS]   (default 60)
# Seeds: well-formed requests from tests/fuzz/make-seeds.py plus, when present,
# build/fuzz/qtest-corpus/ (requests the qtests wrote, see
# VIRTIO_CRYPTO_QTEST_CORPUS in the qtest).  Any crash, leak or sanitizer
# report fails the run; the reproducer is kept in build/fuzz/artifacts/.
. "$(dirname "$0")/../../scripts/lib.sh"

secs=${1:-60}
bash "$TOP/tests/fuzz/build-fuzz.sh"
out=$BUILD/fuzz
work=$out/corpus
mkdir -p "$work" "$out/artifacts"
python3 "$TOP/tests/fuzz/make-seeds.py" "$out/seeds"
seeds=("$out/seeds")
[ -d "$out/qtest-corpus" ] && seeds+=("$out/qtest-corpus")
rc=0
"$out/fuzz-virtio-crypto-parse" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$out/artifacts/" -print_final_stats=1 \
    "$work" "${seeds[@]}" >"$out/fuzz.log" 2>&1 || rc=$?
grep -E '^stat::(number_of_executed_units|new_units_added)|^#[0-9]+ *DONE' "$out/fuzz.log" | tail -n 3
if [ $rc -ne 0 ]; then
    grep -E -A20 'ERROR|runtime error|Assertion' "$out/fuzz.log" | head -n 40
    die "fuzzer found a problem (artifacts in $out/artifacts)"
fi
log "no crash in $secs s"
