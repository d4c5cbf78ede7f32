// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-crypto akcipher algorithms: ecdsa-nist-p256 and ecdsa-nist-p384
 * signature verification (AKCIPHER service, ECDSA, AMB-1).
 *
 * The crypto API's formats are the device's (checklist 7, AMB-7), so
 * nothing is converted or parsed here:
 *  - set_pub_key() gets the uncompressed point 0x04 || X || Y, which is
 *    the device's public key; only its length is checked (as ecdsa.c
 *    does), the device checks that the point is on the curve;
 *  - verify() gets the DER Ecdsa-Sig-Value (src_len bytes) followed by
 *    the digest (dst_len bytes) in req->src, which is the device's verify
 *    request: src = signature, then the digest.
 * A signature that does not verify is KEY_REJECTED (AMB-20),
 * -EKEYREJECTED as in the generic code. Signing is not offered: the
 * kernel's ecdsa has no private-key operations either.
 *
 * One session per public key, or, with AKCIPHER_STATELESS_MODE
 * negotiated (stateless=1 or 2), none: the point goes in every request
 * (checklist 7.4). The device then first sees the point at verify(), so
 * a point that is not on the curve fails verify() (-EIO) instead of
 * set_pub_key() (-EINVAL). Signature and digest go through a bounce
 * buffer in the request context (no allocation on the request path).
 */
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <crypto/internal/akcipher.h>

#include "virtio_crypto_common.h"

/* Signature (DER, P-384: at most 104 bytes) and digest (at most 64). */
#define VCRYPTO_ECDSA_MAX_IN	256

/**
 * struct vcrypto_ecdsa_def - one curve
 * @entry: registry entry (AKCIPHER service, ECDSA)
 * @curve: VIRTIO_CRYPTO_CURVE_NIST_*
 * @nbytes: size of a coordinate (and of the order) in bytes
 * @probe_key: the curve's generator, a valid public key for the probe
 * @alg: the crypto API algorithm
 */
struct vcrypto_ecdsa_def {
	struct vcrypto_alg_entry entry;
	u32 curve;
	unsigned int nbytes;
	const u8 *probe_key;
	struct akcipher_alg alg;
};

/**
 * struct vcrypto_ecdsa_ctx - per-tfm state
 * @vc: the device the tfm is bound to (referenced)
 * @owner: entry in the device's list of tfms with sessions
 * @def: the curve
 * @have_session: @sid is valid
 * @stateless: requests are stateless (no session)
 * @sid: device session
 * @keylen: length of @key
 * @key: the public key, kept to re-create the session after a reset and
 *	 sent in stateless requests
 */
struct vcrypto_ecdsa_ctx {
	struct vcrypto_dev *vc;
	struct vcrypto_sess_owner owner;
	const struct vcrypto_ecdsa_def *def;
	bool have_session;
	bool stateless;
	u64 sid;
	unsigned int keylen;
	u8 *key;
};

/**
 * struct vcrypto_ecdsa_rctx - per-request state
 * @vreq: data-queue request
 * @key_sg: scatterlist for the public key (stateless)
 * @in_sg: scatterlist for @in
 * @in: signature || digest, copied from req->src
 */
struct vcrypto_ecdsa_rctx {
	struct vcrypto_req vreq;
	struct scatterlist key_sg;
	struct scatterlist in_sg;
	u8 in[VCRYPTO_ECDSA_MAX_IN];
};

static struct vcrypto_ecdsa_def *vcrypto_ecdsa_def(struct crypto_akcipher *tfm)
{
	return container_of(crypto_akcipher_alg(tfm), struct vcrypto_ecdsa_def,
			    alg);
}

/* Called with vc->sess_lock held. */
static void vcrypto_ecdsa_clear(struct vcrypto_ecdsa_ctx *ctx)
{
	if (ctx->have_session) {
		ctx->have_session = false;
		vcrypto_destroy_session(ctx->vc, VIRTIO_CRYPTO_SERVICE_AKCIPHER,
					ctx->sid);
	}
	vcrypto_sess_owner_del(ctx->vc, &ctx->owner);
	kfree(ctx->key);
	ctx->key = NULL;
	ctx->keylen = 0;
	ctx->stateless = false;
}

