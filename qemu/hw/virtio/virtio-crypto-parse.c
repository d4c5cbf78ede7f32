/*
 * virtio-crypto request wire format: parsing and completion
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Both layouts: the legacy padded one (FEAT-2) and, once
 * VIRTIO_CRYPTO_F_REVISION_1 is negotiated, the packed one with stateless
 * requests for the services whose STATELESS bit is negotiated (AMB-3:
 * the header flag picks session or stateless layout per request).
 */

#include "qemu/osdep.h"
#include "qemu/atomic.h"
#include "qemu/bswap.h"
#include "qemu/iov.h"
#include "crypto/wipe.h"
#include "hw/virtio/virtio-crypto-parse.h"

/* Offsets inside the control request (checklist 3.1, 3.3) */
#define CTRL_OPCODE          0
/* ... and inside its fixed part (op_flf) */
#define CTRL_CIPHER_ALGO     0
#define CTRL_CIPHER_KEYLEN   4
#define CTRL_CIPHER_OP       8
#define CTRL_SYM_OP_TYPE     48
#define CTRL_CHAIN_ORDER     0
#define CTRL_CHAIN_HASH_MODE 4
#define CTRL_CHAIN_CIPHER    8
#define CTRL_CHAIN_HASH_ALGO 24
#define CTRL_CHAIN_HASH_RES  28
#define CTRL_CHAIN_AUTH_KLEN 32
#define CTRL_CHAIN_AAD_LEN   40
#define CTRL_DESTROY_ID      0
#define CTRL_HASH_ALGO       0
#define CTRL_HASH_RESULT_LEN 4
#define CTRL_MAC_KEYLEN      8
#define CTRL_AEAD_ALGO       0
#define CTRL_AEAD_KEYLEN     4
#define CTRL_AEAD_TAG_LEN    8
#define CTRL_AEAD_AAD_LEN    12
#define CTRL_AEAD_OP         16
#define CTRL_AKC_ALGO        0
#define CTRL_AKC_KEY_TYPE    4
#define CTRL_AKC_KEYLEN      8
#define CTRL_AKC_RSA_PADDING 12
#define CTRL_AKC_RSA_HASH    16
#define CTRL_AKC_ECDSA_CURVE 12

/* Offsets inside the data request header (checklist 4.1) */
#define DATA_OPCODE          0
#define DATA_ALGO            4
#define DATA_SESSION_ID      8
#define DATA_FLAG            16
/* ... and inside its fixed part (op_flf), checklist 4.3 / 4.4 */
#define SYM_IV_LEN           0
#define SYM_SRC_LEN          4
#define SYM_DST_LEN          8
#define SYM_OP_TYPE          40
#define CHAIN_CIPHER_START   12
#define CHAIN_LEN_TO_CIPHER  16
#define CHAIN_HASH_START     20
#define CHAIN_LEN_TO_HASH    24
#define CHAIN_AAD_LEN        28
#define CHAIN_HASH_RES_LEN   32
#define CHAIN_SL_ORDER       0
#define CHAIN_SL_AAD_LEN1    4
#define CHAIN_SL_CIPHER_ALGO 8
#define CHAIN_SL_CIPHER_KLEN 12
#define CHAIN_SL_CIPHER_OP   16
#define CHAIN_SL_HASH_ALGO   20
#define CHAIN_SL_AUTH_KLEN   24
#define CHAIN_SL_HASH_MODE   28
#define CHAIN_SL_IV_LEN      32
#define CHAIN_SL_SRC_LEN     36
#define CHAIN_SL_DST_LEN     40
#define CHAIN_SL_CIPHER_OFF  44
#define CHAIN_SL_CIPHER_LEN  48
#define CHAIN_SL_HASH_OFF    52
#define CHAIN_SL_HASH_LEN    56
#define CHAIN_SL_AAD_LEN2    60
#define CHAIN_SL_HASH_RES    64
#define SYM_SL_ALGO          0
#define SYM_SL_KEYLEN        4
#define SYM_SL_OP            8
#define SYM_SL_IV_LEN        12
#define SYM_SL_SRC_LEN       16
#define SYM_SL_DST_LEN       20
#define SYM_SL_OP_TYPE       72
#define HASH_SRC_LEN         0
#define HASH_RESULT_LEN      4
#define HASH_SL_ALGO         0
#define HASH_SL_SRC_LEN      4
#define HASH_SL_RESULT_LEN   8
#define MAC_SL_ALGO          0
#define MAC_SL_KEYLEN        4
#define MAC_SL_SRC_LEN       8
#define MAC_SL_RESULT_LEN    12
#define AEAD_IV_LEN          0
#define AEAD_AAD_LEN         4
#define AEAD_SRC_LEN         8
#define AEAD_DST_LEN         12
#define AEAD_TAG_LEN         16
#define AKC_SRC_LEN          0
#define AKC_DST_LEN          4
#define AEAD_SL_ALGO         0
#define AEAD_SL_KEYLEN       4
#define AEAD_SL_OP           8
#define AEAD_SL_IV_LEN       12
#define AEAD_SL_TAG_LEN      16
#define AEAD_SL_AAD_LEN      20
#define AEAD_SL_SRC_LEN      24
#define AEAD_SL_DST_LEN      28
#define AKC_SL_ALGO          0
#define AKC_SL_KEY_TYPE      4
#define AKC_SL_KEYLEN        8
#define AKC_SL_RSA_PADDING   12
#define AKC_SL_RSA_HASH      16
#define AKC_SL_ECDSA_CURVE   12
#define AKC_SL_SRC_LEN       20
#define AKC_SL_DST_LEN       24

/* Largest data fixed part: sym_data_flf_stateless */
#define DATA_FLF_MAX_LEN     76

#define SERVICE_OF(opcode)   ((opcode) >> 8)
#define OP_OF(opcode)        ((opcode) & 0xff)

static uint32_t get_le32(const uint8_t *buf, size_t off)
{
    return (uint32_t)ldl_le_p(buf + off);
}

/*
 * Copy @len guest bytes at @offset of the readable area into a new
 * buffer.  The caller has bounded @len; returns NULL when the readable
 * area is too short.
 */
static uint8_t *copy_from_guest(const struct iovec *iov, unsigned int iov_num,
                                size_t offset, size_t len)
{
    uint8_t *buf = g_malloc(len ? len : 1);

    if (iov_to_buf(iov, iov_num, offset, buf, len) != len) {
        qcrypto_wipe_free(buf, len);
        return NULL;
    }
    return buf;
}

