/*
 * virtio-crypto data queues: execution off the main loop
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each data queue has one worker thread, which alone touches the queue's
 * rings while the device runs.  The queue's kick handler (main loop or
 * vCPU thread, BQL held) only wakes it.  The worker loops:
 *
 *   BQL held:     check the device may run (DRIVER_OK, not broken, not
 *                 quiescing or paused) and mark the queue busy
 *   BQL dropped,  turn guest notifications off; pop up to
 *   in one RCU    VIRTIO_CRYPTO_DATAQ_BATCH requests into the queue's pool
 *   read-side     of request slots (virtqueue_pop_into: no allocation,
 *   critical      guest RAM mapped for the RCU critical section without
 *   section:      memory region references); parse, bind to the session,
 *                 run the crypto on the backend and write results into the
 *                 mapped guest buffers; fill the used ring for the whole
 *                 batch and flush
 *   BQL held:     send one interrupt (virtio_notify honours EVENT_IDX),
 *                 finish a virtio_error() raised meanwhile, mark the queue
 *                 idle
 *
 * and pops again until the ring is empty; only then are notifications
 * turned back on (with a re-check for requests that raced).  The BQL is
 * held for a few hundred instructions per batch, so N queues run on N
 * host cores (docs/performance.md, "Scaling").
 *
 * Ring access without the BQL is safe because everything else that
 * touches a data queue's rings holds the BQL and first stops the worker:
 * reset, status changes and queue reset quiesce it (below), and the core
 * calls the queue_quiesce hook before it changes a queue's size or ring
 * addresses (a guest may write those at any time).  The region caches
 * are RCU-protected, so a memory map change under a running worker is
 * safe.  A virtio_error() in the worker only marks the device broken
 * (VirtIODevice.defer_errors); the worker raises NEEDS_RESET once it holds
 * the BQL again.  Rings or buffers outside guest RAM take the BQL for each
 * access (prepare_mmio_access()); the worker holds no other lock then.
 *
 * A batch whose crypto takes longer than VIRTIO_CRYPTO_DATAQ_PUSH_NS
 * (RSA-4096, large requests) completes what is done and gives the rest
 * back to the ring, so the guest sees results early and the RCU critical
 * section stays short; the next pops take about what ran in time.  No
 * request holds the BQL or the main loop while its crypto runs.
 *
 * Why threads and not IOThreads: the interrupt code needs the BQL under
 * TCG anyway, and an operation is one synchronous call into qcrypto, so a
 * plain thread per queue that takes the BQL twice per batch, briefly, is
 * the simplest way to run N queues on N host cores (docs/device.md).
 *
 * Quiescing (reset, set_status without DRIVER_OK, queue reset, unrealize;
 * all with the BQL held): virtio_crypto_dataq_quiesce() sets @cancel and
 * waits on @idle (qemu_cond_wait_iothread drops the BQL while waiting, so
 * the worker can take it to finish).  A worker that sees @cancel stops
 * before the next request of its batch, and at the end of the batch
 * detaches (unmaps) every request it holds instead of completing it, then
 * clears @busy.  So when quiesce returns, the worker holds no element and
 * cannot write guest memory until the driver is ready again; the wait is
 * at most one request's crypto.  While @cancel is set the worker pops
 * nothing.
 *
 * VM stop (virtio_crypto_dataq_pause()) works the same way with @pause,
 * except that the requests not yet run go back to the ring
 * (virtqueue_unpop) instead of being dropped, and run after the VM
 * resumes.
 *
 * Sessions are shared by all queues (AMB-9): the session table and the
 * backend are thread safe, and the backend keeps one qcrypto context per
 * queue, so queues never share IV or hash state.
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qemu/iov.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/rcu.h"
#include "qemu/timer.h"
#include "hw/virtio/virtio.h"
#include "hw/virtio/virtio-crypto.h"
#include "hw/virtio/virtio-crypto-parse.h"
#include "hw/virtio/virtio-crypto-session.h"
#include "trace.h"

/* Complete what is done once a batch has run this long */
#define VIRTIO_CRYPTO_DATAQ_PUSH_NS (1 * SCALE_MS)

/* iovecs a pooled request holds; a longer chain is allocated (rare) */
#define VIRTIO_CRYPTO_DATAQ_SLOT_SG 16

