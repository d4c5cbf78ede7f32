// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-crypto akcipher algorithm: raw RSA ("rsa"; pkcs1pad(rsa) and the
 * signature schemes come from the kernel's templates on top of it).
 *
 * Keys arrive as the DER RSAPublicKey / RSAPrivateKey the crypto API
 * hands to set_pub_key()/set_priv_key(), which is also the device's key
 * format (checklist 7.2); the kernel's RSA key parser gives the modulus
 * size. One session per key: the opcode picks encrypt or decrypt, a
 * private key allows both (AMB-8). With AKCIPHER_STATELESS_MODE
 * negotiated (and stateless=1 or 2) there is no session: the DER key goes
 * in every request (checklist 7.4: key, then src).
 *
 * Source and result go through bounce buffers in the request context:
 * the device may write a result shorter than the modulus (AMB-4: the used
 * length says how long), and the crypto API wants exactly the modulus
 * size, big-endian, zero-padded on the left.
 */
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <crypto/internal/akcipher.h>
#include <crypto/internal/rsa.h>

#include "virtio_crypto_common.h"

/* Largest modulus handled: 4096 bits. */
#define VCRYPTO_RSA_MAX_BYTES	512

/**
 * struct vcrypto_rsa_ctx - per-tfm state
 * @vc: the device the tfm is bound to (referenced)
 * @owner: entry in the device's list of tfms with sessions
 * @have_session: @sid is valid
 * @stateless: requests are stateless (no session)
 * @private: the key is a private key
 * @sid: device session
 * @n_bytes: modulus size in bytes (leading zero bytes not counted)
 * @keylen: length of @key
 * @key: DER key, kept to re-create the session after a reset and sent in
 *	 stateless requests; wiped and freed on rekey and exit
 */
struct vcrypto_rsa_ctx {
	struct vcrypto_dev *vc;
	struct vcrypto_sess_owner owner;
	bool have_session;
	bool stateless;
	bool private;
	u64 sid;
	unsigned int n_bytes;
	unsigned int keylen;
	u8 *key;
};

/**
 * struct vcrypto_rsa_rctx - per-request state
 * @vreq: data-queue request
 * @key_sg: scatterlist for the key (stateless)
 * @in_sg: scatterlist for @in
 * @out_sg: scatterlist for @out
 * @in: source, copied from req->src
 * @out: result written by the device
 */
struct vcrypto_rsa_rctx {
	struct vcrypto_req vreq;
	struct scatterlist key_sg;
	struct scatterlist in_sg;
	struct scatterlist out_sg;
	u8 in[VCRYPTO_RSA_MAX_BYTES];
	u8 out[VCRYPTO_RSA_MAX_BYTES];
};

static struct vcrypto_alg_entry vcrypto_rsa_entry;

/* Called with vc->sess_lock held. */
static void vcrypto_rsa_drop_session(struct vcrypto_rsa_ctx *ctx)
{
	if (!ctx->have_session)
		return;
	ctx->have_session = false;
	vcrypto_destroy_session(ctx->vc, VIRTIO_CRYPTO_SERVICE_AKCIPHER,
				ctx->sid);
}

/* Called with vc->sess_lock held. */
static int vcrypto_rsa_make_session(struct vcrypto_rsa_ctx *ctx)
{
	int err;

	err = vcrypto_create_rsa_session(ctx->vc, ctx->private,
					 VIRTIO_CRYPTO_RSA_RAW_PADDING,
					 VIRTIO_CRYPTO_RSA_NO_HASH, ctx->key,
					 ctx->keylen, &ctx->sid);
	ctx->have_session = !err;
	return err;
}

/* After a device reset (AMB-24); called with vc->sess_lock held. */
static int vcrypto_rsa_recreate(struct vcrypto_sess_owner *owner)
{
	struct vcrypto_rsa_ctx *ctx =
		container_of(owner, struct vcrypto_rsa_ctx, owner);

	if (!ctx->have_session)
		return 0;
	return vcrypto_rsa_make_session(ctx);
}

/* Called with vc->sess_lock held. */
static void vcrypto_rsa_clear(struct vcrypto_rsa_ctx *ctx)
{
	vcrypto_rsa_drop_session(ctx);
	vcrypto_sess_owner_del(ctx->vc, &ctx->owner);
	kfree_sensitive(ctx->key);
	ctx->key = NULL;
	ctx->keylen = 0;
	ctx->n_bytes = 0;
	ctx->stateless = false;
}

