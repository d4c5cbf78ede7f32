// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-crypto skcipher algorithms: ecb, cbc, ctr and xts over AES;
 * ecb, cbc and ctr over 3DES-EDE.
 *
 * Each algorithm is registered while at least one bound device advertises
 * it (CIPHER service bit and algorithm mask bit; see virtio_crypto_algs.c).
 *
 * With CIPHER_STATELESS_MODE negotiated, requests after a setkey go
 * stateless (the key travels in each request, checklist 4.4/4.5) until
 * the tfm has made its sessions in the background (struct vcrypto_sl);
 * with stateless=2 they always do.
 * Requests carry all their state in the request context: no allocation on the request path, so
 * CRYPTO_ALG_ALLOCATES_MEMORY is not set (include/linux/crypto.h).
 */
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/string.h>
#include <crypto/aes.h>
#include <crypto/des.h>
#include <crypto/internal/des.h>
#include <crypto/internal/skcipher.h>
#include <crypto/scatterwalk.h>
#include <crypto/xts.h>

#include "virtio_crypto_common.h"

/* Largest IV of the table below (AES block). */
#define VCRYPTO_MAX_IV	AES_BLOCK_SIZE

enum vcrypto_cipher {
	VCRYPTO_AES,
	VCRYPTO_DES3,
};

enum vcrypto_mode {
	VCRYPTO_MODE_ECB,
	VCRYPTO_MODE_CBC,
	VCRYPTO_MODE_CTR,
	VCRYPTO_MODE_XTS,
};

/**
 * struct vcrypto_skcipher_def - one entry of the algorithm table
 * @algo: VIRTIO_CRYPTO_CIPHER_* number (config mask bit and request algo)
 * @cipher: block cipher, decides the key checks
 * @mode: chaining mode, decides length checks and the output IV
 * @entry: registry entry
 * @alg: the crypto API algorithm
 */
struct vcrypto_skcipher_def {
	u32 algo;
	enum vcrypto_cipher cipher;
	enum vcrypto_mode mode;
	struct vcrypto_alg_entry entry;
	struct skcipher_alg alg;
};

/* Session index in struct vcrypto_skcipher_ctx: one per direction. */
enum { VCRYPTO_SESS_ENC, VCRYPTO_SESS_DEC };

/* Longest key of the table below: AES-256-XTS. */
#define VCRYPTO_MAX_KEY	(2 * AES_MAX_KEY_SIZE)

/**
 * struct vcrypto_skcipher_ctx - per-tfm state
 * @vc: the device the tfm is bound to (referenced)
 * @owner: entry in the device's list of tfms with sessions
 * @fallback: software implementation (xts only)
 * @algo: VIRTIO_CRYPTO_CIPHER_* of the tfm
 * @sl: stateless-then-sessions switch
 * @have_sessions: @sid is valid (release/acquire, see struct vcrypto_sl)
 * @use_fallback: every request goes to @fallback
 * @key_ok: a stateless request with this key succeeded
 * @keylen: length of @key
 * @sid: device sessions, indexed by VCRYPTO_SESS_*
 * @key: the key, kept to re-create sessions after a device reset and sent
 *	 in stateless requests; wiped on rekey and exit
 */
struct vcrypto_skcipher_ctx {
	struct vcrypto_dev *vc;
	struct vcrypto_sess_owner owner;
	struct crypto_skcipher *fallback;
	u32 algo;
	struct vcrypto_sl sl;
	bool have_sessions;
	bool use_fallback;
	bool key_ok;
	unsigned int keylen;
	u64 sid[2];
	u8 key[VCRYPTO_MAX_KEY];
};

struct vcrypto_skcipher_rctx {
	struct vcrypto_req vreq;
	struct scatterlist key_sg;
	struct scatterlist iv_sg;
	u8 iv[VCRYPTO_MAX_IV];
	u8 iv_out[VCRYPTO_MAX_IV];
	struct scatterlist src_sg[VCRYPTO_TRIM_SG];
	struct scatterlist dst_sg[VCRYPTO_TRIM_SG];
	/* must stay last: the fallback's context follows it */
	struct skcipher_request fallback_req;
};

static struct vcrypto_skcipher_def *vcrypto_def(struct crypto_skcipher *tfm)
{
	return container_of(crypto_skcipher_alg(tfm),
			    struct vcrypto_skcipher_def, alg);
}

