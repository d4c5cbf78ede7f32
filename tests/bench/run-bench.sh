#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Device-level benchmark (issue 5, item 4): our QEMU build against the
# unmodified base QEMU 7.2 build and raw libgcrypt/nettle, in one run.
#
#   tests/bench/run-bench.sh            full run (about 5-10 min), results in build/bench/
#   QUICK=1 tests/bench/run-bench.sh    development run (about 1 min)
#   tests/bench/run-bench.sh --smoke    one algorithm, one size, a few hundred requests,
#                                       every output checked, on our build; exit 1 on a
#                                       wrong output (for `make check`);
#                                       VC_BENCH_CORRUPT_REF=1 plants one wrong reference
#                                       to show that the check does fail
#
# Environment: OURS_QEMU, STOCK_QEMU (binaries), BENCH_TIME (seconds per point),
# BENCH_QUEUES (max data queues for the scaling run; default: number of CPUs, <= 4).
# shellcheck source=../../scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"

OUT=$BUILD/bench
OURS=${OURS_QEMU:-$BUILD/qemu-build/qemu-system-x86_64}
STOCK=${STOCK_QEMU:-$BUILD/qemu-stock-build/qemu-system-x86_64}
SRC=$TOP/tests/bench
BIN=$OUT/vc-bench

mode=full
case "${1:-}" in
--smoke) mode=smoke ;;
"") ;;
*) die "usage: $0 [--smoke]" ;;
esac

need_pkgs() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]}"
    local sudo=
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null ||
        { $sudo apt-get update >/dev/null && $sudo apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; } ||
        die "cannot install ${missing[*]}"
}

pkgs=(gcc libc6-dev libgcrypt20-dev nettle-dev libgmp-dev openssl)
[ "$mode" = full ] && pkgs+=(python3-matplotlib)
need_pkgs "${pkgs[@]}"

mkdir -p "$OUT"
if [ ! -x "$BIN" ] || [ "$SRC/vc-bench.c" -nt "$BIN" ]; then
    log "building $BIN"
    gcc -O2 -g -Wall -Wextra -Wno-unused-parameter -o "$BIN" "$SRC/vc-bench.c" \
        -lgcrypt -lhogweed -lnettle -lgmp -lpthread
fi

# Test keys (never secrets of anything): PKCS#1 RSA, RFC 5915 EC.
keys=$OUT/keys
if [ ! -s "$keys/ecp256.der" ]; then
    log "generating test keys in $keys"
    mkdir -p "$keys"
    for b in 2048 4096; do
        openssl genrsa -out "$keys/rsa$b.pem" "$b" 2>/dev/null
        openssl rsa -in "$keys/rsa$b.pem" -traditional -outform DER -out "$keys/rsa$b.der" 2>/dev/null
        openssl rsa -in "$keys/rsa$b.pem" -RSAPublicKey_out -outform DER -out "$keys/rsa$b-pub.der" 2>/dev/null
    done
    openssl ecparam -name prime256v1 -genkey -noout -outform DER -out "$keys/ecp256.der"
fi

[ -x "$OURS" ] || die "$OURS missing: run 'make qemu' first"
# Snapshot the binaries: other builds may relink them while we measure.
cp "$OURS" "$OUT/qemu-ours.bin"
OURS=$OUT/qemu-ours.bin

if [ "$mode" = smoke ]; then
    log "smoke: $OURS"
    rc=0
    timeout 120 "$BIN" device --qemu "$OURS" --label ours --smoke --keys "$keys" \
        > "$OUT/smoke.jsonl" || rc=$?
    cat "$OUT/smoke.jsonl"
    if [ "$rc" -ne 0 ] || ! grep -q '"ok":true' "$OUT/smoke.jsonl"; then
        log "smoke: FAILED (rc $rc)"
        exit 1
    fi
    log "smoke: passed"
    exit 0
fi

[ -x "$STOCK" ] || die "$STOCK missing: run 'make qemu-stock' first"
cp "$STOCK" "$OUT/qemu-stock.bin"
STOCK=$OUT/qemu-stock.bin

if [ "${QUICK:-0}" = 1 ]; then
    t=${BENCH_TIME:-0.25}
    sizes=64,4096,65536
else
    t=${BENCH_TIME:-1.0}
    sizes=64,256,1024,4096,16384,65536
fi
ncpu=$(nproc)
q=${BENCH_QUEUES:-$(( ncpu > 4 ? 4 : ncpu ))}

{
    echo "{\"type\":\"meta\",\"date\":\"$(date -u +%FT%TZ)\",\"host_cpu\":\"$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n1)\",\"ncpu\":$ncpu,\"time_per_point\":$t,\"quick\":${QUICK:-0},\"load_before\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"git\":\"$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null || echo unknown)\"}"
} > "$OUT/meta.jsonl"
ps -eo pcpu,comm --sort=-pcpu | awk 'NR>1 && $1>5 {print}' > "$OUT/busy-before.txt" || true

rc=0
log "raw libgcrypt / nettle (t=${t}s per point)"
timeout 400 "$BIN" raw --time "$t" --sizes "$sizes" --keys "$keys" > "$OUT/raw.jsonl" || rc=1
log "our device ($OURS, queues=$q)"
timeout 600 "$BIN" device --qemu "$OURS" --label ours --queues "$q" --scale \
    --time "$t" --sizes "$sizes" --keys "$keys" > "$OUT/ours.jsonl" || rc=1
# The scaling loads again with x-yield-us=0 (workers never yield the CPU):
# what the default CPU sharing buys in QMP round trip and costs in op/s.
log "our device, x-yield-us=0 (queues=$q)"
timeout 300 "$BIN" device --qemu "$OURS" --label ours-noyield --queues "$q" --scale \
    --only none/none --device-args x-yield-us=0 \
    --time "$t" --keys "$keys" > "$OUT/noyield.jsonl" || rc=1
# The scaling loads again with x-idle-workers=on (SCHED_IDLE workers): the
# QMP round trip when the workers leave the main loop no CPU.
log "our device, x-idle-workers=on (queues=$q)"
timeout 300 "$BIN" device --qemu "$OURS" --label ours-idle --queues "$q" --scale \
    --only none/none --device-args x-idle-workers=on \
    --time "$t" --keys "$keys" > "$OUT/idle.jsonl" || rc=1
# Working set: the same loads with fewer requests in flight (the default
# is 8 MiB of source data per queue; the raw figures run on one hot buffer).
: > "$OUT/ws.jsonl"
for n in 32 128 512 1024; do
    log "our device, $n requests in flight (working-set sweep)"
    timeout 120 "$BIN" device --qemu "$OURS" --label "ws$n" --queues 1 \
        --inflight "$n" --only aes-128-cbc/dec,aes-256-xts/enc \
        --time "$t" --sizes 4096,65536 --keys "$keys" >> "$OUT/ws.jsonl" || rc=1
done
log "stock device ($STOCK, queues=1)"
timeout 600 "$BIN" device --qemu "$STOCK" --label stock --queues 1 \
    --time "$t" --sizes "$sizes" --keys "$keys" > "$OUT/stock.jsonl" || rc=1
echo "{\"type\":\"meta_end\",\"load_after\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}" >> "$OUT/meta.jsonl"

/usr/bin/python3 "$SRC/report.py" "$OUT" || rc=1
if [ "$rc" -ne 0 ]; then
    log "some measurement failed or produced a wrong output (see above and $OUT/*.jsonl)"
fi
exit "$rc"
