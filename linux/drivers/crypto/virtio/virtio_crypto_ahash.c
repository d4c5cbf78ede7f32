// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-crypto ahash algorithms: SHA-1, SHA-2, SHA-3 over the HASH
 * service; hmac(SHA-1/SHA-2) and cmac(aes) over the MAC service.
 *
 * The device hashes a whole message per request; it has no streaming
 * state. So one-shot operations go to the device: digest(), and finup()
 * when no update() came before it. Streaming (init/update/final, export,
 * import) runs on a software shash of the same algorithm, whose state
 * lives in the request context: export/import state is the software
 * state. Both paths give the same digest.
 *
 * With HASH_STATELESS_MODE (MAC_STATELESS_MODE) negotiated and
 * stateless=1 or 2, a one-shot request is stateless: a hash tfm has no
 * session at all and a MAC tfm's setkey keeps the key, which goes in
 * every request (checklist 4.4/4.5); no control-queue round trip.
 *
 * No allocation on the request path (CRYPTO_ALG_ALLOCATES_MEMORY clear):
 * the header, status, result buffer, scatterlists and the software
 * descriptor are in the request context.
 */
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <crypto/aes.h>
#include <crypto/internal/hash.h>
#include <crypto/sha1.h>
#include <crypto/sha2.h>
#include <crypto/sha3.h>

#include "virtio_crypto_common.h"

/**
 * struct vcrypto_ahash_def - one entry of the algorithm table
 * @entry: registry entry (service, algo)
 * @alg: the crypto API algorithm
 */
struct vcrypto_ahash_def {
	struct vcrypto_alg_entry entry;
	struct ahash_alg alg;
};

/**
 * struct vcrypto_ahash_ctx - per-tfm state
 * @vc: the device the tfm is bound to (referenced)
 * @owner: entry in the device's list of tfms with sessions
 * @fallback: software implementation for streaming
 * @service: VIRTIO_CRYPTO_SERVICE_HASH or _MAC
 * @algo: algorithm number within @service
 * @have_session: @sid is valid
 * @stateless: one-shot requests go stateless (no session)
 * @sid: device session
 * @keylen: length of @key
 * @key: MAC key, kept to re-create the session after a reset and sent in
 *	 stateless requests; wiped and freed on rekey and exit
 *
 * Without @have_session or @stateless everything runs in software.
 */
struct vcrypto_ahash_ctx {
	struct vcrypto_dev *vc;
	struct vcrypto_sess_owner owner;
	struct crypto_shash *fallback;
	u32 service;
	u32 algo;
	bool have_session;
	bool stateless;
	u64 sid;
	unsigned int keylen;
	u8 *key;
};

/**
 * struct vcrypto_ahash_rctx - per-request state
 * @vreq: data-queue request
 * @updated: update() or import() ran: finish in software
 * @src_sg: trimmed copy of the source scatterlist
 * @key_sg: scatterlist for the MAC key (stateless)
 * @res_sg: scatterlist for @result
 * @result: device-written digest, copied to req->result at completion
 * @desc: software descriptor (its context follows); must stay last
 */
struct vcrypto_ahash_rctx {
	struct vcrypto_req vreq;
	bool updated;
	struct scatterlist src_sg[VCRYPTO_TRIM_SG];
	struct scatterlist key_sg;
	struct scatterlist res_sg;
	u8 result[HASH_MAX_DIGESTSIZE];
	struct shash_desc desc;
};

static struct vcrypto_ahash_def *vcrypto_ahash_def(struct crypto_ahash *tfm)
{
	return container_of(__crypto_ahash_alg(crypto_ahash_tfm(tfm)->__crt_alg),
			    struct vcrypto_ahash_def, alg);
}

/* Called with vc->sess_lock held. */
static void vcrypto_ahash_drop_session(struct vcrypto_ahash_ctx *ctx)
{
	if (!ctx->have_session)
		return;
	ctx->have_session = false;
	vcrypto_destroy_session(ctx->vc, ctx->service, ctx->sid);
}

