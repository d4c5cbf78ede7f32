/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU Crypto AEAD tests: AES-GCM, AES-CCM, ChaCha20-Poly1305
 *
 * Known answers from NIST CAVP (GCM: gcmEncryptExtIV*, gcmDecrypt*;
 * CCM: VNT, VTT, VADT, VPT, DVPT) and Wycheproof, generated into
 * test-crypto-aead-vectors.h by gen-crypto-aead-vectors.py.  Every
 * valid vector is checked for encryption, decryption, in-place
 * operation and rejection of a flipped tag, ciphertext or aad bit;
 * every invalid vector must fail with QCRYPTO_AEAD_ERR_AUTH (or be
 * refused up front for parameters the algorithm does not allow) and
 * leave only zeroes in the output.
 */

#include "qemu/osdep.h"
#include "crypto/init.h"
#include "crypto/aead.h"
#include "qapi/error.h"
#include "test-crypto-hex.h"

typedef struct QCryptoAEADTestVector {
    const char *name;
    QCryptoAEADAlgorithm alg;
    bool valid;
    const char *key, *iv, *aad, *pt, *ct, *tag;
} QCryptoAEADTestVector;

#include "test-crypto-aead-vectors.h"

typedef struct TestBufs {
    uint8_t *key, *iv, *aad, *pt, *ct, *tag;
    size_t nkey, niv, naad, npt, nct, ntag;
} TestBufs;

static void test_bufs_load(TestBufs *b, const QCryptoAEADTestVector *v)
{
    b->key = test_unhex(v->key, &b->nkey);
    b->iv = test_unhex(v->iv, &b->niv);
    b->aad = test_unhex(v->aad, &b->naad);
    b->pt = test_unhex(v->pt, &b->npt);
    b->ct = test_unhex(v->ct, &b->nct);
    b->tag = test_unhex(v->tag, &b->ntag);
}

static void test_bufs_free(TestBufs *b)
{
    g_free(b->key);
    g_free(b->iv);
    g_free(b->aad);
    g_free(b->pt);
    g_free(b->ct);
    g_free(b->tag);
}

/* Decrypt must fail with @expect and leave no byte of plaintext behind */
static void check_decrypt_fails(QCryptoAEAD *aead, TestBufs *b,
                                const uint8_t *aad, const uint8_t *ct,
                                const uint8_t *tag, int expect)
{
    g_autofree uint8_t *out = g_malloc(b->nct + 1);
    Error *err = NULL;

    memset(out, 0xa5, b->nct + 1);
    g_assert_cmpint(qcrypto_aead_decrypt(aead, b->iv, b->niv, aad, b->naad,
                                         ct, out, b->nct, tag, b->ntag, &err),
                    ==, expect);
    g_assert(err);
    error_free(err);
    g_assert(test_all_zero(out, b->nct));
    g_assert_cmpint(out[b->nct], ==, 0xa5);
}

static void test_aead_vector(const void *opaque)
{
    const QCryptoAEADTestVector *v = opaque;
    g_autoptr(QCryptoAEAD) aead = NULL;
    g_autofree uint8_t *out = NULL;
    g_autofree uint8_t *tag = NULL;
    TestBufs b;

    test_bufs_load(&b, v);
    if (!qcrypto_aead_supports(v->alg, b.nkey)) {
        /* Every build with gcrypt or nettle has all three */
        g_assert_not_reached();
    }
    aead = qcrypto_aead_new(v->alg, b.key, b.nkey, &error_abort);
    out = g_malloc0(b.nct + 1);
    tag = g_malloc0(b.ntag + 1);

    if (qcrypto_aead_check_params(v->alg, b.niv, b.ntag, NULL) < 0) {
        /* Only invalid vectors may use parameters we refuse */
        g_assert_false(v->valid);
        check_decrypt_fails(aead, &b, b.aad, b.ct, b.tag, -1);
        goto out;
    }

    if (!v->valid) {
        check_decrypt_fails(aead, &b, b.aad, b.ct, b.tag,
                            QCRYPTO_AEAD_ERR_AUTH);
        goto out;
    }

    g_assert_cmpint(b.npt, ==, b.nct);

    /* Encrypt: ciphertext and tag */
    g_assert_cmpint(qcrypto_aead_encrypt(aead, b.iv, b.niv, b.aad, b.naad,
                                         b.pt, out, b.npt, tag, b.ntag,
                                         &error_abort), ==, 0);
    g_assert_cmpmem(out, b.nct, b.ct, b.nct);
    g_assert_cmpmem(tag, b.ntag, b.tag, b.ntag);

    /* Decrypt, then decrypt in place */
    memset(out, 0, b.nct);
    g_assert_cmpint(qcrypto_aead_decrypt(aead, b.iv, b.niv, b.aad, b.naad,
                                         b.ct, out, b.nct, b.tag, b.ntag,
                                         &error_abort), ==, 0);
    g_assert_cmpmem(out, b.npt, b.pt, b.npt);
    memcpy(out, b.ct, b.nct);
    g_assert_cmpint(qcrypto_aead_decrypt(aead, b.iv, b.niv, b.aad, b.naad,
                                         out, out, b.nct, b.tag, b.ntag,
                                         &error_abort), ==, 0);
    g_assert_cmpmem(out, b.npt, b.pt, b.npt);

    /* Any flipped bit in tag, ciphertext or aad is caught */
    memcpy(tag, b.tag, b.ntag);
    tag[b.ntag - 1] ^= 0x01;
    check_decrypt_fails(aead, &b, b.aad, b.ct, tag, QCRYPTO_AEAD_ERR_AUTH);
    if (b.nct) {
        memcpy(out, b.ct, b.nct);
        out[0] ^= 0x80;
        check_decrypt_fails(aead, &b, b.aad, out, b.tag,
                            QCRYPTO_AEAD_ERR_AUTH);
    }
    if (b.naad) {
        g_autofree uint8_t *aad = g_memdup2(b.aad, b.naad);

        aad[b.naad / 2] ^= 0x10;
        check_decrypt_fails(aead, &b, aad, b.ct, b.tag,
                            QCRYPTO_AEAD_ERR_AUTH);
    }

 out:
    test_bufs_free(&b);
}

