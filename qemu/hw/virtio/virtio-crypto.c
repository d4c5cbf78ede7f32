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
#define VIRTIO_CRYPTO_CTRLQ_SIZE   64
/* Requests handled per bottom-half run before yielding to the main loop */
#define VIRTIO_CRYPTO_DATAQ_BATCH  64
/* Upper bound of the max-sessions property */
#define VIRTIO_CRYPTO_MAX_SESSIONS_LIMIT (1u << 20)

/* The cipher algorithms this device knows how to drive */
#define VIRTIO_CRYPTO_CIPHER_ALGOS_IMPLEMENTED      \
    ((1u << VIRTIO_CRYPTO_CIPHER_AES_ECB) |         \
     (1u << VIRTIO_CRYPTO_CIPHER_AES_CBC) |         \
     (1u << VIRTIO_CRYPTO_CIPHER_AES_CTR) |         \
     (1u << VIRTIO_CRYPTO_CIPHER_AES_XTS))

/* One data request from pop to push */
typedef struct VirtIOCryptoDataReq {
    VirtQueueElement *elem;
    VirtIOCryptoQueue *queue;
    VirtIOCryptoDataOp op;
    CryptoDevBackendOpInfo op_info;
    CryptoDevBackendSymOpInfo sym;
} VirtIOCryptoDataReq;

static void virtio_crypto_limits(VirtIOCrypto *vcrypto,
                                 VirtIOCryptoLimits *lim)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(vcrypto);

    lim->features = vdev->guest_features;
    lim->max_size = vcrypto->max_size;
    lim->max_cipher_key_len = vcrypto->max_cipher_key_len;
    lim->max_auth_key_len = 0;
}

/* Backend statuses come back negated; anything unknown becomes ERR */
static uint8_t virtio_crypto_status_from_ret(int ret)
{
    if (ret == 0) {
        return VIRTIO_CRYPTO_OK;
    }
    if (ret < 0 && ret >= -VIRTIO_CRYPTO_KEY_REJECTED) {
        return -ret;
    }
    return VIRTIO_CRYPTO_ERR;
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

static uint8_t virtio_crypto_create_cipher_session(VirtIOCrypto *vcrypto,
                                                   VirtIOCryptoCtrlOp *op,
                                                   uint64_t *id)
{
    VirtIOCryptoCipherParams *p = &op->cipher;
    CryptoDevBackendSessionInfo info = { 0 };
    CryptoDevBackendSymSessionInfo *sym = &info.u.sym_sess_info;
    VirtIOCryptoSyncResult res = { 0 };
    VirtIOCryptoSession s = { 0 };
    int ret;

    /* only algorithms the config space advertises */
    if (p->algo >= 32 || !(vcrypto->cipher_algo_l & (1u << p->algo))) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "virtio-crypto: cipher algorithm %u not offered\n",
                      p->algo);
        return VIRTIO_CRYPTO_NOTSUPP;
    }
    /* Without REVISION_1 a full table is reported as ERR (checklist 3.4) */
    if (virtio_crypto_session_table_full(vcrypto->sessions)) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "virtio-crypto: session limit (%u) reached\n",
                      vcrypto->conf.max_sessions);
        return VIRTIO_CRYPTO_ERR;
    }

    info.op_code = op->opcode;
    sym->op_type = VIRTIO_CRYPTO_SYM_OP_CIPHER;
    sym->cipher_alg = p->algo;
    sym->direction = p->op;
    sym->key_len = p->key_len;
    sym->cipher_key = p->key;

    ret = cryptodev_backend_create_session(vcrypto->cryptodev, &info, 0,
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

    s.service = VIRTIO_CRYPTO_SERVICE_CIPHER;
    s.op_type = VIRTIO_CRYPTO_SYM_OP_CIPHER;
    s.algo = p->algo;
    s.direction = p->op;
    s.backend_id = info.session_id;
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
    const VirtIOCryptoSession *s;

    s = virtio_crypto_session_find(vcrypto->sessions, op->session_id);
    /* unknown id, or an id of another service, is an error */
    if (!s || s->service != op->service) {
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
            op.status = virtio_crypto_create_cipher_session(vcrypto, &op,
                                                            &id);
            trace_virtio_crypto_session_create(vcrypto, op.service,
                                               op.cipher.algo,
                                               op.cipher.key_len, id,
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
        virtqueue_push(vq, elem, used);
        virtio_notify(vdev, vq);
        g_free(elem);
    }
}

/* ---- data queues -------------------------------------------------------- */

static void virtio_crypto_data_complete(VirtIOCryptoDataReq *req)
{
    VirtIOCryptoQueue *q = req->queue;
    VirtIODevice *vdev = VIRTIO_DEVICE(q->vcrypto);
    size_t used;

    used = virtio_crypto_complete_data(req->elem->in_sg, req->elem->in_num,
                                       &req->op);
    trace_virtio_crypto_data_done(q->vcrypto, q->index, req->op.status, used);
    virtqueue_push(q->vq, req->elem, used);
    virtio_notify(vdev, q->vq);

    virtio_crypto_data_op_clear(&req->op);
    g_free(req->elem);
    g_free(req);
}

static void virtio_crypto_data_done(void *opaque, int ret)
{
    VirtIOCryptoDataReq *req = opaque;

    req->op.status = virtio_crypto_status_from_ret(ret);
    virtio_crypto_data_complete(req);
}

/*
 * Look the session up and bind the parsed operation to it.  Returns the
 * status to answer with when the request cannot go to the backend.
 */
static uint8_t virtio_crypto_bind_session(VirtIOCrypto *vcrypto,
                                          VirtIOCryptoDataReq *req)
{
    VirtIOCryptoDataOp *op = &req->op;
    const VirtIOCryptoSession *s;
    uint32_t want_dir;

    s = virtio_crypto_session_find(vcrypto->sessions, op->session_id);
    /* X-2 / AMB-24: unknown id, or a session of another kind */
    if (!s || s->service != op->service || s->op_type != op->op_type) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "virtio-crypto: opcode 0x%x on invalid session %"
                      PRIu64 "\n", op->opcode, op->session_id);
        return VIRTIO_CRYPTO_INVSESS;
    }
    /* AMB-14: the opcode's direction must match the session's op */
    want_dir = op->opcode == VIRTIO_CRYPTO_CIPHER_ENCRYPT ?
               VIRTIO_CRYPTO_OP_ENCRYPT : VIRTIO_CRYPTO_OP_DECRYPT;
    if (s->direction != want_dir) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "virtio-crypto: opcode 0x%x contradicts the direction "
                      "of session %" PRIu64 "\n", op->opcode, s->id);
        return VIRTIO_CRYPTO_ERR;
    }

    req->sym.op_type = op->op_type;
    req->sym.iv_len = op->iv_len;
    req->sym.src_len = op->src_len;
    req->sym.dst_len = op->dst_len;
    req->sym.iv = op->iv;
    req->sym.src = op->src;
    req->sym.dst = op->dst;
    req->op_info.algtype = CRYPTODEV_BACKEND_ALG_SYM;
    req->op_info.op_code = op->opcode;
    req->op_info.session_id = s->backend_id;
    req->op_info.u.sym_op_info = &req->sym;
    return VIRTIO_CRYPTO_OK;
}

