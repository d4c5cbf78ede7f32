/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU Crypto AEAD (authenticated encryption with associated data)
 *
 * One public API over the crypto library chosen at build time, in the
 * same shape as crypto/cipher.h: a *_supports() probe, a context holding
 * the key, and one-shot encrypt/decrypt calls.
 */

#ifndef QCRYPTO_AEAD_H
#define QCRYPTO_AEAD_H

typedef enum QCryptoAEADAlgorithm {
    QCRYPTO_AEAD_ALG_AES_GCM,           /* NIST SP 800-38D */
    QCRYPTO_AEAD_ALG_AES_CCM,           /* NIST SP 800-38C, RFC 3610 */
    QCRYPTO_AEAD_ALG_CHACHA20_POLY1305, /* RFC 8439 */
    QCRYPTO_AEAD_ALG__MAX,
} QCryptoAEADAlgorithm;

typedef struct QCryptoAEAD QCryptoAEAD;
typedef struct QCryptoAEADDriver QCryptoAEADDriver;

struct QCryptoAEAD {
    QCryptoAEADAlgorithm alg;
    size_t nkey;
    const QCryptoAEADDriver *driver;
};

/*
 * Returned by qcrypto_aead_decrypt() when the tag does not verify,
 * so that callers can tell "forged or corrupted message" apart from
 * every other failure (which returns -1).
 */
#define QCRYPTO_AEAD_ERR_AUTH (-EBADMSG)

/**
 * qcrypto_aead_supports:
 * @alg: the AEAD algorithm
 * @nkey: the key length in bytes
 *
 * Returns: true if the build's crypto library implements @alg with
 * a key of @nkey bytes, false otherwise.
 */
bool qcrypto_aead_supports(QCryptoAEADAlgorithm alg, size_t nkey);

/**
 * qcrypto_aead_check_params:
 * @alg: the AEAD algorithm
 * @niv: the IV (nonce) length in bytes
 * @ntag: the authentication tag length in bytes
 * @errp: pointer to a NULL-initialized error object
 *
 * Check that @niv and @ntag are valid for @alg in this build:
 * AES-GCM takes IVs of 1..QCRYPTO_AEAD_GCM_MAX_IV_LEN bytes (12 is the
 * recommended length) and tags of 4, 8 or 12..16 bytes; AES-CCM takes
 * nonces of 7..13 bytes and even tags of 4..16 bytes; ChaCha20-Poly1305
 * takes a 12-byte nonce and a 16-byte tag.
 *
 * Returns: 0 if valid, -1 with @errp set otherwise.
 */
int qcrypto_aead_check_params(QCryptoAEADAlgorithm alg,
                              size_t niv, size_t ntag, Error **errp);

#define QCRYPTO_AEAD_GCM_MAX_IV_LEN 1024

/**
 * qcrypto_aead_new:
 * @alg: the AEAD algorithm
 * @key: the key
 * @nkey: the key length in bytes (16/24/32 for AES, 32 for ChaCha20)
 * @errp: pointer to a NULL-initialized error object
 *
 * Create a context holding @key.  A context is not thread safe: use
 * one per thread.
 *
 * Returns: a new context, or NULL with @errp set.
 */
QCryptoAEAD *qcrypto_aead_new(QCryptoAEADAlgorithm alg,
                              const uint8_t *key, size_t nkey,
                              Error **errp);

/**
 * qcrypto_aead_free:
 * @aead: the context, or NULL
 *
 * Free the context, wiping the key material it holds.
 */
void qcrypto_aead_free(QCryptoAEAD *aead);

/**
 * qcrypto_aead_encrypt:
 * @aead: the context
 * @iv: the IV (nonce)
 * @niv: the IV length in bytes
 * @aad: the associated data (may be NULL if @naad is 0)
 * @naad: the associated data length
 * @in: the plaintext
 * @out: where to write the ciphertext, @len bytes; may equal @in
 * @len: the plaintext length
 * @tag: where to write the tag
 * @ntag: the tag length in bytes
 * @errp: pointer to a NULL-initialized error object
 *
 * Returns: 0 on success, -1 with @errp set on error.
 */
int qcrypto_aead_encrypt(QCryptoAEAD *aead,
                         const uint8_t *iv, size_t niv,
                         const uint8_t *aad, size_t naad,
                         const uint8_t *in, uint8_t *out, size_t len,
                         uint8_t *tag, size_t ntag,
                         Error **errp);

/**
 * qcrypto_aead_decrypt:
 * @aead: the context
 * @iv: the IV (nonce)
 * @niv: the IV length in bytes
 * @aad: the associated data (may be NULL if @naad is 0)
 * @naad: the associated data length
 * @in: the ciphertext
 * @out: where to write the plaintext, @len bytes; may equal @in
 * @len: the ciphertext length (without the tag)
 * @tag: the expected tag
 * @ntag: the tag length in bytes
 * @errp: pointer to a NULL-initialized error object
 *
 * Decrypt and verify the tag in constant time.  On any failure,
 * @out is zeroed, so no unverified plaintext reaches the caller.
 *
 * Returns: 0 on success, QCRYPTO_AEAD_ERR_AUTH with @errp set if
 * the tag does not verify, -1 with @errp set on any other error.
 */
int qcrypto_aead_decrypt(QCryptoAEAD *aead,
                         const uint8_t *iv, size_t niv,
                         const uint8_t *aad, size_t naad,
                         const uint8_t *in, uint8_t *out, size_t len,
                         const uint8_t *tag, size_t ntag,
                         Error **errp);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(QCryptoAEAD, qcrypto_aead_free)

#endif /* QCRYPTO_AEAD_H */