static void test_aead_supports(void)
{
    static const size_t aes_keys[] = { 16, 24, 32 };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(aes_keys); i++) {
        g_assert_true(qcrypto_aead_supports(QCRYPTO_AEAD_ALG_AES_GCM,
                                            aes_keys[i]));
        g_assert_true(qcrypto_aead_supports(QCRYPTO_AEAD_ALG_AES_CCM,
                                            aes_keys[i]));
    }
    g_assert_false(qcrypto_aead_supports(QCRYPTO_AEAD_ALG_CHACHA20_POLY1305,
                                         16));
    g_assert_true(qcrypto_aead_supports(QCRYPTO_AEAD_ALG_CHACHA20_POLY1305,
                                        32));
    g_assert_false(qcrypto_aead_supports(QCRYPTO_AEAD_ALG_AES_GCM, 0));
    g_assert_false(qcrypto_aead_supports(QCRYPTO_AEAD_ALG_AES_GCM, 20));
    g_assert_false(qcrypto_aead_supports(QCRYPTO_AEAD_ALG_AES_CCM, 64));
    g_assert_false(qcrypto_aead_supports(QCRYPTO_AEAD_ALG__MAX, 16));
    g_assert_false(qcrypto_aead_supports(-1, 16));
}

static void test_aead_bad_key(void)
{
    uint8_t key[64] = { 0 };
    Error *err = NULL;

    g_assert_null(qcrypto_aead_new(QCRYPTO_AEAD_ALG_AES_GCM, key, 17, &err));
    error_free_or_abort(&err);
    g_assert_null(qcrypto_aead_new(QCRYPTO_AEAD_ALG_CHACHA20_POLY1305,
                                   key, 16, &err));
    error_free_or_abort(&err);
    g_assert_null(qcrypto_aead_new(QCRYPTO_AEAD_ALG__MAX, key, 16, &err));
    error_free_or_abort(&err);
}