/* Returns false when the device had to be marked broken */
static bool virtio_crypto_handle_data_req(VirtIOCryptoQueue *q,
                                          VirtQueueElement *elem)
{
    VirtIOCrypto *vcrypto = q->vcrypto;
    VirtIODevice *vdev = VIRTIO_DEVICE(vcrypto);
    VirtIOCryptoDataReq *req = g_new0(VirtIOCryptoDataReq, 1);
    VirtIOCryptoLimits lim;
    int ret;

    req->elem = elem;
    req->queue = q;
    virtio_crypto_limits(vcrypto, &lim);

    if (virtio_crypto_parse_data(elem->out_sg, elem->out_num,
                                 elem->in_sg, elem->in_num,
                                 &lim, &req->op) < 0) {
        virtio_crypto_data_op_clear(&req->op);
        virtqueue_detach_element(q->vq, elem, 0);
        g_free(elem);
        g_free(req);
        virtio_error(vdev, "virtio-crypto: data request without a "
                     "writable status byte");
        return false;
    }
    trace_virtio_crypto_data_req(vcrypto, q->index, req->op.opcode,
                                 req->op.session_id, req->op.src_len,
                                 req->op.status);

    if (req->op.status != VIRTIO_CRYPTO_OK) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "virtio-crypto: data opcode 0x%x rejected (status %u)\n",
                      req->op.opcode, req->op.status);
        virtio_crypto_data_complete(req);
        return true;
    }

    req->op.status = virtio_crypto_bind_session(vcrypto, req);
    if (req->op.status != VIRTIO_CRYPTO_OK) {
        virtio_crypto_data_complete(req);
        return true;
    }

    ret = cryptodev_backend_crypto_operation(vcrypto->cryptodev,
                                             &req->op_info, q->index,
                                             virtio_crypto_data_done, req);
    if (ret < 0) {
        req->op.status = virtio_crypto_status_from_ret(ret);
        virtio_crypto_data_complete(req);
    }
    return true;
}

