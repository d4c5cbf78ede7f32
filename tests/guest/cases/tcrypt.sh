#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tcrypt: "tcrypt mode=10" re-runs the AES mode vectors (testmgr.h) on the
# highest-priority implementation of each mode.  The load always ends in
# EAGAIN by design; the verdict comes from dmesg and from the device
# interrupt count (the virtio algorithms must have been the ones tested).
# Modes this kernel has no implementation of at all (allocation fails with
# -ENOENT, e.g. xctr(aes) in Debian's 6.1) are listed, not failed.
# shellcheck source=SCRIPTDIR/../guest/lib.sh
. /lib/vc/lib.sh
C=tcrypt

ensure_driver
case $? in
1) result $C SKIP "image built without a virtio_crypto driver"; exit 0 ;;
2) result $C FAIL "modprobe virtio_crypto failed"; exit 0 ;;
esac
ko=$(find /lib/modules -name tcrypt.ko | head -n 1)
if [ -z "$ko" ]; then
    result $C FAIL "tcrypt.ko not in the image"
    exit 0
fi
lines0=$(dmesg | wc -l)
irq0=$(vc_irq_count)
insmod "$ko" mode=10 2>/dev/null
irqs=$(( $(vc_irq_count) - irq0 ))
dmesg | tail -n +$((lines0 + 1)) >/tmp/tcrypt.log
missing=$(sed -n 's/.*alg: .*failed to allocate transform for \([^:]*\): -2$/\1/p' /tmp/tcrypt.log | sort -u | tr '\n' ' ')
bad=$(grep -E 'alg: .*(fail|error)' /tmp/tcrypt.log | while read -r l; do
    skip=0
    for m in $missing; do
        case $l in *" $m: -2"|*"for $m using $m failed (rc=-2)"*) skip=1 ;; esac
    done
    [ $skip = 1 ] || echo "$l"
done)
[ -z "$missing" ] || info $C "not available in this kernel (allocation -ENOENT): $missing"
if [ -n "$bad" ]; then
    echo "$bad" | head -n 5 | sed "s/^/INFO $C dmesg: /"
    result $C FAIL "tcrypt mode=10 reported failures"
elif [ "$irqs" -le 0 ]; then
    result $C FAIL "tcrypt mode=10 ran but no device interrupts (virtio algorithms not used)"
else
    result $C PASS "tcrypt mode=10: no failures on available modes, device-irqs=$irqs"
fi
