#!/usr/bin/env bash
# Run our virtio-crypto qtests (qemu/tests/qtest/virtio-crypto-test.c, built
# into build/qemu-build/tests/qtest/qos-test) against a QEMU binary.
#
#   run-qtest.sh ours    every virtio-crypto test must pass on our build
#   run-qtest.sh asan    every test must pass on our build with ASan+UBSan,
#                        and no sanitizer report may appear in any log
#   run-qtest.sh stock   the SAME qos-test binary against the unmodified base
#                        build; the set of failing tests must equal the
#                        documented differences in tests/qtest/stock-differences.txt
#
# Each test path runs in its own qos-test process, so a test that aborts
# cannot hide the ones after it.
. "$(dirname "$0")/../../scripts/lib.sh"

which=${1:?usage: run-qtest.sh ours|asan|stock}
qos=$BUILD/qemu-build/tests/qtest/qos-test
case "$which" in
ours) bin=$BUILD/qemu-build/qemu-system-x86_64 ;;
stock) bin=$BUILD/qemu-stock-build/qemu-system-x86_64 ;;
asan)
    bash "$TOP/scripts/build-qemu.sh" --asan
    bin=$BUILD/qemu-asan-build/qemu-system-x86_64
    qos=$BUILD/qemu-asan-build/tests/qtest/qos-test
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    ;;
*) die "unknown target $which" ;;
esac
[ -x "$qos" ] || die "$qos missing (make qemu)"
[ -x "$bin" ] || die "$bin missing (make qemu$([ "$which" = stock ] && echo -stock))"
export QTEST_QEMU_BINARY=$bin
export QTEST_QEMU_STORAGE_DAEMON_BINARY=/bin/false
export VIRTIO_CRYPTO_QTEST_TARGET=$which
if [ "$which" = ours ]; then
    # Every request the qtests send also seeds the parser fuzzer (tests/fuzz).
    export VIRTIO_CRYPTO_QTEST_CORPUS=$BUILD/fuzz/qtest-corpus
    rm -rf "$VIRTIO_CRYPTO_QTEST_CORPUS"
    mkdir -p "$VIRTIO_CRYPTO_QTEST_CORPUS"
fi

mapfile -t paths < <("$qos" -l 2>/dev/null | grep -E '^/' | grep '/virtio-crypto-tests/')
[ ${#paths[@]} -gt 0 ] || die "qos-test lists no virtio-crypto tests"

logdir=$BUILD/qtest-logs/$which
rm -rf "$logdir"
mkdir -p "$logdir"
failed=()
passed=0
for p in "${paths[@]}"; do
    name=${p##*/virtio-crypto-tests/}
    # (a subshell keeps bash's "Aborted" job notices for stock crashes quiet)
    if (timeout 120 "$qos" --tap -q -p "$p" >"$logdir/$name.log" 2>&1) 2>/dev/null &&
       grep -q '^ok ' "$logdir/$name.log" && ! grep -q '^not ok' "$logdir/$name.log"; then
        passed=$((passed + 1))
    else
        failed+=("$name")
    fi
done
log "$which: ${#paths[@]} tests, $passed passed, ${#failed[@]} failed (logs in $logdir)"

if [ "$which" = asan ]; then
    if grep -lE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$logdir"/*.log; then
        echo "sanitizer reports in the logs above"
        exit 1
    fi
fi
if [ "$which" != stock ]; then
    for f in "${failed[@]}"; do
        echo "FAIL $f"
        tail -n 5 "$logdir/$f.log"
    done
    [ ${#failed[@]} -eq 0 ]
    exit
fi

# stock: compare with the documented differences (one test name per line, # comments).
expected=$(grep -vE '^\s*(#|$)' "$TOP/tests/qtest/stock-differences.txt" | awk '{print $1}' | sort -u)
actual=$(printf '%s\n' "${failed[@]}" | grep -v '^$' | sort -u)
unexpected_fail=$(comm -13 <(echo "$expected") <(echo "$actual"))
unexpected_pass=$(comm -23 <(echo "$expected") <(echo "$actual") |
                  grep -xF -f <(printf '%s\n' "${paths[@]##*/virtio-crypto-tests/}") || true)
ok=1
if [ -n "$unexpected_fail" ]; then
    echo "stock fails tests that stock-differences.txt does not list:"
    echo "$unexpected_fail" | sed 's/^/  /'
    ok=0
fi
if [ -n "$unexpected_pass" ]; then
    echo "stock passes tests that stock-differences.txt says it fails:"
    echo "$unexpected_pass" | sed 's/^/  /'
    ok=0
fi
[ $ok -eq 1 ] && log "stock: failures match the documented differences ($(echo "$actual" | grep -c . || true) tests)"
[ $ok -eq 1 ]