/*
 * One data request from pop to push: a slot of the queue's pool, or, for
 * a chain of more than VIRTIO_CRYPTO_DATAQ_SLOT_SG buffers, allocated by
 * virtqueue_pop_into() in one piece with its iovec arrays.
 */
struct VirtIOCryptoDataReq {
    VirtQueueElement elem;      /* first: virtqueue_pop_into() fills it */
    VirtIOCryptoDataOp op;
    CryptoDevBackendOpInfo op_info;
    CryptoDevBackendSymOpInfo sym;
    CryptoDevBackendAsymOpInfo asym;
    /* Stateless requests run on a backend session of their own */
    bool temp_session;
    uint64_t temp_backend_id;
    bool done;                  /* the backend called back */
    size_t used;                /* used length to report */
};

/* A request slot of a queue's pool, with room for its iovecs */
struct VirtIOCryptoDataSlot {
    VirtIOCryptoDataReq req;
    hwaddr addr[VIRTIO_CRYPTO_DATAQ_SLOT_SG];
    struct iovec sg[VIRTIO_CRYPTO_DATAQ_SLOT_SG];
};

/* Batch entry @i is done with: free it unless it is slot @i of the pool */
static void virtio_crypto_dataq_release(VirtIOCryptoQueue *q, unsigned int i)
{
    if (q->batch[i] != &q->slots[i].req) {
        g_free(q->batch[i]);
    }
    q->batch[i] = NULL;
}

static void virtio_crypto_data_done(void *opaque, int ret)
{
    VirtIOCryptoDataReq *req = opaque;

    req->done = true;
    req->op.status = virtio_crypto_status_from_ret(ret);
    /* AMB-4: AKCIPHER output may be shorter than dst_data_len */
    if (req->op.service == VIRTIO_CRYPTO_SERVICE_AKCIPHER &&
        req->op.opcode != VIRTIO_CRYPTO_AKCIPHER_VERIFY) {
        req->op.out_len = MIN(req->asym.dst_len, req->op.dst_len);
    }
}

/*
 * AEAD sizes (AMB-11, AMB-15): the request's tag length, or the session's
 * when the request says 0.  Encrypt writes ciphertext || tag, so dst must
 * hold src_len + tag_len; decrypt reads ciphertext || tag from src and
 * writes src_len - tag_len bytes of plaintext.
 */
static uint8_t virtio_crypto_fill_aead(VirtIOCryptoDataReq *req,
                                       uint32_t direction,
                                       uint32_t session_tag_len)
{
    VirtIOCryptoDataOp *op = &req->op;
    uint32_t tag_len = op->tag_len ? op->tag_len : session_tag_len;
    uint32_t want_dir = op->opcode == VIRTIO_CRYPTO_AEAD_ENCRYPT ?
                        VIRTIO_CRYPTO_OP_ENCRYPT : VIRTIO_CRYPTO_OP_DECRYPT;

    if (direction != want_dir) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "virtio-crypto: opcode 0x%x contradicts the "
                      "session direction %u\n", op->opcode, direction);
        return VIRTIO_CRYPTO_ERR;
    }
    if (want_dir == VIRTIO_CRYPTO_OP_ENCRYPT) {
        op->out_len = (uint64_t)op->src_len + tag_len;
    } else if (op->src_len >= tag_len) {
        op->out_len = op->src_len - tag_len;
    } else {
        return VIRTIO_CRYPTO_ERR;
    }
    if (op->out_len > op->dst_len) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "virtio-crypto: AEAD dst_data_len %u < %zu\n",
                      op->dst_len, op->out_len);
        return VIRTIO_CRYPTO_ERR;
    }
    req->sym.iv_len = op->iv_len;
    req->sym.iv = op->iv;
    req->sym.aad_len = op->aad_len;
    req->sym.aad_data = op->aad;
    req->sym.dst_len = op->dst_len;
    req->sym.dst = op->dst;
    req->sym.digest_result_len = tag_len;
    return VIRTIO_CRYPTO_OK;
}

/*
 * Point the backend operation at the parsed buffers.  @direction and
 * @result_len come from the session (or the stateless parameters).
 */
