#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The guest test suites as single commands (exit 0 = pass, 1 = fail):
#
#   tests/guest/suite.sh guest                 our QEMU + our driver: probe selftest kat dmcrypt
#                                              openssl ipsec keyctl kcapidgst stats speed unbind
#                                              pm stateless slreload, loadunload x20, no SKIP
#                                              allowed; then two short boots where the device
#                                              offers less (cipher/aead-stateless=off;
#                                              revision-1=off): probe selftest stateless
#   tests/guest/suite.sh guest-faults          our QEMU misbehaving on purpose (x-fault=bad-status
#                                              with control faults, used-len-big, used-len-zero,
#                                              drop): four boots of the fault case; the drop boot
#                                              (device resets with a request in flight) runs on
#                                              the test kernel inside a kmemleak window
#   tests/guest/suite.sh guest-extra           test kernel (extra self-tests, kmemleak) + our QEMU + our
#                                              driver: probe selftest kat slreload (the fuzz compare
#                                              again with stateless=2) loadunload kmemleak (which
#                                              also unbinds/binds; 2 reloads each: every registration
#                                              runs the fuzz self-tests, 15-50 s under TCG; the guest
#                                              suite does the 20 reloads), then unbind under AF_ALG load and
#                                              suspend/resume (pm) inside a kmemleak window
#                                              (leakbegin .. leakend), no SKIP
#   tests/guest/suite.sh interop-stock-qemu    Debian's QEMU + our driver: cbc(aes) passes (KATs,
#                                              OpenSSL afalg, IPsec), rsa (keyctl) SKIPs as
#                                              "advertised but broken" (no raw RSA there), the
#                                              other modes and dm-crypt SKIP as "not advertised"
#                                              (SHA1: "advertised but broken", a Debian QEMU lie)
#   tests/guest/suite.sh interop-stock-driver  our QEMU + Debian's driver: its cbc(aes) passes
#                                              testmgr and the KATs, the modes it lacks SKIP
#
# Extra arguments are passed to run-guest.sh (e.g. --keep-log FILE).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Every kat result other than kat-cbc (the one mode both stock parts have).
KAT_OTHERS="ecb ctr xts des3-ecb des3-cbc sha1 sha224 sha256 sha384 sha512 sha3-224 sha3-256
sha3-384 sha3-512 hmac-sha1 hmac-sha224 hmac-sha256 hmac-sha384 hmac-sha512 gcm chacha20poly1305
cmac rfc4106 authenc-sha1 authenc-sha256 ecdsa-p256 ecdsa-p384"
kat_expect() {
    local m out=
    for m in $KAT_OTHERS; do out="$out kat-$m=$1"; done
    echo "$out"
}
suite=${1:-}
[ $# -gt 0 ] && shift
case $suite in
guest)
    rc=0
    bash "$HERE/run-guest.sh" --qemu ours --driver ours \
        --tests "probe selftest kat dmcrypt openssl ipsec keyctl kcapidgst stats speed unbind pm stateless slreload loadunload" \
        --append "vcloops=20 vcunbind=3" --strict "$@" || rc=1
    # The driver's fallbacks when the device offers less: sessions for
    # CIPHER and AEAD only; the legacy layout and sessions for everything.
    for dev in "cipher-stateless=off,aead-stateless=off" "revision-1=off"; do
        echo "suite guest: -device virtio-crypto-pci,...,$dev"
        bash "$HERE/run-guest.sh" --qemu ours --driver ours --tests "probe selftest stateless" \
            --device-args "$dev" --strict "$@" || rc=1
    done
    exit $rc ;;
guest-faults)
    # cryptomgr.notests=1: the faults hit the fault case's workload, not the
    # registration self-tests (a failed self-test is a testmgr WARNING).
    # Every 97th completion: about 25 of the 2384 AES-CBC KAT operations;
    # drop: every 600th, each costs a 2 s watchdog reset.
    rc=0
    for f in "bad-status,x-fault-every=97,x-fault-ctrl=on:vcfaultctrl=on" "used-len-big,x-fault-every=97:" \
             "used-len-zero,x-fault-every=97:" "drop,x-fault-every=600:vctimeout=2000"; do
        kind=${f%%,*} dev=${f%%:*} app=${f#*:}
        echo "suite guest-faults: x-fault=$dev"
        # drop: the watchdog resets the device with the request in flight;
        # on the test kernel, inside a kmemleak window (no leak allowed)
        kern=debian tests=fault
        [ "$kind" = drop ] && kern=test tests="leakbegin fault leakend"
        bash "$HERE/run-guest.sh" --kernel $kern --qemu ours --driver ours --tests "$tests" --strict --timeout 300 \
            --device-args "x-fault=$dev" --append "vcfault=$kind cryptomgr.notests=1 $app" "$@" || rc=1
    done
    exit $rc ;;
guest-extra)
    exec bash "$HERE/run-guest.sh" --kernel test --qemu ours --driver ours --timeout 1200 \
        --tests "probe selftest kat slreload loadunload kmemleak leakbegin unbind pm leakend" \
        --append "vcloops=2 vcunbind=1" --strict "$@" ;;
interop-stock-qemu)
    exec bash "$HERE/run-guest.sh" --qemu stock --driver ours \
        --tests "probe selftest kat dmcrypt openssl ipsec keyctl" --strict \
        --expect "probe=PASS selftest=PASS openssl=PASS ipsec=PASS ipsec-gcm=SKIP:not_advertised keyctl=SKIP:advertised_but_broken kat-cbc=PASS dmcrypt=SKIP:not_advertised $(kat_expect SKIP:not_advertised) kat-sha1=SKIP:advertised_but_broken" "$@" ;;
interop-stock-driver)
    exec bash "$HERE/run-guest.sh" --qemu ours --driver stock \
        --tests "probe selftest kat" --strict \
        --expect "probe=PASS selftest=PASS kat-cbc=PASS $(kat_expect SKIP:not_implemented)" "$@" ;;
*)
    sed -n '4,31p' "$0" >&2
    exit 2 ;;
esac
