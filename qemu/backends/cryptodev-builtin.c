/*
 * Cryptodev backend executing requests with QEMU's qcrypto library
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The backend owns one qcrypto context per session, keyed by a backend
 * handle.  Executing an operation touches only that context and the
 * buffers of the operation, never the device.  Capabilities are probed
 * from qcrypto at init, so a build advertises only what its crypto
 * library really does.
 */

#include "qemu/osdep.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "qom/object.h"
#include "sysemu/cryptodev.h"
#include "standard-headers/linux/virtio_crypto.h"
#include "crypto/cipher.h"

#define TYPE_CRYPTODEV_BACKEND_BUILTIN "cryptodev-backend-builtin"
OBJECT_DECLARE_SIMPLE_TYPE(CryptoDevBackendBuiltin, CRYPTODEV_BACKEND_BUILTIN)

/* Largest key among the supported ciphers: AES-256-XTS */
#define CRYPTODEV_BUILTIN_MAX_CIPHER_KEY_LEN 64
/* Backend-side cap on one request's variable data; the device may lower it */
#define CRYPTODEV_BUILTIN_MAX_SIZE           (64 * MiB)
/* Backend-side cap on live sessions, whoever the caller is */
#define CRYPTODEV_BUILTIN_MAX_SESSIONS       (1u << 20)

typedef struct CryptoDevBuiltinSession {
    QCryptoCipher *cipher;
    QCryptoCipherMode mode;
    size_t iv_len;      /* 0 when the mode takes no IV */
    size_t block_len;
} CryptoDevBuiltinSession;

struct CryptoDevBackendBuiltin {
    CryptoDevBackend parent_obj;

    GHashTable *sessions;   /* uint64_t handle -> CryptoDevBuiltinSession */
    uint64_t next_handle;
};

/* virtio cipher algorithm -> qcrypto mode, or false if not handled */
static bool cryptodev_builtin_cipher_mode(uint32_t algo,
                                          QCryptoCipherMode *mode)
{
    switch (algo) {
    case VIRTIO_CRYPTO_CIPHER_AES_ECB:
        *mode = QCRYPTO_CIPHER_MODE_ECB;
        return true;
    case VIRTIO_CRYPTO_CIPHER_AES_CBC:
        *mode = QCRYPTO_CIPHER_MODE_CBC;
        return true;
    case VIRTIO_CRYPTO_CIPHER_AES_CTR:
        *mode = QCRYPTO_CIPHER_MODE_CTR;
        return true;
    case VIRTIO_CRYPTO_CIPHER_AES_XTS:
        *mode = QCRYPTO_CIPHER_MODE_XTS;
        return true;
    default:
        return false;
    }
}

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

static bool cryptodev_builtin_aes_supported(QCryptoCipherMode mode)
{
    return qcrypto_cipher_supports(QCRYPTO_CIPHER_ALG_AES_128, mode) &&
           qcrypto_cipher_supports(QCRYPTO_CIPHER_ALG_AES_192, mode) &&
           qcrypto_cipher_supports(QCRYPTO_CIPHER_ALG_AES_256, mode);
}

static void cryptodev_builtin_session_free(gpointer data)
{
    CryptoDevBuiltinSession *sess = data;

    /* qcrypto wipes its key schedule when the context is freed */
    qcrypto_cipher_free(sess->cipher);
    g_free(sess);
}

