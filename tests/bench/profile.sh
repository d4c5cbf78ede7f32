#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Profile one benchmark load with perf (cpu-clock, call graphs) to explain a
# target that is not met.  Runs vc-bench on a single point for a few seconds
# and records the QEMU process while the load is running.
#
#   tests/bench/profile.sh ours|stock ALG/OP SIZE [QUEUES]
#   e.g. tests/bench/profile.sh ours aes-256-xts/enc 4096
#
# Writes build/bench/profile-<label>-<alg>-<op>-<size>.txt (perf report --stdio,
# top entries, children and self).
# shellcheck source=../../scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"

[ $# -ge 3 ] || die "usage: $0 ours|stock ALG/OP SIZE [QUEUES]"
label=$1 load=$2 size=$3 queues=${4:-1}
OUT=$BUILD/bench
case "$label" in
ours) qemu=${OURS_QEMU:-$BUILD/qemu-build/qemu-system-x86_64} ;;
stock) qemu=${STOCK_QEMU:-$BUILD/qemu-stock-build/qemu-system-x86_64} ;;
*) die "label must be ours or stock" ;;
esac
command -v perf >/dev/null || die "perf missing (apt-get install linux-perf)"
[ -x "$OUT/vc-bench" ] || die "run tests/bench/run-bench.sh (or QUICK=1) first to build vc-bench"

name=$label-${load//\//-}-$size-q$queues
log=$OUT/profile-$name.jsonl
"$OUT/vc-bench" device --qemu "$qemu" --label "$label" --queues "$queues" \
    --only "$load" --sizes "$size" --time 6 --keys "$OUT/keys" > "$log" &
bench=$!
pid=
for _ in $(seq 1 100); do
    pid=$(sed -n 's/.*"qemu_pid":\([0-9]*\).*/\1/p' "$log" | head -n1)
    [ -n "$pid" ] && break
    sleep 0.1
done
[ -n "$pid" ] || { kill "$bench" 2>/dev/null; die "QEMU did not start"; }
sleep 1.5      # idle QMP phase, then the load starts
perf record -e cpu-clock -F 2000 -g -p "$pid" -o "$OUT/perf-$name.data" -- sleep 3 2>/dev/null
wait "$bench" || true
{
    echo "# perf report: $label $load $size B, $queues queue(s)"
    grep '"type":"dev"' "$log" || true
    echo "## by shared object"
    perf report -i "$OUT/perf-$name.data" --stdio --no-children --sort dso \
        -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 12
    echo "## self"
    perf report -i "$OUT/perf-$name.data" --stdio --no-children --percent-limit 0.7 \
        -g none --sort dso,sym 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 30
    echo "## threads"
    perf report -i "$OUT/perf-$name.data" --stdio --no-children --sort comm \
        -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 10
} > "$OUT/profile-$name.txt"
cat "$OUT/profile-$name.txt"
