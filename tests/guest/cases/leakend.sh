#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# leakend: closes the kmemleak window opened by leakbegin.  Waits out
# kmemleak's minimum object age, scans twice and fails on any
# unreferenced object allocated since leakbegin (the first reports are
# printed as INFO lines).  Fails if no window is open, so a case list
# without leakbegin cannot pass by accident.
# shellcheck source=SCRIPTDIR/../guest/lib.sh
. /lib/vc/lib.sh
C=leakend
K=/sys/kernel/debug/kmemleak

if [ ! -e $K ]; then
    result $C SKIP "kernel built without kmemleak (use --kernel test)"
    exit 0
fi
if [ ! -s /tmp/leak.window ]; then
    result $C FAIL "no kmemleak window: run leakbegin first"
    exit 0
fi
since=$(( $(date +%s) - $(cat /tmp/leak.window) ))
rm -f /tmp/leak.window
if ! kmemleak_check $C; then
    result $C FAIL "kmemleak scan failed"
    exit 0
fi
if [ "$leak_n" -gt 0 ]; then
    result $C FAIL "$leak_n unreferenced object(s) allocated in the ${since} s window"
else
    result $C PASS "no unreferenced object allocated in the ${since} s window"
fi
