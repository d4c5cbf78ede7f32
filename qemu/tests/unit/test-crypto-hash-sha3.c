/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU Crypto hash tests: SHA-3 (FIPS 202) known answers
 *
 * NIST CAVP SHA-3 byte-oriented vectors (ShortMsg around the empty
 * message and the sponge rate, LongMsg, and the first two Monte Carlo
 * checkpoints), generated into test-crypto-hash-sha3-vectors.h by
 * gen-crypto-sha3-vectors.py.  Each message is also hashed split
 * over several iovecs, to exercise incremental absorption.
 */

#include "qemu/osdep.h"
#include "crypto/init.h"
#include "crypto/hash.h"
#include "qapi/error.h"
#include "test-crypto-hex.h"

typedef struct SHA3TestVector {
    QCryptoHashAlgorithm alg;
    const char *name;
    const char *msg;
    const char *md;
} SHA3TestVector;

typedef struct SHA3MonteVector {
    QCryptoHashAlgorithm alg;
    const char *name;
    const char *seed;
    const char *checkpoints[2];
} SHA3MonteVector;

#include "test-crypto-hash-sha3-vectors.h"

static void test_sha3_vector(const void *opaque)
{
    const SHA3TestVector *v = opaque;
    g_autofree uint8_t *msg = NULL, *md = NULL;
    g_autofree uint8_t *result = NULL;
    g_autofree char *hexresult = NULL;
    size_t nmsg, nmd, nresult = 0;
    struct iovec iov[3];

    msg = test_unhex(v->msg, &nmsg);
    md = test_unhex(v->md, &nmd);

    g_assert_true(qcrypto_hash_supports(v->alg));
    g_assert_cmpint(qcrypto_hash_digest_len(v->alg), ==, nmd);

    g_assert_cmpint(qcrypto_hash_bytes(v->alg, (const char *)msg, nmsg,
                                       &result, &nresult, &error_abort),
                    ==, 0);
    g_assert_cmpmem(result, nresult, md, nmd);
    g_clear_pointer(&result, g_free);

    /* The same message in three uneven pieces */
    iov[0].iov_base = msg;
    iov[0].iov_len = nmsg / 3;
    iov[1].iov_base = msg + nmsg / 3;
    iov[1].iov_len = nmsg / 2 - nmsg / 3;
    iov[2].iov_base = msg + nmsg / 2;
    iov[2].iov_len = nmsg - nmsg / 2;
    nresult = 0;
    g_assert_cmpint(qcrypto_hash_bytesv(v->alg, iov, 3, &result, &nresult,
                                        &error_abort), ==, 0);
    g_assert_cmpmem(result, nresult, md, nmd);

    /* And the hex digest helper agrees */
    g_assert_cmpint(qcrypto_hash_digest(v->alg, (const char *)msg, nmsg,
                                        &hexresult, &error_abort), ==, 0);
    g_assert_cmpstr(hexresult, ==, v->md);
}

/* SHA3VS 6.3: MD_i = SHA3(MD_{i-1}), checkpoint every 1000 iterations */
static void test_sha3_monte(const void *opaque)
{
    const SHA3MonteVector *v = opaque;
    g_autofree uint8_t *md = NULL;
    size_t nmd, j, i;

    md = test_unhex(v->seed, &nmd);
    for (j = 0; j < G_N_ELEMENTS(v->checkpoints); j++) {
        g_autofree uint8_t *expect = NULL;
        size_t nexpect;

        for (i = 0; i < 1000; i++) {
            uint8_t *next = NULL;
            size_t nnext = 0;

            g_assert_cmpint(qcrypto_hash_bytes(v->alg, (const char *)md, nmd,
                                               &next, &nnext, &error_abort),
                            ==, 0);
            g_free(md);
            md = next;
            nmd = nnext;
        }
        expect = test_unhex(v->checkpoints[j], &nexpect);
        g_assert_cmpmem(md, nmd, expect, nexpect);
    }
}

static void test_sha3_names(void)
{
    g_assert_cmpstr(QCryptoHashAlgorithm_str(QCRYPTO_HASH_ALG_SHA3_224), ==,
                    "sha3-224");
    g_assert_cmpstr(QCryptoHashAlgorithm_str(QCRYPTO_HASH_ALG_SHA3_512), ==,
                    "sha3-512");
    g_assert_cmpint(qcrypto_hash_digest_len(QCRYPTO_HASH_ALG_SHA3_256), ==,
                    32);
    g_assert_cmpint(qcrypto_hash_digest_len(QCRYPTO_HASH_ALG_SHA3_384), ==,
                    48);
}

int main(int argc, char **argv)
{
    size_t i;

    g_test_init(&argc, &argv, NULL);
    g_assert(qcrypto_init(NULL) == 0);

    g_test_add_func("/crypto/hash/sha3/names", test_sha3_names);
    for (i = 0; i < G_N_ELEMENTS(test_sha3_vectors); i++) {
        g_autofree char *path = g_strdup_printf("/crypto/hash/sha3/%s",
                                                test_sha3_vectors[i].name);

        g_test_add_data_func(path, &test_sha3_vectors[i], test_sha3_vector);
    }
    for (i = 0; i < G_N_ELEMENTS(test_sha3_monte_vectors); i++) {
        const SHA3MonteVector *v = &test_sha3_monte_vectors[i];
        g_autofree char *path = g_strdup_printf("/crypto/hash/sha3/%s",
                                                v->name);

        g_test_add_data_func(path, v, test_sha3_monte);
    }
    return g_test_run();
}
