#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# stateless: which requests the driver sends stateless (docs/driver.md,
# "Stateless mode"), proven with its counters (sysfs stats: the per-queue
# stateless= count, the ctrl line's sessions_created/sessions_destroyed).
# The expectations follow what was negotiated (sysfs features: bit 0
# REVISION_1, bits 1..5 the STATELESS bits of CIPHER, HASH, MAC, AEAD,
# AKCIPHER), so the same case runs on our QEMU with every bit, with some
# STATELESS bits off (-device ...,cipher-stateless=off) and with
# revision-1=off (legacy layout, sessions only):
#   stateless-hash     a one-shot sha256 (AF_ALG splice) is a stateless
#                      request and creates no session (HASH bit), or runs
#                      in a session made at tfm init (no bit);
#   stateless-hmac     the same for hmac(sha256): no session at setkey;
#   stateless-rsa      keyctl pkey_sign (pkcs1pad over the virtio rsa),
#                      checked with OpenSSL: stateless, no session;
#   stateless-session  dm-crypt aes-xts-plain64 (one tfm, one setkey, a
#                      few thousand requests): the first stateless_reqs
#                      requests are stateless, then the tfm makes its two
#                      sessions (+2 created) and session-mode requests
#                      follow; closing destroys both (CIPHER bit; without
#                      it: two sessions at setkey, nothing stateless);
#   stateless-off      the driver reloaded with stateless=0: no STATELESS
#                      bit negotiated (REVISION_1 still is, if it was),
#                      self-tests and KATs pass, not one stateless request.
# The stateless=2 reload is the slreload case.  Every part that the
# negotiated bits make meaningful must PASS; nothing is skipped.
# shellcheck source=SCRIPTDIR/../guest/lib.sh
. /lib/vc/lib.sh
C=stateless

need_driver $C || exit 0
sf=$(vc_stats_file)
if [ ! -r "$sf" ] || ! grep -q '^ctrl sessions_created=' "$sf"; then
    result $C FAIL "no stats file with a ctrl line ($sf)"
    exit 0
fi
for m in algif_skcipher algif_hash algif_aead; do modprobe $m 2>/dev/null; done
mode=$(vc_param stateless) reqs=$(vc_param stateless_reqs)
rev1=0
vc_feature 0 && rev1=1
info $C "stateless=$mode stateless_reqs=$reqs REVISION_1=$rev1 features=$(cat "$(dirname "$sf")/features")"
cd /tmp || exit 0

# snap: remember the counters; delta FIELD: growth since snap.
snap() {
    S_sl=$(vc_stat stateless) S_sub=$(vc_stat submitted) S_cr=$(vc_stat sessions_created)
    S_de=$(vc_stat sessions_destroyed) S_ci=$(vc_stat cipher) S_ha=$(vc_stat hash)
    S_ma=$(vc_stat mac) S_ak=$(vc_stat akcipher)
}
delta() {
    case $1 in
    stateless) echo $(( $(vc_stat stateless) - S_sl )) ;;
    submitted) echo $(( $(vc_stat submitted) - S_sub )) ;;
    sessions_created) echo $(( $(vc_stat sessions_created) - S_cr )) ;;
    sessions_destroyed) echo $(( $(vc_stat sessions_destroyed) - S_de )) ;;
    cipher) echo $(( $(vc_stat cipher) - S_ci )) ;;
    hash) echo $(( $(vc_stat hash) - S_ha )) ;;
    mac) echo $(( $(vc_stat mac) - S_ma )) ;;
    akcipher) echo $(( $(vc_stat akcipher) - S_ak )) ;;
    esac
}
hex() { hexdump -v -e '/1 "%02x"' "$1"; }

# hash_part NAME CRA OPENSSL SERVICE KEYED: one vector through afalg-kat
# (one-shot splice digest, then streaming); the digest is OpenSSL's.
hash_part() {
    _drv=$(virtio_driver_for "$2")
    if [ -z "$_drv" ]; then
        result "$1" FAIL "no virtio $2 registered"
        return
    fi
    head -c 200 /dev/urandom >msg
    head -c 32 /dev/urandom >key
    if [ "$5" = keyed ]; then
        _want=$(openssl dgst -"$3" -mac HMAC -macopt hexkey:"$(hex key)" msg | awk '{ print $NF }')
        echo "H $(hex key) $(hex msg) $_want sl" >vec.txt
    else
        _want=$(openssl dgst -"$3" -r msg | awk '{ print $1 }')
        echo "H - $(hex msg) $_want sl" >vec.txt
    fi
    snap
    _out=$(afalg-kat "$_drv" vec.txt 2>&1 | tail -n 1)
    _sl=$(delta stateless) _cr=$(delta sessions_created) _sub=$(delta submitted)
    _ev="$_drv: afalg-kat '$_out'; device requests +$_sub, stateless +$_sl, sessions created +$_cr"
    case $_out in
    "pass=2 fail=0"*) ;;
    *) result "$1" FAIL "$_ev"; return ;;
    esac
    if vc_sl_service "$4"; then
        # the one-shot digest went stateless; no session for the tfm
        if [ "$_sub" -ge 1 ] && [ "$_sl" -eq "$_sub" ] && [ "$_cr" -eq 0 ]; then
            result "$1" PASS "stateless, no session: $_ev"
        else
            result "$1" FAIL "expected stateless requests and no session: $_ev"
        fi
    elif [ "$_sub" -ge 1 ] && [ "$_sl" -eq 0 ] && [ "$_cr" -ge 1 ]; then
        result "$1" PASS "STATELESS bit $(($4 + 1)) not in use: session mode: $_ev"
    else
        result "$1" FAIL "STATELESS bit $(($4 + 1)) not in use, expected a session and no stateless request: $_ev"
    fi
}