/* Called with vc->sess_lock held. */
static int vcrypto_ahash_make_session(struct vcrypto_ahash_ctx *ctx)
{
	int err;

	err = vcrypto_create_hash_session(ctx->vc, ctx->service, ctx->algo,
					  crypto_shash_digestsize(ctx->fallback),
					  ctx->key, ctx->keylen, &ctx->sid);
	ctx->have_session = !err;
	return err;
}

/* After a device reset (AMB-24); called with vc->sess_lock held. */
static int vcrypto_ahash_recreate(struct vcrypto_sess_owner *owner)
{
	struct vcrypto_ahash_ctx *ctx =
		container_of(owner, struct vcrypto_ahash_ctx, owner);

	if (!ctx->have_session)
		return 0;
	return vcrypto_ahash_make_session(ctx);
}

static void vcrypto_ahash_wipe_key(struct vcrypto_ahash_ctx *ctx)
{
	kfree_sensitive(ctx->key);
	ctx->key = NULL;
	ctx->keylen = 0;
}

static int vcrypto_ahash_setkey(struct crypto_ahash *tfm, const u8 *key,
				unsigned int keylen)
{
	struct vcrypto_ahash_ctx *ctx = crypto_ahash_ctx(tfm);
	struct vcrypto_dev *vc = ctx->vc;
	int err;

	crypto_shash_clear_flags(ctx->fallback, CRYPTO_TFM_REQ_MASK);
	crypto_shash_set_flags(ctx->fallback, crypto_ahash_get_flags(tfm) &
			       CRYPTO_TFM_REQ_MASK);
	err = crypto_shash_setkey(ctx->fallback, key, keylen);
	if (err)
		return err;

	mutex_lock(&vc->sess_lock);
	vcrypto_ahash_drop_session(ctx);
	vcrypto_ahash_wipe_key(ctx);
	ctx->stateless = false;
	/* DRV-CFG-14; a longer key (or none accepted) stays in software */
	if (keylen && keylen <= vc->max_auth_key_len) {
		ctx->key = kmemdup(key, keylen, GFP_KERNEL);
		if (ctx->key) {
			ctx->keylen = keylen;
			if (vcrypto_sl_policy(vc, ctx->service) !=
			    VCRYPTO_SL_NEVER)
				ctx->stateless = true;
			else if (!vcrypto_ahash_make_session(ctx))
				vcrypto_sess_owner_add(vc, &ctx->owner);
		}
	}
	mutex_unlock(&vc->sess_lock);
	return 0;
}

static void vcrypto_ahash_desc_init(struct ahash_request *req)
{
	struct vcrypto_ahash_ctx *ctx =
		crypto_ahash_ctx(crypto_ahash_reqtfm(req));
	struct vcrypto_ahash_rctx *rctx = ahash_request_ctx(req);

	rctx->desc.tfm = ctx->fallback;
}

static int vcrypto_ahash_init(struct ahash_request *req)
{
	struct vcrypto_ahash_rctx *rctx = ahash_request_ctx(req);

	vcrypto_ahash_desc_init(req);
	rctx->updated = false;
	return crypto_shash_init(&rctx->desc);
}

static int vcrypto_ahash_update(struct ahash_request *req)
{
	struct vcrypto_ahash_rctx *rctx = ahash_request_ctx(req);

	rctx->updated = true;
	return shash_ahash_update(req, &rctx->desc);
}

static int vcrypto_ahash_final(struct ahash_request *req)
{
	struct vcrypto_ahash_rctx *rctx = ahash_request_ctx(req);

	return crypto_shash_final(&rctx->desc, req->result);
}

static int vcrypto_ahash_export(struct ahash_request *req, void *out)
{
	struct vcrypto_ahash_rctx *rctx = ahash_request_ctx(req);

	return crypto_shash_export(&rctx->desc, out);
}

static int vcrypto_ahash_import(struct ahash_request *req, const void *in)
{
	struct vcrypto_ahash_rctx *rctx = ahash_request_ctx(req);

	vcrypto_ahash_desc_init(req);
	/* the imported state may hold data: finish in software */
	rctx->updated = true;
	return crypto_shash_import(&rctx->desc, in);
}

