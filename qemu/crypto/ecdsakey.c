/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU Crypto ECDSA key and signature encodings (see ecdsakey.h)
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "crypto/wipe.h"
#include "der.h"
#include "ecdsakey.h"

/*
 * Named curve OIDs, RFC 5480 2.1.1.1: the content octets of the OID.
 * A key naming another curve than the session's is refused (AMB-7).
 */
static const uint8_t qcrypto_oid_prime256v1[] = {   /* 1.2.840.10045.3.1.7 */
    0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
};
static const uint8_t qcrypto_oid_secp384r1[] = {    /* 1.3.132.0.34 */
    0x2b, 0x81, 0x04, 0x00, 0x22,
};

#define QCRYPTO_DER_CTX_TAG(n) (0xa0 | (n))   /* [n] constructed */

/* SEC1 2.3.3: uncompressed point marker */
#define QCRYPTO_EC_POINT_UNCOMPRESSED 0x04

size_t qcrypto_akcipher_ecdsa_field_len(QCryptoAkCipherECDSACurve curve)
{
    switch (curve) {
    case QCRYPTO_AKCIPHER_ECDSA_CURVE_NIST_P256:
        return 32;
    case QCRYPTO_AKCIPHER_ECDSA_CURVE_NIST_P384:
        return 48;
    default:
        return 0;
    }
}

size_t qcrypto_akcipher_ecdsa_max_sig_len(QCryptoAkCipherECDSACurve curve)
{
    /* SEQUENCE of two INTEGERs, each field_len + a 0x00 sign byte */
    return 2 + 2 * (2 + qcrypto_akcipher_ecdsa_field_len(curve) + 1);
}

typedef struct QCryptoDERValue {
    const uint8_t *data;
    size_t len;
} QCryptoDERValue;

static int qcrypto_ecdsa_capture(void *opaque, const uint8_t *value,
                                 size_t vlen, Error **errp)
{
    QCryptoDERValue *v = opaque;

    v->data = value;
    v->len = vlen;
    return 0;
}

static bool qcrypto_ecdsa_curve_oid_matches(QCryptoAkCipherECDSACurve curve,
                                            const QCryptoDERValue *oid)
{
    const uint8_t *want;
    size_t wantlen;

    switch (curve) {
    case QCRYPTO_AKCIPHER_ECDSA_CURVE_NIST_P256:
        want = qcrypto_oid_prime256v1;
        wantlen = sizeof(qcrypto_oid_prime256v1);
        break;
    case QCRYPTO_AKCIPHER_ECDSA_CURVE_NIST_P384:
        want = qcrypto_oid_secp384r1;
        wantlen = sizeof(qcrypto_oid_secp384r1);
        break;
    default:
        return false;
    }
    return oid->len == wantlen && memcmp(oid->data, want, wantlen) == 0;
}

/*
 * SEC1 2.3.3 uncompressed point: 0x04 || X || Y, each field_len bytes.
 * Compressed points are not accepted (AMB-7).
 */
static int qcrypto_ecdsa_parse_point(QCryptoAkCipherECDSAKey *key,
                                     const uint8_t *pt, size_t ptlen,
                                     Error **errp)
{
    if (ptlen != 1 + 2 * key->field_len ||
        pt[0] != QCRYPTO_EC_POINT_UNCOMPRESSED) {
        error_setg(errp, "ECDSA public key is not an uncompressed point "
                   "of %zu bytes", 1 + 2 * key->field_len);
        return -1;
    }
    memcpy(key->x, pt + 1, key->field_len);
    memcpy(key->y, pt + 1 + key->field_len, key->field_len);
    key->has_pub = true;
    return 0;
}

/*
 * RFC 5915 3:
 * ECPrivateKey ::= SEQUENCE {
 *     version        INTEGER { ecPrivkeyVer1(1) },
 *     privateKey     OCTET STRING,
 *     parameters [0] ECParameters {{ NamedCurve }} OPTIONAL,
 *     publicKey  [1] BIT STRING OPTIONAL
 * }
 */
