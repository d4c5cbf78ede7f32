/*
 * virtio-crypto request wire format: parsing and completion
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Only the legacy (non-REVISION_1) padded layout is parsed here: the
 * device offers no REVISION_1 feature yet (FEAT-2).
 */

#include "qemu/osdep.h"
#include "qemu/atomic.h"
#include "qemu/bswap.h"
#include "qemu/iov.h"
#include "hw/virtio/virtio-crypto-parse.h"

/* Offsets inside the control request (checklist 3.1, 3.3) */
#define CTRL_OPCODE          0
#define CTRL_FLF             VIRTIO_CRYPTO_CTRL_HDR_LEN
#define CTRL_CIPHER_ALGO     (CTRL_FLF + 0)
#define CTRL_CIPHER_KEYLEN   (CTRL_FLF + 4)
#define CTRL_CIPHER_OP       (CTRL_FLF + 8)
#define CTRL_SYM_OP_TYPE     (CTRL_FLF + 48)
#define CTRL_DESTROY_ID      (CTRL_FLF + 0)

/* Offsets inside the data request (checklist 4.1, 4.3) */
#define DATA_OPCODE          0
#define DATA_ALGO            4
#define DATA_SESSION_ID      8
#define DATA_FLF             VIRTIO_CRYPTO_DATA_HDR_LEN
#define DATA_CIPHER_IV_LEN   (DATA_FLF + 0)
#define DATA_CIPHER_SRC_LEN  (DATA_FLF + 4)
#define DATA_CIPHER_DST_LEN  (DATA_FLF + 8)
#define DATA_SYM_OP_TYPE     (DATA_FLF + 40)

#define SERVICE_OF(opcode)   ((opcode) >> 8)
#define OP_OF(opcode)        ((opcode) & 0xff)

void virtio_crypto_wipe(void *buf, size_t len)
{
    if (!buf) {
        return;
    }
    memset(buf, 0, len);
    /* Make the zeroing visible so it is never elided as a dead store */
    barrier();
}

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
        virtio_crypto_wipe(buf, len);
        g_free(buf);
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

static void parse_cipher_create(const struct iovec *out, unsigned int out_num,
                                const uint8_t *req,
                                const VirtIOCryptoLimits *lim,
                                VirtIOCryptoCtrlOp *op)
{
    VirtIOCryptoCipherParams *p = &op->cipher;

    op->op_type = get_le32(req, CTRL_SYM_OP_TYPE);
    if (op->op_type == VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING) {
        /* Defined by the spec, not offered by this device yet */
        op->status = VIRTIO_CRYPTO_NOTSUPP;
        return;
    }
    if (op->op_type != VIRTIO_CRYPTO_SYM_OP_CIPHER) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }

    p->algo = get_le32(req, CTRL_CIPHER_ALGO);
    p->key_len = get_le32(req, CTRL_CIPHER_KEYLEN);
    p->op = get_le32(req, CTRL_CIPHER_OP);

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
    p->key = copy_from_guest(out, out_num, VIRTIO_CRYPTO_CTRL_REQ_LEGACY_LEN,
                             p->key_len);
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
    size_t got;

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

    if (got < sizeof(req)) {
        /* short header */
        op->status = VIRTIO_CRYPTO_ERR;
        return 0;
    }
    /* AMB-9: header word 3 (queue_id / reserved) is ignored */

    switch (op->kind) {
    case VIRTIO_CRYPTO_CTRL_CREATE:
        if (op->service == VIRTIO_CRYPTO_SERVICE_CIPHER) {
            parse_cipher_create(out, out_num, req, lim, op);
        } else {
            op->status = VIRTIO_CRYPTO_NOTSUPP;
        }
        break;
    case VIRTIO_CRYPTO_CTRL_DESTROY:
        op->session_id = ldq_le_p(req + CTRL_DESTROY_ID);
        op->status = VIRTIO_CRYPTO_OK;
        break;
    default:
        op->status = VIRTIO_CRYPTO_NOTSUPP;
        break;
    }
    return 0;
}

