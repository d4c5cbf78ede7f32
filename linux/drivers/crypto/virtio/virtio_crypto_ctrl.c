// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-crypto control queue: session create and destroy.
 *
 * One control request is outstanding per device at a time (ctrl_mutex).
 * The caller sleeps with a timeout and gives up early if the device is
 * removed or the virtqueue breaks. A request that is given up on stays
 * owned by the ring: whoever takes it off the ring later (the callback, or
 * the drain at remove) frees it.
 */
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/virtio.h>

#include "virtio_crypto_common.h"

static unsigned int ctrl_timeout_ms = 5000;
module_param(ctrl_timeout_ms, uint, 0644);
MODULE_PARM_DESC(ctrl_timeout_ms,
		 "Control queue (session create/destroy) timeout in ms (default 5000)");

enum vcrypto_ctrl_state {
	VCRYPTO_CTRL_PENDING,
	VCRYPTO_CTRL_DONE,
	VCRYPTO_CTRL_ABANDONED,
};

/*
 * Everything the device reads or writes lives in this heap buffer; it is
 * freed with kfree_sensitive() because it may hold a key.
 */
struct vcrypto_ctrl_buf {
	struct virtio_crypto_op_ctrl_req req;
	union {
		struct virtio_crypto_session_input create;
		struct virtio_crypto_inhdr destroy;
	} res;
	struct completion done;
	enum vcrypto_ctrl_state state;
	unsigned int used_len;
	unsigned int keylen;
	u8 key[];
};

/* Called with ctrl_lock held, for a buffer taken off the ring. */
static void vcrypto_ctrl_retire(struct vcrypto_ctrl_buf *buf, unsigned int len)
{
	if (buf->state == VCRYPTO_CTRL_ABANDONED) {
		kfree_sensitive(buf);
		return;
	}
	buf->used_len = len;
	buf->state = VCRYPTO_CTRL_DONE;
	complete(&buf->done);
}

/**
 * vcrypto_ctrl_done - control virtqueue callback
 * @vq: the control virtqueue
 */
void vcrypto_ctrl_done(struct virtqueue *vq)
{
	struct vcrypto_dev *vc = vq->vdev->priv;
	struct vcrypto_ctrl_buf *buf;
	unsigned long flags;
	unsigned int len;

	spin_lock_irqsave(&vc->ctrl_lock, flags);
	do {
		virtqueue_disable_cb(vq);
		while ((buf = virtqueue_get_buf(vq, &len)))
			vcrypto_ctrl_retire(buf, len);
	} while (!virtqueue_enable_cb(vq));
	spin_unlock_irqrestore(&vc->ctrl_lock, flags);
}

/**
 * vcrypto_ctrl_stop - refuse further control requests
 * @vc: the device, about to be reset
 */
void vcrypto_ctrl_stop(struct vcrypto_dev *vc)
{
	unsigned long flags;

	spin_lock_irqsave(&vc->ctrl_lock, flags);
	vc->ctrl_dead = true;
	spin_unlock_irqrestore(&vc->ctrl_lock, flags);
}

/**
 * vcrypto_ctrl_drain - retire every buffer left on the control queue
 * @vc: a device that has been stopped and reset
 *
 * Abandoned buffers are freed; a waiter still sleeping on its buffer sees
 * it done with no result and fails.
 */
void vcrypto_ctrl_drain(struct vcrypto_dev *vc)
{
	struct vcrypto_ctrl_buf *buf;
	unsigned long flags;

	spin_lock_irqsave(&vc->ctrl_lock, flags);
	if (vc->ctrl_vq) {
		while ((buf = virtqueue_detach_unused_buf(vc->ctrl_vq)))
			vcrypto_ctrl_retire(buf, 0);
	}
	spin_unlock_irqrestore(&vc->ctrl_lock, flags);
}

static struct vcrypto_ctrl_buf *vcrypto_ctrl_alloc(unsigned int keylen)
{
	struct vcrypto_ctrl_buf *buf;

