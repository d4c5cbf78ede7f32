#!/usr/bin/env bash
# Install everything the build and the tests need from Debian 12's archive.
# Adds a deb-src entry (needed for `apt-get source qemu`) if there is none.
# Idempotent and quick when everything is already there.
. "$(dirname "$0")/lib.sh"

packages=(
    # QEMU build
    build-essential dpkg-dev git meson ninja-build pkg-config python3 rsync ccache
    libglib2.0-dev libpixman-1-dev libfdt-dev flex bison libgcrypt20-dev nettle-dev
    # firmware for our QEMU build, and the stock QEMU for interop tests
    seabios ipxe-qemu qemu-system-data qemu-system-x86
    # kernel module build, test kernel, patch export
    linux-source-6.1 bc libelf-dev libssl-dev kmod xz-utils
    # guest image and in-guest clients
    busybox-static cpio cryptsetup-bin kcapi-tools libkcapi-dev keyutils openssl iproute2
    # test vectors
    python3-cryptography-vectors
    # fuzzing
    clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

need_src=1
grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/ && need_src=0

if [ ${#missing[@]} -eq 0 ] && [ $need_src -eq 0 ] && [ -n "$(apt-cache showsrc "$QEMU_SRC_PKG" 2>/dev/null | head -n1)" ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi

if [ $need_src -eq 1 ]; then
    log "adding a deb-src entry: 'apt-get source $QEMU_SRC_PKG' needs one to fetch the pinned QEMU tree"
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        $SUDO sed -i 's/^Types: deb$/Types: deb deb-src/' /etc/apt/sources.list.d/debian.sources
    else
        grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' |
            $SUDO tee /etc/apt/sources.list.d/virtio-crypto-deb-src.list >/dev/null
    fi
fi

log "apt-get update"
$SUDO apt-get update -q >/dev/null
if [ ${#missing[@]} -gt 0 ]; then
    log "installing: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
        "${missing[@]}" >/dev/null
fi
