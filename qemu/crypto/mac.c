/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU Crypto block-cipher MACs: validation common to every library,
 * and the choice of library driver at build time.
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "crypto/mac.h"
#include "crypto/aead.h"
#include "crypto/wipe.h"
#include "macpriv.h"
#include "route.h"

static const char *const qcrypto_mac_alg_name[QCRYPTO_MAC_ALG__MAX] = {
    [QCRYPTO_MAC_ALG_CMAC_AES] = "cmac-aes",
    [QCRYPTO_MAC_ALG_GMAC_AES] = "gmac-aes",
};

int qcrypto_mac_check_params(QCryptoMacAlgorithm alg, size_t niv,
                             size_t nmac, Error **errp)
{
    switch (alg) {
    case QCRYPTO_MAC_ALG_CMAC_AES:
        if (niv != 0) {
            error_setg(errp, "CMAC takes no IV");
            return -1;
        }
        if (nmac < 4 || nmac > QCRYPTO_MAC_MAX_LEN) {
            error_setg(errp, "CMAC length %zu not in 4..16", nmac);
            return -1;
        }
        return 0;
    case QCRYPTO_MAC_ALG_GMAC_AES:
        /* GMAC is GCM with no plaintext: the same IV and tag rules */
        return qcrypto_aead_check_params(QCRYPTO_AEAD_ALG_AES_GCM, niv, nmac,
                                         errp);
    default:
        error_setg(errp, "MAC algorithm %d out of range", alg);
        return -1;
    }
}

#ifdef CONFIG_GCRYPT
#include "mac-gcrypt.c.inc"
#endif
#ifdef CONFIG_NETTLE
#include "mac-nettle.c.inc"
#endif

/* Which linked library does @alg with @nkey (crypto/route.h) */
static QCryptoLib qcrypto_mac_lib(QCryptoMacAlgorithm alg, size_t nkey)
{
    return qcrypto_route_pick(
        qcrypto_route_mac(alg),
        QCRYPTO_IF_GCRYPT(qcrypto_mac_gcrypt_supports(alg, nkey)),
        QCRYPTO_IF_NETTLE(qcrypto_mac_nettle_supports(alg, nkey)));
}

static bool qcrypto_mac_lib_supports(QCryptoMacAlgorithm alg, size_t nkey)
{
    return qcrypto_mac_lib(alg, nkey) != QCRYPTO_LIB_NONE;
}

static QCryptoMac *qcrypto_mac_ctx_new(QCryptoMacAlgorithm alg,
                                       const uint8_t *key, size_t nkey,
                                       Error **errp)
{
    switch (qcrypto_mac_lib(alg, nkey)) {
#ifdef CONFIG_GCRYPT
    case QCRYPTO_LIB_GCRYPT:
        return qcrypto_mac_gcrypt_ctx_new(alg, key, nkey, errp);
#endif
#ifdef CONFIG_NETTLE
    case QCRYPTO_LIB_NETTLE:
        return qcrypto_mac_nettle_ctx_new(alg, key, nkey, errp);
#endif
    default:
        error_setg(errp,
                   "No crypto library supporting CMAC/GMAC in this build");
        return NULL;
    }
}

bool qcrypto_mac_supports(QCryptoMacAlgorithm alg, size_t nkey)
{
    if ((unsigned)alg >= QCRYPTO_MAC_ALG__MAX) {
        return false;
    }
    if (nkey != 16 && nkey != 24 && nkey != 32) {
        return false;
    }
    return qcrypto_mac_lib_supports(alg, nkey);
}

QCryptoMac *qcrypto_mac_new(QCryptoMacAlgorithm alg,
                            const uint8_t *key, size_t nkey, Error **errp)
{
    QCryptoMac *mac;

    if ((unsigned)alg >= QCRYPTO_MAC_ALG__MAX) {
        error_setg(errp, "MAC algorithm %d out of range", alg);
        return NULL;
    }
    if (!qcrypto_mac_supports(alg, nkey)) {
        error_setg(errp, "%s with a %zu-byte key is not supported",
                   qcrypto_mac_alg_name[alg], nkey);
        return NULL;
    }
    mac = qcrypto_mac_ctx_new(alg, key, nkey, errp);
    if (!mac) {
        return NULL;
    }
    mac->alg = alg;
    mac->nkey = nkey;
    return mac;
}

void qcrypto_mac_free(QCryptoMac *mac)
{
    if (mac) {
        mac->driver->free(mac);
    }
}

int qcrypto_mac_compute(QCryptoMac *mac, const uint8_t *iv, size_t niv,
                        const uint8_t *in, size_t len,
                        uint8_t *out, size_t nout, Error **errp)
{
    if (qcrypto_mac_check_params(mac->alg, niv, nout, errp) < 0) {
        return -1;
    }
    if (mac->driver->compute(mac, iv, niv, in, len, out, nout, errp) < 0) {
        qcrypto_wipe(out, nout);
        return -1;
    }
    return 0;
}

int qcrypto_mac_verify(QCryptoMac *mac, const uint8_t *iv, size_t niv,
                       const uint8_t *in, size_t len,
                       const uint8_t *expected, size_t nexpected,
                       Error **errp)
{
    int ret;

    if (qcrypto_mac_check_params(mac->alg, niv, nexpected, errp) < 0) {
        return -1;
    }
    ret = mac->driver->verify(mac, iv, niv, in, len, expected, nexpected,
                              errp);
    if (ret < 0) {
        return ret == QCRYPTO_MAC_ERR_AUTH ? QCRYPTO_MAC_ERR_AUTH : -1;
    }
    return 0;
}