/*
 * AMB-26: the outcome size of a control request follows the opcode:
 * create opcodes (op 2, AKCIPHER op 4) take 16 bytes, destroy opcodes
 * (op 3, AKCIPHER op 5) take 1.  An unknown opcode gets a 16-byte
 * outcome when it fits, otherwise 1 byte.
 */
static VirtIOCryptoCtrlKind ctrl_kind(uint32_t opcode)
{
    uint32_t service = SERVICE_OF(opcode);
    uint32_t op = OP_OF(opcode);

    if (opcode >> 16) {
        return VIRTIO_CRYPTO_CTRL_UNKNOWN;
    }
    if (service <= VIRTIO_CRYPTO_SERVICE_AEAD) {
        if (op == 2) {
            return VIRTIO_CRYPTO_CTRL_CREATE;
        }
        if (op == 3) {
            return VIRTIO_CRYPTO_CTRL_DESTROY;
        }
    } else if (service == VIRTIO_CRYPTO_SERVICE_AKCIPHER) {
        if (op == 4) {
            return VIRTIO_CRYPTO_CTRL_CREATE;
        }
        if (op == 5) {
            return VIRTIO_CRYPTO_CTRL_DESTROY;
        }
    }
    return VIRTIO_CRYPTO_CTRL_UNKNOWN;
}

/* Size of a control request's fixed part (checklist 3.2, AMB-27) */
static size_t ctrl_flf_len(const VirtIOCryptoCtrlOp *op, bool rev1)
{
    if (!rev1) {
        return VIRTIO_CRYPTO_CTRL_FLF_LEGACY_LEN;
    }
    if (op->kind == VIRTIO_CRYPTO_CTRL_DESTROY) {
        return 8;
    }
    switch (op->service) {
    case VIRTIO_CRYPTO_SERVICE_HASH:
        return 8;
    case VIRTIO_CRYPTO_SERVICE_MAC:
        return 16;
    case VIRTIO_CRYPTO_SERVICE_AEAD:
        return 24;
    default:
        return VIRTIO_CRYPTO_CTRL_FLF_LEGACY_LEN;
    }
}

/*
 * alg_chain_session_flf (checklist 3.3): order, hash mode, the hash or MAC
 * parameters.  Returns false with op->status set when it is refused.
 */
static bool parse_chain_create(const uint8_t *flf,
                               const VirtIOCryptoLimits *lim,
                               VirtIOCryptoCtrlOp *op)
{
    VirtIOCryptoChainParams *c = &op->chain;
    VirtIOCryptoHashParams *h = &op->hash;

    c->order = get_le32(flf, CTRL_CHAIN_ORDER);
    c->hash_mode = get_le32(flf, CTRL_CHAIN_HASH_MODE);
    c->aad_len = get_le32(flf, CTRL_CHAIN_AAD_LEN);
    h->algo = get_le32(flf, CTRL_CHAIN_HASH_ALGO);
    h->result_len = get_le32(flf, CTRL_CHAIN_HASH_RES);

    if (c->order != VIRTIO_CRYPTO_SYM_ALG_CHAIN_ORDER_HASH_THEN_CIPHER &&
        c->order != VIRTIO_CRYPTO_SYM_ALG_CHAIN_ORDER_CIPHER_THEN_HASH) {
        op->status = VIRTIO_CRYPTO_ERR;
        return false;
    }
    switch (c->hash_mode) {
    case VIRTIO_CRYPTO_SYM_HASH_MODE_PLAIN:
        break;
    case VIRTIO_CRYPTO_SYM_HASH_MODE_AUTH:
        h->auth_key_len = get_le32(flf, CTRL_CHAIN_AUTH_KLEN);
        /* DEV-CFG-9 / AMB-13: max_auth_key_len bounds it */
        if (h->auth_key_len > lim->max_auth_key_len) {
            op->status = VIRTIO_CRYPTO_ERR;
            return false;
        }
        break;
    case VIRTIO_CRYPTO_SYM_HASH_MODE_NESTED:
        /* AMB-19: no parameters are defined for it */
        op->status = VIRTIO_CRYPTO_NOTSUPP;
        return false;
    default:
        op->status = VIRTIO_CRYPTO_ERR;
        return false;
    }
    if (h->result_len == 0 ||
        h->result_len > VIRTIO_CRYPTO_MAX_HASH_RESULT_LEN) {
        op->status = VIRTIO_CRYPTO_ERR;
        return false;
    }
    return true;
}

static void parse_cipher_create(const struct iovec *out, unsigned int out_num,
                                const uint8_t *flf, size_t vlf_off,
                                const VirtIOCryptoLimits *lim,
                                VirtIOCryptoCtrlOp *op)
{
    VirtIOCryptoCipherParams *p = &op->cipher;

    const uint8_t *cipher_flf = flf;

    op->op_type = get_le32(flf, CTRL_SYM_OP_TYPE);
    if (op->op_type == VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING) {
        /* INL-CTRL-1/2: the chain header holds the cipher header */
        if (!parse_chain_create(flf, lim, op)) {
            return;
        }
        cipher_flf = flf + CTRL_CHAIN_CIPHER;
    } else if (op->op_type != VIRTIO_CRYPTO_SYM_OP_CIPHER) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }

    p->algo = get_le32(cipher_flf, CTRL_CIPHER_ALGO);
    p->key_len = get_le32(cipher_flf, CTRL_CIPHER_KEYLEN);
    p->op = get_le32(cipher_flf, CTRL_CIPHER_OP);

    if (p->op != VIRTIO_CRYPTO_OP_ENCRYPT &&
        p->op != VIRTIO_CRYPTO_OP_DECRYPT) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    /* DRV-CFG-12: bounded before anything is allocated */
    if (p->key_len == 0 || p->key_len > lim->max_cipher_key_len) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    p->key = copy_from_guest(out, out_num, vlf_off, p->key_len);
    if (!p->key) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    /* INL-CTRL-3: the auth key follows the cipher key (AUTH mode) */
    if (op->op_type == VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING &&
        op->chain.hash_mode == VIRTIO_CRYPTO_SYM_HASH_MODE_AUTH) {
        op->hash.auth_key = copy_from_guest(out, out_num,
                                            vlf_off + p->key_len,
                                            op->hash.auth_key_len);
        if (!op->hash.auth_key) {
            op->status = VIRTIO_CRYPTO_ERR;
            return;
        }
    }
    op->status = VIRTIO_CRYPTO_OK;
}

