#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Host-only checks of the guest harness's verdict logic (no guest is
# booted): run-guest.sh --parse-log on synthetic console logs must accept
# the good ones and reject each kind of bad one.  Exit 0 when every check
# holds.  About 1 s.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0

# check NAME WANT-RC LOG-TEXT RUN-GUEST-ARGS...
check() {
    local name=$1 want=$2 text=$3 rc
    shift 3
    printf '%s' "$text" >"$T/log"
    bash "$HERE/run-guest.sh" --parse-log "$T/log" --quiet "$@" >"$T/out" 2>&1
    rc=$?
    local verdict=PASS
    [ "$want" = 0 ] || verdict=FAIL
    if [ "$rc" = "$want" ] && grep -q "verdict $verdict" "$T/out"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $name: exit $rc, wanted $want and a 'verdict $verdict' line"
        sed 's/^/    /' "$T/out"
    fi
}

OK=$'GUEST-START\nRESULT probe PASS loaded\nINFO probe x\nRESULT kat-ecb PASS n=1\nRESULT kat-cbc SKIP not advertised: no\nDMESG-BEGIN\n[ 1.0] ok\nDMESG-END\nGUEST-DONE uptime=9\n'

check good 0 "$OK" --tests "probe kat"
check good-expect 0 "$OK" --tests "probe kat" --expect "kat-cbc=SKIP:not_advertised"
check skip-not-strict 0 "$OK" --tests "probe kat"
check skip-strict 1 "$OK" --tests "probe kat" --strict
check skip-strict-expected 0 "$OK" --tests "probe kat" --strict --expect "kat-cbc=SKIP"
check expect-status 1 "$OK" --tests "probe kat" --expect "kat-cbc=PASS"
check expect-words 1 "$OK" --tests "probe kat" --expect "kat-cbc=SKIP:not_implemented"
check expect-override 0 "$OK" --tests "probe kat" --expect "kat-cbc=PASS kat-cbc=SKIP:not_advertised"
check expect-missing 1 "$OK" --tests "probe kat" --expect "kat-xts=SKIP"
check missing-case 1 "$OK" --tests "probe kat dmcrypt"
check fail-result 1 "${OK/kat-ecb PASS/kat-ecb FAIL}" --tests "probe kat"
check no-done 1 "${OK/GUEST-DONE uptime=9/}" --tests "probe kat"
check timeout-rc 1 "${OK/GUEST-DONE uptime=9/}" --tests "probe kat" --timeout 5
PARSE_RC=139 check qemu-segv 1 "${OK/GUEST-DONE uptime=9/}" --tests "probe kat"
check oops 1 "${OK/\[ 1.0\] ok/[ 1.0] BUG: kernel NULL pointer dereference}" --tests "probe kat"
check warning 1 "${OK/\[ 1.0\] ok/[ 1.0] WARNING: CPU: 0 PID: 1 at crypto/testmgr.c:5907}" --tests "probe kat"
check panic 1 "${OK/\[ 1.0\] ok/[ 1.0] Kernel panic - not syncing: Fatal exception}" --tests "probe kat"
check call-trace 1 "${OK/\[ 1.0\] ok/[ 1.0] Call Trace:}" --tests "probe kat"
# Words inside RESULT/INFO details are not crash lines.
check detail-words 0 "${OK/INFO probe x/INFO probe dmesg: WARNING: in a detail}" --tests "probe kat"
# Console CR/LF and kernel text interleaved before the RESULT are tolerated.
check crlf-prefix 0 "${OK/RESULT probe PASS loaded/[ 2.0] virtio0: foo RESULT probe PASS loaded}" --tests "probe kat"
check empty 1 "" --tests "probe"

echo "test-harness: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
