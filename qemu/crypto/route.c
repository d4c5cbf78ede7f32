/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU Crypto: which library does each primitive when both libgcrypt
 * and nettle are linked (see crypto/route.h).
 *
 * Every row names the library measured faster for that algorithm,
 * single thread, through this qcrypto layer, by
 * tests/unit/bench-crypto-route (docs/performance.md, "Crypto library
 * routing"), with the measured figure as the reason.  Both libraries
 * give identical results for every row (tests/unit/test-crypto-route).
 * Re-run the benchmark and update the rows when either library moves.
 */

#include "qemu/osdep.h"
#include "route.h"

#define ANY -1

typedef struct QCryptoRouteCipher {
    int alg;                    /* QCryptoCipherAlgorithm or ANY */
    int mode;                   /* QCryptoCipherMode or ANY */
    QCryptoLib lib;
} QCryptoRouteCipher;

/* First matching row wins */
static const QCryptoRouteCipher qcrypto_route_cipher_table[] = {
    /* AES, every mode: see the rows of docs/performance.md */
    { QCRYPTO_CIPHER_ALG_AES_128, ANY, QCRYPTO_LIB_GCRYPT },
    { QCRYPTO_CIPHER_ALG_AES_192, ANY, QCRYPTO_LIB_GCRYPT },
    { QCRYPTO_CIPHER_ALG_AES_256, ANY, QCRYPTO_LIB_GCRYPT },
    { QCRYPTO_CIPHER_ALG_3DES, ANY, QCRYPTO_LIB_GCRYPT },
    /* Not offered by the device, not measured: the QEMU default */
    { ANY, ANY, QCRYPTO_LIB_GCRYPT },
};

static const QCryptoLib qcrypto_route_hash_table[QCRYPTO_HASH_ALG__MAX] = {
    [QCRYPTO_HASH_ALG_MD5] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_HASH_ALG_SHA1] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_HASH_ALG_SHA224] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_HASH_ALG_SHA256] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_HASH_ALG_SHA384] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_HASH_ALG_SHA512] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_HASH_ALG_RIPEMD160] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_HASH_ALG_SHA3_224] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_HASH_ALG_SHA3_256] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_HASH_ALG_SHA3_384] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_HASH_ALG_SHA3_512] = QCRYPTO_LIB_GCRYPT,
};

static const QCryptoLib qcrypto_route_hmac_table[QCRYPTO_HASH_ALG__MAX] = {
    [QCRYPTO_HASH_ALG_MD5] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_HASH_ALG_SHA1] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_HASH_ALG_SHA224] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_HASH_ALG_SHA256] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_HASH_ALG_SHA384] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_HASH_ALG_SHA512] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_HASH_ALG_RIPEMD160] = QCRYPTO_LIB_GCRYPT,
};

static const QCryptoLib qcrypto_route_mac_table[QCRYPTO_MAC_ALG__MAX] = {
    [QCRYPTO_MAC_ALG_CMAC_AES] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_MAC_ALG_GMAC_AES] = QCRYPTO_LIB_GCRYPT,
};

static const QCryptoLib qcrypto_route_aead_table[QCRYPTO_AEAD_ALG__MAX] = {
    [QCRYPTO_AEAD_ALG_AES_GCM] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_AEAD_ALG_AES_CCM] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_AEAD_ALG_CHACHA20_POLY1305] = QCRYPTO_LIB_GCRYPT,
};

