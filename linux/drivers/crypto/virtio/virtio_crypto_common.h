/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces of the virtio-crypto guest driver.
 *
 * Wire structures come from <uapi/linux/virtio_crypto.h>; spec-only items
 * that header lacks are defined here with a reference to the spec checklist
 * (docs/virtio-crypto-spec-checklist.md in the shared docs).
 */
#ifndef _VIRTIO_CRYPTO_COMMON_H
#define _VIRTIO_CRYPTO_COMMON_H

#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/scatterlist.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/bitmap.h>
#include <linux/virtio.h>
#include <crypto/algapi.h>
#include <uapi/linux/virtio_crypto.h>

/*
 * Spec-only constants (checklist section 1.2 and 2.7). Without
 * REVISION_1 every request uses the legacy padded layout, which is what
 * the stock QEMU device speaks (FEAT-2). The STATELESS bit of service S
 * is feature bit S + 1 (CIPHER 0 -> 1 ... AKCIPHER 4 -> 5).
 */
#define VCRYPTO_F_REVISION_1			0
#define VCRYPTO_F_CIPHER_STATELESS_MODE		1
#define VCRYPTO_F_HASH_STATELESS_MODE		2
#define VCRYPTO_F_MAC_STATELESS_MODE		3
#define VCRYPTO_F_AEAD_STATELESS_MODE		4
#define VCRYPTO_F_AKCIPHER_STATELESS_MODE	5
#define VCRYPTO_FLAG_SESSION_MODE		1

/*
 * Stateless fixed parts of data requests (checklist 4.4), which the UAPI
 * header lacks. All fields are le32, so there is no padding; the sizes
 * are checked at build time (virtio_crypto_dataq.c).
 */
struct vcrypto_cipher_sl_flf {
	__le32 algo;
	__le32 key_len;
	__le32 op;
	__le32 iv_len;
	__le32 src_data_len;
	__le32 dst_data_len;
};

struct vcrypto_chain_sl_flf {
	__le32 alg_chain_order;
	__le32 sess_aad_len;		/* must equal @aad_len (AMB-16) */
	__le32 cipher_algo;
	__le32 cipher_key_len;
	__le32 cipher_op;
	__le32 hash_algo;
	__le32 auth_key_len;
	__le32 hash_mode;
	__le32 iv_len;
	__le32 src_data_len;
	__le32 dst_data_len;
	__le32 cipher_start_src_offset;
	__le32 len_to_cipher;
	__le32 hash_start_src_offset;
	__le32 len_to_hash;
	__le32 aad_len;
	__le32 hash_result_len;
	__le32 reserved;
};

/* sym_data_flf_stateless: 76 bytes, no trailing padding (erratum E-9) */
struct vcrypto_sym_sl_flf {
	union {
		struct vcrypto_cipher_sl_flf cipher;
		struct vcrypto_chain_sl_flf chain;
		u8 padding[72];
	} u;
	__le32 op_type;
};

struct vcrypto_hash_sl_flf {
	__le32 algo;
	__le32 src_data_len;
	__le32 hash_result_len;
	__le32 reserved;
};

struct vcrypto_mac_sl_flf {
	__le32 algo;
	__le32 auth_key_len;
	__le32 src_data_len;
	__le32 hash_result_len;
};

/* note the field order, unlike the session-mode aead header */
struct vcrypto_aead_sl_flf {
	__le32 algo;
	__le32 key_len;
	__le32 op;
	__le32 iv_len;
	__le32 tag_len;
	__le32 aad_len;
	__le32 src_data_len;
	__le32 dst_data_len;
};

struct vcrypto_akcipher_sl_flf {
	__le32 algo;
	__le32 key_type;
	__le32 key_len;
	__le32 para[2];			/* RSA padding, hash; ECDSA curve, 0 */
	__le32 src_data_len;
	__le32 dst_data_len;
};

/* A stateless data request's header and fixed part. */
struct vcrypto_sl_req {
	struct virtio_crypto_op_header header;
	union {
		struct vcrypto_sym_sl_flf sym;
		struct vcrypto_hash_sl_flf hash;
		struct vcrypto_mac_sl_flf mac;
		struct vcrypto_aead_sl_flf aead;
		struct vcrypto_akcipher_sl_flf akcipher;
	} u;
};

/*
 * ECDSA is AKCIPHER algorithm 2 in the spec; the Linux UAPI header's 3
 * (VIRTIO_CRYPTO_AKCIPHER_ECDSA, DSA at 2) is not what devices use (AMB-1).
 */
#define VCRYPTO_AKCIPHER_ECDSA			2

