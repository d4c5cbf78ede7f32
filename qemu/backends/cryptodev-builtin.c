/*
 * Cryptodev backend executing requests with QEMU's qcrypto library
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The backend owns its sessions, keyed by a backend handle.  Executing an
 * operation touches only the session and the buffers of the operation,
 * never the device.  Capabilities are probed from qcrypto at init, so a
 * build advertises only what its crypto library really does.
 *
 * Threads: operations run on the device's per-queue worker threads, while
 * sessions are created and closed from the control queue (main loop) or
 * from those workers (stateless requests).  qcrypto contexts carry state
 * (IV, hash state) and are not thread safe, and one session may be used
 * from every queue at once (AMB-9).  So a session keeps a copy of its
 * parameters and keys, and one qcrypto context set ("instance") per data
 * queue, built on that queue's first use and touched only by that queue.
 * The handle table is a QHT, looked up under RCU without a lock; creating
 * and closing sessions is serialised by a mutex.  An operation holds a
 * reference on its session, so a close while it runs frees the session's
 * qcrypto contexts (and wipes its key copies) when the last operation is
 * done, at once otherwise; only the entry's memory waits for call_rcu(),
 * for lookups that found it just before the close.  (Deferring the whole
 * free to call_rcu() kept a batch of stateless sessions' HMAC contexts
 * alive until the batch ended, which exhausted libgcrypt's secure memory.)
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "qemu/atomic.h"
#include "qemu/thread.h"
#include "qemu/qht.h"
#include "qemu/rcu.h"
#include "qemu/xxhash.h"
#include "qapi/error.h"
#include "qom/object.h"
#include "sysemu/cryptodev.h"
#include "standard-headers/linux/virtio_crypto.h"
#include "crypto/cipher.h"
#include "crypto/hash.h"
#include "crypto/hmac.h"
#include "crypto/aead.h"
#include "crypto/akcipher.h"
#include "crypto/mac.h"
#include "crypto/wipe.h"

#define TYPE_CRYPTODEV_BACKEND_BUILTIN "cryptodev-backend-builtin"
OBJECT_DECLARE_SIMPLE_TYPE(CryptoDevBackendBuiltin, CRYPTODEV_BACKEND_BUILTIN)

/* Largest key among the supported ciphers: AES-256-XTS (3DES: 24) */
#define CRYPTODEV_BUILTIN_MAX_CIPHER_KEY_LEN 64
/* Backend-side cap on one request's variable data; the device may lower it */
#define CRYPTODEV_BUILTIN_MAX_SIZE           (64 * MiB)
/* Largest HMAC key; longer keys are hashed by HMAC anyway */
#define CRYPTODEV_BUILTIN_MAX_AUTH_KEY_LEN   512
/* Backend-side cap on live sessions, whoever the caller is */
#define CRYPTODEV_BUILTIN_MAX_SESSIONS       (1u << 20)

typedef enum CryptoDevBuiltinKind {
    CRYPTODEV_BUILTIN_CIPHER,
    CRYPTODEV_BUILTIN_HASH,
    CRYPTODEV_BUILTIN_HMAC,
    CRYPTODEV_BUILTIN_AEAD,
    CRYPTODEV_BUILTIN_AKCIPHER,
    CRYPTODEV_BUILTIN_CMAC,
} CryptoDevBuiltinKind;

typedef struct CryptoDevBuiltinSession {
    CryptoDevBuiltinKind kind;
    /* CIPHER */
    QCryptoCipher *cipher;
    QCryptoCipherMode mode;
    size_t iv_len;      /* 0 when the mode takes no IV */
    size_t block_len;
    /* HASH and HMAC */
    QCryptoHashAlgorithm hash_alg;
    QCryptoHmac *hmac;
    QCryptoMac *cmac;
    size_t result_len;  /* at most the digest length */
    /* CIPHER with chaining: cipher fields + hash_alg or hmac */
    uint32_t chain_order;   /* 0 for a plain cipher session */
    /* AEAD */
    QCryptoAEAD *aead;
    /* AKCIPHER */
    QCryptoAkCipher *akcipher;
    bool akc_private;   /* private key: all four operations (AMB-8) */
    bool akc_can_sign;  /* RSA-PKCS1 with a hash, or ECDSA */
    bool akc_can_crypt; /* RSA only */
    bool akc_ecdsa;
} CryptoDevBuiltinSession;

/* ECDSA is algorithm 2, the spec's number (AMB-1) */
#define CRYPTODEV_BUILTIN_AKCIPHER_ECDSA 2

/* virtio RSA hash -> qcrypto; false for none or one qcrypto lacks */
static bool cryptodev_builtin_rsa_hash(uint32_t hash, QCryptoHashAlgorithm *alg)
{
    switch (hash) {
    case VIRTIO_CRYPTO_RSA_MD5:
        *alg = QCRYPTO_HASH_ALG_MD5;
        return true;
    case VIRTIO_CRYPTO_RSA_SHA1:
        *alg = QCRYPTO_HASH_ALG_SHA1;
        return true;
    case VIRTIO_CRYPTO_RSA_SHA224:
        *alg = QCRYPTO_HASH_ALG_SHA224;
        return true;
    case VIRTIO_CRYPTO_RSA_SHA256:
        *alg = QCRYPTO_HASH_ALG_SHA256;
        return true;
    case VIRTIO_CRYPTO_RSA_SHA384:
        *alg = QCRYPTO_HASH_ALG_SHA384;
        return true;
    case VIRTIO_CRYPTO_RSA_SHA512:
        *alg = QCRYPTO_HASH_ALG_SHA512;
        return true;
    default:
        return false;
    }
}

/* virtio AEAD algorithm -> qcrypto, with the key sizes it takes */
static const struct {
    uint32_t algo;
    QCryptoAEADAlgorithm alg;
    size_t key_lens[3];
} cryptodev_builtin_aeads[] = {
    { VIRTIO_CRYPTO_AEAD_GCM, QCRYPTO_AEAD_ALG_AES_GCM, { 16, 24, 32 } },
    { VIRTIO_CRYPTO_AEAD_CCM, QCRYPTO_AEAD_ALG_AES_CCM, { 16, 24, 32 } },
    { VIRTIO_CRYPTO_AEAD_CHACHA20_POLY1305,
      QCRYPTO_AEAD_ALG_CHACHA20_POLY1305, { 32 } },
};

/* True if every key size of AEAD entry @i works in this build */
static bool cryptodev_builtin_aead_supported(size_t i)
{
    size_t k;

    for (k = 0; k < ARRAY_SIZE(cryptodev_builtin_aeads[i].key_lens); k++) {
        size_t nkey = cryptodev_builtin_aeads[i].key_lens[k];

        if (nkey &&
            !qcrypto_aead_supports(cryptodev_builtin_aeads[i].alg, nkey)) {
            return false;
        }
    }
    return true;
}

