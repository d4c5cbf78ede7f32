#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Instructions and allocations per request of one benchmark load, counted by
# callgrind (repeatable whatever else the machine runs, unlike seconds).
#
#   tests/bench/callgrind.sh ours|stock|PATH ALG/OP SIZE [SECONDS]
#   e.g. tests/bench/callgrind.sh ours aes-128-cbc/enc 64
#        LABEL=before tests/bench/callgrind.sh /path/to/qemu-system-x86_64 ...
#
# vc-bench drives the load with every ring slot in flight while QEMU runs
# under valgrind --tool=callgrind (one output file per thread).  Once the
# load is running, the counters are zeroed (callgrind_control -z), SECONDS
# (default 40) of wall clock later they are dumped (-d); requests are the
# virtqueue_fill() calls in that window.  Writes
# build/bench/callgrind-<label>-<alg>-<op>-<size>.txt: per request the
# instructions of the whole process and of each thread, the malloc-family
# calls, and the functions with the most instructions (self).
# shellcheck source=../../scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"

[ $# -ge 3 ] || die "usage: $0 ours|stock|PATH ALG/OP SIZE [SECONDS]"
label=$1 load=$2 size=$3 secs=${4:-40}
OUT=$BUILD/bench
case "$label" in
ours) qemu=${OURS_QEMU:-$BUILD/qemu-build/qemu-system-x86_64} ;;
stock) qemu=${STOCK_QEMU:-$BUILD/qemu-stock-build/qemu-system-x86_64} ;;
*) qemu=$label label=${LABEL:-$(basename "$label")} ;;
esac
command -v valgrind >/dev/null || die "valgrind missing (apt-get install valgrind)"
[ -x "$OUT/vc-bench" ] || die "run tests/bench/run-bench.sh --smoke (or QUICK=1) first to build vc-bench"
[ -x "$qemu" ] || die "$qemu missing"

name=$label-${load//\//-}-$size
dir=$OUT/callgrind-$name
rm -rf "$dir"
mkdir -p "$dir"
cp "$qemu" "$dir/qemu.bin"
cat > "$dir/wrap.sh" <<EOF
#!/bin/sh
exec valgrind --tool=callgrind --separate-threads=yes --dump-instr=no \
    --compress-strings=no --compress-pos=no \
    --callgrind-out-file=$dir/cg.out.%p "$dir/qemu.bin" "\$@" 2>$dir/valgrind.log
EOF
chmod +x "$dir/wrap.sh"

log "$name: QEMU under callgrind, about $((secs + 90)) s"
# A long --time: the window is cut from outside; vc-bench is killed after.
"$OUT/vc-bench" device --qemu "$dir/wrap.sh" --label "$label" --queues 1 \
    --only "$load" --sizes "$size" --time 600 --keys "$OUT/keys" \
    > "$dir/vc-bench.jsonl" 2> "$dir/vc-bench.err" &
bench=$!
pid=
for _ in $(seq 1 600); do
    pid=$(sed -n 's/.*"qemu_pid":\([0-9]*\).*/\1/p' "$dir/vc-bench.jsonl" | head -n1)
    [ -n "$pid" ] && break
    sleep 0.2
done
[ -n "$pid" ] || { kill "$bench" 2>/dev/null; die "QEMU did not start ($dir/vc-bench.err)"; }
# Wait for the load: completions show up as virtqueue_fill calls.
for _ in $(seq 1 120); do
    sleep 2
    callgrind_control -d "$pid" >/dev/null 2>&1 || true
    if grep -qs '^cfn=virtqueue_fill$' "$dir"/cg.out."$pid"*; then
        break
    fi
done
sleep 5
callgrind_control -z "$pid" >/dev/null
sleep "$secs"
rm -f "$dir"/cg.out."$pid"*
callgrind_control -d "$pid" >/dev/null
mkdir -p "$dir/window"
mv "$dir"/cg.out."$pid"* "$dir/window/"
kill "$bench" 2>/dev/null
wait "$bench" 2>/dev/null || true
kill "$pid" 2>/dev/null || true
sleep 1

# (kept in the output directory: python3 DIR/analyze.py DIR PID TITLE redoes it)
cat > "$dir/analyze.py" <<'EOF'
import glob, re, sys, collections

d, pid, title = sys.argv[1:4]
MALLOC = {'malloc', 'calloc', 'realloc', 'memalign', 'posix_memalign',
          'aligned_alloc'}
threads = []
for path in sorted(glob.glob(f'{d}/window/cg.out.{pid}*')):
    self_cost = collections.Counter()
    calls = collections.Counter()
    incl = collections.Counter()
    total = 0
    fn = None
    callee = pending_call = None
    for line in open(path, errors='replace'):
        if line.startswith('fn='):
            fn = line[3:].strip()
            fn = re.sub(r'^\(\d+\) ', '', fn)
        elif line.startswith('cfn='):
            pending_call = re.sub(r'^\(\d+\) ', '', line[4:].strip())
        elif line.startswith('calls='):
            calls[pending_call] += int(line[6:].split()[0])
            callee, pending_call = pending_call, 'CALLED'
        elif line[:1].isdigit() or line[:1] in '+-*':
            parts = line.split()
            if len(parts) >= 2:
                if pending_call == 'CALLED':
                    pending_call = None      # inclusive cost of the call
                    if callee != fn:         # not a recursive call
                        incl[callee] += int(parts[1])
                else:
                    self_cost[fn] += int(parts[1])
                    total += int(parts[1])
    threads.append((path, total, self_cost, calls, incl))

reqs = sum(t[3]['virtqueue_fill'] for t in threads)
pops = sum(t[3]['virtqueue_pop'] + t[3]['virtqueue_pop_into'] for t in threads)
popcost = sum(t[4]['virtqueue_pop'] + t[4]['virtqueue_pop_into'] for t in threads)
unpopcost = sum(t[4]['virtqueue_unpop'] for t in threads)
allt = sum(t[1] for t in threads)
mallocs = sum(sum(t[3][m] for m in MALLOC) for t in threads)
print(f'# callgrind: {title}')
print(f'requests (virtqueue_fill calls) in the window: {reqs}')
if not reqs:
    sys.exit(0)
# More pops than completions: batches cut short (1 ms under callgrind's
# slowdown) give requests back to the ring, which are popped again.
print(f'pops per completed request: {pops / reqs:.3f}')
if pops:
    extra = (pops - reqs) * popcost / pops + unpopcost
    print(f'instructions per request spent popping again: {extra / reqs:,.0f}')
print(f'instructions per request, whole process: {allt / reqs:,.0f}')
print(f'malloc-family calls per request, whole process: {mallocs / reqs:.2f}')
for path, total, self_cost, calls, _ in threads:
    if total < allt / 100:
        continue
    tm = sum(calls[m] for m in MALLOC)
    print(f'## thread {path.rsplit(".", 1)[-1]}: {total / reqs:,.0f} instr/request, '
          f'{tm / reqs:.2f} mallocs/request')
    for f, c in self_cost.most_common(25):
        print(f'  {c / reqs:10,.1f}  {f}')
EOF
python3 "$dir/analyze.py" "$dir" "$pid" "$label $load $size B" > "$OUT/callgrind-$name.txt"
cat "$OUT/callgrind-$name.txt"
