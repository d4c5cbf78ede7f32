// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-crypto authenc AEADs over algorithm chaining:
 * authenc(hmac(sha1),cbc(aes)) and authenc(hmac(sha256),cbc(aes)).
 *
 * One CIPHER-service request with op_type ALGORITHM_CHAINING does both
 * steps (checklist 4.4, AMB-28). Two sessions per key:
 *  - encrypt: CIPHER_THEN_HASH. The device encrypts the text and HMACs
 *    aad || ciphertext; it writes the ciphertext then the tag, which is
 *    exactly where the crypto API wants them (dst at assoclen:
 *    ciphertext || tag).
 *  - decrypt: HASH_THEN_CIPHER. The device HMACs aad || ciphertext, then
 *    decrypts; the driver compares the digest with the received tag
 *    (crypto_memneq) and fails the request with -EBADMSG on a mismatch.
 *    The device never verifies (AMB-28), so the plaintext of a forged
 *    message is written to dst before the check: on -EBADMSG dst holds
 *    garbage the caller must not use (the generic code leaves it
 *    untouched).
 *
 * Readable: header, iv, text, aad (AMB-10); writable: text, digest,
 * status. With CIPHER_STATELESS_MODE negotiated, requests after a setkey
 * are stateless chaining requests (readable: header, cipher key, MAC key,
 * iv, aad, text: the stateless order, AMB-10) until the tfm has made its
 * sessions in the background (struct vcrypto_sl); with stateless=2
 * always. As for the other AEADs, the text must be exactly src_data_len
 * bytes of descriptors: chains that do not trim into the request context
 * go to the software fallback, as do empty or partial-block texts (the
 * generic code's error paths are kept exactly), keys the device refuses
 * and requests near max_size. Nothing allocates on the request path.
 */
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <crypto/aes.h>
#include <crypto/algapi.h>
#include <crypto/authenc.h>
#include <crypto/internal/aead.h>
#include <crypto/scatterwalk.h>
#include <crypto/sha1.h>
#include <crypto/sha2.h>

#include "virtio_crypto_common.h"

/**
 * struct vcrypto_authenc_def - one entry of the algorithm table
 * @entry: registry entry (CIPHER service, the cipher's algorithm)
 * @mac_algo: VIRTIO_CRYPTO_MAC_HMAC_* the chain uses
 * @alg: the crypto API algorithm
 */
struct vcrypto_authenc_def {
	struct vcrypto_alg_entry entry;
	u32 mac_algo;
	struct aead_alg alg;
};

/**
 * struct vcrypto_authenc_ctx - per-tfm state
 * @vc: the device the tfm is bound to (referenced)
 * @owner: entry in the device's list of tfms with sessions
 * @fallback: software implementation
 * @cipher_algo: VIRTIO_CRYPTO_CIPHER_* of the chain
 * @mac_algo: VIRTIO_CRYPTO_MAC_* of the chain
 * @sl: stateless-then-sessions switch
 * @have_sessions: @sid is valid (release/acquire, see struct vcrypto_sl)
 * @use_fallback: every request goes to @fallback
 * @key_ok: a stateless request with these keys succeeded
 * @sid: encrypt and decrypt sessions
 * @enckeylen: cipher key length
 * @authkeylen: MAC key length
 * @keys: cipher key || MAC key, kept to re-create the sessions after a
 *	  reset and sent in stateless requests (in that order, INL-CTRL-3 and
 *	  checklist 4.5); wiped and freed on rekey and exit
 */
struct vcrypto_authenc_ctx {
	struct vcrypto_dev *vc;
	struct vcrypto_sess_owner owner;
	struct crypto_aead *fallback;
	u32 cipher_algo;
	u32 mac_algo;
	struct vcrypto_sl sl;
	bool have_sessions;
	bool use_fallback;
	bool key_ok;
	u64 sid[2];
	unsigned int enckeylen;
	unsigned int authkeylen;
	u8 *keys;
};

/**
 * struct vcrypto_authenc_rctx - per-request state
 * @vreq: data-queue request
 * @key_sg: scatterlist for the keys (stateless)
 * @iv_sg: scatterlist for @iv
 * @digest_sg: scatterlist for @digest (decrypt)
 * @iv: IV copy sent to the device
 * @tag: received tag (decrypt), copied before submission
 * @digest: digest the device computed (decrypt)
 * @src_ffwd: scatterwalk_ffwd() storage for the text in req->src
 * @dst_ffwd: the same for req->dst
 * @src_sg: trimmed text
 * @aad_sg: trimmed AAD
 * @dst_sg: trimmed output
 * @fallback_req: software sub-request (its context follows); must stay last
 */
struct vcrypto_authenc_rctx {
	struct vcrypto_req vreq;
	struct scatterlist key_sg;
	struct scatterlist iv_sg;
	struct scatterlist digest_sg;
	u8 iv[AES_BLOCK_SIZE];
	u8 tag[SHA256_DIGEST_SIZE];
	u8 digest[SHA256_DIGEST_SIZE];
	struct scatterlist src_ffwd[2];
	struct scatterlist dst_ffwd[2];
	struct scatterlist src_sg[VCRYPTO_TRIM_SG];
	struct scatterlist aad_sg[VCRYPTO_TRIM_SG];
	struct scatterlist dst_sg[VCRYPTO_TRIM_SG];
	struct aead_request fallback_req;
};

enum { VCRYPTO_AUTHENC_ENC, VCRYPTO_AUTHENC_DEC };

static struct vcrypto_authenc_def *vcrypto_authenc_def(struct crypto_aead *tfm)
{
	return container_of(crypto_aead_alg(tfm), struct vcrypto_authenc_def,
			    alg);
}

/* Called with vc->sess_lock held. */
static void vcrypto_authenc_drop_sessions(struct vcrypto_authenc_ctx *ctx)
{
	if (!ctx->have_sessions)
		return;
	WRITE_ONCE(ctx->have_sessions, false);
	vcrypto_destroy_session(ctx->vc, VIRTIO_CRYPTO_SERVICE_CIPHER,
				ctx->sid[VCRYPTO_AUTHENC_ENC]);
	vcrypto_destroy_session(ctx->vc, VIRTIO_CRYPTO_SERVICE_CIPHER,
				ctx->sid[VCRYPTO_AUTHENC_DEC]);
}

/* Called with vc->sess_lock held. */
static int vcrypto_authenc_make_sessions(struct vcrypto_authenc_ctx *ctx,
					 unsigned int digestsize)
{
	struct vcrypto_dev *vc = ctx->vc;
	u64 enc, dec;
	int err;

	err = vcrypto_create_chain_session(vc, ctx->cipher_algo,
					   VIRTIO_CRYPTO_OP_ENCRYPT,
					   VIRTIO_CRYPTO_SYM_ALG_CHAIN_ORDER_CIPHER_THEN_HASH,
					   ctx->mac_algo, digestsize, ctx->keys,
					   ctx->enckeylen, ctx->authkeylen,
					   &enc);
	if (err)
		return err;
	err = vcrypto_create_chain_session(vc, ctx->cipher_algo,
					   VIRTIO_CRYPTO_OP_DECRYPT,
					   VIRTIO_CRYPTO_SYM_ALG_CHAIN_ORDER_HASH_THEN_CIPHER,
					   ctx->mac_algo, digestsize, ctx->keys,
					   ctx->enckeylen, ctx->authkeylen,
					   &dec);
	if (err) {
		vcrypto_destroy_session(vc, VIRTIO_CRYPTO_SERVICE_CIPHER, enc);
		return err;
	}
	WRITE_ONCE(ctx->sid[VCRYPTO_AUTHENC_ENC], enc);
	WRITE_ONCE(ctx->sid[VCRYPTO_AUTHENC_DEC], dec);
	/* publish: the submit path reads the ids after an acquire load */
	smp_store_release(&ctx->have_sessions, true);
	return 0;
}

static unsigned int vcrypto_authenc_digestsize(struct vcrypto_authenc_ctx *ctx)
{
	return ctx->mac_algo == VIRTIO_CRYPTO_MAC_HMAC_SHA1 ?
	       SHA1_DIGEST_SIZE : SHA256_DIGEST_SIZE;
}

/* Stateless budget used up: make the sessions (see struct vcrypto_sl). */
static void vcrypto_authenc_sl_work(struct work_struct *work)
{
	struct vcrypto_authenc_ctx *ctx =
		container_of(work, struct vcrypto_authenc_ctx, sl.work);
	struct vcrypto_dev *vc = ctx->vc;

	mutex_lock(&vc->sess_lock);
	if (!ctx->have_sessions && !READ_ONCE(ctx->use_fallback)) {
		if (vcrypto_authenc_make_sessions(ctx,
						  vcrypto_authenc_digestsize(ctx)))
			vcrypto_sl_rearm(&ctx->sl);
		else
			vcrypto_sess_owner_add(vc, &ctx->owner);
	}
	mutex_unlock(&vc->sess_lock);
}

/* After a device reset (AMB-24); called with vc->sess_lock held. */
static int vcrypto_authenc_recreate(struct vcrypto_sess_owner *owner)
{
	struct vcrypto_authenc_ctx *ctx =
		container_of(owner, struct vcrypto_authenc_ctx, owner);

	int err;

	if (!ctx->have_sessions)
		return 0;
	WRITE_ONCE(ctx->have_sessions, false);
	err = vcrypto_authenc_make_sessions(ctx,
					    vcrypto_authenc_digestsize(ctx));
	if (err)
		vcrypto_sl_rearm(&ctx->sl);
	return err;
}

/* Called with vc->sess_lock held. */
static void vcrypto_authenc_wipe_keys(struct vcrypto_authenc_ctx *ctx)
{
	kfree_sensitive(ctx->keys);
	ctx->keys = NULL;
	ctx->enckeylen = 0;
	ctx->authkeylen = 0;
}

static int vcrypto_authenc_setkey(struct crypto_aead *tfm, const u8 *key,
				  unsigned int keylen)
{
	struct vcrypto_authenc_ctx *ctx = crypto_aead_ctx(tfm);
	unsigned int ds = vcrypto_authenc_digestsize(ctx);
	struct vcrypto_dev *vc = ctx->vc;
	struct crypto_authenc_keys keys;
	int err;

	/* the fallback checks the key blob and sizes as the generic code */
	crypto_aead_clear_flags(ctx->fallback, CRYPTO_TFM_REQ_MASK);
	crypto_aead_set_flags(ctx->fallback, crypto_aead_get_flags(tfm) &
			      CRYPTO_TFM_REQ_MASK);
	err = crypto_aead_setkey(ctx->fallback, key, keylen);
	if (err)
		return err;
	err = crypto_authenc_extractkeys(&keys, key, keylen);
	if (err)
		return err;

	/* before sess_lock, which the work takes */
	cancel_work_sync(&ctx->sl.work);
	mutex_lock(&vc->sess_lock);
	vcrypto_authenc_drop_sessions(ctx);
	vcrypto_authenc_wipe_keys(ctx);
	ctx->use_fallback = true;
	ctx->key_ok = false;
	vcrypto_sl_setkey(&ctx->sl, vc, VIRTIO_CRYPTO_SERVICE_CIPHER);
	/* DRV-CFG-12, DRV-CFG-14; other keys stay in software */
	if (keys.enckeylen <= vc->max_cipher_key_len &&
	    keys.authkeylen <= vc->max_auth_key_len) {
		ctx->keys = kmalloc(keys.enckeylen + keys.authkeylen,
				    GFP_KERNEL);
		if (ctx->keys) {
			memcpy(ctx->keys, keys.enckey, keys.enckeylen);
			memcpy(ctx->keys + keys.enckeylen, keys.authkey,
			       keys.authkeylen);
			ctx->enckeylen = keys.enckeylen;
			ctx->authkeylen = keys.authkeylen;
			if (!vcrypto_sl_sessions_now(&ctx->sl)) {
				/* stateless: the first request tells */
				ctx->use_fallback = false;
			} else if (!vcrypto_authenc_make_sessions(ctx, ds)) {
				ctx->use_fallback = false;
				vcrypto_sess_owner_add(vc, &ctx->owner);
			}
		}
	}
	mutex_unlock(&vc->sess_lock);
	memzero_explicit(&keys, sizeof(keys));
	return 0;
}

static int vcrypto_authenc_setauthsize(struct crypto_aead *tfm,
				       unsigned int authsize)
{
	struct vcrypto_authenc_ctx *ctx = crypto_aead_ctx(tfm);

	return crypto_aead_setauthsize(ctx->fallback, authsize);
}

static int vcrypto_authenc_fallback_flags(struct aead_request *req, bool enc,
					  u32 mask)
{
	struct vcrypto_authenc_ctx *ctx =
		crypto_aead_ctx(crypto_aead_reqtfm(req));
	struct vcrypto_authenc_rctx *rctx = aead_request_ctx(req);
	struct aead_request *sub = &rctx->fallback_req;

	aead_request_set_tfm(sub, ctx->fallback);
	aead_request_set_callback(sub, req->base.flags & mask,
				  req->base.complete, req->base.data);
	aead_request_set_crypt(sub, req->src, req->dst, req->cryptlen,
			       req->iv);
	aead_request_set_ad(sub, req->assoclen);
	return enc ? crypto_aead_encrypt(sub) : crypto_aead_decrypt(sub);
}

static int vcrypto_authenc_fallback(struct aead_request *req, bool enc)
{
	return vcrypto_authenc_fallback_flags(req, enc, ~0U);
}

/*
 * The generic authenc copies the AAD to dst for out-of-place requests; do
 * the same, in small pieces (no allocation). Softirq context.
 */
static void vcrypto_authenc_copy_ad(struct aead_request *req)
{
	unsigned int off, n;
	u8 buf[64];

	for (off = 0; off < req->assoclen; off += n) {
		n = min_t(unsigned int, sizeof(buf), req->assoclen - off);
		scatterwalk_map_and_copy(buf, req->src, off, n, 0);
		scatterwalk_map_and_copy(buf, req->dst, off, n, 1);
	}
	memzero_explicit(buf, sizeof(buf));
}

/*
 * Tag check (decrypt) and AAD copy; runs in softirq context. A stateless
 * request failing before any request with the keys worked: the device
 * refuses them, software takes over (as aead's finish; the device did
 * not run the request).
 */
static int vcrypto_authenc_finish(struct vcrypto_req *vreq, int err)
{
	struct vcrypto_authenc_rctx *rctx =
		container_of(vreq, struct vcrypto_authenc_rctx, vreq);
	struct aead_request *req = container_of(vreq->areq,
						struct aead_request, base);
	struct crypto_aead *tfm = crypto_aead_reqtfm(req);
	struct vcrypto_authenc_ctx *ctx = crypto_aead_ctx(tfm);
	unsigned int authsize = crypto_aead_authsize(tfm);
	bool enc = vreq->hdr.header.opcode ==
		   cpu_to_le32(VIRTIO_CRYPTO_CIPHER_ENCRYPT);

	if (vreq->stateless && !err) {
		WRITE_ONCE(ctx->key_ok, true);
	} else if (vreq->stateless && (err == -EIO || err == -EOPNOTSUPP) &&
		   !READ_ONCE(ctx->key_ok)) {
		WRITE_ONCE(ctx->use_fallback, true);
		memzero_explicit(rctx->digest, sizeof(rctx->digest));
		return vcrypto_authenc_fallback_flags(req, enc,
						      ~CRYPTO_TFM_REQ_MAY_SLEEP);
	}
	if (!err && !enc &&
	    crypto_memneq(rctx->digest, rctx->tag, authsize))
		err = -EBADMSG;
	if (!err && req->src != req->dst)
		vcrypto_authenc_copy_ad(req);
	memzero_explicit(rctx->digest, sizeof(rctx->digest));
	return err;
}

static int vcrypto_authenc_crypt(struct aead_request *req, bool enc)
{
	struct crypto_aead *tfm = crypto_aead_reqtfm(req);
	struct vcrypto_authenc_ctx *ctx = crypto_aead_ctx(tfm);
	struct vcrypto_authenc_rctx *rctx = aead_request_ctx(req);
	unsigned int authsize = crypto_aead_authsize(tfm);
	unsigned int alen = req->assoclen, tlen, wlen;
	struct vcrypto_req *vreq = &rctx->vreq;
	unsigned int nsrc, naad = 0, ndst, n = 0, keylen = 0;
	struct vcrypto_dev *vc = ctx->vc;
	bool sessions;

	if (!enc && req->cryptlen < authsize)
		return vcrypto_authenc_fallback(req, enc);
	tlen = enc ? req->cryptlen : req->cryptlen - authsize;
	/* device writes text || digest; decrypt's digest goes to rctx */
	wlen = enc ? tlen + authsize : tlen;
	/*
	 * Empty and partial-block texts keep the generic code's exact
	 * behaviour (and error codes) in software.
	 */
	/* pairs with the release in vcrypto_authenc_make_sessions() */
	sessions = smp_load_acquire(&ctx->have_sessions);
	if (!sessions)
		keylen = ctx->enckeylen + ctx->authkeylen;
	/* AMB-12: stateless requests carry both keys too */
	if (!tlen || !IS_ALIGNED(tlen, AES_BLOCK_SIZE) ||
	    READ_ONCE(ctx->use_fallback) ||
	    (!sessions && !vcrypto_sl_on(&ctx->sl)) ||
	    !READ_ONCE(vc->hw_ready) ||
	    (u64)keylen + AES_BLOCK_SIZE + alen + 2ULL * tlen + authsize >=
	    vc->max_size)
		return vcrypto_authenc_fallback(req, enc);

	if (alen) {
		naad = vcrypto_trim_sg(rctx->aad_sg, VCRYPTO_TRIM_SG,
				       req->src, alen);
		if (!naad)
			return vcrypto_authenc_fallback(req, enc);
	}
	nsrc = vcrypto_trim_sg(rctx->src_sg, VCRYPTO_TRIM_SG,
			       scatterwalk_ffwd(rctx->src_ffwd, req->src, alen),
			       tlen);
	ndst = vcrypto_trim_sg(rctx->dst_sg, VCRYPTO_TRIM_SG,
			       scatterwalk_ffwd(rctx->dst_ffwd, req->dst, alen),
			       wlen);
	if (!nsrc || !ndst)
		return vcrypto_authenc_fallback(req, enc);
	if (!enc)
		scatterwalk_map_and_copy(rctx->tag, req->src, alen + tlen,
					 authsize, 0);

	memcpy(rctx->iv, req->iv, AES_BLOCK_SIZE);
	sg_init_one(&rctx->iv_sg, rctx->iv, AES_BLOCK_SIZE);
	vreq->sgs[n++] = &vreq->hdr_sg;
	if (sessions) {
		struct virtio_crypto_alg_chain_data_para *para;

		memset(&vreq->hdr, 0, sizeof(vreq->hdr));
		vreq->hdr.header.opcode =
			cpu_to_le32(enc ? VIRTIO_CRYPTO_CIPHER_ENCRYPT :
				    VIRTIO_CRYPTO_CIPHER_DECRYPT);
		vreq->hdr.header.algo = cpu_to_le32(ctx->cipher_algo);
		vreq->hdr.u.sym_req.op_type =
			cpu_to_le32(VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING);
		para = &vreq->hdr.u.sym_req.u.chain.para;
		para->iv_len = cpu_to_le32(AES_BLOCK_SIZE);
		para->src_data_len = cpu_to_le32(tlen);
		para->dst_data_len = cpu_to_le32(tlen);
		para->cipher_start_src_offset = 0;
		para->len_to_cipher = cpu_to_le32(tlen);
		para->hash_start_src_offset = 0;
		para->len_to_hash = cpu_to_le32(tlen);
		para->aad_len = cpu_to_le32(alen);
		para->hash_result_len = cpu_to_le32(authsize);
		vcrypto_req_session(vreq, vc,
				    READ_ONCE(ctx->sid[enc ? VCRYPTO_AUTHENC_ENC :
						       VCRYPTO_AUTHENC_DEC]));

		/* device-readable: IV, text, AAD (AMB-10, session order) */
		vreq->sgs[n++] = &rctx->iv_sg;
		vreq->sgs[n++] = rctx->src_sg;
		if (naad)
			vreq->sgs[n++] = rctx->aad_sg;
	} else {
		struct vcrypto_chain_sl_flf *flf = &vreq->sl.u.sym.u.chain;

		/* DRV-SYM-2, DRV-SYM-5: stateless chaining */
		memset(&vreq->sl, 0, sizeof(vreq->sl));
		vreq->sl.header.opcode =
			cpu_to_le32(enc ? VIRTIO_CRYPTO_CIPHER_ENCRYPT :
				    VIRTIO_CRYPTO_CIPHER_DECRYPT);
		vreq->sl.header.algo = cpu_to_le32(ctx->cipher_algo);
		vreq->sl.u.sym.op_type =
			cpu_to_le32(VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING);
		flf->alg_chain_order =
			cpu_to_le32(enc ? VIRTIO_CRYPTO_SYM_ALG_CHAIN_ORDER_CIPHER_THEN_HASH :
				    VIRTIO_CRYPTO_SYM_ALG_CHAIN_ORDER_HASH_THEN_CIPHER);
		/* AMB-16: both aad_len copies the same */
		flf->sess_aad_len = cpu_to_le32(alen);
		flf->cipher_algo = cpu_to_le32(ctx->cipher_algo);
		flf->cipher_key_len = cpu_to_le32(ctx->enckeylen);
		flf->cipher_op = cpu_to_le32(enc ? VIRTIO_CRYPTO_OP_ENCRYPT :
					     VIRTIO_CRYPTO_OP_DECRYPT);
		flf->hash_algo = cpu_to_le32(ctx->mac_algo);
		flf->auth_key_len = cpu_to_le32(ctx->authkeylen);
		flf->hash_mode = cpu_to_le32(VIRTIO_CRYPTO_SYM_HASH_MODE_AUTH);
		flf->iv_len = cpu_to_le32(AES_BLOCK_SIZE);
		flf->src_data_len = cpu_to_le32(tlen);
		flf->dst_data_len = cpu_to_le32(tlen);
		flf->len_to_cipher = cpu_to_le32(tlen);
		flf->len_to_hash = cpu_to_le32(tlen);
		flf->aad_len = cpu_to_le32(alen);
		flf->hash_result_len = cpu_to_le32(authsize);
		vcrypto_req_stateless(vreq);

		/* readable: keys, IV, AAD, text (AMB-10, stateless order) */
		sg_init_one(&rctx->key_sg, ctx->keys, keylen);
		vreq->sgs[n++] = &rctx->key_sg;
		vreq->sgs[n++] = &rctx->iv_sg;
		if (naad)
			vreq->sgs[n++] = rctx->aad_sg;
		vreq->sgs[n++] = rctx->src_sg;
	}
	vreq->n_out = n;

	/* device-writable: text (and tag), the digest, the status byte */
	vreq->sgs[n++] = rctx->dst_sg;
	if (!enc) {
		sg_init_one(&rctx->digest_sg, rctx->digest, authsize);
		vreq->sgs[n++] = &rctx->digest_sg;
	}
	sg_init_one(&vreq->status_sg, &vreq->status, sizeof(vreq->status));
	vreq->sgs[n++] = &vreq->status_sg;
	vreq->n_in = n - vreq->n_out;
	vreq->ndesc = 4 + nsrc + naad + ndst + (sessions ? 0 : 1);

	vreq->out_len = tlen + authsize;
	vreq->in_len = tlen + authsize + 1;
	vreq->areq = &req->base;
	vreq->finish = vcrypto_authenc_finish;
	vreq->dq = vcrypto_pick_dataq(vc);
	if (!sessions)
		vcrypto_sl_used(&ctx->sl);
	return vcrypto_dataq_submit(vreq);
}

static int vcrypto_authenc_encrypt(struct aead_request *req)
{
	return vcrypto_authenc_crypt(req, true);
}

static int vcrypto_authenc_decrypt(struct aead_request *req)
{
	return vcrypto_authenc_crypt(req, false);
}

static int vcrypto_authenc_init_tfm(struct crypto_aead *tfm)
{
	struct vcrypto_authenc_def *def = vcrypto_authenc_def(tfm);
	struct vcrypto_authenc_ctx *ctx = crypto_aead_ctx(tfm);
	struct vcrypto_dev *vc;
	int err;

	vc = vcrypto_dev_get_for(VIRTIO_CRYPTO_SERVICE_CIPHER, def->entry.algo);
	if (!vc)
		return -ENODEV;
	ctx->vc = vc;
	ctx->cipher_algo = def->entry.algo;
	ctx->mac_algo = def->mac_algo;
	ctx->use_fallback = true;
	vcrypto_sess_owner_init(&ctx->owner, vcrypto_authenc_recreate);
	vcrypto_sl_init(&ctx->sl, vcrypto_authenc_sl_work);

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
	crypto_aead_set_reqsize(tfm, sizeof(struct vcrypto_authenc_rctx) +
				crypto_aead_reqsize(ctx->fallback));
	return 0;
}

static void vcrypto_authenc_exit_tfm(struct crypto_aead *tfm)
{
	struct vcrypto_authenc_ctx *ctx = crypto_aead_ctx(tfm);
	struct vcrypto_dev *vc = ctx->vc;

	/* no request runs now, so nothing queues the work again */
	cancel_work_sync(&ctx->sl.work);
	mutex_lock(&vc->sess_lock);
	vcrypto_sess_owner_del(vc, &ctx->owner);
	vcrypto_authenc_drop_sessions(ctx);
	vcrypto_authenc_wipe_keys(ctx);
	mutex_unlock(&vc->sess_lock);
	crypto_free_aead(ctx->fallback);
	vcrypto_dev_put(vc);
}

#define VCRYPTO_AUTHENC(_mac, _ds, _cra, _drv) {			\
	.entry = {							\
		.service = VIRTIO_CRYPTO_SERVICE_CIPHER,		\
		.algo = VIRTIO_CRYPTO_CIPHER_AES_CBC,			\
	},								\
	.mac_algo = _mac,						\
	.alg = {							\
		.setkey = vcrypto_authenc_setkey,			\
		.setauthsize = vcrypto_authenc_setauthsize,		\
		.encrypt = vcrypto_authenc_encrypt,			\
		.decrypt = vcrypto_authenc_decrypt,			\
		.init = vcrypto_authenc_init_tfm,			\
		.exit = vcrypto_authenc_exit_tfm,			\
		.ivsize = AES_BLOCK_SIZE,				\
		.maxauthsize = _ds,					\
		.base = {						\
			.cra_name = _cra,				\
			.cra_driver_name = _drv,			\
			.cra_flags = CRYPTO_ALG_ASYNC |			\
				     CRYPTO_ALG_KERN_DRIVER_ONLY |	\
				     CRYPTO_ALG_NEED_FALLBACK,		\
			.cra_blocksize = AES_BLOCK_SIZE,		\
			.cra_ctxsize = sizeof(struct vcrypto_authenc_ctx), \
			.cra_module = THIS_MODULE,			\
		},							\
	},								\
}