static uint8_t virtio_crypto_fill_op(VirtIOCryptoDataReq *req,
                                     uint64_t backend_id, uint32_t direction,
                                     uint32_t result_len)
{
    VirtIOCryptoDataOp *op = &req->op;
    uint32_t want_dir;

    if (op->service == VIRTIO_CRYPTO_SERVICE_AKCIPHER) {
        req->asym.src = op->src;
        req->asym.src_len = op->src_len;
        if (op->opcode == VIRTIO_CRYPTO_AKCIPHER_VERIFY) {
            /* The digest goes where the backend API expects it */
            req->asym.dst = op->digest;
            req->asym.dst_len = op->digest_len;
        } else {
            req->asym.dst = op->dst;
            req->asym.dst_len = op->dst_len;
        }
        req->op_info.algtype = CRYPTODEV_BACKEND_ALG_ASYM;
        req->op_info.op_code = op->opcode;
        req->op_info.session_id = backend_id;
        req->op_info.u.asym_op_info = &req->asym;
        return VIRTIO_CRYPTO_OK;
    }
    if (op->service == VIRTIO_CRYPTO_SERVICE_CIPHER) {
        /* AMB-14: the opcode's direction must match the session's op */
        want_dir = op->opcode == VIRTIO_CRYPTO_CIPHER_ENCRYPT ?
                   VIRTIO_CRYPTO_OP_ENCRYPT : VIRTIO_CRYPTO_OP_DECRYPT;
        if (direction != want_dir) {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "virtio-crypto: opcode 0x%x contradicts the "
                          "session direction %u\n", op->opcode, direction);
            return VIRTIO_CRYPTO_ERR;
        }
        req->sym.iv_len = op->iv_len;
        req->sym.iv = op->iv;
        req->sym.dst_len = op->dst_len;
        req->sym.dst = op->dst;
        if (op->op_type == VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING) {
            uint32_t hres = op->chain.hash_result_len;

            /* AMB-14: no more hash bytes than the session's */
            if (hres > result_len) {
                return VIRTIO_CRYPTO_ERR;
            }
            req->sym.dst_len = op->dst_len - hres;
            req->sym.digest_result = op->dst + req->sym.dst_len;
            req->sym.digest_result_len = hres;
            req->sym.aad_len = op->aad_len;
            req->sym.aad_data = op->aad;
            req->sym.cipher_start_src_offset = op->chain.cipher_start;
            req->sym.len_to_cipher = op->chain.len_to_cipher;
            req->sym.hash_start_src_offset = op->chain.hash_start;
            req->sym.len_to_hash = op->chain.len_to_hash;
        }
    } else if (op->service == VIRTIO_CRYPTO_SERVICE_AEAD) {
        uint8_t status = virtio_crypto_fill_aead(req, direction, result_len);

        if (status != VIRTIO_CRYPTO_OK) {
            return status;
        }
    } else {
        /* AMB-14: a request may ask for less than the session allows */
        if (op->dst_len > result_len) {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "virtio-crypto: hash_result_len %u above the "
                          "session's %u\n", op->dst_len, result_len);
            return VIRTIO_CRYPTO_ERR;
        }
        req->sym.digest_result_len = op->dst_len;
        req->sym.digest_result = op->dst;
    }
    req->sym.op_type = op->op_type;
    req->sym.src_len = op->src_len;
    req->sym.src = op->src;
    req->op_info.algtype = CRYPTODEV_BACKEND_ALG_SYM;
    req->op_info.op_code = op->opcode;
    req->op_info.session_id = backend_id;
    req->op_info.u.sym_op_info = &req->sym;
    return VIRTIO_CRYPTO_OK;
}

/* Session mode: look the session up and bind the operation to it */
static uint8_t virtio_crypto_bind_session(VirtIOCryptoQueue *q,
                                          VirtIOCryptoDataReq *req)
{
    VirtIOCryptoDataOp *op = &req->op;
    VirtIOCryptoSession s;

    /* X-2 / AMB-24: unknown id, or a session of another kind */
    if (!virtio_crypto_session_find_cached(q->vcrypto->sessions,
                                           op->session_id, &q->session_cache,
                                           &s) ||
        s.service != op->service || s.op_type != op->op_type) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "virtio-crypto: opcode 0x%x on invalid session %"
                      PRIu64 "\n", op->opcode, op->session_id);
        return VIRTIO_CRYPTO_INVSESS;
    }
    return virtio_crypto_fill_op(req, s.backend_id, s.direction,
                                 s.result_len);
}