static void test_aead_params(void)
{
    static const struct {
        QCryptoAEADAlgorithm alg;
        size_t niv, ntag;
        bool ok;
    } cases[] = {
        { QCRYPTO_AEAD_ALG_AES_GCM, 12, 16, true },
        { QCRYPTO_AEAD_ALG_AES_GCM, 1, 4, true },
        { QCRYPTO_AEAD_ALG_AES_GCM, 0, 16, false },
        { QCRYPTO_AEAD_ALG_AES_GCM, 12, 0, false },
        { QCRYPTO_AEAD_ALG_AES_GCM, 12, 6, false },
        { QCRYPTO_AEAD_ALG_AES_GCM, 12, 17, false },
        { QCRYPTO_AEAD_ALG_AES_GCM, QCRYPTO_AEAD_GCM_MAX_IV_LEN + 1, 16,
          false },
        { QCRYPTO_AEAD_ALG_AES_CCM, 7, 4, true },
        { QCRYPTO_AEAD_ALG_AES_CCM, 13, 16, true },
        { QCRYPTO_AEAD_ALG_AES_CCM, 6, 16, false },
        { QCRYPTO_AEAD_ALG_AES_CCM, 14, 16, false },
        { QCRYPTO_AEAD_ALG_AES_CCM, 12, 5, false },
        { QCRYPTO_AEAD_ALG_AES_CCM, 12, 2, false },
        { QCRYPTO_AEAD_ALG_AES_CCM, 12, 18, false },
        { QCRYPTO_AEAD_ALG_CHACHA20_POLY1305, 12, 16, true },
        { QCRYPTO_AEAD_ALG_CHACHA20_POLY1305, 8, 16, false },
        { QCRYPTO_AEAD_ALG_CHACHA20_POLY1305, 12, 12, false },
        { QCRYPTO_AEAD_ALG__MAX, 12, 16, false },
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        Error *err = NULL;
        int ret = qcrypto_aead_check_params(cases[i].alg, cases[i].niv,
                                            cases[i].ntag, &err);

        if (cases[i].ok) {
            g_assert_cmpint(ret, ==, 0);
        } else {
            g_assert_cmpint(ret, ==, -1);
        }
        g_assert(cases[i].ok == !err);
        error_free(err);
    }
}

/* CCM with a 13-byte nonce has a 2-byte length field: 65535 is the limit */
static void test_aead_ccm_too_long(void)
{
    uint8_t key[16] = { 0 }, iv[13] = { 0 }, tag[16];
    g_autoptr(QCryptoAEAD) aead = NULL;
    g_autofree uint8_t *buf = g_malloc0(65536);
    Error *err = NULL;

    aead = qcrypto_aead_new(QCRYPTO_AEAD_ALG_AES_CCM, key, sizeof(key),
                            &error_abort);
    g_assert_cmpint(qcrypto_aead_encrypt(aead, iv, sizeof(iv), NULL, 0,
                                         buf, buf, 65535, tag, sizeof(tag),
                                         &error_abort), ==, 0);
    g_assert_cmpint(qcrypto_aead_encrypt(aead, iv, sizeof(iv), NULL, 0,
                                         buf, buf, 65536, tag, sizeof(tag),
                                         &err), ==, -1);
    error_free_or_abort(&err);
    /* With a 12-byte nonce the same length is fine */
    g_assert_cmpint(qcrypto_aead_encrypt(aead, iv, 12, NULL, 0,
                                         buf, buf, 65536, tag, sizeof(tag),
                                         &error_abort), ==, 0);
}

/* A context is reusable: state from one message never leaks into the next */
static void test_aead_reuse_after_failure(void)
{
    const QCryptoAEADTestVector *v = &test_aead_vectors[0];
    g_autoptr(QCryptoAEAD) aead = NULL;
    uint8_t bad_tag[16] = { 0 };
    uint8_t out[64];
    Error *err = NULL;
    TestBufs b;

    test_bufs_load(&b, v);
    g_assert_true(v->valid);
    g_assert_cmpint(b.nct, <=, sizeof(out));
    aead = qcrypto_aead_new(v->alg, b.key, b.nkey, &error_abort);
    g_assert_cmpint(qcrypto_aead_decrypt(aead, b.iv, b.niv, b.aad, b.naad,
                                         b.ct, out, b.nct, bad_tag, b.ntag,
                                         &err), ==, QCRYPTO_AEAD_ERR_AUTH);
    error_free_or_abort(&err);
    g_assert_cmpint(qcrypto_aead_decrypt(aead, b.iv, b.niv, b.aad, b.naad,
                                         b.ct, out, b.nct, b.tag, b.ntag,
                                         &error_abort), ==, 0);
    g_assert_cmpmem(out, b.npt, b.pt, b.npt);
    test_bufs_free(&b);
}

int main(int argc, char **argv)
{
    size_t i;

    g_test_init(&argc, &argv, NULL);
    g_assert(qcrypto_init(NULL) == 0);

    g_test_add_func("/crypto/aead/supports", test_aead_supports);
    g_test_add_func("/crypto/aead/bad-key", test_aead_bad_key);
    g_test_add_func("/crypto/aead/params", test_aead_params);
    g_test_add_func("/crypto/aead/ccm-too-long", test_aead_ccm_too_long);
    g_test_add_func("/crypto/aead/reuse-after-failure",
                    test_aead_reuse_after_failure);
    for (i = 0; i < G_N_ELEMENTS(test_aead_vectors); i++) {
        g_autofree char *path =
            g_strdup_printf("/crypto/aead/kat/%s", test_aead_vectors[i].name);

        g_test_add_data_func(path, &test_aead_vectors[i], test_aead_vector);
    }
    return g_test_run();
}
