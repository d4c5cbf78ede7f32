// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-crypto AEAD algorithms: gcm(aes), rfc4106(gcm(aes)), ccm(aes) and
 * rfc7539(chacha20,poly1305).
 *
 * Request layout (checklist 4.5, AMB-10, AMB-11, AMB-15): readable iv,
 * then the text, then the AAD (src before aad); writable: the output, then
 * the status byte. Encrypt writes ciphertext || tag; decrypt reads
 * ciphertext || tag and writes the plaintext; a wrong tag is BADMSG
 * (-EBADMSG). The crypto API's AAD (the first assoclen bytes of req->src)
 * is neither read from nor written to req->dst, like the generic code.
 *
 * Because the AAD follows the text in the readable stream, the text must
 * be exactly src_data_len bytes of descriptors: a scatterlist too long to
 * trim into the request context goes to a software fallback, as do keys
 * or tag sizes the device refuses and requests near max_size.
 *
 * With AEAD_STATELESS_MODE negotiated, requests after a setkey go
 * stateless (key in each request, checklist 4.4/4.5: key, iv, src, aad)
 * until the tfm has made its sessions in the background (struct
 * vcrypto_sl); with stateless=2 they always do.
 *
 * rfc4106(gcm(aes)) (RFC 4106, IPsec ESP) runs on the device's GCM: the
 * key's last 4 bytes are a salt, the device nonce is salt || 8-byte
 * request IV, and the crypto API's assoclen (16 or 20) counts the IV
 * that ESP puts after the AAD: the device gets assoclen - 8 bytes of AAD
 * and the text starts at assoclen, as in the generic template.
 */
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/string.h>
#include <asm/unaligned.h>
#include <crypto/aes.h>
#include <crypto/chacha.h>
#include <crypto/gcm.h>
#include <crypto/internal/aead.h>
#include <crypto/scatterwalk.h>

#include "virtio_crypto_common.h"

/* Largest key of the table below (AES-256, ChaCha20). */
#define VCRYPTO_AEAD_MAX_KEY	32
/* Tag length of every session; requests ask for their own (AMB-15). */
#define VCRYPTO_AEAD_TAG	16
/* RFC 4106: salt at the end of the key, 8-byte explicit IV. */
#define VCRYPTO_RFC4106_SALT	4

/**
 * struct vcrypto_aead_def - one entry of the algorithm table
 * @entry: registry entry (service, algo)
 * @saltlen: bytes of salt at the end of the key (rfc4106), else 0
 * @alg: the crypto API algorithm
 */
struct vcrypto_aead_def {
	struct vcrypto_alg_entry entry;
	unsigned int saltlen;
	struct aead_alg alg;
};

/**
 * struct vcrypto_aead_ctx - per-tfm state
 * @vc: the device the tfm is bound to (referenced)
 * @owner: entry in the device's list of tfms with sessions
 * @fallback: software implementation
 * @algo: VIRTIO_CRYPTO_AEAD_* of the tfm
 * @saltlen: rfc4106 salt length (0: not rfc4106)
 * @salt: rfc4106 salt, the first bytes of every nonce
 * @sl: stateless-then-sessions switch
 * @have_sessions: @sid is valid (release/acquire, see struct vcrypto_sl)
 * @use_fallback: every request goes to @fallback
 * @key_ok: a stateless request with this key succeeded
 * @keylen: length of @key
 * @sid: encrypt and decrypt sessions (AMB-14)
 * @key: the key, kept to re-create sessions after a reset and sent in
 *	 stateless requests; wiped on rekey and exit
 */
struct vcrypto_aead_ctx {
	struct vcrypto_dev *vc;
	struct vcrypto_sess_owner owner;
	struct crypto_aead *fallback;
	u32 algo;
	unsigned int saltlen;
	u8 salt[VCRYPTO_RFC4106_SALT];
	struct vcrypto_sl sl;
	bool have_sessions;
	bool use_fallback;
	bool key_ok;
	unsigned int keylen;
	u64 sid[2];
	u8 key[VCRYPTO_AEAD_MAX_KEY];
};