static int vcrypto_rsa_set_key(struct crypto_akcipher *tfm, const void *key,
			       unsigned int keylen, bool private)
{
	struct vcrypto_rsa_ctx *ctx = akcipher_tfm_ctx(tfm);
	struct vcrypto_dev *vc = ctx->vc;
	struct rsa_key raw = {};
	unsigned int n_bytes;
	int err;

	err = private ? rsa_parse_priv_key(&raw, key, keylen) :
			rsa_parse_pub_key(&raw, key, keylen);
	if (err)
		return err;
	/* a DER INTEGER may carry a leading zero byte */
	n_bytes = raw.n_sz;
	while (n_bytes && !*raw.n) {
		raw.n++;
		n_bytes--;
	}
	memzero_explicit(&raw, sizeof(raw));
	if (!n_bytes || n_bytes > VCRYPTO_RSA_MAX_BYTES)
		return -EINVAL;

	mutex_lock(&vc->sess_lock);
	vcrypto_rsa_clear(ctx);
	ctx->key = kmemdup(key, keylen, GFP_KERNEL);
	if (!ctx->key) {
		err = -ENOMEM;
		goto out;
	}
	ctx->keylen = keylen;
	ctx->private = private;
	if (vcrypto_sl_policy(vc, VIRTIO_CRYPTO_SERVICE_AKCIPHER) !=
	    VCRYPTO_SL_NEVER) {
		/* the key goes in each request: no control-queue round trip */
		ctx->stateless = true;
		ctx->n_bytes = n_bytes;
		goto out;
	}
	err = vcrypto_rsa_make_session(ctx);
	if (err) {
		vcrypto_rsa_clear(ctx);
		goto out;
	}
	ctx->n_bytes = n_bytes;
	vcrypto_sess_owner_add(vc, &ctx->owner);
out:
	mutex_unlock(&vc->sess_lock);
	return err;
}

static int vcrypto_rsa_set_pub_key(struct crypto_akcipher *tfm,
				   const void *key, unsigned int keylen)
{
	return vcrypto_rsa_set_key(tfm, key, keylen, false);
}

static int vcrypto_rsa_set_priv_key(struct crypto_akcipher *tfm,
				    const void *key, unsigned int keylen)
{
	return vcrypto_rsa_set_key(tfm, key, keylen, true);
}

static unsigned int vcrypto_rsa_max_size(struct crypto_akcipher *tfm)
{
	struct vcrypto_rsa_ctx *ctx = akcipher_tfm_ctx(tfm);

	return ctx->n_bytes;
}

/*
 * Result to the caller: exactly n_bytes, zero-padded on the left. The
 * used length (AMB-4) says how many bytes the device wrote; it is
 * untrusted. Runs in softirq context.
 */
static int vcrypto_rsa_finish(struct vcrypto_req *vreq, int err)
{
	struct vcrypto_rsa_rctx *rctx =
		container_of(vreq, struct vcrypto_rsa_rctx, vreq);
	struct akcipher_request *req =
		container_of(vreq->areq, struct akcipher_request, base);
	struct vcrypto_rsa_ctx *ctx =
		akcipher_tfm_ctx(crypto_akcipher_reqtfm(req));
	unsigned int k = ctx->n_bytes, got;

	if (err)
		goto out;
	got = vreq->used_len - 1;
	if (got > k) {
		err = -EIO;
		goto out;
	}
	memmove(rctx->out + k - got, rctx->out, got);
	memset(rctx->out, 0, k - got);
	sg_copy_from_buffer(req->dst, sg_nents_for_len(req->dst, k),
			    rctx->out, k);
	req->dst_len = k;
out:
	memzero_explicit(rctx->in, sizeof(rctx->in));
	memzero_explicit(rctx->out, sizeof(rctx->out));
	return err;
}

/*
 * The stateless header of a raw RSA request (DRV-AKC-2, checklist 4.4):
 * the session parameters inline, the key follows as the first readable
 * variable part.
 */
