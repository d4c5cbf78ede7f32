#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build the guest test initramfs for one virtio_crypto driver choice.
#
#   tests/guest/mkinitramfs.sh [--driver ours|stock|none|PATH.ko]
#       [--kernel debian|test] [--force]
#
# Prints the path of the (cached) image on stdout:
#   build/guest/initramfs-<ours|stock|none|custom-HASH>[-test].cpio.gz
# --kernel debian (default): Debian's guest kernel (build/kernel), its
# module subset.  --kernel test: the small test kernel with the extra
# self-tests (scripts/build-test-kernel.sh: build/test-kernel), where almost
# everything is built in; "ours" is then build/test-kernel/virtio_crypto.ko.
# The image is rebuilt only when the sha256 over every input (scripts,
# cases, test programs, vectors, modules, the driver, host binaries and
# their libraries) changes.
#
# Contents: busybox-static with every applet linked, the guest kernel's
# module subset (+ the chosen virtio_crypto.ko) depmod'ed, host binaries
# with their ldd libraries (cryptsetup, dmsetup, kcapi-enc, kcapi-dgst,
# keyctl, openssl + afalg engine, iproute2 ip), the static test programs
# from tests/guest/progs, the converted vectors and the case scripts.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../../scripts/lib.sh
. "$HERE/../../scripts/lib.sh"

DRIVER=ours
KERNEL=debian
FORCE=0
while [ $# -gt 0 ]; do
    case $1 in
    --driver) DRIVER=$2; shift 2 ;;
    --kernel) KERNEL=$2; shift 2 ;;
    --force) FORCE=1; shift ;;
    -h|--help) sed -n '4,22p' "$0"; exit 0 ;;
    *) die "unknown argument $1" ;;
    esac
done

OUT=$BUILD/guest
mkdir -p "$OUT"
case $KERNEL in
debian)
    [ -f "$BUILD/kernel/abi" ] || die "no guest kernel in build/kernel (run scripts/fetch-kernel.sh)"
    ABI=$(cat "$BUILD/kernel/abi")
    MODSRC=$BUILD/kernel/root/lib/modules/$ABI
    [ -d "$MODSRC/kernel" ] || die "no modules under $MODSRC"
    STOCK_KO=$MODSRC/kernel/drivers/crypto/virtio/virtio_crypto.ko
    OURS_KO=$BUILD/virtio_crypto.ko
    SUFFIX=
    ;;
test)
    TK=$BUILD/test-kernel
    if [ ! -f "$TK/include/config/kernel.release" ] || [ ! -f "$TK/arch/x86/boot/bzImage" ]; then
        die "no test kernel in $TK (bash scripts/build-test-kernel.sh)"
    fi
    ABI=$(cat "$TK/include/config/kernel.release")
    MODSRC=
    STOCK_KO=
    OURS_KO=$TK/virtio_crypto.ko
    SUFFIX=-test
    ;;
*) die "unknown kernel $KERNEL (debian|test)" ;;
esac

case $DRIVER in
ours) KO=$OURS_KO; TAG=ours$SUFFIX
      [ -f "$KO" ] || die "$KO missing: build the driver first (make driver, or scripts/build-test-kernel.sh for the test kernel)" ;;
stock) [ -n "$STOCK_KO" ] || die "there is no stock driver built for the test kernel"
       KO=$STOCK_KO; TAG=stock$SUFFIX ;;
none) KO=; TAG=none$SUFFIX ;;
*) KO=$(realpath "$DRIVER"); [ -f "$KO" ] || die "no such module $DRIVER"
   TAG=custom-$(sha256sum "$KO" | cut -c1-12)$SUFFIX ;;
esac

# One builder at a time: the programs and vectors are shared by all images.
exec 9>"$OUT/.lock"
flock 9

# --- static test programs (cached by source hash) ------------------------
PROGS=$OUT/progs
mkdir -p "$PROGS"
build_prog() {
    local name=$1; shift
    local src=$HERE/progs/$name.c stamp sum
    sum=$(cat "$src" "$0" | sha256sum | cut -c1-64)
    stamp=$PROGS/.$name.sha
    if [ -x "$PROGS/$name" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ]; then
        return
    fi
    log "building $name"
    gcc -O2 -Wall -Wextra -static -o "$PROGS/$name.tmp" "$src" "$@" 2>"$PROGS/$name.log" ||
        { cat "$PROGS/$name.log" >&2; die "building $name failed"; }
    mv "$PROGS/$name.tmp" "$PROGS/$name"
    echo "$sum" >"$stamp"
}
build_prog afalg-kat
build_prog vc-config
# OpenSSL's libcrypto, statically: the software reference for dm-crypt.
# (glibc warns about dlopen in a static binary; xts-ref never loads modules.)
build_prog xts-ref -lcrypto -lpthread

