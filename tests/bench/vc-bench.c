/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * vc-bench: device-level benchmark of a virtio-crypto PCI device.
 *
 * No guest CPU: QEMU runs "-machine q35 -accel qtest" with its RAM in a
 * shared memory-backend-file that this program maps and writes directly.
 * PCI config space and MMIO go over the qtest socket; the virtio-pci modern
 * capabilities are found by walking the PCI capability list; split rings
 * live in the shared RAM; completions are polled in the used ring.
 *
 * Also measures raw libgcrypt and nettle single-core speed for the same
 * operations, and the QMP round-trip time (query-status from a thread)
 * while each load runs.  Output: one JSON object per line on stdout.
 *
 *   vc-bench device --qemu BIN --label NAME [--queues N] [options]
 *   vc-bench raw [options]
 *
 * Spec references (docs of this project): config space layout (DEV-CFG-*),
 * legacy 72-byte data header (section 4.2), vlf order (section 4.5), AEAD
 * tag handling (AMB-11, AMB-15), RSA key encoding (section 7.2).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gcrypt.h>
#include <gmp.h>
#include <nettle/aes.h>
#include <nettle/asn1.h>
#include <nettle/bignum.h>
#include <nettle/cbc.h>
#include <nettle/chacha-poly1305.h>
#include <nettle/ctr.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/ecdsa.h>
#include <nettle/gcm.h>
#include <nettle/hmac.h>
#include <nettle/rsa.h>
#include <nettle/sha2.h>
#include <nettle/xts.h>

/* ---- virtio-crypto constants (VIRTIO 1.2/1.3, checklist section 2) ---- */
#define SVC_CIPHER 0
#define SVC_HASH 1
#define SVC_MAC 2
#define SVC_AEAD 3
#define SVC_AKCIPHER 4
#define OPC(svc, op) (((svc) << 8) | (op))
#define CIPHER_AES_CBC 3
#define CIPHER_AES_CTR 4
#define CIPHER_AES_XTS 13
#define HASH_SHA_256 4
#define MAC_HMAC_SHA_256 4
#define AEAD_GCM 1
#define AEAD_CHACHA20_POLY1305 3
#define AKC_RSA 1
#define RSA_PKCS1 1
#define RSA_HASH_SHA256 6
#define CURVE_P256 3
#define KEY_PUBLIC 1
#define KEY_PRIVATE 2
#define OP_ENCRYPT 1
#define OP_DECRYPT 2
#define ST_OK 0
#define ST_KEY_REJECTED 6

#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2
#define VRING_DESC_F_INDIRECT 4
#define VRING_AVAIL_F_NO_INTERRUPT 1
#define VRING_USED_F_NO_NOTIFY 1
#define F_INDIRECT_DESC 28

#define HDR_LEN 72          /* legacy data header: 24 + 48 (section 4.2) */
#define CTRL_LEN 72         /* legacy ctrl header: 16 + 56 (section 3.2) */
#define MAX_SIZE 65536
#define MAX_Q 8
#define PCI_DEV 4
#define BAR_BASE 0xd0000000ULL
#define RAM_MB 1280
#define RAM_POOL 0x01000000ULL   /* first GPA we hand out: above the ISA holes */

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1000000000.0;
}

/* CPU time of the calling thread: raw figures are per CPU second */
static double thread_cpu(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1000000000.0;
}

static void die(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fprintf(stderr, "vc-bench: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(2);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

/* test data only (not keys' secrecy): xorshift64* */
static void fill_rand(void *p, size_t n)
{
    uint8_t *b = p;

    while (n) {
        uint64_t x;
        size_t k = n < 8 ? n : 8;

        rng_state ^= rng_state >> 12;
        rng_state ^= rng_state << 25;
        rng_state ^= rng_state >> 27;
        x = rng_state * 2685821657736338717ULL;
        memcpy(b, &x, k);
        b += k;
        n -= k;
    }
}

static void nettle_rand(void *ctx, size_t len, uint8_t *dst)
{
    (void)ctx;
    gcry_randomize(dst, len, GCRY_STRONG_RANDOM);
}

static void *xmalloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);

    if (!p) {
        die("out of memory");
    }
    return p;
}

/* ------------------------------------------------------------------ */
/* Options and output                                                  */
/* ------------------------------------------------------------------ */

static double opt_time = 1.0;
static int opt_quick;
static int opt_smoke;
/* requests in flight per queue; 0: sized from the load (8 MiB of data) */
static int opt_inflight;
/* extra virtio-crypto-pci properties, e.g. x-idle-workers=on */
static const char *opt_device_args;
static const char *opt_keydir;
static const char *opt_label = "dev";
static const char *opt_only;
static int sizes[16] = { 64, 256, 1024, 4096, 16384, 65536 };
static int nsizes = 6;
static int failures;
/* VC_BENCH_CORRUPT_REF=1: one wrong reference, to prove the check fails */
static int opt_corrupt_ref;

