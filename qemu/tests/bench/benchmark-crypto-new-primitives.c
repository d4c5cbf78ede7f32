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

#define QCRYPTO_BENCH_SECONDS 0.5

/* NIST CAVP FIPS 186-3 SigGen keys (P-256 and P-384, SHA-256/384 #0) */
static const uint8_t ecdsa_p256_priv[] = {
    0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20, 0x51,
    0x9b, 0x42, 0x3d, 0x71, 0x5f, 0x8b, 0x58, 0x1f,
    0x4f, 0xa8, 0xee, 0x59, 0xf4, 0x77, 0x1a, 0x5b,
    0x44, 0xc8, 0x13, 0x0b, 0x4e, 0x3e, 0xac, 0xca,
    0x54, 0xa5, 0x6d, 0xda, 0x72, 0xb4, 0x64, 0xa0,
    0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d,
    0x03, 0x01, 0x07, 0xa1, 0x44, 0x03, 0x42, 0x00,
    0x04, 0x1c, 0xcb, 0xe9, 0x1c, 0x07, 0x5f, 0xc7,
    0xf4, 0xf0, 0x33, 0xbf, 0xa2, 0x48, 0xdb, 0x8f,
    0xcc, 0xd3, 0x56, 0x5d, 0xe9, 0x4b, 0xbf, 0xb1,
    0x2f, 0x3c, 0x59, 0xff, 0x46, 0xc2, 0x71, 0xbf,
    0x83, 0xce, 0x40, 0x14, 0xc6, 0x88, 0x11, 0xf9,
    0xa2, 0x1a, 0x1f, 0xdb, 0x2c, 0x0e, 0x61, 0x13,
    0xe0, 0x6d, 0xb7, 0xca, 0x93, 0xb7, 0x40, 0x4e,
    0x78, 0xdc, 0x7c, 0xcd, 0x5c, 0xa8, 0x9a, 0x4c,
    0xa9,
};

static const uint8_t ecdsa_p384_priv[] = {
    0x30, 0x81, 0xa4, 0x02, 0x01, 0x01, 0x04, 0x30,
    0x20, 0x1b, 0x43, 0x2d, 0x8d, 0xf1, 0x43, 0x24,
    0x18, 0x2d, 0x62, 0x61, 0xdb, 0x3e, 0x4b, 0x3f,
    0x46, 0xa8, 0x28, 0x44, 0x82, 0xd5, 0x2e, 0x37,
    0x0d, 0xa4, 0x1e, 0x6c, 0xbd, 0xf4, 0x5e, 0xc2,
    0x95, 0x2f, 0x5d, 0xb7, 0xcc, 0xbc, 0xe3, 0xbc,
    0x29, 0x44, 0x9f, 0x4f, 0xb0, 0x80, 0xac, 0x97,
    0xa0, 0x07, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00,
    0x22, 0xa1, 0x64, 0x03, 0x62, 0x00, 0x04, 0xc2,
    0xb4, 0x79, 0x44, 0xfb, 0x5d, 0xe3, 0x42, 0xd0,
    0x32, 0x85, 0x88, 0x01, 0x77, 0xca, 0x5f, 0x7d,
    0x0f, 0x2f, 0xca, 0xd7, 0x67, 0x8c, 0xce, 0x42,
    0x29, 0xd6, 0xe1, 0x93, 0x2f, 0xca, 0xc1, 0x1b,
    0xfc, 0x3c, 0x3e, 0x97, 0xd9, 0x42, 0xa3, 0xc5,
    0x6b, 0xf3, 0x41, 0x23, 0x01, 0x3d, 0xbf, 0x37,
    0x25, 0x79, 0x06, 0xa8, 0x22, 0x38, 0x66, 0xed,
    0xa0, 0x74, 0x3c, 0x51, 0x96, 0x16, 0xa7, 0x6a,
    0x75, 0x8a, 0xe5, 0x8a, 0xee, 0x81, 0xc5, 0xfd,
    0x35, 0xfb, 0xf3, 0xa8, 0x55, 0xb7, 0x75, 0x4a,
    0x36, 0xd4, 0xa0, 0x67, 0x2d, 0xf9, 0x5d, 0x6c,
    0x44, 0xa8, 0x1c, 0xf7, 0x62, 0x0c, 0x2d,
};

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
