/*
 * virtio-crypto device
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Transport glue and request flow.  Each request goes through:
 *   1. parse     virtio-crypto-parse.c: wire format -> typed operation
 *   2. sessions  virtio-crypto-session.c: guest id -> typed session
 *   3. execute   the cryptodev backend (backends/cryptodev-builtin.c),
 *                which only touches the operation and its own state
 *   4. complete  write results and status, push, notify
 *
 * Requirement ids (DEV-*, AMB-*, GEN-*, X-*) refer to the project's spec
 * checklist; decisions are recorded in docs/spec-decisions.md.
 */

#include "qemu/osdep.h"
#include "qemu/iov.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/module.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "hw/qdev-properties.h"
#include "hw/virtio/virtio.h"
#include "hw/virtio/virtio-crypto.h"
#include "hw/virtio/virtio-crypto-parse.h"
#include "hw/virtio/virtio-crypto-session.h"
#include "migration/vmstate.h"
#include "standard-headers/linux/virtio_ids.h"
#include "trace.h"

#define VIRTIO_CRYPTO_DATAQ_SIZE   1024
#define VIRTIO_CRYPTO_CTRLQ_SIZE   1024
/* Every STATELESS feature bit */
#define VIRTIO_CRYPTO_STATELESS_FEATURES                    \
    ((1ull << VIRTIO_CRYPTO_F_CIPHER_STATELESS_MODE) |      \
     (1ull << VIRTIO_CRYPTO_F_HASH_STATELESS_MODE) |        \
     (1ull << VIRTIO_CRYPTO_F_MAC_STATELESS_MODE) |         \
     (1ull << VIRTIO_CRYPTO_F_AEAD_STATELESS_MODE) |        \
     (1ull << VIRTIO_CRYPTO_F_AKCIPHER_STATELESS_MODE))
/* Upper bound of the max-sessions property */
#define VIRTIO_CRYPTO_MAX_SESSIONS_LIMIT (1u << 20)

/* The cipher algorithms this device knows how to drive */
#define VIRTIO_CRYPTO_CIPHER_ALGOS_IMPLEMENTED      \
    ((1u << VIRTIO_CRYPTO_CIPHER_AES_ECB) |         \
     (1u << VIRTIO_CRYPTO_CIPHER_AES_CBC) |         \
     (1u << VIRTIO_CRYPTO_CIPHER_AES_CTR) |         \
     (1u << VIRTIO_CRYPTO_CIPHER_AES_XTS) |         \
     (1u << VIRTIO_CRYPTO_CIPHER_3DES_ECB) |        \
     (1u << VIRTIO_CRYPTO_CIPHER_3DES_CBC) |        \
     (1u << VIRTIO_CRYPTO_CIPHER_3DES_CTR))

/* The hash algorithms this device knows how to drive */
#define VIRTIO_CRYPTO_HASH_ALGOS_IMPLEMENTED        \
    ((1u << VIRTIO_CRYPTO_HASH_SHA1) |              \
     (1u << VIRTIO_CRYPTO_HASH_SHA_224) |           \
     (1u << VIRTIO_CRYPTO_HASH_SHA_256) |           \
     (1u << VIRTIO_CRYPTO_HASH_SHA_384) |           \
     (1u << VIRTIO_CRYPTO_HASH_SHA_512) |           \
     (1u << VIRTIO_CRYPTO_HASH_SHA3_224) |          \
     (1u << VIRTIO_CRYPTO_HASH_SHA3_256) |          \
     (1u << VIRTIO_CRYPTO_HASH_SHA3_384) |          \
     (1u << VIRTIO_CRYPTO_HASH_SHA3_512))

/* The MAC algorithms (numbers 0..31) this device knows how to drive */
#define VIRTIO_CRYPTO_MAC_ALGOS_IMPLEMENTED         \
    ((1u << VIRTIO_CRYPTO_MAC_HMAC_SHA1) |          \
     (1u << VIRTIO_CRYPTO_MAC_HMAC_SHA_224) |       \
     (1u << VIRTIO_CRYPTO_MAC_HMAC_SHA_256) |       \
     (1u << VIRTIO_CRYPTO_MAC_HMAC_SHA_384) |       \
     (1u << VIRTIO_CRYPTO_MAC_HMAC_SHA_512) |       \
     (1u << VIRTIO_CRYPTO_MAC_CMAC_AES))

/* The AEAD algorithms this device knows how to drive */
#define VIRTIO_CRYPTO_AEAD_ALGOS_IMPLEMENTED        \
    ((1u << VIRTIO_CRYPTO_AEAD_GCM) |               \
     (1u << VIRTIO_CRYPTO_AEAD_CCM) |               \
     (1u << VIRTIO_CRYPTO_AEAD_CHACHA20_POLY1305))