static void emit(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

/* ------------------------------------------------------------------ */
/* Workloads                                                           */
/* ------------------------------------------------------------------ */

enum kind { K_CIPHER, K_AEAD, K_HASH, K_MAC, K_RSA, K_ECDSA };
enum akop { AK_NONE, AK_SIGN, AK_DECRYPT, AK_VERIFY };

struct wl {
    const char *name;
    const char *op;
    enum kind kind;
    uint32_t algo;       /* virtio algorithm number */
    uint32_t keylen;
    uint32_t ivlen;
    uint32_t taglen;     /* AEAD tag / digest length */
    bool decrypt;
    enum akop akop;
    int bits;            /* RSA modulus bits */
    int gc_algo, gc_mode;
};

static const struct wl wls[] = {
    { "aes-128-cbc", "enc", K_CIPHER, CIPHER_AES_CBC, 16, 16, 0, false,
      AK_NONE, 0, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CBC },
    { "aes-128-cbc", "dec", K_CIPHER, CIPHER_AES_CBC, 16, 16, 0, true,
      AK_NONE, 0, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CBC },
    { "aes-128-ctr", "enc", K_CIPHER, CIPHER_AES_CTR, 16, 16, 0, false,
      AK_NONE, 0, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CTR },
    { "aes-256-xts", "enc", K_CIPHER, CIPHER_AES_XTS, 64, 16, 0, false,
      AK_NONE, 0, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_XTS },
    { "aes-128-gcm", "enc", K_AEAD, AEAD_GCM, 16, 12, 16, false,
      AK_NONE, 0, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_GCM },
    { "chacha20-poly1305", "enc", K_AEAD, AEAD_CHACHA20_POLY1305, 32, 12, 16,
      false, AK_NONE, 0, GCRY_CIPHER_CHACHA20, GCRY_CIPHER_MODE_POLY1305 },
    { "sha-256", "hash", K_HASH, HASH_SHA_256, 0, 0, 32, false,
      AK_NONE, 0, GCRY_MD_SHA256, 0 },
    { "hmac-sha256", "mac", K_MAC, MAC_HMAC_SHA_256, 32, 0, 32, false,
      AK_NONE, 0, GCRY_MD_SHA256, 0 },
    { "rsa-2048", "sign", K_RSA, AKC_RSA, 0, 0, 32, false, AK_SIGN, 2048, 0, 0 },
    { "rsa-2048", "decrypt", K_RSA, AKC_RSA, 0, 0, 0, false, AK_DECRYPT, 2048, 0, 0 },
    { "rsa-2048", "verify", K_RSA, AKC_RSA, 0, 0, 32, false, AK_VERIFY, 2048, 0, 0 },
    { "rsa-4096", "sign", K_RSA, AKC_RSA, 0, 0, 32, false, AK_SIGN, 4096, 0, 0 },
    { "ecdsa-p256", "sign", K_ECDSA, 0, 0, 0, 32, false, AK_SIGN, 256, 0, 0 },
    { "ecdsa-p256", "verify", K_ECDSA, 0, 0, 0, 32, false, AK_VERIFY, 256, 0, 0 },
};
#define NWL ((int)(sizeof(wls) / sizeof(wls[0])))

static bool wl_selected(const struct wl *w)
{
    char full[64];

    if (!opt_only) {
        return true;
    }
    snprintf(full, sizeof(full), "%s/%s", w->name, w->op);
    return strstr(opt_only, full) != NULL;
}

static bool wl_is_sym(const struct wl *w)
{
    return w->kind != K_RSA && w->kind != K_ECDSA;
}

/* ------------------------------------------------------------------ */
/* Keys for the asymmetric workloads (generated by run-bench.sh)       */
/* ------------------------------------------------------------------ */

struct rsa_keys {
    bool ok;
    uint8_t *priv_der, *pub_der;
    size_t priv_len, pub_len;
    struct rsa_public_key pub;
    struct rsa_private_key priv;
    gcry_sexp_t gc_priv, gc_pub;
};

struct ec_keys {
    bool ok;
    uint8_t *priv_der;
    size_t priv_len;
    uint8_t point[65];          /* 0x04 || X || Y */
    struct ecc_scalar d;
    struct ecc_point q;
    gcry_sexp_t gc_priv, gc_pub;
};

static struct rsa_keys rsa2048, rsa4096;
static struct ec_keys ecp256;

static uint8_t *read_file(const char *dir, const char *name, size_t *len)
{
    char path[512];
    struct stat st;
    uint8_t *buf;
    int fd;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    fd = open(path, O_RDONLY);
    if (fd < 0) {
        return NULL;
    }
    if (fstat(fd, &st) < 0 || st.st_size <= 0 || st.st_size > 65536) {
        close(fd);
        return NULL;
    }
    buf = xmalloc(st.st_size);
    if (read(fd, buf, st.st_size) != st.st_size) {
        free(buf);
        close(fd);
        return NULL;
    }
    close(fd);
    *len = st.st_size;
    return buf;
}

static gcry_mpi_t mpz_to_gcry(const mpz_t z)
{
    char *hex = mpz_get_str(NULL, 16, z);
    gcry_mpi_t m = NULL;

    if (gcry_mpi_scan(&m, GCRYMPI_FMT_HEX, hex, 0, NULL)) {
        die("gcry_mpi_scan");
    }
    free(hex);
    return m;
}

static void load_rsa(struct rsa_keys *k, int bits)
{
    char n1[64], n2[64];
    gcry_mpi_t n, e, d, p, q, u;

    memset(k, 0, sizeof(*k));
    if (!opt_keydir) {
        return;
    }
    snprintf(n1, sizeof(n1), "rsa%d.der", bits);
    snprintf(n2, sizeof(n2), "rsa%d-pub.der", bits);
    k->priv_der = read_file(opt_keydir, n1, &k->priv_len);
    k->pub_der = read_file(opt_keydir, n2, &k->pub_len);
    if (!k->priv_der || !k->pub_der) {
        return;
    }
    rsa_public_key_init(&k->pub);
    rsa_private_key_init(&k->priv);
    /* nettle's PKCS#1 RSAPrivateKey parser (no hand-rolled DER) */
    if (!rsa_keypair_from_der(&k->pub, &k->priv, 0, k->priv_len,
                              k->priv_der)) {
        die("cannot parse %s", n1);
    }
    if (!rsa_public_key_prepare(&k->pub) ||
        !rsa_private_key_prepare(&k->priv)) {
        die("bad RSA key %s", n1);
    }
    /* libgcrypt wants p < q and u = p^-1 mod q: nettle's c = q^-1 mod p */
    n = mpz_to_gcry(k->pub.n);
    e = mpz_to_gcry(k->pub.e);
    d = mpz_to_gcry(k->priv.d);
    p = mpz_to_gcry(k->priv.q);
    q = mpz_to_gcry(k->priv.p);
    u = mpz_to_gcry(k->priv.c);
    if (gcry_sexp_build(&k->gc_priv, NULL,
                        "(private-key (rsa (n %m)(e %m)(d %m)(p %m)(q %m)"
                        "(u %m)))", n, e, d, p, q, u) ||
        gcry_sexp_build(&k->gc_pub, NULL, "(public-key (rsa (n %m)(e %m)))",
                        n, e)) {
        die("gcry_sexp_build rsa");
    }
    if (gcry_pk_testkey(k->gc_priv)) {
        die("libgcrypt rejects RSA key %s", n1);
    }
    gcry_mpi_release(n);
    gcry_mpi_release(e);
    gcry_mpi_release(d);
    gcry_mpi_release(p);
    gcry_mpi_release(q);
    gcry_mpi_release(u);
    k->ok = true;
}

/*
 * ECPrivateKey (RFC 5915) read with nettle's DER iterator:
 * SEQUENCE { INTEGER 1, OCTET STRING d, [0] params, [1] BIT STRING point }
 */
static void load_ec(struct ec_keys *k)
{
    struct asn1_der_iterator it, sub;
    const uint8_t *dptr = NULL, *pptr = NULL;
    size_t dlen = 0, plen = 0;
    mpz_t x, y, dz;

    memset(k, 0, sizeof(*k));
    if (!opt_keydir) {
        return;
    }
    k->priv_der = read_file(opt_keydir, "ecp256.der", &k->priv_len);
    if (!k->priv_der) {
        return;
    }
    if (asn1_der_iterator_first(&it, k->priv_len, k->priv_der) !=
        ASN1_ITERATOR_CONSTRUCTED || it.type != ASN1_SEQUENCE ||
        asn1_der_decode_constructed_last(&it) != ASN1_ITERATOR_PRIMITIVE) {
        die("bad ecp256.der");
    }
    do {
        if (it.type == ASN1_OCTETSTRING) {
            dptr = it.data;
            dlen = it.length;
        } else if (it.type == (ASN1_CLASS_CONTEXT_SPECIFIC |
                               ASN1_TYPE_CONSTRUCTED | 1)) {
            if (asn1_der_decode_constructed(&it, &sub) ==
                ASN1_ITERATOR_PRIMITIVE && sub.type == ASN1_BITSTRING) {
                pptr = sub.data;
                plen = sub.length;
            }
        }
    } while (asn1_der_iterator_next(&it) != ASN1_ITERATOR_END);
    if (!dptr || dlen != 32 || !pptr || plen != 66 || pptr[0] != 0 ||
        pptr[1] != 4) {
        die("ecp256.der: need a P-256 key with its public point");
    }
    memcpy(k->point, pptr + 1, 65);
    mpz_init(x);
    mpz_init(y);
    mpz_init(dz);
    nettle_mpz_set_str_256_u(dz, 32, dptr);
    nettle_mpz_set_str_256_u(x, 32, k->point + 1);
    nettle_mpz_set_str_256_u(y, 32, k->point + 33);
    ecc_scalar_init(&k->d, nettle_get_secp_256r1());
    ecc_point_init(&k->q, nettle_get_secp_256r1());
    if (!ecc_scalar_set(&k->d, dz) || !ecc_point_set(&k->q, x, y)) {
        die("ecp256.der: invalid key");
    }
    if (gcry_sexp_build(&k->gc_priv, NULL,
                        "(private-key (ecc (curve nistp256)(q %b)(d %b)))",
                        65, k->point, 32, dptr) ||
        gcry_sexp_build(&k->gc_pub, NULL,
                        "(public-key (ecc (curve nistp256)(q %b)))",
                        65, k->point)) {
        die("gcry_sexp_build ecc");
    }
    mpz_clear(x);
    mpz_clear(y);
    mpz_clear(dz);
    k->ok = true;
}

static struct rsa_keys *wl_rsa(const struct wl *w)
{
    return w->bits == 4096 ? &rsa4096 : &rsa2048;
}

static size_t rsa_k(const struct wl *w)
{
    return wl_rsa(w)->pub.size;
}

/* Verify a DER ECDSA-Sig-Value over digest with nettle. */
static bool ec_sig_ok(const uint8_t *sig, size_t len, const uint8_t *digest)
{
    struct asn1_der_iterator it;
    struct dsa_signature s;
    bool ok = false;

    dsa_signature_init(&s);
    if (asn1_der_iterator_first(&it, len, sig) == ASN1_ITERATOR_CONSTRUCTED &&
        it.type == ASN1_SEQUENCE && it.pos == len &&
        asn1_der_decode_constructed_last(&it) == ASN1_ITERATOR_PRIMITIVE &&
        it.type == ASN1_INTEGER && asn1_der_get_bignum(&it, s.r, 256) &&
        asn1_der_iterator_next(&it) == ASN1_ITERATOR_PRIMITIVE &&
        it.type == ASN1_INTEGER && asn1_der_get_bignum(&it, s.s, 256) &&
        asn1_der_iterator_next(&it) == ASN1_ITERATOR_END) {
        ok = ecdsa_verify(&ecp256.q, 32, digest, &s);
    }
    dsa_signature_clear(&s);
    return ok;
}

/* A DER signature from libgcrypt's (sig-val (ecdsa (r)(s))) via nettle. */
static size_t ec_sign_der(const uint8_t *digest, uint8_t *out, size_t max)
{
    struct dsa_signature s;
    uint8_t r[33], sv[33];
    size_t rl, sl, n = 0;

    dsa_signature_init(&s);
    ecdsa_sign(&ecp256.d, NULL, nettle_rand, 32, digest, &s);
    rl = nettle_mpz_sizeinbase_256_u(s.r);
    sl = nettle_mpz_sizeinbase_256_u(s.s);
    /* INTEGERs are signed: a leading zero when the top bit is set */
    r[0] = 0;
    nettle_mpz_get_str_256(rl, r + 1, s.r);
    sv[0] = 0;
    nettle_mpz_get_str_256(sl, sv + 1, s.s);
    {
        const uint8_t *rp = (r[1] & 0x80) ? r : r + 1;
        const uint8_t *sp = (sv[1] & 0x80) ? sv : sv + 1;
        size_t rn = (r[1] & 0x80) ? rl + 1 : rl;
        size_t sn = (sv[1] & 0x80) ? sl + 1 : sl;

        if (6 + rn + sn > max) {
            die("ecdsa sig too long");
        }
        out[n++] = 0x30;
        out[n++] = 4 + rn + sn;
        out[n++] = 0x02;
        out[n++] = rn;
        memcpy(out + n, rp, rn);
        n += rn;
        out[n++] = 0x02;
        out[n++] = sn;
        memcpy(out + n, sp, sn);
        n += sn;
    }
    dsa_signature_clear(&s);
    return n;
}

/* ------------------------------------------------------------------ */
/* Raw library figures                                                 */
/* ------------------------------------------------------------------ */

struct rawctx {
    const struct wl *w;
    int size;
    uint8_t key[64], iv[16];
    uint8_t *src, *dst;
    gcry_cipher_hd_t gc;
    gcry_md_hd_t md;
    union {
        struct aes128_ctx a128;
        struct xts_aes256_key xts;
        struct gcm_aes128_ctx gcm;
        struct chacha_poly1305_ctx cp;
        struct hmac_sha256_ctx hmac;
        struct sha256_ctx sha;
    } n;
    uint8_t digest[32], sig[600];
    size_t siglen;
    gcry_sexp_t gc_sig;
    struct dsa_signature ecsig;
    mpz_t ct, sigz;
};

static void gc_check(gcry_error_t e, const char *what)
{
    if (e) {
        die("%s: %s", what, gcry_strerror(e));
    }
}

static bool raw_gcrypt_op(struct rawctx *c)
{
    const struct wl *w = c->w;
    size_t len = c->size;

    switch (w->kind) {
    case K_CIPHER:
        if (w->gc_mode == GCRY_CIPHER_MODE_CTR) {
            gcry_cipher_setctr(c->gc, c->iv, 16);
        } else {
            gcry_cipher_setiv(c->gc, c->iv, 16);
        }
        if (w->decrypt) {
            return !gcry_cipher_decrypt(c->gc, c->dst, len, c->src, len);
        }
        return !gcry_cipher_encrypt(c->gc, c->dst, len, c->src, len);
    case K_AEAD:
        gcry_cipher_setiv(c->gc, c->iv, w->ivlen);
        gcry_cipher_final(c->gc);
        return !gcry_cipher_encrypt(c->gc, c->dst, len, c->src, len) &&
               !gcry_cipher_gettag(c->gc, c->dst + len, 16);
    case K_HASH:
        gcry_md_hash_buffer(GCRY_MD_SHA256, c->dst, c->src, len);
        return true;
    case K_MAC:
        gcry_md_reset(c->md);
        gcry_md_write(c->md, c->src, len);
        memcpy(c->dst, gcry_md_read(c->md, GCRY_MD_SHA256), 32);
        return true;
    case K_RSA:
    case K_ECDSA: {
        gcry_sexp_t data, res = NULL;
        bool ok;
        gcry_sexp_t priv = w->kind == K_RSA ? wl_rsa(w)->gc_priv :
                                              ecp256.gc_priv;
        gcry_sexp_t pub = w->kind == K_RSA ? wl_rsa(w)->gc_pub :
                                             ecp256.gc_pub;

        if (w->akop == AK_DECRYPT) {
            uint8_t ctb[512];
            size_t k = rsa_k(w);

            nettle_mpz_get_str_256(k, ctb, c->ct);
            gc_check(gcry_sexp_build(&data, NULL,
                                     "(enc-val (flags pkcs1)(rsa (a %b)))",
                                     (int)k, ctb), "sexp");
            ok = !gcry_pk_decrypt(&res, data, priv);
        } else if (w->kind == K_RSA) {
            gc_check(gcry_sexp_build(&data, NULL,
                                     "(data (flags pkcs1)(hash sha256 %b))",
                                     32, c->digest), "sexp");
            if (w->akop == AK_SIGN) {
                ok = !gcry_pk_sign(&res, data, priv);
            } else {
                ok = !gcry_pk_verify(c->gc_sig, data, pub);
            }
        } else {
            gc_check(gcry_sexp_build(&data, NULL, "(data (flags raw)"
                                     "(value %b))", 32, c->digest), "sexp");
            if (w->akop == AK_SIGN) {
                ok = !gcry_pk_sign(&res, data, priv);
            } else {
                ok = !gcry_pk_verify(c->gc_sig, data, pub);
            }
        }
        gcry_sexp_release(data);
        gcry_sexp_release(res);
        return ok;
    }
    }
    return false;
}

static bool raw_nettle_op(struct rawctx *c)
{
    const struct wl *w = c->w;
    size_t len = c->size;
    uint8_t iv[16];

    switch (w->kind) {
    case K_CIPHER:
        memcpy(iv, c->iv, 16);
        if (w->algo == CIPHER_AES_XTS) {
            xts_aes256_encrypt_message(&c->n.xts, iv, len, c->dst, c->src);
        } else if (w->algo == CIPHER_AES_CTR) {
            ctr_crypt(&c->n.a128, (nettle_cipher_func *)aes128_encrypt, 16,
                      iv, len, c->dst, c->src);
        } else if (w->decrypt) {
            cbc_decrypt(&c->n.a128, (nettle_cipher_func *)aes128_decrypt, 16,
                        iv, len, c->dst, c->src);
        } else {
            cbc_encrypt(&c->n.a128, (nettle_cipher_func *)aes128_encrypt, 16,
                        iv, len, c->dst, c->src);
        }
        return true;
    case K_AEAD:
        if (w->algo == AEAD_GCM) {
            gcm_aes128_set_iv(&c->n.gcm, 12, c->iv);
            gcm_aes128_encrypt(&c->n.gcm, len, c->dst, c->src);
            gcm_aes128_digest(&c->n.gcm, 16, c->dst + len);
        } else {
            chacha_poly1305_set_nonce(&c->n.cp, c->iv);
            chacha_poly1305_encrypt(&c->n.cp, len, c->dst, c->src);
            chacha_poly1305_digest(&c->n.cp, 16, c->dst + len);
        }
        return true;
    case K_HASH:
        sha256_init(&c->n.sha);
        sha256_update(&c->n.sha, len, c->src);
        sha256_digest(&c->n.sha, 32, c->dst);
        return true;
    case K_MAC:
        hmac_sha256_update(&c->n.hmac, len, c->src);
        hmac_sha256_digest(&c->n.hmac, 32, c->dst);
        return true;
    case K_RSA: {
        struct rsa_keys *k = wl_rsa(w);

        if (w->akop == AK_SIGN) {
            bool ok;
            mpz_t s;

            mpz_init(s);
            ok = rsa_sha256_sign_digest_tr(&k->pub, &k->priv, NULL,
                                           nettle_rand, c->digest, s);
            mpz_clear(s);
            return ok;
        }
        if (w->akop == AK_DECRYPT) {
            uint8_t msg[512];
            size_t ml = sizeof(msg);

            return rsa_decrypt_tr(&k->pub, &k->priv, NULL, nettle_rand, &ml,
                                  msg, c->ct) && ml == 32;
        }
        return rsa_sha256_verify_digest(&k->pub, c->digest, c->sigz);
    }
    case K_ECDSA:
        if (w->akop == AK_SIGN) {
            struct dsa_signature s;

            dsa_signature_init(&s);
            ecdsa_sign(&ecp256.d, NULL, nettle_rand, 32, c->digest, &s);
            dsa_signature_clear(&s);
            return true;
        }
        return ecdsa_verify(&ecp256.q, 32, c->digest, &c->ecsig);
    }
    return false;
}

static bool wl_keys_ok(const struct wl *w)
{
    if (w->kind == K_RSA) {
        return wl_rsa(w)->ok;
    }
    if (w->kind == K_ECDSA) {
        return ecp256.ok;
    }
    return true;
}

static void raw_setup(struct rawctx *c, const struct wl *w, int size)
{
    memset(c, 0, sizeof(*c));
    c->w = w;
    c->size = size;
    c->src = xmalloc(MAX_SIZE + 64);
    c->dst = xmalloc(MAX_SIZE + 64);
    fill_rand(c->key, sizeof(c->key));
    fill_rand(c->iv, sizeof(c->iv));
    fill_rand(c->src, size);
    fill_rand(c->digest, sizeof(c->digest));
    mpz_init(c->ct);
    mpz_init(c->sigz);
    dsa_signature_init(&c->ecsig);
    if (w->kind == K_CIPHER || w->kind == K_AEAD) {
        gc_check(gcry_cipher_open(&c->gc, w->gc_algo, w->gc_mode, 0), "open");
        gc_check(gcry_cipher_setkey(c->gc, c->key, w->keylen), "setkey");
    }
    if (w->kind == K_MAC) {
        gc_check(gcry_md_open(&c->md, GCRY_MD_SHA256, GCRY_MD_FLAG_HMAC), "md");
        gc_check(gcry_md_setkey(c->md, c->key, w->keylen), "md setkey");
        hmac_sha256_set_key(&c->n.hmac, w->keylen, c->key);
    }
    if (w->algo == CIPHER_AES_XTS && w->kind == K_CIPHER) {
        xts_aes256_set_encrypt_key(&c->n.xts, c->key);
    } else if (w->kind == K_CIPHER && w->decrypt) {
        aes128_set_decrypt_key(&c->n.a128, c->key);
    } else if (w->kind == K_CIPHER) {
        aes128_set_encrypt_key(&c->n.a128, c->key);
    } else if (w->kind == K_AEAD && w->algo == AEAD_GCM) {
        gcm_aes128_set_key(&c->n.gcm, c->key);
    } else if (w->kind == K_AEAD) {
        chacha_poly1305_set_key(&c->n.cp, c->key);
    }
    if (w->kind == K_RSA) {
        struct rsa_keys *k = wl_rsa(w);
        gcry_sexp_t data;
        uint8_t msg[32];

        fill_rand(msg, sizeof(msg));
        if (!rsa_encrypt(&k->pub, NULL, nettle_rand, 32, msg, c->ct) ||
            !rsa_sha256_sign_digest_tr(&k->pub, &k->priv, NULL, nettle_rand,
                                       c->digest, c->sigz)) {
            die("nettle rsa setup");
        }
        gc_check(gcry_sexp_build(&data, NULL,
                                 "(data (flags pkcs1)(hash sha256 %b))",
                                 32, c->digest), "sexp");
        gc_check(gcry_pk_sign(&c->gc_sig, data, k->gc_priv), "gcry sign");
        gcry_sexp_release(data);
    }
    if (w->kind == K_ECDSA) {
        gcry_sexp_t data;

        ecdsa_sign(&ecp256.d, NULL, nettle_rand, 32, c->digest, &c->ecsig);
        gc_check(gcry_sexp_build(&data, NULL, "(data (flags raw)(value %b))",
                                 32, c->digest), "sexp");
        gc_check(gcry_pk_sign(&c->gc_sig, data, ecp256.gc_priv), "gcry sign");
        gcry_sexp_release(data);
    }
}

static void raw_free(struct rawctx *c)
{
    if (c->gc) {
        gcry_cipher_close(c->gc);
    }
    if (c->md) {
        gcry_md_close(c->md);
    }
    gcry_sexp_release(c->gc_sig);
    mpz_clear(c->ct);
    mpz_clear(c->sigz);
    dsa_signature_clear(&c->ecsig);
    /* test keys, but wipe them like any key */
    memset(c->key, 0, sizeof(c->key));
    memset(&c->n, 0, sizeof(c->n));
    free(c->src);
    free(c->dst);
}

/*
 * Single-core rate: operations per CPU second of this thread (so other
 * processes on the machine do not lower it), best of five sub-windows
 * (cache and frequency effects).  Device figures are wall-clock means, so
 * device/raw ratios err against the device.
 */
static double raw_measure(struct rawctx *c, bool (*op)(struct rawctx *))
{
    int batch = wl_is_sym(c->w) ? (c->size <= 4096 ? 64 : 4) : 1;
    double best = 0;

    for (int win = 0; win < 5; win++) {
        double t0 = now(), end = t0 + opt_time / 5, c0 = thread_cpu(), dc;
        long ops = 0;

        do {
            for (int i = 0; i < batch; i++) {
                if (!op(c)) {
                    return -1;
                }
            }
            ops += batch;
        } while (now() < end);
        dc = thread_cpu() - c0;
        if (dc > 0 && ops / dc > best) {
            best = ops / dc;
        }
    }
    return best;
}

static void raw_point(const struct wl *w, int size)
{
    struct rawctx c;
    uint8_t ref[MAX_SIZE + 64];
    size_t outlen = w->kind == K_AEAD ? size + 16 :
                    (w->kind == K_HASH || w->kind == K_MAC) ? 32 : size;
    double g, n;
    bool agree = true;

    raw_setup(&c, w, size);
    if (wl_is_sym(w)) {
        /* the two libraries must agree before either figure counts */
        if (!raw_gcrypt_op(&c)) {
            die("gcrypt %s failed", w->name);
        }
        memcpy(ref, c.dst, outlen);
        memset(c.dst, 0, outlen);
        raw_nettle_op(&c);
        agree = memcmp(ref, c.dst, outlen) == 0;
        if (!agree) {
            failures++;
        }
    }
    g = raw_measure(&c, raw_gcrypt_op);
    n = raw_measure(&c, raw_nettle_op);
    emit("{\"type\":\"raw\",\"lib\":\"libgcrypt\",\"alg\":\"%s\",\"op\":\"%s\","
         "\"size\":%d,\"ops\":%.1f,\"mbps\":%.1f,\"ok\":%s}", w->name, w->op,
         size, g, g * size / 1e6, g > 0 && agree ? "true" : "false");
    emit("{\"type\":\"raw\",\"lib\":\"nettle\",\"alg\":\"%s\",\"op\":\"%s\","
         "\"size\":%d,\"ops\":%.1f,\"mbps\":%.1f,\"ok\":%s}", w->name, w->op,
         size, n, n * size / 1e6, n > 0 && agree ? "true" : "false");
    raw_free(&c);
}

static void run_raw(void)
{
    for (int i = 0; i < NWL; i++) {
        const struct wl *w = &wls[i];

        if (!wl_selected(w)) {
            continue;
        }
        if (!wl_keys_ok(w)) {
            fprintf(stderr, "vc-bench: no key for %s, skipped\n", w->name);
            continue;
        }
        if (wl_is_sym(w)) {
            for (int s = 0; s < nsizes; s++) {
                raw_point(w, sizes[s]);
            }
        } else {
            raw_point(w, w->akop == AK_DECRYPT ? (int)rsa_k(w) : 32);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Raw-only primitives for the library-choice table (issue 5 item 2)  */
/* ------------------------------------------------------------------ */

#include <nettle/ccm.h>
#include <nettle/cmac.h>
#include <nettle/sha3.h>

enum xid {
    X_AES256_CBC_ENC, X_AES256_CBC_DEC, X_AES256_CTR, X_AES128_XTS,
    X_AES256_GCM, X_AES128_CCM, X_SHA384, X_SHA512, X_SHA3_256,
    X_HMAC_SHA512, X_CMAC_AES128, X_RSA4096_DEC, X_ECDSA384_SIGN,
    X_ECDSA384_VERIFY, X_NUM
};

static const struct {
    const char *name, *op;
    bool asym;
} xinfo[X_NUM] = {
    { "aes-256-cbc", "enc", false }, { "aes-256-cbc", "dec", false },
    { "aes-256-ctr", "enc", false }, { "aes-128-xts", "enc", false },
    { "aes-256-gcm", "enc", false }, { "aes-128-ccm", "enc", false },
    { "sha-384", "hash", false }, { "sha-512", "hash", false },
    { "sha3-256", "hash", false }, { "hmac-sha512", "mac", false },
    { "cmac-aes128", "mac", false },
    { "rsa-4096", "decrypt", true }, { "ecdsa-p384", "sign", true },
    { "ecdsa-p384", "verify", true },
};

struct xctx {
    int id;
    size_t len;
    uint8_t key[64], iv[16], digest[48];
    uint8_t *src, *dst;
    gcry_cipher_hd_t gc;
    gcry_md_hd_t md;
    gcry_mac_hd_t mac;
    gcry_sexp_t gpriv, gpub, gsig;
    union {
        struct aes256_ctx a256;
        struct xts_aes128_key xts;
        struct gcm_aes256_ctx gcm;
        struct ccm_aes128_ctx ccm;
        struct sha512_ctx sha512;
        struct sha3_256_ctx sha3;
        struct hmac_sha512_ctx hmac;
        struct cmac_aes128_ctx cmac;
    } n;
    struct ecc_point npub;
    struct ecc_scalar nkey;
    struct dsa_signature nsig;
    mpz_t ct;
};

static bool x_gcrypt(struct xctx *c)
{
    size_t len = c->len;

    switch (c->id) {
    case X_AES256_CBC_ENC:
    case X_AES128_XTS:
        gcry_cipher_setiv(c->gc, c->iv, 16);
        return !gcry_cipher_encrypt(c->gc, c->dst, len, c->src, len);
    case X_AES256_CBC_DEC:
        gcry_cipher_setiv(c->gc, c->iv, 16);
        return !gcry_cipher_decrypt(c->gc, c->dst, len, c->src, len);
    case X_AES256_CTR:
        gcry_cipher_setctr(c->gc, c->iv, 16);
        return !gcry_cipher_encrypt(c->gc, c->dst, len, c->src, len);
    case X_AES256_GCM:
        gcry_cipher_setiv(c->gc, c->iv, 12);
        gcry_cipher_final(c->gc);
        return !gcry_cipher_encrypt(c->gc, c->dst, len, c->src, len) &&
               !gcry_cipher_gettag(c->gc, c->dst + len, 16);
    case X_AES128_CCM: {
        uint64_t p[3] = { len, 0, 16 };

        gcry_cipher_setiv(c->gc, c->iv, 12);
        gcry_cipher_ctl(c->gc, GCRYCTL_SET_CCM_LENGTHS, p, sizeof(p));
        return !gcry_cipher_encrypt(c->gc, c->dst, len, c->src, len) &&
               !gcry_cipher_gettag(c->gc, c->dst + len, 16);
    }
    case X_SHA384:
        gcry_md_hash_buffer(GCRY_MD_SHA384, c->dst, c->src, len);
        return true;
    case X_SHA512:
        gcry_md_hash_buffer(GCRY_MD_SHA512, c->dst, c->src, len);
        return true;
    case X_SHA3_256:
        gcry_md_hash_buffer(GCRY_MD_SHA3_256, c->dst, c->src, len);
        return true;
    case X_HMAC_SHA512:
        gcry_md_reset(c->md);
        gcry_md_write(c->md, c->src, len);
        memcpy(c->dst, gcry_md_read(c->md, GCRY_MD_SHA512), 64);
        return true;
    case X_CMAC_AES128: {
        size_t ml = 16;

        gcry_mac_reset(c->mac);
        return !gcry_mac_write(c->mac, c->src, len) &&
               !gcry_mac_read(c->mac, c->dst, &ml);
    }
    case X_RSA4096_DEC: {
        gcry_sexp_t data, res = NULL;
        uint8_t b[512];
        bool ok;

        nettle_mpz_get_str_256(512, b, c->ct);
        gc_check(gcry_sexp_build(&data, NULL,
                                 "(enc-val (flags pkcs1)(rsa (a %b)))", 512, b),
                 "sexp");
        ok = !gcry_pk_decrypt(&res, data, rsa4096.gc_priv);
        gcry_sexp_release(data);
        gcry_sexp_release(res);
        return ok;
    }
    case X_ECDSA384_SIGN:
    case X_ECDSA384_VERIFY: {
        gcry_sexp_t data, res = NULL;
        bool ok;

        gc_check(gcry_sexp_build(&data, NULL, "(data (flags raw)(value %b))",
                                 48, c->digest), "sexp");
        if (c->id == X_ECDSA384_SIGN) {
            ok = !gcry_pk_sign(&res, data, c->gpriv);
        } else {
            ok = !gcry_pk_verify(c->gsig, data, c->gpub);
        }
        gcry_sexp_release(data);
        gcry_sexp_release(res);
        return ok;
    }
    }
    return false;
}

static bool x_nettle(struct xctx *c)
{
    size_t len = c->len;
    uint8_t iv[16];

    memcpy(iv, c->iv, 16);
    switch (c->id) {
    case X_AES256_CBC_ENC:
        cbc_encrypt(&c->n.a256, (nettle_cipher_func *)aes256_encrypt, 16, iv,
                    len, c->dst, c->src);
        return true;
    case X_AES256_CBC_DEC:
        cbc_decrypt(&c->n.a256, (nettle_cipher_func *)aes256_decrypt, 16, iv,
                    len, c->dst, c->src);
        return true;
    case X_AES256_CTR:
        ctr_crypt(&c->n.a256, (nettle_cipher_func *)aes256_encrypt, 16, iv,
                  len, c->dst, c->src);
        return true;
    case X_AES128_XTS:
        xts_aes128_encrypt_message(&c->n.xts, iv, len, c->dst, c->src);
        return true;
    case X_AES256_GCM:
        gcm_aes256_set_iv(&c->n.gcm, 12, c->iv);
        gcm_aes256_encrypt(&c->n.gcm, len, c->dst, c->src);
        gcm_aes256_digest(&c->n.gcm, 16, c->dst + len);
        return true;
    case X_AES128_CCM:
        ccm_aes128_encrypt_message(&c->n.ccm, 12, c->iv, 0, NULL, 16,
                                   len + 16, c->dst, c->src);
        return true;
    case X_SHA384:
        sha384_init(&c->n.sha512);
        sha384_update(&c->n.sha512, len, c->src);
        sha384_digest(&c->n.sha512, 48, c->dst);
        return true;
    case X_SHA512:
        sha512_init(&c->n.sha512);
        sha512_update(&c->n.sha512, len, c->src);
        sha512_digest(&c->n.sha512, 64, c->dst);
        return true;
    case X_SHA3_256:
        sha3_256_init(&c->n.sha3);
        sha3_256_update(&c->n.sha3, len, c->src);
        sha3_256_digest(&c->n.sha3, 32, c->dst);
        return true;
    case X_HMAC_SHA512:
        hmac_sha512_update(&c->n.hmac, len, c->src);
        hmac_sha512_digest(&c->n.hmac, 64, c->dst);
        return true;
    case X_CMAC_AES128:
        cmac_aes128_update(&c->n.cmac, len, c->src);
        cmac_aes128_digest(&c->n.cmac, 16, c->dst);
        return true;
    case X_RSA4096_DEC: {
        uint8_t msg[512];
        size_t ml = sizeof(msg);

        return rsa_decrypt_tr(&rsa4096.pub, &rsa4096.priv, NULL, nettle_rand,
                              &ml, msg, c->ct) && ml == 32;
    }
    case X_ECDSA384_SIGN: {
        struct dsa_signature s;

        dsa_signature_init(&s);
        ecdsa_sign(&c->nkey, NULL, nettle_rand, 48, c->digest, &s);
        dsa_signature_clear(&s);
        return true;
    }
    case X_ECDSA384_VERIFY:
        return ecdsa_verify(&c->npub, 48, c->digest, &c->nsig);
    }
    return false;
}

static const struct { int algo, mode; size_t keylen; } xgc[] = {
    [X_AES256_CBC_ENC] = { GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_CBC, 32 },
    [X_AES256_CBC_DEC] = { GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_CBC, 32 },
    [X_AES256_CTR] = { GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_CTR, 32 },
    [X_AES128_XTS] = { GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_XTS, 32 },
    [X_AES256_GCM] = { GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_GCM, 32 },
    [X_AES128_CCM] = { GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CCM, 16 },
};

static void x_setup(struct xctx *c, int id, size_t len)
{
    memset(c, 0, sizeof(*c));
    c->id = id;
    c->len = len;
    c->src = xmalloc(MAX_SIZE + 64);
    c->dst = xmalloc(MAX_SIZE + 128);
    fill_rand(c->key, sizeof(c->key));
    fill_rand(c->iv, sizeof(c->iv));
    fill_rand(c->src, len);
    fill_rand(c->digest, sizeof(c->digest));
    mpz_init(c->ct);
    ecc_point_init(&c->npub, nettle_get_secp_384r1());
    ecc_scalar_init(&c->nkey, nettle_get_secp_384r1());
    dsa_signature_init(&c->nsig);
    if (id <= X_AES128_CCM) {
        gc_check(gcry_cipher_open(&c->gc, xgc[id].algo, xgc[id].mode, 0),
                 "open");
        gc_check(gcry_cipher_setkey(c->gc, c->key, xgc[id].keylen), "key");
    }
    switch (id) {
    case X_AES256_CBC_ENC:
    case X_AES256_CTR:
        aes256_set_encrypt_key(&c->n.a256, c->key);
        break;
    case X_AES256_CBC_DEC:
        aes256_set_decrypt_key(&c->n.a256, c->key);
        break;
    case X_AES128_XTS:
        xts_aes128_set_encrypt_key(&c->n.xts, c->key);
        break;
    case X_AES256_GCM:
        gcm_aes256_set_key(&c->n.gcm, c->key);
        break;
    case X_AES128_CCM:
        ccm_aes128_set_key(&c->n.ccm, c->key);
        break;
    case X_HMAC_SHA512:
        gc_check(gcry_md_open(&c->md, GCRY_MD_SHA512, GCRY_MD_FLAG_HMAC), "md");
        gc_check(gcry_md_setkey(c->md, c->key, 64), "md key");
        hmac_sha512_set_key(&c->n.hmac, 64, c->key);
        break;
    case X_CMAC_AES128:
        gc_check(gcry_mac_open(&c->mac, GCRY_MAC_CMAC_AES, 0, NULL), "mac");
        gc_check(gcry_mac_setkey(c->mac, c->key, 16), "mac key");
        cmac_aes128_set_key(&c->n.cmac, c->key);
        break;
    case X_RSA4096_DEC: {
        uint8_t msg[32];

        fill_rand(msg, sizeof(msg));
        if (!rsa_encrypt(&rsa4096.pub, NULL, nettle_rand, 32, msg, c->ct)) {
            die("rsa_encrypt");
        }
        break;
    }
    case X_ECDSA384_SIGN:
    case X_ECDSA384_VERIFY: {
        gcry_sexp_t parms, kp, data;

        /* raw speed only: each library signs with its own fresh key */
        ecdsa_generate_keypair(&c->npub, &c->nkey, NULL, nettle_rand);
        ecdsa_sign(&c->nkey, NULL, nettle_rand, 48, c->digest, &c->nsig);
        gc_check(gcry_sexp_build(&parms, NULL,
                                 "(genkey (ecc (curve nistp384)))"), "sexp");
        gc_check(gcry_pk_genkey(&kp, parms), "genkey");
        c->gpriv = gcry_sexp_find_token(kp, "private-key", 0);
        c->gpub = gcry_sexp_find_token(kp, "public-key", 0);
        gc_check(gcry_sexp_build(&data, NULL, "(data (flags raw)(value %b))",
                                 48, c->digest), "sexp");
        gc_check(gcry_pk_sign(&c->gsig, data, c->gpriv), "sign");
        gcry_sexp_release(data);
        gcry_sexp_release(parms);
        gcry_sexp_release(kp);
        break;
    }
    }
}

static void x_free(struct xctx *c)
{
    if (c->gc) {
        gcry_cipher_close(c->gc);
    }
    if (c->md) {
        gcry_md_close(c->md);
    }
    if (c->mac) {
        gcry_mac_close(c->mac);
    }
    gcry_sexp_release(c->gpriv);
    gcry_sexp_release(c->gpub);
    gcry_sexp_release(c->gsig);
    ecc_point_clear(&c->npub);
    ecc_scalar_clear(&c->nkey);
    dsa_signature_clear(&c->nsig);
    mpz_clear(c->ct);
    memset(c->key, 0, sizeof(c->key));
    memset(&c->n, 0, sizeof(c->n));
    free(c->src);
    free(c->dst);
}

/* as raw_measure: best of five sub-windows */
static double x_measure(struct xctx *c, bool (*op)(struct xctx *))
{
    int batch = xinfo[c->id].asym ? 1 : (c->len <= 4096 ? 32 : 2);
    double best = 0;

    for (int win = 0; win < 5; win++) {
        double t0 = now(), end = t0 + opt_time / 5, c0 = thread_cpu(), dc;
        long ops = 0;

        do {
            for (int i = 0; i < batch; i++) {
                if (!op(c)) {
                    return -1;
                }
            }
            ops += batch;
        } while (now() < end);
        dc = thread_cpu() - c0;
        if (dc > 0 && ops / dc > best) {
            best = ops / dc;
        }
    }
    return best;
}

static void x_point(int id, size_t len)
{
    static const size_t outlen[X_NUM] = {
        [X_AES256_GCM] = 16, [X_AES128_CCM] = 16,
    };
    static uint8_t ref[MAX_SIZE + 128];
    struct xctx c;
    size_t ol;
    bool agree = true;
    double g, n;

    x_setup(&c, id, len);
    switch (id) {
    case X_SHA384:
        ol = 48;
        break;
    case X_SHA512:
    case X_HMAC_SHA512:
        ol = 64;
        break;
    case X_SHA3_256:
        ol = 32;
        break;
    case X_CMAC_AES128:
        ol = 16;
        break;
    default:
        ol = len + outlen[id];
        break;
    }
    if (!xinfo[id].asym) {
        if (!x_gcrypt(&c)) {
            die("gcrypt %s failed", xinfo[id].name);
        }
        memcpy(ref, c.dst, ol);
        memset(c.dst, 0, ol);
        x_nettle(&c);
        agree = !memcmp(ref, c.dst, ol);
        if (!agree) {
            fprintf(stderr, "vc-bench: %s: libgcrypt and nettle disagree\n",
                    xinfo[id].name);
            failures++;
        }
    }
    g = x_measure(&c, x_gcrypt);
    n = x_measure(&c, x_nettle);
    for (int lib = 0; lib < 2; lib++) {
        double v = lib ? n : g;

        emit("{\"type\":\"raw\",\"extra\":true,\"lib\":\"%s\",\"alg\":\"%s\","
             "\"op\":\"%s\",\"size\":%zu,\"ops\":%.1f,\"mbps\":%.1f,"
             "\"ok\":%s}", lib ? "nettle" : "libgcrypt", xinfo[id].name,
             xinfo[id].op, len, v, v * len / 1e6,
             v > 0 && agree ? "true" : "false");
    }
    x_free(&c);
}

static void run_raw_extra(void)
{
    for (int id = 0; id < X_NUM; id++) {
        if (opt_only) {
            char full[64];

            snprintf(full, sizeof(full), "%s/%s", xinfo[id].name,
                     xinfo[id].op);
            if (!strstr(opt_only, full)) {
                continue;
            }
        }
        if (id == X_RSA4096_DEC && !rsa4096.ok) {
            continue;
        }
        if (xinfo[id].asym) {
            x_point(id, id == X_RSA4096_DEC ? 512 : 48);
            continue;
        }
        for (int s = 0; s < nsizes; s++) {
            if (sizes[s] == 64 || sizes[s] == 4096 || sizes[s] == 65536) {
                x_point(id, sizes[s]);
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* QEMU process, qtest and QMP sockets                                 */
/* ------------------------------------------------------------------ */

static pid_t qemu_pid;
static int qt_fd = -1, qmp_fd = -1;
static char qt_path[108], qmp_path[108], shm_path[256];
static uint8_t *ram;
static size_t ram_size = (size_t)RAM_MB << 20;
static char qt_buf[4096];
static size_t qt_have;

static int listen_unix(const char *path)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
    unlink(path);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
        listen(fd, 1) < 0) {
        die("listen %s: %s", path, strerror(errno));
    }
    return fd;
}

static int accept_timeout(int lfd, double secs)
{
    double end = now() + secs;

    fcntl(lfd, F_SETFL, O_NONBLOCK);
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        int st;

        if (fd >= 0) {
            return fd;
        }
        if (waitpid(qemu_pid, &st, WNOHANG) == qemu_pid) {
            qemu_pid = 0;
            die("QEMU exited during startup (status %d)", st);
        }
        if (now() > end) {
            die("QEMU did not connect");
        }
        usleep(2000);
    }
}

static void qemu_stop(void)
{
    if (qemu_pid > 0) {
        int st;

        kill(qemu_pid, SIGTERM);
        for (int i = 0; i < 200; i++) {
            if (waitpid(qemu_pid, &st, WNOHANG) == qemu_pid) {
                qemu_pid = 0;
                break;
            }
            usleep(10000);
        }
        if (qemu_pid > 0) {
            kill(qemu_pid, SIGKILL);
            waitpid(qemu_pid, &st, 0);
            qemu_pid = 0;
        }
    }
    if (ram) {
        munmap(ram, ram_size);
        ram = NULL;
    }
    if (shm_path[0]) {
        unlink(shm_path);
    }
    unlink(qt_path);
    unlink(qmp_path);
}

static void qemu_start(const char *bin, int queues)
{
    char mem[512], back[160], dev[320];
    int lqt, lqmp, fd;

    snprintf(shm_path, sizeof(shm_path), "/dev/shm/vc-bench-%d.ram", getpid());
    snprintf(qt_path, sizeof(qt_path), "/tmp/vc-bench-%d.qtest", getpid());
    snprintf(qmp_path, sizeof(qmp_path), "/tmp/vc-bench-%d.qmp", getpid());
    fd = open(shm_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || ftruncate(fd, ram_size) < 0) {
        die("%s: %s", shm_path, strerror(errno));
    }
    ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (ram == MAP_FAILED) {
        die("mmap: %s", strerror(errno));
    }
    lqt = listen_unix(qt_path);
    lqmp = listen_unix(qmp_path);
    snprintf(mem, sizeof(mem),
             "memory-backend-file,id=ram0,size=%dM,mem-path=%s,share=on",
             RAM_MB, shm_path);
    snprintf(back, sizeof(back), "cryptodev-backend-builtin,id=c0,queues=%d",
             queues);
    snprintf(dev, sizeof(dev),
             "virtio-crypto-pci,cryptodev=c0,bus=pcie.0,addr=%d.0,"
             "disable-legacy=on%s%s", PCI_DEV, opt_device_args ? "," : "",
             opt_device_args ? opt_device_args : "");
    qemu_pid = fork();
    if (qemu_pid == 0) {
        char qt[128], qmp[160];

        snprintf(qt, sizeof(qt), "unix:%s", qt_path);
        snprintf(qmp, sizeof(qmp), "socket,id=qmp0,path=%s", qmp_path);
        execl(bin, bin, "-name", "vc-bench,debug-threads=on",
              "-machine", "q35,memory-backend=ram0", "-accel",
              "qtest", "-nodefaults", "-display", "none", "-L",
              "/usr/share/seabios", "-L", "/usr/share/qemu", "-m",
              RAM_MB == 1280 ? "1280M" : "1G", "-object", mem, "-object",
              back, "-device", dev, "-qtest", qt, "-chardev", qmp, "-mon",
              "chardev=qmp0,mode=control", "-qtest-log", "/dev/null",
              (char *)NULL);
        _exit(127);
    }
    if (qemu_pid < 0) {
        die("fork");
    }
    qt_fd = accept_timeout(lqt, 30);
    qmp_fd = accept_timeout(lqmp, 30);
    close(lqt);
    close(lqmp);
    qt_have = 0;
}

/* one qtest command; returns the value of "OK 0x..." (0 for plain OK) */
static uint64_t qt(const char *fmt, ...)
{
    char cmd[128];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(cmd, sizeof(cmd) - 1, fmt, ap);
    va_end(ap);
    cmd[n++] = '\n';
    if (write(qt_fd, cmd, n) != n) {
        die("qtest write: %s", strerror(errno));
    }
    for (;;) {
        char *nl = memchr(qt_buf, '\n', qt_have);

        if (nl) {
            size_t ll = nl - qt_buf + 1;
            uint64_t v = 0;
            bool irq = !strncmp(qt_buf, "IRQ", 3);

            *nl = 0;
            if (!irq && strncmp(qt_buf, "OK", 2)) {
                die("qtest: '%s' -> '%s'", cmd, qt_buf);
            }
            if (!irq && qt_buf[2] == ' ') {
                v = strtoull(qt_buf + 3, NULL, 0);
            }
            memmove(qt_buf, qt_buf + ll, qt_have - ll);
            qt_have -= ll;
            if (!irq) {
                return v;
            }
            continue;
        }
        n = read(qt_fd, qt_buf + qt_have, sizeof(qt_buf) - qt_have);
        if (n <= 0) {
            die("qtest connection lost (QEMU died?)");
        }
        qt_have += n;
    }
}

/* ---- PCI config space through the 0xcf8/0xcfc ports ---- */

static uint32_t cfg_addr(int off)
{
    return 0x80000000u | (PCI_DEV << 11) | (off & 0xfc);
}

static uint32_t pci_rd32(int off)
{
    qt("outl 0xcf8 0x%x", cfg_addr(off));
    return qt("inl 0xcfc");
}

static uint8_t pci_rd8(int off)
{
    return pci_rd32(off) >> ((off & 3) * 8);
}

static void pci_wr32(int off, uint32_t v)
{
    qt("outl 0xcf8 0x%x", cfg_addr(off));
    qt("outl 0xcfc 0x%x", v);
}

static void pci_wr16(int off, uint16_t v)
{
    qt("outl 0xcf8 0x%x", cfg_addr(off));
    qt("outw 0x%x 0x%x", 0xcfc + (off & 2), v);
}

/* ---- guest RAM ---- */

static uint64_t ram_next;

static uint64_t galloc(size_t n, size_t align)
{
    uint64_t a = (ram_next + align - 1) & ~(uint64_t)(align - 1);

    if (a + n > ram_size) {
        die("guest RAM pool exhausted");
    }
    ram_next = a + n;
    return a;
}

static void *gptr(uint64_t gpa)
{
    return ram + gpa;
}

/* ------------------------------------------------------------------ */
/* virtio-pci modern transport and split rings                        */
/* ------------------------------------------------------------------ */

struct vdesc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct vq {
    int index;
    uint16_t size;
    struct vdesc *desc;
    volatile uint16_t *avail;      /* flags, idx, ring[] */
    volatile uint16_t *used;       /* flags, idx, then {u32 id, u32 len}[] */
    uint64_t notify;
    uint16_t avail_idx, last_used;
    int dps;                       /* ring descriptors per request */
    int nslots;
};

struct vdev {
    uint64_t common, notify_base, devcfg;
    uint32_t notify_mult;
    bool indirect;
    uint32_t cfg[14];               /* virtio_crypto_config words */
    uint64_t max_size;
    int nq;
    struct vq dq[MAX_Q], cq;
};

#define CFG_STATUS 0
#define CFG_MAX_DQ 1
#define CFG_SERVICES 2
#define CFG_CIPHER_L 3
#define CFG_HASH 5
#define CFG_MAC_L 6
#define CFG_AEAD 8
#define CFG_MAX_KEY 9
#define CFG_MAX_AUTH_KEY 10
#define CFG_AKCIPHER 11

static struct vdev vd;

static void vq_setup(struct vq *q, int index, int want)
{
    uint64_t c = vd.common;
    uint64_t dgpa, agpa, ugpa;
    uint16_t max;

    qt("writew 0x%" PRIx64 " 0x%x", c + 22, index);
    max = qt("readw 0x%" PRIx64, c + 24);
    if (!max) {
        die("queue %d not available", index);
    }
    q->index = index;
    q->size = max < want ? max : want;
    qt("writew 0x%" PRIx64 " 0x%x", c + 24, q->size);
    dgpa = galloc(16 * q->size, 4096);
    agpa = galloc(6 + 2 * q->size, 4096);
    ugpa = galloc(6 + 8 * q->size, 4096);
    q->desc = gptr(dgpa);
    q->avail = gptr(agpa);
    q->used = gptr(ugpa);
    memset(q->desc, 0, 16 * q->size);
    memset((void *)q->avail, 0, 6 + 2 * q->size);
    memset((void *)q->used, 0, 6 + 8 * q->size);
    /* we poll the used ring: no interrupts wanted */
    q->avail[0] = VRING_AVAIL_F_NO_INTERRUPT;
    qt("writel 0x%" PRIx64 " 0x%x", c + 32, (uint32_t)dgpa);
    qt("writel 0x%" PRIx64 " 0x%x", c + 36, (uint32_t)(dgpa >> 32));
    qt("writel 0x%" PRIx64 " 0x%x", c + 40, (uint32_t)agpa);
    qt("writel 0x%" PRIx64 " 0x%x", c + 44, (uint32_t)(agpa >> 32));
    qt("writel 0x%" PRIx64 " 0x%x", c + 48, (uint32_t)ugpa);
    qt("writel 0x%" PRIx64 " 0x%x", c + 52, (uint32_t)(ugpa >> 32));
    q->notify = vd.notify_base +
                (uint64_t)qt("readw 0x%" PRIx64, c + 30) * vd.notify_mult;
    qt("writew 0x%" PRIx64 " 0x1", c + 28);
    q->avail_idx = q->last_used = 0;
}

static void vq_kick(struct vq *q)
{
    qt("writew 0x%" PRIx64 " 0x%x", q->notify, q->index);
}

static void vq_publish(struct vq *q, bool force)
{
    __atomic_store_n(&q->avail[1], q->avail_idx, __ATOMIC_RELEASE);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (force || !(__atomic_load_n(&q->used[0], __ATOMIC_ACQUIRE) &
                   VRING_USED_F_NO_NOTIFY)) {
        vq_kick(q);
    }
}

static void vq_push(struct vq *q, uint16_t head)
{
    q->avail[2 + (q->avail_idx % q->size)] = head;
    q->avail_idx++;
}

/* next used element, or false */
static bool vq_pop(struct vq *q, uint32_t *id, uint32_t *len)
{
    uint16_t uidx = __atomic_load_n(&q->used[1], __ATOMIC_ACQUIRE);
    volatile uint32_t *e;   /* written by QEMU through the shared RAM */

    if (uidx == q->last_used) {
        return false;
    }
    e = (volatile uint32_t *)(q->used + 2) + /* shared RAM */
        2 * (q->last_used % q->size);
    *id = e[0];
    *len = e[1];
    q->last_used++;
    return true;
}

static void dev_init(int want_queues)
{
    uint32_t bars[6] = { 0 };
    uint64_t barbase[6] = { 0 };
    uint32_t f0, f1;
    int ptr, guard = 0;
    uint8_t st;

    if ((pci_rd32(0) & 0xffff) != 0x1af4) {
        die("no virtio device at 00:%02x.0", PCI_DEV);
    }
    if (!(pci_rd32(4) & (0x10 << 16))) {
        die("no PCI capability list");
    }
    memset(&vd, 0, sizeof(vd));
    /* walk the capability list for the virtio vendor capabilities */
    ptr = pci_rd8(0x34) & 0xfc;
    while (ptr && guard++ < 48) {
        uint32_t w0 = pci_rd32(ptr);
        uint8_t vndr = w0 & 0xff, next = (w0 >> 8) & 0xff;

        if (vndr == 0x09) {
            uint8_t type = w0 >> 24;
            uint8_t bar = pci_rd8(ptr + 4);
            uint32_t off = pci_rd32(ptr + 8);

            if (bar < 6) {
                bars[bar] = 1;
            }
            if (type == 1) {
                vd.common = ((uint64_t)bar << 56) | off;
            } else if (type == 2) {
                vd.notify_base = ((uint64_t)bar << 56) | off;
                vd.notify_mult = pci_rd32(ptr + 16);
            } else if (type == 4) {
                vd.devcfg = ((uint64_t)bar << 56) | off;
            }
        }
        ptr = next & 0xfc;
    }
    if (!vd.common || !vd.notify_base || !vd.devcfg) {
        die("virtio capabilities incomplete");
    }
    /* program the BARs the capabilities use (64-bit memory BARs) */
    for (int b = 0, slot = 0; b < 6; b++) {
        uint32_t lo;

        if (!bars[b]) {
            continue;
        }
        barbase[b] = BAR_BASE + (uint64_t)slot++ * 0x1000000;
        lo = pci_rd32(0x10 + 4 * b);
        pci_wr32(0x10 + 4 * b, (uint32_t)barbase[b]);
        if ((lo & 6) == 4) {
            pci_wr32(0x14 + 4 * b, (uint32_t)(barbase[b] >> 32));
        }
    }
    pci_wr16(4, 0x0006);        /* memory space + bus master */
#define RELOC(x) (barbase[(x) >> 56] + ((x) & 0xffffffffULL))
    vd.common = RELOC(vd.common);
    vd.notify_base = RELOC(vd.notify_base);
    vd.devcfg = RELOC(vd.devcfg);

    qt("writeb 0x%" PRIx64 " 0x0", vd.common + 20);
    while (qt("readb 0x%" PRIx64, vd.common + 20)) {
        usleep(1000);
    }
    qt("writeb 0x%" PRIx64 " 0x3", vd.common + 20);
    qt("writel 0x%" PRIx64 " 0x0", vd.common + 0);
    f0 = qt("readl 0x%" PRIx64, vd.common + 4);
    qt("writel 0x%" PRIx64 " 0x1", vd.common + 0);
    f1 = qt("readl 0x%" PRIx64, vd.common + 4);
    if (!(f1 & 1)) {
        die("device does not offer VIRTIO_F_VERSION_1");
    }
    vd.indirect = f0 & (1u << F_INDIRECT_DESC);
    /* legacy (non-REVISION_1) layout: see checklist AMB-2 */
    qt("writel 0x%" PRIx64 " 0x0", vd.common + 8);
    qt("writel 0x%" PRIx64 " 0x%x", vd.common + 12,
       vd.indirect ? 1u << F_INDIRECT_DESC : 0);
    qt("writel 0x%" PRIx64 " 0x1", vd.common + 8);
    qt("writel 0x%" PRIx64 " 0x1", vd.common + 12);
    qt("writeb 0x%" PRIx64 " 0xb", vd.common + 20);
    st = qt("readb 0x%" PRIx64, vd.common + 20);
    if (!(st & 8)) {
        die("FEATURES_OK not accepted");
    }
    for (int i = 0; i < 14; i++) {
        vd.cfg[i] = qt("readl 0x%" PRIx64, vd.devcfg + 4 * i);
    }
    vd.max_size = vd.cfg[12] | ((uint64_t)vd.cfg[13] << 32);
    if (!(vd.cfg[CFG_STATUS] & 1)) {
        die("device not HW_READY");
    }
    vd.nq = want_queues;
    if (vd.nq > (int)vd.cfg[CFG_MAX_DQ]) {
        vd.nq = vd.cfg[CFG_MAX_DQ];
    }
    if (vd.nq > MAX_Q) {
        vd.nq = MAX_Q;
    }
    for (int i = 0; i < vd.nq; i++) {
        vq_setup(&vd.dq[i], i, 1024);
    }
    vq_setup(&vd.cq, vd.cfg[CFG_MAX_DQ], 64);
    qt("writeb 0x%" PRIx64 " 0xf", vd.common + 20);
    emit("{\"type\":\"device\",\"label\":\"%s\",\"max_dataqueues\":%u,"
         "\"services\":%u,\"cipher\":%u,\"hash\":%u,\"mac\":%u,\"aead\":%u,"
         "\"akcipher\":%u,\"max_key\":%u,\"max_size\":%" PRIu64
         ",\"indirect\":%s,\"queue_size\":%u,\"qemu_pid\":%d}", opt_label,
         vd.cfg[CFG_MAX_DQ], vd.cfg[CFG_SERVICES], vd.cfg[CFG_CIPHER_L],
         vd.cfg[CFG_HASH], vd.cfg[CFG_MAC_L], vd.cfg[CFG_AEAD],
         vd.cfg[CFG_AKCIPHER], vd.cfg[CFG_MAX_KEY], vd.max_size,
         vd.indirect ? "true" : "false", vd.dq[0].size, (int)qemu_pid);
}

/* ------------------------------------------------------------------ */
/* Control queue: sessions                                             */
/* ------------------------------------------------------------------ */

static uint64_t ctrl_out, ctrl_in;

static void put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);           /* x86 host: little-endian like virtio */
}

static void put64(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, 8);
}

/* send one control request; returns the bytes the device wrote to in[] */
static void ctrl_submit(size_t outlen, size_t inlen)
{
    struct vq *q = &vd.cq;
    uint32_t id, len;
    double end = now() + 20;

    q->desc[0] = (struct vdesc){ ctrl_out, outlen, VRING_DESC_F_NEXT, 1 };
    q->desc[1] = (struct vdesc){ ctrl_in, inlen, VRING_DESC_F_WRITE, 0 };
    vq_push(q, 0);
    vq_publish(q, true);
    while (!vq_pop(q, &id, &len)) {
        if (now() > end) {
            die("control request timed out");
        }
        usleep(20);
    }
}

static uint32_t ecdsa_algo(void)
{
    /*
     * AMB-1 (docs/spec-decisions.md): ECDSA is 2, the spec's value, in our
     * device; Linux/QEMU headers say 3.  Prefer 2, accept a device that
     * advertises only 3.
     */
    if (vd.cfg[CFG_AKCIPHER] & (1u << 2)) {
        return 2;
    }
    if (vd.cfg[CFG_AKCIPHER] & (1u << 3)) {
        return 3;
    }
    return 0;
}

/* why the device cannot run w, or NULL */
static const char *dev_unsupported(const struct wl *w)
{
    uint32_t svc = vd.cfg[CFG_SERVICES];

    switch (w->kind) {
    case K_CIPHER:
        if (!(svc & (1u << SVC_CIPHER)) ||
            !(vd.cfg[CFG_CIPHER_L] & (1u << w->algo))) {
            return "not advertised";
        }
        return w->keylen > vd.cfg[CFG_MAX_KEY] ? "key too long" : NULL;
    case K_AEAD:
        if (!(svc & (1u << SVC_AEAD)) ||
            !(vd.cfg[CFG_AEAD] & (1u << w->algo))) {
            return "not advertised";
        }
        return NULL;
    case K_HASH:
        return (svc & (1u << SVC_HASH)) && (vd.cfg[CFG_HASH] & (1u << w->algo))
               ? NULL : "not advertised";
    case K_MAC:
        return (svc & (1u << SVC_MAC)) && (vd.cfg[CFG_MAC_L] & (1u << w->algo))
               ? NULL : "not advertised";
    case K_RSA:
        if (!(svc & (1u << SVC_AKCIPHER)) ||
            !(vd.cfg[CFG_AKCIPHER] & (1u << AKC_RSA))) {
            return "not advertised";
        }
        return wl_rsa(w)->ok ? NULL : "no key";
    case K_ECDSA:
        if (!(svc & (1u << SVC_AKCIPHER)) || !ecdsa_algo()) {
            return "not advertised";
        }
        return ecp256.ok ? NULL : "no key";
    }
    return "unknown";
}

static int wl_service(const struct wl *w)
{
    static const int map[] = { SVC_CIPHER, SVC_AEAD, SVC_HASH, SVC_MAC,
                               SVC_AKCIPHER, SVC_AKCIPHER };
    return map[w->kind];
}

static uint32_t wl_algo(const struct wl *w)
{
    return w->kind == K_ECDSA ? ecdsa_algo() : w->algo;
}

/* create a session; returns false with *status on device refusal */
static bool session_create(const struct wl *w, const uint8_t *key,
                           uint64_t *sid, uint32_t *status)
{
    uint8_t *o = gptr(ctrl_out), *b = o + 16;
    const uint8_t *vlf = key;
    size_t vlen = 0;
    int svc = wl_service(w);

    memset(o, 0, CTRL_LEN);
    put32(o, OPC(svc, svc == SVC_AKCIPHER ? 4 : 2));
    put32(o + 4, wl_algo(w));
    switch (w->kind) {
    case K_CIPHER:
        put32(b, w->algo);
        put32(b + 4, w->keylen);
        put32(b + 8, w->decrypt ? OP_DECRYPT : OP_ENCRYPT);
        put32(b + 48, 1);       /* VIRTIO_CRYPTO_SYM_OP_CIPHER */
        vlen = w->keylen;
        break;
    case K_AEAD:
        put32(b, w->algo);
        put32(b + 4, w->keylen);
        put32(b + 8, w->taglen);
        put32(b + 12, 0);       /* aad_len */
        put32(b + 16, OP_ENCRYPT);
        vlen = w->keylen;
        break;
    case K_HASH:
        put32(b, w->algo);
        put32(b + 4, w->taglen);
        break;
    case K_MAC:
        put32(b, w->algo);
        put32(b + 4, w->taglen);
        put32(b + 8, w->keylen);
        vlen = w->keylen;
        break;
    case K_RSA: {
        struct rsa_keys *k = wl_rsa(w);
        bool priv = w->akop != AK_VERIFY;

        put32(b, AKC_RSA);
        put32(b + 4, priv ? KEY_PRIVATE : KEY_PUBLIC);
        vlf = priv ? k->priv_der : k->pub_der;
        vlen = priv ? k->priv_len : k->pub_len;
        put32(b + 8, vlen);
        put32(b + 12, RSA_PKCS1);
        put32(b + 16, RSA_HASH_SHA256);
        break;
    }
    case K_ECDSA: {
        bool priv = w->akop == AK_SIGN;

        put32(b, ecdsa_algo());
        put32(b + 4, priv ? KEY_PRIVATE : KEY_PUBLIC);
        vlf = priv ? ecp256.priv_der : ecp256.point;
        vlen = priv ? ecp256.priv_len : 65;
        put32(b + 8, vlen);
        put32(b + 12, CURVE_P256);
        break;
    }
    }
    memcpy(o + CTRL_LEN, vlf, vlen);
    memset(gptr(ctrl_in), 0xff, 16);
    ctrl_submit(CTRL_LEN + vlen, 16);
    memset(o + CTRL_LEN, 0, vlen);      /* keys are wiped after use */
    memcpy(sid, gptr(ctrl_in), 8);
    memcpy(status, (uint8_t *)gptr(ctrl_in) + 8, 4);
    return *status == ST_OK;
}

static void session_destroy(const struct wl *w, uint64_t sid)
{
    uint8_t *o = gptr(ctrl_out);
    int svc = wl_service(w);
    uint8_t st;

    memset(o, 0, CTRL_LEN);
    put32(o, OPC(svc, svc == SVC_AKCIPHER ? 5 : 3));
    put32(o + 4, wl_algo(w));
    put64(o + 16, sid);
    memset(gptr(ctrl_in), 0xff, 16);
    ctrl_submit(CTRL_LEN, 1);
    st = *(uint8_t *)gptr(ctrl_in);
    if (st != ST_OK) {
        fprintf(stderr, "vc-bench: destroy session %" PRIu64 ": status %u\n",
                sid, st);
        failures++;
    }
}

/* ------------------------------------------------------------------ */
/* QMP round-trip sampler                                              */
/* ------------------------------------------------------------------ */

static pthread_mutex_t qmp_lock = PTHREAD_MUTEX_INITIALIZER;
static double *qmp_samples;
static int qmp_n, qmp_cap;
/* volatile: polled by the QMP thread, flips are not ordering-critical */
static volatile bool qmp_active, qmp_stop;
static char qmp_buf[65536];
static size_t qmp_have;

static bool qmp_line(char *out, size_t max)
{
    for (;;) {
        char *nl = memchr(qmp_buf, '\n', qmp_have);
        ssize_t n;

        if (nl) {
            size_t ll = nl - qmp_buf + 1;
            size_t c = ll < max ? ll : max - 1;

            memcpy(out, qmp_buf, c);
            out[c] = 0;
            memmove(qmp_buf, qmp_buf + ll, qmp_have - ll);
            qmp_have -= ll;
            return true;
        }
        if (qmp_have == sizeof(qmp_buf)) {
            qmp_have = 0;
        }
        n = read(qmp_fd, qmp_buf + qmp_have, sizeof(qmp_buf) - qmp_have);
        if (n <= 0) {
            return false;
        }
        qmp_have += n;
    }
}

static bool qmp_cmd(const char *cmd)
{
    char line[4096];

    if (write(qmp_fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd)) {
        return false;
    }
    while (qmp_line(line, sizeof(line))) {
        if (strstr(line, "\"return\"") || strstr(line, "\"error\"")) {
            return true;
        }
    }
    return false;
}

static volatile bool qmp_busy;     /* read by qmp_end() without the lock */

static void *qmp_thread(void *arg)
{
    char line[4096];

    (void)arg;
    if (!qmp_line(line, sizeof(line)) ||
        !qmp_cmd("{\"execute\":\"qmp_capabilities\"}\n")) {
        fprintf(stderr, "vc-bench: QMP handshake failed\n");
        return NULL;
    }
    while (!qmp_stop) {
        double t0, dt;
        bool ok;

        pthread_mutex_lock(&qmp_lock);
        qmp_busy = qmp_active;
        pthread_mutex_unlock(&qmp_lock);
        if (!qmp_busy) {
            usleep(1000);
            continue;
        }
        t0 = now();
        ok = qmp_cmd("{\"execute\":\"query-status\"}\n");
        dt = now() - t0;
        pthread_mutex_lock(&qmp_lock);
        /* a query that started inside the phase counts, even if it ends late */
        if (qmp_n == qmp_cap) {
            qmp_cap = qmp_cap ? 2 * qmp_cap : 4096;
            qmp_samples = realloc(qmp_samples, qmp_cap * sizeof(double));
            if (!qmp_samples) {
                die("out of memory");
            }
        }
        if (ok) {
            qmp_samples[qmp_n++] = dt;
        }
        qmp_busy = false;
        pthread_mutex_unlock(&qmp_lock);
        if (!ok) {
            break;
        }
        usleep(2000);
    }
    qmp_busy = false;
    return NULL;
}

static void qmp_begin(void)
{
    pthread_mutex_lock(&qmp_lock);
    qmp_n = 0;
    qmp_active = true;
    pthread_mutex_unlock(&qmp_lock);
}

static int dcmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* stop sampling; p50/p99 in ms */
static int qmp_end(double *p50, double *p99, double *pmax)
{
    int n;

    double end = now() + 30;

    pthread_mutex_lock(&qmp_lock);
    qmp_active = false;
    pthread_mutex_unlock(&qmp_lock);
    while (qmp_busy && now() < end) {
        usleep(500);
    }
    pthread_mutex_lock(&qmp_lock);
    n = qmp_n;
    qsort(qmp_samples, n, sizeof(double), dcmp);
    *p50 = n ? qmp_samples[n / 2] * 1e3 : -1;
    *p99 = n ? qmp_samples[(int)(n * 0.99) < n ? (int)(n * 0.99) : n - 1] *
               1e3 : -1;
    *pmax = n ? qmp_samples[n - 1] * 1e3 : -1;
    pthread_mutex_unlock(&qmp_lock);
    return n;
}

/* ------------------------------------------------------------------ */
/* Data path: slots, requests, spot checks                             */
/* ------------------------------------------------------------------ */

#define SLOT_TABLE 0
#define SLOT_HDR 128
#define SLOT_IV 256
#define SLOT_STATUS 320
#define SLOT_SRC 384
#define SLOT_BUF (MAX_SIZE + 1024)
#define SLOT_DST (SLOT_SRC + SLOT_BUF)
#define SLOT_STRIDE ((SLOT_DST + SLOT_BUF + 4095) & ~4095)
#define NREF 16                 /* distinct inputs for asymmetric loads */

struct slot {
    uint64_t gpa;
    uint8_t *ref;               /* expected dst */
    size_t reflen;
    bool check;
};

struct qstate {
    struct vq *q;
    uint64_t pool;              /* GPA of the slot array */
    int pool_slots;
    struct slot *s;
    int inflight;
    long done, submitted, checked, errors, mismatches, kicks;
    uint16_t outstanding;
};

static struct qstate qs[MAX_Q];

struct run {
    const struct wl *w;
    int size;
    uint64_t sid;
    size_t srclen, dstlen, outlen;
    uint8_t key[64];
    gcry_cipher_hd_t gc;
    /* asymmetric inputs */
    uint8_t digest[NREF][32];
    uint8_t asym_src[NREF][1100];
    size_t asym_srclen[NREF];
    uint8_t asym_ref[NREF][512];
    size_t asym_reflen[NREF];
    int check_every;
};

static void ref_sym(struct run *r, const uint8_t *iv, const uint8_t *src,
                    uint8_t *out)
{
    const struct wl *w = r->w;
    size_t len = r->size;

    switch (w->kind) {
    case K_CIPHER:
        if (w->gc_mode == GCRY_CIPHER_MODE_CTR) {
            gcry_cipher_setctr(r->gc, iv, 16);
        } else {
            gcry_cipher_setiv(r->gc, iv, 16);
        }
        gc_check(w->decrypt ? gcry_cipher_decrypt(r->gc, out, len, src, len)
                            : gcry_cipher_encrypt(r->gc, out, len, src, len),
                 "ref cipher");
        break;
    case K_AEAD:
        gcry_cipher_setiv(r->gc, iv, w->ivlen);
        gcry_cipher_final(r->gc);
        gc_check(gcry_cipher_encrypt(r->gc, out, len, src, len), "ref aead");
        gc_check(gcry_cipher_gettag(r->gc, out + len, 16), "ref tag");
        break;
    case K_HASH:
        gcry_md_hash_buffer(GCRY_MD_SHA256, out, src, len);
        break;
    case K_MAC: {
        gcry_md_hd_t md;

        gc_check(gcry_md_open(&md, GCRY_MD_SHA256, GCRY_MD_FLAG_HMAC), "md");
        gc_check(gcry_md_setkey(md, r->key, w->keylen), "md key");
        gcry_md_write(md, src, len);
        memcpy(out, gcry_md_read(md, GCRY_MD_SHA256), 32);
        gcry_md_close(md);
        break;
    }
    default:
        break;
    }
}

/* inputs and expected outputs for an asymmetric run */
static void asym_prepare(struct run *r)
{
    const struct wl *w = r->w;

    for (int i = 0; i < NREF; i++) {
        fill_rand(r->digest[i], 32);
        if (w->kind == K_RSA) {
            struct rsa_keys *k = wl_rsa(w);
            size_t kl = k->pub.size;
            mpz_t z;

            mpz_init(z);
            if (w->akop == AK_DECRYPT) {
                /* src = PKCS#1 v1.5 ciphertext of a 32-byte message */
                if (!rsa_encrypt(&k->pub, NULL, nettle_rand, 32, r->digest[i],
                                 z)) {
                    die("rsa_encrypt");
                }
                nettle_mpz_get_str_256(kl, r->asym_src[i], z);
                r->asym_srclen[i] = kl;
                memcpy(r->asym_ref[i], r->digest[i], 32);
                r->asym_reflen[i] = 32;
            } else {
                if (!rsa_sha256_sign_digest_tr(&k->pub, &k->priv, NULL,
                                               nettle_rand, r->digest[i], z)) {
                    die("rsa sign");
                }
                if (w->akop == AK_SIGN) {
                    memcpy(r->asym_src[i], r->digest[i], 32);
                    r->asym_srclen[i] = 32;
                    nettle_mpz_get_str_256(kl, r->asym_ref[i], z);
                    r->asym_reflen[i] = kl;
                } else {
                    nettle_mpz_get_str_256(kl, r->asym_src[i], z);
                    memcpy(r->asym_src[i] + kl, r->digest[i], 32);
                    r->asym_srclen[i] = kl;     /* + 32 digest bytes */
                    r->asym_reflen[i] = 0;
                }
            }
            mpz_clear(z);
        } else {
            if (w->akop == AK_SIGN) {
                memcpy(r->asym_src[i], r->digest[i], 32);
                r->asym_srclen[i] = 32;
                r->asym_reflen[i] = 0;  /* randomized: verified instead */
            } else {
                r->asym_srclen[i] = ec_sign_der(r->digest[i], r->asym_src[i],
                                                sizeof(r->asym_src[i]) - 32);
                memcpy(r->asym_src[i] + r->asym_srclen[i], r->digest[i], 32);
                r->asym_reflen[i] = 0;
            }
        }
    }
}

/* build slot k of queue state st for run r; returns descriptor count */
static void slot_build(struct qstate *st, int k, struct run *r)
{
    const struct wl *w = r->w;
    struct slot *s = &st->s[k];
    uint64_t g = s->gpa;
    uint8_t *h = gptr(g + SLOT_HDR), *iv = gptr(g + SLOT_IV);
    uint8_t *src = gptr(g + SLOT_SRC);
    struct vdesc d[6];
    int n = 0;
    size_t srclen = r->size, dstlen = r->outlen, vsrc;
    int svc = wl_service(w);
    uint32_t opcode;

    memset(h, 0, HDR_LEN);
    if (svc == SVC_CIPHER) {
        opcode = OPC(SVC_CIPHER, w->decrypt ? 1 : 0);
    } else if (svc == SVC_AKCIPHER) {
        opcode = OPC(SVC_AKCIPHER, w->akop == AK_SIGN ? 2 :
                                   w->akop == AK_DECRYPT ? 1 : 3);
    } else {
        opcode = OPC(svc, 0);
    }
    put32(h, opcode);
    put32(h + 4, wl_algo(w));
    put64(h + 8, r->sid);
    if (wl_is_sym(w)) {
        fill_rand(iv, 16);
        fill_rand(src, srclen);
    } else {
        int i = k % NREF;

        srclen = r->asym_srclen[i];
        memcpy(src, r->asym_src[i], srclen +
               (w->akop == AK_VERIFY ? 32 : 0));
    }
    vsrc = srclen;
    switch (w->kind) {
    case K_CIPHER:
        put32(h + 24, w->ivlen);
        put32(h + 28, srclen);
        put32(h + 32, dstlen);
        put32(h + 64, 1);       /* op_type CIPHER */
        break;
    case K_AEAD:
        put32(h + 24, w->ivlen);
        put32(h + 28, 0);       /* aad_len */
        put32(h + 32, srclen);
        put32(h + 36, dstlen);  /* ciphertext + tag; tag_len 0 (AMB-15) */
        break;
    case K_HASH:
    case K_MAC:
        put32(h + 24, srclen);
        put32(h + 28, w->taglen);
        break;
    case K_RSA:
    case K_ECDSA:
        if (w->akop == AK_VERIFY) {
            put32(h + 24, srclen);
            put32(h + 28, 32);  /* digest follows the signature */
            vsrc = srclen + 32;
            dstlen = 0;
        } else {
            put32(h + 24, srclen);
            put32(h + 28, dstlen);
        }
        break;
    }
    d[n++] = (struct vdesc){ g + SLOT_HDR, HDR_LEN, 0, 0 };
    if (w->ivlen) {
        d[n++] = (struct vdesc){ g + SLOT_IV, w->ivlen, 0, 0 };
    }
    d[n++] = (struct vdesc){ g + SLOT_SRC, vsrc, 0, 0 };
    if (dstlen) {
        d[n++] = (struct vdesc){ g + SLOT_DST, dstlen, VRING_DESC_F_WRITE, 0 };
    }
    d[n++] = (struct vdesc){ g + SLOT_STATUS, 1, VRING_DESC_F_WRITE, 0 };

    /* expected output */
    free(s->ref);
    s->ref = NULL;
    s->reflen = 0;
    if (wl_is_sym(w)) {
        s->reflen = r->outlen;
        s->ref = xmalloc(s->reflen);
        ref_sym(r, iv, src, s->ref);
        if (opt_corrupt_ref && k == 7) {
            s->ref[s->reflen - 1] ^= 0x80;  /* self-test of the checker */
        }
    } else if (r->asym_reflen[k % NREF]) {
        s->reflen = r->asym_reflen[k % NREF];
        s->ref = xmalloc(s->reflen);
        memcpy(s->ref, r->asym_ref[k % NREF], s->reflen);
    }

    if (vd.indirect) {
        struct vdesc *t = gptr(g + SLOT_TABLE);

        for (int i = 0; i < n; i++) {
            t[i] = d[i];
            t[i].flags |= (i + 1 < n) ? VRING_DESC_F_NEXT : 0;
            t[i].next = i + 1;
        }
        st->q->desc[k] = (struct vdesc){ g + SLOT_TABLE, n * 16,
                                         VRING_DESC_F_INDIRECT, 0 };
    } else {
        int base = k * st->q->dps;

        for (int i = 0; i < n; i++) {
            st->q->desc[base + i] = d[i];
            st->q->desc[base + i].flags |= (i + 1 < n) ? VRING_DESC_F_NEXT : 0;
            st->q->desc[base + i].next = base + i + 1;
        }
    }
}

static void slot_submit(struct qstate *st, int k, struct run *r)
{
    struct slot *s = &st->s[k];
    uint8_t *status = gptr(s->gpa + SLOT_STATUS);

    *status = 0xff;
    s->check = st->submitted < st->inflight ||
               st->submitted % r->check_every == 0;
    if (s->check) {
        memset(gptr(s->gpa + SLOT_DST), 0xa5, r->outlen ? r->outlen : 1);
    }
    st->submitted++;
    st->outstanding++;
    vq_push(st->q, k * st->q->dps);
}

/* account for one completion; false if the output is wrong */
static bool slot_complete(struct qstate *st, uint32_t id, uint32_t len,
                          struct run *r)
{
    const struct wl *w = r->w;
    int k = id / st->q->dps;
    struct slot *s;
    uint8_t status, *dst;

    if (k >= st->inflight || id % st->q->dps) {
        fprintf(stderr, "vc-bench: device returned bad id %u\n", id);
        st->errors++;
        return false;
    }
    s = &st->s[k];
    st->outstanding--;
    st->done++;
    /* volatile: written by QEMU through the shared RAM */
    status = *(volatile uint8_t *)gptr(s->gpa + SLOT_STATUS);
    if (status != ST_OK) {
        if (st->errors++ < 3) {
            fprintf(stderr, "vc-bench: %s/%s size %d: status %u\n", w->name,
                    w->op, r->size, status);
        }
        return false;
    }
    if (!s->check) {
        return true;
    }
    st->checked++;
    dst = gptr(s->gpa + SLOT_DST);
    if (w->kind == K_ECDSA && w->akop == AK_SIGN) {
        size_t dl = dst[0] == 0x30 && dst[1] < 0x80 ? 2u + dst[1] : 0;

        if (dl && ec_sig_ok(dst, dl, r->digest[k % NREF])) {
            return true;
        }
    } else if (!s->reflen || !memcmp(dst, s->ref, s->reflen)) {
        return true;
    }
    if (st->mismatches++ < 3) {
        fprintf(stderr, "vc-bench: %s/%s size %d: WRONG OUTPUT (slot %d, "
                "used len %u)\n", w->name, w->op, r->size, k, len);
    }
    return false;
}

/* CPU seconds used so far by the QEMU process (all threads) */
static double qemu_cpu(void)
{
    char path[64], buf[1024], *p;
    unsigned long ut = 0, st = 0;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)qemu_pid);
    f = fopen(path, "r");
    if (!f) {
        return 0;
    }
    if (!fgets(buf, sizeof(buf), f)) {
        buf[0] = 0;
    }
    fclose(f);
    p = strrchr(buf, ')');
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
                     &ut, &st) != 2) {
        return 0;
    }
    return (double)(ut + st) / sysconf(_SC_CLK_TCK);
}

