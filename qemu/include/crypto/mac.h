/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU Crypto block-cipher MACs: CMAC-AES and GMAC-AES
 *
 * HMAC stays in crypto/hmac.h; this API covers the MACs built on a
 * block cipher, in the crypto/cipher.h shape: a *_supports() probe,
 * a context holding the key, one-shot compute and verify calls.
 */

#ifndef QCRYPTO_MAC_H
#define QCRYPTO_MAC_H

typedef enum QCryptoMacAlgorithm {
    QCRYPTO_MAC_ALG_CMAC_AES,   /* NIST SP 800-38B, RFC 4493 */
    QCRYPTO_MAC_ALG_GMAC_AES,   /* NIST SP 800-38D (GCM, no plaintext) */
    QCRYPTO_MAC_ALG__MAX,
} QCryptoMacAlgorithm;

typedef struct QCryptoMac QCryptoMac;
typedef struct QCryptoMacDriver QCryptoMacDriver;

struct QCryptoMac {
    QCryptoMacAlgorithm alg;
    size_t nkey;
    const QCryptoMacDriver *driver;
};

/* Returned by qcrypto_mac_verify() when the MAC does not match */
#define QCRYPTO_MAC_ERR_AUTH (-EBADMSG)

/* The full MAC length of both algorithms (one AES block) */
#define QCRYPTO_MAC_MAX_LEN 16

/**
 * qcrypto_mac_supports:
 * @alg: the MAC algorithm
 * @nkey: the AES key length in bytes (16, 24 or 32)
 *
 * Returns: true if this build can compute @alg with such a key.
 */
bool qcrypto_mac_supports(QCryptoMacAlgorithm alg, size_t nkey);

/**
 * qcrypto_mac_check_params:
 * @alg: the MAC algorithm
 * @niv: the IV length (GMAC: 1..QCRYPTO_AEAD_GCM_MAX_IV_LEN; CMAC: 0)
 * @nmac: the MAC length wanted (CMAC: 4..16, as SP 800-38B 7 advises
 *        at least 32 bits; GMAC: 4, 8 or 12..16, SP 800-38D 5.2.1.2)
 * @errp: pointer to a NULL-initialized error object
 *
 * Returns: 0 if valid, -1 with @errp set otherwise.
 */
int qcrypto_mac_check_params(QCryptoMacAlgorithm alg, size_t niv,
                             size_t nmac, Error **errp);

/**
 * qcrypto_mac_new:
 * @alg: the MAC algorithm
 * @key: the AES key
 * @nkey: its length in bytes
 * @errp: pointer to a NULL-initialized error object
 *
 * Returns: a new context (not thread safe: one per thread), or NULL
 * with @errp set.
 */
QCryptoMac *qcrypto_mac_new(QCryptoMacAlgorithm alg,
                            const uint8_t *key, size_t nkey, Error **errp);

/**
 * qcrypto_mac_free:
 * @mac: the context, or NULL
 *
 * Free the context, wiping the key material it holds.
 */
void qcrypto_mac_free(QCryptoMac *mac);

/**
 * qcrypto_mac_compute:
 * @mac: the context
 * @iv: the IV (GMAC only; NULL for CMAC)
 * @niv: the IV length (0 for CMAC)
 * @in: the message
 * @len: the message length
 * @out: where to write the MAC
 * @nout: the MAC length wanted; shorter than QCRYPTO_MAC_MAX_LEN
 *        gives the leftmost @nout bytes
 * @errp: pointer to a NULL-initialized error object
 *
 * Returns: 0 on success, -1 with @errp set on error (if the lengths
 * were valid but the library failed, @out is zeroed).
 */
int qcrypto_mac_compute(QCryptoMac *mac, const uint8_t *iv, size_t niv,
                        const uint8_t *in, size_t len,
                        uint8_t *out, size_t nout, Error **errp);

/**
 * qcrypto_mac_verify:
 * @mac: the context
 * @iv: the IV (GMAC only; NULL for CMAC)
 * @niv: the IV length (0 for CMAC)
 * @in: the message
 * @len: the message length
 * @expected: the MAC to check, compared in constant time
 * @nexpected: its length
 * @errp: pointer to a NULL-initialized error object
 *
 * Returns: 0 if the MAC matches, QCRYPTO_MAC_ERR_AUTH with @errp set
 * if it does not, -1 with @errp set on any other error.
 */
int qcrypto_mac_verify(QCryptoMac *mac, const uint8_t *iv, size_t niv,
                       const uint8_t *in, size_t len,
                       const uint8_t *expected, size_t nexpected,
                       Error **errp);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(QCryptoMac, qcrypto_mac_free)

#endif /* QCRYPTO_MAC_H */
