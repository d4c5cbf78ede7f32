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

/*
 * First matching row wins.  Figures: 4 KiB requests, MB/s, libgcrypt
 * 1.10.1 vs nettle 3.8.1 (64 KiB agrees; 64-byte requests are
 * per-call overhead and favour nettle by 1.1-1.5x in most modes, but a
 * session's request sizes are not known when it is created).
 */
static const QCryptoRouteCipher qcrypto_route_cipher_table[] = {
    /* AES-ECB: nettle 10079 vs 4481 (AES-128), 7369 vs 4476 (AES-256) */
    { QCRYPTO_CIPHER_ALG_AES_128, QCRYPTO_CIPHER_MODE_ECB,
      QCRYPTO_LIB_NETTLE },
    { QCRYPTO_CIPHER_ALG_AES_192, QCRYPTO_CIPHER_MODE_ECB,
      QCRYPTO_LIB_NETTLE },
    { QCRYPTO_CIPHER_ALG_AES_256, QCRYPTO_CIPHER_MODE_ECB,
      QCRYPTO_LIB_NETTLE },
    /*
     * AES-CBC enc 1739 vs 1105, dec 15784 vs 8277; CTR 15898 vs 6056;
     * XTS 11631 vs 894 (13x) (AES-128; AES-256 alike)
     */
    { QCRYPTO_CIPHER_ALG_AES_128, ANY, QCRYPTO_LIB_GCRYPT },
    { QCRYPTO_CIPHER_ALG_AES_192, ANY, QCRYPTO_LIB_GCRYPT },
    { QCRYPTO_CIPHER_ALG_AES_256, ANY, QCRYPTO_LIB_GCRYPT },
    /* 3DES-CBC: see docs/performance.md */
    { QCRYPTO_CIPHER_ALG_3DES, ANY, QCRYPTO_LIB_GCRYPT },
    /* Not offered by the device, not measured: QEMU's usual choice */
    { ANY, ANY, QCRYPTO_LIB_GCRYPT },
};

/*
 * Hashes and HMAC, MB/s at 64 B / 4 KiB / 64 KiB.  Both libraries use
 * the SHA extensions, so bulk rates are within 10 %; short messages
 * cost libgcrypt a handle setup per call.  MD5, SHA-1, SHA-224 and
 * SHA-256 go to nettle (64 B: 1.5-2x faster; 4 KiB: even; 64 KiB:
 * libgcrypt <= 1.08x), SHA-384/512 and SHA-3 to libgcrypt.
 */
static const QCryptoLib qcrypto_route_hash_table[QCRYPTO_HASH_ALG__MAX] = {
    [QCRYPTO_HASH_ALG_MD5] = QCRYPTO_LIB_NETTLE,        /* 238 vs 154 */
    [QCRYPTO_HASH_ALG_SHA1] = QCRYPTO_LIB_NETTLE,       /* 399 vs 202 */
    [QCRYPTO_HASH_ALG_SHA224] = QCRYPTO_LIB_NETTLE,     /* 382 vs 205 */
    [QCRYPTO_HASH_ALG_SHA256] = QCRYPTO_LIB_NETTLE,     /* 377 vs 205 */
    /* 64 B nettle 1.25x, 4-64 KiB libgcrypt 1.08-1.17x */
    [QCRYPTO_HASH_ALG_SHA384] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_HASH_ALG_SHA512] = QCRYPTO_LIB_GCRYPT,
    /* not offered by the device, not measured */
    [QCRYPTO_HASH_ALG_RIPEMD160] = QCRYPTO_LIB_GCRYPT,
    /* SHA-3: even at 64 B, libgcrypt 1.6-1.75x from 4 KiB */
    [QCRYPTO_HASH_ALG_SHA3_224] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_HASH_ALG_SHA3_256] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_HASH_ALG_SHA3_384] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_HASH_ALG_SHA3_512] = QCRYPTO_LIB_GCRYPT,
};

