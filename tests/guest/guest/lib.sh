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

# dmesg_crash_lines: kernel lines that mean something went badly wrong.
dmesg_crash_lines() {
    dmesg | grep -E 'Oops|BUG:|WARNING:|Kernel panic|general protection|Call Trace' || true
}
