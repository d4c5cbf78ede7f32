#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# speed: the throughput tools run on the device when the driver's
# priority is forced above the CPU's own AES (AES-NI, 300-401).
#   speed-prio       reload with priority=1000 (vcprio=N): every virtio
#                    algorithm has that priority (authenc 11 times it, as
#                    the authenc template computes); aesni_intel is then loaded
#                    on purpose and must lose cbc/xts(aes) to the device
#   speed-tcrypt     tcrypt mode=500 (async skcipher speed, AES modes;
#                    vctsec=N seconds per size, default 0 = cycle counts,
#                    which is short under TCG): finishes, names the virtio
#                    driver for ecb/cbc/ctr/xts(aes), no failures, the
#                    device's counters move
#   speed-cryptsetup cryptsetup benchmark -c aes-cbc -s 256 and
#                    -c aes-xts -s 512: both report numbers, cipher
#                    requests reach the device
# The driver is reloaded with its default priority at the end (and
# aesni_intel unloaded) so later cases see the usual set-up.
# Measured figures go to INFO lines (TCG: meaningless as absolute numbers).
# shellcheck source=SCRIPTDIR/../guest/lib.sh
. /lib/vc/lib.sh
C=speed
prio=$(cmdline_param vcprio 1000)
tsec=$(cmdline_param vctsec 0)

need_driver $C || exit 0
if [ -z "$(virtio_driver_for "cbc(aes)")" ]; then
    for p in prio tcrypt cryptsetup; do result $C-$p SKIP "not advertised: no virtio cbc(aes)"; done
    exit 0
fi
restore() {
    rmmod aesni_intel 2>/dev/null
    rmmod virtio_crypto 2>/dev/null && modprobe virtio_crypto
}

# --- speed-prio ----------------------------------------------------------
if ! rmmod virtio_crypto || ! modprobe virtio_crypto priority="$prio"; then
    result $C-prio FAIL "reload with priority=$prio failed"
    exit 0
fi
bad=$(virtio_algs | while read -r _ d; do
    p=$(crypto_field "$d" priority)
    # authenc: 11 x priority, what the authenc template over our cbc and
    # hmac would get (docs/driver.md); everything else: the priority itself
    case $d in
    *authenc*) [ "$p" = $((11 * prio)) ] || echo "$d=$p" ;;
    *) [ "$p" = "$prio" ] || echo "$d=$p" ;;
    esac
done)
aesni=no
modprobe aesni_intel 2>/dev/null && aesni=yes
lost=
for cra in "cbc(aes)" "xts(aes)" "ecb(aes)" "ctr(aes)"; do
    v=$(virtio_driver_for "$cra")
    [ -n "$v" ] || continue
    b=$(best_driver "$cra")
    [ "$b" = "$v" ] || lost="$lost $cra->$b"
done
info $C "aesni_intel loaded: $aesni; cbc(aes) implementations: $(awk -F': ' '/^name/ { n = $2 } /^driver/ && n ~ /^cbc\(aes\)/ { printf "%s ", $2 }' /proc/crypto)"
if [ -n "$bad" ]; then
    result $C-prio FAIL "priority=$prio not applied: $(echo "$bad" | tr '\n' ' ')"
elif [ -n "$lost" ]; then
    result $C-prio FAIL "with priority=$prio the device still loses:$lost"
else
    result $C-prio PASS "priority=$prio on all $(virtio_algs | wc -l) virtio algorithms; AES modes by name resolve to the device (aesni_intel loaded: $aesni)"
fi

# --- speed-tcrypt ---------------------------------------------------------
ko=$(find /lib/modules -name tcrypt.ko | head -n 1)
if [ -z "$ko" ]; then
    result $C-tcrypt FAIL "tcrypt.ko not in the image"
