/*
 * QEMU Crypto akcipher algorithms
 *
 * Copyright (c) 2022 Bytedance
 * Author: zhenwei pi <pizhenwei@bytedance.com>
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Lesser General Public License for more details.
 *
 * You should have received a copy of the GNU Lesser General Public
 * License along with this library; if not, see <http://www.gnu.org/licenses/>.
 *
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "crypto/akcipher.h"
#include "akcipherpriv.h"
#include "der.h"
#include "rsakey.h"
#include "route.h"

#ifdef CONFIG_GCRYPT
#include "akcipher-gcrypt.c.inc"
#endif
#if defined(CONFIG_NETTLE) && defined(CONFIG_HOGWEED)
#define QCRYPTO_AKCIPHER_NETTLE
#include "akcipher-nettle.c.inc"
#endif

#ifdef QCRYPTO_AKCIPHER_NETTLE
#define QCRYPTO_IF_HOGWEED(expr) QCRYPTO_IF_NETTLE(expr)
#else
#define QCRYPTO_IF_HOGWEED(expr) false
#endif

/* Which linked library does @opts with a @type key (crypto/route.h) */
static QCryptoLib qcrypto_akcipher_lib(const QCryptoAkCipherOptions *opts,
                                       QCryptoAkCipherKeyType type)
{
    return qcrypto_route_pick(
        qcrypto_route_akcipher(opts, type),
        QCRYPTO_IF_GCRYPT(qcrypto_akcipher_gcrypt_supports(opts)),
        QCRYPTO_IF_HOGWEED(qcrypto_akcipher_nettle_supports(opts)));
}

#if defined(CONFIG_GCRYPT) && defined(QCRYPTO_AKCIPHER_NETTLE)
/*
 * ECDSA verification on nettle, with every rejection confirmed by
 * libgcrypt: nettle 3.8 is 3-4x faster, but rejects the rare valid
 * signatures whose verification hits a point doubling (Wycheproof
 * P-256 tcId 427, P-384 tcId 453).  nettle's "valid" is final (it has
 * no known false positive), its "invalid" is libgcrypt's to decide, so
 * the answer is always libgcrypt's; only rejected signatures pay for
 * both.  Public keys only: a private key stays out of libgcrypt.
 */
typedef struct QCryptoAkCipherConfirmed {
    QCryptoAkCipher akcipher;
    QCryptoAkCipher *fast;      /* nettle */
    QCryptoAkCipher *sure;      /* libgcrypt */
} QCryptoAkCipherConfirmed;

static int qcrypto_akcipher_confirmed_encrypt(QCryptoAkCipher *akcipher,
                                              const void *in, size_t in_len,
                                              void *out, size_t out_len,
                                              Error **errp)
{
    QCryptoAkCipherConfirmed *c = (QCryptoAkCipherConfirmed *)akcipher;

    return c->fast->driver->encrypt(c->fast, in, in_len, out, out_len, errp);
}

static int qcrypto_akcipher_confirmed_decrypt(QCryptoAkCipher *akcipher,
                                              const void *in, size_t in_len,
                                              void *out, size_t out_len,
                                              Error **errp)
{
    QCryptoAkCipherConfirmed *c = (QCryptoAkCipherConfirmed *)akcipher;

    return c->fast->driver->decrypt(c->fast, in, in_len, out, out_len, errp);
}

static int qcrypto_akcipher_confirmed_sign(QCryptoAkCipher *akcipher,
                                           const void *in, size_t in_len,
                                           void *out, size_t out_len,
                                           Error **errp)
{
    QCryptoAkCipherConfirmed *c = (QCryptoAkCipherConfirmed *)akcipher;

    return c->fast->driver->sign(c->fast, in, in_len, out, out_len, errp);
}

static int qcrypto_akcipher_confirmed_verify(QCryptoAkCipher *akcipher,
                                             const void *sig, size_t sig_len,
                                             const void *dgst,
                                             size_t dgst_len, Error **errp)
{
    QCryptoAkCipherConfirmed *c = (QCryptoAkCipherConfirmed *)akcipher;
    Error *local_err = NULL;
    int ret;

    ret = c->fast->driver->verify(c->fast, sig, sig_len, dgst, dgst_len,
                                  &local_err);
    if (ret != QCRYPTO_AKCIPHER_ERR_SIGNATURE) {
        error_propagate(errp, local_err);
        return ret;
    }
    error_free(local_err);
    return c->sure->driver->verify(c->sure, sig, sig_len, dgst, dgst_len,
                                   errp);
}

static void qcrypto_akcipher_confirmed_free(QCryptoAkCipher *akcipher)
{
    QCryptoAkCipherConfirmed *c = (QCryptoAkCipherConfirmed *)akcipher;

    qcrypto_akcipher_free(c->fast);
    qcrypto_akcipher_free(c->sure);
    g_free(c);
}

static QCryptoAkCipherDriver qcrypto_akcipher_confirmed_driver = {
    .encrypt = qcrypto_akcipher_confirmed_encrypt,
    .decrypt = qcrypto_akcipher_confirmed_decrypt,
    .sign = qcrypto_akcipher_confirmed_sign,
    .verify = qcrypto_akcipher_confirmed_verify,
    .free = qcrypto_akcipher_confirmed_free,
};