/* After a device reset (AMB-24); called with vc->sess_lock held. */
static int vcrypto_ecdsa_recreate(struct vcrypto_sess_owner *owner)
{
	struct vcrypto_ecdsa_ctx *ctx =
		container_of(owner, struct vcrypto_ecdsa_ctx, owner);
	int err;

	if (!ctx->have_session)
		return 0;
	err = vcrypto_create_ecdsa_session(ctx->vc, ctx->def->curve, ctx->key,
					   ctx->keylen, &ctx->sid);
	ctx->have_session = !err;
	return err;
}

static int vcrypto_ecdsa_set_pub_key(struct crypto_akcipher *tfm,
				     const void *key, unsigned int keylen)
{
	struct vcrypto_ecdsa_ctx *ctx = akcipher_tfm_ctx(tfm);
	struct vcrypto_dev *vc = ctx->vc;
	const u8 *point = key;
	int err;

	mutex_lock(&vc->sess_lock);
	vcrypto_ecdsa_clear(ctx);
	/* uncompressed only, one coordinate per curve size (as ecdsa.c) */
	if (keylen != 1 + 2 * ctx->def->nbytes || point[0] != 4) {
		err = -EINVAL;
		goto out;
	}
	ctx->key = kmemdup(key, keylen, GFP_KERNEL);
	if (!ctx->key) {
		err = -ENOMEM;
		goto out;
	}
	ctx->keylen = keylen;
	if (vcrypto_sl_policy(vc, VIRTIO_CRYPTO_SERVICE_AKCIPHER) !=
	    VCRYPTO_SL_NEVER) {
		ctx->stateless = true;
		err = 0;
		goto out;
	}
	err = vcrypto_create_ecdsa_session(vc, ctx->def->curve, ctx->key,
					   keylen, &ctx->sid);
	if (err) {
		/* ERR: the point is not on the curve (AMB-21) */
		if (err == -EIO)
			err = -EINVAL;
		vcrypto_ecdsa_clear(ctx);
		goto out;
	}
	ctx->have_session = true;
	vcrypto_sess_owner_add(vc, &ctx->owner);
out:
	mutex_unlock(&vc->sess_lock);
	return err;
}

static unsigned int vcrypto_ecdsa_max_size(struct crypto_akcipher *tfm)
{
	struct vcrypto_ecdsa_ctx *ctx = akcipher_tfm_ctx(tfm);

	return ctx->def->nbytes;
}

/*
 * The stateless header of a verify (DRV-AKC-2, checklist 4.4): public key
 * type, the curve inline; the point is the first readable variable part,
 * then the signature (@sig_len) and the digest (@digest_len).
 */
static void vcrypto_ecdsa_sl_hdr(struct vcrypto_req *vreq, u32 curve,
				 unsigned int keylen, unsigned int sig_len,
				 unsigned int digest_len)
{
	struct vcrypto_akcipher_sl_flf *flf = &vreq->sl.u.akcipher;

	memset(&vreq->sl, 0, sizeof(vreq->sl));
	vreq->sl.header.opcode = cpu_to_le32(VIRTIO_CRYPTO_AKCIPHER_VERIFY);
	vreq->sl.header.algo = cpu_to_le32(VCRYPTO_AKCIPHER_ECDSA);
	flf->algo = cpu_to_le32(VCRYPTO_AKCIPHER_ECDSA);
	flf->key_type = cpu_to_le32(VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PUBLIC);
	flf->key_len = cpu_to_le32(keylen);
	flf->para[0] = cpu_to_le32(curve);
	flf->src_data_len = cpu_to_le32(sig_len);
	flf->dst_data_len = cpu_to_le32(digest_len);
	vcrypto_req_stateless(vreq);
}