/* The AKCIPHER algorithms this device knows how to drive (AMB-1) */
#define VIRTIO_CRYPTO_AKCIPHER_ALGOS_IMPLEMENTED    \
    ((1u << VIRTIO_CRYPTO_AKCIPHER_RSA) |           \
     (1u << VIRTIO_CRYPTO_AKCIPHER_ECDSA_SPEC))

void virtio_crypto_limits(VirtIOCrypto *vcrypto, VirtIOCryptoLimits *lim)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(vcrypto);

    lim->features = vdev->guest_features;
    lim->max_size = vcrypto->max_size;
    lim->max_cipher_key_len = vcrypto->max_cipher_key_len;
    lim->max_auth_key_len = vcrypto->max_auth_key_len;
}

/* Backend statuses come back negated; anything unknown becomes ERR */
uint8_t virtio_crypto_status_from_ret(int ret)
{
    if (ret == 0) {
        return VIRTIO_CRYPTO_OK;
    }
    if (ret < 0 && ret >= -VIRTIO_CRYPTO_KEY_REJECTED) {
        return -ret;
    }
    return VIRTIO_CRYPTO_ERR;
}

/* x-fault: is this completion one that misbehaves? */
static VirtIOCryptoFault virtio_crypto_fault_now(VirtIOCrypto *vcrypto)
{
    if (vcrypto->fault == VIRTIO_CRYPTO_FAULT_NONE) {
        return VIRTIO_CRYPTO_FAULT_NONE;
    }
    /* Data-queue workers and the control queue count together */
    if ((qatomic_fetch_inc(&vcrypto->fault_count) + 1) %
        vcrypto->conf.fault_every) {
        return VIRTIO_CRYPTO_FAULT_NONE;
    }
    return vcrypto->fault;
}

/*
 * x-fault: misbehave on this completion if it is due.  @status_off is
 * where the status byte (control: the le32 status) sits in the writable
 * area.  Returns false when the element was dropped instead of pushed.
 */
bool virtio_crypto_apply_fault(VirtIOCrypto *vcrypto, VirtQueue *vq,
                               VirtQueueElement *elem, size_t in_len,
                               size_t status_off, size_t *used)
{
    uint8_t bad_status = 0xff;

    switch (virtio_crypto_fault_now(vcrypto)) {
    case VIRTIO_CRYPTO_FAULT_USED_LEN_BIG:
        *used = in_len + 4096;
        break;
    case VIRTIO_CRYPTO_FAULT_USED_LEN_ZERO:
        *used = 0;
        break;
    case VIRTIO_CRYPTO_FAULT_BAD_STATUS:
        if (in_len) {
            iov_from_buf(elem->in_sg, elem->in_num, status_off, &bad_status,
                         1);
        }
        break;
    case VIRTIO_CRYPTO_FAULT_DROP:
        virtqueue_detach_element(vq, elem, 0);
        return false;
    default:
        break;
    }
    return true;
}

/* ---- control queue ---------------------------------------------------- */

typedef struct VirtIOCryptoSyncResult {
    bool done;
    int ret;
} VirtIOCryptoSyncResult;

static void virtio_crypto_sync_done(void *opaque, int ret)
{
    VirtIOCryptoSyncResult *res = opaque;

    res->done = true;
    res->ret = ret;
}

static void virtio_crypto_session_release(const VirtIOCryptoSession *s,
                                          void *opaque)
{
    VirtIOCrypto *vcrypto = opaque;

    cryptodev_backend_close_session(vcrypto->cryptodev, s->backend_id, 0,
                                    NULL, NULL);
}

/*
 * Create a backend session for @service from parsed parameters, after
 * checking that the config space advertises the algorithm.  Used
 * by session creation and by stateless requests.
 */
