# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for the in-guest test cases (busybox sh).  Sourced by /init and by
# every tests/guest/cases/*.sh script.

# result CASE PASS|FAIL|SKIP DETAIL...: the one line the host collects.
result() {
    _case=$1 _status=$2
    shift 2
    echo "RESULT $_case $_status $*"
}

# info CASE TEXT...: extra evidence for humans, ignored by the host parser.
info() {
    _case=$1
    shift
    echo "INFO $_case $*"
}

# cmdline_param NAME DEFAULT: value of NAME=... on the kernel command line.
cmdline_param() {
    _v=$(tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p" | tail -n 1)
    echo "${_v:-$2}"
}

# Which driver the image was built with: ours, stock or none.
vc_driver() {
    cmdline_param vcdriver none
}

# driver_loaded: true when the virtio_crypto module is in the kernel.
driver_loaded() {
    [ -d /sys/module/virtio_crypto ]
}

# ensure_driver: load virtio_crypto if the image has one.  Returns 1 when
# the image was built without a driver, 2 when loading failed.
ensure_driver() {
    driver_loaded && return 0
    [ "$(vc_driver)" = none ] && return 1
    modprobe virtio_crypto || return 2
    driver_loaded || return 2
}

# virtio_algs: "name driver" pairs of /proc/crypto entries whose driver
# name starts with virtio.
virtio_algs() {
    awk -F': ' '
        /^name/   { name = $2 }
        /^driver/ { if ($2 ~ /^virtio/) print name, $2 }
    ' /proc/crypto | sed 's/  */ /g' | sort -u
}

# virtio_driver_for CRA_NAME: the virtio driver name registered for it.
virtio_driver_for() {
    virtio_algs | awk -v n="$1" '$1 == n { print $2; exit }'
}

# crypto_field DRIVER FIELD: a field of the /proc/crypto entry of DRIVER.
crypto_field() {
    awk -F': ' -v d="$1" -v f="$2" '
        /^name/ { cur = "" }
        /^driver/ { sub(/ *$/, "", $2); cur = $2 }
        cur == d && $1 ~ "^" f " *$" { print $2; exit }
    ' /proc/crypto
}

# vc_device_index: N of the virtioN device that is virtio-crypto (id 20).
vc_device_index() {
    for d in /sys/bus/virtio/devices/virtio*; do
        [ -e "$d/device" ] || continue
        if [ "$(cat "$d/device")" = 0x0014 ]; then
            basename "$d" | sed 's/^virtio//'
            return 0
        fi
    done
    return 1
}

# vc_irq_count: total interrupts (all CPUs) of the crypto device's data
# queues.  run-guest.sh gives the device one MSI-X vector per queue
# (vectors=queues+2), so the control queue (session create/destroy) and
# config vectors are told apart and left out: only data-queue work counts.
# With a single shared "virtqueues" vector that one is counted.
vc_irq_count() {
    _n=$(vc_device_index) || { echo 0; return; }
    awk -v dev="virtio$_n-" '
        NR == 1 { ncpu = NF; next }
        {
            name = $NF
            if (index(name, dev) != 1 || name ~ /-(config|control.*|ctrl.*)$/) next
            for (i = 2; i <= ncpu + 1; i++) sum += $i
        }
        END { print sum + 0 }
    ' /proc/interrupts
}

# vc_irq_names: the crypto device's interrupt names (for INFO lines).
vc_irq_names() {
    _n=$(vc_device_index) || return 0
    awk -v dev="virtio$_n-" 'index($NF, dev) == 1 { printf "%s ", $NF }' /proc/interrupts
}

# vc_config_bit FIELD BIT: true when the device advertises BIT in FIELD
# (as read by vc-config straight from the PCI BAR at boot, see /init).
vc_config_bit() {
    _val=$(sed -n "s/^$1=//p" /run/vc-config.txt 2>/dev/null)
    [ -n "$_val" ] || return 2
    [ $(( (_val >> $2) & 1 )) -eq 1 ]
}

# Algorithms with known-answer vectors in /vectors, one word each:
# result name:cra_name:vector file:config field:VIRTIO_CRYPTO_* bit:shown as
# shellcheck disable=SC2034  # used by the cases that source this file
VC_KAT_ALGS="ecb:ecb(aes):aes-ecb:cipher_algo_l:2:AES-ECB cbc:cbc(aes):aes-cbc:cipher_algo_l:3:AES-CBC
ctr:ctr(aes):aes-ctr:cipher_algo_l:4:AES-CTR xts:xts(aes):aes-xts:cipher_algo_l:13:AES-XTS
des3-ecb:ecb(des3_ede):des3-ecb:cipher_algo_l:7:3DES-ECB des3-cbc:cbc(des3_ede):des3-cbc:cipher_algo_l:8:3DES-CBC
sha1:sha1:sha1:hash_algo:2:SHA1 sha224:sha224:sha224:hash_algo:3:SHA-224
sha256:sha256:sha256:hash_algo:4:SHA-256 sha384:sha384:sha384:hash_algo:5:SHA-384
sha512:sha512:sha512:hash_algo:6:SHA-512 sha3-224:sha3-224:sha3-224:hash_algo:7:SHA3-224
sha3-256:sha3-256:sha3-256:hash_algo:8:SHA3-256 sha3-384:sha3-384:sha3-384:hash_algo:9:SHA3-384
sha3-512:sha3-512:sha3-512:hash_algo:10:SHA3-512
hmac-sha1:hmac(sha1):hmac-sha1:mac_algo_l:2:HMAC-SHA1 hmac-sha224:hmac(sha224):hmac-sha224:mac_algo_l:3:HMAC-SHA-224
hmac-sha256:hmac(sha256):hmac-sha256:mac_algo_l:4:HMAC-SHA-256 hmac-sha384:hmac(sha384):hmac-sha384:mac_algo_l:5:HMAC-SHA-384
hmac-sha512:hmac(sha512):hmac-sha512:mac_algo_l:6:HMAC-SHA-512
gcm:gcm(aes):aes-gcm:aead_algo:1:AES-GCM chacha20poly1305:rfc7539(chacha20,poly1305):chacha20poly1305:aead_algo:3:ChaCha20-Poly1305"

# kmemleak_check CASE: waits out kmemleak's minimum object age (5 s), scans
# twice and sets leak_n to the number of unreferenced objects, printing the
# first reports as INFO lines of CASE.  Returns 1 if a scan cannot run.
kmemleak_check() {
    _k=/sys/kernel/debug/kmemleak
    leak_n=
    sleep 6
    if ! echo scan >$_k || ! sleep 1 || ! echo scan >$_k; then
        return 1
    fi
    leak_n=$(grep -c 'unreferenced object' $_k)
    [ "$leak_n" -eq 0 ] || head -n 40 $_k | sed "s/^/INFO $1 /"
    return 0
}

# dmesg_crash_lines: kernel lines that mean something went badly wrong.
dmesg_crash_lines() {
    dmesg | grep -E 'Oops|BUG:|WARNING:|Kernel panic|general protection|Call Trace' || true
}

# vc_stats_file: the driver's per-queue counters of the crypto device
# (/sys/bus/virtio/devices/virtioN/stats, see docs/driver.md).
vc_stats_file() {
    _n=$(vc_device_index) || return 1
    echo "/sys/bus/virtio/devices/virtio$_n/stats"
}

# vc_stat FIELD: FIELD (submitted, completed, failed, cipher, hash, mac,
# aead, akcipher, stateless ...) summed over every data queue, or a field
# of the "ctrl" line (sessions_created, sessions_destroyed); 0 without the
# file.
vc_stat() {
    _f=$(vc_stats_file) && [ -r "$_f" ] || { echo 0; return; }
    awk -v f="$1" '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == f) s += kv[2] } } END { print s + 0 }' "$_f"
}

# vc_feature BIT: true when feature BIT (0..63) of the crypto device was
# negotiated (the virtio core's sysfs "features" string, bit 0 first):
# 0 REVISION_1, 1..5 the CIPHER, HASH, MAC, AEAD, AKCIPHER STATELESS bits.
vc_feature() {
    _n=$(vc_device_index) || return 1
    _f=$(cat "/sys/bus/virtio/devices/virtio$_n/features" 2>/dev/null) || return 1
    [ "$(echo "$_f" | cut -c $(($1 + 1)))" = 1 ]
}

# vc_param NAME: the loaded virtio_crypto module's parameter NAME.
vc_param() {
    cat "/sys/module/virtio_crypto/parameters/$1" 2>/dev/null
}

# vc_sl_service SERVICE: true when the loaded driver sends stateless
# requests for SERVICE (0 cipher, 1 hash, 2 mac, 3 aead, 4 akcipher): its
# STATELESS bit (SERVICE + 1) and REVISION_1 negotiated, stateless != 0.
vc_sl_service() {
    [ "$(vc_param stateless)" != 0 ] && vc_feature 0 && vc_feature $(($1 + 1))
}

# need_driver CASE: load the driver or print the case's SKIP/FAIL and
# return 1 (the caller exits).
need_driver() {
    ensure_driver
    case $? in
    0) return 0 ;;
    1) result "$1" SKIP "image built without a virtio_crypto driver" ;;
    *) result "$1" FAIL "modprobe virtio_crypto failed" ;;
    esac
    return 1
}

# best_driver CRA_NAME: driver name of the highest-priority /proc/crypto
# entry for CRA_NAME (what a lookup by cra_name gets).
best_driver() {
    awk -F': ' -v want="$1" '
        /^name/ { n = $2; sub(/ *$/, "", n) }
        /^driver/ { d = $2; sub(/ *$/, "", d) }
        /^priority/ { if (n == want && $2 + 0 > p) { p = $2 + 0; b = d } }
        END { print b }' /proc/crypto
}

# vc_ctrl_irq_count: interrupts of the crypto device's control queue
# (session create/destroy), 0 when it has no vector of its own.
vc_ctrl_irq_count() {
    _n=$(vc_device_index) || { echo 0; return; }
    awk -v dev="virtio$_n-control" '
        NR == 1 { ncpu = NF; next }
        index($NF, dev) == 1 { for (i = 2; i <= ncpu + 1; i++) sum += $i }
        END { print sum + 0 }
    ' /proc/interrupts
}