/* polling naps of the harness, seconds */
#define NAP_MIN 0.00002
#define NAP_MAX 0.0005

struct result {
    double harness_cpu, qemu_cpu;
    double ops, secs;
    long checked, errors, mismatches, kicks;
    bool timeout;
};

/*
 * Run r on queues 0..nq-1 for opt_time seconds with every slot in flight.
 * Submission is re-armed as completions arrive; a queue is kicked only
 * when the device has not suppressed notifications (VRING_USED_F_NO_NOTIFY).
 */
static struct result run_load(struct run *r, int nq, int inflight)
{
    struct result res = { 0 };
    double t0, tstart = 0, tend, last_prog, hcpu0 = 0, qcpu0 = 0;
    long base_done = 0, done_total;
    bool measuring = false, stopping = false;
    struct timespec nap = { 0, 10000 };

    for (int qi = 0; qi < nq; qi++) {
        struct qstate *st = &qs[qi];

        st->inflight = inflight < st->q->nslots ? inflight : st->q->nslots;
        st->done = st->submitted = st->checked = st->errors = 0;
        st->mismatches = st->kicks = 0;
        st->outstanding = 0;
        for (int k = 0; k < st->inflight; k++) {
            slot_build(st, k, r);
        }
        for (int k = 0; k < st->inflight; k++) {
            slot_submit(st, k, r);
        }
    }
    t0 = last_prog = now();
    for (int qi = 0; qi < nq; qi++) {
        vq_publish(qs[qi].q, true);
        qs[qi].kicks++;
    }
    for (;;) {
        long progress = 0;
        double t;

        for (int qi = 0; qi < nq; qi++) {
            struct qstate *st = &qs[qi];
            uint32_t id, len;
            bool pushed = false;

            while (vq_pop(st->q, &id, &len)) {
                progress++;
                slot_complete(st, id, len, r);
                if (!stopping && id / st->q->dps < (uint32_t)st->inflight) {
                    slot_submit(st, id / st->q->dps, r);
                    pushed = true;
                }
            }
            if (pushed) {
                bool need = !(__atomic_load_n(&st->q->used[0],
                                              __ATOMIC_ACQUIRE) &
                              VRING_USED_F_NO_NOTIFY);

                vq_publish(st->q, false);
                st->kicks += need;
            }
        }
        t = now();
        done_total = 0;
        for (int qi = 0; qi < nq; qi++) {
            done_total += qs[qi].done;
        }
        if (progress) {
            long total = 0;

            last_prog = t;
            for (int qi = 0; qi < nq; qi++) {
                total += qs[qi].inflight;
            }
            /*
             * The ring holds far more work than a nap lasts: unless we are
             * falling behind, nap so the harness leaves the CPUs to QEMU.
             */
            if (progress < total / 4) {
                double rate = done_total / (t - t0 + NAP_MIN);
                double secs = rate > 0 ? (total / 8.0) / rate : NAP_MIN;

                secs = secs < NAP_MIN ? NAP_MIN : secs > NAP_MAX ? NAP_MAX : secs;
                nap.tv_nsec = secs * 1e9;
                nanosleep(&nap, NULL);
            }
        } else {
            bool idle = true;

            for (int qi = 0; qi < nq; qi++) {
                idle &= qs[qi].outstanding == 0;
            }
            if (idle && stopping) {
                break;
            }
            if (t - last_prog > 20) {
                fprintf(stderr, "vc-bench: %s/%s: device stalled\n",
                        r->w->name, r->w->op);
                res.timeout = true;
                break;
            }
            if (t - last_prog > 0.05) {
                /* safety net against a lost notification */
                for (int qi = 0; qi < nq; qi++) {
                    if (qs[qi].outstanding) {
                        vq_publish(qs[qi].q, true);
                        qs[qi].kicks++;
                    }
                }
                last_prog = t;
            }
            nap.tv_nsec = 20000;
            nanosleep(&nap, NULL);
        }
        if (!measuring && !stopping && opt_smoke) {
            measuring = true;       /* smoke: count from the first request */
            tstart = t0;
            base_done = 0;
            hcpu0 = thread_cpu();
            qcpu0 = qemu_cpu();
            qmp_begin();
        } else if (!measuring && !stopping && t - t0 > 0.1 && done_total > 0) {
            measuring = true;
            tstart = t;
            base_done = done_total;
            hcpu0 = thread_cpu();
            qcpu0 = qemu_cpu();
            qmp_begin();
        }
        if (measuring && (t - tstart >= opt_time ||
                          (opt_smoke && done_total >= 400))) {
            tend = t;
            res.ops = tend > tstart ? (done_total - base_done) / (tend - tstart)
                                    : 0;
            res.secs = tend - tstart;
            if (res.secs > 0) {
                res.harness_cpu = (thread_cpu() - hcpu0) / res.secs;
                res.qemu_cpu = (qemu_cpu() - qcpu0) / res.secs;
            }
            measuring = false;
            stopping = true;
        }
    }
    for (int qi = 0; qi < nq; qi++) {
        res.checked += qs[qi].checked;
        res.errors += qs[qi].errors;
        res.mismatches += qs[qi].mismatches;
        res.kicks += qs[qi].kicks;
    }
    return res;
}

