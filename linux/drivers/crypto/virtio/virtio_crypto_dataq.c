// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-crypto data queues: submission, backlog and completion.
 *
 * Nothing here allocates memory: every request carries its own header,
 * status byte and scatterlists in the crypto API request context, and the
 * driver does not negotiate indirect descriptors (see validate() in core).
 *
 * Notifications: the ring is updated under the queue lock, the device is
 * notified outside it (virtqueue_kick_prepare() under the lock,
 * virtqueue_notify() after), so submitters on other CPUs are not held up
 * by the notification's VM exit, and none is sent while the device has
 * notifications suppressed (it is still draining the ring): kicks
 * coalesce while the ring is being filled. The notify runs inside an RCU
 * read-side section that begins before the queue is found alive; after
 * stopping the queues, teardown waits for those sections
 * (synchronize_rcu()) before the virtqueues can be deleted.
 */
#include <linux/bottom_half.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/virtio.h>
#include <crypto/algapi.h>

#include "virtio_crypto_common.h"

/*
 * Test only: treat a queue as full once this many requests are on it, to
 * exercise the backlog and -ENOSPC paths without filling a real ring.
 */
static unsigned int x_queue_limit;
module_param(x_queue_limit, uint, 0644);
MODULE_PARM_DESC(x_queue_limit,
		 "Test only: requests per data queue before it counts as full (default 0: no limit)");

static_assert(sizeof(struct vcrypto_sym_sl_flf) == 76);
static_assert(sizeof(struct vcrypto_hash_sl_flf) == 16);
static_assert(sizeof(struct vcrypto_mac_sl_flf) == 16);
static_assert(sizeof(struct vcrypto_aead_sl_flf) == 32);
static_assert(sizeof(struct vcrypto_akcipher_sl_flf) == 28);
static_assert(sizeof(struct virtio_crypto_op_header) == 24);
static_assert(sizeof(struct virtio_crypto_op_data_req) == 72);

/*
 * Size of a session-mode fixed part (checklist 4.2, AMB-27): legacy,
 * every opcode's is padded to 48 bytes (FEAT-2); with REVISION_1 it is
 * the struct's own size. Each packed struct is the first bytes of the
 * legacy one (the Linux header's para structs, then padding), so only the
 * length the device reads changes.
 */
static unsigned int vcrypto_session_flf_len(const struct vcrypto_dev *vc,
					    u32 service)
{
	if (!vc->rev1)
		return sizeof(((struct virtio_crypto_op_data_req *)0)->u);
	switch (service) {
	case VIRTIO_CRYPTO_SERVICE_HASH:
	case VIRTIO_CRYPTO_SERVICE_MAC:
	case VIRTIO_CRYPTO_SERVICE_AKCIPHER:
		return 8;
	case VIRTIO_CRYPTO_SERVICE_AEAD:
		return 24;
	default:
		return 48;
	}
}

/* Size of a stateless fixed part (checklist 4.4, AMB-27). */
static unsigned int vcrypto_sl_flf_len(u32 service)
{
	switch (service) {
	case VIRTIO_CRYPTO_SERVICE_HASH:
		return sizeof(struct vcrypto_hash_sl_flf);
	case VIRTIO_CRYPTO_SERVICE_MAC:
		return sizeof(struct vcrypto_mac_sl_flf);
	case VIRTIO_CRYPTO_SERVICE_AEAD:
		return sizeof(struct vcrypto_aead_sl_flf);
	case VIRTIO_CRYPTO_SERVICE_AKCIPHER:
		return sizeof(struct vcrypto_akcipher_sl_flf);
	default:
		return sizeof(struct vcrypto_sym_sl_flf);
	}
}

/**
 * vcrypto_req_session - finish the header of a session-mode request
 * @vreq: request whose @hdr (opcode, algo, fixed part) is filled in
 * @vc: the device it goes to
 * @session_id: the session
 *
 * Under REVISION_1 the flag says session mode (AMB-23: always set on
 * session requests, DRV-SYM-2, DRV-HASH-2 ...), and the device reads the
 * packed fixed part; without it the flag stays 0 (FEAT-2) and the padded
 * one is sent. Sets @hdr_sg to that length.
 */
void vcrypto_req_session(struct vcrypto_req *vreq, struct vcrypto_dev *vc,
			 u64 session_id)
{
	u32 service = le32_to_cpu(vreq->hdr.header.opcode) >> 8;

	vreq->hdr.header.session_id = cpu_to_le64(session_id);
	vreq->hdr.header.flag = cpu_to_le32(vc->rev1 ?
					    VCRYPTO_FLAG_SESSION_MODE : 0);
	vreq->stateless = false;
	sg_init_one(&vreq->hdr_sg, &vreq->hdr,
		    sizeof(vreq->hdr.header) +
		    vcrypto_session_flf_len(vc, service));
}