/**
 * struct vcrypto_aead_rctx - per-request state
 * @vreq: data-queue request
 * @key_sg: scatterlist for the key (stateless)
 * @iv_sg: scatterlist for @iv
 * @iv: IV copy sent to the device
 * @src_ffwd: scatterwalk_ffwd() storage for the text in req->src
 * @dst_ffwd: the same for req->dst
 * @src_sg: trimmed text
 * @aad_sg: trimmed AAD
 * @dst_sg: trimmed output
 * @fallback_req: software sub-request (its context follows); must stay last
 */
struct vcrypto_aead_rctx {
	struct vcrypto_req vreq;
	struct scatterlist key_sg;
	struct scatterlist iv_sg;
	u8 iv[16];
	struct scatterlist src_ffwd[2];
	struct scatterlist dst_ffwd[2];
	struct scatterlist src_sg[VCRYPTO_TRIM_SG];
	struct scatterlist aad_sg[VCRYPTO_TRIM_SG];
	struct scatterlist dst_sg[VCRYPTO_TRIM_SG];
	struct aead_request fallback_req;
};

enum { VCRYPTO_AEAD_ENC, VCRYPTO_AEAD_DEC };

static struct vcrypto_aead_def *vcrypto_aead_def(struct crypto_aead *tfm)
{
	return container_of(crypto_aead_alg(tfm), struct vcrypto_aead_def,
			    alg);
}

/* Called with vc->sess_lock held. */
static void vcrypto_aead_drop_sessions(struct vcrypto_aead_ctx *ctx)
{
	if (!ctx->have_sessions)
		return;
	WRITE_ONCE(ctx->have_sessions, false);
	vcrypto_destroy_session(ctx->vc, VIRTIO_CRYPTO_SERVICE_AEAD,
				ctx->sid[VCRYPTO_AEAD_ENC]);
	vcrypto_destroy_session(ctx->vc, VIRTIO_CRYPTO_SERVICE_AEAD,
				ctx->sid[VCRYPTO_AEAD_DEC]);
}

/* Called with vc->sess_lock held. */
static int vcrypto_aead_make_sessions(struct vcrypto_aead_ctx *ctx)
{
	struct vcrypto_dev *vc = ctx->vc;
	u64 enc, dec;
	int err;

	err = vcrypto_create_aead_session(vc, ctx->algo,
					  VIRTIO_CRYPTO_OP_ENCRYPT, ctx->key,
					  ctx->keylen, VCRYPTO_AEAD_TAG, &enc);
	if (err)
		return err;
	err = vcrypto_create_aead_session(vc, ctx->algo,
					  VIRTIO_CRYPTO_OP_DECRYPT, ctx->key,
					  ctx->keylen, VCRYPTO_AEAD_TAG, &dec);
	if (err) {
		vcrypto_destroy_session(vc, VIRTIO_CRYPTO_SERVICE_AEAD, enc);
		return err;
	}
	WRITE_ONCE(ctx->sid[VCRYPTO_AEAD_ENC], enc);
	WRITE_ONCE(ctx->sid[VCRYPTO_AEAD_DEC], dec);
	/* publish: the submit path reads the ids after an acquire load */
	smp_store_release(&ctx->have_sessions, true);
	return 0;
}

/* Stateless budget used up: make the sessions (see struct vcrypto_sl). */
static void vcrypto_aead_sl_work(struct work_struct *work)
{
	struct vcrypto_aead_ctx *ctx =
		container_of(work, struct vcrypto_aead_ctx, sl.work);
	struct vcrypto_dev *vc = ctx->vc;

	mutex_lock(&vc->sess_lock);
	if (!ctx->have_sessions && !READ_ONCE(ctx->use_fallback)) {
		if (vcrypto_aead_make_sessions(ctx))
			vcrypto_sl_rearm(&ctx->sl);
		else
			vcrypto_sess_owner_add(vc, &ctx->owner);
	}
	mutex_unlock(&vc->sess_lock);
}

