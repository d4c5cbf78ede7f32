#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# kat: AF_ALG known-answer tests, by driver name, for every AES mode,
# 3DES ECB/CBC, SHA-1/SHA-2/SHA-3, HMAC-SHA-1/SHA-2, CMAC-AES, AES-GCM,
# RFC 4106 GCM, ChaCha20-Poly1305 and authenc(hmac(sha1|sha256),cbc(aes));
# ECDSA P-256/P-384 verification through keyctl and X.509 (kat-ecdsa-*).
# One result per algorithm: kat-ecb, kat-cbc, kat-ctr, kat-xts (AES), kat-des3-ecb, kat-des3-cbc, kat-sha256, kat-sha3-256,
# kat-hmac-sha256, kat-gcm, kat-chacha20poly1305, kat-cmac, kat-rfc4106,
# kat-authenc-sha1, kat-authenc-sha256, ...
#   PASS  the virtio driver for the mode matched every vector and the
#         device's interrupt count went up;
#   FAIL  any mismatch or error, or the device advertises the mode but no
#         virtio driver registered it;
#   SKIP  the device does not advertise the mode (and nothing registered
#         it), or the stock driver, which has cbc(aes) only, or the device
#         advertises it but failed our driver's probe of it ("advertised
#         but broken": Debian's QEMU and SHA1).
# shellcheck source=SCRIPTDIR/../guest/lib.sh
. /lib/vc/lib.sh
C=kat

ensure_driver
case $? in
1) result $C SKIP "image built without a virtio_crypto driver"; exit 0 ;;
2) result $C FAIL "modprobe virtio_crypto failed"; exit 0 ;;
esac
modprobe algif_skcipher || info $C "modprobe algif_skcipher failed"
modprobe algif_hash || info $C "modprobe algif_hash failed"
modprobe algif_aead || info $C "modprobe algif_aead failed"

# Algorithms added with the driver's MAC/AEAD/chaining work (same format
# as VC_KAT_ALGS in lib.sh). authenc is listed under its HMAC bit: it needs
# AES-CBC, that HMAC and chaining sessions, and the HMAC is what a device
# without chaining (Debian's QEMU) does not advertise.
VC_KAT_ALGS="$VC_KAT_ALGS cmac:cmac(aes):aes-cmac:mac_algo_l:26:CMAC-AES
rfc4106:rfc4106(gcm(aes)):rfc4106-gcm-aes:aead_algo:1:AES-GCM
authenc-sha1:authenc(hmac(sha1),cbc(aes)):authenc-hmac-sha1-cbc-aes:mac_algo_l:2:HMAC-SHA1
authenc-sha256:authenc(hmac(sha256),cbc(aes)):authenc-hmac-sha256-cbc-aes:mac_algo_l:4:HMAC-SHA-256
ecdsa-p256:ecdsa-nist-p256:ecdsa-p256:akcipher_algo:2:ECDSA
ecdsa-p384:ecdsa-nist-p384:ecdsa-p384:akcipher_algo:2:ECDSA"

# Device akcipher requests so far (sum over the driver's data queues).
akcipher_count() {
    cat /sys/bus/virtio/devices/virtio*/stats 2>/dev/null |
        sed -n 's/.* akcipher=\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }'
}

