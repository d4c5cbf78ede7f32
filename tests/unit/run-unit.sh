#!/usr/bin/env bash
# Build and run the QEMU-tree unit tests that cover our code: every
# tests/unit/test-crypto-* (qcrypto, including our additions) and
# tests/unit/test-virtio-crypto-* (the request parser and session table).
#
#   run-unit.sh dual     in build/qemu-build, the build our device uses: it
#                        links libgcrypt and nettle, and test-crypto-route
#                        runs every primitive on both and compares them
#   run-unit.sh gcrypt   in build/qemu-gcrypt-build (libgcrypt only)
#   run-unit.sh nettle   in build/qemu-nettle-build (nettle only)
# The single-library builds check each library against the published
# vectors and that the build advertises only what that library can do.
. "$(dirname "$0")/../../scripts/lib.sh"

lib=${1:?usage: run-unit.sh dual|gcrypt|nettle}
case "$lib" in
dual) out=$BUILD/qemu-build ;;
gcrypt) out=$BUILD/qemu-gcrypt-build; bash "$TOP/scripts/build-qemu.sh" --gcrypt ;;
nettle) out=$BUILD/qemu-nettle-build; bash "$TOP/scripts/build-qemu.sh" --nettle ;;
*) die "unknown library $lib" ;;
esac
[ -f "$out/build.ninja" ] || die "$out is not configured (make qemu)"
# regenerate build.ninja first if a meson.build changed, so the target list
# below includes newly added tests
ninja -C "$out" build.ninja >/dev/null

mapfile -t targets < <(ninja -C "$out" -t targets all 2>/dev/null |
    grep -oE '^tests/unit/test-(crypto|virtio-crypto)[A-Za-z0-9_-]*:' | tr -d : |
    grep -v 'tlscred\|tlssession\|x509' | sort -u)
[ ${#targets[@]} -gt 0 ] || die "no unit test targets in $out"
use_ccache
ninja -C "$out" "${targets[@]}" >"$out/unit-ninja.log" 2>&1 ||
    { grep -E 'error|FAILED' "$out/unit-ninja.log" | head -n 30; die "unit test build failed"; }

failed=0
for t in "${targets[@]}"; do
    if (cd "$out" && G_TEST_SRCDIR="$out/../qemu-src/tests/unit" G_TEST_BUILDDIR="$out/tests/unit" \
            timeout 300 "./$t" --tap -q >"$out/${t//\//_}.log" 2>&1); then
        n=$(grep -c '^ok ' "$out/${t//\//_}.log" || true)
        echo "PASS $lib $t ($n cases)"
    else
        failed=$((failed + 1))
        echo "FAIL $lib $t"
        grep -E '^not ok|ERROR|Bail' "$out/${t//\//_}.log" | head -n 10 || true
    fi
done
[ $failed -eq 0 ]