void virtio_crypto_ctrl_op_clear(VirtIOCryptoCtrlOp *op)
{
    if (op->cipher.key) {
        virtio_crypto_wipe(op->cipher.key, op->cipher.key_len);
        g_free(op->cipher.key);
        op->cipher.key = NULL;
    }
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

static void parse_cipher_data(const struct iovec *out, unsigned int out_num,
                              const uint8_t *req,
                              const VirtIOCryptoLimits *lim,
                              VirtIOCryptoDataOp *op)
{
    size_t off = VIRTIO_CRYPTO_DATA_REQ_LEGACY_LEN;
    uint64_t total;

    op->op_type = get_le32(req, DATA_SYM_OP_TYPE);
    if (op->op_type == VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING) {
        op->status = VIRTIO_CRYPTO_NOTSUPP;
        return;
    }
    if (op->op_type != VIRTIO_CRYPTO_SYM_OP_CIPHER) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }

    op->iv_len = get_le32(req, DATA_CIPHER_IV_LEN);
    op->src_len = get_le32(req, DATA_CIPHER_SRC_LEN);
    op->dst_len = get_le32(req, DATA_CIPHER_DST_LEN);

    if (op->iv_len > VIRTIO_CRYPTO_MAX_IV_LEN) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    /* AMB-5: a cipher writes exactly as many bytes as it reads */
    if (op->src_len != op->dst_len) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    /* AMB-12: every variable-length byte counts; 64-bit sum cannot wrap */
    total = (uint64_t)op->iv_len + op->src_len + op->dst_len;
    if (total > lim->max_size) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    /* The writable area must hold dst and the status byte */
    if ((uint64_t)op->dst_len + 1 > op->in_len) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }

    op->iv = copy_from_guest(out, out_num, off, op->iv_len);
    off += op->iv_len;
    op->src = copy_from_guest(out, out_num, off, op->src_len);
    if (!op->iv || !op->src) {
        op->status = VIRTIO_CRYPTO_ERR;
        return;
    }
    op->dst = g_malloc0(op->dst_len ? op->dst_len : 1);
    op->status = VIRTIO_CRYPTO_OK;
}

int virtio_crypto_parse_data(const struct iovec *out, unsigned int out_num,
                             const struct iovec *in, unsigned int in_num,
                             const VirtIOCryptoLimits *lim,
                             VirtIOCryptoDataOp *op)
{
    uint8_t req[VIRTIO_CRYPTO_DATA_REQ_LEGACY_LEN];

    memset(op, 0, sizeof(*op));
    op->status = VIRTIO_CRYPTO_ERR;
    op->in_len = iov_size(in, in_num);
    if (op->in_len == 0) {
        return -EINVAL;
    }

    if (iov_to_buf(out, out_num, 0, req, sizeof(req)) != sizeof(req)) {
        /* short or missing header */
        return 0;
    }

    op->opcode = get_le32(req, DATA_OPCODE);
    op->service = SERVICE_OF(op->opcode);
    op->algo = get_le32(req, DATA_ALGO);
    op->session_id = ldq_le_p(req + DATA_SESSION_ID);
    /* FEAT-2: without REVISION_1 the header flag is ignored */

    switch (op->opcode) {
    case VIRTIO_CRYPTO_CIPHER_ENCRYPT:
    case VIRTIO_CRYPTO_CIPHER_DECRYPT:
        parse_cipher_data(out, out_num, req, lim, op);
        break;
    default:
        /* unknown opcodes and services this device does not offer */
        op->status = VIRTIO_CRYPTO_NOTSUPP;
        break;
    }
    return 0;
}

void virtio_crypto_data_op_clear(VirtIOCryptoDataOp *op)
{
    virtio_crypto_wipe(op->iv, op->iv_len);
    g_free(op->iv);
    virtio_crypto_wipe(op->src, op->src_len);
    g_free(op->src);
    virtio_crypto_wipe(op->dst, op->dst_len);
    g_free(op->dst);
    op->iv = op->src = op->dst = NULL;
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
        (uint64_t)op->dst_len + 1 <= op->in_len) {
        written = iov_from_buf(in, in_num, 0, op->dst, op->dst_len);
    }
    /* X-5 / AMB-4: status is the last byte of the writable area */
    iov_from_buf(in, in_num, op->in_len - 1, &status, 1);
    return written + 1;
}
