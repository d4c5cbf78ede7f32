/*
 * QEMU Crypto cipher tests: data lengths that are not whole blocks
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * CTR is a stream mode and must accept any length; XTS must accept any
 * length of at least one block (ciphertext stealing, IEEE 1619); ECB and
 * CBC must still reject partial blocks.
 */

#include "qemu/osdep.h"
#include "crypto/init.h"
#include "crypto/cipher.h"
#include "qapi/error.h"

/* NIST SP 800-38A, F.5.1 CTR-AES128.Encrypt */
static const uint8_t ctr_key[16] = {
    0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
    0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
};
static const uint8_t ctr_iv[16] = {
    0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
    0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
};
static const uint8_t ctr_pt[64] = {
    0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96,
    0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17, 0x2a,
    0xae, 0x2d, 0x8a, 0x57, 0x1e, 0x03, 0xac, 0x9c,
    0x9e, 0xb7, 0x6f, 0xac, 0x45, 0xaf, 0x8e, 0x51,
    0x30, 0xc8, 0x1c, 0x46, 0xa3, 0x5c, 0xe4, 0x11,
    0xe5, 0xfb, 0xc1, 0x19, 0x1a, 0x0a, 0x52, 0xef,
    0xf6, 0x9f, 0x24, 0x45, 0xdf, 0x4f, 0x9b, 0x17,
    0xad, 0x2b, 0x41, 0x7b, 0xe6, 0x6c, 0x37, 0x10,
};
static const uint8_t ctr_ct[64] = {
    0x87, 0x4d, 0x61, 0x91, 0xb6, 0x20, 0xe3, 0x26,
    0x1b, 0xef, 0x68, 0x64, 0x99, 0x0d, 0xb6, 0xce,
    0x98, 0x06, 0xf6, 0x6b, 0x79, 0x70, 0xfd, 0xff,
    0x86, 0x17, 0x18, 0x7b, 0xb9, 0xff, 0xfd, 0xff,
    0x5a, 0xe4, 0xdf, 0x3e, 0xdb, 0xd5, 0xd3, 0x5e,
    0x5b, 0x4f, 0x09, 0x02, 0x0d, 0xb0, 0x3e, 0xab,
    0x1e, 0x03, 0x1d, 0xda, 0x2f, 0xbe, 0x03, 0xd1,
    0x79, 0x21, 0x70, 0xa0, 0xf3, 0x00, 0x9c, 0xee,
};

/* IEEE P1619/D16 XTS-AES-128 keys of vectors 15..18 */
static const uint8_t xts_key[32] = {
    0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0xfa, 0xf9, 0xf8,
    0xf7, 0xf6, 0xf5, 0xf4, 0xf3, 0xf2, 0xf1, 0xf0,
    0xbf, 0xbe, 0xbd, 0xbc, 0xbb, 0xba, 0xb9, 0xb8,
    0xb7, 0xb6, 0xb5, 0xb4, 0xb3, 0xb2, 0xb1, 0xb0,
};
/* Data unit sequence number 0x123456789a, little-endian */
static const uint8_t xts_iv[16] = { 0x9a, 0x78, 0x56, 0x34, 0x12 };
/* Vector 15: 17-byte data unit */
static const uint8_t xts_ct17[17] = {
    0x6c, 0x16, 0x25, 0xdb, 0x46, 0x71, 0x52, 0x2d,
    0x3d, 0x75, 0x99, 0x60, 0x1d, 0xe7, 0xca, 0x09,
    0xed,
};
/* Same key and tweak, 31-byte data unit (reference: OpenSSL 3.0) */
static const uint8_t xts_ct31[31] = {
    0xd0, 0x5b, 0xc0, 0x90, 0xa8, 0xe0, 0x4f, 0x1b,
    0x3d, 0x3e, 0xcd, 0xd5, 0xba, 0xec, 0x0f, 0xd4,
    0xed, 0xbf, 0x9d, 0xac, 0xe4, 0x5d, 0x6f, 0x6a,
    0x73, 0x06, 0xe6, 0x4b, 0xe5, 0xdd, 0x82,
};

static QCryptoCipher *new_cipher(QCryptoCipherAlgorithm alg,
                                 QCryptoCipherMode mode,
                                 const uint8_t *key, size_t nkey)
{
    return qcrypto_cipher_new(alg, mode, key, nkey, &error_abort);
}

static void test_ctr_any_length(void)
{
    QCryptoCipher *c = new_cipher(QCRYPTO_CIPHER_ALG_AES_128,
                                  QCRYPTO_CIPHER_MODE_CTR,
                                  ctr_key, sizeof(ctr_key));
    uint8_t out[64];
    size_t len;

    for (len = 1; len <= sizeof(ctr_pt); len++) {
        memset(out, 0, sizeof(out));
        g_assert_cmpint(qcrypto_cipher_setiv(c, ctr_iv, sizeof(ctr_iv),
                                             &error_abort), ==, 0);
        g_assert_cmpint(qcrypto_cipher_encrypt(c, ctr_pt, out, len,
                                               &error_abort), ==, 0);
        g_assert_cmpmem(out, len, ctr_ct, len);

        g_assert_cmpint(qcrypto_cipher_setiv(c, ctr_iv, sizeof(ctr_iv),
                                             &error_abort), ==, 0);
        g_assert_cmpint(qcrypto_cipher_decrypt(c, ctr_ct, out, len,
                                               &error_abort), ==, 0);
        g_assert_cmpmem(out, len, ctr_pt, len);
    }
    qcrypto_cipher_free(c);
}

