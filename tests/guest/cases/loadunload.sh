#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# loadunload: N cycles (vcloops=N on the kernel command line, default 5) of
# rmmod + modprobe virtio_crypto; after each load the same virtio
# algorithms are registered with the same self-test states, after each unload
# none is left; no kernel crash lines appear.
# shellcheck source=SCRIPTDIR/../guest/lib.sh
. /lib/vc/lib.sh
C=loadunload

loops=$(cmdline_param vcloops 5)
ensure_driver
case $? in
1) result $C SKIP "image built without a virtio_crypto driver"; exit 0 ;;
2) result $C FAIL "modprobe virtio_crypto failed"; exit 0 ;;
esac
want=$(virtio_algs | awk '{ print $2 }' | tr '\n' ' ' | sed 's/ $//')
# Self-test state of each algorithm after the first load; every reload must
# reproduce it (whether it passed is the selftest case's business).
st_before=$(for d in $want; do echo "$d=$(crypto_field "$d" selftest)"; done | tr '\n' ' ')
crash0=$(dmesg_crash_lines | wc -l)
i=0
while [ "$i" -lt "$loops" ]; do
    i=$((i + 1))
    if ! rmmod virtio_crypto; then
        result $C FAIL "cycle $i: rmmod failed (module busy?)"
        exit 0
    fi
    left=$(virtio_algs)
    if [ -n "$left" ] || driver_loaded; then
        result $C FAIL "cycle $i: after rmmod still registered: $left"
        exit 0
    fi
    if ! modprobe virtio_crypto; then
        result $C FAIL "cycle $i: modprobe failed"
        exit 0
    fi
    got=$(virtio_algs | awk '{ print $2 }' | tr '\n' ' ' | sed 's/ $//')
    if [ "$got" != "$want" ]; then
        result $C FAIL "cycle $i: registered '$got', expected '$want'"
        exit 0
    fi
    st=$(for d in $got; do echo "$d=$(crypto_field "$d" selftest)"; done | tr '\n' ' ')
    if [ "$st" != "$st_before" ]; then
        result $C FAIL "cycle $i: self-test states '$st', first load had '$st_before'"
        exit 0
    fi
done
crash1=$(dmesg_crash_lines | wc -l)
if [ "$crash1" -ne "$crash0" ]; then
    dmesg_crash_lines | tail -n 5 | sed "s/^/INFO $C dmesg: /"
    result $C FAIL "$loops cycles but new crash lines in dmesg"
else
    result $C PASS "$loops unload/load cycles, same algorithms each time ($want), no crash lines"
fi