uint8_t
virtio_crypto_backend_session(VirtIOCrypto *vcrypto, uint32_t queue_index,
                              uint32_t service,
                              const VirtIOCryptoCipherParams *cp,
                              const VirtIOCryptoHashParams *hp,
                              uint32_t aead_tag_len,
                              const VirtIOCryptoAkcipherParams *ap,
                              const VirtIOCryptoChainParams *chp,
                              uint64_t *backend_id)
{
    CryptoDevBackendSessionInfo info = { 0 };
    CryptoDevBackendSymSessionInfo *sym = &info.u.sym_sess_info;
    CryptoDevBackendAsymSessionInfo *asym = &info.u.asym_sess_info;
    VirtIOCryptoSyncResult res = { 0 };
    uint32_t algo, mask;
    int ret;

    switch (service) {
    case VIRTIO_CRYPTO_SERVICE_CIPHER:
        algo = cp->algo;
        mask = vcrypto->cipher_algo_l;
        info.op_code = VIRTIO_CRYPTO_CIPHER_CREATE_SESSION;
        sym->op_type = VIRTIO_CRYPTO_SYM_OP_CIPHER;
        sym->cipher_alg = algo;
        sym->direction = cp->op;
        sym->key_len = cp->key_len;
        sym->cipher_key = cp->key;
        if (chp) {
            bool auth = chp->hash_mode == VIRTIO_CRYPTO_SYM_HASH_MODE_AUTH;
            uint32_t hmask = auth ? vcrypto->mac_algo_l : vcrypto->hash_algo;

            /* the hash half must be advertised too */
            if (hp->algo >= 32 || !(hmask & (1u << hp->algo))) {
                return VIRTIO_CRYPTO_NOTSUPP;
            }
            sym->op_type = VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING;
            sym->alg_chain_order = chp->order;
            sym->hash_mode = chp->hash_mode;
            sym->add_len = chp->aad_len;
            sym->hash_alg = hp->algo;
            sym->hash_result_len = hp->result_len;
            sym->auth_key_len = hp->auth_key_len;
            sym->auth_key = hp->auth_key;
        }
        break;
    case VIRTIO_CRYPTO_SERVICE_HASH:
    case VIRTIO_CRYPTO_SERVICE_MAC:
        algo = hp->algo;
        if (service == VIRTIO_CRYPTO_SERVICE_HASH) {
            mask = vcrypto->hash_algo;
            info.op_code = VIRTIO_CRYPTO_HASH_CREATE_SESSION;
        } else {
            mask = vcrypto->mac_algo_l;
            info.op_code = VIRTIO_CRYPTO_MAC_CREATE_SESSION;
        }
        sym->op_type = VIRTIO_CRYPTO_SYM_OP_NONE;
        sym->hash_alg = algo;
        sym->hash_result_len = hp->result_len;
        sym->auth_key_len = hp->auth_key_len;
        sym->auth_key = hp->auth_key;
        break;
    case VIRTIO_CRYPTO_SERVICE_AEAD:
        algo = cp->algo;
        mask = vcrypto->aead_algo;
        info.op_code = VIRTIO_CRYPTO_AEAD_CREATE_SESSION;
        sym->op_type = VIRTIO_CRYPTO_SYM_OP_NONE;
        sym->cipher_alg = algo;
        sym->direction = cp->op;
        sym->key_len = cp->key_len;
        sym->cipher_key = cp->key;
        /* The tag length travels as the "hash result" length */
        sym->hash_result_len = aead_tag_len;
        break;
    case VIRTIO_CRYPTO_SERVICE_AKCIPHER:
        algo = ap->algo;
        mask = vcrypto->akcipher_algo;
        info.op_code = VIRTIO_CRYPTO_AKCIPHER_CREATE_SESSION;
        asym->algo = algo;
        asym->keytype = ap->key_type;
        asym->keylen = ap->key_len;
        asym->key = ap->key;
        if (algo == VIRTIO_CRYPTO_AKCIPHER_RSA) {
            asym->u.rsa.padding_algo = ap->rsa_padding;
            asym->u.rsa.hash_algo = ap->rsa_hash;
        } else {
            asym->u.ecdsa.curve_id = ap->ecdsa_curve;
        }
        break;
    default:
        return VIRTIO_CRYPTO_NOTSUPP;
    }

    if (!(vcrypto->crypto_services & (1u << service)) ||
        algo >= 32 || !(mask & (1u << algo))) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "virtio-crypto: service %u algorithm %u not offered\n",
                      service, algo);
        return VIRTIO_CRYPTO_NOTSUPP;
    }

    ret = cryptodev_backend_create_session(vcrypto->cryptodev, &info,
                                           queue_index,
                                           virtio_crypto_sync_done, &res);
    if (ret < 0) {
        return virtio_crypto_status_from_ret(ret);
    }
    if (!res.done) {
        /* This device only drives backends that create synchronously */
        return VIRTIO_CRYPTO_ERR;
    }
    if (res.ret != 0) {
        return virtio_crypto_status_from_ret(res.ret);
    }
    *backend_id = info.session_id;
    return VIRTIO_CRYPTO_OK;
}

static bool virtio_crypto_rev1(VirtIOCrypto *vcrypto)
{
    return virtio_vdev_has_feature(VIRTIO_DEVICE(vcrypto),
                                   VIRTIO_CRYPTO_F_REVISION_1);
}

