/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU Crypto ECDSA key and signature encodings, shared by the
 * library drivers: RFC 5915 ECPrivateKey and SEC1 public points in,
 * RFC 3279 Ecdsa-Sig-Value DER in and out.  All DER goes through
 * crypto/der.c.
 */

#ifndef QCRYPTO_ECDSAKEY_H
#define QCRYPTO_ECDSAKEY_H

#include "crypto/akcipher.h"

/* The largest field element (P-384) and digest (SHA-512) we accept */
#define QCRYPTO_ECDSA_MAX_FIELD_LEN 48
#define QCRYPTO_ECDSA_MAX_DIGEST_LEN 64

typedef struct QCryptoAkCipherECDSAKey {
    QCryptoAkCipherECDSACurve curve;
    size_t field_len;
    /* Private scalar, big-endian, field_len bytes; NULL for public keys */
    uint8_t *d;
    /* Public point coordinates, field_len bytes each; false if absent */
    bool has_pub;
    uint8_t x[QCRYPTO_ECDSA_MAX_FIELD_LEN];
    uint8_t y[QCRYPTO_ECDSA_MAX_FIELD_LEN];
} QCryptoAkCipherECDSAKey;

/**
 * qcrypto_akcipher_ecdsa_field_len:
 * @curve: the curve
 *
 * Returns: the size in bytes of a field element and of the group
 * order of @curve (32 for P-256, 48 for P-384), or 0 if unknown.
 */
size_t qcrypto_akcipher_ecdsa_field_len(QCryptoAkCipherECDSACurve curve);

/**
 * qcrypto_akcipher_ecdsa_max_sig_len:
 * @curve: the curve
 *
 * Returns: the longest DER Ecdsa-Sig-Value for @curve.
 */
size_t qcrypto_akcipher_ecdsa_max_sig_len(QCryptoAkCipherECDSACurve curve);

/**
 * qcrypto_akcipher_ecdsakey_parse:
 * @curve: the curve the key must be on
 * @type: QCRYPTO_AKCIPHER_KEY_TYPE_PRIVATE for an RFC 5915 ECPrivateKey
 *        (version 1; optional parameters must name @curve; an optional
 *        public key is kept), QCRYPTO_AKCIPHER_KEY_TYPE_PUBLIC for a
 *        SEC1 uncompressed point (0x04 || X || Y)
 * @key: the encoded key
 * @keylen: its length
 * @errp: pointer to a NULL-initialized error object
 *
 * Only the encoding is checked here; the drivers check that the scalar
 * is in range and the point is on the curve.
 *
 * Returns: the parsed key, or NULL with @errp set.
 */
QCryptoAkCipherECDSAKey *
qcrypto_akcipher_ecdsakey_parse(QCryptoAkCipherECDSACurve curve,
                                QCryptoAkCipherKeyType type,
                                const uint8_t *key, size_t keylen,
                                Error **errp);

/**
 * qcrypto_akcipher_ecdsakey_free:
 * @key: the key, or NULL
 *
 * Free @key, wiping the private scalar.
 */
void qcrypto_akcipher_ecdsakey_free(QCryptoAkCipherECDSAKey *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(QCryptoAkCipherECDSAKey,
                              qcrypto_akcipher_ecdsakey_free)

/**
 * qcrypto_akcipher_ecdsasig_parse:
 * @curve: the curve
 * @sig: a DER Ecdsa-Sig-Value, SEQUENCE { INTEGER r, INTEGER s }
 * @siglen: its length
 * @r: where to write r, big-endian, left-padded to the field length
 * @s: where to write s, likewise
 * @errp: pointer to a NULL-initialized error object
 *
 * Strict DER: minimal lengths, minimal non-negative integers no longer
 * than the group order, nothing after the sequence.  Anything else is
 * refused, so that one signature has exactly one accepted encoding.
 * Range checks (0 < r, s < n) are left to the library.
 *
 * Returns: 0 on success, -1 with @errp set.
 */
int qcrypto_akcipher_ecdsasig_parse(QCryptoAkCipherECDSACurve curve,
                                    const uint8_t *sig, size_t siglen,
                                    uint8_t *r, uint8_t *s, Error **errp);

/**
 * qcrypto_akcipher_ecdsasig_encode:
 * @curve: the curve
 * @r: r, big-endian, field length bytes
 * @s: s, big-endian, field length bytes
 * @out: where to write the DER Ecdsa-Sig-Value
 * @outlen: the room in @out
 * @errp: pointer to a NULL-initialized error object
 *
 * Returns: the length written, or -1 with @errp set if @outlen is
 * too small.
 */
int qcrypto_akcipher_ecdsasig_encode(QCryptoAkCipherECDSACurve curve,
                                     const uint8_t *r, const uint8_t *s,
                                     uint8_t *out, size_t outlen,
                                     Error **errp);

#endif /* QCRYPTO_ECDSAKEY_H */
