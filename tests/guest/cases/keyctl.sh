#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# keyctl: RSA through the kernel's asymmetric key type.  A 2048-bit key made
# with OpenSSL (PKCS#8 DER) is added with "keyctl padd asymmetric"; then
# pkey_encrypt / pkey_decrypt (enc=pkcs1) and pkey_sign / pkey_verify
# (enc=pkcs1 hash=sha256) run through pkcs1pad(rsa[,sha256]), which must be
# built on the virtio "rsa" (its self-test passed).  Every result is
# checked against OpenSSL's own software RSA: OpenSSL decrypts what the
# kernel encrypted, the kernel decrypts what OpenSSL encrypted, the
# kernel's signature equals OpenSSL's (PKCS#1 v1.5 is deterministic) and
# verifies with it, a corrupted signature is refused.  The driver's
# akcipher counter and the device's data-queue interrupts must rise.
# shellcheck source=SCRIPTDIR/../guest/lib.sh
. /lib/vc/lib.sh
C=keyctl

need_driver $C || exit 0
rsa=$(virtio_driver_for rsa)
if [ -z "$rsa" ]; then
    # the driver's probe vetoes an RSA the device advertises but cannot do
    # (Debian's QEMU: no raw RSA on nettle), and says so
    broken=$(dmesg | grep -F "virtio_crypto" | grep -F " rsa: advertised, but" | tail -n 1)
    if vc_config_bit akcipher_algo 1 && [ -n "$broken" ]; then
        result $C SKIP "advertised but broken: device advertises RSA and fails it (${broken#*] })"
    elif vc_config_bit akcipher_algo 1; then
        result $C FAIL "the device advertises RSA but no virtio rsa is registered"
    else
        result $C SKIP "not advertised: no virtio rsa registered"
    fi
    exit 0
fi
st=$(crypto_field "$rsa" selftest)
if [ "$st" != passed ]; then
    result $C FAIL "$rsa self-test: '$st'"
    exit 0
fi
best=$(best_driver rsa)
if [ "$best" != "$rsa" ]; then
    result $C FAIL "rsa by name resolves to $best, not $rsa"
    exit 0
fi
modprobe pkcs8_key_parser 2>/dev/null
cd /tmp || exit 0
fail() {
    result $C FAIL "$*"
    keyctl unlink "${key:-0}" @u >/dev/null 2>&1
    exit 0
}
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out k.pem 2>/dev/null ||
    fail "openssl genpkey failed"
openssl pkcs8 -topk8 -nocrypt -in k.pem -outform DER -out k.p8 2>/dev/null ||
    fail "openssl pkcs8 failed"
openssl pkey -in k.pem -pubout -out pub.pem 2>/dev/null || fail "openssl pkey -pubout failed"
# @u, not @s: every keyctl process would get its own session keyring.
key=$(keyctl padd asymmetric vc-rsa @u <k.p8 2>/tmp/keyctl.err) ||
    fail "keyctl padd: $(cat /tmp/keyctl.err)"
info $C "key $key: $(keyctl pkey_query "$key" 0 2>&1 | tr '\n' ' ')"
head -c 100 /dev/urandom >m
head -c 3000 /dev/urandom >data
openssl dgst -sha256 -binary data >h

irq0=$(vc_irq_count) ak0=$(vc_stat akcipher)
# 1. kernel encrypts (public key), OpenSSL decrypts
keyctl pkey_encrypt "$key" 0 m enc=pkcs1 >c1 2>/tmp/keyctl.err || fail "pkey_encrypt: $(cat /tmp/keyctl.err)"
[ "$(wc -c <c1)" -eq 256 ] || fail "pkey_encrypt gave $(wc -c <c1) bytes, not 256"
openssl pkeyutl -decrypt -inkey k.pem -pkeyopt rsa_padding_mode:pkcs1 -in c1 -out m1 2>/dev/null ||
    fail "OpenSSL cannot decrypt the kernel's ciphertext"