/* HASH_CREATE_SESSION and MAC_CREATE_SESSION (checklist 3.3) */
static void parse_hash_create(const struct iovec *out, unsigned int out_num,
                              const uint8_t *flf, size_t vlf_off,
                              const VirtIOCryptoLimits *lim,
                              VirtIOCryptoCtrlOp *op)
{
    VirtIOCryptoHashParams *p = &op->hash;

    p->algo = get_le32(flf, CTRL_HASH_ALGO);
    p->result_len = get_le32(flf, CTRL_HASH_RESULT_LEN);
    if (p->result_len == 0 ||
        p->result_len > VIRTIO_CRYPTO_MAX_HASH_RESULT_LEN) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    if (op->service == VIRTIO_CRYPTO_SERVICE_MAC) {
        p->auth_key_len = get_le32(flf, CTRL_MAC_KEYLEN);
        /* DRV-CFG-14: bounded before anything is allocated */
        if (p->auth_key_len > lim->max_auth_key_len) {
            op->status = VIRTIO_CRYPTO_ERR;
            return;
        }
        p->auth_key = copy_from_guest(out, out_num, vlf_off,
                                      p->auth_key_len);
        if (!p->auth_key) {
            op->status = VIRTIO_CRYPTO_ERR;
            return;
        }
    }
    op->status = VIRTIO_CRYPTO_OK;
}

/* AEAD_CREATE_SESSION (checklist 3.3) */
static void parse_aead_create(const struct iovec *out, unsigned int out_num,
                              const uint8_t *flf, size_t vlf_off,
                              const VirtIOCryptoLimits *lim,
                              VirtIOCryptoCtrlOp *op)
{
    VirtIOCryptoCipherParams *p = &op->cipher;

    p->algo = get_le32(flf, CTRL_AEAD_ALGO);
    p->key_len = get_le32(flf, CTRL_AEAD_KEYLEN);
    p->op = get_le32(flf, CTRL_AEAD_OP);
    op->tag_len = get_le32(flf, CTRL_AEAD_TAG_LEN);
    op->aad_len = get_le32(flf, CTRL_AEAD_AAD_LEN);

    if (p->op != VIRTIO_CRYPTO_OP_ENCRYPT &&
        p->op != VIRTIO_CRYPTO_OP_DECRYPT) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    if (op->tag_len == 0 || op->tag_len > VIRTIO_CRYPTO_MAX_AEAD_TAG_LEN) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    /* AMB-13: max_cipher_key_len bounds AEAD keys too */
    if (p->key_len == 0 || p->key_len > lim->max_cipher_key_len) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    p->key = copy_from_guest(out, out_num, vlf_off, p->key_len);
    if (!p->key) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    op->status = VIRTIO_CRYPTO_OK;
}

/* AKCIPHER_CREATE_SESSION (checklist 3.3, 7.1) */
static void parse_akcipher_create(const struct iovec *out,
                                  unsigned int out_num, const uint8_t *flf,
                                  size_t vlf_off, VirtIOCryptoCtrlOp *op)
{
    VirtIOCryptoAkcipherParams *p = &op->akcipher;

    p->algo = get_le32(flf, CTRL_AKC_ALGO);
    p->key_type = get_le32(flf, CTRL_AKC_KEY_TYPE);
    p->key_len = get_le32(flf, CTRL_AKC_KEYLEN);
    p->rsa_padding = get_le32(flf, CTRL_AKC_RSA_PADDING);
    p->rsa_hash = get_le32(flf, CTRL_AKC_RSA_HASH);
    p->ecdsa_curve = get_le32(flf, CTRL_AKC_ECDSA_CURVE);

    if (p->key_type != VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PUBLIC &&
        p->key_type != VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PRIVATE) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    /* AMB-13: no configured limit, an internal one */
    if (p->key_len == 0 || p->key_len > VIRTIO_CRYPTO_MAX_AKCIPHER_KEY_LEN) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    p->key = copy_from_guest(out, out_num, vlf_off, p->key_len);
    if (!p->key) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    op->status = VIRTIO_CRYPTO_OK;
}

int virtio_crypto_parse_ctrl(const struct iovec *out, unsigned int out_num,
                             size_t in_len, const VirtIOCryptoLimits *lim,
                             VirtIOCryptoCtrlOp *op)
{
    uint8_t req[VIRTIO_CRYPTO_CTRL_REQ_LEGACY_LEN];
    const uint8_t *flf = req + VIRTIO_CRYPTO_CTRL_HDR_LEN;
    bool rev1 = lim->features & (1ull << VIRTIO_CRYPTO_F_REVISION_1);
    size_t got, need;

    memset(op, 0, sizeof(*op));
    op->status = VIRTIO_CRYPTO_ERR;

    got = iov_to_buf(out, out_num, 0, req, sizeof(req));
    if (got >= CTRL_OPCODE + 4) {
        op->opcode = get_le32(req, CTRL_OPCODE);
        op->service = SERVICE_OF(op->opcode);
        op->kind = ctrl_kind(op->opcode);
    } else {
        op->kind = VIRTIO_CRYPTO_CTRL_UNKNOWN;
    }

    switch (op->kind) {
    case VIRTIO_CRYPTO_CTRL_CREATE:
        op->outcome_len = VIRTIO_CRYPTO_CREATE_OUTCOME_LEN;
        break;
    case VIRTIO_CRYPTO_CTRL_DESTROY:
        op->outcome_len = VIRTIO_CRYPTO_DESTROY_OUTCOME_LEN;
        break;
    default:
        op->outcome_len = in_len >= VIRTIO_CRYPTO_CREATE_OUTCOME_LEN ?
                          VIRTIO_CRYPTO_CREATE_OUTCOME_LEN :
                          VIRTIO_CRYPTO_DESTROY_OUTCOME_LEN;
        break;
    }
    if (in_len < op->outcome_len) {
        return -EINVAL;
    }
    if (op->kind == VIRTIO_CRYPTO_CTRL_UNKNOWN) {
        op->status = VIRTIO_CRYPTO_NOTSUPP;
        return 0;
    }

    /* X-4 / AMB-27: the whole fixed part must be readable */
    need = VIRTIO_CRYPTO_CTRL_HDR_LEN + ctrl_flf_len(op, rev1);
    if (got < need) {
        op->status = VIRTIO_CRYPTO_ERR;
        return 0;
    }
    /* Bytes of a short REVISION_1 fixed part beyond it are not used */
    memset(req + need, 0, sizeof(req) - need);
    /* AMB-9: header word 3 (queue_id / reserved) is ignored */

    if (op->kind == VIRTIO_CRYPTO_CTRL_DESTROY) {
        op->session_id = ldq_le_p(flf + CTRL_DESTROY_ID);
        op->status = VIRTIO_CRYPTO_OK;
        return 0;
    }
    switch (op->service) {
    case VIRTIO_CRYPTO_SERVICE_CIPHER:
        parse_cipher_create(out, out_num, flf, need, lim, op);
        break;
    case VIRTIO_CRYPTO_SERVICE_HASH:
    case VIRTIO_CRYPTO_SERVICE_MAC:
        parse_hash_create(out, out_num, flf, need, lim, op);
        break;
    case VIRTIO_CRYPTO_SERVICE_AEAD:
        parse_aead_create(out, out_num, flf, need, lim, op);
        break;
    case VIRTIO_CRYPTO_SERVICE_AKCIPHER:
        parse_akcipher_create(out, out_num, flf, need, op);
        break;
    default:
        op->status = VIRTIO_CRYPTO_NOTSUPP;
        break;
    }
    return 0;
}