/* virtio hash / HMAC algorithm numbers -> qcrypto, 0 if not handled */
static const struct {
    uint32_t hash;
    uint32_t mac;
    QCryptoHashAlgorithm alg;
} cryptodev_builtin_hashes[] = {
    { VIRTIO_CRYPTO_HASH_SHA1, VIRTIO_CRYPTO_MAC_HMAC_SHA1,
      QCRYPTO_HASH_ALG_SHA1 },
    { VIRTIO_CRYPTO_HASH_SHA_224, VIRTIO_CRYPTO_MAC_HMAC_SHA_224,
      QCRYPTO_HASH_ALG_SHA224 },
    { VIRTIO_CRYPTO_HASH_SHA_256, VIRTIO_CRYPTO_MAC_HMAC_SHA_256,
      QCRYPTO_HASH_ALG_SHA256 },
    { VIRTIO_CRYPTO_HASH_SHA_384, VIRTIO_CRYPTO_MAC_HMAC_SHA_384,
      QCRYPTO_HASH_ALG_SHA384 },
    { VIRTIO_CRYPTO_HASH_SHA_512, VIRTIO_CRYPTO_MAC_HMAC_SHA_512,
      QCRYPTO_HASH_ALG_SHA512 },
    /* virtio defines no HMAC over SHA-3: mac 0 = none */
    { VIRTIO_CRYPTO_HASH_SHA3_224, 0, QCRYPTO_HASH_ALG_SHA3_224 },
    { VIRTIO_CRYPTO_HASH_SHA3_256, 0, QCRYPTO_HASH_ALG_SHA3_256 },
    { VIRTIO_CRYPTO_HASH_SHA3_384, 0, QCRYPTO_HASH_ALG_SHA3_384 },
    { VIRTIO_CRYPTO_HASH_SHA3_512, 0, QCRYPTO_HASH_ALG_SHA3_512 },
};

static bool cryptodev_builtin_hash_alg(uint32_t algo, bool mac,
                                       QCryptoHashAlgorithm *alg)
{
    size_t i;

    if (algo == 0) {
        return false;
    }
    for (i = 0; i < ARRAY_SIZE(cryptodev_builtin_hashes); i++) {
        if (algo == (mac ? cryptodev_builtin_hashes[i].mac :
                           cryptodev_builtin_hashes[i].hash)) {
            *alg = cryptodev_builtin_hashes[i].alg;
            return true;
        }
    }
    return false;
}

/*
 * A session as the device sees it: its parameters (keys copied, wiped on
 * free) and one instance per data queue.
 */
typedef struct CryptoDevBuiltinEntry {
    struct rcu_head rcu;    /* first: freed by call_rcu() after release */
    uint64_t handle;
    int refcnt;         /* the table's reference + one per running op */
    CryptoDevBackendSessionInfo info;
    uint32_t nq;
    CryptoDevBuiltinSession *inst[];    /* [queue], built on first use */
} CryptoDevBuiltinEntry;

struct CryptoDevBackendBuiltin {
    CryptoDevBackend parent_obj;

    QemuMutex lock;         /* serialises writers of sessions, the rest */
    struct qht sessions;    /* handle -> CryptoDevBuiltinEntry, RCU readers */
    bool sessions_init;
    uint32_t nsessions;
    uint64_t next_handle;
};

/* qht: two entries are the same session if their handles are */
static bool cryptodev_builtin_entry_cmp(const void *a, const void *b)
{
    const CryptoDevBuiltinEntry *ea = a, *eb = b;

    return ea->handle == eb->handle;
}

/* The cipher algorithms of this backend: virtio number -> qcrypto */
static const struct {
    uint32_t algo;
    bool aes;               /* AES of any key size, else 3DES */
    QCryptoCipherMode mode;
} cryptodev_builtin_ciphers[] = {
    { VIRTIO_CRYPTO_CIPHER_AES_ECB, true, QCRYPTO_CIPHER_MODE_ECB },
    { VIRTIO_CRYPTO_CIPHER_AES_CBC, true, QCRYPTO_CIPHER_MODE_CBC },
    { VIRTIO_CRYPTO_CIPHER_AES_CTR, true, QCRYPTO_CIPHER_MODE_CTR },
    { VIRTIO_CRYPTO_CIPHER_AES_XTS, true, QCRYPTO_CIPHER_MODE_XTS },
    { VIRTIO_CRYPTO_CIPHER_3DES_ECB, false, QCRYPTO_CIPHER_MODE_ECB },
    { VIRTIO_CRYPTO_CIPHER_3DES_CBC, false, QCRYPTO_CIPHER_MODE_CBC },
    { VIRTIO_CRYPTO_CIPHER_3DES_CTR, false, QCRYPTO_CIPHER_MODE_CTR },
};

/* AES variant from the key length (XTS keys hold two AES keys) */
static bool cryptodev_builtin_aes_alg(QCryptoCipherMode mode, size_t key_len,
                                      QCryptoCipherAlgorithm *alg)
{
    size_t aes_len = key_len;

    if (mode == QCRYPTO_CIPHER_MODE_XTS) {
        if (key_len % 2) {
            return false;
        }
        aes_len = key_len / 2;
    }
    switch (aes_len) {
    case 16:
        *alg = QCRYPTO_CIPHER_ALG_AES_128;
        return true;
    case 24:
        *alg = QCRYPTO_CIPHER_ALG_AES_192;
        return true;
    case 32:
        *alg = QCRYPTO_CIPHER_ALG_AES_256;
        return true;
    default:
        return false;
    }
}

/*
 * virtio cipher algorithm and key length -> qcrypto algorithm and mode.
 * Returns 0, -VIRTIO_CRYPTO_NOTSUPP for an algorithm this backend does not
 * have, or -VIRTIO_CRYPTO_ERR for a key length the algorithm cannot take.
 */
static int cryptodev_builtin_cipher_params(uint32_t algo, size_t key_len,
                                           QCryptoCipherAlgorithm *alg,
                                           QCryptoCipherMode *mode)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cryptodev_builtin_ciphers); i++) {
        if (cryptodev_builtin_ciphers[i].algo != algo) {
            continue;
        }
        *mode = cryptodev_builtin_ciphers[i].mode;
        if (cryptodev_builtin_ciphers[i].aes) {
            return cryptodev_builtin_aes_alg(*mode, key_len, alg) ?
                   0 : -VIRTIO_CRYPTO_ERR;
        }
        /* 3DES: three independent 8-byte keys (keying option 1) */
        *alg = QCRYPTO_CIPHER_ALG_3DES;
        return key_len == 24 ? 0 : -VIRTIO_CRYPTO_ERR;
    }
    return -VIRTIO_CRYPTO_NOTSUPP;
}

static bool cryptodev_builtin_cipher_supported(size_t i)
{
    QCryptoCipherMode mode = cryptodev_builtin_ciphers[i].mode;

    if (!cryptodev_builtin_ciphers[i].aes) {
        return qcrypto_cipher_supports(QCRYPTO_CIPHER_ALG_3DES, mode);
    }
    return qcrypto_cipher_supports(QCRYPTO_CIPHER_ALG_AES_128, mode) &&
           qcrypto_cipher_supports(QCRYPTO_CIPHER_ALG_AES_192, mode) &&
           qcrypto_cipher_supports(QCRYPTO_CIPHER_ALG_AES_256, mode);
}