static void cryptodev_builtin_init(CryptoDevBackend *backend, Error **errp)
{
    CryptoDevBackendBuiltin *builtin = CRYPTODEV_BACKEND_BUILTIN(backend);
    uint32_t queues = backend->conf.peers.queues;
    static const struct {
        uint32_t algo;
        QCryptoCipherMode mode;
    } aes_modes[] = {
        { VIRTIO_CRYPTO_CIPHER_AES_ECB, QCRYPTO_CIPHER_MODE_ECB },
        { VIRTIO_CRYPTO_CIPHER_AES_CBC, QCRYPTO_CIPHER_MODE_CBC },
        { VIRTIO_CRYPTO_CIPHER_AES_CTR, QCRYPTO_CIPHER_MODE_CTR },
        { VIRTIO_CRYPTO_CIPHER_AES_XTS, QCRYPTO_CIPHER_MODE_XTS },
    };
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

    builtin->sessions = g_hash_table_new_full(g_int64_hash, g_int64_equal,
                                              g_free,
                                              cryptodev_builtin_session_free);
    builtin->next_handle = 1;

    backend->conf.cipher_algo_l = 0;
    for (i = 0; i < ARRAY_SIZE(aes_modes); i++) {
        if (cryptodev_builtin_aes_supported(aes_modes[i].mode)) {
            backend->conf.cipher_algo_l |= 1u << aes_modes[i].algo;
        }
    }
    backend->conf.crypto_services = backend->conf.cipher_algo_l ?
                                    1u << VIRTIO_CRYPTO_SERVICE_CIPHER : 0;
    backend->conf.cipher_algo_h = 0;
    backend->conf.hash_algo = 0;
    backend->conf.mac_algo_l = 0;
    backend->conf.mac_algo_h = 0;
    backend->conf.aead_algo = 0;
    backend->conf.akcipher_algo = 0;
    backend->conf.max_cipher_key_len =
        (backend->conf.cipher_algo_l & (1u << VIRTIO_CRYPTO_CIPHER_AES_XTS)) ?
        CRYPTODEV_BUILTIN_MAX_CIPHER_KEY_LEN : 32;
    backend->conf.max_auth_key_len = 0;
    backend->conf.max_size = CRYPTODEV_BUILTIN_MAX_SIZE;

    cryptodev_backend_set_ready(backend, true);
}

static int cryptodev_builtin_create_cipher(CryptoDevBackendBuiltin *builtin,
                                           CryptoDevBackendSymSessionInfo *si,
                                           uint64_t *handle)
{
    CryptoDevBuiltinSession *sess;
    QCryptoCipherAlgorithm alg;
    QCryptoCipherMode mode;
    QCryptoCipher *cipher;
    uint64_t *key;

    if (si->op_type != VIRTIO_CRYPTO_SYM_OP_CIPHER ||
        !cryptodev_builtin_cipher_mode(si->cipher_alg, &mode)) {
        return -VIRTIO_CRYPTO_NOTSUPP;
    }
    if (!cryptodev_builtin_aes_alg(mode, si->key_len, &alg)) {
        return -VIRTIO_CRYPTO_ERR;
    }
    if (g_hash_table_size(builtin->sessions) >=
        CRYPTODEV_BUILTIN_MAX_SESSIONS) {
        return -VIRTIO_CRYPTO_ERR;
    }

    /* The error text names lengths only, never key bytes */
    cipher = qcrypto_cipher_new(alg, mode, si->cipher_key, si->key_len, NULL);
    if (!cipher) {
        return -VIRTIO_CRYPTO_ERR;
    }

    sess = g_new0(CryptoDevBuiltinSession, 1);
    sess->cipher = cipher;
    sess->mode = mode;
    sess->iv_len = qcrypto_cipher_get_iv_len(alg, mode);
    sess->block_len = qcrypto_cipher_get_block_len(alg);

    key = g_new(uint64_t, 1);
    *key = builtin->next_handle++;
    g_hash_table_insert(builtin->sessions, key, sess);
    *handle = *key;
    return 0;
}

static int cryptodev_builtin_create_session(CryptoDevBackend *backend,
                                            CryptoDevBackendSessionInfo *info,
                                            uint32_t queue_index,
                                            CryptoDevCompletionFunc cb,
                                            void *opaque)
{
    CryptoDevBackendBuiltin *builtin = CRYPTODEV_BACKEND_BUILTIN(backend);
    int ret;

    switch (info->op_code) {
    case VIRTIO_CRYPTO_CIPHER_CREATE_SESSION:
        ret = cryptodev_builtin_create_cipher(builtin,
                                              &info->u.sym_sess_info,
                                              &info->session_id);
        break;
    default:
        ret = -VIRTIO_CRYPTO_NOTSUPP;
        break;
    }

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
    int ret = 0;

    if (!g_hash_table_remove(builtin->sessions, &session_id)) {
        ret = -VIRTIO_CRYPTO_ERR;
    }
    if (cb) {
        cb(opaque, ret);
    }
    return 0;
}