/* Upper bound on max_dataqueues we are willing to set up (DRV-CFG-4). */
#define VCRYPTO_MAX_DATAQUEUES			64

/* Status value the device never writes: detects a missing status byte. */
#define VCRYPTO_STATUS_UNSET			0xff

/* Entries of a caller's scatterlist we copy (trimmed) into a request. */
#define VCRYPTO_TRIM_SG				8

struct vcrypto_dev;

/* Algorithm table entries the registry can hold (all algorithm files). */
#define VCRYPTO_MAX_ALGS			48

/**
 * struct vcrypto_alg_entry - one algorithm in the registry
 * @service: VIRTIO_CRYPTO_SERVICE_* that provides it
 * @algo: algorithm number within @service (config mask bit)
 * @service2: second service the algorithm needs, if @algo2 is set
 * @algo2: algorithm number within @service2 (0: no second need)
 * @prio_mul: cra_priority is the priority parameter times this (0: 1)
 * @refs: bound devices that registered it
 * @orphaned: still registered without a device, waiting for its users
 * @base: the crypto API algorithm
 * @reg: register @base with the crypto API
 * @unreg: unregister it
 * @usable: optional; false vetoes an advertised algorithm on a device
 */
struct vcrypto_alg_entry {
	u32 service;
	u32 algo;
	u32 service2;
	u32 algo2;
	unsigned int prio_mul;
	unsigned int refs;
	bool orphaned;
	struct crypto_alg *base;
	int (*reg)(struct vcrypto_alg_entry *e);
	void (*unreg)(struct vcrypto_alg_entry *e);
	bool (*usable)(struct vcrypto_dev *vc, struct vcrypto_alg_entry *e);
};

/**
 * struct vcrypto_dataq_stats - per data queue counters
 * @submitted: requests put on the ring (including from the backlog)
 * @completed: requests the device returned
 * @failed: returned requests completed with an error
 * @backlogged: requests queued in the backlog (ring full, MAY_BACKLOG)
 * @rejected: requests refused with -ENOSPC (ring full, no MAY_BACKLOG)
 * @by_service: @submitted split by VIRTIO_CRYPTO_SERVICE_* (0..4)
 * @stateless: those of @submitted that were stateless requests
 * @kicks: notifications sent to the device (virtqueue_notify() calls);
 *	   @submitted / @kicks is the batching the ring's notification
 *	   suppression gave
 */
struct vcrypto_dataq_stats {
	u64 submitted;
	u64 by_service[5];
	u64 completed;
	u64 failed;
	u64 backlogged;
	u64 rejected;
	u64 stateless;
	u64 kicks;
};

/**
 * struct vcrypto_sess_owner - a tfm holding device sessions
 * @node: entry in vcrypto_dev.sess_owners (empty when not listed)
 * @recreate: re-create the sessions after a device reset; called with
 *	      vcrypto_dev.sess_lock held, may sleep
 */
struct vcrypto_sess_owner {
	struct list_head node;
	int (*recreate)(struct vcrypto_sess_owner *owner);
};

/**
 * struct vcrypto_dataq - one data virtqueue and its submission state
 * @vq: the virtqueue; only touched under @lock and while !@dead
 * @lock: protects @vq, @backlog and @dead
 * @backlog: requests accepted with CRYPTO_TFM_REQ_MAY_BACKLOG while full
 * @done_task: drains the used ring in softirq context
 * @dead: set at remove/freeze; no further submission is accepted
 * @inflight: requests on the ring
 * @inflight_list: those requests, oldest first (for the watchdog)
 * @stats: request counters, under @lock (shown in sysfs "stats")
 * @vc: the owning device
 * @cpus: CPUs whose requests go to this queue (affinity hint)
 * @name: virtqueue name
 */
struct vcrypto_dataq {
	struct virtqueue *vq;
	spinlock_t lock;	/* see @lock above */
	struct list_head backlog;
	struct tasklet_struct done_task;
	bool dead;
	unsigned int inflight;
	struct list_head inflight_list;
	struct vcrypto_dataq_stats stats;
	struct vcrypto_dev *vc;
	cpumask_var_t cpus;
	char name[16];
};

