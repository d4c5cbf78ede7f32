#!/usr/bin/env bash
# Build the small test kernel (tinyconfig + config/test-kernel.config) from the
# pinned linux-source-6.1 into build/test-kernel, and our driver against it
# (build/test-kernel/virtio_crypto.ko).  The kernel is rebuilt only when the
# config fragment or the source version changes.
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/fetch-linux-source.sh"
src=$BUILD/base/linux
out=$BUILD/test-kernel
frag=$TOP/config/test-kernel.config
key=$( (sha256sum "$frag"; cat "$src"/.fetched-*) | sha256sum | cut -c1-16)

if [ ! -f "$out/.built-$key" ]; then
    log "building the test kernel (about 5-6 min on 2 cores)"
    rm -rf "$out"
    mkdir -p "$out"
    make -s -C "$src" O="$out" tinyconfig >/dev/null
    "$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$frag" >/dev/null
    make -s -C "$src" O="$out" olddefconfig >/dev/null
    # Every line of the fragment must have survived olddefconfig.
    while read -r line; do
        case "$line" in ''|'#'*) continue ;; esac
        sym=${line%%=*} val=${line#*=}
        if [ "$val" = n ]; then
            grep -q "^$sym=" "$out/.config" && die "$sym should be off in the test kernel"
        else
            grep -qx "$line" "$out/.config" || die "test kernel config lacks $line"
        fi
    done < "$frag"
    use_ccache
    make -s -C "$src" O="$out" -j"$(nproc)" bzImage modules >"$out/build.log" 2>&1 ||
        { tail -n 30 "$out/build.log"; die "test kernel build failed"; }
    touch "$out/.built-$key"
fi

mkdir -p "$out/driver"
rsync -r --checksum --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
    --exclude '*.mod*' --exclude modules.order --exclude Module.symvers \
    "$TOP/linux/drivers/crypto/virtio/" "$out/driver/src/"
make -s -C "$out" M="$out/driver/src" CONFIG_CRYPTO_DEV_VIRTIO=m modules >&2 ||
    die "driver build against the test kernel failed"
cp "$out/driver/src/virtio_crypto.ko" "$out/virtio_crypto.ko"
log "test kernel: $out/arch/x86/boot/bzImage, driver: $out/virtio_crypto.ko"
