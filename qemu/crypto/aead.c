/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU Crypto AEAD: validation common to every library, and the
 * choice of library driver at build time.
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "crypto/aead.h"
#include "crypto/wipe.h"
#include "aeadpriv.h"
#include "route.h"

static const char *const qcrypto_aead_alg_name[QCRYPTO_AEAD_ALG__MAX] = {
    [QCRYPTO_AEAD_ALG_AES_GCM] = "aes-gcm",
    [QCRYPTO_AEAD_ALG_AES_CCM] = "aes-ccm",
    [QCRYPTO_AEAD_ALG_CHACHA20_POLY1305] = "chacha20-poly1305",
};

static bool qcrypto_aead_valid_key_len(QCryptoAEADAlgorithm alg, size_t nkey)
{
    switch (alg) {
    case QCRYPTO_AEAD_ALG_AES_GCM:
    case QCRYPTO_AEAD_ALG_AES_CCM:
        return nkey == 16 || nkey == 24 || nkey == 32;
    case QCRYPTO_AEAD_ALG_CHACHA20_POLY1305:
        return nkey == 32;
    default:
        return false;
    }
}

int qcrypto_aead_check_params(QCryptoAEADAlgorithm alg,
                              size_t niv, size_t ntag, Error **errp)
{
    switch (alg) {
    case QCRYPTO_AEAD_ALG_AES_GCM:
        /* SP 800-38D 5.2.1.2: tags of 128, 120, 112, 104, 96, 64, 32 bits */
        if (niv < 1 || niv > QCRYPTO_AEAD_GCM_MAX_IV_LEN) {
            error_setg(errp, "AES-GCM IV length %zu not in 1..%d",
                       niv, QCRYPTO_AEAD_GCM_MAX_IV_LEN);
            return -1;
        }
        if (ntag != 4 && ntag != 8 && (ntag < 12 || ntag > 16)) {
            error_setg(errp, "AES-GCM tag length %zu not 4, 8 or 12..16",
                       ntag);
            return -1;
        }
        return 0;
    case QCRYPTO_AEAD_ALG_AES_CCM:
        /* SP 800-38C A.1: nonce 7..13 bytes, tag 4..16 bytes and even */
        if (niv < 7 || niv > 13) {
            error_setg(errp, "AES-CCM nonce length %zu not in 7..13", niv);
            return -1;
        }
        if (ntag < 4 || ntag > 16 || (ntag & 1)) {
            error_setg(errp, "AES-CCM tag length %zu not even in 4..16",
                       ntag);
            return -1;
        }
        return 0;
    case QCRYPTO_AEAD_ALG_CHACHA20_POLY1305:
        /* RFC 8439 2.8: 96-bit nonce, 128-bit tag */
        if (niv != 12) {
            error_setg(errp, "ChaCha20-Poly1305 nonce length %zu is not 12",
                       niv);
            return -1;
        }
        if (ntag != 16) {
            error_setg(errp, "ChaCha20-Poly1305 tag length %zu is not 16",
                       ntag);
            return -1;
        }
        return 0;
    default:
        error_setg(errp, "AEAD algorithm %d out of range", alg);
        return -1;
    }
}

/*
 * The longest message each mode can process with this IV length.
 * CCM encodes the length in 15 - niv bytes (SP 800-38C A.1); GCM
 * allows 2^39 - 256 bits (SP 800-38D 5.2.1.1); ChaCha20-Poly1305
 * has a 32-bit block counter of 64-byte blocks (RFC 8439 2.8).
 */
static bool qcrypto_aead_valid_len(QCryptoAEADAlgorithm alg, size_t niv,
                                   size_t len)
{
    uint64_t len64 = len;

    switch (alg) {
    case QCRYPTO_AEAD_ALG_AES_CCM:
        if (15 - niv < sizeof(uint64_t)) {
            return len64 < (1ULL << (8 * (15 - niv)));
        }
        return true;
    case QCRYPTO_AEAD_ALG_AES_GCM:
        return len64 <= (1ULL << 36) - 32;
    case QCRYPTO_AEAD_ALG_CHACHA20_POLY1305:
        return len64 <= (1ULL << 38) - 64;
    default:
        return false;
    }
}

static int qcrypto_aead_check_request(QCryptoAEAD *aead,
                                      size_t niv, size_t len, size_t ntag,
                                      Error **errp)
{
    if (qcrypto_aead_check_params(aead->alg, niv, ntag, errp) < 0) {
        return -1;
    }
    if (!qcrypto_aead_valid_len(aead->alg, niv, len)) {
        error_setg(errp, "%s message length %zu too long for this IV",
                   qcrypto_aead_alg_name[aead->alg], len);
        return -1;
    }
    return 0;
}