static void vcrypto_rsa_sl_hdr(struct vcrypto_req *vreq, u32 opcode,
			       bool private, unsigned int keylen,
			       unsigned int src_len, unsigned int dst_len)
{
	struct vcrypto_akcipher_sl_flf *flf = &vreq->sl.u.akcipher;

	memset(&vreq->sl, 0, sizeof(vreq->sl));
	vreq->sl.header.opcode = cpu_to_le32(opcode);
	vreq->sl.header.algo = cpu_to_le32(VIRTIO_CRYPTO_AKCIPHER_RSA);
	flf->algo = cpu_to_le32(VIRTIO_CRYPTO_AKCIPHER_RSA);
	flf->key_type = cpu_to_le32(private ?
				    VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PRIVATE :
				    VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PUBLIC);
	flf->key_len = cpu_to_le32(keylen);
	flf->para[0] = cpu_to_le32(VIRTIO_CRYPTO_RSA_RAW_PADDING);
	flf->para[1] = cpu_to_le32(VIRTIO_CRYPTO_RSA_NO_HASH);
	flf->src_data_len = cpu_to_le32(src_len);
	flf->dst_data_len = cpu_to_le32(dst_len);
	vcrypto_req_stateless(vreq);
}

static int vcrypto_rsa_crypt(struct akcipher_request *req, bool enc)
{
	struct crypto_akcipher *tfm = crypto_akcipher_reqtfm(req);
	struct vcrypto_rsa_ctx *ctx = akcipher_tfm_ctx(tfm);
	struct vcrypto_rsa_rctx *rctx = akcipher_request_ctx(req);
	struct vcrypto_req *vreq = &rctx->vreq;
	struct vcrypto_dev *vc = ctx->vc;
	unsigned int k = ctx->n_bytes, n = 0;
	u32 opcode = enc ? VIRTIO_CRYPTO_AKCIPHER_ENCRYPT :
			   VIRTIO_CRYPTO_AKCIPHER_DECRYPT;

	if (!ctx->have_session && !ctx->stateless)
		return -EINVAL;
	if (!enc && !ctx->private)
		return -EINVAL;
	if (req->dst_len < k) {
		req->dst_len = k;
		return -EOVERFLOW;
	}
	if (!req->src_len || req->src_len > k ||
	    sg_nents_for_len(req->src, req->src_len) < 0 ||
	    sg_nents_for_len(req->dst, k) < 0)
		return -EINVAL;
	if (!READ_ONCE(vc->hw_ready))
		return -EIO;	/* DRV-CFG-3 */
	/* AMB-12: a stateless request carries the key too */
	if ((u64)(ctx->stateless ? ctx->keylen : 0) + req->src_len + k >=
	    vc->max_size)
		return -EINVAL;

	sg_copy_to_buffer(req->src, sg_nents_for_len(req->src, req->src_len),
			  rctx->in, req->src_len);

	vreq->sgs[n++] = &vreq->hdr_sg;
	if (!ctx->stateless) {
		struct virtio_crypto_akcipher_para *para;

		memset(&vreq->hdr, 0, sizeof(vreq->hdr));
		vreq->hdr.header.opcode = cpu_to_le32(opcode);
		vreq->hdr.header.algo = cpu_to_le32(VIRTIO_CRYPTO_AKCIPHER_RSA);
		para = &vreq->hdr.u.akcipher_req.para;
		para->src_data_len = cpu_to_le32(req->src_len);
		para->dst_data_len = cpu_to_le32(k);
		vcrypto_req_session(vreq, vc, ctx->sid);
	} else {
		vcrypto_rsa_sl_hdr(vreq, opcode, ctx->private, ctx->keylen,
				   req->src_len, k);
		sg_init_one(&rctx->key_sg, ctx->key, ctx->keylen);
		vreq->sgs[n++] = &rctx->key_sg;
	}
	sg_init_one(&rctx->in_sg, rctx->in, req->src_len);
	sg_init_one(&rctx->out_sg, rctx->out, k);
	sg_init_one(&vreq->status_sg, &vreq->status, sizeof(vreq->status));
	vreq->sgs[n++] = &rctx->in_sg;
	vreq->n_out = n;
	vreq->sgs[n++] = &rctx->out_sg;
	vreq->sgs[n++] = &vreq->status_sg;
	vreq->n_in = 2;
	vreq->ndesc = n;
	/* the result may be shorter than k (AMB-4): checked in finish */
	vreq->out_len = 0;
	vreq->in_len = k + 1;
	vreq->areq = &req->base;
	vreq->finish = vcrypto_rsa_finish;
	vreq->dq = vcrypto_pick_dataq(vc);
	return vcrypto_dataq_submit(vreq);
}

static int vcrypto_rsa_encrypt(struct akcipher_request *req)
{
	return vcrypto_rsa_crypt(req, true);
}