/* After a device reset (AMB-24); called with vc->sess_lock held. */
static int vcrypto_aead_recreate(struct vcrypto_sess_owner *owner)
{
	struct vcrypto_aead_ctx *ctx =
		container_of(owner, struct vcrypto_aead_ctx, owner);

	int err;

	if (!ctx->have_sessions)
		return 0;
	WRITE_ONCE(ctx->have_sessions, false);
	err = vcrypto_aead_make_sessions(ctx);
	if (err)
		vcrypto_sl_rearm(&ctx->sl);
	return err;
}

static int vcrypto_aead_setkey(struct crypto_aead *tfm, const u8 *key,
			       unsigned int keylen)
{
	struct vcrypto_aead_ctx *ctx = crypto_aead_ctx(tfm);
	struct vcrypto_dev *vc = ctx->vc;
	int err;

	/* the fallback checks the key as the generic code does */
	crypto_aead_clear_flags(ctx->fallback, CRYPTO_TFM_REQ_MASK);
	crypto_aead_set_flags(ctx->fallback, crypto_aead_get_flags(tfm) &
			      CRYPTO_TFM_REQ_MASK);
	err = crypto_aead_setkey(ctx->fallback, key, keylen);
	if (err)
		return err;
	/* the fallback checked that the salt is there */
	keylen -= ctx->saltlen;

	/* before sess_lock, which the work takes */
	cancel_work_sync(&ctx->sl.work);
	mutex_lock(&vc->sess_lock);
	vcrypto_aead_drop_sessions(ctx);
	memzero_explicit(ctx->key, sizeof(ctx->key));
	ctx->keylen = 0;
	memcpy(ctx->salt, key + keylen, ctx->saltlen);
	ctx->use_fallback = true;
	ctx->key_ok = false;
	vcrypto_sl_setkey(&ctx->sl, vc, VIRTIO_CRYPTO_SERVICE_AEAD);
	/* AMB-13: max_cipher_key_len bounds AEAD keys */
	if (keylen <= sizeof(ctx->key) && keylen <= vc->max_cipher_key_len) {
		memcpy(ctx->key, key, keylen);
		ctx->keylen = keylen;
		if (!vcrypto_sl_sessions_now(&ctx->sl)) {
			/* stateless: the first request tells (finish) */
			ctx->use_fallback = false;
		} else if (!vcrypto_aead_make_sessions(ctx)) {
			ctx->use_fallback = false;
			vcrypto_sess_owner_add(vc, &ctx->owner);
		}
	}
	mutex_unlock(&vc->sess_lock);
	return 0;
}

static int vcrypto_aead_setauthsize(struct crypto_aead *tfm,
				    unsigned int authsize)
{
	struct vcrypto_aead_ctx *ctx = crypto_aead_ctx(tfm);

	/* the fallback accepts exactly the sizes the generic code does */
	return crypto_aead_setauthsize(ctx->fallback, authsize);
}

static int vcrypto_aead_fallback_flags(struct aead_request *req, bool enc,
				       u32 mask)
{
	struct vcrypto_aead_ctx *ctx =
		crypto_aead_ctx(crypto_aead_reqtfm(req));
	struct vcrypto_aead_rctx *rctx = aead_request_ctx(req);
	struct aead_request *sub = &rctx->fallback_req;

	aead_request_set_tfm(sub, ctx->fallback);
	aead_request_set_callback(sub, req->base.flags & mask,
				  req->base.complete, req->base.data);
	aead_request_set_crypt(sub, req->src, req->dst, req->cryptlen,
			       req->iv);
	aead_request_set_ad(sub, req->assoclen);
	return enc ? crypto_aead_encrypt(sub) : crypto_aead_decrypt(sub);
}