/* Device-written digest to the caller; runs in softirq context. */
static int vcrypto_ahash_finish(struct vcrypto_req *vreq, int err)
{
	struct vcrypto_ahash_rctx *rctx =
		container_of(vreq, struct vcrypto_ahash_rctx, vreq);
	struct ahash_request *req = ahash_request_cast(vreq->areq);

	if (!err)
		memcpy(req->result, rctx->result,
		       crypto_ahash_digestsize(crypto_ahash_reqtfm(req)));
	memzero_explicit(rctx->result, sizeof(rctx->result));
	return err;
}

/* The whole message req->src/req->nbytes in one device request. */
static int vcrypto_ahash_oneshot(struct ahash_request *req)
{
	struct crypto_ahash *tfm = crypto_ahash_reqtfm(req);
	struct vcrypto_ahash_ctx *ctx = crypto_ahash_ctx(tfm);
	struct vcrypto_ahash_rctx *rctx = ahash_request_ctx(req);
	unsigned int ds = crypto_ahash_digestsize(tfm);
	struct vcrypto_req *vreq = &rctx->vreq;
	bool mac = ctx->service == VIRTIO_CRYPTO_SERVICE_MAC;
	struct vcrypto_dev *vc = ctx->vc;
	unsigned int len = req->nbytes;
	unsigned int n = 0, nsrc, keylen = 0;

	vcrypto_ahash_desc_init(req);
	if (ctx->stateless && mac)
		keylen = ctx->keylen;
	/* empty messages, no session, device not ready: software */
	if (!len || (!ctx->have_session && !ctx->stateless) ||
	    !READ_ONCE(vc->hw_ready) ||
	    (u64)keylen + len + ds >= vc->max_size ||
	    sg_nents_for_len(req->src, len) < 0)
		return shash_ahash_digest(req, &rctx->desc);

	/* header, then device-readable: [key], source */
	vreq->sgs[n++] = &vreq->hdr_sg;
	if (!ctx->stateless) {
		struct virtio_crypto_hash_para *para;

		memset(&vreq->hdr, 0, sizeof(vreq->hdr));
		vreq->hdr.header.algo = cpu_to_le32(ctx->algo);
		if (!mac) {
			vreq->hdr.header.opcode = cpu_to_le32(VIRTIO_CRYPTO_HASH);
			para = &vreq->hdr.u.hash_req.para;
		} else {
			vreq->hdr.header.opcode = cpu_to_le32(VIRTIO_CRYPTO_MAC);
			para = &vreq->hdr.u.mac_req.para.hash;
		}
		para->src_data_len = cpu_to_le32(len);
		para->hash_result_len = cpu_to_le32(ds);
		vcrypto_req_session(vreq, vc, ctx->sid);
	} else if (!mac) {
		/* DRV-HASH-2: stateless, the algorithm inline */
		memset(&vreq->sl, 0, sizeof(vreq->sl));
		vreq->sl.header.opcode = cpu_to_le32(VIRTIO_CRYPTO_HASH);
		vreq->sl.header.algo = cpu_to_le32(ctx->algo);
		vreq->sl.u.hash.algo = cpu_to_le32(ctx->algo);
		vreq->sl.u.hash.src_data_len = cpu_to_le32(len);
		vreq->sl.u.hash.hash_result_len = cpu_to_le32(ds);
		vcrypto_req_stateless(vreq);
	} else {
		/* DRV-MAC-2: stateless, algorithm and key inline */
		memset(&vreq->sl, 0, sizeof(vreq->sl));
		vreq->sl.header.opcode = cpu_to_le32(VIRTIO_CRYPTO_MAC);
		vreq->sl.header.algo = cpu_to_le32(ctx->algo);
		vreq->sl.u.mac.algo = cpu_to_le32(ctx->algo);
		vreq->sl.u.mac.auth_key_len = cpu_to_le32(keylen);
		vreq->sl.u.mac.src_data_len = cpu_to_le32(len);
		vreq->sl.u.mac.hash_result_len = cpu_to_le32(ds);
		vcrypto_req_stateless(vreq);
		sg_init_one(&rctx->key_sg, ctx->key, keylen);
		vreq->sgs[n++] = &rctx->key_sg;
	}
	nsrc = vcrypto_trim_sg(rctx->src_sg, VCRYPTO_TRIM_SG, req->src, len);
	if (nsrc) {
		vreq->sgs[n++] = rctx->src_sg;
	} else {
		/* long chain: the device reads exactly src_data_len bytes */
		vreq->sgs[n++] = req->src;
		nsrc = sg_nents(req->src);
	}
	vreq->n_out = n;

	/* device-writable: the digest, then the status byte on its own */
	sg_init_one(&rctx->res_sg, rctx->result, ds);
	vreq->sgs[n++] = &rctx->res_sg;
	sg_init_one(&vreq->status_sg, &vreq->status, sizeof(vreq->status));
	vreq->sgs[n++] = &vreq->status_sg;
	vreq->n_in = n - vreq->n_out;
	vreq->ndesc = 3 + nsrc + (keylen ? 1 : 0);

	vreq->out_len = ds;
	vreq->in_len = ds + 1;
	vreq->areq = &req->base;
	vreq->finish = vcrypto_ahash_finish;
	vreq->dq = vcrypto_pick_dataq(vc);
	return vcrypto_dataq_submit(vreq);
}

