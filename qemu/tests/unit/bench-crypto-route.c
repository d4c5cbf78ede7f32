/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU Crypto: libgcrypt against nettle for every primitive the
 * virtio-crypto device offers, through this qcrypto layer, single
 * thread, side by side in one run (needs a build linking both).
 *
 * Each case runs BENCH_SECONDS (default 0.3) of thread CPU time per
 * library, alternating the libraries twice and keeping the better of
 * the two, so a burst of load on a shared machine hits both alike.
 * Output, one line per case:
 *   <case> <bytes> <gcrypt> <nettle> <unit> <faster> <ratio> <routed>
 * where <routed> is the library the build actually picks
 * (crypto/route.c): the last two columns must agree unless the row is
 * routed for another reason (docs/performance.md says which).
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "crypto/init.h"
#include "crypto/cipher.h"
#include "crypto/hash.h"
#include "crypto/hmac.h"
#include "crypto/mac.h"
#include "crypto/aead.h"
#include "crypto/akcipher.h"
#include "crypto/route.h"
#include "qapi/error.h"
#include "test-crypto-route-keys.h"
#include "test-crypto-ecdsa-keys.h"

static double bench_seconds = 0.3;
static uint8_t *bench_in, *bench_out;
static uint8_t bench_key[64];  /* no weak DES/3DES key parts */

/* CPU seconds of this thread: the machine may be shared */
static double cpu_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef struct Case Case;
typedef void (*CaseSetup)(Case *c);
typedef void (*CaseRun)(Case *c);

struct Case {
    char name[48];
    size_t len;
    /* set up on each library in turn */
    QCryptoCipher *cipher;
    QCryptoHmac *hmac;
    QCryptoMac *mac;
    QCryptoAEAD *aead;
    QCryptoAkCipher *akc;
    /* parameters */
    int alg, mode;
    size_t nkey;
    bool decrypt;
    const uint8_t *key;
    size_t keylen;
    uint8_t sig[1024];
    int siglen;
    CaseRun run;
    void (*cleanup)(Case *c);
};

static double measure(Case *c)
{
    double start = cpu_now(), now;
    uint64_t ops = 0;

    do {
        int i;

        for (i = 0; i < 8; i++) {
            c->run(c);
        }
        ops += 8;
        now = cpu_now();
    } while (now - start < bench_seconds);
    return ops / (now - start);
}

static void report(Case *c, CaseSetup setup, QCryptoLib routed)
{
    double best[3] = { 0, 0, 0 };
    QCryptoLib libs[2] = { QCRYPTO_LIB_GCRYPT, QCRYPTO_LIB_NETTLE };
    int round, i;
    double g, n, ratio;
    const char *faster;

    for (round = 0; round < 2; round++) {
        for (i = 0; i < 2; i++) {
            double r;

            qcrypto_route_force(libs[i]);
            setup(c);
            qcrypto_route_force(QCRYPTO_LIB_NONE);
            r = measure(c);
            c->cleanup(c);
            best[libs[i]] = MAX(best[libs[i]], r);
        }
    }
    g = best[QCRYPTO_LIB_GCRYPT];
    n = best[QCRYPTO_LIB_NETTLE];
    faster = g >= n ? "gcrypt" : "nettle";
    ratio = g >= n ? g / n : n / g;
    if (c->len) {
        printf("%-28s %6zu %10.1f %10.1f MB/s  %s %5.2fx  %s\n", c->name,
               c->len, g * c->len / MiB, n * c->len / MiB, faster, ratio,
               qcrypto_lib_name(routed));
    } else {
        printf("%-28s %6s %10.0f %10.0f op/s  %s %5.2fx  %s\n", c->name,
               "-", g, n, faster, ratio, qcrypto_lib_name(routed));
    }
    fflush(stdout);
}

static const size_t sizes[] = { 64, 4 * KiB, 64 * KiB };

/* ---- ciphers: setiv + one call per request, as the device does ---- */