#ifdef CONFIG_GCRYPT
#include "aead-gcrypt.c.inc"
#endif
#ifdef CONFIG_NETTLE
#include "aead-nettle.c.inc"
#endif

/* Which linked library does @alg with @nkey (crypto/route.h) */
static QCryptoLib qcrypto_aead_lib(QCryptoAEADAlgorithm alg, size_t nkey)
{
    return qcrypto_route_pick(
        qcrypto_route_aead(alg),
        QCRYPTO_IF_GCRYPT(qcrypto_aead_gcrypt_supports(alg, nkey)),
        QCRYPTO_IF_NETTLE(qcrypto_aead_nettle_supports(alg, nkey)));
}

static bool qcrypto_aead_lib_supports(QCryptoAEADAlgorithm alg, size_t nkey)
{
    return qcrypto_aead_lib(alg, nkey) != QCRYPTO_LIB_NONE;
}

static QCryptoAEAD *qcrypto_aead_ctx_new(QCryptoAEADAlgorithm alg,
                                         const uint8_t *key, size_t nkey,
                                         Error **errp)
{
    switch (qcrypto_aead_lib(alg, nkey)) {
#ifdef CONFIG_GCRYPT
    case QCRYPTO_LIB_GCRYPT:
        return qcrypto_aead_gcrypt_ctx_new(alg, key, nkey, errp);
#endif
#ifdef CONFIG_NETTLE
    case QCRYPTO_LIB_NETTLE:
        return qcrypto_aead_nettle_ctx_new(alg, key, nkey, errp);
#endif
    default:
        error_setg(errp, "No crypto library supporting AEAD in this build");
        return NULL;
    }
}

bool qcrypto_aead_supports(QCryptoAEADAlgorithm alg, size_t nkey)
{
    return qcrypto_aead_valid_key_len(alg, nkey) &&
           qcrypto_aead_lib_supports(alg, nkey);
}

QCryptoAEAD *qcrypto_aead_new(QCryptoAEADAlgorithm alg,
                              const uint8_t *key, size_t nkey,
                              Error **errp)
{
    QCryptoAEAD *aead;

    if ((unsigned)alg >= QCRYPTO_AEAD_ALG__MAX) {
        error_setg(errp, "AEAD algorithm %d out of range", alg);
        return NULL;
    }
    if (!qcrypto_aead_valid_key_len(alg, nkey)) {
        error_setg(errp, "%s key length %zu is invalid",
                   qcrypto_aead_alg_name[alg], nkey);
        return NULL;
    }
    if (!qcrypto_aead_lib_supports(alg, nkey)) {
        error_setg(errp, "%s with a %zu-byte key is not supported by "
                   "this build", qcrypto_aead_alg_name[alg], nkey);
        return NULL;
    }

    aead = qcrypto_aead_ctx_new(alg, key, nkey, errp);
    if (!aead) {
        return NULL;
    }
    aead->alg = alg;
    aead->nkey = nkey;
    return aead;
}

void qcrypto_aead_free(QCryptoAEAD *aead)
{
    if (aead) {
        aead->driver->free(aead);
    }
}

int qcrypto_aead_encrypt(QCryptoAEAD *aead,
                         const uint8_t *iv, size_t niv,
                         const uint8_t *aad, size_t naad,
                         const uint8_t *in, uint8_t *out, size_t len,
                         uint8_t *tag, size_t ntag,
                         Error **errp)
{
    if (qcrypto_aead_check_request(aead, niv, len, ntag, errp) < 0) {
        return -1;
    }
    if (aead->driver->encrypt(aead, iv, niv, aad, naad, in, out, len,
                              tag, ntag, errp) < 0) {
        /* Never hand back a partial ciphertext or tag */
        qcrypto_wipe(out, len);
        qcrypto_wipe(tag, ntag);
        return -1;
    }
    return 0;
}

int qcrypto_aead_decrypt(QCryptoAEAD *aead,
                         const uint8_t *iv, size_t niv,
                         const uint8_t *aad, size_t naad,
                         const uint8_t *in, uint8_t *out, size_t len,
                         const uint8_t *tag, size_t ntag,
                         Error **errp)
{
    int ret;

    if (qcrypto_aead_check_request(aead, niv, len, ntag, errp) < 0) {
        qcrypto_wipe(out, len);
        return -1;
    }
    ret = aead->driver->decrypt(aead, iv, niv, aad, naad, in, out, len,
                                tag, ntag, errp);
    if (ret < 0) {
        /* Unverified plaintext must not reach the caller */
        qcrypto_wipe(out, len);
        return ret == QCRYPTO_AEAD_ERR_AUTH ? QCRYPTO_AEAD_ERR_AUTH : -1;
    }
    return 0;
}
