#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# kat: AF_ALG known-answer tests, by driver name, for every AES mode.
# One result per mode: kat-ecb, kat-cbc, kat-ctr, kat-xts.
#   PASS  the virtio driver for MODE(aes) matched every vector;
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

# VIRTIO_CRYPTO_CIPHER_AES_* bit numbers in cipher_algo_l.
for m in ecb:2 cbc:3 ctr:4 xts:13; do
    mode=${m%:*} bit=${m#*:}
    MODE=$(echo "$mode" | tr '[:lower:]' '[:upper:]')
    drv=$(virtio_driver_for "$mode(aes)")
    if [ -z "$drv" ] && [ "$(vc_driver)" = stock ] && [ "$mode" != cbc ]; then
        # Debian's in-tree driver implements cbc(aes) only.
        result "$C-$mode" SKIP "not implemented by the stock driver: it has no $mode(aes)"
        continue
    fi
    vc_config_bit cipher_algo_l "$bit"
    adv=$?  # 0 advertised, 1 not advertised, 2 config unreadable
    if [ -z "$drv" ]; then
        case $adv in
        0) result "$C-$mode" FAIL "device advertises AES-${MODE} but no virtio driver registered $mode(aes)" ;;
        1) result "$C-$mode" SKIP "not advertised: device does not offer AES-${MODE}, no virtio $mode(aes) registered" ;;
        *) result "$C-$mode" FAIL "no virtio $mode(aes) and the device config could not be read" ;;
        esac
        continue
    fi
    [ $adv -eq 1 ] && info "$C-$mode" "note: $drv registered although the device does not advertise AES-$MODE"
    irq0=$(vc_irq_count)
    out=$(afalg-kat "$drv" "/vectors/aes-$mode.txt" 2>&1)
    rc=$?
    irqs=$(( $(vc_irq_count) - irq0 ))
    echo "$out" | sed "s/^/INFO $C-$mode /"
    counts=$(echo "$out" | tail -n 1)
    if [ $rc -ne 0 ]; then
        result "$C-$mode" FAIL "driver=$drv rc=$rc $counts irqs=$irqs"
    elif [ "$adv" -eq 1 ]; then
        result "$C-$mode" FAIL "driver=$drv passes but the device does not advertise AES-$MODE (dishonest registration)"
    elif [ "$irqs" -le 0 ]; then
        result "$C-$mode" FAIL "driver=$drv $counts but no device interrupts: the work did not reach the device"
    else
        result "$C-$mode" PASS "driver=$drv $counts device-irqs=$irqs"
    fi
done
