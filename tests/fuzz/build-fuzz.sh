#!/usr/bin/env bash
# Build the libFuzzer target for the request parser with clang, ASan and
# UBSan: the parser file and util/iov.c from our overlaid QEMU tree, the
# headers of our configured build.  Output: build/fuzz/fuzz-virtio-crypto-parse
. "$(dirname "$0")/../../scripts/lib.sh"

src=$BUILD/qemu-src
cfg=$BUILD/qemu-build
out=$BUILD/fuzz
[ -f "$cfg/config-host.h" ] || die "$cfg is not configured (make qemu)"
mkdir -p "$out"

flags=(-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -fno-omit-frame-pointer -std=gnu11 -D_GNU_SOURCE
       -iquote "$cfg" -iquote "$src/include" -iquote "$src"
       -I "$src/linux-headers" -I "$src/include"
       $(pkg-config --cflags glib-2.0))
clang "${flags[@]}" -o "$out/fuzz-virtio-crypto-parse" \
    "$TOP/tests/fuzz/fuzz-virtio-crypto-parse.c" \
    "$src/hw/virtio/virtio-crypto-parse.c" "$src/crypto/wipe.c" \
    "$src/util/iov.c" "$src/util/hexdump.c" "$src/util/bufferiszero.c" \
    $(pkg-config --libs glib-2.0)
log "built $out/fuzz-virtio-crypto-parse"
