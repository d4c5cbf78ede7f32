#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# openssl: OpenSSL's afalg engine (binds "cbc(aes)" by cra_name, so it gets
# the highest-priority implementation) encrypts and decrypts 64 KiB with
# AES-128-CBC and AES-256-CBC; the results must equal OpenSSL's own software
# AES, cbc(aes) must be served by the virtio driver, and the device's
# interrupt count must rise.
# shellcheck source=SCRIPTDIR/../guest/lib.sh
. /lib/vc/lib.sh
C=openssl

ensure_driver
case $? in
1) result $C SKIP "image built without a virtio_crypto driver"; exit 0 ;;
2) result $C FAIL "modprobe virtio_crypto failed"; exit 0 ;;
esac
drv=$(virtio_driver_for "cbc(aes)")
if [ -z "$drv" ]; then
    result $C SKIP "not advertised: no virtio cbc(aes) registered"
    exit 0
fi
modprobe algif_skcipher 2>/dev/null
if ! openssl engine -t afalg 2>&1 | grep -q available; then
    openssl engine -t afalg 2>&1 | head -n 3 | sed "s/^/INFO $C /"
    result $C FAIL "OpenSSL afalg engine not available"
    exit 0
fi
# The implementation AF_ALG picks for "cbc(aes)" by name: the highest
# priority one.  It must be ours for this test to mean anything.
best=$(awk -F': ' '/^name/ { n = $2 } /^driver/ { d = $2 } /^priority/ { if (n ~ /^cbc\(aes\) *$/ && $2 + 0 > p) { p = $2 + 0; b = d } } END { print b }' /proc/crypto)
if [ "$best" != "$drv" ]; then
    result $C FAIL "cbc(aes) by name resolves to $best, not $drv"
    exit 0
fi
head -c 65536 /dev/urandom >/tmp/os.p
iv=000102030405060708090a0b0c0d0e0f
irqs=0
for bits in 128 256; do
    key=$(head -c $((bits / 8)) /dev/urandom | hexdump -v -e '/1 "%02x"')
    openssl enc -aes-$bits-cbc -nopad -K "$key" -iv $iv -in /tmp/os.p -out /tmp/os.sw 2>/dev/null
    irq0=$(vc_irq_count)
    openssl enc -engine afalg -aes-$bits-cbc -nopad -K "$key" -iv $iv -in /tmp/os.p -out /tmp/os.hw 2>/dev/null
    openssl enc -d -engine afalg -aes-$bits-cbc -nopad -K "$key" -iv $iv -in /tmp/os.sw -out /tmp/os.back 2>/dev/null
    d=$(( $(vc_irq_count) - irq0 ))
    irqs=$((irqs + d))
    if ! cmp -s /tmp/os.sw /tmp/os.hw; then
        result $C FAIL "AES-$bits-CBC via afalg differs from OpenSSL software"
        exit 0
    fi
    if ! cmp -s /tmp/os.p /tmp/os.back; then
        result $C FAIL "AES-$bits-CBC decrypt via afalg does not give the plaintext back"
        exit 0
    fi
    if [ "$d" -le 0 ]; then
        result $C FAIL "AES-$bits-CBC via afalg matched but no device interrupts"
        exit 0
    fi
done
rm -f /tmp/os.p /tmp/os.sw /tmp/os.hw /tmp/os.back
result $C PASS "afalg engine on $drv: AES-128/256-CBC 64 KiB enc+dec == OpenSSL software, device-irqs=$irqs"
