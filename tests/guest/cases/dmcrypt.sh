#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# dmcrypt: dm-crypt aes-xts-plain64 (512-bit key) on a brd RAM disk must run
# on the virtio driver.  Checks, each of which fails the case:
#   1. data written through the mapping reads back identical (O_DIRECT);
#   2. the ciphertext on the RAM disk equals an independent software
#      reference (OpenSSL's AES-XTS in xts-ref, plain64 IVs), every sector;
#   3. the virtio xts(aes) driver's /proc/crypto refcnt went up while the
#      mapping was open (dm-crypt chose it, not a software fallback);
#   4. the crypto device's interrupt count went up during the I/O.
# Size: vcdmsize=MiB on the kernel command line (default 2).
# shellcheck source=SCRIPTDIR/../guest/lib.sh
. /lib/vc/lib.sh
C=dmcrypt

ensure_driver
case $? in
1) result $C SKIP "image built without a virtio_crypto driver"; exit 0 ;;
2) result $C FAIL "modprobe virtio_crypto failed"; exit 0 ;;
esac
drv=$(virtio_driver_for "xts(aes)")
# Harness self-check only: vcdmdrv=xts(aes-generic) runs the same steps on
# a software driver (the interrupt check then fails, as it must).
override=$(cmdline_param vcdmdrv "")
if [ -n "$override" ]; then
    modprobe xts
    drv=$override
    info $C "vcdmdrv override: checking against $drv"
fi
if [ -z "$drv" ]; then
    vc_config_bit cipher_algo_l 13
    case $? in
    1) result $C SKIP "not advertised: device does not offer AES-XTS, no virtio xts(aes) registered" ;;
    *) result $C FAIL "no virtio xts(aes) registered (device advertises AES-XTS or config unreadable)" ;;
    esac
    exit 0
fi

mib=$(cmdline_param vcdmsize 2)
if ! modprobe brd rd_nr=1 rd_size=$((mib * 1024)) || ! modprobe dm_crypt; then
    result $C FAIL "cannot load brd/dm_crypt"
    exit 0
fi
head -c 64 /dev/urandom >/tmp/dm.key
head -c $((mib * 1024 * 1024)) /dev/urandom >/tmp/dm.plain

fail() {
    result $C FAIL "$*"
    DM_DISABLE_UDEV=1 cryptsetup close vc-dm 2>/dev/null
    exit 0
}

ref0=$(crypto_field "$drv" refcnt)
DM_DISABLE_UDEV=1 cryptsetup open --type plain --cipher aes-xts-plain64 \
    --key-size 512 --key-file /tmp/dm.key --disable-locks /dev/ram0 vc-dm ||
    fail "cryptsetup open failed"
ref1=$(crypto_field "$drv" refcnt)
awk -F': ' '/^name/ { n = $2 } /^driver/ { d = $2 } /^refcnt/ { if (n ~ /^xts\(aes\)/) print d, "refcnt", $2 }' /proc/crypto |
    sed "s/^/INFO $C xts(aes) implementation while open: /"
info $C "table: $(dmsetup table vc-dm 2>/dev/null | sed 's/ [0-9a-f]\{64,\} / <key> /')"
info $C "$drv refcnt before open=$ref0 while open=$ref1"

irq0=$(vc_irq_count)
dd if=/tmp/dm.plain of=/dev/mapper/vc-dm bs=64k oflag=direct conv=fsync 2>/dev/null ||
    fail "write to the mapping failed"
dd if=/dev/mapper/vc-dm of=/tmp/dm.back bs=64k iflag=direct 2>/dev/null ||
    fail "read from the mapping failed"
irq1=$(vc_irq_count)
info $C "device interrupts before I/O=$irq0 after=$irq1 (delta $((irq1 - irq0)))"

DM_DISABLE_UDEV=1 cryptsetup close vc-dm || fail "cryptsetup close failed"
ref2=$(crypto_field "$drv" refcnt)
info $C "$drv refcnt after close=$ref2"

dd if=/dev/ram0 of=/tmp/dm.raw bs=64k iflag=direct 2>/dev/null || fail "read of /dev/ram0 failed"
xts-ref /tmp/dm.key 0 </tmp/dm.plain >/tmp/dm.ref || fail "xts-ref failed"
nsec=$((mib * 2048))

if ! cmp -s /tmp/dm.plain /tmp/dm.back; then
    fail "data read back through the mapping differs from what was written"
elif cmp -s /tmp/dm.plain /tmp/dm.raw; then
    fail "RAM disk holds plaintext"
elif ! cmp -s /tmp/dm.raw /tmp/dm.ref; then
    fail "on-disk ciphertext differs from the OpenSSL AES-XTS reference ($(cmp /tmp/dm.raw /tmp/dm.ref 2>&1 | head -n 1))"
elif [ -z "$ref0" ] || [ -z "$ref1" ] || [ "$ref1" -le "$ref0" ]; then
    fail "$drv refcnt did not go up while the mapping was open ($ref0 -> $ref1): dm-crypt used another implementation"
elif [ "$ref2" != "$ref0" ]; then
    fail "$drv refcnt not back to $ref0 after close (now $ref2)"
elif [ $((irq1 - irq0)) -le 0 ]; then
    fail "no device interrupts during the I/O: the work did not reach the device"
else
    result $C PASS "$nsec sectors written+read via $drv, ciphertext == OpenSSL reference, refcnt $ref0->$ref1->$ref2, device-irqs +$((irq1 - irq0))"
fi
rm -f /tmp/dm.key /tmp/dm.plain /tmp/dm.back /tmp/dm.raw /tmp/dm.ref
