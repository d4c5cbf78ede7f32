/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU Crypto block-cipher MAC tests: CMAC-AES and GMAC-AES
 *
 * Known answers from NIST SP 800-38B (CMAC), NIST CAVP GCM files with
 * no plaintext (GMAC) and Wycheproof, generated into
 * test-crypto-mac-vectors.h by gen-crypto-mac-vectors.py.  Each valid
 * vector is computed, verified, and must fail verification with a
 * flipped MAC or message bit; each invalid vector must be refused.
 */

#include "qemu/osdep.h"
#include "crypto/init.h"
#include "crypto/mac.h"
#include "qapi/error.h"
#include "test-crypto-hex.h"

typedef struct QCryptoMacTestVector {
    const char *name;
    QCryptoMacAlgorithm alg;
    bool valid;
    const char *key, *iv, *msg, *tag;
} QCryptoMacTestVector;

#include "test-crypto-mac-vectors.h"

static void test_mac_vector(const void *opaque)
{
    const QCryptoMacTestVector *v = opaque;
    g_autoptr(QCryptoMac) mac = NULL;
    g_autofree uint8_t *key = NULL, *iv = NULL, *msg = NULL, *tag = NULL;
    size_t nkey, niv, nmsg, ntag;
    uint8_t out[QCRYPTO_MAC_MAX_LEN + 1];
    Error *err = NULL;

    key = test_unhex(v->key, &nkey);
    iv = test_unhex(v->iv, &niv);
    msg = test_unhex(v->msg, &nmsg);
    tag = test_unhex(v->tag, &ntag);

    if (nkey != 16 && nkey != 24 && nkey != 32) {
        /* Wycheproof has MACs with non-AES key sizes: all invalid */
        g_assert_false(v->valid);
        g_assert_false(qcrypto_mac_supports(v->alg, nkey));
        g_assert_null(qcrypto_mac_new(v->alg, key, nkey, &err));
        error_free_or_abort(&err);
        return;
    }
    g_assert_true(qcrypto_mac_supports(v->alg, nkey));
    mac = qcrypto_mac_new(v->alg, key, nkey, &error_abort);

    if (qcrypto_mac_check_params(v->alg, niv, ntag, NULL) < 0) {
        g_assert_false(v->valid);
        g_assert_cmpint(qcrypto_mac_verify(mac, iv, niv, msg, nmsg, tag, ntag,
                                           &err), ==, -1);
        error_free_or_abort(&err);
        return;
    }
    if (!v->valid) {
        g_assert_cmpint(qcrypto_mac_verify(mac, iv, niv, msg, nmsg, tag, ntag,
                                           &err), ==, QCRYPTO_MAC_ERR_AUTH);
        error_free_or_abort(&err);
        return;
    }

    memset(out, 0xa5, sizeof(out));
    g_assert_cmpint(qcrypto_mac_compute(mac, iv, niv, msg, nmsg, out, ntag,
                                        &error_abort), ==, 0);
    g_assert_cmpmem(out, ntag, tag, ntag);
    g_assert_cmpint(out[ntag], ==, 0xa5);
    g_assert_cmpint(qcrypto_mac_verify(mac, iv, niv, msg, nmsg, tag, ntag,
                                       &error_abort), ==, 0);

    tag[0] ^= 0x01;
    g_assert_cmpint(qcrypto_mac_verify(mac, iv, niv, msg, nmsg, tag, ntag,
                                       &err), ==, QCRYPTO_MAC_ERR_AUTH);
    error_free_or_abort(&err);
    tag[0] ^= 0x01;
    if (nmsg) {
        msg[nmsg - 1] ^= 0x80;
        g_assert_cmpint(qcrypto_mac_verify(mac, iv, niv, msg, nmsg, tag, ntag,
                                           &err), ==, QCRYPTO_MAC_ERR_AUTH);
        error_free_or_abort(&err);
    }
}

static void test_mac_supports(void)
{
    static const size_t keys[] = { 16, 24, 32 };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(keys); i++) {
        g_assert_true(qcrypto_mac_supports(QCRYPTO_MAC_ALG_CMAC_AES,
                                           keys[i]));
        g_assert_true(qcrypto_mac_supports(QCRYPTO_MAC_ALG_GMAC_AES,
                                           keys[i]));
    }
    g_assert_false(qcrypto_mac_supports(QCRYPTO_MAC_ALG_CMAC_AES, 0));
    g_assert_false(qcrypto_mac_supports(QCRYPTO_MAC_ALG_CMAC_AES, 20));
    g_assert_false(qcrypto_mac_supports(QCRYPTO_MAC_ALG__MAX, 16));
}

static void test_mac_params(void)
{
    static const uint8_t key[16];
    g_autoptr(QCryptoMac) cmac = NULL;
    g_autoptr(QCryptoMac) gmac = NULL;
    uint8_t iv[12] = { 0 }, out[QCRYPTO_MAC_MAX_LEN];
    Error *err = NULL;

    cmac = qcrypto_mac_new(QCRYPTO_MAC_ALG_CMAC_AES, key, 16, &error_abort);
    gmac = qcrypto_mac_new(QCRYPTO_MAC_ALG_GMAC_AES, key, 16, &error_abort);

    /* CMAC: no IV, 4..16 bytes */
    g_assert_cmpint(qcrypto_mac_compute(cmac, iv, 12, key, 16, out, 16,
                                        &err), ==, -1);
    error_free_or_abort(&err);
    g_assert_cmpint(qcrypto_mac_compute(cmac, NULL, 0, key, 16, out, 3,
                                        &err), ==, -1);
    error_free_or_abort(&err);
    g_assert_cmpint(qcrypto_mac_compute(cmac, NULL, 0, key, 16, out, 17,
                                        &err), ==, -1);
    error_free_or_abort(&err);
    g_assert_cmpint(qcrypto_mac_compute(cmac, NULL, 0, key, 16, out, 4,
                                        &error_abort), ==, 0);

    /* GMAC: an IV is required; tag lengths as GCM */
    g_assert_cmpint(qcrypto_mac_compute(gmac, NULL, 0, key, 16, out, 16,
                                        &err), ==, -1);
    error_free_or_abort(&err);
    g_assert_cmpint(qcrypto_mac_compute(gmac, iv, 12, key, 16, out, 10,
                                        &err), ==, -1);
    error_free_or_abort(&err);
    g_assert_cmpint(qcrypto_mac_verify(gmac, iv, 12, key, 16, out, 6,
                                       &err), ==, -1);
    error_free_or_abort(&err);
    g_assert_cmpint(qcrypto_mac_compute(gmac, iv, 12, key, 16, out, 12,
                                        &error_abort), ==, 0);
    g_assert_cmpint(qcrypto_mac_verify(gmac, iv, 12, key, 16, out, 12,
                                       &error_abort), ==, 0);
}

int main(int argc, char **argv)
{
    size_t i;

    g_test_init(&argc, &argv, NULL);
    g_assert(qcrypto_init(NULL) == 0);

    g_test_add_func("/crypto/mac/supports", test_mac_supports);
    g_test_add_func("/crypto/mac/params", test_mac_params);
    for (i = 0; i < G_N_ELEMENTS(test_mac_vectors); i++) {
        g_autofree char *path =
            g_strdup_printf("/crypto/mac/kat/%s", test_mac_vectors[i].name);

        g_test_add_data_func(path, &test_mac_vectors[i], test_mac_vector);
    }
    return g_test_run();
}