hash_part stateless-hash sha256 sha256 1 plain
hash_part stateless-hmac "hmac(sha256)" sha256 2 keyed

# stateless-rsa: keyctl pkey_sign (PKCS#1 v1.5, SHA-256), equal to OpenSSL's
rsa_part() {
    P=stateless-rsa
    if [ -z "$(virtio_driver_for rsa)" ]; then
        result $P FAIL "no virtio rsa registered"
        return
    fi
    modprobe pkcs8_key_parser 2>/dev/null
    if ! openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out k.pem 2>/dev/null ||
        ! openssl pkcs8 -topk8 -nocrypt -in k.pem -outform DER -out k.p8 2>/dev/null; then
        result $P FAIL "openssl key generation failed"
        return
    fi
    head -c 32 /dev/urandom >h
    openssl pkeyutl -sign -inkey k.pem -pkeyopt rsa_padding_mode:pkcs1 -pkeyopt digest:sha256 \
        -in h -out s0 2>/dev/null || { result $P FAIL "openssl pkeyutl -sign failed"; return; }
    snap
    _key=$(keyctl padd asymmetric vc-sl @u <k.p8 2>&1) || { result $P FAIL "keyctl padd: $_key"; return; }
    _err=$(keyctl pkey_sign "$_key" 0 h enc=pkcs1 hash=sha256 2>&1 >s1)
    _rc=$?
    keyctl unlink "$_key" @u >/dev/null 2>&1
    _sl=$(delta stateless) _cr=$(delta sessions_created) _ak=$(delta akcipher)
    _ev="keyctl pkey_sign rc=$_rc; akcipher requests +$_ak, stateless +$_sl, sessions created +$_cr"
    if [ $_rc -ne 0 ] || ! cmp -s s0 s1; then
        result $P FAIL "signature not OpenSSL's ($_err): $_ev"
    elif [ "$_ak" -lt 1 ]; then
        result $P FAIL "the device did not sign: $_ev"
    elif vc_sl_service 4; then
        if [ "$_sl" -ge "$_ak" ] && [ "$_cr" -eq 0 ]; then
            result $P PASS "signature == OpenSSL's, stateless, no session: $_ev"
        else
            result $P FAIL "expected stateless akcipher requests and no session: $_ev"
        fi
    elif [ "$_sl" -eq 0 ] && [ "$_cr" -ge 1 ]; then
        result $P PASS "AKCIPHER STATELESS bit not in use: signature == OpenSSL's in a session: $_ev"
    else
        result $P FAIL "AKCIPHER STATELESS bit not in use, expected a session: $_ev"
    fi
    rm -f k.pem k.p8 h s0 s1
}
rsa_part