static void virtio_crypto_dataq_bh(void *opaque)
{
    VirtIOCryptoQueue *q = opaque;
    VirtIODevice *vdev = VIRTIO_DEVICE(q->vcrypto);
    VirtQueueElement *elem;
    unsigned int n = 0;

    if (vdev->broken || !(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        return;
    }

    for (;;) {
        elem = virtqueue_pop(q->vq, sizeof(VirtQueueElement));
        if (!elem) {
            break;
        }
        if (!virtio_crypto_handle_data_req(q, elem)) {
            return;
        }
        if (++n >= VIRTIO_CRYPTO_DATAQ_BATCH) {
            /* Let the main loop breathe; come back for the rest */
            qemu_bh_schedule(q->bh);
            return;
        }
    }

    virtio_queue_set_notification(q->vq, 1);
    /* Catch requests that raced with re-enabling notification */
    if (!virtio_queue_empty(q->vq)) {
        virtio_queue_set_notification(q->vq, 0);
        qemu_bh_schedule(q->bh);
    }
}

static void virtio_crypto_handle_dataq(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOCrypto *vcrypto = VIRTIO_CRYPTO(vdev);
    uint32_t index = virtio_get_queue_index(vq);

    if (index >= vcrypto->max_queues) {
        return;
    }
    virtio_queue_set_notification(vq, 0);
    qemu_bh_schedule(vcrypto->vqs[index].bh);
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
    stl_le_p(&cfg.max_cipher_key_len, vcrypto->max_cipher_key_len);
    stq_le_p(&cfg.max_size, vcrypto->max_size);
    memcpy(config, &cfg, sizeof(cfg));
}

static uint64_t virtio_crypto_get_features(VirtIODevice *vdev,
                                           uint64_t features, Error **errp)
{
    /* Legacy padded layout only: no REVISION_1, no stateless bits */
    return features;
}

static void virtio_crypto_reset(VirtIODevice *vdev)
{
    VirtIOCrypto *vcrypto = VIRTIO_CRYPTO(vdev);

    trace_virtio_crypto_reset(vcrypto,
                              virtio_crypto_session_count(vcrypto->sessions));
    /* AMB-24 / X-8: sessions do not survive a reset */
    virtio_crypto_session_table_clear(vcrypto->sessions);
}

/* Fill the config-space capabilities: what the backend offers AND we do */
static void virtio_crypto_init_config(VirtIOCrypto *vcrypto)
{
    CryptoDevBackendConf *bconf = &vcrypto->cryptodev->conf;

    vcrypto->crypto_services = 0;
    vcrypto->cipher_algo_l = bconf->cipher_algo_l &
                             VIRTIO_CRYPTO_CIPHER_ALGOS_IMPLEMENTED;
    if ((bconf->crypto_services & (1u << VIRTIO_CRYPTO_SERVICE_CIPHER)) &&
        vcrypto->cipher_algo_l) {
        vcrypto->crypto_services |= 1u << VIRTIO_CRYPTO_SERVICE_CIPHER;
    } else {
        vcrypto->cipher_algo_l = 0;
    }
    vcrypto->max_cipher_key_len = bconf->max_cipher_key_len;
    vcrypto->max_size = MIN(vcrypto->conf.max_size, bconf->max_size);
    vcrypto->status = cryptodev_backend_is_ready(vcrypto->cryptodev) ?
                      VIRTIO_CRYPTO_S_HW_READY : 0;
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

    vcrypto->cryptodev = vcrypto->conf.cryptodev;
    vcrypto->max_queues = vcrypto->cryptodev->conf.peers.queues;
    if (vcrypto->max_queues < 1 ||
        vcrypto->max_queues > MAX_CRYPTO_QUEUE_NUM) {
        error_setg(errp, "cryptodev queues must be 1..%d, not %u",
                   MAX_CRYPTO_QUEUE_NUM, vcrypto->max_queues);
        return;
    }

    virtio_init(vdev, VIRTIO_ID_CRYPTO, sizeof(struct virtio_crypto_config));

    /* Checklist 1.4: data queues 0..N-1, then the control queue at N */
    vcrypto->vqs = g_new0(VirtIOCryptoQueue, vcrypto->max_queues);
    for (i = 0; i < vcrypto->max_queues; i++) {
        VirtIOCryptoQueue *q = &vcrypto->vqs[i];

        q->vcrypto = vcrypto;
        q->index = i;
        q->vq = virtio_add_queue(vdev, VIRTIO_CRYPTO_DATAQ_SIZE,
                                 virtio_crypto_handle_dataq);
        q->bh = virtio_bh_new_guarded(dev, virtio_crypto_dataq_bh, q);
    }
    vcrypto->ctrl_vq = virtio_add_queue(vdev, VIRTIO_CRYPTO_CTRLQ_SIZE,
                                        virtio_crypto_handle_ctrl);

    vcrypto->sessions =
        virtio_crypto_session_table_new(vcrypto->conf.max_sessions,
                                        virtio_crypto_session_release,
                                        vcrypto);
    virtio_crypto_init_config(vcrypto);
    cryptodev_backend_set_used(vcrypto->cryptodev, true);

    trace_virtio_crypto_realize(vcrypto, vcrypto->max_queues,
                                vcrypto->crypto_services,
                                vcrypto->cipher_algo_l, vcrypto->max_size);
}

static void virtio_crypto_device_unrealize(DeviceState *dev)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(dev);
    VirtIOCrypto *vcrypto = VIRTIO_CRYPTO(dev);
    uint32_t i;

    virtio_crypto_session_table_free(vcrypto->sessions);
    vcrypto->sessions = NULL;

    for (i = 0; i < vcrypto->max_queues; i++) {
        qemu_bh_delete(vcrypto->vqs[i].bh);
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
    vdc->reset = virtio_crypto_reset;
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
