#!/usr/bin/env bash
# The exported patch series apply with `git am` to fresh copies of the pristine
# base trees, reproduce exactly the overlay we test, and build:
#   qemu   the applied tree builds qemu-system-x86_64, which offers virtio-crypto-pci
#   linux  the applied tree builds drivers/crypto/virtio in-tree (Debian's config)
. "$(dirname "$0")/../../scripts/lib.sh"

side=${1:?usage: test-patches.sh qemu|linux}
"$TOP/scripts/export-patches.sh"
shopt -s nullglob
patches=("$BUILD/patches/$side"/*.patch)
[ ${#patches[@]} -gt 0 ] || die "no $side patches exported"

pt=$BUILD/patchtest
mkdir -p "$pt"
tree=$pt/$side-src
rm -rf "$tree"
git clone -q "$BUILD/base/$side" "$tree"
git -C "$tree" -c user.name=t -c user.email=t@localhost am -q "${patches[@]}" ||
    die "git am failed on the $side series"
log "$side: ${#patches[@]} patches applied with git am"

# The applied tree must carry exactly the committed overlay.
n=0
while read -r f; do
    rel=${f#"$side"/}
    git -C "$TOP" show "HEAD:$f" | cmp -s - "$tree/$rel" ||
        die "$rel differs between the applied series and the overlay"
    n=$((n + 1))
done < <(git -C "$TOP" ls-files "$side/")
log "$side: all $n overlay files match the applied tree"
while read -r s f; do
    [ "$s" = "$side" ] || continue
    [ ! -e "$tree/$f" ] || die "$f should be removed by the series"
done < <(grep -v '^#' "$TOP/config/base-removals.txt")

case "$side" in
qemu)
    bash "$TOP/scripts/build-qemu.sh" --tree "$tree" --out "$pt/qemu-build"
    "$pt/qemu-build/qemu-system-x86_64" -device help | grep -q '"virtio-crypto-pci"' ||
        die "patched QEMU does not offer virtio-crypto-pci"
    ;;
linux)
    "$TOP/scripts/fetch-kernel.sh"
    abi=$(cat "$BUILD/kernel/abi")
    cfg=$BUILD/kernel/root/boot/config-$abi
    kb=$pt/linux-build
    rm -rf "$kb"
    mkdir -p "$kb"
    cp "$cfg" "$kb/.config"
    # Debian's config points at certificates that only its packaging has.
    "$tree/scripts/config" --file "$kb/.config" --set-str SYSTEM_TRUSTED_KEYS "" \
        --set-str SYSTEM_REVOCATION_KEYS "" --disable DEBUG_INFO_BTF \
        --module CRYPTO_DEV_VIRTIO
    make -s -C "$tree" O="$kb" olddefconfig >/dev/null
    grep -q '^CONFIG_CRYPTO_DEV_VIRTIO=m' "$kb/.config" || die "Kconfig lost CRYPTO_DEV_VIRTIO"
    make -s -C "$tree" O="$kb" -j"$(nproc)" modules_prepare >/dev/null 2>&1 ||
        die "modules_prepare failed"
    # modpost resolves the kernel's exports from the matching image's symbol list.
    cp "$BUILD/kernel/headers/Module.symvers" "$kb/Module.symvers"
    out=$(make -s -C "$tree" O="$kb" M=drivers/crypto/virtio modules 2>&1) ||
        { echo "$out"; die "in-tree module build failed"; }
    if echo "$out" | grep -E 'warning|WARNING|error'; then
        die "in-tree module build printed warnings"
    fi
    ko=$kb/drivers/crypto/virtio/virtio_crypto.ko
    [ -f "$ko" ] || die "in-tree build produced no virtio_crypto.ko"
    modinfo "$ko" | grep -q '^alias: *virtio:d00000014v' || die "module lacks the virtio crypto alias"
    ;;
esac
log "$side: patch series applies and builds"