static int vcrypto_ecdsa_verify(struct akcipher_request *req)
{
	struct crypto_akcipher *tfm = crypto_akcipher_reqtfm(req);
	struct vcrypto_ecdsa_ctx *ctx = akcipher_tfm_ctx(tfm);
	struct vcrypto_ecdsa_rctx *rctx = akcipher_request_ctx(req);
	struct vcrypto_req *vreq = &rctx->vreq;
	struct vcrypto_dev *vc = ctx->vc;
	unsigned int len = req->src_len + req->dst_len;
	unsigned int n = 0;
	int nents;

	if (!ctx->have_session && !ctx->stateless)
		return -EINVAL;
	if (!req->src_len || !req->dst_len || len > sizeof(rctx->in))
		return -EINVAL;
	nents = sg_nents_for_len(req->src, len);
	if (nents < 0)
		return -EINVAL;
	if (!READ_ONCE(vc->hw_ready))
		return -EIO;	/* DRV-CFG-3 */
	/* AMB-12: a stateless request carries the key too */
	if ((u64)(ctx->stateless ? ctx->keylen : 0) + len >= vc->max_size)
		return -EINVAL;

	sg_copy_to_buffer(req->src, nents, rctx->in, len);

	vreq->sgs[n++] = &vreq->hdr_sg;
	if (!ctx->stateless) {
		struct virtio_crypto_akcipher_para *para;

		memset(&vreq->hdr, 0, sizeof(vreq->hdr));
		vreq->hdr.header.opcode =
			cpu_to_le32(VIRTIO_CRYPTO_AKCIPHER_VERIFY);
		vreq->hdr.header.algo = cpu_to_le32(VCRYPTO_AKCIPHER_ECDSA);
		para = &vreq->hdr.u.akcipher_req.para;
		/* verify: src is the signature, dst_data_len the digest */
		para->src_data_len = cpu_to_le32(req->src_len);
		para->dst_data_len = cpu_to_le32(req->dst_len);
		vcrypto_req_session(vreq, vc, ctx->sid);
	} else {
		vcrypto_ecdsa_sl_hdr(vreq, ctx->def->curve, ctx->keylen,
				     req->src_len, req->dst_len);
		sg_init_one(&rctx->key_sg, ctx->key, ctx->keylen);
		vreq->sgs[n++] = &rctx->key_sg;
	}
	sg_init_one(&rctx->in_sg, rctx->in, len);
	sg_init_one(&vreq->status_sg, &vreq->status, sizeof(vreq->status));
	vreq->sgs[n++] = &rctx->in_sg;
	vreq->n_out = n;
	vreq->sgs[n++] = &vreq->status_sg;
	vreq->n_in = 1;
	vreq->ndesc = n;
	/* only the status byte is written */
	vreq->out_len = 0;
	vreq->in_len = 1;
	vreq->areq = &req->base;
	vreq->finish = NULL;
	vreq->dq = vcrypto_pick_dataq(vc);
	return vcrypto_dataq_submit(vreq);
}

static int vcrypto_ecdsa_init_tfm(struct crypto_akcipher *tfm)
{
	struct vcrypto_ecdsa_ctx *ctx = akcipher_tfm_ctx(tfm);
	struct vcrypto_ecdsa_def *def = vcrypto_ecdsa_def(tfm);

	ctx->vc = vcrypto_dev_get_for(VIRTIO_CRYPTO_SERVICE_AKCIPHER,
				      def->entry.algo);
	if (!ctx->vc)
		return -ENODEV;
	ctx->def = def;
	vcrypto_sess_owner_init(&ctx->owner, vcrypto_ecdsa_recreate);
	akcipher_set_reqsize(tfm, sizeof(struct vcrypto_ecdsa_rctx));
	return 0;
}

static void vcrypto_ecdsa_exit_tfm(struct crypto_akcipher *tfm)
{
	struct vcrypto_ecdsa_ctx *ctx = akcipher_tfm_ctx(tfm);
	struct vcrypto_dev *vc = ctx->vc;

	mutex_lock(&vc->sess_lock);
	vcrypto_ecdsa_clear(ctx);
	mutex_unlock(&vc->sess_lock);
	vcrypto_dev_put(vc);
}