static int vcrypto_rsa_decrypt(struct akcipher_request *req)
{
	return vcrypto_rsa_crypt(req, false);
}

static int vcrypto_rsa_init_tfm(struct crypto_akcipher *tfm)
{
	struct vcrypto_rsa_ctx *ctx = akcipher_tfm_ctx(tfm);

	ctx->vc = vcrypto_dev_get_for(VIRTIO_CRYPTO_SERVICE_AKCIPHER,
				      VIRTIO_CRYPTO_AKCIPHER_RSA);
	if (!ctx->vc)
		return -ENODEV;
	vcrypto_sess_owner_init(&ctx->owner, vcrypto_rsa_recreate);
	akcipher_set_reqsize(tfm, sizeof(struct vcrypto_rsa_rctx));
	return 0;
}

static void vcrypto_rsa_exit_tfm(struct crypto_akcipher *tfm)
{
	struct vcrypto_rsa_ctx *ctx = akcipher_tfm_ctx(tfm);
	struct vcrypto_dev *vc = ctx->vc;

	mutex_lock(&vc->sess_lock);
	vcrypto_rsa_clear(ctx);
	mutex_unlock(&vc->sess_lock);
	vcrypto_dev_put(vc);
}

static struct akcipher_alg vcrypto_rsa_alg = {
	.encrypt = vcrypto_rsa_encrypt,
	.decrypt = vcrypto_rsa_decrypt,
	.set_pub_key = vcrypto_rsa_set_pub_key,
	.set_priv_key = vcrypto_rsa_set_priv_key,
	.max_size = vcrypto_rsa_max_size,
	.init = vcrypto_rsa_init_tfm,
	.exit = vcrypto_rsa_exit_tfm,
	.base = {
		.cra_name = "rsa",
		.cra_driver_name = "virtio-crypto-rsa",
		.cra_flags = CRYPTO_ALG_ASYNC | CRYPTO_ALG_KERN_DRIVER_ONLY,
		.cra_ctxsize = sizeof(struct vcrypto_rsa_ctx),
		.cra_module = THIS_MODULE,
	},
};

/*
 * A 1024-bit RSAPublicKey (DER) used only to ask the device whether it
 * does raw RSA: the stock QEMU 7.2 device advertises RSA and creates raw
 * sessions, but fails every raw operation.
 */
static const u8 vcrypto_rsa_probe_key[] = {
	0x30, 0x81, 0x89, 0x02, 0x81, 0x81, 0x00, 0xa9,
	0x9a, 0x69, 0xcf, 0x89, 0x20, 0x78, 0x1e, 0x88,
	0xa4, 0x22, 0xe0, 0x20, 0x6a, 0x6a, 0x62, 0xce,
	0x23, 0xd9, 0xc5, 0x62, 0x53, 0xef, 0x04, 0x98,
	0xfe, 0xac, 0x11, 0x2a, 0x08, 0x46, 0xc0, 0x0e,
	0xb0, 0x01, 0xe8, 0x85, 0x34, 0x42, 0xf0, 0x60,
	0x3d, 0x9b, 0xab, 0x5f, 0x76, 0x23, 0xef, 0x9b,
	0xd5, 0x08, 0x4d, 0xbd, 0x90, 0xeb, 0xec, 0xd7,
	0x83, 0x83, 0x07, 0x1e, 0xab, 0x02, 0x3f, 0x96,
	0x5e, 0x90, 0x20, 0x97, 0x20, 0xe0, 0xfc, 0xa6,
	0x6b, 0x89, 0x48, 0xf9, 0xa7, 0x48, 0x4d, 0x4c,
	0x42, 0xf1, 0x89, 0xf7, 0x6a, 0x48, 0xf4, 0xe4,
	0xc5, 0x18, 0x56, 0xa0, 0x5b, 0x6a, 0x11, 0x18,
	0x98, 0x71, 0x2a, 0x5a, 0x3c, 0x82, 0x6d, 0xb1,
	0xce, 0x06, 0x8f, 0x4b, 0x18, 0xe7, 0xb6, 0xde,
	0x33, 0x12, 0x6f, 0xf2, 0xc4, 0x27, 0x7f, 0x7a,
	0x74, 0xcd, 0x3c, 0xae, 0xb0, 0x82, 0x0b, 0x02,
	0x03, 0x01, 0x00, 0x01,
};

/*
 * One raw RSA encryption of the value 2 with the probe key, in a session
 * (@sid) or stateless (@sid NULL), for vcrypto_rsa_usable().
 */
