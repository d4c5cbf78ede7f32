#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# kat: AF_ALG known-answer tests, by driver name, for every AES mode and
# for 3DES ECB/CBC.  One result per mode: kat-ecb, kat-cbc, kat-ctr,
# kat-xts (AES), kat-des3-ecb, kat-des3-cbc.
#   PASS  the virtio driver for the mode matched every vector and the
#         device's interrupt count went up;
#   FAIL  any mismatch or error, or the device advertises the mode but no
#         virtio driver registered it;
#   SKIP  the device does not advertise the mode (and nothing registered it).
# shellcheck source=SCRIPTDIR/../guest/lib.sh
. /lib/vc/lib.sh
C=kat

ensure_driver
case $? in
1) result $C SKIP "image built without a virtio_crypto driver"; exit 0 ;;
2) result $C FAIL "modprobe virtio_crypto failed"; exit 0 ;;
esac
modprobe algif_skcipher || info $C "modprobe algif_skcipher failed"

# name:cra_name:vector file:VIRTIO_CRYPTO_CIPHER_* bit number in cipher_algo_l
MODES="ecb:ecb(aes):aes-ecb:2 cbc:cbc(aes):aes-cbc:3 ctr:ctr(aes):aes-ctr:4 xts:xts(aes):aes-xts:13
des3-ecb:ecb(des3_ede):des3-ecb:7 des3-cbc:cbc(des3_ede):des3-cbc:8"
for m in $MODES; do
    IFS=: read -r name cra file bit <<EOT
$m
EOT
    R="$C-$name"
    what=$(echo "$name" | sed 's/^des3-/3DES-/; s/^\([a-z]*\)$/AES-\1/' | tr '[:lower:]' '[:upper:]')
    drv=$(virtio_driver_for "$cra")
    if [ -z "$drv" ] && [ "$(vc_driver)" = stock ] && [ "$cra" != "cbc(aes)" ]; then
        # Debian's in-tree driver implements cbc(aes) only.
        result "$R" SKIP "not implemented by the stock driver: it has no $cra"
        continue
    fi
    vc_config_bit cipher_algo_l "$bit"
    adv=$?  # 0 advertised, 1 not advertised, 2 config unreadable
    if [ -z "$drv" ]; then
        case $adv in
        0) result "$R" FAIL "device advertises $what but no virtio driver registered $cra" ;;
        1) result "$R" SKIP "not advertised: device does not offer $what, no virtio $cra registered" ;;
        *) result "$R" FAIL "no virtio $cra and the device config could not be read" ;;
        esac
        continue
    fi
    [ $adv -eq 1 ] && info "$R" "note: $drv registered although the device does not advertise $what"
    irq0=$(vc_irq_count)
    t0=$(cut -d' ' -f1 /proc/uptime)
    out=$(afalg-kat "$drv" "/vectors/$file.txt" 2>&1)
    rc=$?
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