/* Called with vc->sess_lock held. */
static void vcrypto_skcipher_drop_sessions(struct vcrypto_skcipher_ctx *ctx)
{
	if (!ctx->have_sessions)
		return;
	WRITE_ONCE(ctx->have_sessions, false);
	/* failures only leak a device session; nothing to report */
	vcrypto_destroy_session(ctx->vc, VIRTIO_CRYPTO_SERVICE_CIPHER,
				ctx->sid[VCRYPTO_SESS_ENC]);
	vcrypto_destroy_session(ctx->vc, VIRTIO_CRYPTO_SERVICE_CIPHER,
				ctx->sid[VCRYPTO_SESS_DEC]);
}

/*
 * Create the encrypt and decrypt sessions for the stored key. Two sessions
 * per key: on the stock device the session's op decides the direction, and
 * our device rejects an opcode that contradicts it (AMB-14). Called with
 * vc->sess_lock held.
 */
static int vcrypto_skcipher_make_sessions(struct vcrypto_skcipher_ctx *ctx)
{
	struct vcrypto_dev *vc = ctx->vc;
	u64 enc, dec;
	int err;

	err = vcrypto_create_cipher_session(vc, ctx->algo,
					    VIRTIO_CRYPTO_OP_ENCRYPT,
					    ctx->key, ctx->keylen, &enc);
	if (err)
		return err;
	err = vcrypto_create_cipher_session(vc, ctx->algo,
					    VIRTIO_CRYPTO_OP_DECRYPT,
					    ctx->key, ctx->keylen, &dec);
	if (err) {
		vcrypto_destroy_session(vc, VIRTIO_CRYPTO_SERVICE_CIPHER, enc);
		return err;
	}
	WRITE_ONCE(ctx->sid[VCRYPTO_SESS_ENC], enc);
	WRITE_ONCE(ctx->sid[VCRYPTO_SESS_DEC], dec);
	/* publish: the submit path reads the ids after an acquire load */
	smp_store_release(&ctx->have_sessions, true);
	return 0;
}

/*
 * The tfm's stateless budget is used up (VCRYPTO_SL_FIRST): make its
 * sessions, so further requests skip the per-request key schedule.
 * Failing leaves the tfm stateless; it tries again later.
 */
static void vcrypto_skcipher_sl_work(struct work_struct *work)
{
	struct vcrypto_skcipher_ctx *ctx =
		container_of(work, struct vcrypto_skcipher_ctx, sl.work);
	struct vcrypto_dev *vc = ctx->vc;

	mutex_lock(&vc->sess_lock);
	if (!ctx->have_sessions && !READ_ONCE(ctx->use_fallback)) {
		if (vcrypto_skcipher_make_sessions(ctx))
			vcrypto_sl_rearm(&ctx->sl);
		else
			vcrypto_sess_owner_add(vc, &ctx->owner);
	}
	mutex_unlock(&vc->sess_lock);
}

/*
 * After a device reset (restore) every session is gone (AMB-24): create
 * them again from the stored key. Called with vc->sess_lock held.
 */
static int vcrypto_skcipher_recreate(struct vcrypto_sess_owner *owner)
{
	struct vcrypto_skcipher_ctx *ctx =
		container_of(owner, struct vcrypto_skcipher_ctx, owner);

	int err;

	if (!ctx->have_sessions)
		return 0;
	WRITE_ONCE(ctx->have_sessions, false);
	err = vcrypto_skcipher_make_sessions(ctx);
	/* meanwhile (and if that failed) requests go stateless if they may */
	if (err)
		vcrypto_sl_rearm(&ctx->sl);
	return err;
}