	buf = kzalloc(struct_size(buf, key, keylen), GFP_KERNEL);
	if (!buf)
		return NULL;
	init_completion(&buf->done);
	buf->keylen = keylen;
	return buf;
}

static_assert(sizeof(struct virtio_crypto_op_ctrl_req) == 72);

/*
 * Bytes of the request the device reads before the keys (checklist 3.2,
 * AMB-27): the 16-byte header and the fixed part, padded to 56 bytes
 * without REVISION_1 (FEAT-2), its own size with it. The Linux header's
 * para structs start with the packed fields, so the packed fixed part is
 * the first bytes of the padded one.
 */
static unsigned int vcrypto_ctrl_hdr_len(const struct vcrypto_dev *vc,
					 const struct vcrypto_ctrl_buf *buf)
{
	u32 opcode = le32_to_cpu(buf->req.header.opcode);
	unsigned int flf;

	if (!vc->rev1)
		return sizeof(buf->req);
	switch (opcode) {
	case VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION:
	case VIRTIO_CRYPTO_HASH_DESTROY_SESSION:
	case VIRTIO_CRYPTO_MAC_DESTROY_SESSION:
	case VIRTIO_CRYPTO_AEAD_DESTROY_SESSION:
	case VIRTIO_CRYPTO_AKCIPHER_DESTROY_SESSION:
	case VIRTIO_CRYPTO_HASH_CREATE_SESSION:
		flf = 8;
		break;
	case VIRTIO_CRYPTO_MAC_CREATE_SESSION:
		flf = 16;
		break;
	case VIRTIO_CRYPTO_AEAD_CREATE_SESSION:
		flf = 24;
		break;
	default:
		/* CIPHER and AKCIPHER create: 56 in both layouts */
		flf = sizeof(buf->req.u);
		break;
	}
	return sizeof(buf->req.header) + flf;
}

/*
 * Send @buf and wait for the answer. @res/@res_len is the device-writable
 * result inside @buf. On success the buffer is still the caller's; on
 * failure it has been freed, or handed to the ring (abandoned).
 */
static int vcrypto_ctrl_exec(struct vcrypto_dev *vc,
			     struct vcrypto_ctrl_buf *buf,
			     void *res, unsigned int res_len)
{
	struct scatterlist hdr_sg, key_sg, res_sg;
	struct scatterlist *sgs[3];
	unsigned long deadline, flags;
	unsigned int n = 0;
	bool broken = false;
	int err;

	sg_init_one(&hdr_sg, &buf->req, vcrypto_ctrl_hdr_len(vc, buf));
	sgs[n++] = &hdr_sg;
	if (buf->keylen) {
		sg_init_one(&key_sg, buf->key, buf->keylen);
		sgs[n++] = &key_sg;
	}
	sg_init_one(&res_sg, res, res_len);
	sgs[n] = &res_sg;

	mutex_lock(&vc->ctrl_mutex);
	buf->state = VCRYPTO_CTRL_PENDING;
	spin_lock_irqsave(&vc->ctrl_lock, flags);
	if (vc->ctrl_dead) {
		err = -ENODEV;
	} else {
		err = virtqueue_add_sgs(vc->ctrl_vq, sgs, n, 1, buf, GFP_ATOMIC);
		if (!err)
			virtqueue_kick(vc->ctrl_vq);
	}
	spin_unlock_irqrestore(&vc->ctrl_lock, flags);
	if (err) {
		mutex_unlock(&vc->ctrl_mutex);
		kfree_sensitive(buf);
		return err == -ENODEV ? err : -EIO;
	}

	deadline = jiffies + msecs_to_jiffies(ctrl_timeout_ms);
	while (!wait_for_completion_timeout(&buf->done, HZ / 10)) {
		if (READ_ONCE(vc->ctrl_dead) || time_after(jiffies, deadline))
			break;
		spin_lock_irqsave(&vc->ctrl_lock, flags);
		broken = !vc->ctrl_dead && virtqueue_is_broken(vc->ctrl_vq);
		spin_unlock_irqrestore(&vc->ctrl_lock, flags);
		if (broken)
			break;
	}

	spin_lock_irqsave(&vc->ctrl_lock, flags);
	if (buf->state == VCRYPTO_CTRL_DONE) {
		err = 0;
	} else {
		buf->state = VCRYPTO_CTRL_ABANDONED;
		err = vc->ctrl_dead ? -ENODEV : broken ? -EIO : -ETIMEDOUT;
	}
	spin_unlock_irqrestore(&vc->ctrl_lock, flags);
	mutex_unlock(&vc->ctrl_mutex);

	if (err == -ETIMEDOUT)
		dev_warn_ratelimited(&vc->vdev->dev,
				     "control request timed out\n");
	return err;
}