static bool dev_dead;

/* a verify with a corrupted signature must be refused (KEY_REJECTED) */
static bool verify_negative(struct run *r)
{
    struct qstate *st = &qs[0];
    uint8_t *src, *status;
    uint32_t id, len;
    double end = now() + 20;

    slot_build(st, 0, r);
    src = gptr(st->s[0].gpa + SLOT_SRC);
    src[r->asym_srclen[0] / 2] ^= 0x01;
    status = gptr(st->s[0].gpa + SLOT_STATUS);
    *status = 0xff;
    vq_push(st->q, 0);
    vq_publish(st->q, true);
    while (!vq_pop(st->q, &id, &len)) {
        if (now() > end) {
            dev_dead = true;
            return false;
        }
        usleep(20);
    }
    return *status == ST_KEY_REJECTED;
}

static void emit_skip(const char *type, const struct wl *w, int size, int nq,
                      const char *why)
{
    emit("{\"type\":\"%s\",\"label\":\"%s\",\"alg\":\"%s\",\"op\":\"%s\","
         "\"size\":%d,\"queues\":%d,\"skip\":\"%s\"}", type, opt_label,
         w->name, w->op, size, nq, why);
}

static void dev_point(const char *type, const struct wl *w, int size, int nq)
{
    static struct run r;
    const char *why = dev_unsupported(w);
    struct result res;
    uint32_t status = 0;
    double p50, p99, pmax;
    int inflight, nqmp;
    int neg = -1;

    if (dev_dead) {
        emit_skip(type, w, size, nq, "device stalled earlier");
        return;
    }
    if (why) {
        emit_skip(type, w, size, nq, why);
        return;
    }
    if (nq > vd.nq) {
        emit_skip(type, w, size, nq, "not enough queues");
        return;
    }
    memset(&r, 0, sizeof(r));
    r.w = w;
    r.size = size;
    r.check_every = opt_smoke ? 1 : 61;
    fill_rand(r.key, sizeof(r.key));
    switch (w->kind) {
    case K_CIPHER:
        r.outlen = size;
        break;
    case K_AEAD:
        r.outlen = size + w->taglen;
        break;
    case K_HASH:
    case K_MAC:
        r.outlen = w->taglen;
        break;
    case K_RSA:
        r.outlen = w->akop == AK_VERIFY ? 0 : rsa_k(w);
        break;
    case K_ECDSA:
        r.outlen = w->akop == AK_VERIFY ? 0 : 72;
        break;
    }
    if (w->kind == K_CIPHER || w->kind == K_AEAD) {
        gc_check(gcry_cipher_open(&r.gc, w->gc_algo, w->gc_mode, 0), "open");
        gc_check(gcry_cipher_setkey(r.gc, r.key, w->keylen), "setkey");
    }
    if (!wl_is_sym(w)) {
        asym_prepare(&r);
    }
    if (!session_create(w, r.key, &r.sid, &status)) {
        char msg[64];

        snprintf(msg, sizeof(msg), "create session: status %u", status);
        emit_skip(type, w, size, nq, msg);
        failures++;
        goto out;
    }
    if (opt_smoke) {
        inflight = 128;
    } else if (opt_inflight) {
        inflight = opt_inflight;
    } else if (wl_is_sym(w)) {
        inflight = (8 << 20) / size;
        inflight = inflight < 64 ? 64 : inflight > 1024 ? 1024 : inflight;
    } else {
        /* enough to keep the device busy, not minutes of backlog */
        inflight = w->bits >= 4096 ? 8 : 32;
    }
    res = run_load(&r, nq, inflight);
    nqmp = qmp_end(&p50, &p99, &pmax);
    if (res.timeout) {
        dev_dead = true;
    } else if (w->akop == AK_VERIFY) {
        neg = verify_negative(&r);
    }
    if (!dev_dead) {
        session_destroy(w, r.sid);
    }
    if (res.mismatches || res.errors || res.timeout || neg == 0) {
        failures++;
    }
    emit("{\"type\":\"%s\",\"label\":\"%s\",\"alg\":\"%s\",\"op\":\"%s\","
         "\"size\":%d,\"queues\":%d,\"ops\":%.1f,\"mbps\":%.1f,"
         "\"secs\":%.2f,\"inflight\":%d,\"checked\":%ld,\"errors\":%ld,"
         "\"mismatches\":%ld,\"kicks\":%ld,\"neg_verify\":%d,"
         "\"qmp_n\":%d,\"qmp_p50_ms\":%.3f,\"qmp_p99_ms\":%.3f,"
         "\"qmp_max_ms\":%.3f,\"harness_cpu\":%.2f,\"qemu_cpu\":%.2f,"
         "\"ok\":%s}", type, opt_label, w->name, w->op,
         size, nq, res.ops, res.ops * size / 1e6, res.secs, inflight,
         res.checked, res.errors, res.mismatches, res.kicks, neg, nqmp, p50,
         p99, pmax, res.harness_cpu, res.qemu_cpu,
         !res.mismatches && !res.errors && !res.timeout && neg != 0 &&
         res.checked > 0 ? "true" : "false");
out:
    if (r.gc) {
        gcry_cipher_close(r.gc);
    }
    memset(r.key, 0, sizeof(r.key));
}

