#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# pm: suspend/resume with the driver's freeze/restore.  While AF_ALG
# cbc(aes) known-answer runs loop (the same tfm lives across the sleep),
# "echo devices > /sys/power/pm_test; echo freeze > /sys/power/state"
# suspends every device (virtio-pci calls the driver's freeze) and resumes
# it (restore) without a real sleep.  The write must succeed, the crypto
# device's PCI function must have run its suspend and resume callbacks
# (pm_print_times), every KAT run must stay clean (sessions re-created at
# restore), the algorithms must be the same afterwards and a new KAT run
# must reach the device.
# shellcheck source=SCRIPTDIR/../guest/lib.sh
. /lib/vc/lib.sh
C=pm

need_driver $C || exit 0
cbc=$(virtio_driver_for "cbc(aes)")
if [ -z "$cbc" ]; then
    result $C SKIP "not advertised: no virtio cbc(aes)"
    exit 0
fi
if ! grep -qw devices /sys/power/pm_test 2>/dev/null || ! grep -qw freeze /sys/power/state; then
    result $C FAIL "kernel lacks pm_test=devices or the freeze state: pm_test '$(cat /sys/power/pm_test 2>&1)', state '$(cat /sys/power/state 2>&1)'"
    exit 0
fi
modprobe algif_skcipher 2>/dev/null
n=$(vc_device_index)
pci=$(basename "$(dirname "$(readlink -f /sys/bus/virtio/devices/virtio$n)")")
want=$(virtio_algs | awk '{ print $2 }' | tr '\n' ' ')
crash0=$(dmesg_crash_lines | wc -l)
rm -f /tmp/pm.stop /tmp/pm.out
(
    while [ ! -e /tmp/pm.stop ]; do
        afalg-kat "$cbc" /vectors/aes-cbc.txt >/tmp/pm.last 2>&1
        echo "rc=$? $(tail -n 1 /tmp/pm.last)" >>/tmp/pm.out
    done
) &
wl=$!
sleep 2
echo 1 >/sys/module/suspend/parameters/pm_test_delay 2>/dev/null
echo 1 >/sys/power/pm_print_times 2>/dev/null
lines0=$(dmesg | wc -l)
echo devices >/sys/power/pm_test
rc=0
echo freeze >/sys/power/state || rc=1
echo none >/sys/power/pm_test
dmesg | tail -n +$((lines0 + 1)) >/tmp/pm.dmesg
sleep 2
touch /tmp/pm.stop
t=0
while kill -0 $wl 2>/dev/null && [ $t -lt 240 ]; do sleep 0.5; t=$((t + 1)); done
grep -E "$pci|virtio_crypto|PM: (suspend|resume)" /tmp/pm.dmesg | sed "s/^\[[^]]*\] *//" | head -n 12 | sed "s/^/INFO $C dmesg: /"
info $C "workload: $(wc -l </tmp/pm.out) runs; $(tr '\n' ';' </tmp/pm.out)"
if kill -0 $wl 2>/dev/null; then
    result $C FAIL "the AF_ALG workload did not finish after resume"
elif [ $rc -ne 0 ]; then
    result $C FAIL "echo freeze >/sys/power/state failed"
elif ! grep -q "$pci: .*calling .*suspend" /tmp/pm.dmesg || ! grep -q "$pci: .*calling .*resume" /tmp/pm.dmesg; then
    result $C FAIL "no suspend/resume callback of the crypto device $pci in dmesg"
elif grep -v 'rc=0' /tmp/pm.out | grep -q .; then
    result $C FAIL "a KAT run across suspend/resume failed: $(grep -v 'rc=0' /tmp/pm.out | head -n 1)"
elif [ "$(virtio_algs | awk '{ print $2 }' | tr '\n' ' ')" != "$want" ]; then
    result $C FAIL "algorithms after resume '$(virtio_algs | awk '{ print $2 }' | tr '\n' ' ')', before '$want'"
else
    irq0=$(vc_irq_count)
    if ! afalg-kat "$cbc" /vectors/aes-cbc.txt >/tmp/pm.final 2>&1; then
        result $C FAIL "KAT after resume: $(tail -n 1 /tmp/pm.final)"
    elif [ $(( $(vc_irq_count) - irq0 )) -le 0 ]; then
        result $C FAIL "KAT after resume passed without device interrupts"
    elif [ "$(dmesg_crash_lines | wc -l)" -ne "$crash0" ]; then
        result $C FAIL "new crash lines in dmesg"
    else
        result $C PASS "suspend/resume (pm_test=devices, freeze) of $pci with a live tfm: $(wc -l </tmp/pm.out) KAT runs across it all clean, same algorithms, KAT after resume $(tail -n 1 /tmp/pm.final)"
    fi
fi
rm -f /tmp/pm.*