static int qcrypto_ecdsa_parse_private(QCryptoAkCipherECDSAKey *key,
                                       const uint8_t *der, size_t derlen,
                                       Error **errp)
{
    QCryptoDERValue seq, version, priv, param, oid, bits;
    const uint8_t *p;
    size_t len;

    if (qcrypto_der_decode_seq(&der, &derlen, qcrypto_ecdsa_capture, &seq,
                               errp) < 0) {
        return -1;
    }
    if (derlen != 0) {
        error_setg(errp, "Trailing data after ECPrivateKey");
        return -1;
    }
    p = seq.data;
    len = seq.len;
    if (qcrypto_der_decode_int(&p, &len, qcrypto_ecdsa_capture, &version,
                               errp) < 0) {
        return -1;
    }
    if (version.len != 1 || version.data[0] != 1) {
        error_setg(errp, "ECPrivateKey version is not 1");
        return -1;
    }
    if (qcrypto_der_decode_octet_str(&p, &len, qcrypto_ecdsa_capture, &priv,
                                     errp) < 0) {
        return -1;
    }
    if (priv.len != key->field_len) {
        error_setg(errp, "ECDSA private key is %zu bytes, expected %zu",
                   priv.len, key->field_len);
        return -1;
    }

    if (len && p[0] == QCRYPTO_DER_CTX_TAG(0)) {
        if (qcrypto_der_decode_ctx_tag(&p, &len, 0, qcrypto_ecdsa_capture,
                                       &param, errp) < 0 ||
            qcrypto_der_decode_oid(&param.data, &param.len,
                                   qcrypto_ecdsa_capture, &oid, errp) < 0) {
            return -1;
        }
        if (param.len != 0 ||
            !qcrypto_ecdsa_curve_oid_matches(key->curve, &oid)) {
            error_setg(errp, "ECPrivateKey is for another curve");
            return -1;
        }
    }
    if (len && p[0] == QCRYPTO_DER_CTX_TAG(1)) {
        if (qcrypto_der_decode_ctx_tag(&p, &len, 1, qcrypto_ecdsa_capture,
                                       &param, errp) < 0 ||
            qcrypto_der_decode_bit_str(&param.data, &param.len,
                                       qcrypto_ecdsa_capture, &bits,
                                       errp) < 0) {
            return -1;
        }
        /* The first BIT STRING octet counts unused bits: must be 0 */
        if (param.len != 0 || bits.len < 1 || bits.data[0] != 0) {
            error_setg(errp, "Malformed ECPrivateKey public key");
            return -1;
        }
        if (qcrypto_ecdsa_parse_point(key, bits.data + 1, bits.len - 1,
                                      errp) < 0) {
            return -1;
        }
    }
    if (len != 0) {
        error_setg(errp, "Unexpected data in ECPrivateKey");
        return -1;
    }

    key->d = g_memdup2(priv.data, priv.len);
    return 0;
}

QCryptoAkCipherECDSAKey *
qcrypto_akcipher_ecdsakey_parse(QCryptoAkCipherECDSACurve curve,
                                QCryptoAkCipherKeyType type,
                                const uint8_t *der, size_t derlen,
                                Error **errp)
{
    g_autoptr(QCryptoAkCipherECDSAKey) key = g_new0(QCryptoAkCipherECDSAKey,
                                                    1);
    int ret;

    key->curve = curve;
    key->field_len = qcrypto_akcipher_ecdsa_field_len(curve);
    if (!key->field_len) {
        error_setg(errp, "Unknown ECDSA curve %d", curve);
        return NULL;
    }

    switch (type) {
    case QCRYPTO_AKCIPHER_KEY_TYPE_PRIVATE:
        ret = qcrypto_ecdsa_parse_private(key, der, derlen, errp);
        break;
    case QCRYPTO_AKCIPHER_KEY_TYPE_PUBLIC:
        ret = qcrypto_ecdsa_parse_point(key, der, derlen, errp);
        break;
    default:
        error_setg(errp, "Unknown key type %d", type);
        ret = -1;
    }
    if (ret < 0) {
        return NULL;
    }
    return g_steal_pointer(&key);
}

void qcrypto_akcipher_ecdsakey_free(QCryptoAkCipherECDSAKey *key)
{
    if (!key) {
        return;
    }
    qcrypto_wipe_free(key->d, key->field_len);
    qcrypto_wipe_free(key, sizeof(*key));
}

/* Is this INTEGER content the minimal encoding of a non-negative value? */
static bool qcrypto_ecdsa_der_uint_ok(const QCryptoDERValue *v)
{
    if (v->len == 0 || (v->data[0] & 0x80)) {
        return false;
    }
    if (v->len > 1 && v->data[0] == 0 && !(v->data[1] & 0x80)) {
        return false;
    }
    return true;
}

/* Copy a checked INTEGER into a left-padded field_len buffer */
static bool qcrypto_ecdsa_der_uint_get(const QCryptoDERValue *v,
                                       uint8_t *out, size_t field_len)
{
    const uint8_t *data = v->data;
    size_t len = v->len;

    if (len > 1 && data[0] == 0) {
        data++;
        len--;
    }
    if (len > field_len) {
        return false;
    }
    memset(out, 0, field_len - len);
    memcpy(out + field_len - len, data, len);
    return true;
}