static uint8_t virtio_crypto_create_session(VirtIOCrypto *vcrypto,
                                            VirtIOCryptoCtrlOp *op,
                                            uint64_t *id)
{
    VirtIOCryptoSession s = { 0 };
    uint8_t status;
    bool chain;

    if (virtio_crypto_session_table_full(vcrypto->sessions)) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "virtio-crypto: session limit (%u) reached\n",
                      vcrypto->conf.max_sessions);
        /* NOSPC exists only with REVISION_1 (checklist 3.4) */
        return virtio_crypto_rev1(vcrypto) ? VIRTIO_CRYPTO_NOSPC :
                                             VIRTIO_CRYPTO_ERR;
    }

    chain = op->op_type == VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING;
    status = virtio_crypto_backend_session(vcrypto, 0, op->service,
                                           &op->cipher, &op->hash, op->tag_len,
                                           &op->akcipher,
                                           chain ? &op->chain : NULL,
                                           &s.backend_id);
    if (status != VIRTIO_CRYPTO_OK) {
        return status;
    }

    s.service = op->service;
    if (op->service == VIRTIO_CRYPTO_SERVICE_CIPHER) {
        s.op_type = op->op_type;
        s.algo = op->cipher.algo;
        s.direction = op->cipher.op;
        s.result_len = op->hash.result_len;
    } else if (op->service == VIRTIO_CRYPTO_SERVICE_AEAD) {
        s.algo = op->cipher.algo;
        s.direction = op->cipher.op;
        s.result_len = op->tag_len;
    } else if (op->service == VIRTIO_CRYPTO_SERVICE_AKCIPHER) {
        s.algo = op->akcipher.algo;
    } else {
        s.algo = op->hash.algo;
        s.result_len = op->hash.result_len;
    }
    if (!virtio_crypto_session_insert(vcrypto->sessions, &s, id)) {
        cryptodev_backend_close_session(vcrypto->cryptodev, s.backend_id, 0,
                                        NULL, NULL);
        return VIRTIO_CRYPTO_ERR;
    }
    return VIRTIO_CRYPTO_OK;
}

static uint8_t virtio_crypto_destroy_session(VirtIOCrypto *vcrypto,
                                             const VirtIOCryptoCtrlOp *op)
{
    VirtIOCryptoSession s;

    /* unknown id, or an id of another service, is an error */
    if (!virtio_crypto_session_find(vcrypto->sessions, op->session_id, &s) ||
        s.service != op->service) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "virtio-crypto: destroy of unknown session %" PRIu64
                      " (service %u)\n", op->session_id, op->service);
        return VIRTIO_CRYPTO_ERR;
    }
    virtio_crypto_session_remove(vcrypto->sessions, op->session_id);
    return VIRTIO_CRYPTO_OK;
}

static void virtio_crypto_handle_ctrl(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOCrypto *vcrypto = VIRTIO_CRYPTO(vdev);
    VirtIOCryptoLimits lim;
    VirtQueueElement *elem;

    virtio_crypto_limits(vcrypto, &lim);

    while ((elem = virtqueue_pop(vq, sizeof(VirtQueueElement)))) {
        VirtIOCryptoCtrlOp op;
        uint64_t id = 0;
        size_t in_len = iov_size(elem->in_sg, elem->in_num);
        size_t used;

        if (virtio_crypto_parse_ctrl(elem->out_sg, elem->out_num, in_len,
                                     &lim, &op) < 0) {
            virtio_crypto_ctrl_op_clear(&op);
            virtqueue_detach_element(vq, elem, 0);
            g_free(elem);
            virtio_error(vdev, "virtio-crypto: control request without "
                         "room for its outcome");
            return;
        }
        trace_virtio_crypto_ctrl_req(vcrypto, op.opcode, op.status);

        if (op.status != VIRTIO_CRYPTO_OK) {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "virtio-crypto: control opcode 0x%x rejected "
                          "(status %u)\n", op.opcode, op.status);
        } else if (op.kind == VIRTIO_CRYPTO_CTRL_CREATE) {
            op.status = virtio_crypto_create_session(vcrypto, &op, &id);
            trace_virtio_crypto_session_create(vcrypto, op.service, id,
                                               op.status);
        } else {
            op.status = virtio_crypto_destroy_session(vcrypto, &op);
            trace_virtio_crypto_session_destroy(vcrypto, op.session_id,
                                                op.status);
        }
        /* the key copy is wiped as soon as the backend has it */
        virtio_crypto_ctrl_op_clear(&op);

        used = virtio_crypto_complete_ctrl(elem->in_sg, elem->in_num, &op,
                                           id);
        if (!vcrypto->conf.fault_ctrl ||
            virtio_crypto_apply_fault(vcrypto, vq, elem, in_len,
                                      op.outcome_len ==
                                      VIRTIO_CRYPTO_CREATE_OUTCOME_LEN ? 8 : 0,
                                      &used)) {
            virtqueue_push(vq, elem, used);
            virtio_notify(vdev, vq);
        }
        g_free(elem);
    }
}

/* ---- data queues (virtio-crypto-dataq.c) ------------------------------ */

static void virtio_crypto_handle_dataq(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOCrypto *vcrypto = VIRTIO_CRYPTO(vdev);
    uint32_t index = virtio_get_queue_index(vq);

    if (index >= vcrypto->max_queues) {
        return;
    }
    virtio_crypto_dataq_kick(&vcrypto->vqs[index]);
}

/* ---- device ------------------------------------------------------------- */