static void cryptodev_builtin_session_free(CryptoDevBuiltinSession *sess)
{
    if (!sess) {
        return;
    }
    /* qcrypto wipes its key schedules when the contexts are freed */
    qcrypto_cipher_free(sess->cipher);
    qcrypto_hmac_free(sess->hmac);
    qcrypto_aead_free(sess->aead);
    qcrypto_mac_free(sess->cmac);
    if (sess->akcipher) {
        /* Unlike the other qcrypto frees, this one does not take NULL */
        qcrypto_akcipher_free(sess->akcipher);
    }
    g_free(sess);
}

static void cryptodev_builtin_init(CryptoDevBackend *backend, Error **errp)
{
    CryptoDevBackendBuiltin *builtin = CRYPTODEV_BACKEND_BUILTIN(backend);
    uint32_t queues = backend->conf.peers.queues;
    uint32_t i;

    if (queues < 1 || queues > MAX_CRYPTO_QUEUE_NUM) {
        error_setg(errp, "queues must be 1..%d", MAX_CRYPTO_QUEUE_NUM);
        return;
    }

    for (i = 0; i < queues; i++) {
        CryptoDevBackendClient *cc =
            cryptodev_backend_new_client("cryptodev-builtin", NULL);

        cc->info_str = g_strdup_printf("cryptodev-builtin%u", i);
        cc->queue_index = i;
        cc->type = CRYPTODEV_BACKEND_TYPE_BUILTIN;
        backend->conf.peers.ccs[i] = cc;
    }

    qemu_mutex_init(&builtin->lock);
    qht_init(&builtin->sessions, cryptodev_builtin_entry_cmp, 64,
             QHT_MODE_AUTO_RESIZE);
    builtin->sessions_init = true;
    builtin->next_handle = 1;

    backend->conf.cipher_algo_l = 0;
    for (i = 0; i < ARRAY_SIZE(cryptodev_builtin_ciphers); i++) {
        if (cryptodev_builtin_cipher_supported(i)) {
            backend->conf.cipher_algo_l |=
                1u << cryptodev_builtin_ciphers[i].algo;
        }
    }
    backend->conf.hash_algo = 0;
    backend->conf.mac_algo_l = 0;
    for (i = 0; i < ARRAY_SIZE(cryptodev_builtin_hashes); i++) {
        QCryptoHashAlgorithm alg = cryptodev_builtin_hashes[i].alg;

        if (qcrypto_hash_supports(alg)) {
            backend->conf.hash_algo |= 1u << cryptodev_builtin_hashes[i].hash;
        }
        if (cryptodev_builtin_hashes[i].mac && qcrypto_hmac_supports(alg)) {
            backend->conf.mac_algo_l |= 1u << cryptodev_builtin_hashes[i].mac;
        }
    }
    /* CMAC-AES with any AES key size; GMAC needs an IV virtio has not */
    if (qcrypto_mac_supports(QCRYPTO_MAC_ALG_CMAC_AES, 16) &&
        qcrypto_mac_supports(QCRYPTO_MAC_ALG_CMAC_AES, 24) &&
        qcrypto_mac_supports(QCRYPTO_MAC_ALG_CMAC_AES, 32)) {
        backend->conf.mac_algo_l |= 1u << VIRTIO_CRYPTO_MAC_CMAC_AES;
    }
    backend->conf.aead_algo = 0;
    for (i = 0; i < ARRAY_SIZE(cryptodev_builtin_aeads); i++) {
        if (cryptodev_builtin_aead_supported(i)) {
            backend->conf.aead_algo |= 1u << cryptodev_builtin_aeads[i].algo;
        }
    }
    backend->conf.crypto_services = 0;
    if (backend->conf.aead_algo) {
        backend->conf.crypto_services |= 1u << VIRTIO_CRYPTO_SERVICE_AEAD;
    }
    if (backend->conf.cipher_algo_l) {
        backend->conf.crypto_services |= 1u << VIRTIO_CRYPTO_SERVICE_CIPHER;
    }
    if (backend->conf.hash_algo) {
        backend->conf.crypto_services |= 1u << VIRTIO_CRYPTO_SERVICE_HASH;
    }
    if (backend->conf.mac_algo_l) {
        backend->conf.crypto_services |= 1u << VIRTIO_CRYPTO_SERVICE_MAC;
    }
    backend->conf.cipher_algo_h = 0;
    backend->conf.mac_algo_h = 0;
    backend->conf.akcipher_algo = 0;
    {
        QCryptoAkCipherOptions rsa_raw = {
            .alg = QCRYPTO_AKCIPHER_ALG_RSA,
            .u.rsa.padding_alg = QCRYPTO_RSA_PADDING_ALG_RAW,
        };
        QCryptoAkCipherOptions rsa_pkcs1 = {
            .alg = QCRYPTO_AKCIPHER_ALG_RSA,
            .u.rsa.padding_alg = QCRYPTO_RSA_PADDING_ALG_PKCS1,
            .u.rsa.hash_alg = QCRYPTO_HASH_ALG_SHA256,
        };
        QCryptoAkCipherOptions ecdsa = {
            .alg = QCRYPTO_AKCIPHER_ALG_ECDSA,
            .u.ecdsa.curve = QCRYPTO_AKCIPHER_ECDSA_CURVE_NIST_P256,
        };

        /* RSA only when both paddings work (nettle has no raw RSA) */
        if (qcrypto_akcipher_supports(&rsa_raw) &&
            qcrypto_akcipher_supports(&rsa_pkcs1)) {
            backend->conf.akcipher_algo |= 1u << VIRTIO_CRYPTO_AKCIPHER_RSA;
        }
        if (qcrypto_akcipher_supports(&ecdsa)) {
            backend->conf.akcipher_algo |=
                1u << CRYPTODEV_BUILTIN_AKCIPHER_ECDSA;
        }
    }
    if (backend->conf.akcipher_algo) {
        backend->conf.crypto_services |= 1u << VIRTIO_CRYPTO_SERVICE_AKCIPHER;
    }
    backend->conf.max_cipher_key_len =
        (backend->conf.cipher_algo_l & (1u << VIRTIO_CRYPTO_CIPHER_AES_XTS)) ?
        CRYPTODEV_BUILTIN_MAX_CIPHER_KEY_LEN : 32;
    backend->conf.max_auth_key_len = backend->conf.mac_algo_l ?
                                     CRYPTODEV_BUILTIN_MAX_AUTH_KEY_LEN : 0;
    backend->conf.max_size = CRYPTODEV_BUILTIN_MAX_SIZE;

    cryptodev_backend_set_ready(backend, true);
}