# kat_ecdsa PREFIX: no AF_ALG akcipher in 6.1, so ECDSA is checked through
# the kernel's X.509 parser, which verifies a self-signed certificate's
# signature when keyctl adds it as an "asymmetric" key, with the
# highest-priority ecdsa-nist-pNNN (Debian's kernel has no other).  The
# certificate must be accepted, the copy with a flipped signature byte
# rejected, and the device must have seen the two verifications.
# Returns 3 when the kernel has no asymmetric key type (test kernel).
kat_ecdsa() {
    afalg-kat --unhex "/vectors/$1-cert.txt" >"/tmp/$1.der" || return 2
    afalg-kat --unhex "/vectors/$1-badsig.txt" >"/tmp/$1-bad.der" || return 2
    _a0=$(akcipher_count)
    _good=$(keyctl padd asymmetric "vc-$1" @u <"/tmp/$1.der" 2>&1)
    _rcg=$?
    case $_good in
    *"No such device"*) echo "kernel has no asymmetric key type"; return 3 ;;
    esac
    _bad=$(keyctl padd asymmetric "vc-$1-bad" @u <"/tmp/$1-bad.der" 2>&1)
    _rcb=$?
    _n=$(( $(akcipher_count) - _a0 ))
    [ $_rcg -eq 0 ] && keyctl unlink "$_good" @u >/dev/null 2>&1
    [ $_rcb -eq 0 ] && keyctl unlink "$_bad" @u >/dev/null 2>&1
    echo "certificate: rc=$_rcg ($_good); forged signature: rc=$_rcb ($_bad); device akcipher requests +$_n"
    if [ $_rcg -eq 0 ] && [ $_rcb -ne 0 ] && [ $_n -ge 2 ]; then
        echo "pass=2 fail=0 skip=0"
        return 0
    fi
    echo "pass=0 fail=1 skip=0"
    return 1
}

for m in $VC_KAT_ALGS; do
    IFS=: read -r name cra file field bit what <<EOT
$m
EOT
    R="$C-$name"
    drv=$(virtio_driver_for "$cra")
    if [ -z "$drv" ] && [ "$(vc_driver)" = stock ] && [ "$cra" != "cbc(aes)" ]; then
        # Debian's in-tree driver implements cbc(aes) only.
        result "$R" SKIP "not implemented by the stock driver: it has no $cra"
        continue
    fi
    vc_config_bit "$field" "$bit"
    adv=$?  # 0 advertised, 1 not advertised, 2 config unreadable
    if [ -z "$drv" ]; then
        # Our driver probes each advertised algorithm with a test session
        # and says so when the device fails it (Debian's QEMU advertises
        # SHA1 it cannot do): a SKIP naming the broken advertisement.
        broken=$(dmesg | grep -F "virtio_crypto" | grep -F " $cra: advertised, but" | tail -n 1)
        case $adv in
        0) if [ -n "$broken" ]; then
               result "$R" SKIP "advertised but broken: device advertises $what and fails it (${broken#*] })"
           else
               result "$R" FAIL "device advertises $what but no virtio driver registered $cra"
           fi ;;
        1) result "$R" SKIP "not advertised: device does not offer $what, no virtio $cra registered" ;;
        *) result "$R" FAIL "no virtio $cra and the device config could not be read" ;;
        esac
        continue
    fi
    [ $adv -eq 1 ] && info "$R" "note: $drv registered although the device does not advertise $what"
    irq0=$(vc_irq_count)
    t0=$(cut -d' ' -f1 /proc/uptime)
    case $name in
    ecdsa-*) out=$(kat_ecdsa "$file" 2>&1) ;;
    *) out=$(afalg-kat "$drv" "/vectors/$file.txt" 2>&1) ;;
    esac
    rc=$?
    if [ $rc -eq 3 ]; then
        # no verdict possible here; testmgr (selftest case) covers it
        info "$R" "not run: $(echo "$out" | tail -n 1)"
        continue
    fi
    irqs=$(( $(vc_irq_count) - irq0 ))
    info "$R" "$(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "took %.1f s", b - a }')"
    echo "$out" | sed "s/^/INFO $R /"
    counts=$(echo "$out" | tail -n 1)
    if [ $rc -ne 0 ]; then
        result "$R" FAIL "driver=$drv rc=$rc $counts irqs=$irqs"
    elif [ "$adv" -eq 1 ]; then
        result "$R" FAIL "driver=$drv passes but the device does not advertise $what (dishonest registration)"
    elif [ "$irqs" -le 0 ]; then
        result "$R" FAIL "driver=$drv $counts but no device interrupts: the work did not reach the device"
    else
        result "$R" PASS "driver=$drv $counts device-irqs=$irqs"
    fi
done
# ctr(des3_ede) has no independent vectors here (no CAVP/RFC file): it is
# covered by testmgr (the selftest case) only.
drv=$(virtio_driver_for "ctr(des3_ede)")
[ -z "$drv" ] || info $C "$drv: no independent KAT vectors for ctr(des3_ede); testmgr only"