static QCryptoAkCipher *
qcrypto_akcipher_confirmed_new(const QCryptoAkCipherOptions *opts,
                               QCryptoAkCipherKeyType type,
                               const uint8_t *key, size_t keylen,
                               Error **errp)
{
    QCryptoAkCipherConfirmed *c = g_new0(QCryptoAkCipherConfirmed, 1);

    c->fast = qcrypto_akcipher_nettle_new(opts, type, key, keylen, errp);
    if (!c->fast) {
        g_free(c);
        return NULL;
    }
    c->sure = qcrypto_akcipher_gcrypt_new(opts, type, key, keylen, errp);
    if (!c->sure) {
        qcrypto_akcipher_free(c->fast);
        g_free(c);
        return NULL;
    }
    c->akcipher = *c->fast;
    c->akcipher.driver = &qcrypto_akcipher_confirmed_driver;
    return &c->akcipher;
}

static bool qcrypto_akcipher_confirm(const QCryptoAkCipherOptions *opts,
                                     QCryptoAkCipherKeyType type)
{
    return opts->alg == QCRYPTO_AKCIPHER_ALG_ECDSA &&
           type == QCRYPTO_AKCIPHER_KEY_TYPE_PUBLIC &&
           qcrypto_route_forced_lib() == QCRYPTO_LIB_NONE &&
           qcrypto_akcipher_gcrypt_supports(opts);
}
#endif

QCryptoAkCipher *qcrypto_akcipher_new(const QCryptoAkCipherOptions *opts,
                                      QCryptoAkCipherKeyType type,
                                      const uint8_t *key, size_t keylen,
                                      Error **errp)
{
    switch (qcrypto_akcipher_lib(opts, type)) {
#ifdef CONFIG_GCRYPT
    case QCRYPTO_LIB_GCRYPT:
        return qcrypto_akcipher_gcrypt_new(opts, type, key, keylen, errp);
#endif
#ifdef QCRYPTO_AKCIPHER_NETTLE
    case QCRYPTO_LIB_NETTLE:
#ifdef CONFIG_GCRYPT
        if (qcrypto_akcipher_confirm(opts, type)) {
            return qcrypto_akcipher_confirmed_new(opts, type, key, keylen,
                                                  errp);
        }
#endif
        return qcrypto_akcipher_nettle_new(opts, type, key, keylen, errp);
#endif
    default:
        error_setg(errp, "Unsupported asymmetric cipher algorithm %s",
                   QCryptoAkCipherAlgorithm_str(opts->alg));
        return NULL;
    }
}

bool qcrypto_akcipher_supports(QCryptoAkCipherOptions *opts)
{
    return qcrypto_akcipher_lib(opts, QCRYPTO_AKCIPHER_KEY_TYPE_PUBLIC) !=
           QCRYPTO_LIB_NONE &&
           qcrypto_akcipher_lib(opts, QCRYPTO_AKCIPHER_KEY_TYPE_PRIVATE) !=
           QCRYPTO_LIB_NONE;
}

int qcrypto_akcipher_encrypt(QCryptoAkCipher *akcipher,
                             const void *in, size_t in_len,
                             void *out, size_t out_len, Error **errp)
{
    const QCryptoAkCipherDriver *drv = akcipher->driver;

    return drv->encrypt(akcipher, in, in_len, out, out_len, errp);
}

int qcrypto_akcipher_decrypt(QCryptoAkCipher *akcipher,
                             const void *in, size_t in_len,
                             void *out, size_t out_len, Error **errp)
{
    const QCryptoAkCipherDriver *drv = akcipher->driver;

    return drv->decrypt(akcipher, in, in_len, out, out_len, errp);
}

int qcrypto_akcipher_sign(QCryptoAkCipher *akcipher,
                          const void *in, size_t in_len,
                          void *out, size_t out_len, Error **errp)
{
    const QCryptoAkCipherDriver *drv = akcipher->driver;

    return drv->sign(akcipher, in, in_len, out, out_len, errp);
}

int qcrypto_akcipher_verify(QCryptoAkCipher *akcipher,
                            const void *in, size_t in_len,
                            const void *in2, size_t in2_len, Error **errp)
{
    const QCryptoAkCipherDriver *drv = akcipher->driver;

    return drv->verify(akcipher, in, in_len, in2, in2_len, errp);
}

int qcrypto_akcipher_max_plaintext_len(QCryptoAkCipher *akcipher)
{
    return akcipher->max_plaintext_len;
}

int qcrypto_akcipher_max_ciphertext_len(QCryptoAkCipher *akcipher)
{
    return akcipher->max_ciphertext_len;
}

int qcrypto_akcipher_max_signature_len(QCryptoAkCipher *akcipher)
{
    return akcipher->max_signature_len;
}

int qcrypto_akcipher_max_dgst_len(QCryptoAkCipher *akcipher)
{
    return akcipher->max_dgst_len;
}

void qcrypto_akcipher_free(QCryptoAkCipher *akcipher)
{
    const QCryptoAkCipherDriver *drv = akcipher->driver;

    drv->free(akcipher);
}

int qcrypto_akcipher_export_p8info(const QCryptoAkCipherOptions *opts,
                                   uint8_t *key, size_t keylen,
                                   uint8_t **dst, size_t *dst_len,
                                   Error **errp)
{
    switch (opts->alg) {
    case QCRYPTO_AKCIPHER_ALG_RSA:
        qcrypto_akcipher_rsakey_export_p8info(key, keylen, dst, dst_len);
        return 0;

    default:
        error_setg(errp, "Unsupported algorithm: %u", opts->alg);
        return -1;
    }
}