/**
 * struct vcrypto_dev - one bound virtio-crypto device
 * @vdev: the virtio device; not touched once remove() has run
 * @ref: reference count; every tfm bound to the device holds one, so the
 *	 structure outlives remove(), after which operations fail (-ENODEV)
 * @node: entry in the list of devices tfms can bind to
 * @ntfms: tfms bound to the device (load balancing between devices)
 * @hw_ready: VIRTIO_CRYPTO_S_HW_READY as last read (DRV-CFG-1, AMB-25)
 * @nr_dataqs: max_dataqueues, bounded by VCRYPTO_MAX_DATAQUEUES
 * @services: crypto_services bitmask
 * @cipher_algo_l: CIPHER algorithm mask, algorithms 0..31
 * @cipher_algo_h: CIPHER algorithm mask, algorithms 32..63
 * @hash_algo: HASH algorithm mask
 * @mac_algo_l: MAC algorithm mask, algorithms 0..31
 * @mac_algo_h: MAC algorithm mask, algorithms 32..63
 * @aead_algo: AEAD algorithm mask
 * @akcipher_algo: AKCIPHER algorithm mask (0 unless AKCIPHER is offered)
 * @max_cipher_key_len: largest cipher/AEAD key (DRV-CFG-12)
 * @max_auth_key_len: largest MAC key (DRV-CFG-14)
 * @max_size: bound on the variable part of a request (DRV-CFG-9)
 * @rev1: VIRTIO_CRYPTO_F_REVISION_1 was negotiated: packed fixed parts
 *	  and FLAG_SESSION_MODE on session requests (AMB-23, AMB-27)
 * @sl_services: BIT(service) for each service whose STATELESS bit was
 *		 negotiated (FEAT-1, FEAT-3)
 * @sessions_created: sessions the device created (sysfs "stats")
 * @sessions_destroyed: sessions the device destroyed
 * @dataqs: @nr_dataqs data queues
 * @config_work: handles config-change interrupts in process context
 * @watchdog: resets the device when a data request is never answered
 * @ctrl_vq: the control virtqueue (index @nr_dataqs)
 * @ctrl_lock: protects @ctrl_vq, @ctrl_dead and control buffer states
 * @ctrl_mutex: one control request in flight at a time
 * @ctrl_dead: set at remove/freeze; control requests fail with -ENODEV
 * @sess_lock: serialises session changes of the tfms on @sess_owners
 *	       with their re-creation at restore
 * @sess_owners: tfms that hold sessions on this device
 * @removing: remove/freeze in progress; no (re)registration
 * @algs_registered: this device holds algorithm registrations
 * @registered: registry entries this device registered
 */
struct vcrypto_dev {
	struct virtio_device *vdev;
	struct kref ref;
	struct list_head node;
	atomic_t ntfms;

	bool hw_ready;
	u32 nr_dataqs;
	u32 services;
	u32 cipher_algo_l;
	u32 cipher_algo_h;
	u32 hash_algo;
	u32 mac_algo_l;
	u32 mac_algo_h;
	u32 aead_algo;
	u32 akcipher_algo;
	u32 max_cipher_key_len;
	u32 max_auth_key_len;
	u64 max_size;
	bool rev1;
	u32 sl_services;
	atomic64_t sessions_created;
	atomic64_t sessions_destroyed;

	struct vcrypto_dataq *dataqs;
	struct work_struct config_work;
	struct delayed_work watchdog;

	struct virtqueue *ctrl_vq;
	spinlock_t ctrl_lock;	/* see @ctrl_lock above */
	struct mutex ctrl_mutex;
	bool ctrl_dead;

	struct mutex sess_lock;	/* see @sess_lock above */
	struct list_head sess_owners;

	bool removing;
	bool algs_registered;
	DECLARE_BITMAP(registered, VCRYPTO_MAX_ALGS);
};

/**
 * struct vcrypto_req - data-queue request, embedded in a request context
 * @node: backlog or completion list linkage
 * @inflight_node: entry in the queue's in-flight list while on the ring
 * @submitted: jiffies when put on the ring
 * @dq: queue the request was submitted to
 * @areq: the crypto API request to complete
 * @finish: per-algorithm post-processing, called in softirq context with
 *	    the mapped status (0 or -errno) before @areq is completed; returns
 *	    the error to complete @areq with
 * @sgs: out then in scatterlists handed to virtqueue_add_sgs()
 * @n_out: number of device-readable entries in @sgs
 * @n_in: number of device-writable entries in @sgs
 * @out_len: number of output bytes the device must write before status
 * @in_len: bytes of the writable area (output + status), 0 if unknown;
 *	    a larger used length is a device error
 * @ndesc: descriptors the request needs (checked against the ring size)
 * @used_len: used length reported by the device (untrusted)
 * @stateless: a stateless request (counted in the queue's stats)
 * @hdr_sg: scatterlist for the header and fixed part, as long as the
 *	    layout of the request needs (vcrypto_req_session() and
 *	    vcrypto_req_stateless())
 * @status_sg: scatterlist for @status (its own descriptor, X-5)
 * @hdr: session-mode data header: the legacy 72-byte one, whose first
 *	 bytes are also the REVISION_1 packed fixed part (AMB-27)
 * @sl: stateless header and fixed part (at most 24 + 76 bytes)
 * @status: status byte written by the device
 */