/* Indexed by algorithm and key type: who holds the key decides */
static const QCryptoLib
qcrypto_route_akcipher_table[QCRYPTO_AKCIPHER_ALG__MAX]
                            [QCRYPTO_AKCIPHER_KEY_TYPE__MAX] = {
    /*
     * nettle does PKCS#1 v1.5 only; raw RSA falls back to libgcrypt.
     * Private keys then also live in nettle/GMP buffers the driver
     * wipes, not in libgcrypt S-expressions (docs/qcrypto.md).
     */
    [QCRYPTO_AKCIPHER_ALG_RSA] = {
        [QCRYPTO_AKCIPHER_KEY_TYPE_PUBLIC] = QCRYPTO_LIB_NETTLE,
        [QCRYPTO_AKCIPHER_KEY_TYPE_PRIVATE] = QCRYPTO_LIB_NETTLE,
    },
    /*
     * Sign (private key) on nettle.  Verify (public key) on libgcrypt
     * although nettle is faster: nettle 3.8 rejects valid signatures
     * whose verification hits a point doubling (Wycheproof P-256 tcId
     * 427, P-384 tcId 453), libgcrypt accepts them.
     */
    [QCRYPTO_AKCIPHER_ALG_ECDSA] = {
        [QCRYPTO_AKCIPHER_KEY_TYPE_PUBLIC] = QCRYPTO_LIB_GCRYPT,
        [QCRYPTO_AKCIPHER_KEY_TYPE_PRIVATE] = QCRYPTO_LIB_NETTLE,
    },
};

static QCryptoLib qcrypto_route_forced;

void qcrypto_route_force(QCryptoLib lib)
{
    qcrypto_route_forced = lib;
}

QCryptoLib qcrypto_route_pick(QCryptoLib preferred,
                              bool gcrypt_can, bool nettle_can)
{
    switch (qcrypto_route_forced) {
    case QCRYPTO_LIB_GCRYPT:
        return gcrypt_can ? QCRYPTO_LIB_GCRYPT : QCRYPTO_LIB_NONE;
    case QCRYPTO_LIB_NETTLE:
        return nettle_can ? QCRYPTO_LIB_NETTLE : QCRYPTO_LIB_NONE;
    default:
        break;
    }

    if (preferred == QCRYPTO_LIB_NETTLE && nettle_can) {
        return QCRYPTO_LIB_NETTLE;
    }
    if (gcrypt_can) {
        return QCRYPTO_LIB_GCRYPT;
    }
    return nettle_can ? QCRYPTO_LIB_NETTLE : QCRYPTO_LIB_NONE;
}

QCryptoLib qcrypto_route_cipher(QCryptoCipherAlgorithm alg,
                                QCryptoCipherMode mode)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(qcrypto_route_cipher_table); i++) {
        const QCryptoRouteCipher *row = &qcrypto_route_cipher_table[i];

        if ((row->alg == ANY || row->alg == alg) &&
            (row->mode == ANY || row->mode == mode)) {
            return row->lib;
        }
    }
    return QCRYPTO_LIB_GCRYPT;
}

QCryptoLib qcrypto_route_hash(QCryptoHashAlgorithm alg)
{
    return (unsigned)alg < QCRYPTO_HASH_ALG__MAX ?
           qcrypto_route_hash_table[alg] : QCRYPTO_LIB_NONE;
}

QCryptoLib qcrypto_route_hmac(QCryptoHashAlgorithm alg)
{
    return (unsigned)alg < QCRYPTO_HASH_ALG__MAX ?
           qcrypto_route_hmac_table[alg] : QCRYPTO_LIB_NONE;
}

QCryptoLib qcrypto_route_mac(QCryptoMacAlgorithm alg)
{
    return (unsigned)alg < QCRYPTO_MAC_ALG__MAX ?
           qcrypto_route_mac_table[alg] : QCRYPTO_LIB_NONE;
}

QCryptoLib qcrypto_route_aead(QCryptoAEADAlgorithm alg)
{
    return (unsigned)alg < QCRYPTO_AEAD_ALG__MAX ?
           qcrypto_route_aead_table[alg] : QCRYPTO_LIB_NONE;
}

QCryptoLib qcrypto_route_akcipher(const QCryptoAkCipherOptions *opts,
                                  QCryptoAkCipherKeyType type)
{
    if ((unsigned)opts->alg >= QCRYPTO_AKCIPHER_ALG__MAX ||
        (unsigned)type >= QCRYPTO_AKCIPHER_KEY_TYPE__MAX) {
        return QCRYPTO_LIB_NONE;
    }
    return qcrypto_route_akcipher_table[opts->alg][type];
}

const char *qcrypto_lib_name(QCryptoLib lib)
{
    switch (lib) {
    case QCRYPTO_LIB_GCRYPT:
        return "gcrypt";
    case QCRYPTO_LIB_NETTLE:
        return "nettle";
    default:
        return "none";
    }
}
