#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# stats: the driver's counters (/sys/bus/virtio/devices/virtioN/stats)
# exist with one line per data queue and one "ctrl" line (sessions created
# and destroyed), and count: a cbc(aes) KAT run adds
# at least one submitted and completed cipher request per vector
# operation, nothing fails, and once idle completed == submitted.  With
# more than one data queue, work spread over two CPUs must reach more
# than one queue.
# shellcheck source=SCRIPTDIR/../guest/lib.sh
. /lib/vc/lib.sh
C=stats

need_driver $C || exit 0
f=$(vc_stats_file)
if [ ! -r "$f" ]; then
    result $C FAIL "no stats file ($f)"
    exit 0
fi
while read -r l; do info $C "before: $l"; done <"$f"
nq=$(grep -c '^dataq' "$f")
# one line per data queue (12 counters, the last two the stateless and
# notification counts),
# then the device's control-queue line
if [ "$nq" -lt 1 ] || grep -v '^ctrl ' "$f" | grep -v -qE '^dataq\.[0-9]+( [a-z]+=[0-9]+){12}$' ||
    [ "$(grep -cE '^ctrl sessions_created=[0-9]+ sessions_destroyed=[0-9]+$' "$f")" -ne 1 ] ||
    [ "$(grep -vcE '^(dataq|ctrl)' "$f")" -ne 0 ]; then
    result $C FAIL "unexpected stats format: $(head -n 1 "$f") / $(tail -n 1 "$f")"
    exit 0
fi
cbc=$(virtio_driver_for "cbc(aes)")
if [ -z "$cbc" ]; then
    result $C SKIP "not advertised: no virtio cbc(aes) to drive the counters"
    exit 0
fi
modprobe algif_skcipher 2>/dev/null
s0=$(vc_stat submitted) d0=$(vc_stat completed) f0=$(vc_stat failed) c0=$(vc_stat cipher)
k0=$(vc_stat kicks)
# two runs at once, pinned to different CPUs when taskset exists
for cpu in 0 1; do
    if command -v taskset >/dev/null; then
        taskset -c $cpu afalg-kat "$cbc" /vectors/aes-cbc.txt >/tmp/stats.$cpu 2>&1 &
    else
        afalg-kat "$cbc" /vectors/aes-cbc.txt >/tmp/stats.$cpu 2>&1 &
    fi
done
wait
ops=0
for cpu in 0 1; do
    p=$(tail -n 1 /tmp/stats.$cpu | sed -n 's/^pass=\([0-9]*\) fail=0 .*/\1/p')
    [ -n "$p" ] || { result $C FAIL "KAT run failed: $(tail -n 1 /tmp/stats.$cpu)"; exit 0; }
    ops=$((ops + p))
done
sleep 0.5
while read -r l; do info $C "after: $l"; done <"$f"
s=$(( $(vc_stat submitted) - s0 )) d=$(( $(vc_stat completed) - d0 ))
fl=$(( $(vc_stat failed) - f0 )) c=$(( $(vc_stat cipher) - c0 ))
k=$(( $(vc_stat kicks) - k0 ))
busy=$(awk '/^dataq/ { split($2, kv, "="); if (kv[2] > 0) n++ } END { print n + 0 }' "$f")
if [ "$s" -lt "$ops" ] || [ "$c" -lt "$ops" ]; then
    result $C FAIL "$ops KAT operations but submitted=+$s cipher=+$c"
elif [ "$d" -ne "$s" ] || [ "$(vc_stat completed)" -ne "$(vc_stat submitted)" ]; then
    result $C FAIL "idle but completed=+$d != submitted=+$s"
elif [ "$fl" -ne 0 ]; then
    result $C FAIL "clean KAT runs but failed=+$fl"
elif [ "$k" -lt 1 ] || [ "$k" -gt "$s" ]; then
    # every notification follows at least one submission
    result $C FAIL "kicks=+$k for submitted=+$s"
elif [ "$nq" -gt 1 ] && [ "$(nproc)" -gt 1 ] && [ "$busy" -lt 2 ]; then
    result $C FAIL "$nq data queues, 2 CPUs busy, but only $busy queue(s) used"
else
    result $C PASS "$nq queue line(s); $ops KAT operations: submitted=+$s completed=+$d cipher=+$c failed=+0 kicks=+$k; $busy queue(s) used"
fi
rm -f /tmp/stats.*
