#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The guest test suites as single commands (exit 0 = pass, 1 = fail):
#
#   tests/guest/suite.sh guest                 our QEMU + our driver: probe selftest kat dmcrypt
#                                              openssl ipsec loadunload, no SKIP allowed
#   tests/guest/suite.sh guest-extra           test kernel (extra self-tests, kmemleak) + our QEMU + our
#                                              driver: probe selftest kat loadunload kmemleak, no SKIP
#   tests/guest/suite.sh interop-stock-qemu    Debian's QEMU + our driver: cbc(aes) passes (KATs,
#                                              OpenSSL afalg, IPsec), the
#                                              other modes and dm-crypt SKIP as "not advertised"
#   tests/guest/suite.sh interop-stock-driver  our QEMU + Debian's driver: its cbc(aes) passes
#                                              testmgr and the KATs, the modes it lacks SKIP
#
# Extra arguments are passed to run-guest.sh (e.g. --keep-log FILE).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
suite=${1:-}
[ $# -gt 0 ] && shift
case $suite in
guest)
    exec bash "$HERE/run-guest.sh" --qemu ours --driver ours \
        --tests "probe selftest kat dmcrypt openssl ipsec loadunload" --strict "$@" ;;
guest-extra)
    exec bash "$HERE/run-guest.sh" --kernel test --qemu ours --driver ours \
        --tests "probe selftest kat loadunload kmemleak" --strict "$@" ;;
interop-stock-qemu)
    exec bash "$HERE/run-guest.sh" --qemu stock --driver ours \
        --tests "probe selftest kat dmcrypt openssl ipsec" --strict \
        --expect "probe=PASS selftest=PASS openssl=PASS ipsec=PASS kat-cbc=PASS kat-ecb=SKIP:not_advertised kat-ctr=SKIP:not_advertised kat-xts=SKIP:not_advertised kat-des3-ecb=SKIP:not_advertised kat-des3-cbc=SKIP:not_advertised dmcrypt=SKIP:not_advertised" "$@" ;;
interop-stock-driver)
    exec bash "$HERE/run-guest.sh" --qemu ours --driver stock \
        --tests "probe selftest kat" --strict \
        --expect "probe=PASS selftest=PASS kat-cbc=PASS kat-ecb=SKIP:not_implemented kat-ctr=SKIP:not_implemented kat-xts=SKIP:not_implemented kat-des3-ecb=SKIP:not_implemented kat-des3-cbc=SKIP:not_implemented" "$@" ;;
*)
    sed -n '4,16p' "$0" >&2
    exit 2 ;;
esac