/**
 * vcrypto_req_stateless - finish the header of a stateless request
 * @vreq: request whose @sl (opcode, algo, stateless fixed part) is filled
 *
 * Only for a service whose STATELESS bit was negotiated (so REVISION_1
 * was too, FEAT-1): flag 0 and no session id (AMB-3). Sets @hdr_sg to the
 * stateless fixed part of the opcode.
 */
void vcrypto_req_stateless(struct vcrypto_req *vreq)
{
	u32 service = le32_to_cpu(vreq->sl.header.opcode) >> 8;

	vreq->sl.header.session_id = 0;
	vreq->sl.header.flag = 0;
	vreq->stateless = true;
	sg_init_one(&vreq->hdr_sg, &vreq->sl,
		    sizeof(vreq->sl.header) + vcrypto_sl_flf_len(service));
}

/* Map the untrusted status byte to an errno (checklist section 5). */
static int vcrypto_status_to_errno(u8 status)
{
	switch (status) {
	case VIRTIO_CRYPTO_OK:
		return 0;
	case VIRTIO_CRYPTO_BADMSG:
		return -EBADMSG;
	case VIRTIO_CRYPTO_NOTSUPP:
		return -EOPNOTSUPP;
	case VIRTIO_CRYPTO_INVSESS:
		return -EINVAL;
	case VIRTIO_CRYPTO_KEY_REJECTED:
		return -EKEYREJECTED;
	default:
		/* ERR, NOSPC (not allowed on data queues) and anything else */
		return -EIO;
	}
}

static void vcrypto_req_complete(struct vcrypto_req *vreq, int err)
{
	struct crypto_async_request *areq = vreq->areq;

	if (vreq->finish)
		err = vreq->finish(vreq, err);
	areq->complete(areq, err);
}

/*
 * Validate what the device reported for a finished request. The status
 * byte is the last byte of the writable area (X-5, AMB-4), so it is read
 * whatever the used length says; a successful status additionally needs a
 * used length that covers the output and the status byte (GEN-7/GEN-8)
 * and does not exceed the writable area.
 */
static int vcrypto_req_result(struct vcrypto_req *vreq)
{
	int err = vcrypto_status_to_errno(READ_ONCE(vreq->status));

	if (err)
		return err;
	if (vreq->used_len < vreq->out_len + 1 ||
	    (vreq->in_len && vreq->used_len > vreq->in_len))
		return -EIO;
	return 0;
}

/* Called with dq->lock held. */
static int vcrypto_add(struct vcrypto_dataq *dq, struct vcrypto_req *vreq)
{
	unsigned int limit = READ_ONCE(x_queue_limit);
	int err;

	if (limit && dq->inflight >= limit)
		return -ENOSPC;
	err = virtqueue_add_sgs(dq->vq, vreq->sgs, vreq->n_out, vreq->n_in,
				vreq, GFP_ATOMIC);
	if (!err) {
		u32 service = le32_to_cpu(vreq->hdr.header.opcode) >> 8;

		vreq->submitted = jiffies;
		list_add_tail(&vreq->inflight_node, &dq->inflight_list);
		dq->inflight++;
		dq->stats.submitted++;
		if (service < ARRAY_SIZE(dq->stats.by_service))
			dq->stats.by_service[service]++;
		if (vreq->stateless)
			dq->stats.stateless++;
	}
	return err;
}