static void cipher_setup(Case *c)
{
    c->cipher = qcrypto_cipher_new(c->alg, c->mode, c->key, c->nkey,
                                   &error_abort);
}

static void cipher_run(Case *c)
{
    size_t niv = qcrypto_cipher_get_iv_len(c->alg, c->mode);

    if (niv) {
        qcrypto_cipher_setiv(c->cipher, bench_in, niv, &error_abort);
    }
    if (c->decrypt) {
        qcrypto_cipher_decrypt(c->cipher, bench_in, bench_out, c->len,
                               &error_abort);
    } else {
        qcrypto_cipher_encrypt(c->cipher, bench_in, bench_out, c->len,
                               &error_abort);
    }
}

static void cipher_cleanup(Case *c)
{
    qcrypto_cipher_free(c->cipher);
}

static QCryptoLib routed_cipher(Case *c)
{
    g_autoptr(QCryptoCipher) probe = NULL;

    /* which driver the table picks: compare the driver pointers */
    QCryptoCipher *byg, *byn;
    QCryptoLib r;

    probe = qcrypto_cipher_new(c->alg, c->mode, c->key, c->nkey,
                               &error_abort);
    qcrypto_route_force(QCRYPTO_LIB_GCRYPT);
    byg = qcrypto_cipher_new(c->alg, c->mode, c->key, c->nkey, &error_abort);
    qcrypto_route_force(QCRYPTO_LIB_NETTLE);
    byn = qcrypto_cipher_new(c->alg, c->mode, c->key, c->nkey, &error_abort);
    qcrypto_route_force(QCRYPTO_LIB_NONE);
    r = probe->driver == byg->driver ? QCRYPTO_LIB_GCRYPT :
        probe->driver == byn->driver ? QCRYPTO_LIB_NETTLE : QCRYPTO_LIB_NONE;
    qcrypto_cipher_free(byg);
    qcrypto_cipher_free(byn);
    return r;
}

static void bench_ciphers(void)
{
    static const struct {
        const char *name;
        QCryptoCipherAlgorithm alg;
        QCryptoCipherMode mode;
        size_t nkey;
    } ciphers[] = {
        { "aes-128-ecb", QCRYPTO_CIPHER_ALG_AES_128,
          QCRYPTO_CIPHER_MODE_ECB, 16 },
        { "aes-128-cbc", QCRYPTO_CIPHER_ALG_AES_128,
          QCRYPTO_CIPHER_MODE_CBC, 16 },
        { "aes-128-ctr", QCRYPTO_CIPHER_ALG_AES_128,
          QCRYPTO_CIPHER_MODE_CTR, 16 },
        { "aes-128-xts", QCRYPTO_CIPHER_ALG_AES_128,
          QCRYPTO_CIPHER_MODE_XTS, 32 },
        { "aes-256-ecb", QCRYPTO_CIPHER_ALG_AES_256,
          QCRYPTO_CIPHER_MODE_ECB, 32 },
        { "aes-256-cbc", QCRYPTO_CIPHER_ALG_AES_256,
          QCRYPTO_CIPHER_MODE_CBC, 32 },
        { "aes-256-ctr", QCRYPTO_CIPHER_ALG_AES_256,
          QCRYPTO_CIPHER_MODE_CTR, 32 },
        { "aes-256-xts", QCRYPTO_CIPHER_ALG_AES_256,
          QCRYPTO_CIPHER_MODE_XTS, 64 },
        { "3des-cbc", QCRYPTO_CIPHER_ALG_3DES,
          QCRYPTO_CIPHER_MODE_CBC, 24 },
    };
    const uint8_t *key = bench_key;
    size_t i, s;
    int d;

    for (i = 0; i < G_N_ELEMENTS(ciphers); i++) {
        for (d = 0; d < 2; d++) {
            for (s = 0; s < G_N_ELEMENTS(sizes); s++) {
                Case c = {
                    .len = sizes[s], .alg = ciphers[i].alg,
                    .mode = ciphers[i].mode, .nkey = ciphers[i].nkey,
                    .key = key, .decrypt = d, .run = cipher_run,
                    .cleanup = cipher_cleanup,
                };

                snprintf(c.name, sizeof(c.name), "%s-%s", ciphers[i].name,
                         d ? "dec" : "enc");
                report(&c, cipher_setup, routed_cipher(&c));
            }
        }
    }
}