else
    lines0=$(dmesg | wc -l) irq0=$(vc_irq_count) c0=$(vc_stat cipher)
    t0=$(cut -d' ' -f1 /proc/uptime)
    insmod "$ko" mode=500 sec="$tsec" 2>/dev/null   # always ends in EAGAIN
    t1=$(cut -d' ' -f1 /proc/uptime)
    irqs=$(( $(vc_irq_count) - irq0 )) cs=$(( $(vc_stat cipher) - c0 ))
    dmesg | tail -n +$((lines0 + 1)) >/tmp/speed.log
    grep -E 'testing speed of' /tmp/speed.log | sed "s/^\[[^]]*\] *//; s/^/INFO $C tcrypt: /" | sort -u | head -n 40
    grep -E 'test [0-9]+ \(' /tmp/speed.log | head -n 6 | sed "s/^\[[^]]*\] *//; s/^/INFO $C tcrypt: /"
    nres=$(grep -cE 'operations? in' /tmp/speed.log)
    errs=$(grep -E 'failed|error' /tmp/speed.log | head -n 3)
    notours=
    for m in ecb cbc ctr xts; do
        v=$(virtio_driver_for "$m(aes)")
        [ -n "$v" ] || continue
        grep -q "testing speed of async $m(aes) ($v) encryption" /tmp/speed.log &&
            grep -q "testing speed of async $m(aes) ($v) decryption" /tmp/speed.log ||
            notours="$notours $m(aes)"
    done
    if [ -n "$errs" ]; then
        result $C-tcrypt FAIL "tcrypt mode=500 reported: $(echo "$errs" | head -n 1)"
    elif [ -n "$notours" ]; then
        result $C-tcrypt FAIL "tcrypt mode=500 did not run the virtio driver for:$notours"
    elif [ "$nres" -lt 20 ] || [ "$irqs" -le 0 ] || [ "$cs" -le 0 ]; then
        result $C-tcrypt FAIL "tcrypt mode=500: $nres results, cipher requests=$cs, device-irqs=$irqs"
    else
        result $C-tcrypt PASS "tcrypt mode=500 sec=$tsec: $nres results in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", b - a }') s, ecb/cbc/ctr/xts(aes) on the virtio driver, cipher requests=$cs, device-irqs=$irqs"
    fi
fi

# --- speed-cryptsetup -----------------------------------------------------
modprobe algif_skcipher 2>/dev/null
out='' fails=''
irq0=$(vc_irq_count) c0=$(vc_stat cipher)
for cs in aes-cbc:256 aes-xts:512; do
    ci=${cs%:*} ks=${cs#*:}
    v=$(virtio_driver_for "${ci#aes-}(aes)")
    [ -n "$v" ] || continue
    line=$(cryptsetup benchmark -c "$ci" -s "$ks" 2>&1 | grep -E "^ *$ci +${ks}b")
    info $C "cryptsetup: ${line:-no result line}"
    # "aes-cbc   256b   97.3 MiB/s   101.2 MiB/s"
    if echo "$line" | grep -qE "^ *$ci +${ks}b +[0-9.]+ [KMG]iB/s +[0-9.]+ [KMG]iB/s"; then
        out="$out $ci-$ks: $(echo "$line" | awk '{ print $3 $4 "/" $5 $6 }')"
    else
        fails="$fails $ci-$ks"
    fi
done
irqs=$(( $(vc_irq_count) - irq0 )) cs=$(( $(vc_stat cipher) - c0 ))
if [ -n "$fails" ]; then
    result $C-cryptsetup FAIL "cryptsetup benchmark gave no numbers for:$fails"
elif [ -z "$out" ]; then
    result $C-cryptsetup FAIL "no virtio cbc/xts(aes) to benchmark"
elif [ "$irqs" -le 0 ] || [ "$cs" -le 0 ]; then
    result $C-cryptsetup FAIL "cryptsetup benchmark ran but the device did not: cipher requests=$cs, device-irqs=$irqs"
else
    result $C-cryptsetup PASS "cryptsetup benchmark (enc/dec, TCG):$out; cipher requests=$cs, device-irqs=$irqs"
fi
restore || info $C "reload with the default priority failed"
