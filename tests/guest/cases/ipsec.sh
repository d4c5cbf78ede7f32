#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ipsec: ESP in transport mode between two network namespaces joined by a
# veth pair, enc cbc(aes) + auth hmac(sha256): esp4 allocates
# "echainiv(authenc(hmac(sha256),cbc(aes)))", whose authenc must be the
# virtio driver's own (algorithm chaining) or the template over the virtio
# cbc(aes) (a device without chaining).  Completions then arrive in
# softirq context.  Checks: ping gets every reply, the SAs counted the
# packets, the AEAD is built on the virtio driver, and the device's
# interrupt count rose.
# Then (result ipsec-gcm) the same with ESP AES-GCM, aead rfc4106(gcm(aes))
# with a 128-bit ICV: esp4 allocates "seqiv(rfc4106(gcm(aes)))", whose
# rfc4106 must be the virtio driver's own or the template over the virtio
# gcm(aes); the driver's aead counter must rise by at least one request
# per packet each way.  SKIP "not advertised" without a virtio gcm(aes).
# shellcheck source=SCRIPTDIR/../guest/lib.sh
. /lib/vc/lib.sh
C=ipsec

ensure_driver
case $? in
1) result $C SKIP "image built without a virtio_crypto driver"; exit 0 ;;
2) result $C FAIL "modprobe virtio_crypto failed"; exit 0 ;;
esac
drv=$(virtio_driver_for "cbc(aes)")
if [ -z "$drv" ]; then
    result $C SKIP "not advertised: no virtio cbc(aes) registered"
    exit 0
fi
# iproute2's ip by path: busybox sh prefers its own applets (its "ip" has
# no netns/xfrm) over $PATH.
ip() { /usr/bin/ip "$@"; }
[ -x /usr/bin/ip ] || { result $C FAIL "iproute2 ip missing from the image"; exit 0; }
for m in veth xfrm_user esp4 authenc; do
    modprobe $m || { result $C FAIL "modprobe $m failed"; exit 0; }
done
fail() {
    result $C FAIL "$*"
    ip netns del vca 2>/dev/null
    ip netns del vcb 2>/dev/null
    exit 0
}
# ip netns keeps its namespace handles under /run/netns (bind mounts, with
# shared propagation, which the initramfs root does not allow): give it
# a tmpfs of its own.
mkdir -p /run/netns
grep -q ' /run/netns ' /proc/mounts || mount -t tmpfs -o mode=755 netns /run/netns
for ns in vca vcb; do
    err=$(ip netns add $ns 2>&1) || fail "ip netns add $ns failed: $err"
done
ip link add vc0 type veth peer name vc1 || fail "veth creation failed"
ip link set vc0 netns vca || fail "moving veth ends failed"
ip link set vc1 netns vcb || fail "moving veth ends failed"
ip -n vca addr add 10.99.0.1/24 dev vc0
ip -n vcb addr add 10.99.0.2/24 dev vc1
for ns in vca vcb; do
    ip -n $ns link set lo up
done
ip -n vca link set vc0 up
ip -n vcb link set vc1 up

ek=0x$(head -c 16 /dev/urandom | hexdump -v -e '/1 "%02x"')
ak=0x$(head -c 32 /dev/urandom | hexdump -v -e '/1 "%02x"')
A=10.99.0.1 B=10.99.0.2
for ns in vca vcb; do
    ip -n $ns xfrm state add src $A dst $B proto esp spi 0x1001 mode transport \
        enc 'cbc(aes)' "$ek" auth-trunc 'hmac(sha256)' "$ak" 128 || fail "xfrm state add failed in $ns"
    ip -n $ns xfrm state add src $B dst $A proto esp spi 0x1002 mode transport \
        enc 'cbc(aes)' "$ek" auth-trunc 'hmac(sha256)' "$ak" 128 || fail "xfrm state add failed in $ns"
done
ip -n vca xfrm policy add src $A dst $B dir out tmpl src $A dst $B proto esp mode transport
ip -n vca xfrm policy add src $B dst $A dir in tmpl src $B dst $A proto esp mode transport
ip -n vcb xfrm policy add src $B dst $A dir out tmpl src $B dst $A proto esp mode transport
ip -n vcb xfrm policy add src $A dst $B dir in tmpl src $A dst $B proto esp mode transport