/* Stateless mode: a backend session just for this request */
static uint8_t virtio_crypto_bind_stateless(VirtIOCryptoQueue *q,
                                            VirtIOCryptoDataReq *req)
{
    VirtIOCryptoDataOp *op = &req->op;
    bool chain = op->op_type == VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING;
    uint8_t status;

    status = virtio_crypto_backend_session(q->vcrypto, q->index, op->service,
                                           &op->cipher, &op->hash,
                                           op->tag_len, &op->akcipher,
                                           chain ? &op->chain_params : NULL,
                                           &req->temp_backend_id);
    if (status != VIRTIO_CRYPTO_OK) {
        return status;
    }
    req->temp_session = true;
    return virtio_crypto_fill_op(req, req->temp_backend_id, op->cipher.op,
                                 op->service == VIRTIO_CRYPTO_SERVICE_AEAD ?
                                 op->tag_len : op->hash.result_len);
}

/*
 * Run one request without the BQL: parse, bind, execute, and write the
 * outcome into the guest's writable buffers.  Touches only the request,
 * the (locked) session table and the backend.
 */
static void virtio_crypto_dataq_run(VirtIOCryptoQueue *q,
                                    VirtIOCryptoDataReq *req)
{
    VirtIOCrypto *vcrypto = q->vcrypto;
    VirtQueueElement *elem = &req->elem;
    int ret;

    /* The pop checked there is a writable status byte */
    virtio_crypto_parse_data(elem->out_sg, elem->out_num, elem->in_sg,
                             elem->in_num, &q->lim, &req->op);
    trace_virtio_crypto_data_req(vcrypto, q->index, req->op.opcode,
                                 req->op.session_id, req->op.src_len,
                                 req->op.status);
    if (req->op.status != VIRTIO_CRYPTO_OK) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "virtio-crypto: data opcode 0x%x rejected (status %u)\n",
                      req->op.opcode, req->op.status);
        goto complete;
    }

    req->op.status = req->op.stateless ?
                     virtio_crypto_bind_stateless(q, req) :
                     virtio_crypto_bind_session(q, req);
    if (req->op.status != VIRTIO_CRYPTO_OK) {
        goto complete;
    }

    ret = cryptodev_backend_crypto_operation(vcrypto->cryptodev,
                                             &req->op_info, q->index,
                                             virtio_crypto_data_done, req);
    if (ret < 0) {
        req->op.status = virtio_crypto_status_from_ret(ret);
    } else if (!req->done) {
        /* Only backends that complete synchronously are driven (realize) */
        req->op.status = VIRTIO_CRYPTO_ERR;
    }

complete:
    req->used = virtio_crypto_complete_data(elem->in_sg, elem->in_num,
                                            &req->op);
    trace_virtio_crypto_data_done(vcrypto, q->index, req->op.status,
                                  req->used);
    if (req->temp_session) {
        cryptodev_backend_close_session(vcrypto->cryptodev,
                                        req->temp_backend_id, q->index,
                                        NULL, NULL);
    }
    virtio_crypto_data_op_clear(&req->op);
}

/*
 * BQL held.  May the worker run a batch now?  If the driver is not ready,
 * the requests stay in the ring, but the next kick is heard.
 */
static bool virtio_crypto_dataq_may_run(VirtIOCryptoQueue *q)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(q->vcrypto);

    if (vdev->broken || qatomic_read(&q->cancel) ||
        qatomic_read(&q->pause)) {
        return false;
    }
    if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        virtio_queue_set_notification(q->vq, 1);
        return false;
    }
    return true;
}

/*
 * The queue is busy (so nothing else touches its rings) and the RCU read
 * lock is held; no BQL.  Pop up to q->pop_max requests into q->batch,
 * request i into slot i of the pool.  Returns how many; with none,
 * notifications are back on and the worker may sleep.
 */