static void vcrypto_dataq_tasklet(unsigned long data)
{
	struct vcrypto_dataq *dq = (struct vcrypto_dataq *)data;
	struct vcrypto_req *vreq, *tmp;
	unsigned long flags;
	unsigned int len;
	LIST_HEAD(done);
	LIST_HEAD(moved);
	struct virtqueue *vq = NULL;
	bool kick = false;

	rcu_read_lock();
	spin_lock_irqsave(&dq->lock, flags);
	if (dq->dead) {
		spin_unlock_irqrestore(&dq->lock, flags);
		rcu_read_unlock();
		return;
	}
	do {
		virtqueue_disable_cb(dq->vq);
		while ((vreq = virtqueue_get_buf(dq->vq, &len))) {
			list_del(&vreq->inflight_node);
			dq->inflight--;
			dq->stats.completed++;
			vreq->used_len = len;
			list_add_tail(&vreq->node, &done);
		}
	} while (!virtqueue_enable_cb(dq->vq));

	/* Room was freed: move backlogged requests onto the ring, in order. */
	list_for_each_entry_safe(vreq, tmp, &dq->backlog, node) {
		int err = vcrypto_add(dq, vreq);

		if (err == -ENOSPC)
			break;
		if (err) {
			/* status is still unset: completes with -EIO */
			list_move_tail(&vreq->node, &done);
			continue;
		}
		kick = true;
		list_move_tail(&vreq->node, &moved);
	}
	/* one notification for every request moved from the backlog */
	if (kick && virtqueue_kick_prepare(dq->vq)) {
		vq = dq->vq;
		dq->stats.kicks++;
	}
	spin_unlock_irqrestore(&dq->lock, flags);
	if (vq)
		virtqueue_notify(vq);
	rcu_read_unlock();

	/*
	 * Only this tasklet takes buffers off the used ring, so requests on
	 * @moved cannot complete before this loop is done with them.
	 */
	list_for_each_entry_safe(vreq, tmp, &moved, node)
		vreq->areq->complete(vreq->areq, -EINPROGRESS);

	list_for_each_entry_safe(vreq, tmp, &done, node) {
		int err = vcrypto_req_result(vreq);

		list_del(&vreq->node);
		if (err) {
			spin_lock_irqsave(&dq->lock, flags);
			dq->stats.failed++;
			spin_unlock_irqrestore(&dq->lock, flags);
		}
		vcrypto_req_complete(vreq, err);
	}
}

/**
 * vcrypto_dataq_done - virtqueue callback of a data queue
 * @vq: the data virtqueue
 *
 * Runs in hard interrupt context; crypto API completions must not, so the
 * used ring is drained by the queue's tasklet.
 */
void vcrypto_dataq_done(struct virtqueue *vq)
{
	struct vcrypto_dev *vc = vq->vdev->priv;

	tasklet_schedule(&vc->dataqs[vq->index].done_task);
}

/**
 * vcrypto_dataq_init - initialise the software state of a data queue
 * @dq: the queue
 * @vc: owning device
 * @index: data queue index (0-based)
 *
 * Called once, at probe. The queue stays dead until
 * vcrypto_dataq_revive() attaches a virtqueue.
 */
void vcrypto_dataq_init(struct vcrypto_dataq *dq, struct vcrypto_dev *vc,
			unsigned int index)
{
	spin_lock_init(&dq->lock);
	INIT_LIST_HEAD(&dq->backlog);
	INIT_LIST_HEAD(&dq->inflight_list);
	tasklet_init(&dq->done_task, vcrypto_dataq_tasklet, (unsigned long)dq);
	dq->vc = vc;
	dq->vq = NULL;
	dq->dead = true;
	dq->inflight = 0;
	snprintf(dq->name, sizeof(dq->name), "dataq.%u", index);
}

/**
 * vcrypto_dataq_revive - attach a (new) virtqueue and accept requests
 * @dq: a dead, drained queue
 * @vq: its virtqueue
 *
 * Tfms may be submitting concurrently (restore, recovery): only state
 * under the lock changes.
 */
void vcrypto_dataq_revive(struct vcrypto_dataq *dq, struct virtqueue *vq)
{
	unsigned long flags;

	spin_lock_irqsave(&dq->lock, flags);
	dq->vq = vq;
	dq->inflight = 0;
	dq->dead = false;
	spin_unlock_irqrestore(&dq->lock, flags);
}

/**
 * vcrypto_dataq_stalled - has the oldest request waited too long?
 * @dq: the queue
 * @timeout: in jiffies
 */
bool vcrypto_dataq_stalled(struct vcrypto_dataq *dq, unsigned long timeout)
{
	struct vcrypto_req *oldest;
	unsigned long flags;
	bool stalled = false;

	spin_lock_irqsave(&dq->lock, flags);
	oldest = list_first_entry_or_null(&dq->inflight_list,
					  struct vcrypto_req, inflight_node);
	if (!dq->dead && oldest &&
	    time_after(jiffies, oldest->submitted + timeout))
		stalled = true;
	spin_unlock_irqrestore(&dq->lock, flags);
	return stalled;
}

/**
 * vcrypto_pick_dataq - choose the data queue for a request
 * @vc: the device
 *
 * Queues are spread over CPUs (cpu % nr_dataqs), matching the affinity
 * hints set at probe, so every queue is used.
 */
struct vcrypto_dataq *vcrypto_pick_dataq(struct vcrypto_dev *vc)
{
	return &vc->dataqs[raw_smp_processor_id() % vc->nr_dataqs];
}