static const QCryptoLib qcrypto_route_hmac_table[QCRYPTO_HASH_ALG__MAX] = {
    /* 64 B: nettle 1.2-1.45x; 4 KiB even; 64 KiB libgcrypt <= 1.09x */
    [QCRYPTO_HASH_ALG_MD5] = QCRYPTO_LIB_NETTLE,
    [QCRYPTO_HASH_ALG_SHA1] = QCRYPTO_LIB_NETTLE,
    [QCRYPTO_HASH_ALG_SHA224] = QCRYPTO_LIB_NETTLE,
    [QCRYPTO_HASH_ALG_SHA256] = QCRYPTO_LIB_NETTLE,
    /* libgcrypt 1.08-1.16x at every size */
    [QCRYPTO_HASH_ALG_SHA384] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_HASH_ALG_SHA512] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_HASH_ALG_RIPEMD160] = QCRYPTO_LIB_GCRYPT,
};

/*
 * CMAC: libgcrypt 1.2x (64 B) to 2x (64 KiB).  GMAC: nettle 1.35x at
 * 64 B, libgcrypt 1.8-2.1x from 4 KiB.
 */
static const QCryptoLib qcrypto_route_mac_table[QCRYPTO_MAC_ALG__MAX] = {
    [QCRYPTO_MAC_ALG_CMAC_AES] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_MAC_ALG_GMAC_AES] = QCRYPTO_LIB_GCRYPT,
};

/*
 * 4 KiB, MB/s: GCM 5625 vs 2696 (nettle 1.2x at 64 B); CCM 1579 vs
 * 1032; ChaCha20-Poly1305 2037 vs 498 (AES-128; AES-256 alike).
 */
static const QCryptoLib qcrypto_route_aead_table[QCRYPTO_AEAD_ALG__MAX] = {
    [QCRYPTO_AEAD_ALG_AES_GCM] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_AEAD_ALG_AES_CCM] = QCRYPTO_LIB_GCRYPT,
    [QCRYPTO_AEAD_ALG_CHACHA20_POLY1305] = QCRYPTO_LIB_GCRYPT,
};

static const QCryptoLib
qcrypto_route_akcipher_table[QCRYPTO_AKCIPHER_ALG__MAX]
                            [QCRYPTO_AKCIPHER_KEY_TYPE__MAX] = {
    /*
     * RSA-2048 PKCS#1 v1.5, ops/s: sign 751 vs 296, decrypt 732 vs 289
     * (nettle blinded and fault-checked), verify 52185 vs 26392,
     * encrypt 37924 vs 19779; RSA-4096 alike.  nettle does PKCS#1 v1.5
     * only: raw RSA falls back to libgcrypt.  Private keys then also
     * live in nettle/GMP memory the driver wipes, not in libgcrypt
     * S-expressions (docs/qcrypto.md).
     */
    [QCRYPTO_AKCIPHER_ALG_RSA] = {
        [QCRYPTO_AKCIPHER_KEY_TYPE_PUBLIC] = QCRYPTO_LIB_NETTLE,
        [QCRYPTO_AKCIPHER_KEY_TYPE_PRIVATE] = QCRYPTO_LIB_NETTLE,
    },
    /*
     * Sign (private key) on nettle: P-256 20905 vs 1469 ops/s, P-384
     * 8846 vs 727.  Verify (public key) on nettle, 3-4x faster (P-256
     * 10309 vs 2518), but nettle 3.8 rejects valid signatures whose
     * verification hits a point doubling (Wycheproof P-256 tcId 427,
     * P-384 tcId 453): when libgcrypt is linked too, crypto/akcipher.c
     * has it confirm every rejection, so the answer is libgcrypt's.
     */
    [QCRYPTO_AKCIPHER_ALG_ECDSA] = {
        [QCRYPTO_AKCIPHER_KEY_TYPE_PUBLIC] = QCRYPTO_LIB_NETTLE,
        [QCRYPTO_AKCIPHER_KEY_TYPE_PRIVATE] = QCRYPTO_LIB_NETTLE,
    },
};

static QCryptoLib qcrypto_route_forced;

void qcrypto_route_force(QCryptoLib lib)
{
    qcrypto_route_forced = lib;
}

QCryptoLib qcrypto_route_forced_lib(void)
{
    return qcrypto_route_forced;
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