static void virtio_crypto_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIOCrypto *vcrypto = VIRTIO_CRYPTO(vdev);
    struct virtio_crypto_config cfg = { 0 };

    stl_le_p(&cfg.status, vcrypto->status);
    stl_le_p(&cfg.max_dataqueues, vcrypto->max_queues);
    stl_le_p(&cfg.crypto_services, vcrypto->crypto_services);
    stl_le_p(&cfg.cipher_algo_l, vcrypto->cipher_algo_l);
    stl_le_p(&cfg.hash_algo, vcrypto->hash_algo);
    stl_le_p(&cfg.mac_algo_l, vcrypto->mac_algo_l);
    stl_le_p(&cfg.aead_algo, vcrypto->aead_algo);
    stl_le_p(&cfg.akcipher_algo, vcrypto->akcipher_algo);
    stl_le_p(&cfg.max_cipher_key_len, vcrypto->max_cipher_key_len);
    stl_le_p(&cfg.max_auth_key_len, vcrypto->max_auth_key_len);
    stq_le_p(&cfg.max_size, vcrypto->max_size);
    memcpy(config, &cfg, sizeof(cfg));
}

static uint64_t virtio_crypto_get_features(VirtIODevice *vdev,
                                           uint64_t features, Error **errp)
{
    VirtIOCrypto *vcrypto = VIRTIO_CRYPTO(vdev);

    return features | vcrypto->offered_features;
}

/* GEN-5 / FEAT-1: no STATELESS bit without REVISION_1 */
static int virtio_crypto_validate_features(VirtIODevice *vdev)
{
    uint64_t stateless = VIRTIO_CRYPTO_STATELESS_FEATURES;

    if ((vdev->guest_features & stateless) &&
        !virtio_vdev_has_feature(vdev, VIRTIO_CRYPTO_F_REVISION_1)) {
        return -EINVAL;
    }
    return 0;
}

/*
 * The feature bits offered: what the properties allow, the STATELESS bits
 * only with REVISION_1 (GEN-4) and for services that are offered.
 */
static void virtio_crypto_init_features(VirtIOCrypto *vcrypto)
{
    static const struct {
        uint32_t service;
        uint32_t bit;
    } stateless[] = {
        { VIRTIO_CRYPTO_SERVICE_CIPHER,
          VIRTIO_CRYPTO_F_CIPHER_STATELESS_MODE },
        { VIRTIO_CRYPTO_SERVICE_HASH, VIRTIO_CRYPTO_F_HASH_STATELESS_MODE },
        { VIRTIO_CRYPTO_SERVICE_MAC, VIRTIO_CRYPTO_F_MAC_STATELESS_MODE },
        { VIRTIO_CRYPTO_SERVICE_AEAD, VIRTIO_CRYPTO_F_AEAD_STATELESS_MODE },
        { VIRTIO_CRYPTO_SERVICE_AKCIPHER,
          VIRTIO_CRYPTO_F_AKCIPHER_STATELESS_MODE },
    };
    uint64_t want = vcrypto->conf.features;
    size_t i;

    vcrypto->offered_features = 0;
    if (!(want & (1ull << VIRTIO_CRYPTO_F_REVISION_1))) {
        return;
    }
    vcrypto->offered_features |= 1ull << VIRTIO_CRYPTO_F_REVISION_1;
    for (i = 0; i < ARRAY_SIZE(stateless); i++) {
        if ((want & (1ull << stateless[i].bit)) &&
            (vcrypto->crypto_services & (1u << stateless[i].service))) {
            vcrypto->offered_features |= 1ull << stateless[i].bit;
        }
    }
}

/*
 * Leaving DRIVER_OK (reset writes 0 first): no worker may hold a request
 * or write guest memory afterwards.  Entering it: the rings may already
 * hold requests the guest will not kick for.
 */
static void virtio_crypto_set_status(VirtIODevice *vdev, uint8_t status)
{
    VirtIOCrypto *vcrypto = VIRTIO_CRYPTO(vdev);
    uint32_t i;

    if (!(status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        virtio_crypto_dataq_quiesce(vcrypto, -1);
    } else if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        for (i = 0; i < vcrypto->max_queues; i++) {
            virtio_crypto_dataq_kick(&vcrypto->vqs[i]);
        }
    }
}

/* VIRTIO_F_RING_RESET: one queue is reset while the others run */
static void virtio_crypto_queue_reset(VirtIODevice *vdev, uint32_t index)
{
    VirtIOCrypto *vcrypto = VIRTIO_CRYPTO(vdev);

    if (index < vcrypto->max_queues) {
        virtio_crypto_dataq_quiesce(vcrypto, index);
    }
}

