#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# /init of the test initramfs: mount the basics, run the cases named by
# vctests=a,b,c on the kernel command line, dump dmesg, print GUEST-DONE
# and reboot (QEMU runs with -no-reboot, so it exits).
export PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mkdir -p /dev/pts /run && mount -t devpts devpts /dev/pts
# shellcheck source=SCRIPTDIR/lib.sh
. /lib/vc/lib.sh

uptime_s() { cut -d' ' -f1 /proc/uptime; }

echo "GUEST-START uptime=$(uptime_s) kernel=$(uname -r) driver=$(vc_driver)"
# The device config straight from the PCI BAR, before any driver claims
# the BAR (afterwards the kernel refuses user mappings of it).
vc-config >/run/vc-config.txt 2>&1 || echo "INFO init vc-config: $(cat /run/vc-config.txt)"
# The transport first: virtio_ring, virtio, virtio_pci_*_dev, virtio_pci.
# (built into the test kernel: nothing to load there)
if [ ! -d /sys/module/virtio_pci ]; then
    modprobe virtio_pci || echo "INFO init modprobe virtio_pci failed"
fi

tests=$(cmdline_param vctests probe)
for c in $(echo "$tests" | tr ',' ' '); do
    t0=$(uptime_s)
    if [ "$c" = shell ]; then
        setsid cttyhack sh
    elif [ -f "/cases/$c.sh" ]; then
        sh "/cases/$c.sh"
    else
        result "$c" FAIL "no such case in the image"
    fi
    info timing "$c $(awk -v a="$t0" -v b="$(uptime_s)" 'BEGIN { printf "%.1f s", b - a }')"
done

echo "DMESG-BEGIN"
dmesg
echo "DMESG-END"
echo "GUEST-DONE uptime=$(uptime_s)"
sync
reboot -f