# --- vectors (cached by converter + source hash) --------------------------
VEC=$OUT/vectors
CAVP=/usr/lib/python3/dist-packages/cryptography_vectors/ciphers/AES
WYCH=$(cd "$TOP/.." && pwd)/shared/vectors/wycheproof
[ -d "$CAVP" ] || die "missing $CAVP (apt-get install python3-cryptography-vectors)"
[ -f "$WYCH/aes_xts_test.json" ] || die "missing $WYCH/aes_xts_test.json"
vsum=$( (cat "$HERE/vectors/convert.py"; find "$CAVP"/{ECB,CBC,CTR,XTS} "$CAVP"/../3DES/{ECB,CBC} "$CAVP"/../../hashes/{SHA1,SHA2,SHA3} "$CAVP"/../../HMAC -type f -print0 | sort -z | xargs -0 cat;
         cat "$WYCH/aes_xts_test.json" "$WYCH/aes_cbc_pkcs5_test.json" "$WYCH"/hmac_sha{1,224,256,384,512}_test.json "$WYCH"/aes_gcm_test.json "$WYCH"/chacha20_poly1305_test.json) | sha256sum | cut -c1-64)
if [ "$(cat "$VEC/.sha" 2>/dev/null)" != "$vsum" ]; then
    log "converting vectors"
    mkdir -p "$VEC"
    /usr/bin/python3 "$HERE/vectors/convert.py" --cavp "$CAVP" --wycheproof "$WYCH" --out "$VEC"
    echo "$vsum" >"$VEC/.sha"
fi

# --- inputs -----------------------------------------------------------------
HOST_BINS="cryptsetup kcapi-enc kcapi-dgst keyctl openssl ip"
OPTIONAL_BINS="dmsetup"   # only for INFO lines
ENGINE=/usr/lib/x86_64-linux-gnu/engines-3/afalg.so
bin_paths=()
for b in $HOST_BINS $OPTIONAL_BINS; do
    if ! p=$(PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v "$b"); then
        case " $OPTIONAL_BINS " in
        *" $b "*) log "note: $b not installed, leaving it out"; continue ;;
        esac
        die "host binary $b missing (see scripts/deps.sh)"
    fi
    bin_paths+=("$(realpath "$p")")
done
[ -f "$ENGINE" ] || die "missing $ENGINE (libssl3)"
lib_paths() {
    # Every shared object ldd names, the dynamic loader included.
    ldd "$@" 2>/dev/null | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p' | sort -u
}
mapfile -t libs < <(lib_paths "${bin_paths[@]}" "$ENGINE")

# Kernel modules: the directories and files named in the guest-clients
# recipe, then the dependency closure, then the chosen driver.
MOD_DIRS="kernel/crypto kernel/arch/x86/crypto kernel/lib/crypto kernel/drivers/virtio kernel/net/xfrm kernel/net/key"
MOD_FILES="kernel/drivers/block/brd.ko kernel/drivers/md/dm-mod.ko kernel/drivers/md/dm-crypt.ko
           kernel/net/ipv4/esp4.ko kernel/net/ipv4/ah4.ko kernel/drivers/net/veth.ko"

