#!/usr/bin/env bash
# Build linux/drivers/crypto/virtio as build/virtio_crypto.ko against the guest
# kernel's headers.  The sources are mirrored to build/driver so that the
# source tree stays free of build products.
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/fetch-kernel.sh"
out=$BUILD/driver
mkdir -p "$out"
rsync -r --checksum --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
    --exclude '*.mod*' --exclude modules.order --exclude Module.symvers \
    "$TOP/linux/drivers/crypto/virtio/" "$out/src/"
make -s -C "$BUILD/kernel/headers" M="$out/src" modules 2>&1 |
    grep -v 'Skipping BTF generation' >&2 || true
[ -f "$out/src/virtio_crypto.ko" ] || die "module build failed"
cp "$out/src/virtio_crypto.ko" "$BUILD/virtio_crypto.ko"
log "built $BUILD/virtio_crypto.ko"