/* A new IV must discard the keystream left over by a partial block */
static void test_ctr_setiv_resets_keystream(void)
{
    QCryptoCipher *c = new_cipher(QCRYPTO_CIPHER_ALG_AES_128,
                                  QCRYPTO_CIPHER_MODE_CTR,
                                  ctr_key, sizeof(ctr_key));
    uint8_t out[64];

    g_assert_cmpint(qcrypto_cipher_setiv(c, ctr_iv, sizeof(ctr_iv),
                                         &error_abort), ==, 0);
    g_assert_cmpint(qcrypto_cipher_encrypt(c, ctr_pt, out, 5,
                                           &error_abort), ==, 0);
    g_assert_cmpint(qcrypto_cipher_setiv(c, ctr_iv, sizeof(ctr_iv),
                                         &error_abort), ==, 0);
    g_assert_cmpint(qcrypto_cipher_encrypt(c, ctr_pt, out, sizeof(out),
                                           &error_abort), ==, 0);
    g_assert_cmpmem(out, sizeof(out), ctr_ct, sizeof(ctr_ct));
    qcrypto_cipher_free(c);
}

static void check_xts(const uint8_t *ct, size_t len)
{
    QCryptoCipher *c = new_cipher(QCRYPTO_CIPHER_ALG_AES_128,
                                  QCRYPTO_CIPHER_MODE_XTS,
                                  xts_key, sizeof(xts_key));
    uint8_t pt[32], out[32];
    size_t i;

    g_assert_cmpuint(len, <=, sizeof(pt));
    for (i = 0; i < len; i++) {
        pt[i] = i;
    }
    g_assert_cmpint(qcrypto_cipher_setiv(c, xts_iv, sizeof(xts_iv),
                                         &error_abort), ==, 0);
    g_assert_cmpint(qcrypto_cipher_encrypt(c, pt, out, len,
                                           &error_abort), ==, 0);
    g_assert_cmpmem(out, len, ct, len);

    g_assert_cmpint(qcrypto_cipher_setiv(c, xts_iv, sizeof(xts_iv),
                                         &error_abort), ==, 0);
    g_assert_cmpint(qcrypto_cipher_decrypt(c, ct, out, len,
                                           &error_abort), ==, 0);
    g_assert_cmpmem(out, len, pt, len);
    qcrypto_cipher_free(c);
}

static void test_xts_ciphertext_stealing(void)
{
    check_xts(xts_ct17, sizeof(xts_ct17));
    check_xts(xts_ct31, sizeof(xts_ct31));
}

static void test_xts_rejects_short(void)
{
    QCryptoCipher *c = new_cipher(QCRYPTO_CIPHER_ALG_AES_128,
                                  QCRYPTO_CIPHER_MODE_XTS,
                                  xts_key, sizeof(xts_key));
    uint8_t buf[15] = { 0 };
    Error *err = NULL;

    g_assert_cmpint(qcrypto_cipher_setiv(c, xts_iv, sizeof(xts_iv),
                                         &error_abort), ==, 0);
    g_assert_cmpint(qcrypto_cipher_encrypt(c, buf, buf, sizeof(buf),
                                           &err), <, 0);
    g_assert(err);
    error_free(err);
    qcrypto_cipher_free(c);
}

static void test_block_modes_reject_partial(void)
{
    QCryptoCipherMode modes[] = {
        QCRYPTO_CIPHER_MODE_ECB, QCRYPTO_CIPHER_MODE_CBC,
    };
    uint8_t buf[17] = { 0 };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(modes); i++) {
        QCryptoCipher *c = new_cipher(QCRYPTO_CIPHER_ALG_AES_128, modes[i],
                                      ctr_key, sizeof(ctr_key));
        Error *err = NULL;

        if (modes[i] == QCRYPTO_CIPHER_MODE_CBC) {
            g_assert_cmpint(qcrypto_cipher_setiv(c, ctr_iv, sizeof(ctr_iv),
                                                 &error_abort), ==, 0);
        }
        g_assert_cmpint(qcrypto_cipher_encrypt(c, buf, buf, sizeof(buf),
                                               &err), <, 0);
        g_assert(err);
        error_free(err);
        qcrypto_cipher_free(c);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_assert(qcrypto_init(NULL) == 0);

    if (qcrypto_cipher_supports(QCRYPTO_CIPHER_ALG_AES_128,
                                QCRYPTO_CIPHER_MODE_CTR)) {
        g_test_add_func("/crypto/cipher/partial/ctr-any-length",
                        test_ctr_any_length);
        g_test_add_func("/crypto/cipher/partial/ctr-setiv-resets",
                        test_ctr_setiv_resets_keystream);
    }
    if (qcrypto_cipher_supports(QCRYPTO_CIPHER_ALG_AES_128,
                                QCRYPTO_CIPHER_MODE_XTS)) {
        g_test_add_func("/crypto/cipher/partial/xts-stealing",
                        test_xts_ciphertext_stealing);
        g_test_add_func("/crypto/cipher/partial/xts-short",
                        test_xts_rejects_short);
    }
    g_test_add_func("/crypto/cipher/partial/block-modes",
                    test_block_modes_reject_partial);
    return g_test_run();
}
