#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# slreload: the driver reloaded with stateless=2 (vcslmode=, default 2),
# the test mode in which every request of a service whose STATELESS bit is
# negotiated is stateless, so testmgr (at registration: on the test
# kernel, with the extra fuzz comparison against the generic code) and the
# KATs run the stateless cipher, AEAD, chaining, hash, MAC and akcipher
# builders.  Asserts: every virtio algorithm's self-test passed, no new
# "alg:" failure line in dmesg, a KAT subset (AES CTR/CBC/XTS, 3DES-CBC,
# SHA-256, HMAC-SHA-256, CMAC, GCM, RFC 4106, ChaCha20-Poly1305,
# authenc(hmac(sha256),cbc(aes))) passes by driver name, and the counters:
# with all five STATELESS bits every request since the reload was
# stateless and no session was ever created; with only some, some
# requests were stateless (none when no bit was negotiated).  Then the
# driver is reloaded with its defaults.
# shellcheck source=SCRIPTDIR/../guest/lib.sh
. /lib/vc/lib.sh
C=slreload
want=$(cmdline_param vcslmode 2)

need_driver $C || exit 0
for m in algif_skcipher algif_hash algif_aead; do modprobe $m 2>/dev/null; done
n0=$(virtio_algs | wc -l)
if ! rmmod virtio_crypto 2>/tmp/slr.err; then
    result $C FAIL "rmmod virtio_crypto: $(cat /tmp/slr.err)"
    exit 0
fi
lines=$(dmesg | wc -l)
t0=$(cut -d' ' -f1 /proc/uptime)
if ! modprobe virtio_crypto stateless="$want"; then
    result $C FAIL "modprobe virtio_crypto stateless=$want failed"
    exit 0
fi
t1=$(cut -d' ' -f1 /proc/uptime)
nbits=0 bits=''
for b in 1 2 3 4 5; do
    if vc_feature $b; then nbits=$((nbits + 1)) bits="$bits $b"; fi
done
bad=$(virtio_algs | while read -r _ d; do
    [ "$(crypto_field "$d" selftest)" = passed ] || echo "$d"
done | tr '\n' ' ')
fails=$(dmesg | tail -n +$((lines + 1)) | grep -E 'alg: .*(fail|error|[Ee]rr )' || true)
n1=$(virtio_algs | wc -l)
ops=0 katfail=''
for a in "ctr(aes):aes-ctr" "cbc(aes):aes-cbc" "xts(aes):aes-xts" "cbc(des3_ede):des3-cbc" \
         "sha256:sha256" "hmac(sha256):hmac-sha256" "cmac(aes):aes-cmac" "gcm(aes):aes-gcm" \
         "rfc4106(gcm(aes)):rfc4106-gcm-aes" "rfc7539(chacha20,poly1305):chacha20poly1305" \
         "authenc(hmac(sha256),cbc(aes)):authenc-hmac-sha256-cbc-aes"; do
    cra=${a%%:*} file=${a#*:}
    d=$(virtio_driver_for "$cra")
    if [ -z "$d" ] || [ ! -r "/vectors/$file.txt" ]; then continue; fi
    last=$(afalg-kat "$d" "/vectors/$file.txt" 2>&1 | tail -n 1)
    case $last in
    pass=*" fail=0 "*) ops=$((ops + $(echo "$last" | sed 's/pass=\([0-9]*\).*/\1/'))) ;;
    *) katfail="$katfail $d($last)" ;;
    esac
done
sl=$(vc_stat stateless) sub=$(vc_stat submitted) cr=$(vc_stat sessions_created)
ev="stateless=$(vc_param stateless), STATELESS bits:${bits:- none}; $n1 algorithms (before: $n0), registration $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", b - a }') s; KAT operations $ops; since load: requests $sub, stateless $sl, sessions created $cr"
if [ -n "$fails" ]; then
    echo "$fails" | head -n 10 | while read -r l; do info $C "dmesg: $l"; done
fi
if [ "$(vc_param stateless)" != "$want" ]; then
    result $C FAIL "driver has stateless=$(vc_param stateless), not $want"
elif [ "$n1" -eq 0 ] || [ "$n1" -ne "$n0" ]; then
    result $C FAIL "algorithm set changed: $ev"
elif [ -n "$bad" ] || [ -n "$fails" ]; then
    result $C FAIL "self-tests not passed:${bad:+ $bad}${fails:+ (dmesg alg: failures)}: $ev"
elif [ -n "$katfail" ] || [ "$ops" -eq 0 ]; then
    result $C FAIL "KAT failures:${katfail:- no KAT ran}: $ev"
elif [ "$want" = 2 ] && [ "$nbits" -eq 5 ] && { [ "$sl" -ne "$sub" ] || [ "$cr" -ne 0 ]; }; then
    result $C FAIL "all STATELESS bits, stateless=2, but not every request stateless or sessions made: $ev"
elif [ "$nbits" -gt 0 ] && [ "$sl" -eq 0 ]; then
    result $C FAIL "STATELESS bits negotiated but no stateless request: $ev"
elif [ "$nbits" -eq 0 ] && [ "$sl" -ne 0 ]; then
    result $C FAIL "no STATELESS bit but stateless requests: $ev"
else
    result $C PASS "self-tests and KATs pass: $ev"
fi
if ! rmmod virtio_crypto || ! modprobe virtio_crypto; then
    info $C "reload with the defaults failed"
fi