void virtio_crypto_ctrl_op_clear(VirtIOCryptoCtrlOp *op)
{
    qcrypto_wipe_free(op->cipher.key, op->cipher.key_len);
    op->cipher.key = NULL;
    qcrypto_wipe_free(op->hash.auth_key, op->hash.auth_key_len);
    op->hash.auth_key = NULL;
    qcrypto_wipe_free(op->akcipher.key, op->akcipher.key_len);
    op->akcipher.key = NULL;
}

size_t virtio_crypto_complete_ctrl(const struct iovec *in, unsigned int in_num,
                                   const VirtIOCryptoCtrlOp *op,
                                   uint64_t session_id)
{
    uint8_t outcome[VIRTIO_CRYPTO_CREATE_OUTCOME_LEN] = { 0 };
    size_t len = MIN(op->outcome_len, sizeof(outcome));

    if (len == VIRTIO_CRYPTO_CREATE_OUTCOME_LEN) {
        /* DEV-CTRL-4: the id is meaningful only with status OK */
        stq_le_p(outcome, op->status == VIRTIO_CRYPTO_OK ? session_id : 0);
        stl_le_p(outcome + 8, op->status);
    } else {
        outcome[0] = op->status;
    }
    return iov_from_buf(in, in_num, 0, outcome, len);
}

/* The readable variable part of a data request, consumed in order */
typedef struct VlfReader {
    const struct iovec *iov;
    unsigned int iov_num;
    size_t off;
    bool short_read;
    const struct iovec *in;     /* the writable area, for dst */
    unsigned int in_num;
} VlfReader;

static uint8_t *vlf_take(VlfReader *r, size_t len)
{
    uint8_t *buf;

    if (r->short_read) {
        return NULL;
    }
    buf = copy_from_guest(r->iov, r->iov_num, r->off, len);
    if (!buf) {
        r->short_read = true;
        return NULL;
    }
    r->off += len;
    return buf;
}

/*
 * The host address of bytes [@off, @off + @len) of @iov when they are one
 * contiguous range of host memory (neighbouring elements whose buffers
 * touch are merged), else NULL.
 */
static uint8_t *iov_contiguous(const struct iovec *iov, unsigned int iov_num,
                               size_t off, size_t len)
{
    uint8_t *start = NULL, *next = NULL;
    unsigned int i;

    for (i = 0; i < iov_num && len; i++) {
        uint8_t *base = iov[i].iov_base;
        size_t n = iov[i].iov_len;

        if (!start) {
            if (off >= n) {
                off -= n;
                continue;
            }
            start = base + off;
            n -= off;
        } else if (base != next) {
            return NULL;
        }
        next = base + iov[i].iov_len;
        len -= MIN(n, len);
    }
    return len ? NULL : start;
}

/*
 * Zero copy for bulk data the device only reads: point into the mapped
 * guest buffer when it is contiguous (*@borrowed set), else copy.  The
 * guest may change borrowed bytes while they are used; that only changes
 * its own result, as every length and offset was copied and checked.
 */
static uint8_t *vlf_borrow(VlfReader *r, size_t len, bool *borrowed)
{
    uint8_t *p;

    if (r->short_read || !len) {
        return vlf_take(r, len);
    }
    p = iov_contiguous(r->iov, r->iov_num, r->off, len);
    if (!p) {
        return vlf_take(r, len);
    }
    *borrowed = true;
    r->off += len;
    return p;
}

/*
 * An IV of at most VIRTIO_CRYPTO_MAX_IV_LEN bytes (every CIPHER and chaining
 * IV, the usual AEAD nonces) is copied into the request: no allocation.
 */
static void data_iv(VlfReader *r, VirtIOCryptoDataOp *op)
{
    if (op->iv_len > sizeof(op->iv_buf)) {
        op->iv = vlf_take(r, op->iv_len);
        return;
    }
    if (!r->short_read &&
        iov_to_buf(r->iov, r->iov_num, r->off, op->iv_buf, op->iv_len) ==
        op->iv_len) {
        op->iv = op->iv_buf;
        r->off += op->iv_len;
    } else {
        r->short_read = true;
    }
}

/*
 * The guest's writable area itself as dst when its first @len bytes are
 * contiguous and do not partly overlap a borrowed src (exact in place is
 * fine for the ciphers and AEADs), else NULL.
 */
static uint8_t *data_dst_in_place(VlfReader *r, VirtIOCryptoDataOp *op,
                                  size_t len)
{
    uint8_t *d = len ? iov_contiguous(r->in, r->in_num, 0, len) : NULL;

    if (d && op->src_borrowed && d != op->src &&
        d < op->src + op->src_len && op->src < d + len) {
        return NULL;
    }
    return d;
}

/* Cipher dst: in place when it can be, else a bounce buffer */
static void data_dst(VlfReader *r, VirtIOCryptoDataOp *op, size_t len)
{
    uint8_t *d = data_dst_in_place(r, op, len);

    if (d) {
        op->dst = d;
        op->dst_borrowed = true;
    } else {
        /* The cipher overwrites all of it before it is copied out */
        op->dst = g_malloc(len ? len : 1);
    }
}