static int cryptodev_builtin_cipher(CryptoDevBuiltinSession *sess,
                                    uint32_t op_code,
                                    CryptoDevBackendSymOpInfo *op)
{
    int ret;

    if (op->op_type != VIRTIO_CRYPTO_SYM_OP_CIPHER) {
        return -VIRTIO_CRYPTO_NOTSUPP;
    }
    /* AMB-5, checked again here because the backend trusts nobody */
    if (op->src_len != op->dst_len) {
        return -VIRTIO_CRYPTO_ERR;
    }
    /* ECB and CBC need whole blocks; CTR any length; XTS at least one */
    switch (sess->mode) {
    case QCRYPTO_CIPHER_MODE_ECB:
    case QCRYPTO_CIPHER_MODE_CBC:
        if (op->src_len % sess->block_len) {
            return -VIRTIO_CRYPTO_ERR;
        }
        break;
    case QCRYPTO_CIPHER_MODE_XTS:
        if (op->src_len < sess->block_len) {
            return -VIRTIO_CRYPTO_ERR;
        }
        break;
    default:
        break;
    }
    if (op->src_len == 0) {
        return 0;
    }

    /* The request's IV is always applied: no state across requests */
    if (sess->iv_len) {
        if (op->iv_len != sess->iv_len ||
            qcrypto_cipher_setiv(sess->cipher, op->iv, op->iv_len,
                                 NULL) < 0) {
            return -VIRTIO_CRYPTO_ERR;
        }
    }

    if (op_code == VIRTIO_CRYPTO_CIPHER_ENCRYPT) {
        ret = qcrypto_cipher_encrypt(sess->cipher, op->src, op->dst,
                                     op->src_len, NULL);
    } else {
        ret = qcrypto_cipher_decrypt(sess->cipher, op->src, op->dst,
                                     op->src_len, NULL);
    }
    return ret < 0 ? -VIRTIO_CRYPTO_ERR : 0;
}

static int cryptodev_builtin_do_op(CryptoDevBackend *backend,
                                   CryptoDevBackendOpInfo *op_info,
                                   uint32_t queue_index,
                                   CryptoDevCompletionFunc cb,
                                   void *opaque)
{
    CryptoDevBackendBuiltin *builtin = CRYPTODEV_BACKEND_BUILTIN(backend);
    CryptoDevBuiltinSession *sess;
    int ret;

    sess = g_hash_table_lookup(builtin->sessions, &op_info->session_id);
    if (!sess) {
        ret = -VIRTIO_CRYPTO_INVSESS;
    } else if (op_info->algtype != CRYPTODEV_BACKEND_ALG_SYM ||
               (op_info->op_code != VIRTIO_CRYPTO_CIPHER_ENCRYPT &&
                op_info->op_code != VIRTIO_CRYPTO_CIPHER_DECRYPT)) {
        ret = -VIRTIO_CRYPTO_NOTSUPP;
    } else {
        ret = cryptodev_builtin_cipher(sess, op_info->op_code,
                                       op_info->u.sym_op_info);
    }

    if (cb) {
        cb(opaque, ret);
    }
    return 0;
}

static void cryptodev_builtin_cleanup(CryptoDevBackend *backend, Error **errp)
{
    CryptoDevBackendBuiltin *builtin = CRYPTODEV_BACKEND_BUILTIN(backend);
    uint32_t i;

    if (builtin->sessions) {
        g_hash_table_destroy(builtin->sessions);
        builtin->sessions = NULL;
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