static int vcrypto_rsa_probe_encrypt(struct vcrypto_dev *vc, const u64 *sid)
{
	const unsigned int klen = sizeof(vcrypto_rsa_probe_key), k = 128;
	struct vcrypto_probe *p = vcrypto_probe_alloc();
	struct vcrypto_req *vreq;
	unsigned int n = 0;
	u8 *in, *out;

	if (!p)
		return -ENOMEM;
	vreq = &p->vreq;
	/* buf: key, then the 1-byte input, then the k-byte result */
	memcpy(p->buf, vcrypto_rsa_probe_key, klen);
	in = p->buf + klen;
	out = in + 1;
	*in = 2;
	vreq->sgs[n++] = &vreq->hdr_sg;
	if (sid) {
		struct virtio_crypto_akcipher_para *para =
			&vreq->hdr.u.akcipher_req.para;

		vreq->hdr.header.opcode =
			cpu_to_le32(VIRTIO_CRYPTO_AKCIPHER_ENCRYPT);
		vreq->hdr.header.algo = cpu_to_le32(VIRTIO_CRYPTO_AKCIPHER_RSA);
		para->src_data_len = cpu_to_le32(1);
		para->dst_data_len = cpu_to_le32(k);
		vcrypto_req_session(vreq, vc, *sid);
	} else {
		vcrypto_rsa_sl_hdr(vreq, VIRTIO_CRYPTO_AKCIPHER_ENCRYPT, false,
				   klen, 1, k);
		sg_init_one(&p->sg[0], p->buf, klen);
		vreq->sgs[n++] = &p->sg[0];
	}
	sg_init_one(&p->sg[1], in, 1);
	vreq->sgs[n++] = &p->sg[1];
	vreq->n_out = n;
	sg_init_one(&p->sg[2], out, k);
	vreq->sgs[n++] = &p->sg[2];
	sg_init_one(&vreq->status_sg, &vreq->status, 1);
	vreq->sgs[n++] = &vreq->status_sg;
	vreq->n_in = 2;
	vreq->ndesc = n;
	vreq->in_len = k + 1;
	return vcrypto_probe_run(p, vc);
}

/*
 * Try the mode the algorithm will use: a stateless raw encryption, or a
 * session and an encryption in it.
 */
static bool vcrypto_rsa_usable(struct vcrypto_dev *vc,
			       struct vcrypto_alg_entry *e)
{
	u64 sid;
	int err;

	if (vcrypto_sl_policy(vc, VIRTIO_CRYPTO_SERVICE_AKCIPHER) !=
	    VCRYPTO_SL_NEVER)
		return !vcrypto_rsa_probe_encrypt(vc, NULL);
	err = vcrypto_create_rsa_session(vc, false,
					 VIRTIO_CRYPTO_RSA_RAW_PADDING,
					 VIRTIO_CRYPTO_RSA_NO_HASH,
					 vcrypto_rsa_probe_key,
					 sizeof(vcrypto_rsa_probe_key), &sid);
	if (err)
		return false;
	/* a session is not enough: the stock device fails the operation */
	err = vcrypto_rsa_probe_encrypt(vc, &sid);
	vcrypto_destroy_session(vc, VIRTIO_CRYPTO_SERVICE_AKCIPHER, sid);
	return !err;
}

static int vcrypto_rsa_reg(struct vcrypto_alg_entry *e)
{
	return crypto_register_akcipher(&vcrypto_rsa_alg);
}

static void vcrypto_rsa_unreg(struct vcrypto_alg_entry *e)
{
	crypto_unregister_akcipher(&vcrypto_rsa_alg);
}

/**
 * vcrypto_akcipher_add_algs - hand the akcipher table to the registry
 *
 * Return: 0 or a negative errno.
 */
int vcrypto_akcipher_add_algs(void)
{
	vcrypto_rsa_entry.service = VIRTIO_CRYPTO_SERVICE_AKCIPHER;
	vcrypto_rsa_entry.algo = VIRTIO_CRYPTO_AKCIPHER_RSA;
	vcrypto_rsa_entry.base = &vcrypto_rsa_alg.base;
	vcrypto_rsa_entry.reg = vcrypto_rsa_reg;
	vcrypto_rsa_entry.unreg = vcrypto_rsa_unreg;
	vcrypto_rsa_entry.usable = vcrypto_rsa_usable;
	return vcrypto_algs_add(&vcrypto_rsa_entry);
}
