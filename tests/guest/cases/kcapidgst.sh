#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# kcapidgst: libkcapi's kcapi-dgst (AF_ALG hash) computes SHA-1/2/3 digests
# and HMACs of random messages (100 B, 3000 B, 64 KiB), once bound by the
# virtio driver name and once by the algorithm name (whatever implementation
# has the highest priority: our driver's default 120 loses to the SSSE3/AVX2
# SHA code a fallback lookup may have loaded), compared with OpenSSL's own
# software digests.  kcapi-dgst always streams (init, update, final), which
# the driver serves on its software fallback by design (docs/driver.md,
# "Hashes"; the one-shot digests that reach the device are the kat case's),
# so the proof that the driver is the one used is the bind by driver name
# (kcapi-dgst fails when no such driver exists) plus what its tfm does on
# the device's control queue.  Session mode (the service's STATELESS bit
# not negotiated, or stateless=0): every tfm of the driver opens a
# session (HASH at tfm init, MAC at setkey), so each run bound by driver
# name must raise at least one control-queue interrupt.  Stateless mode
# (docs/driver.md): the tfm opens no session at all, so such a run must
# leave the driver's sessions_created counter unchanged, and the one-shot
# digests that do reach the device as stateless requests are proven by
# the stateless case.  Algorithms the driver did not register are listed,
# not failed (the kat case checks registration against the device config).
# shellcheck source=SCRIPTDIR/../guest/lib.sh
. /lib/vc/lib.sh
C=kcapidgst

need_driver $C || exit 0
modprobe algif_hash 2>/dev/null
cd /tmp || exit 0
head -c 100 /dev/urandom >d1
head -c 3000 /dev/urandom >d2
head -c 65536 /dev/urandom >d3
head -c 32 /dev/urandom >key
khex=$(hexdump -v -e '/1 "%02x"' key)
irq0=$(vc_irq_count) h0=$(vc_stat hash) m0=$(vc_stat mac)
n=0 runs=0 slruns=0 ctl=0 done_algs='' missing='' best=''
# cra_name:openssl digest name
for a in sha1:sha1 sha224:sha224 sha256:sha256 sha384:sha384 sha512:sha512 sha3-256:sha3-256 \
         'hmac(sha1):sha1' 'hmac(sha256):sha256' 'hmac(sha512):sha512'; do
    cra=${a%%:*} od=${a#*:}
    drv=$(virtio_driver_for "$cra")
    if [ -z "$drv" ]; then
        missing="$missing $cra"
        continue
    fi
    best="$best $cra->$(best_driver "$cra")"
    for f in d1 d2 d3; do
        case $cra in
        hmac*)
            svc=2
            want=$(openssl dgst -"$od" -mac HMAC -macopt hexkey:"$khex" "$f" | awk '{ print $NF }')
            c0=$(vc_ctrl_irq_count) s0=$(vc_stat sessions_created)
            got1=$(kcapi-dgst -c "$drv" --hex --keyfd 3 -i "$f" 3<key)
            c1=$(vc_ctrl_irq_count) s1=$(vc_stat sessions_created)
            got2=$(kcapi-dgst -c "$cra" --hex --keyfd 3 <"$f" 3<key)
            ;;
        *)
            svc=1
            want=$(openssl dgst -"$od" -r "$f" | awk '{ print $1 }')
            c0=$(vc_ctrl_irq_count) s0=$(vc_stat sessions_created)
            got1=$(kcapi-dgst -c "$drv" --hex -i "$f")
            c1=$(vc_ctrl_irq_count) s1=$(vc_stat sessions_created)
            got2=$(kcapi-dgst -c "$cra" --hex <"$f")
            ;;
        esac
        runs=$((runs + 1))
        if vc_sl_service $svc; then
            if [ "$s1" -ne "$s0" ]; then
                result $C FAIL "kcapi-dgst -c $drv: stateless mode, but its tfm created $((s1 - s0)) device session(s)"
                exit 0
            fi
            slruns=$((slruns + 1))
        elif [ "$c1" -le "$c0" ]; then
            result $C FAIL "kcapi-dgst -c $drv: no control-queue interrupt (no device session for its tfm)"
            exit 0
        fi
        ctl=$((ctl + c1 - c0))
        if [ -z "$want" ] || [ "$got1" != "$want" ] || [ "$got2" != "$want" ]; then
            result $C FAIL "$cra of $(wc -c <"$f") bytes: kcapi-dgst by driver '$got1', by name '$got2', OpenSSL '$want'"
            exit 0
        fi
        n=$((n + 2))
    done
    done_algs="$done_algs $drv"
done
irqs=$(( $(vc_irq_count) - irq0 )) hs=$(( $(vc_stat hash) - h0 )) ms=$(( $(vc_stat mac) - m0 ))
info $C "device data requests during the streaming digests: hash=$hs mac=$ms, data-queue irqs=$irqs (expected 0: streaming runs in software)"
rm -f d1 d2 d3 key
[ -z "$missing" ] || info $C "not registered by the virtio driver:$missing"
info $C "checked:$done_algs"
info $C "by name:$best"
if [ "$n" -eq 0 ]; then
    result $C SKIP "not advertised: no virtio hash or hmac registered"
else
    result $C PASS "$n kcapi-dgst digests/HMACs == OpenSSL ($(echo "$done_algs" | wc -w) algorithms, bound by virtio driver name and by name); $runs runs by driver name: $((runs - slruns)) opened device sessions (control-queue irqs=$ctl), $slruns stateless (no session, sessions_created unchanged)"
fi
