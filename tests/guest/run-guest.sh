#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Boot one TCG guest with a virtio-crypto device and run guest test cases.
#
#   tests/guest/run-guest.sh [--qemu ours|stock|PATH] [--driver ours|stock|none|PATH.ko]
#       [--kernel debian|test]
#       [--tests "probe selftest kat dmcrypt loadunload"] [--timeout SEC]
#       [--qemu-args "..."] [--device-args "prop=v,..."] [--append "..."]
#       [--keep-log FILE]
#       [--expect "case=PASS|FAIL|SKIP ..."] [--strict] [--quiet]
#       [--parse-log FILE]   (no guest: apply the verdict to an existing log)
#
# Every guest case prints "RESULT <case> PASS|FAIL|SKIP <detail>" lines on
# the serial console (a case may report sub-results named <case>-<part>).
# This script strips \r, collects and prints them, and exits 1 when:
#   - any result is FAIL;
#   - a requested case printed no result (neither <case> nor <case>-*);
#   - the log shows a kernel crash: Oops, BUG:, WARNING:, Kernel panic,
#     general protection fault, Call Trace (console and the dmesg dump);
#   - the guest did not print GUEST-DONE (crash, hang, host timeout);
#   - --expect NAME=STATUS[:WORDS] does not match the reported status of
#     NAME (and, with :WORDS, its detail does not start with WORDS, where
#     "_" stands for a space, e.g. kat-ecb=SKIP:not_advertised; a later
#     entry for the same NAME replaces an earlier one);
#   - --strict is given and a SKIP was reported that --expect did not name.
# SKIP is never counted as PASS.  Exit 0 otherwise; 2 on usage/setup errors.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../../scripts/lib.sh
. "$HERE/../../scripts/lib.sh"

QEMU_SEL=ours
DRIVER=ours
KERNEL=debian
TESTS="probe selftest kat dmcrypt loadunload"
TIMEOUT=
QEMU_ARGS=
DEVICE_ARGS=
APPEND=
KEEP_LOG=
EXPECT=
STRICT=0
QUIET=0
PARSE_LOG=
while [ $# -gt 0 ]; do
    case $1 in
    --qemu) QEMU_SEL=$2; shift 2 ;;
    --driver) DRIVER=$2; shift 2 ;;
    --tests) TESTS=$2; shift 2 ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    --qemu-args) QEMU_ARGS=$2; shift 2 ;;
    --device-args) DEVICE_ARGS=$2; shift 2 ;;
    --append) APPEND=$2; shift 2 ;;
    --keep-log) KEEP_LOG=$2; shift 2 ;;
    --expect) EXPECT=$2; shift 2 ;;
    --strict) STRICT=1; shift ;;
    --quiet) QUIET=1; shift ;;
    --parse-log) PARSE_LOG=$2; shift 2 ;;
    --kernel) KERNEL=$2; shift 2 ;;
    -h|--help) sed -n '4,27p' "$0"; exit 0 ;;
    *) echo "run-guest.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