static int vcrypto_ahash_finup(struct ahash_request *req)
{
	struct vcrypto_ahash_rctx *rctx = ahash_request_ctx(req);

	if (rctx->updated)
		return shash_ahash_finup(req, &rctx->desc);
	/* init() and nothing else: the message is all in req */
	return vcrypto_ahash_oneshot(req);
}

static int vcrypto_ahash_digest(struct ahash_request *req)
{
	return vcrypto_ahash_oneshot(req);
}

static int vcrypto_ahash_init_tfm(struct crypto_ahash *ahash)
{
	struct vcrypto_ahash_def *def = vcrypto_ahash_def(ahash);
	struct vcrypto_ahash_ctx *ctx = crypto_ahash_ctx(ahash);
	struct vcrypto_dev *vc;
	int err;

	vc = vcrypto_dev_get_for(def->entry.service, def->entry.algo);
	if (!vc)
		return -ENODEV;
	ctx->vc = vc;
	ctx->service = def->entry.service;
	ctx->algo = def->entry.algo;
	vcrypto_sess_owner_init(&ctx->owner, vcrypto_ahash_recreate);

	ctx->fallback = crypto_alloc_shash(crypto_ahash_alg_name(ahash), 0,
					   CRYPTO_ALG_NEED_FALLBACK);
	if (IS_ERR(ctx->fallback)) {
		err = PTR_ERR(ctx->fallback);
		goto err_put;
	}
	/* export/import hand the software state over as is */
	if (crypto_shash_statesize(ctx->fallback) !=
	    crypto_ahash_statesize(ahash) ||
	    crypto_shash_digestsize(ctx->fallback) !=
	    crypto_ahash_digestsize(ahash)) {
		err = -EINVAL;
		goto err_free;
	}
	crypto_ahash_set_reqsize(ahash, sizeof(struct vcrypto_ahash_rctx) +
				 crypto_shash_descsize(ctx->fallback));

	/*
	 * Plain hashes have no key: stateless requests without any session,
	 * or one session for the tfm's lifetime.
	 */
	if (ctx->service == VIRTIO_CRYPTO_SERVICE_HASH &&
	    vcrypto_sl_policy(vc, ctx->service) != VCRYPTO_SL_NEVER) {
		ctx->stateless = true;
	} else if (ctx->service == VIRTIO_CRYPTO_SERVICE_HASH) {
		mutex_lock(&vc->sess_lock);
		if (!vcrypto_ahash_make_session(ctx))
			vcrypto_sess_owner_add(vc, &ctx->owner);
		mutex_unlock(&vc->sess_lock);
	}
	return 0;

err_free:
	crypto_free_shash(ctx->fallback);
err_put:
	vcrypto_dev_put(vc);
	return err;
}

