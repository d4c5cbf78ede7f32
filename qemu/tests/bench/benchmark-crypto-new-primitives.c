/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU Crypto benchmark: the qcrypto primitives added for virtio-crypto
 * (AEAD, CMAC/GMAC, SHA-3, ECDSA), single thread, on whichever library
 * this build links (gcrypt or nettle).
 *
 * Each case runs for about QCRYPTO_BENCH_SECONDS of thread CPU time
 * (not wall time: the machine may be shared) and prints one line:
 *   bench <primitive> <size> <ops/s> <MB/s>
 * Run: build/.../tests/bench/benchmark-crypto-new-primitives [--tap -k]
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "crypto/init.h"
#include "crypto/aead.h"
#include "crypto/mac.h"
#include "crypto/hash.h"
#include "crypto/akcipher.h"
#include "qapi/error.h"
#include "../unit/test-crypto-ecdsa-keys.h"

#define QCRYPTO_BENCH_SECONDS 0.5

static void bench_report(const char *what, size_t size, uint64_t ops,
                         double secs)
{
    printf("bench %-28s %6zu %12.0f ops/s %10.1f MB/s\n", what, size,
           ops / secs, size ? ops * (double)size / secs / MiB : 0.0);
}

/*
 * Seconds of CPU time used by this thread: the machine may be shared,
 * and single-core throughput is what we want to compare.
 */
static double bench_cpu_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Run @body until QCRYPTO_BENCH_SECONDS of CPU time pass */
#define BENCH_LOOP(ops, secs, body)                                     \
    do {                                                                \
        double start_ = bench_cpu_seconds();                            \
        for (ops = 0; (ops & 63) ||                                     \
                 bench_cpu_seconds() - start_ < QCRYPTO_BENCH_SECONDS;  \
             ops++) {                                                   \
            body;                                                       \
        }                                                               \
        secs = bench_cpu_seconds() - start_;                            \
    } while (0)

static const size_t bench_sizes[] = { 64, 4 * KiB, 64 * KiB };

static void bench_aead(const void *opaque)
{
    static const struct {
        const char *name;
        QCryptoAEADAlgorithm alg;
        size_t nkey, niv, ntag;
    } cases[] = {
        { "aes-128-gcm", QCRYPTO_AEAD_ALG_AES_GCM, 16, 12, 16 },
        { "aes-256-gcm", QCRYPTO_AEAD_ALG_AES_GCM, 32, 12, 16 },
        { "aes-128-ccm", QCRYPTO_AEAD_ALG_AES_CCM, 16, 12, 16 },
        { "aes-256-ccm", QCRYPTO_AEAD_ALG_AES_CCM, 32, 12, 16 },
        { "chacha20-poly1305", QCRYPTO_AEAD_ALG_CHACHA20_POLY1305, 32, 12,
          16 },
    };
    uint8_t key[32] = { 1 }, iv[12] = { 2 }, aad[16] = { 3 }, tag[16];
    g_autofree uint8_t *buf = g_malloc0(64 * KiB);
    g_autofree uint8_t *ct = g_malloc0(64 * KiB);
    size_t c, s;

    for (c = 0; c < G_N_ELEMENTS(cases); c++) {
        g_autoptr(QCryptoAEAD) aead =
            qcrypto_aead_new(cases[c].alg, key, cases[c].nkey, &error_abort);

        for (s = 0; s < G_N_ELEMENTS(bench_sizes); s++) {
            g_autofree char *name = NULL;
            uint64_t ops;
            double secs;

            BENCH_LOOP(ops, secs,
                       g_assert(qcrypto_aead_encrypt(
                                    aead, iv, cases[c].niv, aad, sizeof(aad),
                                    buf, buf, bench_sizes[s], tag,
                                    cases[c].ntag, NULL) == 0));
            name = g_strdup_printf("%s-encrypt", cases[c].name);
            bench_report(name, bench_sizes[s], ops, secs);
            g_free(name);

            /* Decrypt what was just encrypted, so the tag verifies */
            g_assert(qcrypto_aead_encrypt(aead, iv, cases[c].niv, aad,
                                          sizeof(aad), buf, ct,
                                          bench_sizes[s], tag, cases[c].ntag,
                                          NULL) == 0);
            BENCH_LOOP(ops, secs,
                       g_assert(qcrypto_aead_decrypt(
                                    aead, iv, cases[c].niv, aad, sizeof(aad),
                                    ct, buf, bench_sizes[s], tag,
                                    cases[c].ntag, NULL) == 0));
            name = g_strdup_printf("%s-decrypt", cases[c].name);
            bench_report(name, bench_sizes[s], ops, secs);
        }
    }
}