/* ---- AEAD ---- */

static void aead_setup(Case *c)
{
    c->aead = qcrypto_aead_new(c->alg, c->key, c->nkey, &error_abort);
    if (c->decrypt) {
        qcrypto_aead_encrypt(c->aead, bench_in, 12, NULL, 0, bench_in,
                             bench_out, c->len, c->sig, 16, &error_abort);
    }
}

static void aead_run(Case *c)
{
    if (c->decrypt) {
        /* decrypting the same ciphertext: the tag verifies every time */
        int r = qcrypto_aead_decrypt(c->aead, bench_in, 12, NULL, 0,
                                     bench_out, bench_out + 64 * KiB,
                                     c->len, c->sig, 16, &error_abort);
        g_assert(r == 0);
    } else {
        qcrypto_aead_encrypt(c->aead, bench_in, 12, NULL, 0, bench_in,
                             bench_out, c->len, c->sig, 16, &error_abort);
    }
}

static void aead_cleanup(Case *c)
{
    qcrypto_aead_free(c->aead);
}

static void bench_aeads(void)
{
    static const struct {
        const char *name;
        QCryptoAEADAlgorithm alg;
        size_t nkey;
    } aeads[] = {
        { "aes-128-gcm", QCRYPTO_AEAD_ALG_AES_GCM, 16 },
        { "aes-256-gcm", QCRYPTO_AEAD_ALG_AES_GCM, 32 },
        { "aes-128-ccm", QCRYPTO_AEAD_ALG_AES_CCM, 16 },
        { "aes-256-ccm", QCRYPTO_AEAD_ALG_AES_CCM, 32 },
        { "chacha20-poly1305", QCRYPTO_AEAD_ALG_CHACHA20_POLY1305, 32 },
    };
    const uint8_t *key = bench_key;
    size_t i, s;
    int d;

    for (i = 0; i < G_N_ELEMENTS(aeads); i++) {
        QCryptoLib routed = qcrypto_route_pick(
            qcrypto_route_aead(aeads[i].alg), true, true);

        for (d = 0; d < 2; d++) {
            for (s = 0; s < G_N_ELEMENTS(sizes); s++) {
                Case c = {
                    .len = sizes[s], .alg = aeads[i].alg,
                    .nkey = aeads[i].nkey, .key = key, .decrypt = d,
                    .run = aead_run, .cleanup = aead_cleanup,
                };

                snprintf(c.name, sizeof(c.name), "%s-%s", aeads[i].name,
                         d ? "dec" : "enc");
                report(&c, aead_setup, routed);
            }
        }
    }
}

/* ---- hashes, HMAC (one object per session), CMAC/GMAC ---- */

static void hash_run(Case *c)
{
    /* hashes route per call: force around the call itself */
    uint8_t *digest = NULL;
    size_t ndigest = 0;

    qcrypto_hash_bytes(c->alg, (const char *)bench_in, c->len, &digest,
                       &ndigest, &error_abort);
    g_free(digest);
}

static void hash_cleanup(Case *c)
{
}

static void hmac_setup(Case *c)
{
    c->hmac = qcrypto_hmac_new(c->alg, c->key, c->nkey, &error_abort);
}

static void hmac_run(Case *c)
{
    uint8_t *digest = NULL;
    size_t ndigest = 0;

    qcrypto_hmac_bytes(c->hmac, (const char *)bench_in, c->len, &digest,
                       &ndigest, &error_abort);
    g_free(digest);
}

static void hmac_cleanup(Case *c)
{
    qcrypto_hmac_free(c->hmac);
}