/**
 * vcrypto_dataq_submit - queue a prepared request on its data queue
 * @vreq: request with @dq, @areq, @sgs, @n_out, @n_in and @ndesc set
 *
 * Nothing visible to the caller is modified unless the request is
 * accepted, so a request refused with -ENOSPC can be retried unchanged.
 *
 * Return: -EINPROGRESS when on the ring; -EBUSY when backlogged
 * (CRYPTO_TFM_REQ_MAY_BACKLOG, completed later with -EINPROGRESS first);
 * -ENOSPC when the ring is full and backlogging was not allowed; another
 * negative errno on failure.
 */
int vcrypto_dataq_submit(struct vcrypto_req *vreq)
{
	struct vcrypto_dataq *dq = vreq->dq;
	struct virtqueue *vq = NULL;
	unsigned long flags;
	int err;

	vreq->status = VCRYPTO_STATUS_UNSET;
	vreq->used_len = 0;

	rcu_read_lock();
	spin_lock_irqsave(&dq->lock, flags);
	if (dq->dead) {
		err = -ENODEV;
		goto out;
	}
	if (vreq->ndesc > virtqueue_get_vring_size(dq->vq)) {
		/* could never fit: do not let it sit in the backlog forever */
		err = -EINVAL;
		goto out;
	}
	if (list_empty(&dq->backlog)) {
		err = vcrypto_add(dq, vreq);
		if (!err) {
			if (virtqueue_kick_prepare(dq->vq)) {
				vq = dq->vq;
				dq->stats.kicks++;
			}
			err = -EINPROGRESS;
			goto out;
		}
		if (err != -ENOSPC) {
			err = -EIO;
			goto out;
		}
	}
	if (vreq->areq->flags & CRYPTO_TFM_REQ_MAY_BACKLOG) {
		list_add_tail(&vreq->node, &dq->backlog);
		dq->stats.backlogged++;
		err = -EBUSY;
	} else {
		dq->stats.rejected++;
		err = -ENOSPC;
	}
out:
	spin_unlock_irqrestore(&dq->lock, flags);
	/* outside the lock; the queue cannot be deleted before rcu unlock */
	if (vq)
		virtqueue_notify(vq);
	rcu_read_unlock();
	return err;
}

/**
 * vcrypto_dataq_stop - refuse further submissions on a queue
 * @dq: the queue
 *
 * A submitter that found the queue alive may still be notifying the
 * device: call synchronize_rcu() before deleting the virtqueue.
 */
void vcrypto_dataq_stop(struct vcrypto_dataq *dq)
{
	unsigned long flags;

	spin_lock_irqsave(&dq->lock, flags);
	dq->dead = true;
	spin_unlock_irqrestore(&dq->lock, flags);
}

/**
 * vcrypto_dataq_take_all - take every outstanding request off a queue
 * @dq: a stopped queue of a device that has been reset
 * @out: list the requests are moved to (through their @node)
 *
 * Requests on the ring and in the backlog; complete them later with
 * vcrypto_dataq_complete_list().
 */
void vcrypto_dataq_take_all(struct vcrypto_dataq *dq, struct list_head *out)
{
	struct vcrypto_req *vreq;
	unsigned long flags;

	tasklet_kill(&dq->done_task);

	spin_lock_irqsave(&dq->lock, flags);
	if (dq->vq) {
		while ((vreq = virtqueue_detach_unused_buf(dq->vq)))
			list_add_tail(&vreq->node, out);
	}
	INIT_LIST_HEAD(&dq->inflight_list);
	dq->inflight = 0;
	list_splice_tail_init(&dq->backlog, out);
	spin_unlock_irqrestore(&dq->lock, flags);
}

/**
 * vcrypto_dataq_complete_list - complete taken requests with an error
 * @list: requests from vcrypto_dataq_take_all()
 * @err: the error
 */
void vcrypto_dataq_complete_list(struct list_head *list, int err)
{
	struct vcrypto_req *vreq, *tmp;

	local_bh_disable();
	list_for_each_entry_safe(vreq, tmp, list, node) {
		list_del(&vreq->node);
		vcrypto_req_complete(vreq, err);
	}
	local_bh_enable();
}

/**
 * vcrypto_dataq_fail_all - complete every outstanding request with an error
 * @dq: a stopped queue of a device that has been reset
 * @err: the error
 *
 * Used at remove and freeze: requests on the ring and in the backlog are
 * all completed, so no caller waits forever.
 */
void vcrypto_dataq_fail_all(struct vcrypto_dataq *dq, int err)
{
	LIST_HEAD(failed);

	vcrypto_dataq_take_all(dq, &failed);
	vcrypto_dataq_complete_list(&failed, err);
}