/* The generators (SEC 2), uncompressed: public keys of private key 1. */
static const u8 vcrypto_p256_g[] = {
	0x04,
	0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47,
	0xf8, 0xbc, 0xe6, 0xe5, 0x63, 0xa4, 0x40, 0xf2,
	0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0,
	0xf4, 0xa1, 0x39, 0x45, 0xd8, 0x98, 0xc2, 0x96,
	0x4f, 0xe3, 0x42, 0xe2, 0xfe, 0x1a, 0x7f, 0x9b,
	0x8e, 0xe7, 0xeb, 0x4a, 0x7c, 0x0f, 0x9e, 0x16,
	0x2b, 0xce, 0x33, 0x57, 0x6b, 0x31, 0x5e, 0xce,
	0xcb, 0xb6, 0x40, 0x68, 0x37, 0xbf, 0x51, 0xf5,
};

static const u8 vcrypto_p384_g[] = {
	0x04,
	0xaa, 0x87, 0xca, 0x22, 0xbe, 0x8b, 0x05, 0x37,
	0x8e, 0xb1, 0xc7, 0x1e, 0xf3, 0x20, 0xad, 0x74,
	0x6e, 0x1d, 0x3b, 0x62, 0x8b, 0xa7, 0x9b, 0x98,
	0x59, 0xf7, 0x41, 0xe0, 0x82, 0x54, 0x2a, 0x38,
	0x55, 0x02, 0xf2, 0x5d, 0xbf, 0x55, 0x29, 0x6c,
	0x3a, 0x54, 0x5e, 0x38, 0x72, 0x76, 0x0a, 0xb7,
	0x36, 0x17, 0xde, 0x4a, 0x96, 0x26, 0x2c, 0x6f,
	0x5d, 0x9e, 0x98, 0xbf, 0x92, 0x92, 0xdc, 0x29,
	0xf8, 0xf4, 0x1d, 0xbd, 0x28, 0x9a, 0x14, 0x7c,
	0xe9, 0xda, 0x31, 0x13, 0xb5, 0xf0, 0xb8, 0xc0,
	0x0a, 0x60, 0xb1, 0xce, 0x1d, 0x7e, 0x81, 0x9d,
	0x7a, 0x43, 0x1d, 0x7c, 0x90, 0xea, 0x0e, 0x5f,
};

#define VCRYPTO_ECDSA(_curve, _nbytes, _g, _cra, _drv) {		\
	.entry = {							\
		.service = VIRTIO_CRYPTO_SERVICE_AKCIPHER,		\
		.algo = VCRYPTO_AKCIPHER_ECDSA,				\
	},								\
	.curve = _curve,						\
	.nbytes = _nbytes,						\
	.probe_key = _g,						\
	.alg = {							\
		.verify = vcrypto_ecdsa_verify,				\
		.set_pub_key = vcrypto_ecdsa_set_pub_key,		\
		.max_size = vcrypto_ecdsa_max_size,			\
		.init = vcrypto_ecdsa_init_tfm,				\
		.exit = vcrypto_ecdsa_exit_tfm,				\
		.base = {						\
			.cra_name = _cra,				\
			.cra_driver_name = _drv,			\
			.cra_flags = CRYPTO_ALG_ASYNC |			\
				     CRYPTO_ALG_KERN_DRIVER_ONLY,	\
			.cra_ctxsize = sizeof(struct vcrypto_ecdsa_ctx), \
			.cra_module = THIS_MODULE,			\
		},							\
	},								\
}

static struct vcrypto_ecdsa_def vcrypto_ecdsas[] = {
	VCRYPTO_ECDSA(VIRTIO_CRYPTO_CURVE_NIST_P256, 32, vcrypto_p256_g,
		      "ecdsa-nist-p256", "virtio-crypto-ecdsa-nist-p256"),
	VCRYPTO_ECDSA(VIRTIO_CRYPTO_CURVE_NIST_P384, 48, vcrypto_p384_g,
		      "ecdsa-nist-p384", "virtio-crypto-ecdsa-nist-p384"),
};