static void mac_setup(Case *c)
{
    c->mac = qcrypto_mac_new(c->alg, c->key, c->nkey, &error_abort);
}

static void mac_run(Case *c)
{
    qcrypto_mac_compute(c->mac, bench_in, c->alg == QCRYPTO_MAC_ALG_GMAC_AES ?
                        12 : 0, bench_in, c->len, c->sig, 16, &error_abort);
}

static void mac_cleanup(Case *c)
{
    qcrypto_mac_free(c->mac);
}

/* Hashes are routed per call, so force the library around the run */
static QCryptoLib hash_forced;

static void hash_forced_run(Case *c)
{
    qcrypto_route_force(hash_forced);
    hash_run(c);
    qcrypto_route_force(QCRYPTO_LIB_NONE);
}

static void hash_forced_setup(Case *c)
{
    hash_forced = qcrypto_route_pick(QCRYPTO_LIB_NONE, true, true);
}

static void bench_hashes(void)
{
    static const QCryptoHashAlgorithm hashes[] = {
        QCRYPTO_HASH_ALG_MD5, QCRYPTO_HASH_ALG_SHA1,
        QCRYPTO_HASH_ALG_SHA224, QCRYPTO_HASH_ALG_SHA256,
        QCRYPTO_HASH_ALG_SHA384, QCRYPTO_HASH_ALG_SHA512,
        QCRYPTO_HASH_ALG_SHA3_224, QCRYPTO_HASH_ALG_SHA3_256,
        QCRYPTO_HASH_ALG_SHA3_384, QCRYPTO_HASH_ALG_SHA3_512,
    };
    static const struct {
        const char *name;
        QCryptoMacAlgorithm alg;
        size_t nkey;
    } macs[] = {
        { "cmac-aes-128", QCRYPTO_MAC_ALG_CMAC_AES, 16 },
        { "cmac-aes-256", QCRYPTO_MAC_ALG_CMAC_AES, 32 },
        { "gmac-aes-128", QCRYPTO_MAC_ALG_GMAC_AES, 16 },
        { "gmac-aes-256", QCRYPTO_MAC_ALG_GMAC_AES, 32 },
    };
    const uint8_t *key = bench_key;
    size_t i, s;

    for (i = 0; i < G_N_ELEMENTS(hashes); i++) {
        for (s = 0; s < G_N_ELEMENTS(sizes); s++) {
            Case c = {
                .len = sizes[s], .alg = hashes[i], .run = hash_forced_run,
                .cleanup = hash_cleanup,
            };

            snprintf(c.name, sizeof(c.name), "%s",
                     QCryptoHashAlgorithm_str(hashes[i]));
            report(&c, hash_forced_setup,
                   qcrypto_route_pick(qcrypto_route_hash(hashes[i]),
                                      true, true));
        }
    }
    for (i = 0; i < G_N_ELEMENTS(hashes); i++) {
        if (!qcrypto_hmac_supports(hashes[i])) {
            continue;
        }
        for (s = 0; s < G_N_ELEMENTS(sizes); s++) {
            Case c = {
                .len = sizes[s], .alg = hashes[i], .key = key, .nkey = 32,
                .run = hmac_run, .cleanup = hmac_cleanup,
            };

            snprintf(c.name, sizeof(c.name), "hmac-%s",
                     QCryptoHashAlgorithm_str(hashes[i]));
            report(&c, hmac_setup,
                   qcrypto_route_pick(qcrypto_route_hmac(hashes[i]),
                                      true, true));
        }
    }
    for (i = 0; i < G_N_ELEMENTS(macs); i++) {
        for (s = 0; s < G_N_ELEMENTS(sizes); s++) {
            Case c = {
                .len = sizes[s], .alg = macs[i].alg, .key = key,
                .nkey = macs[i].nkey, .run = mac_run, .cleanup = mac_cleanup,
            };

            snprintf(c.name, sizeof(c.name), "%s", macs[i].name);
            report(&c, mac_setup,
                   qcrypto_route_pick(qcrypto_route_mac(macs[i].alg),
                                      true, true));
        }
    }
}