int qcrypto_akcipher_ecdsasig_parse(QCryptoAkCipherECDSACurve curve,
                                    const uint8_t *sig, size_t siglen,
                                    uint8_t *r, uint8_t *s, Error **errp)
{
    size_t field_len = qcrypto_akcipher_ecdsa_field_len(curve);
    const uint8_t *der = sig;
    size_t derlen = siglen;
    QCryptoDERValue seq, rv, sv;
    uint8_t canon[2 + 2 * (2 + QCRYPTO_ECDSA_MAX_FIELD_LEN + 1)];
    int canonlen;

    if (!field_len) {
        error_setg(errp, "Unknown ECDSA curve %d", curve);
        return -1;
    }
    if (qcrypto_der_decode_seq(&der, &derlen, qcrypto_ecdsa_capture, &seq,
                               errp) < 0 ||
        qcrypto_der_decode_int(&seq.data, &seq.len, qcrypto_ecdsa_capture,
                               &rv, errp) < 0 ||
        qcrypto_der_decode_int(&seq.data, &seq.len, qcrypto_ecdsa_capture,
                               &sv, errp) < 0) {
        return -1;
    }
    if (derlen != 0 || seq.len != 0) {
        error_setg(errp, "Trailing data in ECDSA signature");
        return -1;
    }
    if (!qcrypto_ecdsa_der_uint_ok(&rv) || !qcrypto_ecdsa_der_uint_ok(&sv) ||
        !qcrypto_ecdsa_der_uint_get(&rv, r, field_len) ||
        !qcrypto_ecdsa_der_uint_get(&sv, s, field_len)) {
        error_setg(errp, "ECDSA signature integers are not minimal, "
                   "non-negative and at most %zu bytes", field_len);
        return -1;
    }

    /* der.c accepts non-minimal lengths: re-encoding must give @sig back */
    canonlen = qcrypto_akcipher_ecdsasig_encode(curve, r, s, canon,
                                                sizeof(canon), errp);
    if (canonlen < 0) {
        return -1;
    }
    if (canonlen != siglen || memcmp(canon, sig, siglen) != 0) {
        error_setg(errp, "ECDSA signature is not in canonical DER");
        return -1;
    }
    return 0;
}

/*
 * Minimal INTEGER content for the unsigned big-endian @num, built in
 * @buf (len + 1 bytes).  Returns where the content starts in @buf.
 */
static const uint8_t *qcrypto_ecdsa_uint_content(const uint8_t *num,
                                                 size_t len, uint8_t *buf,
                                                 size_t *content_len)
{
    while (len > 1 && num[0] == 0) {
        num++;
        len--;
    }
    buf[0] = 0;
    memcpy(buf + 1, num, len);
    if (num[0] & 0x80) {
        *content_len = len + 1;
        return buf;
    }
    *content_len = len;
    return buf + 1;
}

int qcrypto_akcipher_ecdsasig_encode(QCryptoAkCipherECDSACurve curve,
                                     const uint8_t *r, const uint8_t *s,
                                     uint8_t *out, size_t outlen,
                                     Error **errp)
{
    size_t field_len = qcrypto_akcipher_ecdsa_field_len(curve);
    uint8_t buf[2 + 2 * (2 + QCRYPTO_ECDSA_MAX_FIELD_LEN + 1)];
    /* der.c keeps pointers to the contents until the flush */
    uint8_t rbuf[QCRYPTO_ECDSA_MAX_FIELD_LEN + 1];
    uint8_t sbuf[QCRYPTO_ECDSA_MAX_FIELD_LEN + 1];
    const uint8_t *rc, *sc;
    size_t rlen, slen;
    QCryptoEncodeContext *ctx;
    size_t len;

    if (!field_len) {
        error_setg(errp, "Unknown ECDSA curve %d", curve);
        return -1;
    }
    rc = qcrypto_ecdsa_uint_content(r, field_len, rbuf, &rlen);
    sc = qcrypto_ecdsa_uint_content(s, field_len, sbuf, &slen);
    ctx = qcrypto_der_encode_ctx_new();
    qcrypto_der_encode_seq_begin(ctx);
    qcrypto_der_encode_int(ctx, rc, rlen);
    qcrypto_der_encode_int(ctx, sc, slen);
    qcrypto_der_encode_seq_end(ctx);
    len = qcrypto_der_encode_ctx_buffer_len(ctx);
    assert(len <= sizeof(buf));
    qcrypto_der_encode_ctx_flush_and_free(ctx, buf);

    if (len > outlen) {
        error_setg(errp, "ECDSA signature needs %zu bytes, have %zu",
                   len, outlen);
        return -1;
    }
    memcpy(out, buf, len);
    return len;
}