static int vcrypto_ecdsa_reg(struct vcrypto_alg_entry *e)
{
	return crypto_register_akcipher(&container_of(e, struct vcrypto_ecdsa_def,
						      entry)->alg);
}

static void vcrypto_ecdsa_unreg(struct vcrypto_alg_entry *e)
{
	crypto_unregister_akcipher(&container_of(e, struct vcrypto_ecdsa_def,
						 entry)->alg);
}

/*
 * Stateless probe: verify the signature (r, s) = (1, 1) of a zero digest
 * with the generator as public key. It does not verify: a device that does
 * ECDSA on the curve answers KEY_REJECTED (AMB-20), one that does not
 * NOTSUPP or ERR.
 */
static bool vcrypto_ecdsa_probe_sl(struct vcrypto_dev *vc,
				   const struct vcrypto_ecdsa_def *def)
{
	static const u8 sig[] = { 0x30, 0x06, 0x02, 0x01, 0x01,
				  0x02, 0x01, 0x01 };
	unsigned int klen = 1 + 2 * def->nbytes;
	struct vcrypto_probe *p = vcrypto_probe_alloc();
	struct vcrypto_req *vreq;
	int err;

	if (!p)
		return false;
	vreq = &p->vreq;
	vcrypto_ecdsa_sl_hdr(vreq, def->curve, klen, sizeof(sig), def->nbytes);
	/* buf: point, signature, digest (zero) */
	memcpy(p->buf, def->probe_key, klen);
	memcpy(p->buf + klen, sig, sizeof(sig));
	sg_init_one(&p->sg[0], p->buf, klen + sizeof(sig) + def->nbytes);
	sg_init_one(&vreq->status_sg, &vreq->status, 1);
	vreq->sgs[0] = &vreq->hdr_sg;
	vreq->sgs[1] = &p->sg[0];
	vreq->sgs[2] = &vreq->status_sg;
	vreq->n_out = 2;
	vreq->n_in = 1;
	vreq->ndesc = 3;
	vreq->in_len = 1;
	err = vcrypto_probe_run(p, vc);
	return !err || err == -EKEYREJECTED;
}

/*
 * The ECDSA bit does not say which curves: try this one in the mode the
 * algorithm will use (a stateless verify, or a session).
 */
static bool vcrypto_ecdsa_usable(struct vcrypto_dev *vc,
				 struct vcrypto_alg_entry *e)
{
	struct vcrypto_ecdsa_def *def =
		container_of(e, struct vcrypto_ecdsa_def, entry);
	u64 sid;

	if (vcrypto_sl_policy(vc, VIRTIO_CRYPTO_SERVICE_AKCIPHER) !=
	    VCRYPTO_SL_NEVER)
		return vcrypto_ecdsa_probe_sl(vc, def);

	if (vcrypto_create_ecdsa_session(vc, def->curve, def->probe_key,
					 1 + 2 * def->nbytes, &sid))
		return false;
	vcrypto_destroy_session(vc, VIRTIO_CRYPTO_SERVICE_AKCIPHER, sid);
	return true;
}

/**
 * vcrypto_ecdsa_add_algs - hand the ECDSA table to the registry
 *
 * Return: 0 or a negative errno.
 */
int vcrypto_ecdsa_add_algs(void)
{
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(vcrypto_ecdsas); i++) {
		struct vcrypto_ecdsa_def *def = &vcrypto_ecdsas[i];

		def->entry.base = &def->alg.base;
		def->entry.reg = vcrypto_ecdsa_reg;
		def->entry.unreg = vcrypto_ecdsa_unreg;
		def->entry.usable = vcrypto_ecdsa_usable;
		err = vcrypto_algs_add(&def->entry);
		if (err)
			return err;
	}
	return 0;
}