irq0=$(vc_irq_count)
out=$(ip netns exec vca ping -c 5 -s 1000 -W 5 $B 2>&1)
irqs=$(( $(vc_irq_count) - irq0 ))
echo "$out" | tail -n 2 | sed "s/^/INFO $C /"
# The AEAD esp4 allocated: echainiv (cbc's IV generator) over authenc.
inst=$(awk -F': ' '/^name/ { n = $2 } /^driver/ { if (n == "echainiv(authenc(hmac(sha256),cbc(aes)))") print $2 }' /proc/crypto | head -n 1)
# With algorithm chaining the driver registers authenc itself.
native=$(virtio_driver_for "authenc(hmac(sha256),cbc(aes))")
info $C "authenc instance: $inst"
pk=$(ip -n vca -s xfrm state list src $A dst $B | sed -n '/lifetime current:/{n;s/.*[^0-9]\([0-9][0-9]*\)(packets).*/\1/p;}' | head -n 1)
info $C "packets on SA $A->$B: ${pk:-?}"
if ! echo "$out" | grep -q ' 0% packet loss'; then
    fail "ping over ESP lost packets"
fi
case $inst in
*"(${native:-no-native-authenc})") ;;
*"$drv"*) ;;
*) fail "authenc instance '$inst' uses neither $drv nor ${native:-a virtio authenc}" ;;
esac
[ "${pk:-0}" -ge 5 ] 2>/dev/null || fail "the SA counted ${pk:-no} packets, expected at least 5"
[ "$irqs" -gt 0 ] || fail "no device interrupts during the ESP traffic"
result $C PASS "5 pings over ESP cbc(aes)+hmac(sha256), 0% loss, $inst, device-irqs=$irqs"

# ---- ESP AES-GCM (RFC 4106) ----
C=ipsec-gcm
gcm=$(virtio_driver_for "gcm(aes)")
if [ -z "$gcm" ]; then
    ip netns del vca
    ip netns del vcb
    result $C SKIP "not advertised: no virtio gcm(aes) registered"
    exit 0
fi
modprobe seqiv 2>/dev/null
for ns in vca vcb; do
    ip -n $ns xfrm state flush
done
gk=0x$(head -c 20 /dev/urandom | hexdump -v -e '/1 "%02x"')
for ns in vca vcb; do
    ip -n $ns xfrm state add src $A dst $B proto esp spi 0x2001 mode transport \
        aead 'rfc4106(gcm(aes))' "$gk" 128 || fail "xfrm state add (rfc4106) failed in $ns"
    ip -n $ns xfrm state add src $B dst $A proto esp spi 0x2002 mode transport \
        aead 'rfc4106(gcm(aes))' "$gk" 128 || fail "xfrm state add (rfc4106) failed in $ns"
done
irq0=$(vc_irq_count) a0=$(vc_stat aead)
out=$(ip netns exec vca ping -c 5 -s 1000 -W 5 $B 2>&1)
irqs=$(( $(vc_irq_count) - irq0 )) na=$(( $(vc_stat aead) - a0 ))
echo "$out" | tail -n 2 | sed "s/^/INFO $C /"
inst=$(awk -F': ' '/^name/ { n = $2 } /^driver/ { if (n == "seqiv(rfc4106(gcm(aes)))") print $2 }' /proc/crypto | head -n 1)
native=$(virtio_driver_for "rfc4106(gcm(aes))")
info $C "rfc4106 instance: $inst"
pk=$(ip -n vca -s xfrm state list src $A dst $B | sed -n '/lifetime current:/{n;s/.*[^0-9]\([0-9][0-9]*\)(packets).*/\1/p;}' | head -n 1)
echo "$out" | grep -q ' 0% packet loss' || fail "ping over ESP AES-GCM lost packets"
case $inst in
*"(${native:-no-native-rfc4106})") ;;
*"$gcm"*) ;;
*) fail "rfc4106 instance '$inst' uses neither $gcm nor ${native:-a virtio rfc4106}" ;;
esac
[ "${pk:-0}" -ge 5 ] 2>/dev/null || fail "the GCM SA counted ${pk:-no} packets, expected at least 5"
[ "$irqs" -gt 0 ] || fail "no device interrupts during the ESP AES-GCM traffic"
# 5 echo requests and 5 replies, each encrypted once and decrypted once
if [ -r "$(vc_stats_file)" ] && [ "$na" -lt 20 ]; then
    fail "the driver's aead counter rose by $na, expected at least 20 (10 packets, encrypt + decrypt)"
fi
ip netns del vca
ip netns del vcb
result $C PASS "5 pings over ESP rfc4106(gcm(aes)), 0% loss, $inst, aead requests=$na, device-irqs=$irqs"