static int vcrypto_create_status_to_errno(u32 status)
{
	switch (status) {
	case VIRTIO_CRYPTO_OK:
		return 0;
	case VIRTIO_CRYPTO_NOTSUPP:
		return -EOPNOTSUPP;
	case VIRTIO_CRYPTO_NOSPC:
		return -ENOSPC;
	case VIRTIO_CRYPTO_KEY_REJECTED:
		return -EKEYREJECTED;
	default:
		return -EIO;
	}
}

/*
 * Send a prepared create request and collect the session id. The result
 * needs the full 16-byte outcome and status OK (a device that writes
 * nothing keeps the preset ERR). Frees @buf (wiped: it holds the key).
 */
static int vcrypto_ctrl_create(struct vcrypto_dev *vc,
			       struct vcrypto_ctrl_buf *buf, u64 *session_id)
{
	int err;

	buf->res.create.status = cpu_to_le32(VIRTIO_CRYPTO_ERR);
	err = vcrypto_ctrl_exec(vc, buf, &buf->res.create,
				sizeof(buf->res.create));
	if (err)
		return err;
	if (buf->used_len < sizeof(buf->res.create))
		err = -EIO;
	else
		err = vcrypto_create_status_to_errno(le32_to_cpu(buf->res.create.status));
	if (!err) {
		*session_id = le64_to_cpu(buf->res.create.session_id);
		atomic64_inc(&vc->sessions_created);
	}
	kfree_sensitive(buf);
	return err;
}

/**
 * vcrypto_create_cipher_session - create a SYM_OP_CIPHER session
 * @vc: the device
 * @algo: VIRTIO_CRYPTO_CIPHER_* algorithm
 * @op: VIRTIO_CRYPTO_OP_ENCRYPT or VIRTIO_CRYPTO_OP_DECRYPT
 * @key: the key (copied to a DMA-safe buffer, wiped after use)
 * @keylen: key length, already checked against max_cipher_key_len
 * @session_id: set to the device's session id on success
 *
 * Sleeps. Never logs the key.
 *
 * Return: 0 or a negative errno.
 */
int vcrypto_create_cipher_session(struct vcrypto_dev *vc, u32 algo, u32 op,
				  const u8 *key, unsigned int keylen,
				  u64 *session_id)
{
	struct virtio_crypto_cipher_session_para *para;
	struct vcrypto_ctrl_buf *buf;

	buf = vcrypto_ctrl_alloc(keylen);
	if (!buf)
		return -ENOMEM;

	/* DRV-CTRL-1..3: opcode and algo set, flag and reserved word zero */
	buf->req.header.opcode = cpu_to_le32(VIRTIO_CRYPTO_CIPHER_CREATE_SESSION);
	buf->req.header.algo = cpu_to_le32(algo);
	buf->req.u.sym_create_session.op_type =
		cpu_to_le32(VIRTIO_CRYPTO_SYM_OP_CIPHER);
	para = &buf->req.u.sym_create_session.u.cipher.para;
	para->algo = cpu_to_le32(algo);
	para->keylen = cpu_to_le32(keylen);
	para->op = cpu_to_le32(op);
	memcpy(buf->key, key, keylen);
	return vcrypto_ctrl_create(vc, buf, session_id);
}