struct vcrypto_req {
	struct list_head node;
	struct list_head inflight_node;
	unsigned long submitted;
	struct vcrypto_dataq *dq;
	struct crypto_async_request *areq;
	int (*finish)(struct vcrypto_req *vreq, int err);
	struct scatterlist *sgs[8];
	unsigned int n_out;
	unsigned int n_in;
	unsigned int out_len;
	unsigned int in_len;
	unsigned int ndesc;
	unsigned int used_len;
	bool stateless;
	struct scatterlist hdr_sg;
	struct scatterlist status_sg;
	union {
		struct virtio_crypto_op_data_req hdr;
		struct vcrypto_sl_req sl;
	};
	u8 status;
};

/**
 * enum vcrypto_sl_policy - how a tfm of a service uses stateless requests
 * @VCRYPTO_SL_NEVER: sessions only (bit not negotiated, or stateless=0)
 * @VCRYPTO_SL_FIRST: the first stateless_reqs requests after each setkey
 *		      are stateless, then sessions are made in the
 *		      background (stateless=1, CIPHER and AEAD)
 * @VCRYPTO_SL_ALWAYS: every request is stateless (stateless=2; and
 *		       stateless=1 for HASH, MAC and AKCIPHER)
 */
enum vcrypto_sl_policy {
	VCRYPTO_SL_NEVER,
	VCRYPTO_SL_FIRST,
	VCRYPTO_SL_ALWAYS,
};

/**
 * struct vcrypto_sl - stateless-then-sessions switch of a keyed tfm
 * @work: creates the tfm's sessions in the background (VCRYPTO_SL_FIRST)
 * @left: stateless requests left before @work is queued
 * @policy: what the current key does, set at setkey
 *
 * Locking (see docs/driver.md, "Stateless mode"): @work is queued only by
 * the submit path, when @left reaches 0, and at most once per arming.
 * setkey and tfm exit cancel it (cancel_work_sync) before they touch the
 * key or the sessions, and the crypto API does not let a request of the
 * tfm run concurrently with them, so nothing queues it again meanwhile.
 * The work, setkey, exit and restore change sessions only under
 * vcrypto_dev.sess_lock; the work publishes sessions with a release store
 * of the tfm's have_sessions flag after writing the ids, the submit path
 * reads the flag with an acquire load before it reads the ids.
 */
struct vcrypto_sl {
	struct work_struct work;
	atomic_t left;
	enum vcrypto_sl_policy policy;
};

/* core */
extern int vcrypto_priority;
enum vcrypto_sl_policy vcrypto_sl_policy(struct vcrypto_dev *vc, u32 service);
void vcrypto_sl_init(struct vcrypto_sl *sl, work_func_t fn);
void vcrypto_sl_setkey(struct vcrypto_sl *sl, struct vcrypto_dev *vc,
		       u32 service);
void vcrypto_sl_rearm(struct vcrypto_sl *sl);
void vcrypto_sl_used(struct vcrypto_sl *sl);

/* May the tfm's current key go in stateless requests? */
static inline bool vcrypto_sl_on(const struct vcrypto_sl *sl)
{
	return sl->policy != VCRYPTO_SL_NEVER;
}

/* Should setkey create the sessions itself (no stateless requests)? */
static inline bool vcrypto_sl_sessions_now(const struct vcrypto_sl *sl)
{
	return sl->policy == VCRYPTO_SL_NEVER;
}

struct vcrypto_dev *vcrypto_dev_get_for(u32 service, u32 algo);
void vcrypto_dev_put(struct vcrypto_dev *vc);
bool vcrypto_dev_has_algo(struct vcrypto_dev *vc, u32 service, u32 algo);

/* session owners, with vcrypto_dev.sess_lock held */
static inline void vcrypto_sess_owner_init(struct vcrypto_sess_owner *owner,
					   int (*recreate)(struct vcrypto_sess_owner *))
{
	INIT_LIST_HEAD(&owner->node);
	owner->recreate = recreate;
}

static inline void vcrypto_sess_owner_add(struct vcrypto_dev *vc,
					  struct vcrypto_sess_owner *owner)
{
	if (list_empty(&owner->node))
		list_add_tail(&owner->node, &vc->sess_owners);
}