/*
 * The end of every data parser but CIPHER's: ERR if the readable area
 * was short, else a zeroed dst (AMB-4: unused bytes read as zero),
 * inside the request when it is a hash result or smaller.
 */
static void data_finish(VlfReader *r, VirtIOCryptoDataOp *op)
{
    if (r->short_read) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    if (op->dst_len <= sizeof(op->dst_buf)) {
        memset(op->dst_buf, 0, op->dst_len);
        op->dst = op->dst_buf;
    } else {
        op->dst = g_malloc0(op->dst_len);
    }
    op->status = VIRTIO_CRYPTO_OK;
}

/*
 * Shared length checks: AMB-12 with a 64-bit sum that cannot wrap (every
 * term is at most 2^32), and room for the output and the status byte.
 */
static bool data_lengths_ok(const VirtIOCryptoDataOp *op, uint64_t key_len,
                            const VirtIOCryptoLimits *lim)
{
    uint64_t total = key_len + op->iv_len + op->src_len + op->dst_len +
                     op->aad_len;

    return total <= lim->max_size && (uint64_t)op->dst_len + 1 <= op->in_len;
}

/*
 * Chaining, session mode (checklist 4.3, 4.5): R iv, src, aad (AMB-10);
 * W dst, hash_result.  Both regions lie within src; dst is as long as src
 * (AMB-5) and is src with the cipher region replaced.
 */
static void parse_chain_data(VlfReader *r, const uint8_t *flf,
                             const VirtIOCryptoLimits *lim,
                             VirtIOCryptoDataOp *op)
{
    VirtIOCryptoChainData *c = &op->chain;
    VirtIOCryptoChainParams *cp = &op->chain_params;
    VirtIOCryptoCipherParams *k = &op->cipher;
    VirtIOCryptoHashParams *h = &op->hash;

    if (op->stateless) {
        /* alg_chain_data_flf_stateless (checklist 4.4) */
        cp->order = get_le32(flf, CHAIN_SL_ORDER);
        cp->hash_mode = get_le32(flf, CHAIN_SL_HASH_MODE);
        cp->aad_len = get_le32(flf, CHAIN_SL_AAD_LEN1);
        k->algo = get_le32(flf, CHAIN_SL_CIPHER_ALGO);
        k->key_len = get_le32(flf, CHAIN_SL_CIPHER_KLEN);
        k->op = get_le32(flf, CHAIN_SL_CIPHER_OP);
        h->algo = get_le32(flf, CHAIN_SL_HASH_ALGO);
        h->auth_key_len = get_le32(flf, CHAIN_SL_AUTH_KLEN);
        op->iv_len = get_le32(flf, CHAIN_SL_IV_LEN);
        op->src_len = get_le32(flf, CHAIN_SL_SRC_LEN);
        op->dst_len = get_le32(flf, CHAIN_SL_DST_LEN);
        c->cipher_start = get_le32(flf, CHAIN_SL_CIPHER_OFF);
        c->len_to_cipher = get_le32(flf, CHAIN_SL_CIPHER_LEN);
        c->hash_start = get_le32(flf, CHAIN_SL_HASH_OFF);
        c->len_to_hash = get_le32(flf, CHAIN_SL_HASH_LEN);
        op->aad_len = get_le32(flf, CHAIN_SL_AAD_LEN2);
        c->hash_result_len = get_le32(flf, CHAIN_SL_HASH_RES);
        h->result_len = c->hash_result_len;

        /* AMB-16: the two aad_len copies must agree */
        if (cp->aad_len != op->aad_len ||
            (cp->order != VIRTIO_CRYPTO_SYM_ALG_CHAIN_ORDER_HASH_THEN_CIPHER &&
             cp->order != VIRTIO_CRYPTO_SYM_ALG_CHAIN_ORDER_CIPHER_THEN_HASH) ||
            (k->op != VIRTIO_CRYPTO_OP_ENCRYPT &&
             k->op != VIRTIO_CRYPTO_OP_DECRYPT) ||
            k->key_len == 0 || k->key_len > lim->max_cipher_key_len) {
            op->status = VIRTIO_CRYPTO_ERR;
            return;
        }
        if (cp->hash_mode == VIRTIO_CRYPTO_SYM_HASH_MODE_NESTED) {
            op->status = VIRTIO_CRYPTO_NOTSUPP;   /* AMB-19 */
            return;
        }
        if (cp->hash_mode == VIRTIO_CRYPTO_SYM_HASH_MODE_PLAIN) {
            h->auth_key_len = 0;
        } else if (cp->hash_mode != VIRTIO_CRYPTO_SYM_HASH_MODE_AUTH ||
                   h->auth_key_len > lim->max_auth_key_len) {
            op->status = VIRTIO_CRYPTO_ERR;
            return;
        }
    } else {
        c->cipher_start = get_le32(flf, CHAIN_CIPHER_START);
        c->len_to_cipher = get_le32(flf, CHAIN_LEN_TO_CIPHER);
        c->hash_start = get_le32(flf, CHAIN_HASH_START);
        c->len_to_hash = get_le32(flf, CHAIN_LEN_TO_HASH);
        c->hash_result_len = get_le32(flf, CHAIN_HASH_RES_LEN);
        op->aad_len = get_le32(flf, CHAIN_AAD_LEN);
    }

    if (op->iv_len > VIRTIO_CRYPTO_MAX_IV_LEN || op->src_len != op->dst_len ||
        c->hash_result_len == 0 ||
        c->hash_result_len > VIRTIO_CRYPTO_MAX_HASH_RESULT_LEN ||
        (uint64_t)c->cipher_start + c->len_to_cipher > op->src_len ||
        (uint64_t)c->hash_start + c->len_to_hash > op->src_len) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    /* dst and hash_result are written back to back */
    op->dst_len += c->hash_result_len;
    if (!data_lengths_ok(op, (uint64_t)k->key_len + h->auth_key_len, lim)) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    if (op->stateless) {
        /* R: cipher_key, auth_key, iv, aad, src (AMB-10: aad first) */
        k->key = vlf_take(r, k->key_len);
        h->auth_key = vlf_take(r, h->auth_key_len);
        data_iv(r, op);
        op->aad = vlf_take(r, op->aad_len);
        op->src = vlf_take(r, op->src_len);
    } else {
        /* R: iv, src, aad; DEV-SYM-6: aad only when aad_len > 0 */
        data_iv(r, op);
        op->src = vlf_take(r, op->src_len);
        if (op->aad_len) {
            op->aad = vlf_take(r, op->aad_len);
        }
    }
    data_finish(r, op);
}

