#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# selftest: every virtio algorithm passed the kernel's testmgr self-tests
# (run at registration) and dmesg has no "alg:" failure line.
# shellcheck source=SCRIPTDIR/../guest/lib.sh
. /lib/vc/lib.sh
C=selftest

ensure_driver
case $? in
1) result $C SKIP "image built without a virtio_crypto driver"; exit 0 ;;
2) result $C FAIL "modprobe virtio_crypto failed"; exit 0 ;;
esac
bad=""
n=0
for d in $(virtio_algs | awk '{ print $2 }'); do
    st=$(crypto_field "$d" selftest)
    n=$((n + 1))
    info $C "$d selftest=$st"
    [ "$st" = passed ] || bad="$bad $d($st)"
done
fails=$(dmesg | grep -E 'alg: .*(fail|error|[Ee]rr )' || true)
if [ "$n" -eq 0 ]; then
    result $C FAIL "no virtio algorithm registered"
elif [ -n "$bad" ]; then
    result $C FAIL "self-test not passed:$bad"
elif [ -n "$fails" ]; then
    echo "$fails" | while read -r l; do info $C "dmesg: $l"; done
    result $C FAIL "dmesg has alg: failure lines"
else
    result $C PASS "$n virtio algorithm(s), all selftest=passed, no alg: failures"
fi
