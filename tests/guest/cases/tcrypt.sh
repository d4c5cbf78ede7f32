#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tcrypt: "modprobe tcrypt mode=10" re-runs the AES mode vectors on the
# highest-priority implementation of each mode.  tcrypt always fails the
# load with EAGAIN by design; the verdict comes from dmesg (no "alg:" or
# "tcrypt:" failure lines) and from the device interrupt count (the
# virtio algorithms must have been the ones tested).
# shellcheck source=SCRIPTDIR/../guest/lib.sh
. /lib/vc/lib.sh
C=tcrypt

ensure_driver
case $? in
1) result $C SKIP "image built without a virtio_crypto driver"; exit 0 ;;
2) result $C FAIL "modprobe virtio_crypto failed"; exit 0 ;;
esac
lines0=$(dmesg | wc -l)
irq0=$(vc_irq_count)
modprobe tcrypt mode=10 2>/dev/null
irqs=$(( $(vc_irq_count) - irq0 ))
new=$(dmesg | tail -n +$((lines0 + 1)))
bad=$(echo "$new" | grep -E 'alg: .*(fail|error)|tcrypt: .*fail' || true)
if [ -n "$bad" ]; then
    echo "$bad" | head -n 5 | sed "s/^/INFO $C dmesg: /"
    result $C FAIL "tcrypt mode=10 reported failures"
elif [ "$irqs" -le 0 ]; then
    result $C FAIL "tcrypt mode=10 ran but no device interrupts (virtio algorithms not used)"
else
    result $C PASS "tcrypt mode=10 no failures, device-irqs=$irqs"
fi