/* ---- RSA and ECDSA ---- */

typedef enum { AKC_SIGN, AKC_VERIFY, AKC_ENCRYPT, AKC_DECRYPT } AkcOp;

static QCryptoAkCipherOptions akc_opts;
static AkcOp akc_op;

static void akc_setup(Case *c)
{
    bool private = akc_op == AKC_SIGN || akc_op == AKC_DECRYPT;
    QCryptoLib lib = qcrypto_route_pick(QCRYPTO_LIB_NONE, true, true);
    g_autoptr(QCryptoAkCipher) priv = NULL;
    uint8_t dg[64] = { 0 };

    c->akc = qcrypto_akcipher_new(&akc_opts,
                                  private ? QCRYPTO_AKCIPHER_KEY_TYPE_PRIVATE :
                                  QCRYPTO_AKCIPHER_KEY_TYPE_PUBLIC,
                                  private ? c->key : c->sig + 0,
                                  private ? c->keylen : c->nkey,
                                  &error_abort);
    /* a signature or ciphertext to verify or decrypt, made by the same lib */
    qcrypto_route_force(lib);
    priv = qcrypto_akcipher_new(&akc_opts, QCRYPTO_AKCIPHER_KEY_TYPE_PRIVATE,
                                c->key, c->keylen, &error_abort);
    qcrypto_route_force(QCRYPTO_LIB_NONE);
    if (akc_op == AKC_VERIFY) {
        c->siglen = qcrypto_akcipher_sign(priv, dg, 32, bench_out, 1024,
                                          &error_abort);
    } else if (akc_op == AKC_DECRYPT) {
        c->siglen = qcrypto_akcipher_encrypt(c->akc, dg, 32, bench_out, 1024,
                                             &error_abort);
    }
}

static void akc_run(Case *c)
{
    uint8_t dg[64] = { 0 };
    int r;

    switch (akc_op) {
    case AKC_SIGN:
        r = qcrypto_akcipher_sign(c->akc, dg, 32, bench_in, 1024,
                                  &error_abort);
        break;
    case AKC_VERIFY:
        r = qcrypto_akcipher_verify(c->akc, bench_out, c->siglen, dg, 32,
                                    &error_abort);
        break;
    case AKC_ENCRYPT:
        r = qcrypto_akcipher_encrypt(c->akc, dg, 32, bench_in, 1024,
                                     &error_abort);
        break;
    default:
        r = qcrypto_akcipher_decrypt(c->akc, bench_out, c->siglen, bench_in,
                                     1024, &error_abort);
        break;
    }
    g_assert(r >= 0);
}

static void akc_cleanup(Case *c)
{
    qcrypto_akcipher_free(c->akc);
}

static void bench_akciphers(void)
{
    static const char *const op_names[] = {
        "sign", "verify", "encrypt", "decrypt",
    };
    static const struct {
        const char *name;
        const uint8_t *priv, *pub;
        size_t npriv, npub;
    } rsa[] = {
        { "rsa-2048", rsa2048_priv, rsa2048_pub, sizeof(rsa2048_priv),
          sizeof(rsa2048_pub) },
        { "rsa-4096", rsa4096_priv, rsa4096_pub, sizeof(rsa4096_priv),
          sizeof(rsa4096_pub) },
    };
    size_t i;
    int op;

    for (i = 0; i < G_N_ELEMENTS(rsa); i++) {
        for (op = 0; op < 4; op++) {
            Case c = {
                .key = rsa[i].priv, .keylen = rsa[i].npriv,
                .run = akc_run, .cleanup = akc_cleanup,
            };

            /* the public key travels in c.sig for akc_setup */
            memcpy(c.sig, rsa[i].pub, rsa[i].npub);
            c.nkey = rsa[i].npub;
            akc_opts = (QCryptoAkCipherOptions) {
                .alg = QCRYPTO_AKCIPHER_ALG_RSA,
                .u.rsa.padding_alg = QCRYPTO_RSA_PADDING_ALG_PKCS1,
                .u.rsa.hash_alg = QCRYPTO_HASH_ALG_SHA256,
            };
            akc_op = op;
            snprintf(c.name, sizeof(c.name), "%s-pkcs1-%s", rsa[i].name,
                     op_names[op]);
            report(&c, akc_setup, qcrypto_route_pick(
                       qcrypto_route_akcipher(&akc_opts,
                           op == AKC_SIGN || op == AKC_DECRYPT ?
                           QCRYPTO_AKCIPHER_KEY_TYPE_PRIVATE :
                           QCRYPTO_AKCIPHER_KEY_TYPE_PUBLIC), true, true));
        }
    }
}

