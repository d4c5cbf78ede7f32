#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# probe: the chosen virtio_crypto module loads and registers algorithms.
# Also checks that the module is the one the image was built with (ours is
# out of tree: taint O; stock is in tree) and prints the device config.
# shellcheck source=SCRIPTDIR/../guest/lib.sh
. /lib/vc/lib.sh
C=probe

drv=$(vc_driver)
if [ "$drv" = none ]; then
    result $C SKIP "image built without a virtio_crypto driver"
    exit 0
fi
irq0=$(vc_irq_count)
if ! ensure_driver; then
    result $C FAIL "modprobe virtio_crypto failed ($drv driver)"
    exit 0
fi
while read -r l; do info $C "config $l"; done </run/vc-config.txt
taint=$(cat /sys/module/virtio_crypto/taint 2>/dev/null)
info $C "module taint='$taint' srcversion=$(cat /sys/module/virtio_crypto/srcversion 2>/dev/null)"
case "$drv:$taint" in
ours:*O*|stock:|stock:[!O]*) ;;
*)
    result $C FAIL "loaded module does not look like the $drv driver (taint '$taint')"
    exit 0
    ;;
esac
algs=$(virtio_algs)
n=$(echo "$algs" | grep -c .)
echo "$algs" | while read -r name driver; do
    [ -n "$name" ] && info $C "registered $name -> $driver"
done
info $C "device interrupt vectors: $(vc_irq_names)"
info $C "data-queue interrupts during load: $(( $(vc_irq_count) - irq0 ))"
if [ "$n" -eq 0 ]; then
    result $C FAIL "module loaded but no virtio algorithm in /proc/crypto"
else
    result $C PASS "$drv driver loaded, $n virtio algorithm(s): $(echo "$algs" | awk '{ printf "%s%s", s, $2; s = "," }')"
fi