static int vcrypto_skcipher_setkey(struct crypto_skcipher *tfm,
				   const u8 *key, unsigned int keylen)
{
	struct vcrypto_skcipher_ctx *ctx = crypto_skcipher_ctx(tfm);
	struct vcrypto_skcipher_def *def = vcrypto_def(tfm);
	struct vcrypto_dev *vc = ctx->vc;
	int err;

	if (def->cipher == VCRYPTO_DES3) {
		err = keylen == DES3_EDE_KEY_SIZE ?
		      verify_skcipher_des3_key(tfm, key) : -EINVAL;
	} else if (def->mode == VCRYPTO_MODE_XTS) {
		err = xts_verify_key(tfm, key, keylen);
		if (!err)
			err = aes_check_keylen(keylen / 2);
	} else {
		err = aes_check_keylen(keylen);
	}
	if (err)
		return err;

	if (ctx->fallback) {
		crypto_skcipher_clear_flags(ctx->fallback, CRYPTO_TFM_REQ_MASK);
		crypto_skcipher_set_flags(ctx->fallback,
					  crypto_skcipher_get_flags(tfm) &
					  CRYPTO_TFM_REQ_MASK);
		err = crypto_skcipher_setkey(ctx->fallback, key, keylen);
		if (err)
			return err;
	}

	/* before sess_lock, which the work takes */
	cancel_work_sync(&ctx->sl.work);
	mutex_lock(&vc->sess_lock);
	vcrypto_skcipher_drop_sessions(ctx);
	ctx->use_fallback = false;
	ctx->key_ok = false;
	memzero_explicit(ctx->key, sizeof(ctx->key));
	ctx->keylen = 0;
	vcrypto_sl_setkey(&ctx->sl, vc, VIRTIO_CRYPTO_SERVICE_CIPHER);

	/* DRV-CFG-12 */
	if (keylen > vc->max_cipher_key_len || keylen > sizeof(ctx->key)) {
		err = -EINVAL;
	} else {
		memcpy(ctx->key, key, keylen);
		ctx->keylen = keylen;
		err = 0;
		if (vcrypto_sl_sessions_now(&ctx->sl)) {
			err = vcrypto_skcipher_make_sessions(ctx);
			if (!err)
				vcrypto_sess_owner_add(vc, &ctx->owner);
		}
	}
	/*
	 * A key the device refuses (a key size it lacks, or a degenerate 3DES
	 * key that the generic code accepts): software keeps it correct. In
	 * stateless mode the device says so at the first request (finish).
	 */
	if (err && ctx->fallback) {
		ctx->use_fallback = true;
		err = 0;
	}
	mutex_unlock(&vc->sess_lock);
	return err;
}

/* Add @blocks to a @size-byte big-endian counter, as the ctr template does. */
static void vcrypto_ctr_add(u8 *ctr, unsigned int size, unsigned int blocks)
{
	unsigned int carry = blocks;
	int i;

	for (i = size - 1; i >= 0 && carry; i--) {
		carry += ctr[i];
		ctr[i] = carry & 0xff;
		carry >>= 8;
	}
}

static int vcrypto_skcipher_fallback(struct skcipher_request *req, bool enc,
				     u32 mask)
{
	struct vcrypto_skcipher_ctx *ctx =
		crypto_skcipher_ctx(crypto_skcipher_reqtfm(req));
	struct vcrypto_skcipher_rctx *rctx = skcipher_request_ctx(req);
	struct skcipher_request *sub = &rctx->fallback_req;

	skcipher_request_set_tfm(sub, ctx->fallback);
	skcipher_request_set_callback(sub, req->base.flags & mask,
				      req->base.complete, req->base.data);
	skcipher_request_set_crypt(sub, req->src, req->dst, req->cryptlen,
				   req->iv);
	return enc ? crypto_skcipher_encrypt(sub) :
		     crypto_skcipher_decrypt(sub);
}

/*
 * Output IV as the crypto API defines it; runs in softirq context. A
 * stateless request is where the device first sees the key: if it fails
 * before any request with this key worked, the device refuses the key
 * (session mode finds that out at setkey): the tfm moves to the software
 * fallback, which does this request too (synchronously, it is sync). The
 * device did not run the request, so the input is intact.
 */