/* CIPHER_ENCRYPT / CIPHER_DECRYPT, session or stateless (4.3, 4.4) */
static void parse_cipher_data(VlfReader *r, const uint8_t *flf,
                              const VirtIOCryptoLimits *lim,
                              VirtIOCryptoDataOp *op)
{
    VirtIOCryptoCipherParams *p = &op->cipher;

    if (op->stateless) {
        op->op_type = get_le32(flf, SYM_SL_OP_TYPE);
        p->algo = get_le32(flf, SYM_SL_ALGO);
        p->key_len = get_le32(flf, SYM_SL_KEYLEN);
        p->op = get_le32(flf, SYM_SL_OP);
        op->iv_len = get_le32(flf, SYM_SL_IV_LEN);
        op->src_len = get_le32(flf, SYM_SL_SRC_LEN);
        op->dst_len = get_le32(flf, SYM_SL_DST_LEN);
    } else {
        op->op_type = get_le32(flf, SYM_OP_TYPE);
        op->iv_len = get_le32(flf, SYM_IV_LEN);
        op->src_len = get_le32(flf, SYM_SRC_LEN);
        op->dst_len = get_le32(flf, SYM_DST_LEN);
    }

    if (op->op_type == VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING) {
        parse_chain_data(r, flf, lim, op);
        return;
    }
    if (op->op_type != VIRTIO_CRYPTO_SYM_OP_CIPHER) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    if (op->iv_len > VIRTIO_CRYPTO_MAX_IV_LEN) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    /* AMB-5: a cipher writes exactly as many bytes as it reads */
    if (op->src_len != op->dst_len) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    if (op->stateless) {
        if ((p->op != VIRTIO_CRYPTO_OP_ENCRYPT &&
             p->op != VIRTIO_CRYPTO_OP_DECRYPT) ||
            p->key_len == 0 || p->key_len > lim->max_cipher_key_len) {
            op->status = VIRTIO_CRYPTO_ERR;
            return;
        }
    }
    if (!data_lengths_ok(op, p->key_len, lim)) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }

    /* R: [cipher_key], iv, src */
    if (op->stateless) {
        p->key = vlf_take(r, p->key_len);
    }
    data_iv(r, op);
    op->src = vlf_borrow(r, op->src_len, &op->src_borrowed);
    if (r->short_read) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    data_dst(r, op, op->dst_len);
    op->status = VIRTIO_CRYPTO_OK;
}

/* HASH and MAC: R [auth_key], src; W hash_result (checklist 4.5) */
static void parse_hash_data(VlfReader *r, const uint8_t *flf,
                            const VirtIOCryptoLimits *lim,
                            VirtIOCryptoDataOp *op)
{
    VirtIOCryptoHashParams *p = &op->hash;
    bool mac = op->opcode == VIRTIO_CRYPTO_MAC;

    if (!op->stateless) {
        op->src_len = get_le32(flf, HASH_SRC_LEN);
        op->dst_len = get_le32(flf, HASH_RESULT_LEN);
    } else if (mac) {
        p->algo = get_le32(flf, MAC_SL_ALGO);
        p->auth_key_len = get_le32(flf, MAC_SL_KEYLEN);
        op->src_len = get_le32(flf, MAC_SL_SRC_LEN);
        op->dst_len = get_le32(flf, MAC_SL_RESULT_LEN);
    } else {
        p->algo = get_le32(flf, HASH_SL_ALGO);
        op->src_len = get_le32(flf, HASH_SL_SRC_LEN);
        op->dst_len = get_le32(flf, HASH_SL_RESULT_LEN);
    }
    p->result_len = op->dst_len;

    if (op->dst_len == 0 || op->dst_len > VIRTIO_CRYPTO_MAX_HASH_RESULT_LEN) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    if (p->auth_key_len > lim->max_auth_key_len ||
        !data_lengths_ok(op, p->auth_key_len, lim)) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }

    if (op->stateless && mac) {
        p->auth_key = vlf_take(r, p->auth_key_len);
    }
    op->src = vlf_borrow(r, op->src_len, &op->src_borrowed);
    data_finish(r, op);
}

/*
 * AEAD_ENCRYPT / AEAD_DECRYPT, session mode: R iv, src, aad (AMB-10:
 * src before aad); W dst.  Encrypt: dst = ciphertext || tag; decrypt
 * (AMB-11): src = ciphertext || tag, dst = plaintext.  The tag length may
 * come from the session (AMB-15), so the device checks the dst size.
 */
static void parse_aead_data(VlfReader *r, const uint8_t *flf,
                            const VirtIOCryptoLimits *lim,
                            VirtIOCryptoDataOp *op)
{
    VirtIOCryptoCipherParams *p = &op->cipher;

    if (op->stateless) {
        /* aead_data_flf_stateless: note its own field order (4.4) */
        p->algo = get_le32(flf, AEAD_SL_ALGO);
        p->key_len = get_le32(flf, AEAD_SL_KEYLEN);
        p->op = get_le32(flf, AEAD_SL_OP);
        op->iv_len = get_le32(flf, AEAD_SL_IV_LEN);
        op->tag_len = get_le32(flf, AEAD_SL_TAG_LEN);
        op->aad_len = get_le32(flf, AEAD_SL_AAD_LEN);
        op->src_len = get_le32(flf, AEAD_SL_SRC_LEN);
        op->dst_len = get_le32(flf, AEAD_SL_DST_LEN);
        /* No session to take a tag length from; AMB-13 for the key */
        if (op->tag_len == 0 || p->key_len == 0 ||
            p->key_len > lim->max_cipher_key_len ||
            (p->op != VIRTIO_CRYPTO_OP_ENCRYPT &&
             p->op != VIRTIO_CRYPTO_OP_DECRYPT)) {
            op->status = VIRTIO_CRYPTO_ERR;
            return;
        }
    } else {
        op->iv_len = get_le32(flf, AEAD_IV_LEN);
        op->aad_len = get_le32(flf, AEAD_AAD_LEN);
        op->src_len = get_le32(flf, AEAD_SRC_LEN);
        op->dst_len = get_le32(flf, AEAD_DST_LEN);
        op->tag_len = get_le32(flf, AEAD_TAG_LEN);
    }

    if (op->iv_len > VIRTIO_CRYPTO_MAX_AEAD_IV_LEN ||
        op->tag_len > VIRTIO_CRYPTO_MAX_AEAD_TAG_LEN) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    if (!data_lengths_ok(op, p->key_len, lim)) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    /* R: [key], iv, src, aad */
    if (op->stateless) {
        p->key = vlf_take(r, p->key_len);
    }
    data_iv(r, op);
    op->src = vlf_borrow(r, op->src_len, &op->src_borrowed);
    if (op->aad_len) {
        op->aad = vlf_borrow(r, op->aad_len, &op->aad_borrowed);
    }
    if (r->short_read) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    /*
     * W dst in place when it can be (docs/device.md, "Zero copy"):
     * qcrypto_aead_decrypt() zeroes its output when the tag does not
     * verify, so no unverified plaintext is left for the guest, and the
     * completion zeroes the unused tail (AMB-4).
     */
    op->dst = data_dst_in_place(r, op, op->dst_len);
    if (op->dst) {
        op->dst_borrowed = true;
        op->status = VIRTIO_CRYPTO_OK;
        return;
    }
    data_finish(r, op);
}

