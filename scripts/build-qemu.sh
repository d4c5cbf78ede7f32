#!/usr/bin/env bash
# Build QEMU: the pinned base tree with qemu/ overlaid on it.
#
#   build-qemu.sh            ours:  build/qemu-src   -> build/qemu-build
#                            (links libgcrypt and nettle; crypto/route.c picks
#                            the faster one per primitive)
#   build-qemu.sh --stock    stock: build/base/qemu  -> build/qemu-stock-build
#   build-qemu.sh --tree SRC --out OUT   any prepared tree (the patch-series test)
#   build-qemu.sh --asan     ours with ASan+UBSan -> build/qemu-asan-build
#   build-qemu.sh --nettle   ours with nettle only -> build/qemu-nettle-build
#   build-qemu.sh --gcrypt   ours with libgcrypt only -> build/qemu-gcrypt-build
#                            (these two configure only, plus the targets named
#                            in QEMU_EXTRA_TARGETS; for the unit tests)
#
# The overlay is copied with checksums, so only files that really changed get a
# new mtime and ninja rebuilds only what they feed.  Files that were overlaid
# before but are gone from qemu/ are restored from the base tree.
. "$(dirname "$0")/lib.sh"

flavour=ours
while [ $# -gt 0 ]; do
    case "$1" in
    --stock) flavour=stock ;;
    --nettle) flavour=nettle ;;
    --gcrypt) flavour=gcrypt ;;
    --asan) flavour=asan ;;
    --tree) flavour=tree; src=$2; shift ;;
    --out) out=$2; shift ;;
    *) die "unknown argument $1" ;;
    esac
    shift
done

"$TOP/scripts/fetch-qemu.sh"
base=$BUILD/base/qemu

if [ "$flavour" = ours ] || [ "$flavour" = nettle ] || [ "$flavour" = gcrypt ] ||
   [ "$flavour" = asan ]; then
    src=$BUILD/qemu-src
    out=$BUILD/qemu-build
    [ "$flavour" = nettle ] && out=$BUILD/qemu-nettle-build
    [ "$flavour" = gcrypt ] && out=$BUILD/qemu-gcrypt-build
    [ "$flavour" = asan ] && out=$BUILD/qemu-asan-build
    if [ ! -f "$src/.base-$QEMU_SRC_VERSION" ]; then
        log "copying base tree to $src"
        rm -rf "$src"
        mkdir -p "$src"
        rsync -a --exclude /.git --exclude '/.fetched-*' "$base/" "$src/"
        touch "$src/.base-$QEMU_SRC_VERSION"
        : > "$src/.overlay-manifest"
    fi
    new_manifest=$(cd "$TOP/qemu" && find . -type f | sort)
    while read -r f; do
        [ -n "$f" ] || continue
        if ! grep -qxF "$f" <<<"$new_manifest"; then
            if [ -f "$base/$f" ]; then
                log "restoring $f from base"
                cp "$base/$f" "$src/$f"
            else
                log "removing $f"
                rm -f "$src/$f"
            fi
        fi
    done < "$src/.overlay-manifest"
    rsync -r --checksum "$TOP/qemu/" "$src/"
    printf '%s\n' "$new_manifest" > "$src/.overlay-manifest"
elif [ "$flavour" = stock ]; then
    src=$base
    out=$BUILD/qemu-stock-build
else
    [ -n "${out:-}" ] || die "--tree needs --out"
fi

# ccache through its compiler symlinks, so meson records plain "cc".
use_ccache

crypto_lib=(--enable-gcrypt --enable-nettle)
[ "$flavour" = nettle ] && crypto_lib=(--disable-gcrypt --enable-nettle)
[ "$flavour" = gcrypt ] && crypto_lib=(--enable-gcrypt --disable-nettle)
# The unmodified base tree refuses both libraries at once ("Only one of
# gcrypt & nettle can be enabled"): the stock reference is built on libgcrypt.
[ "$flavour" = stock ] && crypto_lib=(--enable-gcrypt --disable-nettle)
config_args=(
    --target-list=x86_64-softmmu
    --without-default-features
    --enable-kvm --enable-tcg
    "${crypto_lib[@]}" --disable-gnutls
    --enable-fdt=system
    --disable-docs --disable-werror
)
[ "$flavour" = asan ] && config_args+=(--enable-sanitizers)
if [ ! -f "$out/build.ninja" ] ||
   [ "$(cat "$out/.config-args" 2>/dev/null)" != "${config_args[*]}" ]; then
    log "configuring $flavour QEMU in $out"
    rm -rf "$out"
    mkdir -p "$out"
    (cd "$out" && "$src/configure" "${config_args[@]}" >configure.log 2>&1) ||
        { tail -n 30 "$out/configure.log"; die "configure failed"; }
    echo "${config_args[*]}" > "$out/.config-args"
fi

# The dfsg source has no firmware blobs: use Debian's seabios/qemu-system-data
# ones.  A binary run from the build tree looks in qemu-bundle/<datadir>; the
# pc-bios/ links serve `-L` users.
datadir=$(sed -n 's/^#define CONFIG_QEMU_DATADIR "\(.*\)"$/\1/p' "$out/config-host.h")
for d in "$out/pc-bios" "$out/qemu-bundle$datadir"; do
    mkdir -p "$d"
    for blob in /usr/share/seabios/*.bin /usr/lib/ipxe/qemu/*.rom \
                /usr/share/qemu/*.bin /usr/share/qemu/*.rom; do
        [ -f "$blob" ] || continue
        ln -sf "$blob" "$d/"
    done
done

targets=(qemu-system-x86_64 tests/qtest/qos-test)
{ [ "$flavour" = nettle ] || [ "$flavour" = gcrypt ]; } && targets=()
[ -n "${QEMU_EXTRA_TARGETS:-}" ] && read -ra extra <<<"$QEMU_EXTRA_TARGETS" && targets+=("${extra[@]}")
if [ ${#targets[@]} -eq 0 ]; then
    log "configured $out (no targets requested)"
    exit 0
fi
log "building $flavour QEMU (${targets[*]})"
ninja -C "$out" "${targets[@]}" >"$out/ninja.log" 2>&1 ||
    { grep -E 'error|FAILED' "$out/ninja.log" | head -n 40; die "ninja failed (see $out/ninja.log)"; }
grep -E '^\[' "$out/ninja.log" | tail -n1 >&2 || true

case "$flavour" in
ours) ln -sf qemu-build/qemu-system-x86_64 "$BUILD/qemu-system-x86_64" ;;
stock) ln -sf qemu-stock-build/qemu-system-x86_64 "$BUILD/qemu-stock-system-x86_64" ;;
esac