static int vcrypto_skcipher_finish(struct vcrypto_req *vreq, int err)
{
	struct vcrypto_skcipher_rctx *rctx =
		container_of(vreq, struct vcrypto_skcipher_rctx, vreq);
	struct skcipher_request *req = skcipher_request_cast(vreq->areq);
	struct crypto_skcipher *tfm = crypto_skcipher_reqtfm(req);
	struct vcrypto_skcipher_ctx *ctx = crypto_skcipher_ctx(tfm);
	struct vcrypto_skcipher_def *def = vcrypto_def(tfm);
	/* the chunk size is the block size of the underlying cipher */
	unsigned int len = req->cryptlen, bs = crypto_skcipher_chunksize(tfm);
	bool enc = vreq->hdr.header.opcode ==
		   cpu_to_le32(VIRTIO_CRYPTO_CIPHER_ENCRYPT);

	if (vreq->stateless && ctx->fallback) {
		if (!err) {
			WRITE_ONCE(ctx->key_ok, true);
		} else if ((err == -EIO || err == -EOPNOTSUPP) &&
			   !READ_ONCE(ctx->key_ok)) {
			WRITE_ONCE(ctx->use_fallback, true);
			return vcrypto_skcipher_fallback(req, enc,
							 ~CRYPTO_TFM_REQ_MAY_SLEEP);
		}
	}
	if (err)
		return err;

	switch (def->mode) {
	case VCRYPTO_MODE_CBC:
		if (enc)
			scatterwalk_map_and_copy(req->iv, req->dst, len - bs,
						 bs, 0);
		else
			memcpy(req->iv, rctx->iv_out, bs);
		break;
	case VCRYPTO_MODE_CTR:
		vcrypto_ctr_add(rctx->iv, bs, DIV_ROUND_UP(len, bs));
		memcpy(req->iv, rctx->iv, bs);
		break;
	default:
		/* ecb has no IV; xts leaves it unchanged */
		break;
	}
	return 0;
}

/* Put @sg (covering @len bytes) into @sgs, trimmed when it fits. */
static struct scatterlist *vcrypto_data_sg(struct scatterlist *trimmed,
					   struct scatterlist *sg,
					   unsigned int len,
					   unsigned int *ndesc)
{
	unsigned int n = vcrypto_trim_sg(trimmed, VCRYPTO_TRIM_SG, sg, len);

	if (n) {
		*ndesc += n;
		return trimmed;
	}
	/*
	 * Long chain: hand it over whole. The device reads/writes exactly
	 * the data lengths from the start of each area (AMB-4, X-5).
	 */
	*ndesc += sg_nents(sg);
	return sg;
}