isum=$( (echo "abi=$ABI tag=$TAG"
         cat "$0" "$HERE"/guest/*.sh "$HERE"/cases/*.sh
         sha256sum "$PROGS"/afalg-kat "$PROGS"/vc-config "$PROGS"/xts-ref "$VEC"/*.txt
         [ -z "$KO" ] || sha256sum "$KO"
         sha256sum /bin/busybox "${bin_paths[@]}" "$ENGINE" "${libs[@]}" /etc/ssl/openssl.cnf
         if [ -n "$MODSRC" ]; then
             (cd "$MODSRC" && find kernel -name '*.ko' -printf '%p %s %T@\n' | sort)
         else
             sha256sum "$TK/arch/x86/boot/bzImage" "$TK"/crypto/*.ko 2>/dev/null
         fi) | sha256sum | cut -c1-64)
install_debian_modules() {
    cp "$MODSRC"/modules.order "$MODSRC"/modules.builtin "$MODSRC"/modules.builtin.modinfo "$MODDST/"
    (cd "$MODSRC" && for d in $MOD_DIRS; do find "$d" -name '*.ko'; done; for f in $MOD_FILES; do echo "$f"; done) |
        while read -r m; do install -D -m 644 "$MODSRC/$m" "$MODDST/$m"; done
    rm -rf "$MODDST/kernel/drivers/crypto/virtio"
    if [ -n "$KO" ]; then
        install -D -m 644 "$KO" "$MODDST/kernel/drivers/crypto/virtio/virtio_crypto.ko"
    fi
    # Dependency closure over the whole module tree of the guest kernel.
    local -A modpath
    local p n ko deps d added
    while read -r p; do
        n=$(basename "$p" .ko); modpath[${n//-/_}]=$p
    done < <(cd "$MODSRC" && find kernel -name '*.ko')
    for _ in 1 2 3 4 5 6; do
        added=0
        while read -r ko; do
            deps=$(/sbin/modinfo -F depends "$ko" 2>/dev/null || true)
            for d in ${deps//,/ }; do
                p=${modpath[${d//-/_}]:-}
                [ -n "$p" ] || die "module dependency $d of $ko not found"
                if [ ! -e "$MODDST/$p" ]; then
                    install -D -m 644 "$MODSRC/$p" "$MODDST/$p"; added=1
                fi
            done
        done < <(find "$MODDST" -name '*.ko')
        [ $added = 1 ] || break
    done
}

IMG=$OUT/initramfs-$TAG.cpio.gz
if [ "$FORCE" = 0 ] && [ -f "$IMG" ] && [ "$(cat "$IMG.sha" 2>/dev/null)" = "$isum" ]; then
    echo "$IMG"
    exit 0
fi

log "building $IMG"
ROOT=$OUT/root-$TAG
rm -rf "$ROOT"
mkdir -p "$ROOT"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,lib/vc,proc,sys,dev,tmp,run,etc/ssl,cases,vectors}

# busybox: every applet except "busybox" itself (a self-link would replace
# the binary with a symlink loop); sbin/modprobe for request_module().
cp /bin/busybox "$ROOT/bin/busybox"
for a in $(/bin/busybox --list); do
    [ "$a" = busybox ] || ln -sf busybox "$ROOT/bin/$a"
done
ln -sf ../bin/busybox "$ROOT/sbin/modprobe"

install -m 755 "$HERE/guest/init.sh" "$ROOT/init"
install -m 644 "$HERE/guest/lib.sh" "$ROOT/lib/vc/lib.sh"
install -m 755 "$HERE"/cases/*.sh "$ROOT/cases/"
install -m 755 "$PROGS"/afalg-kat "$PROGS"/vc-config "$PROGS"/xts-ref "$ROOT/usr/local/bin/"
install -m 644 "$VEC"/*.txt "$ROOT/vectors/"

# Usr-merged layout like the host: everything under /usr, with /lib64 and
# /lib/x86_64-linux-gnu as symlinks (/lib itself holds the modules).
for p in "${bin_paths[@]}" "$ENGINE" "${libs[@]}"; do
    q=${p#/usr}
    install -D -m 755 "$p" "$ROOT/usr$q"
done
ln -s usr/lib64 "$ROOT/lib64"
ln -s ../usr/lib/x86_64-linux-gnu "$ROOT/lib/x86_64-linux-gnu"
install -D -m 644 /etc/ssl/openssl.cnf "$ROOT/etc/ssl/openssl.cnf"
mkdir -p "$ROOT/usr/lib/ssl" && ln -sf /etc/ssl/openssl.cnf "$ROOT/usr/lib/ssl/openssl.cnf"
echo "root:x:0:0:root:/:/bin/sh" >"$ROOT/etc/passwd"
# No udev here, so aesni_intel is never loaded for the CPU; without this it
# can still be pulled in through its "crypto-aes" alias by any lookup that
# misses, and then outranks every other AES implementation (priority 300+)
# for cra_name clients such as dm-crypt.  Blacklisting stops alias loads
# only: "modprobe aesni_intel" still loads it on purpose.
mkdir -p "$ROOT/etc/modprobe.d"
echo "blacklist aesni_intel" >"$ROOT/etc/modprobe.d/vc-test.conf"

MODDST=$ROOT/lib/modules/$ABI
mkdir -p "$MODDST"
if [ -n "$MODSRC" ]; then
    install_debian_modules
else
    # Test kernel: nearly everything is built in; add its loadable
    # modules (tcrypt) and the driver.
    : >"$MODDST/modules.order"
    : >"$MODDST/modules.builtin"
    : >"$MODDST/modules.builtin.modinfo"
    for m in "$TK"/crypto/*.ko; do
        if [ -e "$m" ]; then
            install -D -m 644 "$m" "$MODDST/kernel/crypto/$(basename "$m")"
        fi
    done
    if [ -n "$KO" ]; then
        install -D -m 644 "$KO" "$MODDST/kernel/drivers/crypto/virtio/virtio_crypto.ko"
    fi
fi
/sbin/depmod -b "$ROOT" "$ABI" || die "depmod failed"
if [ -n "$KO" ]; then
    grep -q 'virtio_crypto.ko:' "$MODDST/modules.dep" || die "virtio_crypto.ko missing from modules.dep"
fi

(cd "$ROOT" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 >"$IMG.tmp"
mv "$IMG.tmp" "$IMG"
echo "$isum" >"$IMG.sha"
rm -rf "$ROOT"
log "$(du -h "$IMG" | cut -f1) $IMG"
echo "$IMG"