/* The core is about to resize or move a queue (the guest may, any time) */
static void virtio_crypto_queue_quiesce(VirtIODevice *vdev, uint32_t index)
{
    VirtIOCrypto *vcrypto = VIRTIO_CRYPTO(vdev);

    if (index < vcrypto->max_queues) {
        virtio_crypto_dataq_quiesce(vcrypto, index);
    }
}

static void virtio_crypto_reset(VirtIODevice *vdev)
{
    VirtIOCrypto *vcrypto = VIRTIO_CRYPTO(vdev);

    virtio_crypto_dataq_quiesce(vcrypto, -1);
    trace_virtio_crypto_reset(vcrypto,
                              virtio_crypto_session_count(vcrypto->sessions));
    /* AMB-24 / X-8: sessions do not survive a reset */
    virtio_crypto_session_table_clear(vcrypto->sessions);
}

/* No request runs while the VM is stopped (see virtio-crypto-dataq.c) */
static void virtio_crypto_vm_state(void *opaque, bool running,
                                   RunState state)
{
    virtio_crypto_dataq_pause(opaque, !running);
}

/* Fill the config-space capabilities: what the backend offers AND we do */
static void virtio_crypto_init_config(VirtIOCrypto *vcrypto)
{
    CryptoDevBackendConf *bconf = &vcrypto->cryptodev->conf;

    vcrypto->crypto_services = 0;
    vcrypto->cipher_algo_l = 0;
    vcrypto->hash_algo = 0;
    vcrypto->mac_algo_l = 0;
    if (bconf->crypto_services & (1u << VIRTIO_CRYPTO_SERVICE_CIPHER)) {
        vcrypto->cipher_algo_l = bconf->cipher_algo_l &
                                 VIRTIO_CRYPTO_CIPHER_ALGOS_IMPLEMENTED;
    }
    if (bconf->crypto_services & (1u << VIRTIO_CRYPTO_SERVICE_HASH)) {
        vcrypto->hash_algo = bconf->hash_algo &
                             VIRTIO_CRYPTO_HASH_ALGOS_IMPLEMENTED;
    }
    if (bconf->crypto_services & (1u << VIRTIO_CRYPTO_SERVICE_MAC)) {
        vcrypto->mac_algo_l = bconf->mac_algo_l &
                              VIRTIO_CRYPTO_MAC_ALGOS_IMPLEMENTED;
    }
    vcrypto->akcipher_algo = 0;
    if (bconf->crypto_services & (1u << VIRTIO_CRYPTO_SERVICE_AKCIPHER)) {
        vcrypto->akcipher_algo = bconf->akcipher_algo &
                                 VIRTIO_CRYPTO_AKCIPHER_ALGOS_IMPLEMENTED;
    }
    if (vcrypto->akcipher_algo) {
        vcrypto->crypto_services |= 1u << VIRTIO_CRYPTO_SERVICE_AKCIPHER;
    }
    vcrypto->aead_algo = 0;
    if (bconf->crypto_services & (1u << VIRTIO_CRYPTO_SERVICE_AEAD)) {
        vcrypto->aead_algo = bconf->aead_algo &
                             VIRTIO_CRYPTO_AEAD_ALGOS_IMPLEMENTED;
    }
    /* DEV-CFG-4: a service is offered only with at least one algorithm */
    if (vcrypto->cipher_algo_l) {
        vcrypto->crypto_services |= 1u << VIRTIO_CRYPTO_SERVICE_CIPHER;
    }
    if (vcrypto->aead_algo) {
        vcrypto->crypto_services |= 1u << VIRTIO_CRYPTO_SERVICE_AEAD;
    }
    /* DEV-CFG-8 / AMB-13: it bounds CIPHER and AEAD keys */
    if (vcrypto->cipher_algo_l || vcrypto->aead_algo) {
        vcrypto->max_cipher_key_len = bconf->max_cipher_key_len;
    }
    if (vcrypto->hash_algo) {
        vcrypto->crypto_services |= 1u << VIRTIO_CRYPTO_SERVICE_HASH;
    }
    if (vcrypto->mac_algo_l) {
        vcrypto->crypto_services |= 1u << VIRTIO_CRYPTO_SERVICE_MAC;
        vcrypto->max_auth_key_len = bconf->max_auth_key_len;
    }
    vcrypto->max_size = MIN(vcrypto->conf.max_size, bconf->max_size);
    vcrypto->status = cryptodev_backend_is_ready(vcrypto->cryptodev) ?
                      VIRTIO_CRYPTO_S_HW_READY : 0;
}