static void vcrypto_ahash_exit_tfm(struct crypto_ahash *ahash)
{
	struct vcrypto_ahash_ctx *ctx = crypto_ahash_ctx(ahash);
	struct vcrypto_dev *vc = ctx->vc;

	mutex_lock(&vc->sess_lock);
	vcrypto_sess_owner_del(vc, &ctx->owner);
	vcrypto_ahash_drop_session(ctx);
	mutex_unlock(&vc->sess_lock);
	vcrypto_ahash_wipe_key(ctx);
	crypto_free_shash(ctx->fallback);
	vcrypto_dev_put(vc);
}

#define VCRYPTO_AHASH(_service, _algo, _cra, _drv, _ds, _bs, _ss, _setkey) { \
	.entry = {							\
		.service = _service,					\
		.algo = _algo,						\
	},								\
	.alg = {							\
		.init = vcrypto_ahash_init,				\
		.update = vcrypto_ahash_update,				\
		.final = vcrypto_ahash_final,				\
		.finup = vcrypto_ahash_finup,				\
		.digest = vcrypto_ahash_digest,				\
		.export = vcrypto_ahash_export,				\
		.import = vcrypto_ahash_import,				\
		.setkey = _setkey,					\
		.init_tfm = vcrypto_ahash_init_tfm,			\
		.exit_tfm = vcrypto_ahash_exit_tfm,			\
		.halg = {						\
			.digestsize = _ds,				\
			.statesize = _ss,				\
			.base = {					\
				.cra_name = _cra,			\
				.cra_driver_name = _drv,		\
				.cra_flags = CRYPTO_ALG_ASYNC |		\
					CRYPTO_ALG_KERN_DRIVER_ONLY |	\
					CRYPTO_ALG_NEED_FALLBACK,	\
				.cra_blocksize = _bs,			\
				.cra_ctxsize =				\
					sizeof(struct vcrypto_ahash_ctx), \
				.cra_module = THIS_MODULE,		\
			},						\
		},							\
	},								\
}

#define VCRYPTO_HASH(_algo, _cra, _drv, _ds, _bs, _ss)			\
	VCRYPTO_AHASH(VIRTIO_CRYPTO_SERVICE_HASH, _algo, _cra, _drv,	\
		      _ds, _bs, _ss, NULL)

#define VCRYPTO_HMAC(_algo, _cra, _drv, _ds, _bs, _ss)			\
	VCRYPTO_AHASH(VIRTIO_CRYPTO_SERVICE_MAC, _algo, _cra, _drv,	\
		      _ds, _bs, _ss, vcrypto_ahash_setkey)

