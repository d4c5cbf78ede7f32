#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# kmemleak: no memory leaked by the driver.  Needs a kernel with
# CONFIG_DEBUG_KMEMLEAK (the test kernel: run-guest.sh --kernel test).
# After "clear", runs every KAT file whose algorithm the virtio driver
# registered (skcipher, hash, AEAD), then two unbind/bind cycles of the
# device (sysfs), vcloops=N (default 3) unload/load cycles, unloads the module, waits out
# kmemleak's minimum object age and scans twice; any unreferenced object
# is a FAIL (the first reports are printed as INFO lines).
# shellcheck source=SCRIPTDIR/../guest/lib.sh
. /lib/vc/lib.sh
C=kmemleak

grep -q ' /sys/kernel/debug ' /proc/mounts || mount -t debugfs debugfs /sys/kernel/debug
K=/sys/kernel/debug/kmemleak
if [ ! -e $K ]; then
    result $C SKIP "kernel built without kmemleak (use --kernel test)"
    exit 0
fi
ensure_driver
case $? in
1) result $C SKIP "image built without a virtio_crypto driver"; exit 0 ;;
2) result $C FAIL "modprobe virtio_crypto failed"; exit 0 ;;
esac
for m in algif_skcipher algif_hash algif_aead; do modprobe $m 2>/dev/null; done
# Settle boot-time objects first, then forget them.  A failing write means
# kmemleak is compiled in but switched off (then it would prove nothing).
if ! echo scan >$K || ! echo clear >$K; then
    result $C FAIL "kmemleak is not active (writes to $K fail)"
    exit 0
fi
ops=0
for m in $VC_KAT_ALGS; do
    IFS=: read -r _ cra file _ <<EOT
$m
EOT
    drv=$(virtio_driver_for "$cra")
    [ -n "$drv" ] || continue
    # Errors are the kat case's business; here only the allocations count.
    afalg-kat "$drv" "/vectors/$file.txt" >/tmp/leak.out 2>&1 && ops=$((ops + 1))
    info $C "$drv: $(tail -n 1 /tmp/leak.out)"
done
# unbind/bind: remove() and probe() on the same module (the device
# structures, queues and registrations are freed and made again)
want=$(virtio_algs | awk '{ print $2 }' | tr '\n' ' ')
dev=virtio$(vc_device_index)
for i in 1 2; do
    if ! echo "$dev" >/sys/bus/virtio/drivers/virtio_crypto/unbind ||
       ! echo "$dev" >/sys/bus/virtio/drivers/virtio_crypto/bind; then
        result $C FAIL "unbind/bind cycle $i failed"
        exit 0
    fi
    t=0
    while [ "$(virtio_algs | awk '{ print $2 }' | tr '\n' ' ')" != "$want" ] && [ $t -lt 60 ]; do
        sleep 0.5; t=$((t + 1))
    done
done
loops=$(cmdline_param vcloops 3)
i=0
while [ "$i" -lt "$loops" ]; do
    i=$((i + 1))
    if ! rmmod virtio_crypto || ! modprobe virtio_crypto; then
        result $C FAIL "unload/load cycle $i failed"
        exit 0
    fi
done
rmmod virtio_crypto || { result $C FAIL "final rmmod failed"; exit 0; }
if ! kmemleak_check $C; then
    result $C FAIL "kmemleak scan failed"
    exit 0
fi
if [ "$leak_n" -gt 0 ]; then
    result $C FAIL "$leak_n unreferenced object(s) after $ops clean KAT runs, 2 unbind/bind and $loops reload cycles"
else
    result $C PASS "no unreferenced objects after $ops clean KAT runs, 2 unbind/bind cycles, $loops reload cycles and unload"
fi
modprobe virtio_crypto