/**
 * vcrypto_create_hash_session - create a HASH or MAC session
 * @vc: the device
 * @service: VIRTIO_CRYPTO_SERVICE_HASH or VIRTIO_CRYPTO_SERVICE_MAC
 * @algo: VIRTIO_CRYPTO_HASH_* or VIRTIO_CRYPTO_MAC_* algorithm
 * @result_len: digest length the device is to produce
 * @key: MAC key (NULL for HASH), copied and wiped after use
 * @keylen: MAC key length, already checked against max_auth_key_len
 * @session_id: set to the device's session id on success
 *
 * Sleeps. Never logs the key.
 *
 * Return: 0 or a negative errno.
 */
int vcrypto_create_hash_session(struct vcrypto_dev *vc, u32 service,
				u32 algo, u32 result_len, const u8 *key,
				unsigned int keylen, u64 *session_id)
{
	struct vcrypto_ctrl_buf *buf;

	if (service == VIRTIO_CRYPTO_SERVICE_HASH)
		keylen = 0;
	buf = vcrypto_ctrl_alloc(keylen);
	if (!buf)
		return -ENOMEM;

	buf->req.header.algo = cpu_to_le32(algo);
	if (service == VIRTIO_CRYPTO_SERVICE_HASH) {
		struct virtio_crypto_hash_session_para *para =
			&buf->req.u.hash_create_session.para;

		buf->req.header.opcode =
			cpu_to_le32(VIRTIO_CRYPTO_HASH_CREATE_SESSION);
		para->algo = cpu_to_le32(algo);
		para->hash_result_len = cpu_to_le32(result_len);
	} else {
		struct virtio_crypto_mac_session_para *para =
			&buf->req.u.mac_create_session.para;

		buf->req.header.opcode =
			cpu_to_le32(VIRTIO_CRYPTO_MAC_CREATE_SESSION);
		para->algo = cpu_to_le32(algo);
		para->hash_result_len = cpu_to_le32(result_len);
		para->auth_key_len = cpu_to_le32(keylen);
		memcpy(buf->key, key, keylen);
	}
	return vcrypto_ctrl_create(vc, buf, session_id);
}

/**
 * vcrypto_create_aead_session - create an AEAD session
 * @vc: the device
 * @algo: VIRTIO_CRYPTO_AEAD_* algorithm
 * @op: VIRTIO_CRYPTO_OP_ENCRYPT or VIRTIO_CRYPTO_OP_DECRYPT
 * @key: the key (copied, wiped after use)
 * @keylen: key length, already checked against max_cipher_key_len (AMB-13)
 * @tag_len: session tag length; requests may ask for less (AMB-15)
 * @session_id: set to the device's session id on success
 *
 * Sleeps. Never logs the key.
 *
 * Return: 0 or a negative errno.
 */
int vcrypto_create_aead_session(struct vcrypto_dev *vc, u32 algo, u32 op,
				const u8 *key, unsigned int keylen,
				u32 tag_len, u64 *session_id)
{
	struct virtio_crypto_aead_session_para *para;
	struct vcrypto_ctrl_buf *buf;

	buf = vcrypto_ctrl_alloc(keylen);
	if (!buf)
		return -ENOMEM;

	buf->req.header.opcode = cpu_to_le32(VIRTIO_CRYPTO_AEAD_CREATE_SESSION);
	buf->req.header.algo = cpu_to_le32(algo);
	para = &buf->req.u.aead_create_session.para;
	para->algo = cpu_to_le32(algo);
	para->key_len = cpu_to_le32(keylen);
	para->hash_result_len = cpu_to_le32(tag_len);
	/* the AAD length is per request (AMB-14) */
	para->aad_len = 0;
	para->op = cpu_to_le32(op);
	memcpy(buf->key, key, keylen);
	return vcrypto_ctrl_create(vc, buf, session_id);
}

/**
 * vcrypto_create_rsa_session - create an AKCIPHER RSA session
 * @vc: the device
 * @private: @key is an RSAPrivateKey (else an RSAPublicKey), DER
 * @padding: VIRTIO_CRYPTO_RSA_RAW_PADDING or _PKCS1_PADDING
 * @hash: VIRTIO_CRYPTO_RSA_* hash (NO_HASH for raw)
 * @key: the key as the crypto API hands it over (copied, wiped after use)
 * @keylen: its length
 * @session_id: set to the device's session id on success
 *
 * Sleeps. Never logs the key.
 *
 * Return: 0 or a negative errno.
 */