static struct vcrypto_ahash_def vcrypto_ahashes[] = {
	VCRYPTO_HASH(VIRTIO_CRYPTO_HASH_SHA1, "sha1",
		     "virtio-crypto-sha1", SHA1_DIGEST_SIZE,
		     SHA1_BLOCK_SIZE, sizeof(struct sha1_state)),
	VCRYPTO_HASH(VIRTIO_CRYPTO_HASH_SHA_224, "sha224",
		     "virtio-crypto-sha224", SHA224_DIGEST_SIZE,
		     SHA224_BLOCK_SIZE, sizeof(struct sha256_state)),
	VCRYPTO_HASH(VIRTIO_CRYPTO_HASH_SHA_256, "sha256",
		     "virtio-crypto-sha256", SHA256_DIGEST_SIZE,
		     SHA256_BLOCK_SIZE, sizeof(struct sha256_state)),
	VCRYPTO_HASH(VIRTIO_CRYPTO_HASH_SHA_384, "sha384",
		     "virtio-crypto-sha384", SHA384_DIGEST_SIZE,
		     SHA384_BLOCK_SIZE, sizeof(struct sha512_state)),
	VCRYPTO_HASH(VIRTIO_CRYPTO_HASH_SHA_512, "sha512",
		     "virtio-crypto-sha512", SHA512_DIGEST_SIZE,
		     SHA512_BLOCK_SIZE, sizeof(struct sha512_state)),
	VCRYPTO_HASH(VIRTIO_CRYPTO_HASH_SHA3_224, "sha3-224",
		     "virtio-crypto-sha3-224",
		     SHA3_224_DIGEST_SIZE, SHA3_224_BLOCK_SIZE,
		     sizeof(struct sha3_state)),
	VCRYPTO_HASH(VIRTIO_CRYPTO_HASH_SHA3_256, "sha3-256",
		     "virtio-crypto-sha3-256",
		     SHA3_256_DIGEST_SIZE, SHA3_256_BLOCK_SIZE,
		     sizeof(struct sha3_state)),
	VCRYPTO_HASH(VIRTIO_CRYPTO_HASH_SHA3_384, "sha3-384",
		     "virtio-crypto-sha3-384",
		     SHA3_384_DIGEST_SIZE, SHA3_384_BLOCK_SIZE,
		     sizeof(struct sha3_state)),
	VCRYPTO_HASH(VIRTIO_CRYPTO_HASH_SHA3_512, "sha3-512",
		     "virtio-crypto-sha3-512",
		     SHA3_512_DIGEST_SIZE, SHA3_512_BLOCK_SIZE,
		     sizeof(struct sha3_state)),
	VCRYPTO_HMAC(VIRTIO_CRYPTO_MAC_HMAC_SHA1, "hmac(sha1)",
		     "virtio-crypto-hmac-sha1",
		     SHA1_DIGEST_SIZE, SHA1_BLOCK_SIZE,
		     sizeof(struct sha1_state)),
	VCRYPTO_HMAC(VIRTIO_CRYPTO_MAC_HMAC_SHA_224, "hmac(sha224)",
		     "virtio-crypto-hmac-sha224",
		     SHA224_DIGEST_SIZE, SHA224_BLOCK_SIZE,
		     sizeof(struct sha256_state)),
	VCRYPTO_HMAC(VIRTIO_CRYPTO_MAC_HMAC_SHA_256, "hmac(sha256)",
		     "virtio-crypto-hmac-sha256",
		     SHA256_DIGEST_SIZE, SHA256_BLOCK_SIZE,
		     sizeof(struct sha256_state)),
	VCRYPTO_HMAC(VIRTIO_CRYPTO_MAC_HMAC_SHA_384, "hmac(sha384)",
		     "virtio-crypto-hmac-sha384",
		     SHA384_DIGEST_SIZE, SHA384_BLOCK_SIZE,
		     sizeof(struct sha512_state)),
	VCRYPTO_HMAC(VIRTIO_CRYPTO_MAC_HMAC_SHA_512, "hmac(sha512)",
		     "virtio-crypto-hmac-sha512",
		     SHA512_DIGEST_SIZE, SHA512_BLOCK_SIZE,
		     sizeof(struct sha512_state)),
	/* state size: the software cmac's, set at registration */
	VCRYPTO_AHASH(VIRTIO_CRYPTO_SERVICE_MAC, VIRTIO_CRYPTO_MAC_CMAC_AES,
		      "cmac(aes)", "virtio-crypto-cmac-aes", AES_BLOCK_SIZE,
		      AES_BLOCK_SIZE, 0, vcrypto_ahash_setkey),
};

static int vcrypto_ahash_reg(struct vcrypto_alg_entry *e)
{
	struct ahash_alg *alg = &container_of(e, struct vcrypto_ahash_def,
					      entry)->alg;

	/*
	 * export()/import() carry the software state, whose size depends on
	 * the implementation for templates (cmac's includes the cipher's
	 * alignment): ask the one init_tfm will use.
	 */
	if (!alg->halg.statesize) {
		struct crypto_shash *sw;

		sw = crypto_alloc_shash(alg->halg.base.cra_name, 0,
					CRYPTO_ALG_NEED_FALLBACK);
		if (IS_ERR(sw))
			return PTR_ERR(sw);
		alg->halg.statesize = crypto_shash_statesize(sw);
		crypto_free_shash(sw);
	}
	return crypto_register_ahash(alg);
}

static void vcrypto_ahash_unreg(struct vcrypto_alg_entry *e)
{
	crypto_unregister_ahash(&container_of(e, struct vcrypto_ahash_def,
					      entry)->alg);
}

/*
 * The stateless probe: one stateless request hashing (MACing, with a zero
 * 16-byte key) a one-byte message.
 */