static int vcrypto_skcipher_crypt(struct skcipher_request *req, bool enc)
{
	struct crypto_skcipher *tfm = crypto_skcipher_reqtfm(req);
	struct vcrypto_skcipher_ctx *ctx = crypto_skcipher_ctx(tfm);
	struct vcrypto_skcipher_rctx *rctx = skcipher_request_ctx(req);
	struct vcrypto_skcipher_def *def = vcrypto_def(tfm);
	unsigned int ivsize = crypto_skcipher_ivsize(tfm);
	struct vcrypto_req *vreq = &rctx->vreq;
	struct vcrypto_dev *vc = ctx->vc;
	unsigned int len = req->cryptlen;
	struct scatterlist *src, *dst;
	unsigned int n = 0, keylen = 0;
	bool sessions;

	switch (def->mode) {
	case VCRYPTO_MODE_ECB:
	case VCRYPTO_MODE_CBC:
		if (!IS_ALIGNED(len, crypto_skcipher_blocksize(tfm)))
			return -EINVAL;
		break;
	case VCRYPTO_MODE_XTS:
		if (len < AES_BLOCK_SIZE)
			return -EINVAL;
		/* ciphertext stealing is not a device mode */
		if (!IS_ALIGNED(len, AES_BLOCK_SIZE))
			return vcrypto_skcipher_fallback(req, enc, ~0U);
		break;
	default:
		break;
	}
	/* nothing to do, and the IV stays as it is (like the generic code) */
	if (!len)
		return 0;
	if (READ_ONCE(ctx->use_fallback))
		return vcrypto_skcipher_fallback(req, enc, ~0U);
	/* pairs with the release in vcrypto_skcipher_make_sessions() */
	sessions = smp_load_acquire(&ctx->have_sessions);
	if (!sessions && !vcrypto_sl_on(&ctx->sl))
		return -ENOKEY;
	if (sg_nents_for_len(req->src, len) < 0 ||
	    sg_nents_for_len(req->dst, len) < 0)
		return -EINVAL;
	if (!READ_ONCE(vc->hw_ready))
		return -EIO;	/* DRV-CFG-3 */
	if (!sessions)
		keylen = ctx->keylen;
	/* DRV-CFG-9, AMB-12: [key +] iv + src + dst stays below max_size */
	if ((u64)keylen + ivsize + 2ULL * len >= vc->max_size)
		return -EINVAL;

	/* header, then device-readable: [key], IV, source */
	vreq->sgs[n++] = &vreq->hdr_sg;
	vreq->ndesc = 1;
	if (sessions) {
		struct virtio_crypto_cipher_para *para;

		memset(&vreq->hdr, 0, sizeof(vreq->hdr));
		vreq->hdr.header.opcode =
			cpu_to_le32(enc ? VIRTIO_CRYPTO_CIPHER_ENCRYPT :
				    VIRTIO_CRYPTO_CIPHER_DECRYPT);
		vreq->hdr.header.algo = cpu_to_le32(def->algo);
		vreq->hdr.u.sym_req.op_type =
			cpu_to_le32(VIRTIO_CRYPTO_SYM_OP_CIPHER);
		para = &vreq->hdr.u.sym_req.u.cipher.para;
		para->iv_len = cpu_to_le32(ivsize);
		/* AMB-5: equal lengths for block and stream modes */
		para->src_data_len = cpu_to_le32(len);
		para->dst_data_len = cpu_to_le32(len);
		vcrypto_req_session(vreq, vc,
				    READ_ONCE(ctx->sid[enc ? VCRYPTO_SESS_ENC :
						       VCRYPTO_SESS_DEC]));
	} else {
		struct vcrypto_cipher_sl_flf *flf = &vreq->sl.u.sym.u.cipher;

		/* DRV-SYM-2: stateless, the session parameters inline */
		memset(&vreq->sl, 0, sizeof(vreq->sl));
		vreq->sl.header.opcode =
			cpu_to_le32(enc ? VIRTIO_CRYPTO_CIPHER_ENCRYPT :
				    VIRTIO_CRYPTO_CIPHER_DECRYPT);
		vreq->sl.header.algo = cpu_to_le32(def->algo);
		vreq->sl.u.sym.op_type = cpu_to_le32(VIRTIO_CRYPTO_SYM_OP_CIPHER);
		flf->algo = cpu_to_le32(def->algo);
		flf->key_len = cpu_to_le32(keylen);
		flf->op = cpu_to_le32(enc ? VIRTIO_CRYPTO_OP_ENCRYPT :
				      VIRTIO_CRYPTO_OP_DECRYPT);
		flf->iv_len = cpu_to_le32(ivsize);
		flf->src_data_len = cpu_to_le32(len);
		flf->dst_data_len = cpu_to_le32(len);
		vcrypto_req_stateless(vreq);
		/* the key copy in the tfm context: no allocation */
		sg_init_one(&rctx->key_sg, ctx->key, keylen);
		vreq->sgs[n++] = &rctx->key_sg;
		vreq->ndesc++;
	}
	if (ivsize) {
		memcpy(rctx->iv, req->iv, ivsize);
		sg_init_one(&rctx->iv_sg, rctx->iv, ivsize);
		vreq->sgs[n++] = &rctx->iv_sg;
		vreq->ndesc++;
	}
	/* cbc decrypt: an in-place request overwrites the last input block */
	if (def->mode == VCRYPTO_MODE_CBC && !enc)
		scatterwalk_map_and_copy(rctx->iv_out, req->src,
					 len - ivsize, ivsize, 0);

	src = vcrypto_data_sg(rctx->src_sg, req->src, len, &vreq->ndesc);
	if (req->dst == req->src)
		dst = vcrypto_data_sg(rctx->src_sg, req->dst, len, &vreq->ndesc);
	else
		dst = vcrypto_data_sg(rctx->dst_sg, req->dst, len, &vreq->ndesc);
	vreq->sgs[n++] = src;
	vreq->n_out = n;

	/* device-writable: destination, then the status byte on its own */
	vreq->sgs[n++] = dst;
	sg_init_one(&vreq->status_sg, &vreq->status, sizeof(vreq->status));
	vreq->sgs[n++] = &vreq->status_sg;
	vreq->ndesc++;
	vreq->n_in = n - vreq->n_out;

	vreq->out_len = len;
	/* an untrimmed destination chain may be longer: no upper bound */
	vreq->in_len = dst == req->dst ? 0 : len + 1;
	vreq->areq = &req->base;
	vreq->finish = vcrypto_skcipher_finish;
	vreq->dq = vcrypto_pick_dataq(vc);
	if (!sessions)
		vcrypto_sl_used(&ctx->sl);
	return vcrypto_dataq_submit(vreq);
}