# stateless-session: a long-lived skcipher tfm (dm-crypt) moves to sessions
session_part() {
    P=stateless-session
    _drv=$(virtio_driver_for "xts(aes)")
    [ -n "$_drv" ] || { result $P FAIL "no virtio xts(aes) registered"; return; }
    if ! modprobe brd rd_nr=1 rd_size=2048 || ! modprobe dm_crypt; then
        result $P FAIL "cannot load brd/dm_crypt"
        return
    fi
    head -c 64 /dev/urandom >dm.key
    snap
    DM_DISABLE_UDEV=1 cryptsetup open --type plain --cipher aes-xts-plain64 --key-size 512 \
        --key-file dm.key --disable-locks /dev/ram0 vc-sl || { result $P FAIL "cryptsetup open failed"; return; }
    # 2 MiB written and read back: 8192 sector requests
    head -c 2097152 /dev/urandom >dm.plain
    dd if=dm.plain of=/dev/mapper/vc-sl bs=65536 oflag=direct 2>/dev/null
    dd if=/dev/mapper/vc-sl of=dm.back bs=65536 iflag=direct 2>/dev/null
    sleep 1
    _ci=$(delta cipher) _sl=$(delta stateless) _cr=$(delta sessions_created)
    _sess=$((_ci - _sl))
    DM_DISABLE_UDEV=1 cryptsetup close vc-sl
    _de=$(delta sessions_destroyed)
    _ev="$_drv: cipher requests +$_ci, stateless +$_sl, session-mode +$_sess, sessions created +$_cr, destroyed at close +$_de"
    if ! cmp -s dm.plain dm.back; then
        result $P FAIL "data read back differs: $_ev"
    elif vc_sl_service 0 && [ "$mode" = 1 ] && [ "$reqs" -gt 0 ]; then
        if [ "$_sl" -ge "$reqs" ] && [ "$_sess" -gt 0 ] && [ "$_cr" -eq 2 ] && [ "$_de" -eq 2 ]; then
            result $P PASS "first $reqs+ requests stateless, then sessions: $_ev"
        else
            result $P FAIL "expected >= $reqs stateless requests, then 2 sessions and session-mode requests: $_ev"
        fi
    elif vc_sl_service 0; then
        if [ "$_sl" -eq "$_ci" ] && [ "$_cr" -eq 0 ]; then
            result $P PASS "stateless=$mode: every request stateless, no session: $_ev"
        else
            result $P FAIL "stateless=$mode: expected every request stateless: $_ev"
        fi
    elif [ "$_sl" -eq 0 ] && [ "$_cr" -eq 2 ] && [ "$_de" -eq 2 ] && [ "$_sess" -gt 0 ]; then
        result $P PASS "CIPHER STATELESS bit not in use: 2 sessions at setkey: $_ev"
    else
        result $P FAIL "CIPHER STATELESS bit not in use, expected 2 sessions and no stateless request: $_ev"
    fi
    rm -f dm.key dm.plain dm.back
}
session_part

# kat_run DRIVER-CRA FILE...: afalg-kat over vector files of registered
# algorithms; prints "ok N" or the first failure.
kat_run() {
    _ops=0
    for _a in "$@"; do
        _cra=${_a%%:*} _file=${_a#*:}
        _d=$(virtio_driver_for "$_cra")
        [ -n "$_d" ] || continue
        _last=$(afalg-kat "$_d" "/vectors/$_file.txt" 2>&1 | tail -n 1)
        case $_last in
        pass=*" fail=0 "*) _ops=$((_ops + $(echo "$_last" | sed 's/pass=\([0-9]*\).*/\1/'))) ;;
        *) echo "$_d: $_last"; return 1 ;;
        esac
    done
    echo "ok $_ops"
}

# stateless-off: reload with stateless=0
off_part() {
    P=stateless-off
    if ! rmmod virtio_crypto 2>/tmp/sl.err; then
        result $P FAIL "rmmod virtio_crypto: $(cat /tmp/sl.err)"
        return
    fi
    lines=$(dmesg | wc -l)
    if ! modprobe virtio_crypto stateless=0; then
        result $P FAIL "modprobe virtio_crypto stateless=0 failed"
        return
    fi
    _bits=''
    for b in 1 2 3 4 5; do vc_feature $b && _bits="$_bits $b"; done
    _r1=0
    vc_feature 0 && _r1=1
    _bad=$(virtio_algs | while read -r _ d; do
        [ "$(crypto_field "$d" selftest)" = passed ] || echo "$d"
    done | tr '\n' ' ')
    _fails=$(dmesg | tail -n +$((lines + 1)) | grep -E 'alg: .*(fail|error|[Ee]rr )' | head -n 1)
    _kat=$(kat_run "ctr(aes):aes-ctr" "gcm(aes):aes-gcm" "sha256:sha256" "hmac(sha256):hmac-sha256")
    _sl=$(vc_stat stateless) _sub=$(vc_stat submitted) _cr=$(vc_stat sessions_created)
    _ev="$(virtio_algs | wc -l) algorithms, KATs: $_kat; since load: requests $_sub, stateless $_sl, sessions created $_cr; REVISION_1=$_r1, STATELESS bits:${_bits:- none}"
    if [ -n "$_bits" ]; then
        result $P FAIL "stateless=0 but STATELESS bits negotiated: $_ev"
    elif [ "$_r1" != "$rev1" ]; then
        result $P FAIL "REVISION_1 was $rev1 with stateless=$mode, $_r1 with stateless=0: $_ev"
    elif [ -n "$_bad" ] || [ -n "$_fails" ]; then
        result $P FAIL "self-tests not passed: ${_bad}${_fails}"
    elif [ "${_kat%% *}" != ok ]; then
        result $P FAIL "KAT failed: $_kat"
    elif [ "$_sl" -ne 0 ] || [ "$_sub" -eq 0 ] || [ "$_cr" -eq 0 ]; then
        result $P FAIL "expected requests and sessions but no stateless request: $_ev"
    else
        result $P PASS "sessions only: $_ev"
    fi
    # back to the default for the cases after this one
    rmmod virtio_crypto && modprobe virtio_crypto
}
off_part