/*
 * AKCIPHER, session mode (checklist 4.5, 7.2): encrypt, decrypt and sign
 * read src and write up to dst_data_len bytes (the real length may be
 * shorter, AMB-4); verify reads the signature (src_data_len bytes), then
 * the digest (dst_data_len bytes), and writes only the status.
 */
static void parse_akcipher_data(VlfReader *r, const uint8_t *flf,
                                const VirtIOCryptoLimits *lim,
                                VirtIOCryptoDataOp *op)
{
    bool verify = op->opcode == VIRTIO_CRYPTO_AKCIPHER_VERIFY;
    VirtIOCryptoAkcipherParams *p = &op->akcipher;
    uint32_t digest_len;

    if (op->stateless) {
        p->algo = get_le32(flf, AKC_SL_ALGO);
        p->key_type = get_le32(flf, AKC_SL_KEY_TYPE);
        p->key_len = get_le32(flf, AKC_SL_KEYLEN);
        p->rsa_padding = get_le32(flf, AKC_SL_RSA_PADDING);
        p->rsa_hash = get_le32(flf, AKC_SL_RSA_HASH);
        p->ecdsa_curve = get_le32(flf, AKC_SL_ECDSA_CURVE);
        op->src_len = get_le32(flf, AKC_SL_SRC_LEN);
        op->dst_len = get_le32(flf, AKC_SL_DST_LEN);
        if ((p->key_type != VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PUBLIC &&
             p->key_type != VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PRIVATE) ||
            p->key_len == 0 ||
            p->key_len > VIRTIO_CRYPTO_MAX_AKCIPHER_KEY_LEN) {
            op->status = VIRTIO_CRYPTO_ERR;
            return;
        }
    } else {
        op->src_len = get_le32(flf, AKC_SRC_LEN);
        op->dst_len = get_le32(flf, AKC_DST_LEN);
    }
    if (verify) {
        /* Nothing is written but the status */
        digest_len = op->digest_len = op->dst_len;
        if ((uint64_t)p->key_len + op->src_len + digest_len > lim->max_size) {
            op->status = VIRTIO_CRYPTO_ERR;
            return;
        }
        if (op->stateless) {
            p->key = vlf_take(r, p->key_len);
        }
        op->src = vlf_take(r, op->src_len);
        op->digest = vlf_take(r, digest_len);
        if (r->short_read) {
            op->status = VIRTIO_CRYPTO_ERR;
            return;
        }
        op->dst_len = 0;
        op->status = VIRTIO_CRYPTO_OK;
        return;
    }
    if (!data_lengths_ok(op, p->key_len, lim)) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    if (op->stateless) {
        p->key = vlf_take(r, p->key_len);
    }
    op->src = vlf_take(r, op->src_len);
    data_finish(r, op);
}

/* The STATELESS feature bit of a service, 0 if it has none */
static uint64_t stateless_bit(uint32_t service)
{
    switch (service) {
    case VIRTIO_CRYPTO_SERVICE_CIPHER:
        return 1ull << VIRTIO_CRYPTO_F_CIPHER_STATELESS_MODE;
    case VIRTIO_CRYPTO_SERVICE_HASH:
        return 1ull << VIRTIO_CRYPTO_F_HASH_STATELESS_MODE;
    case VIRTIO_CRYPTO_SERVICE_MAC:
        return 1ull << VIRTIO_CRYPTO_F_MAC_STATELESS_MODE;
    case VIRTIO_CRYPTO_SERVICE_AEAD:
        return 1ull << VIRTIO_CRYPTO_F_AEAD_STATELESS_MODE;
    case VIRTIO_CRYPTO_SERVICE_AKCIPHER:
        return 1ull << VIRTIO_CRYPTO_F_AKCIPHER_STATELESS_MODE;
    default:
        return 0;
    }
}

/* Size of a data request's fixed part, 0 for opcodes not parsed here */
static size_t data_flf_len(uint32_t opcode, bool rev1, bool stateless)
{
    switch (opcode) {
    case VIRTIO_CRYPTO_CIPHER_ENCRYPT:
    case VIRTIO_CRYPTO_CIPHER_DECRYPT:
        return stateless ? 76 : VIRTIO_CRYPTO_DATA_FLF_LEGACY_LEN;
    case VIRTIO_CRYPTO_HASH:
    case VIRTIO_CRYPTO_MAC:
        if (!rev1) {
            return VIRTIO_CRYPTO_DATA_FLF_LEGACY_LEN;
        }
        return stateless ? 16 : 8;
    case VIRTIO_CRYPTO_AEAD_ENCRYPT:
    case VIRTIO_CRYPTO_AEAD_DECRYPT:
        if (!rev1) {
            return VIRTIO_CRYPTO_DATA_FLF_LEGACY_LEN;
        }
        return stateless ? 32 : 24;
    case VIRTIO_CRYPTO_AKCIPHER_ENCRYPT:
    case VIRTIO_CRYPTO_AKCIPHER_DECRYPT:
    case VIRTIO_CRYPTO_AKCIPHER_SIGN:
    case VIRTIO_CRYPTO_AKCIPHER_VERIFY:
        if (!rev1) {
            return VIRTIO_CRYPTO_DATA_FLF_LEGACY_LEN;
        }
        return stateless ? 28 : 8;
    default:
        return 0;
    }
}