int vcrypto_create_rsa_session(struct vcrypto_dev *vc, bool private,
			       u32 padding, u32 hash, const u8 *key,
			       unsigned int keylen, u64 *session_id)
{
	struct virtio_crypto_akcipher_session_para *para;
	struct vcrypto_ctrl_buf *buf;

	buf = vcrypto_ctrl_alloc(keylen);
	if (!buf)
		return -ENOMEM;

	buf->req.header.opcode =
		cpu_to_le32(VIRTIO_CRYPTO_AKCIPHER_CREATE_SESSION);
	buf->req.header.algo = cpu_to_le32(VIRTIO_CRYPTO_AKCIPHER_RSA);
	para = &buf->req.u.akcipher_create_session.para;
	para->algo = cpu_to_le32(VIRTIO_CRYPTO_AKCIPHER_RSA);
	para->keytype = cpu_to_le32(private ?
				    VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PRIVATE :
				    VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PUBLIC);
	para->keylen = cpu_to_le32(keylen);
	para->u.rsa.padding_algo = cpu_to_le32(padding);
	para->u.rsa.hash_algo = cpu_to_le32(hash);
	memcpy(buf->key, key, keylen);
	return vcrypto_ctrl_create(vc, buf, session_id);
}

/**
 * vcrypto_create_chain_session - create an ALGORITHM_CHAINING session
 * @vc: the device
 * @cipher_algo: VIRTIO_CRYPTO_CIPHER_* algorithm
 * @op: VIRTIO_CRYPTO_OP_ENCRYPT or VIRTIO_CRYPTO_OP_DECRYPT
 * @order: VIRTIO_CRYPTO_SYM_ALG_CHAIN_ORDER_*
 * @mac_algo: VIRTIO_CRYPTO_MAC_HMAC_* (hash mode AUTH)
 * @result_len: digest length of the session; requests may ask for less
 * @keys: cipher key then MAC key, as the device reads them (INL-CTRL-3)
 * @enckeylen: cipher key length, checked against max_cipher_key_len
 * @authkeylen: MAC key length, checked against max_auth_key_len
 * @session_id: set to the device's session id on success
 *
 * The session's aad_len is 0: each request gives its own (the device
 * uses the request's, AMB-10). Sleeps. Never logs the keys.
 *
 * Return: 0 or a negative errno.
 */
int vcrypto_create_chain_session(struct vcrypto_dev *vc, u32 cipher_algo,
				 u32 op, u32 order, u32 mac_algo,
				 u32 result_len, const u8 *keys,
				 unsigned int enckeylen,
				 unsigned int authkeylen, u64 *session_id)
{
	struct virtio_crypto_alg_chain_session_para *para;
	struct vcrypto_ctrl_buf *buf;

	buf = vcrypto_ctrl_alloc(enckeylen + authkeylen);
	if (!buf)
		return -ENOMEM;

	buf->req.header.opcode = cpu_to_le32(VIRTIO_CRYPTO_CIPHER_CREATE_SESSION);
	buf->req.header.algo = cpu_to_le32(cipher_algo);
	buf->req.u.sym_create_session.op_type =
		cpu_to_le32(VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING);
	para = &buf->req.u.sym_create_session.u.chain.para;
	para->alg_chain_order = cpu_to_le32(order);
	para->hash_mode = cpu_to_le32(VIRTIO_CRYPTO_SYM_HASH_MODE_AUTH);
	para->cipher_param.algo = cpu_to_le32(cipher_algo);
	para->cipher_param.keylen = cpu_to_le32(enckeylen);
	para->cipher_param.op = cpu_to_le32(op);
	para->u.mac_param.algo = cpu_to_le32(mac_algo);
	para->u.mac_param.hash_result_len = cpu_to_le32(result_len);
	para->u.mac_param.auth_key_len = cpu_to_le32(authkeylen);
	para->aad_len = 0;
	memcpy(buf->key, keys, enckeylen + authkeylen);
	return vcrypto_ctrl_create(vc, buf, session_id);
}