static int vcrypto_aead_fallback(struct aead_request *req, bool enc)
{
	return vcrypto_aead_fallback_flags(req, enc, ~0U);
}

/*
 * Softirq context. A stateless request failing before any request with
 * the key worked means the device refuses the key (session mode learns
 * that at setkey): software takes the tfm and this request (the device
 * did not run it; a tag mismatch is -EBADMSG, not this).
 */
static int vcrypto_aead_finish(struct vcrypto_req *vreq, int err)
{
	struct aead_request *req = container_of(vreq->areq,
						struct aead_request, base);
	struct vcrypto_aead_ctx *ctx =
		crypto_aead_ctx(crypto_aead_reqtfm(req));

	if (!vreq->stateless)
		return err;
	if (!err) {
		WRITE_ONCE(ctx->key_ok, true);
	} else if ((err == -EIO || err == -EOPNOTSUPP) &&
		   !READ_ONCE(ctx->key_ok)) {
		WRITE_ONCE(ctx->use_fallback, true);
		return vcrypto_aead_fallback_flags(req,
						   vreq->sl.header.opcode ==
						   cpu_to_le32(VIRTIO_CRYPTO_AEAD_ENCRYPT),
						   ~CRYPTO_TFM_REQ_MAY_SLEEP);
	}
	return err;
}

/*
 * Trim @len bytes of @sg starting at @skip into @out (@ffwd is the
 * scatterwalk_ffwd() storage). Return: entries used, 0 if they do not fit.
 */
static unsigned int vcrypto_aead_sg(struct scatterlist *out,
				    struct scatterlist *ffwd,
				    struct scatterlist *sg, unsigned int skip,
				    unsigned int len)
{
	return vcrypto_trim_sg(out, VCRYPTO_TRIM_SG,
			       scatterwalk_ffwd(ffwd, sg, skip), len);
}