static int cryptodev_builtin_create_cipher(CryptoDevBackendSymSessionInfo *si,
                                           CryptoDevBuiltinSession **out)
{
    CryptoDevBuiltinSession *sess;
    QCryptoCipherAlgorithm alg;
    QCryptoCipherMode mode;
    QCryptoCipher *cipher;
    int ret;

    QCryptoHashAlgorithm hash_alg = QCRYPTO_HASH_ALG_SHA256;
    QCryptoHmac *hmac = NULL;
    bool chain = si->op_type == VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING;

    if (si->op_type != VIRTIO_CRYPTO_SYM_OP_CIPHER && !chain) {
        return -VIRTIO_CRYPTO_NOTSUPP;
    }
    ret = cryptodev_builtin_cipher_params(si->cipher_alg, si->key_len, &alg,
                                          &mode);
    if (ret < 0) {
        return ret;
    }
    if (chain) {
        bool auth = si->hash_mode == VIRTIO_CRYPTO_SYM_HASH_MODE_AUTH;

        if ((si->alg_chain_order !=
             VIRTIO_CRYPTO_SYM_ALG_CHAIN_ORDER_HASH_THEN_CIPHER &&
             si->alg_chain_order !=
             VIRTIO_CRYPTO_SYM_ALG_CHAIN_ORDER_CIPHER_THEN_HASH) ||
            (si->hash_mode != VIRTIO_CRYPTO_SYM_HASH_MODE_PLAIN && !auth) ||
            !cryptodev_builtin_hash_alg(si->hash_alg, auth, &hash_alg)) {
            return -VIRTIO_CRYPTO_NOTSUPP;
        }
        if (si->hash_result_len == 0 ||
            si->hash_result_len > qcrypto_hash_digest_len(hash_alg) ||
            si->auth_key_len > CRYPTODEV_BUILTIN_MAX_AUTH_KEY_LEN) {
            return -VIRTIO_CRYPTO_ERR;
        }
    }

    /* The error text names lengths only, never key bytes */
    cipher = qcrypto_cipher_new(alg, mode, si->cipher_key, si->key_len, NULL);
    if (!cipher) {
        return -VIRTIO_CRYPTO_ERR;
    }
    if (chain && si->hash_mode == VIRTIO_CRYPTO_SYM_HASH_MODE_AUTH) {
        hmac = qcrypto_hmac_new(hash_alg, si->auth_key, si->auth_key_len,
                                NULL);
        if (!hmac) {
            qcrypto_cipher_free(cipher);
            return -VIRTIO_CRYPTO_ERR;
        }
    }

    sess = g_new0(CryptoDevBuiltinSession, 1);
    sess->kind = CRYPTODEV_BUILTIN_CIPHER;
    sess->cipher = cipher;
    sess->mode = mode;
    sess->iv_len = qcrypto_cipher_get_iv_len(alg, mode);
    sess->block_len = qcrypto_cipher_get_block_len(alg);
    if (chain) {
        sess->chain_order = si->alg_chain_order;
        sess->hash_alg = hash_alg;
        sess->hmac = hmac;
        sess->result_len = si->hash_result_len;
    }

    *out = sess;
    return 0;
}

/* CMAC-AES (RFC 4493): the auth key is the AES key */
static int cryptodev_builtin_create_cmac(CryptoDevBackendSymSessionInfo *si,
                                         CryptoDevBuiltinSession **out)
{
    CryptoDevBuiltinSession *sess;
    QCryptoMac *cmac;

    /* SP 800-38B: a CMAC tag of at least 32 bits */
    if (si->hash_result_len < 4 ||
        si->hash_result_len > QCRYPTO_MAC_MAX_LEN ||
        !qcrypto_mac_supports(QCRYPTO_MAC_ALG_CMAC_AES, si->auth_key_len)) {
        return -VIRTIO_CRYPTO_ERR;
    }
    cmac = qcrypto_mac_new(QCRYPTO_MAC_ALG_CMAC_AES, si->auth_key,
                           si->auth_key_len, NULL);
    if (!cmac) {
        return -VIRTIO_CRYPTO_ERR;
    }
    sess = g_new0(CryptoDevBuiltinSession, 1);
    sess->kind = CRYPTODEV_BUILTIN_CMAC;
    sess->cmac = cmac;
    sess->result_len = si->hash_result_len;
    *out = sess;
    return 0;
}

static int cryptodev_builtin_create_hash(CryptoDevBackendSymSessionInfo *si,
                                         bool mac,
                                         CryptoDevBuiltinSession **out)
{
    CryptoDevBuiltinSession *sess;
    QCryptoHashAlgorithm alg;
    QCryptoHmac *hmac = NULL;

    if (mac && si->hash_alg == VIRTIO_CRYPTO_MAC_CMAC_AES) {
        return cryptodev_builtin_create_cmac(si, out);
    }
    if (!cryptodev_builtin_hash_alg(si->hash_alg, mac, &alg)) {
        return -VIRTIO_CRYPTO_NOTSUPP;
    }
    if (si->hash_result_len == 0 ||
        si->hash_result_len > qcrypto_hash_digest_len(alg)) {
        return -VIRTIO_CRYPTO_ERR;
    }
    if (mac) {
        if (si->auth_key_len > CRYPTODEV_BUILTIN_MAX_AUTH_KEY_LEN) {
            return -VIRTIO_CRYPTO_ERR;
        }
        hmac = qcrypto_hmac_new(alg, si->auth_key, si->auth_key_len, NULL);
        if (!hmac) {
            return -VIRTIO_CRYPTO_ERR;
        }
    }

    sess = g_new0(CryptoDevBuiltinSession, 1);
    sess->kind = mac ? CRYPTODEV_BUILTIN_HMAC : CRYPTODEV_BUILTIN_HASH;
    sess->hash_alg = alg;
    sess->hmac = hmac;
    sess->result_len = si->hash_result_len;

    *out = sess;
    return 0;
}

static int cryptodev_builtin_create_aead(CryptoDevBackendSymSessionInfo *si,
                                         CryptoDevBuiltinSession **out)
{
    CryptoDevBuiltinSession *sess;
    QCryptoAEAD *aead;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cryptodev_builtin_aeads); i++) {
        if (cryptodev_builtin_aeads[i].algo == si->cipher_alg) {
            break;
        }
    }
    if (i == ARRAY_SIZE(cryptodev_builtin_aeads)) {
        return -VIRTIO_CRYPTO_NOTSUPP;
    }
    if (!qcrypto_aead_supports(cryptodev_builtin_aeads[i].alg, si->key_len)) {
        return -VIRTIO_CRYPTO_ERR;
    }
    /* The tag length alone: 12 is a valid nonce size for every algorithm */
    if (qcrypto_aead_check_params(cryptodev_builtin_aeads[i].alg, 12,
                                  si->hash_result_len, NULL) < 0) {
        return -VIRTIO_CRYPTO_ERR;
    }
    aead = qcrypto_aead_new(cryptodev_builtin_aeads[i].alg, si->cipher_key,
                            si->key_len, NULL);
    if (!aead) {
        return -VIRTIO_CRYPTO_ERR;
    }

    sess = g_new0(CryptoDevBuiltinSession, 1);
    sess->kind = CRYPTODEV_BUILTIN_AEAD;
    sess->aead = aead;
    sess->result_len = si->hash_result_len;
    *out = sess;
    return 0;
}