static unsigned int virtio_crypto_dataq_pop(VirtIOCryptoQueue *q)
{
    VirtIOCrypto *vcrypto = q->vcrypto;
    VirtIODevice *vdev = VIRTIO_DEVICE(vcrypto);
    VirtIOCryptoDataReq *req;
    unsigned int n = 0;

    /* Hear no kicks while the worker drains the ring */
    virtio_queue_set_notification(q->vq, 0);
    virtio_crypto_limits(vcrypto, &q->lim);
    /* The batch is one RCU critical section: translate once for all of it */
    memset(&q->map_cache, 0, sizeof(q->map_cache));
    while (n < q->pop_max) {
        VirtIOCryptoDataSlot *slot = &q->slots[n];

        /* The worker completes the batch inside its RCU critical section */
        req = virtqueue_pop_into(q->vq, sizeof(VirtIOCryptoDataReq),
                                 &slot->req.elem, slot->sg, slot->addr,
                                 VIRTIO_CRYPTO_DATAQ_SLOT_SG,
                                 VIRTQUEUE_POP_RCU, &q->map_cache);
        if (!req) {
            break;
        }
        if (iov_size(req->elem.in_sg, req->elem.in_num) == 0) {
            virtqueue_detach_element(q->vq, &req->elem, 0);
            q->batch[n] = req;
            virtio_crypto_dataq_release(q, n);
            virtio_error(vdev, "virtio-crypto: data request without a "
                         "writable status byte");
            break;
        }
        /* Everything after the element is ours to initialise */
        memset((uint8_t *)req + sizeof(req->elem), 0,
               sizeof(*req) - sizeof(req->elem));
        q->batch[n++] = req;
    }
    if (n) {
        /* Come back for more after this batch, notifications still off */
        qatomic_set(&q->kicked, true);
        return n;
    }
    if (!qatomic_read(&vdev->broken)) {
        virtio_queue_set_notification(q->vq, 1);
        /* Catch requests that raced with re-enabling notification */
        if (!virtio_queue_empty(q->vq)) {
            virtio_queue_set_notification(q->vq, 0);
            qatomic_set(&q->kicked, true);
        }
    }
    return 0;
}

/*
 * As virtio_crypto_dataq_pop().  Complete q->batch[from..to) with one
 * used-ring flush; when quiescing, detach them instead.  Returns how many
 * were completed: the caller sends the interrupt, with the BQL.
 */
static unsigned int virtio_crypto_dataq_push(VirtIOCryptoQueue *q,
                                             unsigned int from,
                                             unsigned int to)
{
    VirtIOCrypto *vcrypto = q->vcrypto;
    bool cancel = qatomic_read(&q->cancel);
    unsigned int i, filled = 0;

    for (i = from; i < to; i++) {
        VirtIOCryptoDataReq *req = q->batch[i];
        size_t used = req->used;

        if (cancel) {
            virtqueue_detach_element(q->vq, &req->elem, 0);
        } else if (virtio_crypto_apply_fault(vcrypto, q->vq, &req->elem,
                                             req->op.in_len,
                                             req->op.in_len - 1, &used)) {
            virtqueue_fill(q->vq, &req->elem, used, filled++);
        }
        virtio_crypto_dataq_release(q, i);
    }
    if (filled) {
        virtqueue_flush(q->vq, filled);
    }
    return filled;
}

/*
 * As virtio_crypto_dataq_pop(): requests popped but never run.  Quiescing
 * detaches them (the rings are about to be reset); pausing, or a batch
 * cut short because it ran too long, gives them back to the ring, last
 * popped first, so they are popped again (when the VM resumes).
 */
static void virtio_crypto_dataq_drop(VirtIOCryptoQueue *q, unsigned int from,
                                     unsigned int to)
{
    bool cancel = qatomic_read(&q->cancel);
    unsigned int i;

    for (i = to; i-- > from;) {
        if (cancel) {
            virtqueue_detach_element(q->vq, &q->batch[i]->elem, 0);
        } else {
            virtqueue_unpop(q->vq, &q->batch[i]->elem, 0);
        }
        virtio_crypto_dataq_release(q, i);
    }
}

/*
 * Size of the next pop: down to what ran in time when a batch was cut
 * short, doubled again (up to VIRTIO_CRYPTO_DATAQ_BATCH) after a batch
 * that took less than half the time.  So a queue of slow requests (RSA)
 * pops about what it runs, and a batch, which is also the worker's RCU
 * critical section, lasts about VIRTIO_CRYPTO_DATAQ_PUSH_NS at most.
 */