static int vcrypto_aead_crypt(struct aead_request *req, bool enc)
{
	struct crypto_aead *tfm = crypto_aead_reqtfm(req);
	struct vcrypto_aead_ctx *ctx = crypto_aead_ctx(tfm);
	struct vcrypto_aead_rctx *rctx = aead_request_ctx(req);
	unsigned int authsize = crypto_aead_authsize(tfm);
	unsigned int ivsize = crypto_aead_ivsize(tfm);
	unsigned int alen = req->assoclen, slen = req->cryptlen, dlen;
	/* where the text starts in src and dst */
	unsigned int off = req->assoclen;
	struct vcrypto_req *vreq = &rctx->vreq;
	unsigned int nsrc = 0, naad = 0, ndst = 0, n = 0, keylen = 0;
	bool sessions;
	struct vcrypto_dev *vc = ctx->vc;
	const u8 *iv = req->iv;
	unsigned int ivlen = ivsize;
	u8 nonce[GCM_AES_IV_SIZE];

	if (ctx->saltlen) {
		/* as the generic rfc4106: the AAD is 8 or 12 bytes, then the IV */
		int err = crypto_ipsec_check_assoclen(req->assoclen);

		if (err)
			return err;
		alen -= GCM_RFC4106_IV_SIZE;
		memcpy(nonce, ctx->salt, VCRYPTO_RFC4106_SALT);
		memcpy(nonce + VCRYPTO_RFC4106_SALT, req->iv, GCM_RFC4106_IV_SIZE);
		iv = nonce;
		ivlen = sizeof(nonce);
	} else if (ctx->algo == VIRTIO_CRYPTO_AEAD_CCM) {
		/*
		 * The crypto API's CCM IV is L' = L - 1 (1..7), the nonce, then
		 * the counter; the device takes the nonce alone, 15 - L bytes
		 * from iv[0] (AMB-22).
		 */
		if (req->iv[0] < 1 || req->iv[0] > 7)
			return -EINVAL;
		iv = req->iv + 1;
		ivlen = 14 - req->iv[0];
	}

	if (enc) {
		dlen = slen + authsize;
	} else {
		if (slen < authsize)
			return -EINVAL;
		dlen = slen - authsize;
	}
	/* pairs with the release in vcrypto_aead_make_sessions() */
	sessions = smp_load_acquire(&ctx->have_sessions);
	if (!sessions)
		keylen = ctx->keylen;
	/* AMB-12: stateless requests carry the key too */
	if (READ_ONCE(ctx->use_fallback) ||
	    (!sessions && !vcrypto_sl_on(&ctx->sl)) ||
	    !READ_ONCE(vc->hw_ready) ||
	    (u64)keylen + ivlen + alen + slen + dlen >= vc->max_size)
		return vcrypto_aead_fallback(req, enc);

	if (alen) {
		naad = vcrypto_trim_sg(rctx->aad_sg, VCRYPTO_TRIM_SG,
				       req->src, alen);
		if (!naad)
			return vcrypto_aead_fallback(req, enc);
	}
	if (slen) {
		nsrc = vcrypto_aead_sg(rctx->src_sg, rctx->src_ffwd, req->src,
				       off, slen);
		if (!nsrc)
			return vcrypto_aead_fallback(req, enc);
	}
	if (dlen) {
		ndst = vcrypto_aead_sg(rctx->dst_sg, rctx->dst_ffwd, req->dst,
				       off, dlen);
		if (!ndst)
			return vcrypto_aead_fallback(req, enc);
	}

	/* header, then device-readable: [key], IV, text, AAD (AMB-10) */
	vreq->sgs[n++] = &vreq->hdr_sg;
	if (sessions) {
		struct virtio_crypto_aead_para *para;

		memset(&vreq->hdr, 0, sizeof(vreq->hdr));
		vreq->hdr.header.opcode =
			cpu_to_le32(enc ? VIRTIO_CRYPTO_AEAD_ENCRYPT :
				    VIRTIO_CRYPTO_AEAD_DECRYPT);
		vreq->hdr.header.algo = cpu_to_le32(ctx->algo);
		para = &vreq->hdr.u.aead_req.para;
		para->iv_len = cpu_to_le32(ivlen);
		para->aad_len = cpu_to_le32(alen);
		para->src_data_len = cpu_to_le32(slen);
		para->dst_data_len = cpu_to_le32(dlen);
		/*
		 * AMB-15: the spec's tag_len sits at offset 16 of the fixed
		 * part, inside the padding of the Linux header (and within
		 * the 24-byte REVISION_1 one); 0 would mean the session's.
		 */
		put_unaligned_le32(authsize, vreq->hdr.u.aead_req.padding);
		vcrypto_req_session(vreq, vc,
				    READ_ONCE(ctx->sid[enc ? VCRYPTO_AEAD_ENC :
						       VCRYPTO_AEAD_DEC]));
	} else {
		struct vcrypto_aead_sl_flf *flf = &vreq->sl.u.aead;

		/* DRV-AEAD-2: stateless, the session parameters inline */
		memset(&vreq->sl, 0, sizeof(vreq->sl));
		vreq->sl.header.opcode =
			cpu_to_le32(enc ? VIRTIO_CRYPTO_AEAD_ENCRYPT :
				    VIRTIO_CRYPTO_AEAD_DECRYPT);
		vreq->sl.header.algo = cpu_to_le32(ctx->algo);
		flf->algo = cpu_to_le32(ctx->algo);
		flf->key_len = cpu_to_le32(keylen);
		flf->op = cpu_to_le32(enc ? VIRTIO_CRYPTO_OP_ENCRYPT :
				      VIRTIO_CRYPTO_OP_DECRYPT);
		flf->iv_len = cpu_to_le32(ivlen);
		/* no session to take it from: never 0 (AMB-15) */
		flf->tag_len = cpu_to_le32(authsize);
		flf->aad_len = cpu_to_le32(alen);
		flf->src_data_len = cpu_to_le32(slen);
		flf->dst_data_len = cpu_to_le32(dlen);
		vcrypto_req_stateless(vreq);
		sg_init_one(&rctx->key_sg, ctx->key, keylen);
		vreq->sgs[n++] = &rctx->key_sg;
	}
	memcpy(rctx->iv, iv, ivlen);
	sg_init_one(&rctx->iv_sg, rctx->iv, ivlen);
	vreq->sgs[n++] = &rctx->iv_sg;
	if (nsrc)
		vreq->sgs[n++] = rctx->src_sg;
	if (naad)
		vreq->sgs[n++] = rctx->aad_sg;
	vreq->n_out = n;

	/* device-writable: output, then the status byte on its own */
	if (ndst)
		vreq->sgs[n++] = rctx->dst_sg;
	sg_init_one(&vreq->status_sg, &vreq->status, sizeof(vreq->status));
	vreq->sgs[n++] = &vreq->status_sg;
	vreq->n_in = n - vreq->n_out;
	vreq->ndesc = 3 + nsrc + naad + ndst + (sessions ? 0 : 1);

	vreq->out_len = dlen;
	vreq->in_len = dlen + 1;
	vreq->areq = &req->base;
	vreq->finish = vcrypto_aead_finish;
	vreq->dq = vcrypto_pick_dataq(vc);
	if (!sessions)
		vcrypto_sl_used(&ctx->sl);
	return vcrypto_dataq_submit(vreq);
}