static inline void vcrypto_sess_owner_del(struct vcrypto_dev *vc,
					  struct vcrypto_sess_owner *owner)
{
	list_del_init(&owner->node);
}

/* control queue */
void vcrypto_ctrl_done(struct virtqueue *vq);
void vcrypto_ctrl_stop(struct vcrypto_dev *vc);
void vcrypto_ctrl_drain(struct vcrypto_dev *vc);
int vcrypto_create_cipher_session(struct vcrypto_dev *vc, u32 algo, u32 op,
				  const u8 *key, unsigned int keylen,
				  u64 *session_id);
int vcrypto_create_hash_session(struct vcrypto_dev *vc, u32 service,
				u32 algo, u32 result_len, const u8 *key,
				unsigned int keylen, u64 *session_id);
int vcrypto_create_aead_session(struct vcrypto_dev *vc, u32 algo, u32 op,
				const u8 *key, unsigned int keylen,
				u32 tag_len, u64 *session_id);
int vcrypto_create_rsa_session(struct vcrypto_dev *vc, bool private,
			       u32 padding, u32 hash, const u8 *key,
			       unsigned int keylen, u64 *session_id);
int vcrypto_create_chain_session(struct vcrypto_dev *vc, u32 cipher_algo,
				 u32 op, u32 order, u32 mac_algo,
				 u32 result_len, const u8 *keys,
				 unsigned int enckeylen,
				 unsigned int authkeylen, u64 *session_id);
int vcrypto_create_ecdsa_session(struct vcrypto_dev *vc, u32 curve,
				 const u8 *key, unsigned int keylen,
				 u64 *session_id);
int vcrypto_destroy_session(struct vcrypto_dev *vc, u32 service,
			    u64 session_id);

/* data queues */
void vcrypto_req_session(struct vcrypto_req *vreq, struct vcrypto_dev *vc,
			 u64 session_id);
void vcrypto_req_stateless(struct vcrypto_req *vreq);

/**
 * struct vcrypto_probe - a data request made by the driver itself
 * @vreq: the request
 * @areq: completion target of @vreq
 * @done: completed by @areq's callback
 * @refs: the waiter and the ring each hold one
 * @err: the request's result
 * @sg: scatterlists over @buf for the caller's layout
 * @buf: device-visible bytes (key, input, output)
 *
 * Heap-allocated, so a probe the device never answers can be abandoned:
 * whoever drops the last reference frees it.
 */
struct vcrypto_probe {
	struct vcrypto_req vreq;
	struct crypto_async_request areq;
	struct completion done;
	refcount_t refs;
	int err;
	struct scatterlist sg[5];
	u8 buf[512];
};

struct vcrypto_probe *vcrypto_probe_alloc(void);
int vcrypto_probe_run(struct vcrypto_probe *p, struct vcrypto_dev *vc);

void vcrypto_dataq_init(struct vcrypto_dataq *dq, struct vcrypto_dev *vc,
			unsigned int index);
void vcrypto_dataq_done(struct virtqueue *vq);
void vcrypto_dataq_stop(struct vcrypto_dataq *dq);
void vcrypto_dataq_revive(struct vcrypto_dataq *dq, struct virtqueue *vq);
void vcrypto_dataq_fail_all(struct vcrypto_dataq *dq, int err);
void vcrypto_dataq_take_all(struct vcrypto_dataq *dq, struct list_head *out);
void vcrypto_dataq_complete_list(struct list_head *list, int err);
bool vcrypto_dataq_stalled(struct vcrypto_dataq *dq, unsigned long timeout);
struct vcrypto_dataq *vcrypto_pick_dataq(struct vcrypto_dev *vc);
int vcrypto_dataq_submit(struct vcrypto_req *vreq);
int vcrypto_dataq_show_stats(struct vcrypto_dataq *dq, char *buf, int at);
unsigned int vcrypto_trim_sg(struct scatterlist *out, unsigned int nents,
			     struct scatterlist *sg, unsigned int len);

/* algorithm registry */
int vcrypto_algs_add(struct vcrypto_alg_entry *entry);
void vcrypto_algs_register(struct vcrypto_dev *vc);
void vcrypto_algs_unregister(struct vcrypto_dev *vc);
void vcrypto_algs_cleanup(void);

/* algorithm tables */
int vcrypto_skcipher_add_algs(void);
int vcrypto_ahash_add_algs(void);
int vcrypto_aead_add_algs(void);
int vcrypto_akcipher_add_algs(void);
int vcrypto_authenc_add_algs(void);
int vcrypto_ecdsa_add_algs(void);

#endif /* _VIRTIO_CRYPTO_COMMON_H */