static void virtio_crypto_dataq_adapt(VirtIOCryptoQueue *q, unsigned int n,
                                      unsigned int done, int64_t elapsed)
{
    if (done < n && elapsed > VIRTIO_CRYPTO_DATAQ_PUSH_NS) {
        q->pop_max = MAX(done, 1);
    } else if (elapsed < VIRTIO_CRYPTO_DATAQ_PUSH_NS / 2) {
        q->pop_max = MIN(q->pop_max * 2, VIRTIO_CRYPTO_DATAQ_BATCH);
    }
}

/*
 * x-yield-us: a worker that has run batches back to back for this long
 * yields its CPU before the next batch, without the BQL.  Otherwise a
 * thread that wakes on a CPU the worker keeps busy (the main loop with a
 * QMP command, a vCPU) waits until the scheduler preempts the worker:
 * a QMP p99 of 4-5 ms with two busy queues on two CPUs
 * (docs/performance.md, "QMP round trip").  With nothing else runnable
 * a yield is one system call per slice.
 */
static void virtio_crypto_dataq_share_cpu(VirtIOCryptoQueue *q)
{
    int64_t slice = (int64_t)q->vcrypto->conf.yield_us * SCALE_US;
    int64_t now;

    if (!slice) {
        return;
    }
    now = get_clock();
    if (!q->running_since) {
        q->running_since = now;
    } else if (now - q->running_since >= slice) {
        trace_virtio_crypto_dataq_yield(q->vcrypto, q->index,
                                        (now - q->running_since) / SCALE_US);
        g_thread_yield();
        q->running_since = get_clock();
    }
}

static void *virtio_crypto_dataq_worker(void *opaque)
{
    VirtIOCryptoQueue *q = opaque;
    VirtIODevice *vdev = VIRTIO_DEVICE(q->vcrypto);

    rcu_register_thread();
    qemu_mutex_lock_iothread();
    for (;;) {
        unsigned int n, done = 0, filled = 0;
        int64_t start = 0, now = 0;

        while (!q->quit && !qatomic_read(&q->kicked)) {
            qemu_cond_wait_iothread(&q->wake);
        }
        if (q->quit) {
            break;
        }
        qatomic_set(&q->kicked, false);
        if (!virtio_crypto_dataq_may_run(q)) {
            continue;
        }
        q->busy = true;
        qemu_mutex_unlock_iothread();
        virtio_crypto_dataq_share_cpu(q);

        /*
         * The batch's guest buffers are mapped for this RCU critical
         * section (VIRTQUEUE_POP_RCU) and completed before it ends.
         * Nothing in it waits for a grace period; it may wait for the BQL
         * (guest memory that is not RAM), which no BQL holder blocks on
         * it (drain_call_rcu() drops the BQL, synchronize_rcu() runs on
         * the RCU thread only).
         */
        rcu_read_lock();
        n = virtio_crypto_dataq_pop(q);
        if (!n) {
            /* The ring is empty: the worker sleeps, its slice ends */
            q->running_since = 0;
            rcu_read_unlock();
            qemu_mutex_lock_iothread();
            goto idle;
        }

        start = get_clock();
        for (done = 0; done < n && !qatomic_read(&q->cancel) &&
                       !qatomic_read(&q->pause);) {
            VirtIOCryptoDataReq *req = q->batch[done++];

            virtio_crypto_dataq_run(q, req);
            /*
             * A slow batch: complete what is done, give the rest back.
             * Read the clock every 8 requests, or after a slow one.
             */
            if (done < n &&
                ((done & 7) == 0 || req->op.src_len >= 16384 ||
                 req->op.service == VIRTIO_CRYPTO_SERVICE_AKCIPHER)) {
                now = get_clock();
                if (now - start > VIRTIO_CRYPTO_DATAQ_PUSH_NS) {
                    break;
                }
            }
        }
        if (done == n) {
            now = get_clock();
        }

        filled = virtio_crypto_dataq_push(q, 0, done);
        virtio_crypto_dataq_drop(q, done, n);
        rcu_read_unlock();
        virtio_crypto_dataq_adapt(q, n, done, now - start);

        qemu_mutex_lock_iothread();
        if (filled) {
            virtio_notify(vdev, q->vq);
        }
idle:
        virtio_error_flush(vdev);
        q->busy = false;
        qemu_cond_broadcast(&q->idle);
    }
    q->exited = true;
    qemu_cond_broadcast(&q->idle);
    qemu_mutex_unlock_iothread();
    rcu_unregister_thread();
    return NULL;
}