/**
 * vcrypto_trim_sg - copy the part of a scatterlist that covers @len bytes
 * @out: destination array
 * @nents: size of @out
 * @sg: source scatterlist (may be longer than @len)
 * @len: bytes to cover, non-zero
 *
 * virtqueue_add_sgs() walks a chain to its end, so a caller's chain that
 * is longer than the request would hand the device more memory than the
 * request covers. Zero-length entries are skipped (a device may refuse
 * empty descriptors).
 *
 * Return: entries used in @out, or 0 if they do not fit in @nents or @sg
 * is shorter than @len.
 */
unsigned int vcrypto_trim_sg(struct scatterlist *out, unsigned int nents,
			     struct scatterlist *sg, unsigned int len)
{
	unsigned int n = 0;

	for (; sg && len; sg = sg_next(sg)) {
		unsigned int l = min(sg->length, len);

		if (!l)
			continue;
		if (n == nents)
			return 0;
		if (!n)
			sg_init_table(out, nents);
		sg_set_page(&out[n++], sg_page(sg), l, sg->offset);
		len -= l;
	}
	if (len || !n)
		return 0;
	sg_mark_end(&out[n - 1]);
	return n;
}

/**
 * vcrypto_dataq_show_stats - format the counters of a queue
 * @dq: the queue
 * @buf: sysfs buffer
 * @at: current length of @buf
 *
 * Return: the number of bytes added to @buf.
 */
int vcrypto_dataq_show_stats(struct vcrypto_dataq *dq, char *buf, int at)
{
	struct vcrypto_dataq_stats st;
	unsigned long flags;

	spin_lock_irqsave(&dq->lock, flags);
	st = dq->stats;
	spin_unlock_irqrestore(&dq->lock, flags);
	return sysfs_emit_at(buf, at,
			     "%s submitted=%llu completed=%llu failed=%llu backlogged=%llu rejected=%llu cipher=%llu hash=%llu mac=%llu aead=%llu akcipher=%llu stateless=%llu kicks=%llu\n",
			     dq->name, st.submitted, st.completed, st.failed,
			     st.backlogged, st.rejected,
			     st.by_service[VIRTIO_CRYPTO_SERVICE_CIPHER],
			     st.by_service[VIRTIO_CRYPTO_SERVICE_HASH],
			     st.by_service[VIRTIO_CRYPTO_SERVICE_MAC],
			     st.by_service[VIRTIO_CRYPTO_SERVICE_AEAD],
			     st.by_service[VIRTIO_CRYPTO_SERVICE_AKCIPHER],
			     st.stateless, st.kicks);
}

static void vcrypto_probe_done(struct crypto_async_request *areq, int err)
{
	struct vcrypto_probe *p = container_of(areq, struct vcrypto_probe,
					       areq);

	/* a backlogged probe is first told it is on the ring */
	if (err == -EINPROGRESS)
		return;
	p->err = err;
	complete(&p->done);
	if (refcount_dec_and_test(&p->refs))
		kfree_sensitive(p);
}

/**
 * vcrypto_probe_alloc - allocate a driver-made data request
 *
 * Context: sleeps. The caller fills in the request (header, scatterlists
 * over the buffer, lengths) and hands it to vcrypto_probe_run().
 *
 * Return: the zeroed probe, or NULL.
 */
struct vcrypto_probe *vcrypto_probe_alloc(void)
{
	struct vcrypto_probe *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return NULL;
	init_completion(&p->done);
	refcount_set(&p->refs, 2);
	p->areq.complete = vcrypto_probe_done;
	return p;
}

/**
 * vcrypto_probe_run - submit a probe and wait for its result
 * @p: probe from vcrypto_probe_alloc(), filled in; consumed
 * @vc: the device
 *
 * Used by the registration probes (is an advertised algorithm really
 * there, in the mode the algorithm will use). Waits at most 5 s; a probe
 * still on the ring then is abandoned and freed by its completion (the
 * watchdog or a remove completes it). Sleeps.
 *
 * Return: the request's result, or -ETIMEDOUT.
 */
int vcrypto_probe_run(struct vcrypto_probe *p, struct vcrypto_dev *vc)
{
	int err;

	p->vreq.areq = &p->areq;
	p->vreq.finish = NULL;
	p->vreq.dq = vcrypto_pick_dataq(vc);
	err = vcrypto_dataq_submit(&p->vreq);
	if (err != -EINPROGRESS) {
		kfree_sensitive(p);
		return err;
	}
	if (wait_for_completion_timeout(&p->done, 5 * HZ))
		err = p->err;
	else
		err = -ETIMEDOUT;
	if (refcount_dec_and_test(&p->refs))
		kfree_sensitive(p);
	return err;
}