cmp -s m m1 || fail "OpenSSL decrypted the kernel's ciphertext to something else"
# 2. OpenSSL encrypts, kernel decrypts (private key)
openssl pkeyutl -encrypt -pubin -inkey pub.pem -pkeyopt rsa_padding_mode:pkcs1 -in m -out c2 2>/dev/null ||
    fail "openssl pkeyutl -encrypt failed"
keyctl pkey_decrypt "$key" 0 c2 enc=pkcs1 >m2 2>/tmp/keyctl.err || fail "pkey_decrypt: $(cat /tmp/keyctl.err)"
cmp -s m m2 || fail "pkey_decrypt of OpenSSL's ciphertext is not the message"
# 3. kernel signs; equal to OpenSSL's signature and verified by OpenSSL
keyctl pkey_sign "$key" 0 h enc=pkcs1 hash=sha256 >s1 2>/tmp/keyctl.err || fail "pkey_sign: $(cat /tmp/keyctl.err)"
openssl pkeyutl -sign -inkey k.pem -pkeyopt rsa_padding_mode:pkcs1 -pkeyopt digest:sha256 -in h -out s0 2>/dev/null ||
    fail "openssl pkeyutl -sign failed"
cmp -s s0 s1 || fail "pkey_sign differs from OpenSSL's PKCS#1 v1.5 signature"
openssl dgst -sha256 -verify pub.pem -signature s1 data >/dev/null 2>&1 ||
    fail "OpenSSL does not verify the kernel's signature"
# 4. kernel verifies OpenSSL's signature; a corrupted one is refused
keyctl pkey_verify "$key" 0 h s0 enc=pkcs1 hash=sha256 2>/tmp/keyctl.err ||
    fail "pkey_verify of OpenSSL's signature: $(cat /tmp/keyctl.err)"
b=$(dd if=s0 bs=1 skip=100 count=1 2>/dev/null | hexdump -v -e '/1 "%u"')
# shellcheck disable=SC2059  # the format is the octal escape of one byte
{ head -c 100 s0; printf "\\$(printf %o $((b ^ 255)))"; tail -c 155 s0; } >s2
if [ "$(wc -c <s2)" -ne 256 ] || cmp -s s0 s2; then
    fail "could not build a corrupted signature"
fi
if keyctl pkey_verify "$key" 0 h s2 enc=pkcs1 hash=sha256 2>/tmp/keyctl.err; then
    fail "pkey_verify accepted a corrupted signature"
fi
info $C "corrupted signature refused: $(cat /tmp/keyctl.err)"
irqs=$(( $(vc_irq_count) - irq0 )) ak=$(( $(vc_stat akcipher) - ak0 ))
inst=$(awk -F': ' '/^driver/ { d = $2 } /^name/ { n = $2 } /^driver/ && n ~ /^pkcs1pad/ { print $2 }' /proc/crypto | sort -u | tr '\n' ' ')
info $C "pkcs1pad instances: $inst"
keyctl unlink "$key" @u >/dev/null 2>&1
rm -f k.pem k.p8 pub.pem m m1 m2 c1 c2 s0 s1 s2 h data
case " $inst " in
*"pkcs1pad($rsa)"*"pkcs1pad($rsa,sha256"*|*"pkcs1pad($rsa,sha256"*"pkcs1pad($rsa)"*) ;;
*) result $C FAIL "pkcs1pad instances not built on $rsa: $inst"; exit 0 ;;
esac
# encrypt, decrypt, sign, 2 verifies: at least 5 RSA operations
if [ "$ak" -lt 5 ] || [ "$irqs" -le 0 ]; then
    result $C FAIL "results right but the device did little: akcipher requests=$ak, device-irqs=$irqs"
else
    result $C PASS "RSA-2048 pkey_encrypt/decrypt/sign/verify == OpenSSL, bad signature refused, on pkcs1pad($rsa): akcipher requests=$ak, device-irqs=$irqs"
fi
