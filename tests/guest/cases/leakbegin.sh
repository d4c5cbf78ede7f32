#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# leakbegin: opens a kmemleak window; leakend closes it.  The cases run
# between the two (e.g. "leakbegin unbind pm leakend", or
# "leakbegin fault leakend" on a misbehaving device) are checked for
# leaked memory: leakbegin scans (to settle boot-time objects) and clears
# kmemleak's list, so leakend reports only objects allocated inside the
# window.  Needs CONFIG_DEBUG_KMEMLEAK (the test kernel, --kernel test).
# shellcheck source=SCRIPTDIR/../guest/lib.sh
. /lib/vc/lib.sh
C=leakbegin

grep -q ' /sys/kernel/debug ' /proc/mounts || mount -t debugfs debugfs /sys/kernel/debug
K=/sys/kernel/debug/kmemleak
rm -f /tmp/leak.window
if [ ! -e $K ]; then
    result $C SKIP "kernel built without kmemleak (use --kernel test)"
    exit 0
fi
# A failing write means kmemleak is compiled in but switched off.
if ! echo scan >$K || ! echo clear >$K; then
    result $C FAIL "kmemleak is not active (writes to $K fail)"
    exit 0
fi
date +%s >/tmp/leak.window
result $C PASS "kmemleak cleared; the window is open"