static int vcrypto_aead_encrypt(struct aead_request *req)
{
	return vcrypto_aead_crypt(req, true);
}

static int vcrypto_aead_decrypt(struct aead_request *req)
{
	return vcrypto_aead_crypt(req, false);
}

static int vcrypto_aead_init_tfm(struct crypto_aead *tfm)
{
	struct vcrypto_aead_def *def = vcrypto_aead_def(tfm);
	struct vcrypto_aead_ctx *ctx = crypto_aead_ctx(tfm);
	struct vcrypto_dev *vc;
	int err;

	vc = vcrypto_dev_get_for(VIRTIO_CRYPTO_SERVICE_AEAD, def->entry.algo);
	if (!vc)
		return -ENODEV;
	ctx->vc = vc;
	ctx->algo = def->entry.algo;
	ctx->saltlen = def->saltlen;
	ctx->use_fallback = true;
	vcrypto_sess_owner_init(&ctx->owner, vcrypto_aead_recreate);
	vcrypto_sl_init(&ctx->sl, vcrypto_aead_sl_work);

	/* synchronous and allocation-free, like us */
	ctx->fallback = crypto_alloc_aead(def->alg.base.cra_name, 0,
					  CRYPTO_ALG_ASYNC |
					  CRYPTO_ALG_NEED_FALLBACK |
					  CRYPTO_ALG_ALLOCATES_MEMORY);
	if (IS_ERR(ctx->fallback)) {
		err = PTR_ERR(ctx->fallback);
		vcrypto_dev_put(vc);
		return err;
	}
	crypto_aead_set_reqsize(tfm, sizeof(struct vcrypto_aead_rctx) +
				crypto_aead_reqsize(ctx->fallback));
	return 0;
}

static void vcrypto_aead_exit_tfm(struct crypto_aead *tfm)
{
	struct vcrypto_aead_ctx *ctx = crypto_aead_ctx(tfm);
	struct vcrypto_dev *vc = ctx->vc;

	/* no request runs now, so nothing queues the work again */
	cancel_work_sync(&ctx->sl.work);
	mutex_lock(&vc->sess_lock);
	vcrypto_sess_owner_del(vc, &ctx->owner);
	vcrypto_aead_drop_sessions(ctx);
	mutex_unlock(&vc->sess_lock);
	memzero_explicit(ctx->key, sizeof(ctx->key));
	memzero_explicit(ctx->salt, sizeof(ctx->salt));
	crypto_free_aead(ctx->fallback);
	vcrypto_dev_put(vc);
}