/**
 * vcrypto_create_ecdsa_session - create an AKCIPHER ECDSA public-key session
 * @vc: the device
 * @curve: VIRTIO_CRYPTO_CURVE_NIST_*
 * @key: uncompressed SEC1 point 0x04 || X || Y (AMB-7), the format the
 *	 crypto API hands to set_pub_key() (copied, wiped after use)
 * @keylen: its length
 * @session_id: set to the device's session id on success
 *
 * Sleeps.
 *
 * Return: 0 or a negative errno.
 */
int vcrypto_create_ecdsa_session(struct vcrypto_dev *vc, u32 curve,
				 const u8 *key, unsigned int keylen,
				 u64 *session_id)
{
	struct virtio_crypto_akcipher_session_para *para;
	struct vcrypto_ctrl_buf *buf;

	buf = vcrypto_ctrl_alloc(keylen);
	if (!buf)
		return -ENOMEM;

	buf->req.header.opcode =
		cpu_to_le32(VIRTIO_CRYPTO_AKCIPHER_CREATE_SESSION);
	buf->req.header.algo = cpu_to_le32(VCRYPTO_AKCIPHER_ECDSA);
	para = &buf->req.u.akcipher_create_session.para;
	para->algo = cpu_to_le32(VCRYPTO_AKCIPHER_ECDSA);
	para->keytype = cpu_to_le32(VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PUBLIC);
	para->keylen = cpu_to_le32(keylen);
	para->u.ecdsa.curve_id = cpu_to_le32(curve);
	memcpy(buf->key, key, keylen);
	return vcrypto_ctrl_create(vc, buf, session_id);
}

/**
 * vcrypto_destroy_session - destroy a session
 * @vc: the device
 * @service: VIRTIO_CRYPTO_SERVICE_* the session belongs to
 * @session_id: id returned at create time
 *
 * Sleeps. A device that is gone has no sessions left, so -ENODEV is not
 * worth reporting by callers.
 *
 * Return: 0 or a negative errno.
 */
int vcrypto_destroy_session(struct vcrypto_dev *vc, u32 service,
			    u64 session_id)
{
	static const u32 opcodes[] = {
		[VIRTIO_CRYPTO_SERVICE_CIPHER] = VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION,
		[VIRTIO_CRYPTO_SERVICE_HASH] = VIRTIO_CRYPTO_HASH_DESTROY_SESSION,
		[VIRTIO_CRYPTO_SERVICE_MAC] = VIRTIO_CRYPTO_MAC_DESTROY_SESSION,
		[VIRTIO_CRYPTO_SERVICE_AEAD] = VIRTIO_CRYPTO_AEAD_DESTROY_SESSION,
		[VIRTIO_CRYPTO_SERVICE_AKCIPHER] = VIRTIO_CRYPTO_AKCIPHER_DESTROY_SESSION,
	};
	struct vcrypto_ctrl_buf *buf;
	int err;

	if (service >= ARRAY_SIZE(opcodes))
		return -EINVAL;
	buf = vcrypto_ctrl_alloc(0);
	if (!buf)
		return -ENOMEM;

	buf->req.header.opcode = cpu_to_le32(opcodes[service]);
	buf->req.u.destroy_session.session_id = cpu_to_le64(session_id);
	buf->res.destroy.status = VCRYPTO_STATUS_UNSET;

	err = vcrypto_ctrl_exec(vc, buf, &buf->res.destroy,
				sizeof(buf->res.destroy));
	if (err)
		return err;
	if (buf->used_len < sizeof(buf->res.destroy) ||
	    buf->res.destroy.status != VIRTIO_CRYPTO_OK)
		err = -EIO;
	else
		atomic64_inc(&vc->sessions_destroyed);
	kfree_sensitive(buf);
	return err;
}