static bool virtio_crypto_parse_fault(VirtIOCrypto *vcrypto, Error **errp)
{
    static const char *const names[] = {
        [VIRTIO_CRYPTO_FAULT_NONE] = "none",
        [VIRTIO_CRYPTO_FAULT_USED_LEN_BIG] = "used-len-big",
        [VIRTIO_CRYPTO_FAULT_USED_LEN_ZERO] = "used-len-zero",
        [VIRTIO_CRYPTO_FAULT_BAD_STATUS] = "bad-status",
        [VIRTIO_CRYPTO_FAULT_DROP] = "drop",
    };
    const char *fault = vcrypto->conf.fault ? vcrypto->conf.fault : "none";
    size_t i;

    if (vcrypto->conf.fault_every == 0) {
        error_setg(errp, "'x-fault-every' must not be 0");
        return false;
    }
    for (i = 0; i < ARRAY_SIZE(names); i++) {
        if (!strcmp(fault, names[i])) {
            vcrypto->fault = i;
            return true;
        }
    }
    error_setg(errp, "'x-fault' must be none, used-len-big, used-len-zero, "
               "bad-status or drop");
    return false;
}

static void virtio_crypto_device_realize(DeviceState *dev, Error **errp)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(dev);
    VirtIOCrypto *vcrypto = VIRTIO_CRYPTO(dev);
    uint32_t i;

    if (!vcrypto->conf.cryptodev) {
        error_setg(errp, "'cryptodev' parameter expects a valid object");
        return;
    }
    /* Data requests run on worker threads and complete synchronously */
    if (!object_dynamic_cast(OBJECT(vcrypto->conf.cryptodev),
                             "cryptodev-backend-builtin")) {
        error_setg(errp, "virtio-crypto needs a cryptodev-backend-builtin");
        return;
    }
    if (cryptodev_backend_is_used(vcrypto->conf.cryptodev)) {
        error_setg(errp, "cryptodev backend '%s' is already in use",
                   object_get_canonical_path_component(
                       OBJECT(vcrypto->conf.cryptodev)));
        return;
    }
    if (vcrypto->conf.max_sessions == 0 ||
        vcrypto->conf.max_sessions > VIRTIO_CRYPTO_MAX_SESSIONS_LIMIT) {
        error_setg(errp, "'max-sessions' must be 1..%u",
                   VIRTIO_CRYPTO_MAX_SESSIONS_LIMIT);
        return;
    }
    if (vcrypto->conf.max_size == 0) {
        error_setg(errp, "'max-size' must not be 0");
        return;
    }
    if (vcrypto->conf.yield_us > VIRTIO_CRYPTO_MAX_YIELD_US) {
        error_setg(errp, "'x-yield-us' must be 0..%u",
                   VIRTIO_CRYPTO_MAX_YIELD_US);
        return;
    }
    if (!virtio_crypto_parse_fault(vcrypto, errp)) {
        return;
    }

    vcrypto->cryptodev = vcrypto->conf.cryptodev;
    vcrypto->max_queues = vcrypto->cryptodev->conf.peers.queues;
    if (vcrypto->max_queues < 1 ||
        vcrypto->max_queues > MAX_CRYPTO_QUEUE_NUM) {
        error_setg(errp, "cryptodev queues must be 1..%d, not %u",
                   MAX_CRYPTO_QUEUE_NUM, vcrypto->max_queues);
        return;
    }

    virtio_init(vdev, VIRTIO_ID_CRYPTO, sizeof(struct virtio_crypto_config));
    /* The data-queue workers pop and push without the BQL */
    vdev->defer_errors = true;

    /* Checklist 1.4: data queues 0..N-1, then the control queue at N */
    vcrypto->vqs = g_new0(VirtIOCryptoQueue, vcrypto->max_queues);
    for (i = 0; i < vcrypto->max_queues; i++) {
        VirtIOCryptoQueue *q = &vcrypto->vqs[i];

        q->vcrypto = vcrypto;
        q->index = i;
        q->vq = virtio_add_queue(vdev, VIRTIO_CRYPTO_DATAQ_SIZE,
                                 virtio_crypto_handle_dataq);
    }
    vcrypto->ctrl_vq = virtio_add_queue(vdev, VIRTIO_CRYPTO_CTRLQ_SIZE,
                                        virtio_crypto_handle_ctrl);

    vcrypto->sessions =
        virtio_crypto_session_table_new(vcrypto->conf.max_sessions,
                                        virtio_crypto_session_release,
                                        vcrypto);
    virtio_crypto_init_config(vcrypto);
    virtio_crypto_init_features(vcrypto);
    cryptodev_backend_set_used(vcrypto->cryptodev, true);
    for (i = 0; i < vcrypto->max_queues; i++) {
        virtio_crypto_dataq_start(&vcrypto->vqs[i]);
    }
    if (!runstate_is_running()) {
        virtio_crypto_dataq_pause(vcrypto, true);
    }
    vcrypto->vmstate =
        qemu_add_vm_change_state_handler(virtio_crypto_vm_state, vcrypto);

    trace_virtio_crypto_realize(vcrypto, vcrypto->max_queues,
                                vcrypto->crypto_services,
                                vcrypto->cipher_algo_l, vcrypto->hash_algo,
                                vcrypto->mac_algo_l, vcrypto->max_size);
}

