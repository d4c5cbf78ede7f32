#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# fault: the device misbehaves on purpose (our QEMU's test-only x-fault
# properties, passed by run-guest.sh --device-args; vcfault= on the kernel
# command line names the kind, vcfaultctrl=on when control requests are
# faulted too):
#   bad-status      status byte 0xff          -> the caller gets EIO
#   used-len-big    used length > writable    -> EIO
#   used-len-zero   used length 0             -> EIO
#   drop            request never completed   -> the driver's watchdog resets
#                   the device after data_timeout_ms (vctimeout=, default
#                   2000) and fails it with ETIMEDOUT
# every x-fault-every'th completion.  The driver is loaded here (its
# self-tests may be hit: those algorithms are then unusable, not a
# failure), then a known-answer file runs through the first usable virtio
# algorithm: some operations must fail, with the expected errno only (a
# wrong result would be a silent corruption), most must still pass
# (later requests work), the driver's failed counter must show it (for
# drop: one logged device reset per failed operation, since afalg-kat has
# one request in flight), no crash, and the guest finishes.  The suite
# boots with cryptomgr.notests=1 so the faults hit this workload and not
# the registration self-tests (a failed self-test is a testmgr WARNING).
# The KAT's requests are stateless where the device offers it (each
# vector is a new key: the driver's default makes no sessions then), so
# the status and used-length checks are exercised on stateless requests;
# with vcfaultctrl=on the driver is loaded with stateless=0, so that
# setkey does make sessions and meets the control-queue faults.
# shellcheck source=SCRIPTDIR/../guest/lib.sh
. /lib/vc/lib.sh
C=fault
kind=$(cmdline_param vcfault none)
ctrl=$(cmdline_param vcfaultctrl off)
tmo=$(cmdline_param vctimeout 2000)

case $kind in
drop) want="Connection timed out" ;;
bad-status|used-len-big|used-len-zero) want="Input/output error" ;;
*) result $C FAIL "vcfault='$kind': not a fault kind"; exit 0 ;;
esac
[ "$(vc_driver)" != none ] || { result $C SKIP "image built without a virtio_crypto driver"; exit 0; }
lines0=$(dmesg | wc -l)
slopt=''
[ "$ctrl" = on ] && slopt=stateless=0
# shellcheck disable=SC2086  # $slopt is one word or none
if ! modprobe virtio_crypto data_timeout_ms="$tmo" $slopt; then
    result $C FAIL "modprobe virtio_crypto failed with x-fault=$kind"
    exit 0
fi
# Self-tests done before we look (registration is synchronous in modprobe).
failed_st=$(virtio_algs | while read -r _ d; do
    [ "$(crypto_field "$d" selftest)" = passed ] || echo "$d"
done | tr '\n' ' ')
info $C "x-fault=$kind ctrl=$ctrl: $(virtio_algs | wc -l) virtio algorithms registered; self-test not passed (hit by a fault): ${failed_st:-none}"
for m in algif_skcipher algif_hash algif_aead; do modprobe $m 2>/dev/null; done
drv='' file=''
for m in cbc ecb ctr des3-cbc des3-ecb sha256 sha512 hmac-sha256 gcm; do
    for a in $VC_KAT_ALGS; do
        IFS=: read -r n cra vf _ <<EOT
$a
EOT
        [ "$n" = "$m" ] || continue
        d=$(virtio_driver_for "$cra")
        if [ -n "$d" ] && [ "$(crypto_field "$d" selftest)" = passed ]; then
            drv=$d file=$vf
        fi
    done
    [ -z "$drv" ] || break
done
if [ -z "$drv" ]; then
    result $C FAIL "no usable virtio algorithm left (every candidate failed its self-test)"
    exit 0
fi
f0=$(vc_stat failed) s0=$(vc_stat submitted) sl0=$(vc_stat stateless)
lines1=$(dmesg | wc -l)
t0=$(cut -d' ' -f1 /proc/uptime)
afalg-kat "$drv" "/vectors/$file.txt" >/tmp/fault.out 2>&1
rc=$?
t1=$(cut -d' ' -f1 /proc/uptime)
fl=$(( $(vc_stat failed) - f0 )) sub=$(( $(vc_stat submitted) - s0 ))
sl=$(( $(vc_stat stateless) - sl0 ))
dmesg | tail -n +$((lines0 + 1)) | grep -E 'virtio_crypto|virtio[0-9]+:' >/tmp/fault.dmesg
resets=$(dmesg | tail -n +$((lines1 + 1)) | grep -c 'resetting the device')
sed "s/^\[[^]]*\] *//" /tmp/fault.dmesg | sort | uniq -c | sort -rn | head -n 6 | sed "s/^/INFO $C driver log: /"
grep MISMATCH /tmp/fault.out | head -n 5 | sed "s/^/INFO $C /"
last=$(tail -n 1 /tmp/fault.out)
pass=$(echo "$last" | sed -n 's/^pass=\([0-9]*\) fail=\([0-9]*\) .*/\1/p')
fail=$(echo "$last" | sed -n 's/^pass=\([0-9]*\) fail=\([0-9]*\) .*/\2/p')
# Every failure shown must be the expected errno (setkey failures too when
# control requests are faulted); "wrong output" would be silent corruption.
other=$(grep MISMATCH /tmp/fault.out | grep -v ": $want\$" | grep -v "setkey.*: $want\$" | head -n 1)
summary="$drv $(basename "$file"): $last, $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", b - a }') s; failed counter +$fl of +$sub submitted (+$sl stateless); device resets $resets"
if [ -z "$pass" ] || [ -z "$fail" ]; then
    result $C FAIL "afalg-kat did not finish properly (rc=$rc): $last"
elif [ "$fail" -eq 0 ]; then
    result $C FAIL "x-fault=$kind but no operation failed: $summary"
elif [ -n "$other" ]; then
    result $C FAIL "a failure other than '$want': $other"
elif [ "$pass" -lt "$fail" ]; then
    result $C FAIL "fewer operations passed than failed: $summary"
elif [ "$kind" = drop ] && [ "$resets" -ne "$fail" ]; then
    # one request at a time: each drop is one reset and fails exactly one
    # operation (a request sent during the recovery would fail too)
    result $C FAIL "dropped requests: $fail failures but $resets device resets: $summary"
elif [ "$kind" != drop ] && [ "$ctrl" != on ] && [ "$fl" -ne "$fail" ]; then
    # every failure the device reported reaches the caller, and only those
    result $C FAIL "the caller saw $fail failures, the driver counted $fl: $summary"
elif [ "$kind" != drop ] && [ "$fl" -lt 1 ]; then
    result $C FAIL "errors reported but the failed counter did not move: $summary"
else
    result $C PASS "x-fault=$kind$( [ "$ctrl" = on ] && echo ' (control queue too)'): only '$want' errors, later requests fine: $summary"
fi
rm -f /tmp/fault.*