read -r -a tests_arr <<<"$TESTS"
[ ${#tests_arr[@]} -gt 0 ] || { echo "run-guest.sh: no tests" >&2; exit 2; }

boot_guest() {
    # --- QEMU binary and its options -------------------------------------------
    QEMU_FW=()
    case $QEMU_SEL in
    ours)
        QEMU=$BUILD/qemu-system-x86_64
        [ -x "$QEMU" ] || { echo "run-guest.sh: $QEMU missing (bash scripts/build-qemu.sh)" >&2; exit 2; }
        [ -d "$BUILD/qemu-build/pc-bios" ] && QEMU_FW=(-L "$BUILD/qemu-build/pc-bios")
        ;;
    stock) QEMU=/usr/bin/qemu-system-x86_64 ;;
    *) QEMU=$QEMU_SEL ;;
    esac
    [ -x "$QEMU" ] || { echo "run-guest.sh: no QEMU binary $QEMU" >&2; exit 2; }

    # The builtin backend of stock QEMU 7.2 accepts only queues=1; ours takes
    # more.  Ask the binary itself which one it accepts.
    backend_accepts_queues() {
        echo quit | timeout 20 "$QEMU" "${QEMU_FW[@]}" -machine none -nodefaults -display none \
            -monitor stdio -object "cryptodev-backend-builtin,id=c0,queues=$1" >/dev/null 2>&1
    }
    case $QEMU_SEL in
    stock) QUEUES=1 ;;
    *) if backend_accepts_queues 2; then QUEUES=2; else QUEUES=1; fi ;;
    esac

    IMG=$(bash "$HERE/mkinitramfs.sh" --driver "$DRIVER" --kernel "$KERNEL") || exit 2
    case $KERNEL in
    test) VMLINUZ=$BUILD/test-kernel/arch/x86/boot/bzImage ;;
    *) VMLINUZ=$BUILD/kernel/vmlinuz ;;
    esac
    case $DRIVER in ours|stock|none) DTAG=$DRIVER ;; *) DTAG=ours ;; esac
    # (a custom .ko is an out-of-tree build: the probe case checks it as "ours")

    if [ -z "$TIMEOUT" ]; then
        # boot ~10 s plus a generous per-case budget under TCG on 2 cores.
        TIMEOUT=$((60 + 120 * ${#tests_arr[@]}))
    fi
    CMDLINE="console=ttyS0 panic=-1 quiet vctests=$(IFS=,; echo "${tests_arr[*]}") vcdriver=$DTAG vckernel=$KERNEL $APPEND"

    LOGDIR=$BUILD/guest/logs
    mkdir -p "$LOGDIR"
    LOG=$(mktemp "$LOGDIR/run-$(date +%Y%m%d-%H%M%S)-XXXX.log")
    # shellcheck disable=SC2206
    EXTRA=($QEMU_ARGS)
    # shellcheck disable=SC2054  # commas inside QEMU option values
    QEMU_CMD=("$QEMU" "${QEMU_FW[@]}" -accel tcg -cpu max -m 1024 -smp 2 -nographic -no-reboot -nic none
              -kernel "$VMLINUZ" -initrd "$IMG" -append "$CMDLINE"
              -object "cryptodev-backend-builtin,id=c0,queues=$QUEUES"
              -device "virtio-crypto-pci,id=crypto0,cryptodev=c0,vectors=$((QUEUES + 2))${DEVICE_ARGS:+,$DEVICE_ARGS}" "${EXTRA[@]}")

    [ "$QUIET" = 1 ] || echo "run-guest: qemu=$QEMU_SEL driver=$DRIVER kernel=$KERNEL queues=$QUEUES${DEVICE_ARGS:+ device-args=$DEVICE_ARGS} tests='${tests_arr[*]}' timeout=${TIMEOUT}s log=$LOG" >&2
    start=$(date +%s.%N)
    set +e
    # Own process group + hard kill: a hung guest never outlives the timeout.
    timeout -k 10 "$TIMEOUT" "${QEMU_CMD[@]}" </dev/null 2>&1 | tr -d '\r' >"$LOG"
    qrc=${PIPESTATUS[0]}
    set -e
    wall=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    [ -z "$KEEP_LOG" ] || cp "$LOG" "$KEEP_LOG"
}

if [ -n "$PARSE_LOG" ]; then
    # Verdict only, on an existing log (used by tests/guest/test-harness.sh).
    LOG=$PARSE_LOG qrc=${PARSE_RC:-0} wall=0 TIMEOUT=${TIMEOUT:-0}
else
    boot_guest
fi

# --- verdict ------------------------------------------------------------------
declare -A status detail_of
problems=()
results=$(grep -o 'RESULT [^ ]* \(PASS\|FAIL\|SKIP\)\( .*\)\?$' "$LOG" || true)
npass=0 nfail=0 nskip=0
while read -r _ name st detail; do
    [ -n "${name:-}" ] || continue
    [ "$QUIET" = 1 ] || printf '  %-16s %s  %s\n' "$name" "$st" "$detail"
    status[$name]=$st
    detail_of[$name]=$detail
    case $st in
    PASS) npass=$((npass + 1)) ;;
    FAIL) nfail=$((nfail + 1)); problems+=("$name FAIL") ;;
    SKIP) nskip=$((nskip + 1)) ;;
    esac
done <<<"$results"

for t in "${tests_arr[@]}"; do
    found=0
    for n in "${!status[@]}"; do
        case $n in "$t"|"$t"-*) found=1 ;; esac
    done
    [ $found = 1 ] || problems+=("$t printed no RESULT")
done

crash=$(grep -v -E '^(RESULT|INFO) |RESULT [^ ]+ (PASS|FAIL|SKIP)' "$LOG" |
        grep -E 'Oops|BUG:|WARNING:|Kernel panic|general protection fault|Call Trace' | head -n 5 || true)
[ -z "$crash" ] || problems+=("kernel crash lines in the log: $(echo "$crash" | head -n 1)")
if ! grep -q '^GUEST-DONE' "$LOG"; then
    why="qemu rc=$qrc"
    case $qrc in
    124|137) why="$why, host timeout ${TIMEOUT}s" ;;
    139) why="$why, QEMU crashed (SIGSEGV)" ;;
    134) why="$why, QEMU aborted (SIGABRT)" ;;
    esac
    problems+=("guest did not finish ($why)")
fi

# A later --expect entry for the same name replaces an earlier one.
declare -A expected expected_full
for e in $EXPECT; do
    expected_full[${e%%=*}]=${e#*=}
done
for name in "${!expected_full[@]}"; do
    want=${expected_full[$name]} words=
    case $want in *:*) words=${want#*:}; words=${words//_/ }; want=${want%%:*} ;; esac
    expected[$name]=$want
    got=${status[$name]:-none}
    if [ "$got" != "$want" ]; then
        problems+=("expected $name=$want, got $got")
    elif [ -n "$words" ] && [[ "${detail_of[$name]}" != "$words"* ]]; then
        problems+=("expected $name detail to start with '$words', got '${detail_of[$name]}'")
    fi
done
if [ "$STRICT" = 1 ]; then
    for n in "${!status[@]}"; do
        if [ "${status[$n]}" = SKIP ] && [ -z "${expected[$n]:-}" ]; then
            problems+=("$n SKIP (strict)")
        fi
    done
fi

verdict=PASS
[ ${#problems[@]} -eq 0 ] || verdict=FAIL
echo "run-guest: $npass pass, $nfail fail, $nskip skip; ${wall}s wall; verdict $verdict (qemu=$QEMU_SEL driver=$DRIVER)"
if [ "$verdict" = FAIL ]; then
    for p in "${problems[@]}"; do echo "  problem: $p"; done
    echo "  log: $LOG"
    [ "$QUIET" = 1 ] || { echo "  --- last lines of the log ---"; grep -v '^INFO ' "$LOG" | tail -n 25 | sed 's/^/  | /'; }
    exit 1
fi
exit 0
