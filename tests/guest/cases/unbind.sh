#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# unbind: the device is unbound from and bound back to virtio_crypto
# (/sys/bus/virtio/drivers/virtio_crypto/unbind, bind) vcunbind=N times
# (default 5) while AF_ALG known-answer loops (cbc(aes), and sha256 /
# gcm(aes) when registered) keep sending requests.  Every workload process
# must finish on its own (results right or errors, never a hang), no crash
# lines appear, and after the last bind every virtio algorithm is back with
# the same self-test state and a clean cbc(aes) KAT run reaches the device.
# shellcheck source=SCRIPTDIR/../guest/lib.sh
. /lib/vc/lib.sh
C=unbind
D=/sys/bus/virtio/drivers/virtio_crypto

need_driver $C || exit 0
cbc=$(virtio_driver_for "cbc(aes)")
if [ -z "$cbc" ]; then
    result $C SKIP "not advertised: no virtio cbc(aes)"
    exit 0
fi
modprobe algif_skcipher 2>/dev/null
modprobe algif_hash 2>/dev/null
modprobe algif_aead 2>/dev/null
dev=virtio$(vc_device_index)
loops=$(cmdline_param vcunbind 5)
want=$(virtio_algs | awk '{ print $2 }' | tr '\n' ' ')
st_before=$(for d in $want; do echo "$d=$(crypto_field "$d" selftest)"; done | tr '\n' ' ')
crash0=$(dmesg_crash_lines | wc -l)

# Workloads: each loops over its KAT file until /tmp/unbind.stop exists.
rm -f /tmp/unbind.stop /tmp/unbind.*.out
pids=
for w in "$cbc:aes-cbc" "$(virtio_driver_for sha256):sha256" "$(virtio_driver_for "gcm(aes)"):aes-gcm"; do
    drv=${w%%:*} file=${w#*:}
    [ -n "$drv" ] || continue
    (
        r=0
        while [ ! -e /tmp/unbind.stop ]; do
            r=$((r + 1))
            afalg-kat "$drv" "/vectors/$file.txt" >/tmp/unbind.last.$file 2>&1
            echo "run $r rc=$? $(tail -n 1 /tmp/unbind.last.$file)" >>/tmp/unbind.$file.out
        done
    ) &
    pids="$pids $!"
done

wait_algs() {
    # the set comes back asynchronously (registration runs the self-tests)
    _i=0
    while [ $_i -lt 120 ]; do
        [ "$(virtio_algs | awk '{ print $2 }' | tr '\n' ' ')" = "$want" ] && return 0
        sleep 0.5
        _i=$((_i + 1))
    done
    return 1
}
fail=
i=0
while [ $i -lt "$loops" ] && [ -z "$fail" ]; do
    i=$((i + 1))
    sleep 1
    if ! echo "$dev" >$D/unbind; then
        fail="cycle $i: unbind failed"
        break
    fi
    [ ! -e "/sys/bus/virtio/devices/$dev/driver" ] || fail="cycle $i: $dev still bound after unbind"
    sleep 1
    if ! echo "$dev" >$D/bind; then
        fail="cycle $i: bind failed"
        break
    fi
    wait_algs || fail="cycle $i: after bind '$(virtio_algs | awk '{ print $2 }' | tr '\n' ' ')', expected '$want'"
done
touch /tmp/unbind.stop
# Every workload must end by itself: one KAT file takes seconds, give 120 s.
hung=
for p in $pids; do
    t=0
    while kill -0 "$p" 2>/dev/null && [ $t -lt 240 ]; do sleep 0.5; t=$((t + 1)); done
    kill -0 "$p" 2>/dev/null && hung="$hung $p"
done
for f in /tmp/unbind.*.out; do
    [ -e "$f" ] && info $C "$(basename "$f" .out): $(wc -l <"$f") runs, $(grep -c 'rc=0' "$f") clean; last: $(tail -n 1 "$f")"
done
grep -h MISMATCH /tmp/unbind.last.* 2>/dev/null | sort | uniq -c | sort -rn | head -n 3 | sed "s/^/INFO $C errors seen: /"
if [ -n "$hung" ]; then
    result $C FAIL "workload(s) still running 120 s after the last bind (hung requests?)"
    exit 0
fi
[ -z "$fail" ] || { result $C FAIL "$fail"; exit 0; }
st=$(for d in $want; do echo "$d=$(crypto_field "$d" selftest)"; done | tr '\n' ' ')
if [ "$st" != "$st_before" ]; then
    result $C FAIL "self-test states after rebinding '$st', before '$st_before'"
    exit 0
fi
irq0=$(vc_irq_count)
if ! afalg-kat "$cbc" /vectors/aes-cbc.txt >/tmp/unbind.final 2>&1; then
    result $C FAIL "cbc(aes) KAT after the last bind: $(tail -n 1 /tmp/unbind.final)"
    exit 0
fi
irqs=$(( $(vc_irq_count) - irq0 ))
crash1=$(dmesg_crash_lines | wc -l)
if [ "$crash1" -ne "$crash0" ]; then
    dmesg_crash_lines | tail -n 5 | sed "s/^/INFO $C dmesg: /"
    result $C FAIL "new crash lines in dmesg"
elif [ "$irqs" -le 0 ]; then
    result $C FAIL "KAT after rebinding passed without device interrupts"
else
    result $C PASS "$loops unbind/bind cycles under AF_ALG load: workloads ended, all $(echo "$want" | wc -w) algorithms back, KAT after rebind $(tail -n 1 /tmp/unbind.final), device-irqs=$irqs"
fi
rm -f /tmp/unbind.*