static void bench_mac(const void *opaque)
{
    static const struct {
        const char *name;
        QCryptoMacAlgorithm alg;
        size_t nkey, niv;
    } cases[] = {
        { "cmac-aes-128", QCRYPTO_MAC_ALG_CMAC_AES, 16, 0 },
        { "cmac-aes-256", QCRYPTO_MAC_ALG_CMAC_AES, 32, 0 },
        { "gmac-aes-128", QCRYPTO_MAC_ALG_GMAC_AES, 16, 12 },
        { "gmac-aes-256", QCRYPTO_MAC_ALG_GMAC_AES, 32, 12 },
    };
    uint8_t key[32] = { 1 }, iv[12] = { 2 }, out[16];
    g_autofree uint8_t *buf = g_malloc0(64 * KiB);
    size_t c, s;

    for (c = 0; c < G_N_ELEMENTS(cases); c++) {
        g_autoptr(QCryptoMac) mac =
            qcrypto_mac_new(cases[c].alg, key, cases[c].nkey, &error_abort);

        const uint8_t *mac_iv = NULL;

        if (cases[c].niv) {
            mac_iv = iv;
        }
        for (s = 0; s < G_N_ELEMENTS(bench_sizes); s++) {
            uint64_t ops;
            double secs;

            BENCH_LOOP(ops, secs,
                       g_assert(qcrypto_mac_compute(
                                    mac, mac_iv,
                                    cases[c].niv, buf, bench_sizes[s],
                                    out, sizeof(out), NULL) == 0));
            bench_report(cases[c].name, bench_sizes[s], ops, secs);
        }
    }
}

static void bench_hash(const void *opaque)
{
    static const QCryptoHashAlgorithm algs[] = {
        QCRYPTO_HASH_ALG_SHA256, QCRYPTO_HASH_ALG_SHA512,
        QCRYPTO_HASH_ALG_SHA3_256, QCRYPTO_HASH_ALG_SHA3_512,
    };
    g_autofree uint8_t *buf = g_malloc0(64 * KiB);
    size_t a, s;

    for (a = 0; a < G_N_ELEMENTS(algs); a++) {
        for (s = 0; s < G_N_ELEMENTS(bench_sizes); s++) {
            uint8_t *out = NULL;
            size_t nout = 0;
            uint64_t ops;
            double secs;

            BENCH_LOOP(ops, secs,
                       g_assert(qcrypto_hash_bytes(algs[a], (char *)buf,
                                                   bench_sizes[s], &out,
                                                   &nout, NULL) == 0));
            g_free(out);
            bench_report(QCryptoHashAlgorithm_str(algs[a]), bench_sizes[s],
                         ops, secs);
        }
    }
}

static void bench_ecdsa(const void *opaque)
{
    static const struct {
        const char *name;
        QCryptoAkCipherECDSACurve curve;
        const uint8_t *key;
        size_t nkey, ndgst;
    } cases[] = {
        { "ecdsa-p256", QCRYPTO_AKCIPHER_ECDSA_CURVE_NIST_P256,
          ecdsa_p256_priv, sizeof(ecdsa_p256_priv), 32 },
        { "ecdsa-p384", QCRYPTO_AKCIPHER_ECDSA_CURVE_NIST_P384,
          ecdsa_p384_priv, sizeof(ecdsa_p384_priv), 48 },
    };
    uint8_t dgst[64] = { 5 }, sig[128];
    size_t c;

    for (c = 0; c < G_N_ELEMENTS(cases); c++) {
        QCryptoAkCipherOptions opts = {
            .alg = QCRYPTO_AKCIPHER_ALG_ECDSA,
            .u.ecdsa.curve = cases[c].curve,
        };
        g_autoptr(QCryptoAkCipher) key = NULL;
        g_autofree char *name = NULL;
        int nsig = 0;
        uint64_t ops;
        double secs;

        key = qcrypto_akcipher_new(&opts, QCRYPTO_AKCIPHER_KEY_TYPE_PRIVATE,
                                   cases[c].key, cases[c].nkey, &error_abort);
        BENCH_LOOP(ops, secs, {
            nsig = qcrypto_akcipher_sign(key, dgst, cases[c].ndgst, sig,
                                         sizeof(sig), NULL);
            g_assert(nsig > 0);
        });
        name = g_strdup_printf("%s-sign", cases[c].name);
        bench_report(name, 0, ops, secs);
        g_free(name);
        BENCH_LOOP(ops, secs,
                   g_assert(qcrypto_akcipher_verify(key, sig, nsig, dgst,
                                                    cases[c].ndgst,
                                                    NULL) == 0));
        name = g_strdup_printf("%s-verify", cases[c].name);
        bench_report(name, 0, ops, secs);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_assert(qcrypto_init(NULL) == 0);

    g_test_add_data_func("/crypto/benchmark/aead", NULL, bench_aead);
    g_test_add_data_func("/crypto/benchmark/mac", NULL, bench_mac);
    g_test_add_data_func("/crypto/benchmark/hash", NULL, bench_hash);
    g_test_add_data_func("/crypto/benchmark/ecdsa", NULL, bench_ecdsa);
    return g_test_run();
}