static int
cryptodev_builtin_create_akcipher(CryptoDevBackendAsymSessionInfo *si,
                                  CryptoDevBuiltinSession **out)
{
    QCryptoAkCipherOptions opts = { 0 };
    CryptoDevBuiltinSession *sess;
    QCryptoAkCipher *akcipher;
    bool can_sign = true, can_crypt = false;

    switch (si->algo) {
    case VIRTIO_CRYPTO_AKCIPHER_RSA:
        opts.alg = QCRYPTO_AKCIPHER_ALG_RSA;
        can_crypt = true;
        if (si->u.rsa.padding_algo == VIRTIO_CRYPTO_RSA_RAW_PADDING) {
            /* INL-CTRL-5: RAW sessions never sign or verify */
            opts.u.rsa.padding_alg = QCRYPTO_RSA_PADDING_ALG_RAW;
            can_sign = false;
        } else if (si->u.rsa.padding_algo == VIRTIO_CRYPTO_RSA_PKCS1_PADDING) {
            opts.u.rsa.padding_alg = QCRYPTO_RSA_PADDING_ALG_PKCS1;
            if (si->u.rsa.hash_algo == VIRTIO_CRYPTO_RSA_NO_HASH) {
                /* Encrypt/decrypt need no hash (AMB-6) */
                opts.u.rsa.hash_alg = QCRYPTO_HASH_ALG_SHA256;
                can_sign = false;
            } else if (!cryptodev_builtin_rsa_hash(si->u.rsa.hash_algo,
                                                   &opts.u.rsa.hash_alg)) {
                /* MD2, MD3, MD4 and unknown hashes (AMB-6) */
                return -VIRTIO_CRYPTO_NOTSUPP;
            }
        } else {
            return -VIRTIO_CRYPTO_NOTSUPP;
        }
        break;
    case CRYPTODEV_BUILTIN_AKCIPHER_ECDSA:
        opts.alg = QCRYPTO_AKCIPHER_ALG_ECDSA;
        if (si->u.ecdsa.curve_id == VIRTIO_CRYPTO_CURVE_NIST_P256) {
            opts.u.ecdsa.curve = QCRYPTO_AKCIPHER_ECDSA_CURVE_NIST_P256;
        } else if (si->u.ecdsa.curve_id == VIRTIO_CRYPTO_CURVE_NIST_P384) {
            opts.u.ecdsa.curve = QCRYPTO_AKCIPHER_ECDSA_CURVE_NIST_P384;
        } else {
            return -VIRTIO_CRYPTO_NOTSUPP;
        }
        break;
    default:
        return -VIRTIO_CRYPTO_NOTSUPP;
    }
    if (!qcrypto_akcipher_supports(&opts)) {
        return -VIRTIO_CRYPTO_NOTSUPP;
    }
    /* AMB-21: a key that does not parse is ERR; qcrypto parses the DER */
    akcipher = qcrypto_akcipher_new(&opts,
                                    si->keytype ==
                                    VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PRIVATE ?
                                    QCRYPTO_AKCIPHER_KEY_TYPE_PRIVATE :
                                    QCRYPTO_AKCIPHER_KEY_TYPE_PUBLIC,
                                    si->key, si->keylen, NULL);
    if (!akcipher) {
        return -VIRTIO_CRYPTO_ERR;
    }

    sess = g_new0(CryptoDevBuiltinSession, 1);
    sess->kind = CRYPTODEV_BUILTIN_AKCIPHER;
    sess->akcipher = akcipher;
    sess->akc_private = si->keytype == VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PRIVATE;
    sess->akc_can_sign = can_sign;
    sess->akc_can_crypt = can_crypt;
    sess->akc_ecdsa = opts.alg == QCRYPTO_AKCIPHER_ALG_ECDSA;
    *out = sess;
    return 0;
}

/* Build one instance (qcrypto contexts) from a session's parameters */
static int cryptodev_builtin_build(CryptoDevBackendSessionInfo *info,
                                   CryptoDevBuiltinSession **out)
{
    switch (info->op_code) {
    case VIRTIO_CRYPTO_CIPHER_CREATE_SESSION:
        return cryptodev_builtin_create_cipher(&info->u.sym_sess_info, out);
    case VIRTIO_CRYPTO_AEAD_CREATE_SESSION:
        return cryptodev_builtin_create_aead(&info->u.sym_sess_info, out);
    case VIRTIO_CRYPTO_AKCIPHER_CREATE_SESSION:
        return cryptodev_builtin_create_akcipher(&info->u.asym_sess_info,
                                                 out);
    case VIRTIO_CRYPTO_HASH_CREATE_SESSION:
    case VIRTIO_CRYPTO_MAC_CREATE_SESSION:
        return cryptodev_builtin_create_hash(&info->u.sym_sess_info,
                                             info->op_code ==
                                             VIRTIO_CRYPTO_MAC_CREATE_SESSION,
                                             out);
    default:
        return -VIRTIO_CRYPTO_NOTSUPP;
    }
}

/* The key bytes of @info, as (pointer, length) pairs */
static void cryptodev_builtin_info_keys(CryptoDevBackendSessionInfo *info,
                                        uint8_t ***keys, size_t *lens)
{
    if (info->op_code == VIRTIO_CRYPTO_AKCIPHER_CREATE_SESSION) {
        keys[0] = &info->u.asym_sess_info.key;
        lens[0] = info->u.asym_sess_info.keylen;
        keys[1] = NULL;
        lens[1] = 0;
    } else {
        keys[0] = &info->u.sym_sess_info.cipher_key;
        lens[0] = info->u.sym_sess_info.key_len;
        keys[1] = &info->u.sym_sess_info.auth_key;
        lens[1] = info->u.sym_sess_info.auth_key_len;
    }
}

/* Free what the session holds; the entry itself stays for RCU readers */
static void cryptodev_builtin_entry_release(CryptoDevBuiltinEntry *e)
{
    uint8_t **keys[2];
    size_t lens[2];
    uint32_t i;

    for (i = 0; i < e->nq; i++) {
        cryptodev_builtin_session_free(e->inst[i]);
        e->inst[i] = NULL;
    }
    /* the key copies are wiped before they are freed */
    cryptodev_builtin_info_keys(&e->info, keys, lens);
    for (i = 0; i < 2; i++) {
        if (keys[i] && *keys[i]) {
            qcrypto_wipe_free(*keys[i], lens[i]);
            *keys[i] = NULL;
        }
    }
}

static void cryptodev_builtin_entry_free(CryptoDevBuiltinEntry *e)
{
    cryptodev_builtin_entry_release(e);
    g_free(e);
}

static void cryptodev_builtin_entry_free_rcu(CryptoDevBuiltinEntry *e)
{
    g_free(e);
}

/* A reference for an operation, unless the last one is already gone */
static bool cryptodev_builtin_entry_get(CryptoDevBuiltinEntry *e)
{
    int n = qatomic_read(&e->refcnt);

    while (n > 0) {
        int old = qatomic_cmpxchg(&e->refcnt, n, n + 1);

        if (old == n) {
            return true;
        }
        n = old;
    }
    return false;
}

static void cryptodev_builtin_entry_put(CryptoDevBuiltinEntry *e)
{
    if (qatomic_fetch_dec(&e->refcnt) == 1) {
        cryptodev_builtin_entry_release(e);
        call_rcu(e, cryptodev_builtin_entry_free_rcu, rcu);
    }
}