int virtio_crypto_parse_data(const struct iovec *out, unsigned int out_num,
                             const struct iovec *in, unsigned int in_num,
                             const VirtIOCryptoLimits *lim,
                             VirtIOCryptoDataOp *op)
{
    uint8_t req[VIRTIO_CRYPTO_DATA_HDR_LEN + DATA_FLF_MAX_LEN] = { 0 };
    const uint8_t *flf = req + VIRTIO_CRYPTO_DATA_HDR_LEN;
    bool rev1 = lim->features & (1ull << VIRTIO_CRYPTO_F_REVISION_1);
    VlfReader r = {
        .iov = out, .iov_num = out_num, .in = in, .in_num = in_num,
    };
    size_t flf_len;

    memset(op, 0, sizeof(*op));
    op->status = VIRTIO_CRYPTO_ERR;
    op->in_len = iov_size(in, in_num);
    if (op->in_len == 0) {
        return -EINVAL;
    }

    if (iov_to_buf(out, out_num, 0, req, VIRTIO_CRYPTO_DATA_HDR_LEN) !=
        VIRTIO_CRYPTO_DATA_HDR_LEN) {
        /* short or missing header */
        return 0;
    }
    op->opcode = get_le32(req, DATA_OPCODE);
    op->service = SERVICE_OF(op->opcode);
    op->algo = get_le32(req, DATA_ALGO);
    op->session_id = ldq_le_p(req + DATA_SESSION_ID);

    /*
     * FEAT-2: without REVISION_1 the flag is ignored.  With it, AMB-3: the
     * flag picks the layout; a stateless request for a service whose
     * STATELESS bit is not negotiated is refused (FEAT-3, DEV-OP-2).
     */
    if (rev1 && !(get_le32(req, DATA_FLAG) & VIRTIO_CRYPTO_FLAG_SESSION_MODE)) {
        if (!(lim->features & stateless_bit(op->service))) {
            op->status = VIRTIO_CRYPTO_NOTSUPP;
            return 0;
        }
        op->stateless = true;
    }

    flf_len = data_flf_len(op->opcode, rev1, op->stateless);
    if (!flf_len) {
        /* unknown opcodes and services this device does not offer */
        op->status = VIRTIO_CRYPTO_NOTSUPP;
        return 0;
    }
    r.off = VIRTIO_CRYPTO_DATA_HDR_LEN + flf_len;
    if (iov_to_buf(out, out_num, VIRTIO_CRYPTO_DATA_HDR_LEN,
                   req + VIRTIO_CRYPTO_DATA_HDR_LEN, flf_len) != flf_len) {
        /* X-4 / AMB-27: short fixed part */
        return 0;
    }

    switch (op->opcode) {
    case VIRTIO_CRYPTO_CIPHER_ENCRYPT:
    case VIRTIO_CRYPTO_CIPHER_DECRYPT:
        parse_cipher_data(&r, flf, lim, op);
        break;
    case VIRTIO_CRYPTO_AEAD_ENCRYPT:
    case VIRTIO_CRYPTO_AEAD_DECRYPT:
        parse_aead_data(&r, flf, lim, op);
        break;
    case VIRTIO_CRYPTO_AKCIPHER_ENCRYPT:
    case VIRTIO_CRYPTO_AKCIPHER_DECRYPT:
    case VIRTIO_CRYPTO_AKCIPHER_SIGN:
    case VIRTIO_CRYPTO_AKCIPHER_VERIFY:
        parse_akcipher_data(&r, flf, lim, op);
        break;
    default:
        parse_hash_data(&r, flf, lim, op);
        break;
    }
    /* Cipher and hash outputs fill dst; AEAD's size is set on binding */
    op->out_len = op->dst_len;
    return 0;
}

void virtio_crypto_data_op_clear(VirtIOCryptoDataOp *op)
{
    if (op->iv == op->iv_buf) {
        qcrypto_wipe(op->iv_buf, sizeof(op->iv_buf));
    } else {
        qcrypto_wipe_free(op->iv, op->iv_len);
    }
    /* Borrowed buffers are the guest's own memory */
    if (!op->src_borrowed) {
        qcrypto_wipe_free(op->src, op->src_len);
    }
    if (op->dst == op->dst_buf) {
        qcrypto_wipe(op->dst_buf, sizeof(op->dst_buf));
    } else if (!op->dst_borrowed) {
        qcrypto_wipe_free(op->dst, op->dst_len);
    }
    if (!op->aad_borrowed) {
        qcrypto_wipe_free(op->aad, op->aad_len);
    }
    op->src_borrowed = op->dst_borrowed = op->aad_borrowed = false;
    qcrypto_wipe_free(op->digest, op->digest_len);
    op->iv = op->src = op->dst = op->aad = op->digest = NULL;
    qcrypto_wipe_free(op->cipher.key, op->cipher.key_len);
    op->cipher.key = NULL;
    qcrypto_wipe_free(op->hash.auth_key, op->hash.auth_key_len);
    op->hash.auth_key = NULL;
    qcrypto_wipe_free(op->akcipher.key, op->akcipher.key_len);
    op->akcipher.key = NULL;
}

size_t virtio_crypto_complete_data(const struct iovec *in, unsigned int in_num,
                                   const VirtIOCryptoDataOp *op)
{
    uint8_t status = op->status;
    size_t written = 0;

    if (op->in_len == 0) {
        return 0;
    }
    if (op->status == VIRTIO_CRYPTO_OK && op->dst &&
        op->out_len <= op->dst_len &&
        (uint64_t)op->dst_len + 1 <= op->in_len) {
        /* AMB-4: unused dst bytes are zero; used length = real output */
        if (!op->dst_borrowed) {
            iov_from_buf(in, in_num, 0, op->dst, op->dst_len);
        } else if (op->out_len < op->dst_len) {
            memset(op->dst + op->out_len, 0, op->dst_len - op->out_len);
        }
        written = op->out_len;
    }
    /* X-5 / AMB-4: status is the last byte of the writable area */
    iov_from_buf(in, in_num, op->in_len - 1, &status, 1);
    return written + 1;
}