static struct vcrypto_authenc_def vcrypto_authencs[] = {
	VCRYPTO_AUTHENC(VIRTIO_CRYPTO_MAC_HMAC_SHA1, SHA1_DIGEST_SIZE,
			"authenc(hmac(sha1),cbc(aes))",
			"virtio-crypto-authenc-hmac-sha1-cbc-aes"),
	VCRYPTO_AUTHENC(VIRTIO_CRYPTO_MAC_HMAC_SHA_256, SHA256_DIGEST_SIZE,
			"authenc(hmac(sha256),cbc(aes))",
			"virtio-crypto-authenc-hmac-sha256-cbc-aes"),
};

static int vcrypto_authenc_reg(struct vcrypto_alg_entry *e)
{
	return crypto_register_aead(&container_of(e, struct vcrypto_authenc_def,
						  entry)->alg);
}

static void vcrypto_authenc_unreg(struct vcrypto_alg_entry *e)
{
	crypto_unregister_aead(&container_of(e, struct vcrypto_authenc_def,
					     entry)->alg);
}

/*
 * One stateless chaining request (CIPHER_THEN_HASH) over one block with
 * zero keys, IV and text, no AAD.
 */
static int vcrypto_authenc_probe_sl(struct vcrypto_dev *vc,
				    struct vcrypto_authenc_def *def)
{
	unsigned int ds = def->alg.maxauthsize;
	struct vcrypto_chain_sl_flf *flf;
	struct vcrypto_probe *p = vcrypto_probe_alloc();
	struct vcrypto_req *vreq;