static uint32_t cryptodev_builtin_handle_hash(uint64_t handle)
{
    return qemu_xxhash2(handle);
}

/* qht lookup: does entry @p have handle *@userp? */
static bool cryptodev_builtin_entry_match(const void *p, const void *userp)
{
    const CryptoDevBuiltinEntry *e = p;

    return e->handle == *(const uint64_t *)userp;
}

/*
 * RCU read lock held.  The session @handle names, or NULL; it stays valid
 * until the read-side critical section ends, closed or not.
 */
static CryptoDevBuiltinEntry *
cryptodev_builtin_lookup(CryptoDevBackendBuiltin *builtin, uint64_t handle)
{
    return qht_lookup_custom(&builtin->sessions, &handle,
                             cryptodev_builtin_handle_hash(handle),
                             cryptodev_builtin_entry_match);
}

static int cryptodev_builtin_create_session(CryptoDevBackend *backend,
                                            CryptoDevBackendSessionInfo *info,
                                            uint32_t queue_index,
                                            CryptoDevCompletionFunc cb,
                                            void *opaque)
{
    CryptoDevBackendBuiltin *builtin = CRYPTODEV_BACKEND_BUILTIN(backend);
    uint32_t nq = backend->conf.peers.queues;
    CryptoDevBuiltinSession *sess = NULL;
    CryptoDevBuiltinEntry *e;
    uint8_t **keys[2];
    size_t lens[2];
    int ret, i;

    if (queue_index >= nq) {
        queue_index = 0;
    }
    /* The first instance checks every parameter; it serves @queue_index */
    ret = cryptodev_builtin_build(info, &sess);
    if (ret < 0) {
        goto out;
    }
    e = g_malloc0(sizeof(*e) + nq * sizeof(e->inst[0]));
    e->refcnt = 1;
    e->nq = nq;
    e->info = *info;
    e->inst[queue_index] = sess;
    cryptodev_builtin_info_keys(&e->info, keys, lens);
    for (i = 0; i < 2; i++) {
        if (keys[i] && *keys[i]) {
            *keys[i] = g_memdup2(*keys[i], lens[i]);
        }
    }

    qemu_mutex_lock(&builtin->lock);
    if (builtin->nsessions >= CRYPTODEV_BUILTIN_MAX_SESSIONS) {
        ret = -VIRTIO_CRYPTO_ERR;
    } else {
        /* Handles are never reused: 2^64 creates do not happen */
        e->handle = builtin->next_handle++;
        qht_insert(&builtin->sessions, e,
                   cryptodev_builtin_handle_hash(e->handle), NULL);
        builtin->nsessions++;
        info->session_id = e->handle;
    }
    qemu_mutex_unlock(&builtin->lock);
    if (ret < 0) {
        cryptodev_builtin_entry_free(e);
    }

out:
    if (cb) {
        cb(opaque, ret);
    }
    return 0;
}

static int cryptodev_builtin_close_session(CryptoDevBackend *backend,
                                           uint64_t session_id,
                                           uint32_t queue_index,
                                           CryptoDevCompletionFunc cb,
                                           void *opaque)
{
    CryptoDevBackendBuiltin *builtin = CRYPTODEV_BACKEND_BUILTIN(backend);
    CryptoDevBuiltinEntry *e;
    int ret = 0;

    qemu_mutex_lock(&builtin->lock);
    WITH_RCU_READ_LOCK_GUARD() {
        e = cryptodev_builtin_lookup(builtin, session_id);
    }
    if (e) {
        qht_remove(&builtin->sessions, e,
                   cryptodev_builtin_handle_hash(e->handle));
        builtin->nsessions--;
    } else {
        ret = -VIRTIO_CRYPTO_ERR;
    }
    qemu_mutex_unlock(&builtin->lock);
    /* An operation still running keeps the session until it is done */
    if (e) {
        cryptodev_builtin_entry_put(e);
    }
    if (cb) {
        cb(opaque, ret);
    }
    return 0;
}

/* Run the session's cipher over @len bytes, the request's IV applied */
static int cryptodev_builtin_cipher_run(CryptoDevBuiltinSession *sess,
                                        uint32_t op_code,
                                        const uint8_t *iv, size_t iv_len,
                                        const uint8_t *in, uint8_t *out,
                                        size_t len)
{
    int ret;

    /* ECB and CBC need whole blocks; CTR any length; XTS at least one */
    switch (sess->mode) {
    case QCRYPTO_CIPHER_MODE_ECB:
    case QCRYPTO_CIPHER_MODE_CBC:
        if (len % sess->block_len) {
            return -VIRTIO_CRYPTO_ERR;
        }
        break;
    case QCRYPTO_CIPHER_MODE_XTS:
        if (len < sess->block_len) {
            return -VIRTIO_CRYPTO_ERR;
        }
        break;
    default:
        break;
    }
    if (len == 0) {
        return 0;
    }

    /* The request's IV is always applied: no state across requests */
    if (sess->iv_len) {
        if (iv_len != sess->iv_len ||
            qcrypto_cipher_setiv(sess->cipher, iv, iv_len, NULL) < 0) {
            return -VIRTIO_CRYPTO_ERR;
        }
    }

    if (op_code == VIRTIO_CRYPTO_CIPHER_ENCRYPT) {
        ret = qcrypto_cipher_encrypt(sess->cipher, in, out, len, NULL);
    } else {
        ret = qcrypto_cipher_decrypt(sess->cipher, in, out, len, NULL);
    }
    return ret < 0 ? -VIRTIO_CRYPTO_ERR : 0;
}

/* Largest digest of any hash the backend offers (SHA-512, SHA3-512) */
#define CRYPTODEV_BUILTIN_DIGEST_MAX 64

/*
 * The session's hash or HMAC of @iov, its leading @result_len bytes into
 * @result (a shorter hash_result is a truncated digest).  The digest is
 * computed into a buffer on the stack: nothing is allocated per request.
 */
static int cryptodev_builtin_digest(CryptoDevBuiltinSession *sess,
                                    const struct iovec *iov, size_t niov,
                                    uint8_t *result, size_t result_len)
{
    uint8_t buf[CRYPTODEV_BUILTIN_DIGEST_MAX];
    uint8_t *digest = buf;
    size_t digest_len = qcrypto_hash_digest_len(sess->hash_alg);
    int ret;

    if (digest_len > sizeof(buf) || digest_len < result_len) {
        return -VIRTIO_CRYPTO_ERR;
    }
    if (sess->hmac) {
        ret = qcrypto_hmac_bytesv(sess->hmac, iov, niov, &digest,
                                  &digest_len, NULL);
    } else {
        ret = qcrypto_hash_bytesv(sess->hash_alg, iov, niov, &digest,
                                  &digest_len, NULL);
    }
    if (ret == 0) {
        memcpy(result, buf, result_len);
    }
    qcrypto_wipe(buf, sizeof(buf));
    return ret < 0 ? -VIRTIO_CRYPTO_ERR : 0;
}