/*
 * Kick handler, BQL held: wake the worker, which drains the ring.  Only
 * the worker touches the rings (notification suppression included).
 */
void virtio_crypto_dataq_kick(VirtIOCryptoQueue *q)
{
    qatomic_set(&q->kicked, true);
    qemu_cond_signal(&q->wake);
}

/*
 * BQL held: see the protocol at the top of this file.  @index is one data
 * queue, or -1 for all.  Every @cancel stays set until every worker is
 * idle, so no queue pops again while another is still being waited for.
 */
void virtio_crypto_dataq_quiesce(VirtIOCrypto *vcrypto, int index)
{
    uint32_t i;

    for (i = 0; i < vcrypto->max_queues; i++) {
        if (index < 0 || i == (uint32_t)index) {
            qatomic_set(&vcrypto->vqs[i].cancel, true);
        }
    }
    for (i = 0; i < vcrypto->max_queues; i++) {
        while (vcrypto->vqs[i].busy) {
            qemu_cond_wait_iothread(&vcrypto->vqs[i].idle);
        }
    }
    for (i = 0; i < vcrypto->max_queues; i++) {
        qatomic_set(&vcrypto->vqs[i].cancel, false);
    }
}

/*
 * BQL held.  VM stopped: no worker pops, and once this returns none runs
 * a request or writes guest memory (a batch stops after its current
 * request; the rest go back to the ring).  VM running: go on.
 */
void virtio_crypto_dataq_pause(VirtIOCrypto *vcrypto, bool pause)
{
    uint32_t i;

    for (i = 0; i < vcrypto->max_queues; i++) {
        qatomic_set(&vcrypto->vqs[i].pause, pause);
    }
    for (i = 0; i < vcrypto->max_queues; i++) {
        VirtIOCryptoQueue *q = &vcrypto->vqs[i];

        if (pause) {
            while (q->busy) {
                qemu_cond_wait_iothread(&q->idle);
            }
        } else {
            virtio_crypto_dataq_kick(q);
        }
    }
}

/*
 * x-idle-workers: run the worker under SCHED_IDLE, so that any other
 * thread that wakes up (the main loop answering QMP, a vCPU) preempts it
 * at once instead of waiting for the scheduler's wakeup granularity (the
 * QMP p99 on two busy queues, docs/performance.md).  The price: the
 * worker only gets CPU time that no normal thread wants, so a guest
 * whose vCPUs stay busy starves its own crypto.  Off by default.
 */
static void virtio_crypto_dataq_set_idle(VirtIOCryptoQueue *q)
{
    if (!q->vcrypto->conf.idle_workers) {
        return;
    }
#ifdef CONFIG_LINUX
    {
        struct sched_param sp = { 0 };
        int err = pthread_setschedparam(q->thread.thread, SCHED_IDLE, &sp);

        if (err) {
            warn_report("virtio-crypto: x-idle-workers: %s", strerror(err));
        }
    }
#else
    warn_report("virtio-crypto: x-idle-workers needs a Linux host");
#endif
}

void virtio_crypto_dataq_start(VirtIOCryptoQueue *q)
{
    char name[32];

    q->slots = g_new0(VirtIOCryptoDataSlot, VIRTIO_CRYPTO_DATAQ_BATCH);
    q->pop_max = VIRTIO_CRYPTO_DATAQ_BATCH;
    q->running_since = 0;
    qemu_cond_init(&q->wake);
    qemu_cond_init(&q->idle);
    snprintf(name, sizeof(name), "vcrypto-dq%u", q->index);
    qemu_thread_create(&q->thread, name, virtio_crypto_dataq_worker, q,
                       QEMU_THREAD_JOINABLE);
    virtio_crypto_dataq_set_idle(q);
}

/* BQL held; call virtio_crypto_dataq_quiesce() first */
void virtio_crypto_dataq_stop(VirtIOCryptoQueue *q)
{
    q->quit = true;
    qemu_cond_signal(&q->wake);
    while (!q->exited) {
        qemu_cond_wait_iothread(&q->idle);
    }
    qemu_thread_join(&q->thread);
    qemu_cond_destroy(&q->wake);
    qemu_cond_destroy(&q->idle);
    g_free(q->slots);
    q->slots = NULL;
}