#define VCRYPTO_AEAD_SALT(_algo, _cra, _drv, _iv, _chunk, _salt) {	\
	.entry = {							\
		.service = VIRTIO_CRYPTO_SERVICE_AEAD,			\
		.algo = _algo,						\
	},								\
	.saltlen = _salt,						\
	.alg = {							\
		.setkey = vcrypto_aead_setkey,				\
		.setauthsize = vcrypto_aead_setauthsize,		\
		.encrypt = vcrypto_aead_encrypt,			\
		.decrypt = vcrypto_aead_decrypt,			\
		.init = vcrypto_aead_init_tfm,				\
		.exit = vcrypto_aead_exit_tfm,				\
		.ivsize = _iv,						\
		.maxauthsize = VCRYPTO_AEAD_TAG,			\
		.chunksize = _chunk,					\
		.base = {						\
			.cra_name = _cra,				\
			.cra_driver_name = _drv,			\
			.cra_flags = CRYPTO_ALG_ASYNC |			\
				     CRYPTO_ALG_KERN_DRIVER_ONLY |	\
				     CRYPTO_ALG_NEED_FALLBACK,		\
			.cra_blocksize = 1,				\
			.cra_ctxsize = sizeof(struct vcrypto_aead_ctx),	\
			.cra_module = THIS_MODULE,			\
		},							\
	},								\
}

#define VCRYPTO_AEAD(_algo, _cra, _drv, _iv, _chunk)			\
	VCRYPTO_AEAD_SALT(_algo, _cra, _drv, _iv, _chunk, 0)

static struct vcrypto_aead_def vcrypto_aeads[] = {
	VCRYPTO_AEAD(VIRTIO_CRYPTO_AEAD_GCM, "gcm(aes)",
		     "virtio-crypto-gcm-aes", GCM_AES_IV_SIZE, AES_BLOCK_SIZE),
	VCRYPTO_AEAD_SALT(VIRTIO_CRYPTO_AEAD_GCM, "rfc4106(gcm(aes))",
			  "virtio-crypto-rfc4106-gcm-aes", GCM_RFC4106_IV_SIZE,
			  AES_BLOCK_SIZE, VCRYPTO_RFC4106_SALT),
	VCRYPTO_AEAD(VIRTIO_CRYPTO_AEAD_CCM, "ccm(aes)",
		     "virtio-crypto-ccm-aes", AES_BLOCK_SIZE, AES_BLOCK_SIZE),
	VCRYPTO_AEAD(VIRTIO_CRYPTO_AEAD_CHACHA20_POLY1305,
		     "rfc7539(chacha20,poly1305)",
		     "virtio-crypto-rfc7539-chacha20-poly1305", 12,
		     CHACHA_BLOCK_SIZE),
};

static int vcrypto_aead_reg(struct vcrypto_alg_entry *e)
{
	return crypto_register_aead(&container_of(e, struct vcrypto_aead_def,
						  entry)->alg);
}

static void vcrypto_aead_unreg(struct vcrypto_alg_entry *e)
{
	crypto_unregister_aead(&container_of(e, struct vcrypto_aead_def,
					     entry)->alg);
}

/**
 * vcrypto_aead_add_algs - hand the AEAD table to the registry
 *
 * Return: 0 or a negative errno.
 */
int vcrypto_aead_add_algs(void)
{
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(vcrypto_aeads); i++) {
		struct vcrypto_aead_def *def = &vcrypto_aeads[i];

		def->entry.base = &def->alg.base;
		def->entry.reg = vcrypto_aead_reg;
		def->entry.unreg = vcrypto_aead_unreg;
		err = vcrypto_algs_add(&def->entry);
		if (err)
			return err;
	}
	return 0;
}