static int vcrypto_ahash_probe_sl(struct vcrypto_dev *vc,
				  struct vcrypto_alg_entry *e,
				  unsigned int ds)
{
	bool mac = e->service == VIRTIO_CRYPTO_SERVICE_MAC;
	struct vcrypto_probe *p = vcrypto_probe_alloc();
	struct vcrypto_req *vreq;
	unsigned int n = 0;

	if (!p)
		return -ENOMEM;
	vreq = &p->vreq;
	vreq->sl.header.opcode = cpu_to_le32(mac ? VIRTIO_CRYPTO_MAC :
					     VIRTIO_CRYPTO_HASH);
	vreq->sl.header.algo = cpu_to_le32(e->algo);
	if (mac) {
		vreq->sl.u.mac.algo = cpu_to_le32(e->algo);
		vreq->sl.u.mac.auth_key_len = cpu_to_le32(16);
		vreq->sl.u.mac.src_data_len = cpu_to_le32(1);
		vreq->sl.u.mac.hash_result_len = cpu_to_le32(ds);
	} else {
		vreq->sl.u.hash.algo = cpu_to_le32(e->algo);
		vreq->sl.u.hash.src_data_len = cpu_to_le32(1);
		vreq->sl.u.hash.hash_result_len = cpu_to_le32(ds);
	}
	vcrypto_req_stateless(vreq);
	vreq->sgs[n++] = &vreq->hdr_sg;
	/* buf: key (16 zero bytes), message (1 byte), then the digest */
	if (mac) {
		sg_init_one(&p->sg[0], p->buf, 16);
		vreq->sgs[n++] = &p->sg[0];
	}
	sg_init_one(&p->sg[1], p->buf + 16, 1);
	vreq->sgs[n++] = &p->sg[1];
	vreq->n_out = n;
	sg_init_one(&p->sg[2], p->buf + 32, ds);
	vreq->sgs[n++] = &p->sg[2];
	sg_init_one(&vreq->status_sg, &vreq->status, 1);
	vreq->sgs[n++] = &vreq->status_sg;
	vreq->n_in = n - vreq->n_out;
	vreq->ndesc = n;
	vreq->out_len = ds;
	vreq->in_len = ds + 1;
	return vcrypto_probe_run(p, vc);
}

/*
 * A device may advertise a hash it cannot do (the stock QEMU 7.2 device
 * advertises SHA-1 and has no hash support): before registering, try the
 * mode the algorithm will use. Stateless: one request. Sessions: create
 * and destroy one (MAC sessions with a dummy key).
 */
static bool vcrypto_ahash_usable(struct vcrypto_dev *vc,
				 struct vcrypto_alg_entry *e)
{
	struct vcrypto_ahash_def *def =
		container_of(e, struct vcrypto_ahash_def, entry);
	static const u8 probe_key[16];
	u64 sid;

	if (e->service == VIRTIO_CRYPTO_SERVICE_MAC &&
	    vc->max_auth_key_len < sizeof(probe_key))
		return false;
	if (vcrypto_sl_policy(vc, e->service) != VCRYPTO_SL_NEVER)
		return !vcrypto_ahash_probe_sl(vc, e, def->alg.halg.digestsize);
	if (vcrypto_create_hash_session(vc, e->service, e->algo,
					def->alg.halg.digestsize, probe_key,
					sizeof(probe_key), &sid))
		return false;
	vcrypto_destroy_session(vc, e->service, sid);
	return true;
}

/**
 * vcrypto_ahash_add_algs - hand the ahash table to the registry
 *
 * Return: 0 or a negative errno.
 */
int vcrypto_ahash_add_algs(void)
{
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(vcrypto_ahashes); i++) {
		struct vcrypto_ahash_def *def = &vcrypto_ahashes[i];

		def->entry.base = &def->alg.halg.base;
		def->entry.reg = vcrypto_ahash_reg;
		def->entry.unreg = vcrypto_ahash_unreg;
		def->entry.usable = vcrypto_ahash_usable;
		err = vcrypto_algs_add(&def->entry);
		if (err)
			return err;
	}
	return 0;
}