static int vcrypto_skcipher_encrypt(struct skcipher_request *req)
{
	return vcrypto_skcipher_crypt(req, true);
}

static int vcrypto_skcipher_decrypt(struct skcipher_request *req)
{
	return vcrypto_skcipher_crypt(req, false);
}

static int vcrypto_skcipher_init(struct crypto_skcipher *tfm)
{
	struct vcrypto_skcipher_ctx *ctx = crypto_skcipher_ctx(tfm);
	struct vcrypto_skcipher_def *def = vcrypto_def(tfm);
	unsigned int reqsize = sizeof(struct vcrypto_skcipher_rctx);

	ctx->vc = vcrypto_dev_get_for(VIRTIO_CRYPTO_SERVICE_CIPHER, def->algo);
	if (!ctx->vc)
		return -ENODEV;
	ctx->algo = def->algo;
	vcrypto_sess_owner_init(&ctx->owner, vcrypto_skcipher_recreate);
	vcrypto_sl_init(&ctx->sl, vcrypto_skcipher_sl_work);

	if (def->alg.base.cra_flags & CRYPTO_ALG_NEED_FALLBACK) {
		/* synchronous and allocation-free, like us */
		ctx->fallback = crypto_alloc_skcipher(def->alg.base.cra_name, 0,
						      CRYPTO_ALG_ASYNC |
						      CRYPTO_ALG_NEED_FALLBACK |
						      CRYPTO_ALG_ALLOCATES_MEMORY);
		if (IS_ERR(ctx->fallback)) {
			int err = PTR_ERR(ctx->fallback);

			ctx->fallback = NULL;
			vcrypto_dev_put(ctx->vc);
			return err;
		}
		reqsize += crypto_skcipher_reqsize(ctx->fallback);
	}
	crypto_skcipher_set_reqsize(tfm, reqsize);
	return 0;
}

static void vcrypto_skcipher_exit(struct crypto_skcipher *tfm)
{
	struct vcrypto_skcipher_ctx *ctx = crypto_skcipher_ctx(tfm);
	struct vcrypto_dev *vc = ctx->vc;

	/* no request runs now, so nothing queues the work again */
	cancel_work_sync(&ctx->sl.work);
	mutex_lock(&vc->sess_lock);
	vcrypto_sess_owner_del(vc, &ctx->owner);
	vcrypto_skcipher_drop_sessions(ctx);
	mutex_unlock(&vc->sess_lock);
	memzero_explicit(ctx->key, sizeof(ctx->key));
	if (ctx->fallback)
		crypto_free_skcipher(ctx->fallback);
	vcrypto_dev_put(ctx->vc);
}

#define VCRYPTO_SKCIPHER(_algo, _cipher, _mode, _cbs, _cra, _drv, _bs,	\
			 _kmin, _kmax, _iv, _fl) {			\
	.algo = _algo,							\
	.cipher = _cipher,						\
	.mode = _mode,							\
	.alg = {							\
		.base = {						\
			.cra_name = _cra,				\
			.cra_driver_name = _drv,			\
			.cra_flags = CRYPTO_ALG_ASYNC |			\
				     CRYPTO_ALG_KERN_DRIVER_ONLY | (_fl), \
			.cra_blocksize = _bs,				\
			.cra_ctxsize = sizeof(struct vcrypto_skcipher_ctx), \
			.cra_module = THIS_MODULE,			\
		},							\
		.min_keysize = _kmin,					\
		.max_keysize = _kmax,					\
		.ivsize = _iv,						\
		.chunksize = _cbs,					\
		.setkey = vcrypto_skcipher_setkey,			\
		.encrypt = vcrypto_skcipher_encrypt,			\
		.decrypt = vcrypto_skcipher_decrypt,			\
		.init = vcrypto_skcipher_init,				\
		.exit = vcrypto_skcipher_exit,				\
	},								\
}

