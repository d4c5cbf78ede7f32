#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# gbench: guest-level benchmark (tests/bench/guest-bench.sh, not a test).
# tcrypt mode=600 (async multi-buffer skcipher speed, num_mb=8) and
# cryptsetup benchmark for cbc(aes) and xts(aes), on whatever
# implementation wins by priority (the virtio one when its driver has
# it).  vcbsec=N: tcrypt seconds per point (0 = cycle counts, the
# default: short under TCG); vcbreps=N: tcrypt repetitions (median taken,
# default 5).
# Prints "BENCH ..." lines for the host script and one RESULT; with our
# driver also "BENCH kicks tcrypt|cryptsetup REQUESTS NOTIFICATIONS" (its
# stats counters over each phase: how many requests one notification
# carried).
# shellcheck source=SCRIPTDIR/../guest/lib.sh
. /lib/vc/lib.sh
C=gbench
sec=$(cmdline_param vcbsec 0)
reps=$(cmdline_param vcbreps 5)

need_driver $C || exit 0
modprobe algif_skcipher 2>/dev/null
ko=$(find /lib/modules -name tcrypt.ko | head -n 1)
irq0=$(vc_irq_count)
# our driver's counters (0 without a stats file, e.g. Debian's driver):
# requests put on the ring and notifications sent, for the batching
sub0=$(vc_stat submitted) kick0=$(vc_stat kicks)
r=0
: >/tmp/gb.all
while [ $r -lt "$reps" ]; do
    r=$((r + 1))
    lines0=$(dmesg | wc -l)
    insmod "$ko" mode=600 sec="$sec" num_mb=8 2>/dev/null   # ends in EAGAIN
    dmesg | tail -n +$((lines0 + 1)) | sed 's/^\[[^]]*\] *//' | awk -v rep=$r '
        /testing speed of multibuffer/ {
            alg = $5; drv = substr($6, 2, length($6) - 2); dir = ($7 == "encryption") ? "enc" : "dec"
            next
        }
        /^(tcrypt: )?test [0-9]+ \(/ && (alg == "cbc(aes)" || alg == "xts(aes)") {
            match($0, /\(([0-9]+) bit key, ([0-9]+) byte blocks\)/)
            split(substr($0, RSTART + 1, RLENGTH - 2), a, " ")
            if ($0 ~ /cycles/) { match($0, /in [0-9]+ cycles/); v = substr($0, RSTART + 3, RLENGTH - 10); u = "cycles" }
            else { match($0, /[0-9]+ operations in [0-9]+ seconds/); split(substr($0, RSTART, RLENGTH), o, " "); v = o[1] / o[4]; u = "ops/s" }
            print alg, drv, dir, a[1], a[4], v, u
        }' >>/tmp/gb.all
done
irqs=$(( $(vc_irq_count) - irq0 ))
[ -r "$(vc_stats_file)" ] &&
    echo "BENCH kicks tcrypt $(( $(vc_stat submitted) - sub0 )) $(( $(vc_stat kicks) - kick0 ))"
# median over the repetitions of each point
sort /tmp/gb.all | awk '
    { k = $1 " " $2 " " $3 " " $4 " " $5; n[k]++; v[k, n[k]] = $6; u[k] = $7 }
    END {
        for (k in n) {
            m = n[k]
            for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[k, j] < v[k, i]) { t = v[k, i]; v[k, i] = v[k, j]; v[k, j] = t }
            print "BENCH tcrypt " k " " v[k, int((m + 1) / 2)] " " u[k]
        }
    }' | sort
npts=$(wc -l </tmp/gb.all)
ncs=0
sub0=$(vc_stat submitted) kick0=$(vc_stat kicks)
for cs in aes-cbc:256 aes-xts:512; do
    ci=${cs%:*} ks=${cs#*:}
    line=$(cryptsetup benchmark -c "$ci" -s "$ks" 2>&1 | grep -E "^ *$ci +${ks}b")
    if echo "$line" | grep -qE "[0-9.]+ [KMG]iB/s +[0-9.]+ [KMG]iB/s"; then
        echo "BENCH cryptsetup $(echo "$line" | awk '{ print $1, $2, $3, $4, $5, $6 }')"
        ncs=$((ncs + 1))
    else
        info $C "cryptsetup benchmark -c $ci -s $ks: ${line:-no result}"
    fi
done
[ -r "$(vc_stats_file)" ] &&
    echo "BENCH kicks cryptsetup $(( $(vc_stat submitted) - sub0 )) $(( $(vc_stat kicks) - kick0 ))"
for cra in "cbc(aes)" "xts(aes)"; do
    # after the runs above, so template instances (xts over ecb) exist
    echo "BENCH impl $cra $(best_driver "$cra")"
done
if [ "$npts" -eq 0 ] || [ "$ncs" -ne 2 ]; then
    result $C FAIL "tcrypt points: $npts, cryptsetup results: $ncs"
else
    result $C PASS "tcrypt mode=600 sec=$sec x$reps: $npts points; cryptsetup: $ncs; device-irqs=$irqs"
fi
rm -f /tmp/gb.all