static void bench_ecdsa(void)
{
    static const struct {
        const char *name;
        QCryptoAkCipherECDSACurve curve;
        const uint8_t *priv;
        size_t npriv, npoint;
    } curves[] = {
        { "ecdsa-p256", QCRYPTO_AKCIPHER_ECDSA_CURVE_NIST_P256,
          ecdsa_p256_priv, sizeof(ecdsa_p256_priv), 65 },
        { "ecdsa-p384", QCRYPTO_AKCIPHER_ECDSA_CURVE_NIST_P384,
          ecdsa_p384_priv, sizeof(ecdsa_p384_priv), 97 },
    };
    size_t i;
    int op;

    for (i = 0; i < G_N_ELEMENTS(curves); i++) {
        for (op = AKC_SIGN; op <= AKC_VERIFY; op++) {
            Case c = {
                .key = curves[i].priv, .keylen = curves[i].npriv,
                .nkey = curves[i].npoint, .run = akc_run,
                .cleanup = akc_cleanup,
            };

            memcpy(c.sig, curves[i].priv + curves[i].npriv -
                   curves[i].npoint, curves[i].npoint);
            akc_opts = (QCryptoAkCipherOptions) {
                .alg = QCRYPTO_AKCIPHER_ALG_ECDSA,
                .u.ecdsa.curve = curves[i].curve,
            };
            akc_op = op;
            snprintf(c.name, sizeof(c.name), "%s-%s", curves[i].name,
                     op == AKC_SIGN ? "sign" : "verify");
            report(&c, akc_setup, qcrypto_route_pick(
                       qcrypto_route_akcipher(&akc_opts,
                           op == AKC_SIGN ?
                           QCRYPTO_AKCIPHER_KEY_TYPE_PRIVATE :
                           QCRYPTO_AKCIPHER_KEY_TYPE_PUBLIC), true, true));
        }
    }
}

int main(int argc, char **argv)
{
    const char *secs = g_getenv("BENCH_SECONDS");
    const char *only = argc > 1 ? argv[1] : NULL;
    size_t i;

    if (secs) {
        bench_seconds = g_ascii_strtod(secs, NULL);
    }
    g_assert(qcrypto_init(NULL) == 0);
    bench_in = g_malloc0(128 * KiB);
    bench_out = g_malloc0(128 * KiB);
    memset(bench_in, 0x5a, 128 * KiB);
    for (i = 0; i < sizeof(bench_key); i++) {
        bench_key[i] = i * 0x9d + 0x31;
    }

    printf("# case bytes gcrypt nettle unit faster ratio routed "
           "(%.2f s CPU per library and round, best of 2 rounds)\n",
           bench_seconds);
    if (!only || g_str_equal(only, "cipher")) {
        bench_ciphers();
    }
    if (!only || g_str_equal(only, "aead")) {
        bench_aeads();
    }
    if (!only || g_str_equal(only, "hash")) {
        bench_hashes();
    }
    if (!only || g_str_equal(only, "akcipher")) {
        bench_akciphers();
        bench_ecdsa();
    }
    g_free(bench_in);
    g_free(bench_out);
    return 0;
}