static struct vcrypto_skcipher_def vcrypto_skciphers[] = {
	VCRYPTO_SKCIPHER(VIRTIO_CRYPTO_CIPHER_AES_ECB, VCRYPTO_AES,
			 VCRYPTO_MODE_ECB, AES_BLOCK_SIZE,
			 "ecb(aes)", "virtio-crypto-ecb-aes", AES_BLOCK_SIZE,
			 AES_MIN_KEY_SIZE, AES_MAX_KEY_SIZE, 0, 0),
	VCRYPTO_SKCIPHER(VIRTIO_CRYPTO_CIPHER_AES_CBC, VCRYPTO_AES,
			 VCRYPTO_MODE_CBC, AES_BLOCK_SIZE,
			 "cbc(aes)", "virtio-crypto-cbc-aes", AES_BLOCK_SIZE,
			 AES_MIN_KEY_SIZE, AES_MAX_KEY_SIZE, AES_BLOCK_SIZE, 0),
	VCRYPTO_SKCIPHER(VIRTIO_CRYPTO_CIPHER_AES_CTR, VCRYPTO_AES,
			 VCRYPTO_MODE_CTR, AES_BLOCK_SIZE,
			 "ctr(aes)", "virtio-crypto-ctr-aes", 1,
			 AES_MIN_KEY_SIZE, AES_MAX_KEY_SIZE, AES_BLOCK_SIZE, 0),
	VCRYPTO_SKCIPHER(VIRTIO_CRYPTO_CIPHER_AES_XTS, VCRYPTO_AES,
			 VCRYPTO_MODE_XTS, AES_BLOCK_SIZE,
			 "xts(aes)", "virtio-crypto-xts-aes", AES_BLOCK_SIZE,
			 2 * AES_MIN_KEY_SIZE, 2 * AES_MAX_KEY_SIZE,
			 AES_BLOCK_SIZE, CRYPTO_ALG_NEED_FALLBACK),
	VCRYPTO_SKCIPHER(VIRTIO_CRYPTO_CIPHER_3DES_ECB, VCRYPTO_DES3,
			 VCRYPTO_MODE_ECB, DES3_EDE_BLOCK_SIZE,
			 "ecb(des3_ede)", "virtio-crypto-ecb-des3_ede",
			 DES3_EDE_BLOCK_SIZE, DES3_EDE_KEY_SIZE,
			 DES3_EDE_KEY_SIZE, 0,
			 CRYPTO_ALG_NEED_FALLBACK),
	VCRYPTO_SKCIPHER(VIRTIO_CRYPTO_CIPHER_3DES_CBC, VCRYPTO_DES3,
			 VCRYPTO_MODE_CBC, DES3_EDE_BLOCK_SIZE,
			 "cbc(des3_ede)", "virtio-crypto-cbc-des3_ede",
			 DES3_EDE_BLOCK_SIZE, DES3_EDE_KEY_SIZE,
			 DES3_EDE_KEY_SIZE, DES3_EDE_BLOCK_SIZE,
			 CRYPTO_ALG_NEED_FALLBACK),
	VCRYPTO_SKCIPHER(VIRTIO_CRYPTO_CIPHER_3DES_CTR, VCRYPTO_DES3,
			 VCRYPTO_MODE_CTR, DES3_EDE_BLOCK_SIZE,
			 "ctr(des3_ede)", "virtio-crypto-ctr-des3_ede", 1,
			 DES3_EDE_KEY_SIZE, DES3_EDE_KEY_SIZE,
			 DES3_EDE_BLOCK_SIZE,
			 CRYPTO_ALG_NEED_FALLBACK),
};

static int vcrypto_skcipher_reg(struct vcrypto_alg_entry *e)
{
	return crypto_register_skcipher(container_of(e->base,
						     struct skcipher_alg, base));
}

static void vcrypto_skcipher_unreg(struct vcrypto_alg_entry *e)
{
	crypto_unregister_skcipher(container_of(e->base, struct skcipher_alg,
						base));
}

/**
 * vcrypto_skcipher_add_algs - hand the skcipher table to the registry
 *
 * Return: 0 or a negative errno.
 */
int vcrypto_skcipher_add_algs(void)
{
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(vcrypto_skciphers); i++) {
		struct vcrypto_skcipher_def *def = &vcrypto_skciphers[i];

		def->entry.service = VIRTIO_CRYPTO_SERVICE_CIPHER;
		def->entry.algo = def->algo;
		def->entry.base = &def->alg.base;
		def->entry.reg = vcrypto_skcipher_reg;
		def->entry.unreg = vcrypto_skcipher_unreg;
		err = vcrypto_algs_add(&def->entry);
		if (err)
			return err;
	}
	return 0;
}