/* The chain's digest: hash or HMAC over aad || base[hash region] */
static int cryptodev_builtin_chain_digest(CryptoDevBuiltinSession *sess,
                                          CryptoDevBackendSymOpInfo *op,
                                          uint8_t *base)
{
    struct iovec iov[2] = {
        { .iov_base = op->aad_data, .iov_len = op->aad_len },
        { .iov_base = base + op->hash_start_src_offset,
          .iov_len = op->len_to_hash },
    };

    if (op->digest_result_len == 0 ||
        op->digest_result_len > sess->result_len) {
        return -VIRTIO_CRYPTO_ERR;
    }
    return cryptodev_builtin_digest(sess, iov, 2, op->digest_result,
                                    op->digest_result_len);
}

/*
 * Algorithm chaining (AMB-28: the device always computes the digest and
 * never verifies).  The steps run in the session's order, each on the
 * output of the one before: HASH_THEN_CIPHER hashes src, then ciphers it;
 * CIPHER_THEN_HASH ciphers, then hashes dst.  dst is src with the cipher
 * region replaced.
 */
static int cryptodev_builtin_chain(CryptoDevBuiltinSession *sess,
                                   uint32_t op_code,
                                   CryptoDevBackendSymOpInfo *op)
{
    uint32_t cs = op->cipher_start_src_offset;
    bool hash_first = sess->chain_order ==
                      VIRTIO_CRYPTO_SYM_ALG_CHAIN_ORDER_HASH_THEN_CIPHER;
    int ret;

    if (op->src_len != op->dst_len ||
        (uint64_t)cs + op->len_to_cipher > op->src_len ||
        (uint64_t)op->hash_start_src_offset + op->len_to_hash >
        op->src_len) {
        return -VIRTIO_CRYPTO_ERR;
    }
    if (hash_first) {
        ret = cryptodev_builtin_chain_digest(sess, op, op->src);
        if (ret < 0) {
            return ret;
        }
    }
    memcpy(op->dst, op->src, op->src_len);
    ret = cryptodev_builtin_cipher_run(sess, op_code, op->iv, op->iv_len,
                                       op->src + cs, op->dst + cs,
                                       op->len_to_cipher);
    if (ret < 0) {
        return ret;
    }
    if (!hash_first) {
        ret = cryptodev_builtin_chain_digest(sess, op, op->dst);
    }
    return ret;
}

static int cryptodev_builtin_cipher(CryptoDevBuiltinSession *sess,
                                    uint32_t op_code,
                                    CryptoDevBackendSymOpInfo *op)
{
    if (op->op_type == VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING &&
        sess->chain_order) {
        return cryptodev_builtin_chain(sess, op_code, op);
    }
    if (op->op_type != VIRTIO_CRYPTO_SYM_OP_CIPHER || sess->chain_order) {
        return -VIRTIO_CRYPTO_NOTSUPP;
    }
    /* AMB-5, checked again here because the backend trusts nobody */
    if (op->src_len != op->dst_len) {
        return -VIRTIO_CRYPTO_ERR;
    }
    return cryptodev_builtin_cipher_run(sess, op_code, op->iv, op->iv_len,
                                        op->src, op->dst, op->src_len);
}

static int cryptodev_builtin_hash(CryptoDevBuiltinSession *sess,
                                  CryptoDevBackendSymOpInfo *op)
{
    struct iovec iov = { .iov_base = op->src, .iov_len = op->src_len };

    if (op->digest_result_len == 0 ||
        op->digest_result_len > sess->result_len) {
        return -VIRTIO_CRYPTO_ERR;
    }
    if (sess->kind == CRYPTODEV_BUILTIN_CMAC) {
        uint8_t tag[QCRYPTO_MAC_MAX_LEN];

        if (qcrypto_mac_compute(sess->cmac, NULL, 0, op->src, op->src_len,
                                tag, sizeof(tag), NULL) < 0) {
            return -VIRTIO_CRYPTO_ERR;
        }
        memcpy(op->digest_result, tag, op->digest_result_len);
        return 0;
    }
    return cryptodev_builtin_digest(sess, &iov, 1, op->digest_result,
                                    op->digest_result_len);
}

/*
 * Encrypt: dst = ciphertext || tag.  Decrypt: src = ciphertext || tag,
 * dst = plaintext; a tag mismatch is BADMSG and the caller discards dst.
 */
static int cryptodev_builtin_aead(CryptoDevBuiltinSession *sess,
                                  uint32_t op_code,
                                  CryptoDevBackendSymOpInfo *op)
{
    size_t tag_len = op->digest_result_len;
    int ret;

    if (op_code == VIRTIO_CRYPTO_AEAD_ENCRYPT) {
        if ((uint64_t)op->src_len + tag_len > op->dst_len) {
            return -VIRTIO_CRYPTO_ERR;
        }
        ret = qcrypto_aead_encrypt(sess->aead, op->iv, op->iv_len,
                                   op->aad_data, op->aad_len, op->src,
                                   op->dst, op->src_len,
                                   op->dst + op->src_len, tag_len, NULL);
        return ret < 0 ? -VIRTIO_CRYPTO_ERR : 0;
    }

    if (op->src_len < tag_len || op->src_len - tag_len > op->dst_len) {
        return -VIRTIO_CRYPTO_ERR;
    }
    ret = qcrypto_aead_decrypt(sess->aead, op->iv, op->iv_len,
                               op->aad_data, op->aad_len, op->src, op->dst,
                               op->src_len - tag_len,
                               op->src + op->src_len - tag_len, tag_len,
                               NULL);
    if (ret == QCRYPTO_AEAD_ERR_AUTH) {
        return -VIRTIO_CRYPTO_BADMSG;
    }
    return ret < 0 ? -VIRTIO_CRYPTO_ERR : 0;
}

/*
 * AKCIPHER (checklist 7.2/7.3).  AMB-8: a public key encrypts and
 * verifies, a private key does all four.  Outputs may be shorter than
 * dst_len, which is updated to the real length (AMB-4).  AMB-20: a
 * signature that does not verify is KEY_REJECTED.
 */