static void virtio_crypto_device_unrealize(DeviceState *dev)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(dev);
    VirtIOCrypto *vcrypto = VIRTIO_CRYPTO(dev);
    uint32_t i;

    /* In-flight requests are detached, then the workers exit */
    qemu_del_vm_change_state_handler(vcrypto->vmstate);
    virtio_crypto_dataq_quiesce(vcrypto, -1);
    for (i = 0; i < vcrypto->max_queues; i++) {
        virtio_crypto_dataq_stop(&vcrypto->vqs[i]);
    }
    virtio_crypto_session_table_free(vcrypto->sessions);
    vcrypto->sessions = NULL;

    for (i = 0; i < vcrypto->max_queues; i++) {
        virtio_delete_queue(vcrypto->vqs[i].vq);
    }
    virtio_delete_queue(vcrypto->ctrl_vq);
    g_free(vcrypto->vqs);
    vcrypto->vqs = NULL;

    virtio_cleanup(vdev);
    cryptodev_backend_set_used(vcrypto->cryptodev, false);
}

static const VMStateDescription vmstate_virtio_crypto = {
    .name = "virtio-crypto",
    .unmigratable = 1,
    .minimum_version_id = 1,
    .version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_VIRTIO_DEVICE,
        VMSTATE_END_OF_LIST()
    },
};

static Property virtio_crypto_properties[] = {
    DEFINE_PROP_LINK("cryptodev", VirtIOCrypto, conf.cryptodev,
                     TYPE_CRYPTODEV_BACKEND, CryptoDevBackend *),
    DEFINE_PROP_UINT32("max-sessions", VirtIOCrypto, conf.max_sessions,
                       VIRTIO_CRYPTO_DEFAULT_MAX_SESSIONS),
    DEFINE_PROP_UINT64("max-size", VirtIOCrypto, conf.max_size,
                       VIRTIO_CRYPTO_DEFAULT_MAX_SIZE),
    DEFINE_PROP_BIT64("revision-1", VirtIOCrypto, conf.features,
                      VIRTIO_CRYPTO_F_REVISION_1, true),
    DEFINE_PROP_BIT64("cipher-stateless", VirtIOCrypto, conf.features,
                      VIRTIO_CRYPTO_F_CIPHER_STATELESS_MODE, true),
    DEFINE_PROP_BIT64("hash-stateless", VirtIOCrypto, conf.features,
                      VIRTIO_CRYPTO_F_HASH_STATELESS_MODE, true),
    DEFINE_PROP_BIT64("mac-stateless", VirtIOCrypto, conf.features,
                      VIRTIO_CRYPTO_F_MAC_STATELESS_MODE, true),
    DEFINE_PROP_BIT64("aead-stateless", VirtIOCrypto, conf.features,
                      VIRTIO_CRYPTO_F_AEAD_STATELESS_MODE, true),
    DEFINE_PROP_BIT64("akcipher-stateless", VirtIOCrypto, conf.features,
                      VIRTIO_CRYPTO_F_AKCIPHER_STATELESS_MODE, true),
    /* Test only: fault injection on data completions, off by default */
    DEFINE_PROP_STRING("x-fault", VirtIOCrypto, conf.fault),
    DEFINE_PROP_UINT32("x-fault-every", VirtIOCrypto, conf.fault_every, 1),
    DEFINE_PROP_BOOL("x-fault-ctrl", VirtIOCrypto, conf.fault_ctrl, false),
    DEFINE_PROP_BOOL("x-idle-workers", VirtIOCrypto, conf.idle_workers,
                     false),
    DEFINE_PROP_UINT32("x-yield-us", VirtIOCrypto, conf.yield_us, 500),
    DEFINE_PROP_END_OF_LIST(),
};

static void virtio_crypto_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(klass);

    device_class_set_props(dc, virtio_crypto_properties);
    dc->vmsd = &vmstate_virtio_crypto;
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
    vdc->realize = virtio_crypto_device_realize;
    vdc->unrealize = virtio_crypto_device_unrealize;
    vdc->get_config = virtio_crypto_get_config;
    vdc->get_features = virtio_crypto_get_features;
    vdc->validate_features = virtio_crypto_validate_features;
    vdc->reset = virtio_crypto_reset;
    vdc->set_status = virtio_crypto_set_status;
    vdc->queue_reset = virtio_crypto_queue_reset;
    vdc->queue_quiesce = virtio_crypto_queue_quiesce;
}

static const TypeInfo virtio_crypto_info = {
    .name = TYPE_VIRTIO_CRYPTO,
    .parent = TYPE_VIRTIO_DEVICE,
    .instance_size = sizeof(VirtIOCrypto),
    .class_init = virtio_crypto_class_init,
};

static void virtio_register_types(void)
{
    type_register_static(&virtio_crypto_info);
}

type_init(virtio_register_types)