static const struct wl *wl_find(const char *name, const char *op)
{
    for (int i = 0; i < NWL; i++) {
        if (!strcmp(wls[i].name, name) && !strcmp(wls[i].op, op)) {
            return &wls[i];
        }
    }
    die("no workload %s/%s", name, op);
    return NULL;
}

static void run_device(const char *bin, int queues, bool scale)
{
    pthread_t th;
    double p50, p99, pmax;
    int n;

    qemu_start(bin, queues);
    ram_next = RAM_POOL;
    dev_init(queues);
    ctrl_out = galloc(8192, 4096);
    ctrl_in = galloc(64, 64);
    for (int qi = 0; qi < vd.nq; qi++) {
        struct qstate *st = &qs[qi];

        st->q = &vd.dq[qi];
        st->q->dps = vd.indirect ? 1 : 5;
        st->q->nslots = st->q->size / st->q->dps;
        st->pool_slots = st->q->nslots;
        st->pool = galloc((size_t)st->pool_slots * SLOT_STRIDE, 4096);
        st->s = xmalloc(st->pool_slots * sizeof(*st->s));
        for (int k = 0; k < st->pool_slots; k++) {
            st->s[k].gpa = st->pool + (uint64_t)k * SLOT_STRIDE;
        }
    }
    if (pthread_create(&th, NULL, qmp_thread, NULL)) {
        die("pthread_create");
    }
    if (opt_smoke) {
        const struct wl *w = wl_find("aes-128-cbc", "enc");

        for (int i = 0; i < NWL && dev_unsupported(w); i++) {
            w = &wls[i];
        }
        if (dev_unsupported(w)) {
            die("smoke: the device advertises nothing this tool can run");
        }
        dev_point("dev", w, 4096, 1);
    } else {
        /* QMP round trip with the device idle */
        qmp_begin();
        usleep((opt_time < 1 ? opt_time : 1.0) * 1e6);
        n = qmp_end(&p50, &p99, &pmax);
        emit("{\"type\":\"idle\",\"label\":\"%s\",\"qmp_n\":%d,"
             "\"qmp_p50_ms\":%.3f,\"qmp_p99_ms\":%.3f,\"qmp_max_ms\":%.3f}",
             opt_label, n, p50, p99, pmax);
        for (int i = 0; i < NWL; i++) {
            const struct wl *w = &wls[i];

            if (!wl_selected(w)) {
                continue;
            }
            if (wl_is_sym(w)) {
                for (int s = 0; s < nsizes; s++) {
                    dev_point("dev", w, sizes[s], 1);
                }
            } else {
                dev_point("dev", w, w->akop == AK_DECRYPT ? (int)rsa_k(w) : 32,
                          1);
            }
        }
        if (scale) {
            static const struct { const char *n, *o; int size; } sc[] = {
                { "aes-256-xts", "enc", 4096 },
                { "aes-256-xts", "enc", 65536 },
                { "aes-128-cbc", "enc", 64 },
            };

            /* twice, interleaved: the report keeps the better of the two */
            for (unsigned i = 0; i < sizeof(sc) / sizeof(sc[0]); i++) {
                for (int rep = 0; rep < 2; rep++) {
                    for (int q = 1; q <= queues; q++) {
                        dev_point("scale", wl_find(sc[i].n, sc[i].o),
                                  sc[i].size, q);
                    }
                }
            }
        }
    }
    qmp_stop = true;
    qemu_stop();
    pthread_join(th, NULL);
}