static int cryptodev_builtin_akcipher(CryptoDevBuiltinSession *sess,
                                      uint32_t op_code,
                                      CryptoDevBackendAsymOpInfo *op)
{
    bool sign_op = op_code == VIRTIO_CRYPTO_AKCIPHER_SIGN ||
                   op_code == VIRTIO_CRYPTO_AKCIPHER_VERIFY;
    bool private_op = op_code == VIRTIO_CRYPTO_AKCIPHER_SIGN ||
                      op_code == VIRTIO_CRYPTO_AKCIPHER_DECRYPT;
    int ret;

    if ((sign_op && !sess->akc_can_sign) ||
        (!sign_op && !sess->akc_can_crypt) ||
        (private_op && !sess->akc_private)) {
        return -VIRTIO_CRYPTO_NOTSUPP;
    }

    switch (op_code) {
    case VIRTIO_CRYPTO_AKCIPHER_ENCRYPT:
        ret = qcrypto_akcipher_encrypt(sess->akcipher, op->src, op->src_len,
                                       op->dst, op->dst_len, NULL);
        break;
    case VIRTIO_CRYPTO_AKCIPHER_DECRYPT:
        ret = qcrypto_akcipher_decrypt(sess->akcipher, op->src, op->src_len,
                                       op->dst, op->dst_len, NULL);
        break;
    case VIRTIO_CRYPTO_AKCIPHER_SIGN:
        ret = qcrypto_akcipher_sign(sess->akcipher, op->src, op->src_len,
                                    op->dst, op->dst_len, NULL);
        break;
    default:
        /* src = signature, dst = digest: nothing is written */
        ret = qcrypto_akcipher_verify(sess->akcipher, op->src, op->src_len,
                                      op->dst, op->dst_len, NULL);
        if (ret == 0) {
            return 0;
        }
        /*
         * AMB-20: a signature that does not match is KEY_REJECTED.  ECDSA
         * tells a malformed signature apart (ERR); RSA does not, so any
         * RSA failure counts as a mismatch.
         */
        if (ret == QCRYPTO_AKCIPHER_ERR_SIGNATURE || !sess->akc_ecdsa) {
            return -VIRTIO_CRYPTO_KEY_REJECTED;
        }
        return -VIRTIO_CRYPTO_ERR;
    }
    if (ret < 0 || (size_t)ret > op->dst_len) {
        return -VIRTIO_CRYPTO_ERR;
    }
    op->dst_len = ret;
    return 0;
}

static int cryptodev_builtin_do_op(CryptoDevBackend *backend,
                                   CryptoDevBackendOpInfo *op_info,
                                   uint32_t queue_index,
                                   CryptoDevCompletionFunc cb,
                                   void *opaque)
{
    CryptoDevBackendBuiltin *builtin = CRYPTODEV_BACKEND_BUILTIN(backend);
    CryptoDevBuiltinSession *sess = NULL;
    CryptoDevBuiltinEntry *e;
    int ret;

    WITH_RCU_READ_LOCK_GUARD() {
        e = cryptodev_builtin_lookup(builtin, op_info->session_id);
        if (e && !cryptodev_builtin_entry_get(e)) {
            e = NULL;   /* closed, and its last operation is done */
        }
    }

    if (e && queue_index < e->nq) {
        /* Only queue @queue_index's worker touches inst[queue_index] */
        if (!e->inst[queue_index] &&
            cryptodev_builtin_build(&e->info, &e->inst[queue_index]) < 0) {
            e->inst[queue_index] = NULL;
        }
        sess = e->inst[queue_index];
    }
    if (!e) {
        ret = -VIRTIO_CRYPTO_INVSESS;
    } else if (!sess) {
        ret = -VIRTIO_CRYPTO_ERR;
    } else if (op_info->algtype == CRYPTODEV_BACKEND_ALG_ASYM) {
        ret = sess->kind == CRYPTODEV_BUILTIN_AKCIPHER ?
              cryptodev_builtin_akcipher(sess, op_info->op_code,
                                         op_info->u.asym_op_info) :
              -VIRTIO_CRYPTO_INVSESS;
    } else if (op_info->algtype != CRYPTODEV_BACKEND_ALG_SYM) {
        ret = -VIRTIO_CRYPTO_NOTSUPP;
    } else {
        switch (op_info->op_code) {
        case VIRTIO_CRYPTO_CIPHER_ENCRYPT:
        case VIRTIO_CRYPTO_CIPHER_DECRYPT:
            ret = sess->kind == CRYPTODEV_BUILTIN_CIPHER ?
                  cryptodev_builtin_cipher(sess, op_info->op_code,
                                           op_info->u.sym_op_info) :
                  -VIRTIO_CRYPTO_INVSESS;
            break;
        case VIRTIO_CRYPTO_AEAD_ENCRYPT:
        case VIRTIO_CRYPTO_AEAD_DECRYPT:
            ret = sess->kind == CRYPTODEV_BUILTIN_AEAD ?
                  cryptodev_builtin_aead(sess, op_info->op_code,
                                         op_info->u.sym_op_info) :
                  -VIRTIO_CRYPTO_INVSESS;
            break;
        case VIRTIO_CRYPTO_HASH:
            ret = sess->kind == CRYPTODEV_BUILTIN_HASH ?
                  cryptodev_builtin_hash(sess, op_info->u.sym_op_info) :
                  -VIRTIO_CRYPTO_INVSESS;
            break;
        case VIRTIO_CRYPTO_MAC:
            ret = (sess->kind == CRYPTODEV_BUILTIN_HMAC ||
                   sess->kind == CRYPTODEV_BUILTIN_CMAC) ?
                  cryptodev_builtin_hash(sess, op_info->u.sym_op_info) :
                  -VIRTIO_CRYPTO_INVSESS;
            break;
        default:
            ret = -VIRTIO_CRYPTO_NOTSUPP;
            break;
        }
    }

    if (e) {
        cryptodev_builtin_entry_put(e);
    }
    if (cb) {
        cb(opaque, ret);
    }
    return 0;
}

/* qht_iter_remove(): at cleanup nothing runs, so free at once */
static bool cryptodev_builtin_entry_drop(void *p, uint32_t hash, void *up)
{
    cryptodev_builtin_entry_free(p);
    return true;
}

static void cryptodev_builtin_cleanup(CryptoDevBackend *backend, Error **errp)
{
    CryptoDevBackendBuiltin *builtin = CRYPTODEV_BACKEND_BUILTIN(backend);
    uint32_t i;

    if (builtin->sessions_init) {
        qht_iter_remove(&builtin->sessions, cryptodev_builtin_entry_drop,
                        NULL);
        qht_destroy(&builtin->sessions);
        builtin->sessions_init = false;
        builtin->nsessions = 0;
        qemu_mutex_destroy(&builtin->lock);
    }
    for (i = 0; i < MAX_CRYPTO_QUEUE_NUM; i++) {
        if (backend->conf.peers.ccs[i]) {
            cryptodev_backend_free_client(backend->conf.peers.ccs[i]);
            backend->conf.peers.ccs[i] = NULL;
        }
    }
    cryptodev_backend_set_ready(backend, false);
}

static void cryptodev_builtin_class_init(ObjectClass *oc, void *data)
{
    CryptoDevBackendClass *bc = CRYPTODEV_BACKEND_CLASS(oc);

    bc->init = cryptodev_builtin_init;
    bc->cleanup = cryptodev_builtin_cleanup;
    bc->create_session = cryptodev_builtin_create_session;
    bc->close_session = cryptodev_builtin_close_session;
    bc->do_op = cryptodev_builtin_do_op;
}

static const TypeInfo cryptodev_builtin_info = {
    .name = TYPE_CRYPTODEV_BACKEND_BUILTIN,
    .parent = TYPE_CRYPTODEV_BACKEND,
    .class_init = cryptodev_builtin_class_init,
    .instance_size = sizeof(CryptoDevBackendBuiltin),
};

static void cryptodev_builtin_register_types(void)
{
    type_register_static(&cryptodev_builtin_info);
}

type_init(cryptodev_builtin_register_types);