	if (!p)
		return -ENOMEM;
	vreq = &p->vreq;
	flf = &vreq->sl.u.sym.u.chain;
	vreq->sl.header.opcode = cpu_to_le32(VIRTIO_CRYPTO_CIPHER_ENCRYPT);
	vreq->sl.header.algo = cpu_to_le32(def->entry.algo);
	vreq->sl.u.sym.op_type =
		cpu_to_le32(VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING);
	flf->alg_chain_order =
		cpu_to_le32(VIRTIO_CRYPTO_SYM_ALG_CHAIN_ORDER_CIPHER_THEN_HASH);
	flf->cipher_algo = cpu_to_le32(def->entry.algo);
	flf->cipher_key_len = cpu_to_le32(AES_MIN_KEY_SIZE);
	flf->cipher_op = cpu_to_le32(VIRTIO_CRYPTO_OP_ENCRYPT);
	flf->hash_algo = cpu_to_le32(def->mac_algo);
	flf->auth_key_len = cpu_to_le32(16);
	flf->hash_mode = cpu_to_le32(VIRTIO_CRYPTO_SYM_HASH_MODE_AUTH);
	flf->iv_len = cpu_to_le32(AES_BLOCK_SIZE);
	flf->src_data_len = cpu_to_le32(AES_BLOCK_SIZE);
	flf->dst_data_len = cpu_to_le32(AES_BLOCK_SIZE);
	flf->len_to_cipher = cpu_to_le32(AES_BLOCK_SIZE);
	flf->len_to_hash = cpu_to_le32(AES_BLOCK_SIZE);
	flf->hash_result_len = cpu_to_le32(ds);
	vcrypto_req_stateless(vreq);
	/* buf: keys (32), iv (16), text (16); then text and digest out */
	sg_init_one(&p->sg[0], p->buf, AES_MIN_KEY_SIZE + 16 + 2 * AES_BLOCK_SIZE);
	sg_init_one(&p->sg[1], p->buf + 64, AES_BLOCK_SIZE + ds);
	sg_init_one(&vreq->status_sg, &vreq->status, 1);
	vreq->sgs[0] = &vreq->hdr_sg;
	vreq->sgs[1] = &p->sg[0];
	vreq->sgs[2] = &p->sg[1];
	vreq->sgs[3] = &vreq->status_sg;
	vreq->n_out = 2;
	vreq->n_in = 2;
	vreq->ndesc = 4;
	vreq->out_len = AES_BLOCK_SIZE + ds;
	vreq->in_len = AES_BLOCK_SIZE + ds + 1;
	return vcrypto_probe_run(p, vc);
}