static void usage(void)
{
    fprintf(stderr,
            "usage: vc-bench device --qemu BIN [--label L] [--queues N] "
            "[--scale] [--smoke] [--inflight N]\n"
            "       [--device-args PROP=V,...]\n"
            "       vc-bench raw\n"
            "common: [--time SECS] [--sizes 64,4096,...] [--keys DIR] "
            "[--only alg/op,...]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    static const struct option lo[] = {
        { "qemu", 1, NULL, 'q' }, { "label", 1, NULL, 'l' },
        { "queues", 1, NULL, 'n' }, { "time", 1, NULL, 't' },
        { "sizes", 1, NULL, 's' }, { "keys", 1, NULL, 'k' },
        { "only", 1, NULL, 'o' }, { "smoke", 0, NULL, 'S' },
        { "scale", 0, NULL, 'c' }, { "inflight", 1, NULL, 'i' },
        { "device-args", 1, NULL, 'D' },
        { NULL, 0, NULL, 0 },
    };
    const char *mode, *bin = NULL;
    int queues = 1, c;
    bool scale = false;

    if (argc < 2) {
        usage();
    }
    mode = argv[1];
    optind = 2;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 'q':
            bin = optarg;
            break;
        case 'l':
            opt_label = optarg;
            break;
        case 'n':
            queues = atoi(optarg);
            break;
        case 't':
            opt_time = atof(optarg);
            break;
        case 's': {
            char *dup = strdup(optarg), *tok, *save = NULL;

            nsizes = 0;
            for (tok = strtok_r(dup, ",", &save); tok && nsizes < 16;
                 tok = strtok_r(NULL, ",", &save)) {
                sizes[nsizes] = atoi(tok);
                if (sizes[nsizes] < 16 || sizes[nsizes] > MAX_SIZE ||
                    sizes[nsizes] % 16) {
                    die("size %s: need a multiple of 16 in 16..%d", tok,
                        MAX_SIZE);
                }
                nsizes++;
            }
            free(dup);
            break;
        }
        case 'k':
            opt_keydir = optarg;
            break;
        case 'o':
            opt_only = optarg;
            break;
        case 'S':
            opt_smoke = 1;
            break;
        case 'c':
            scale = true;
            break;
        case 'D':
            opt_device_args = optarg;
            break;
        case 'i':
            opt_inflight = atoi(optarg);
            if (opt_inflight < 1 || opt_inflight > 1024) {
                die("--inflight must be 1..1024");
            }
            break;
        default:
            usage();
        }
    }
    if (queues < 1 || queues > 4) {
        die("--queues must be 1..4");
    }
    (void)opt_quick;
    signal(SIGPIPE, SIG_IGN);
    prctl(PR_SET_TIMERSLACK, 1000UL);
    if (!gcry_check_version("1.10.0")) {
        die("libgcrypt too old");
    }
    gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
    gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
    getrandom(&rng_state, sizeof(rng_state), 0);
    rng_state |= 1;
    load_rsa(&rsa2048, 2048);
    load_rsa(&rsa4096, 4096);
    load_ec(&ecp256);
    opt_corrupt_ref = getenv("VC_BENCH_CORRUPT_REF") != NULL;
    if (!strcmp(mode, "raw")) {
        run_raw();
        run_raw_extra();
    } else if (!strcmp(mode, "device")) {
        if (!bin) {
            usage();
        }
        atexit(qemu_stop);
        run_device(bin, queues, scale);
    } else {
        usage();
    }
    if (failures) {
        fprintf(stderr, "vc-bench: %d failure(s)\n", failures);
        return 1;
    }
    return 0;
}