/*
 * Chaining needs the cipher and the HMAC advertised (the registry checked
 * both), and a device that does chaining in the modes the algorithm will
 * use: the stock QEMU 7.2 device advertises AES-CBC and refuses chaining
 * sessions. Stateless: one request; sessions: one created and destroyed
 * with a dummy key.
 */
static bool vcrypto_authenc_usable(struct vcrypto_dev *vc,
				   struct vcrypto_alg_entry *e)
{
	struct vcrypto_authenc_def *def =
		container_of(e, struct vcrypto_authenc_def, entry);
	static const u8 probe_keys[AES_MIN_KEY_SIZE + 16];
	u64 sid;

	if (vc->max_cipher_key_len < AES_MIN_KEY_SIZE ||
	    vc->max_auth_key_len < 16)
		return false;
	if (vcrypto_sl_policy(vc, e->service) != VCRYPTO_SL_NEVER &&
	    vcrypto_authenc_probe_sl(vc, def))
		return false;
	/* stateless=1 moves to sessions later: those must work too */
	if (vcrypto_sl_policy(vc, e->service) == VCRYPTO_SL_ALWAYS)
		return true;
	if (vcrypto_create_chain_session(vc, e->algo, VIRTIO_CRYPTO_OP_ENCRYPT,
					 VIRTIO_CRYPTO_SYM_ALG_CHAIN_ORDER_CIPHER_THEN_HASH,
					 def->mac_algo, def->alg.maxauthsize,
					 probe_keys, AES_MIN_KEY_SIZE, 16, &sid))
		return false;
	vcrypto_destroy_session(vc, VIRTIO_CRYPTO_SERVICE_CIPHER, sid);
	return true;
}

/**
 * vcrypto_authenc_add_algs - hand the authenc table to the registry
 *
 * Return: 0 or a negative errno.
 */
int vcrypto_authenc_add_algs(void)
{
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(vcrypto_authencs); i++) {
		struct vcrypto_authenc_def *def = &vcrypto_authencs[i];

		/*
		 * The authenc template's priority is 10 * cipher + hash, so
		 * the template over the generic code sits at 1100 and over
		 * our cbc(aes) and hmac at 11 * priority: match the latter,
		 * which one device request does better than two.
		 */
		def->entry.prio_mul = 11;
		def->entry.service2 = VIRTIO_CRYPTO_SERVICE_MAC;
		def->entry.algo2 = def->mac_algo;
		def->entry.base = &def->alg.base;
		def->entry.reg = vcrypto_authenc_reg;
		def->entry.unreg = vcrypto_authenc_unreg;
		def->entry.usable = vcrypto_authenc_usable;
		err = vcrypto_algs_add(&def->entry);
		if (err)
			return err;
	}
	return 0;
}
