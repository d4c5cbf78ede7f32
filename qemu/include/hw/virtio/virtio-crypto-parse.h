/*
 * virtio-crypto request wire format: parsing and completion
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Pure functions over guest iovec arrays.  Nothing here touches a
 * VirtIODevice, a virtqueue or main-loop state, so this unit can be
 * unit-tested and fuzzed on its own (it needs only util/iov.c).
 *
 * Requirement ids (DEV-*, AMB-*, GEN-*, X-*) refer to the project's
 * virtio-crypto spec checklist; decisions are in docs/spec-decisions.md.
 */

#ifndef HW_VIRTIO_CRYPTO_PARSE_H
#define HW_VIRTIO_CRYPTO_PARSE_H

#include "standard-headers/linux/virtio_crypto.h"

/* Device feature bits (checklist 1.2); the Linux header has none */
#define VIRTIO_CRYPTO_F_REVISION_1                0
#define VIRTIO_CRYPTO_F_CIPHER_STATELESS_MODE     1
#define VIRTIO_CRYPTO_F_HASH_STATELESS_MODE       2
#define VIRTIO_CRYPTO_F_MAC_STATELESS_MODE        3
#define VIRTIO_CRYPTO_F_AEAD_STATELESS_MODE       4
#define VIRTIO_CRYPTO_F_AKCIPHER_STATELESS_MODE   5

/* Data header flag (REVISION_1 only) */
#define VIRTIO_CRYPTO_FLAG_SESSION_MODE           1

/* Sizes of the legacy (non-REVISION_1) fixed parts, checklist 3.2 / 4.2 */
#define VIRTIO_CRYPTO_CTRL_HDR_LEN        16
#define VIRTIO_CRYPTO_CTRL_FLF_LEGACY_LEN 56
#define VIRTIO_CRYPTO_CTRL_REQ_LEGACY_LEN \
    (VIRTIO_CRYPTO_CTRL_HDR_LEN + VIRTIO_CRYPTO_CTRL_FLF_LEGACY_LEN)
#define VIRTIO_CRYPTO_DATA_HDR_LEN        24
#define VIRTIO_CRYPTO_DATA_FLF_LEGACY_LEN 48
#define VIRTIO_CRYPTO_DATA_REQ_LEGACY_LEN \
    (VIRTIO_CRYPTO_DATA_HDR_LEN + VIRTIO_CRYPTO_DATA_FLF_LEGACY_LEN)

/* Outcome sizes of control requests (INL-CTRL-7) */
#define VIRTIO_CRYPTO_CREATE_OUTCOME_LEN  16
#define VIRTIO_CRYPTO_DESTROY_OUTCOME_LEN 1

/* Largest IV any supported cipher takes (AES block size) */
#define VIRTIO_CRYPTO_MAX_IV_LEN          16
/* Largest AEAD IV (AES-GCM takes long IVs) and tag */
#define VIRTIO_CRYPTO_MAX_AEAD_IV_LEN     1024
#define VIRTIO_CRYPTO_MAX_AEAD_TAG_LEN    16
/*
 * AMB-1: ECDSA is AKCIPHER algorithm 2, the spec's number (the Linux
 * header's VIRTIO_CRYPTO_AKCIPHER_ECDSA is 3, which gets NOTSUPP)
 */
#define VIRTIO_CRYPTO_AKCIPHER_ECDSA_SPEC 2

/* Largest AKCIPHER key (DER) accepted, AMB-13 */
#define VIRTIO_CRYPTO_MAX_AKCIPHER_KEY_LEN (8 * 1024)
/* Largest digest any supported hash produces (SHA-512) */
#define VIRTIO_CRYPTO_MAX_HASH_RESULT_LEN 64

/* Limits and negotiated state the parser validates against */
typedef struct VirtIOCryptoLimits {
    uint64_t features;           /* negotiated guest features */
    uint64_t max_size;           /* config max_size, AMB-12 */
    uint32_t max_cipher_key_len; /* config max_cipher_key_len */
    uint32_t max_auth_key_len;   /* config max_auth_key_len */
} VirtIOCryptoLimits;

typedef enum VirtIOCryptoCtrlKind {
    VIRTIO_CRYPTO_CTRL_UNKNOWN,
    VIRTIO_CRYPTO_CTRL_CREATE,
    VIRTIO_CRYPTO_CTRL_DESTROY,
} VirtIOCryptoCtrlKind;

/* Cipher session parameters from a CIPHER_CREATE_SESSION request */
typedef struct VirtIOCryptoCipherParams {
    uint32_t algo;      /* VIRTIO_CRYPTO_CIPHER_* */
    uint32_t op;        /* VIRTIO_CRYPTO_OP_ENCRYPT / _DECRYPT */
    uint32_t key_len;
    uint8_t *key;       /* key_len bytes, owned; wiped by _clear() */
} VirtIOCryptoCipherParams;

/* HASH / MAC session parameters from a *_CREATE_SESSION request */
typedef struct VirtIOCryptoHashParams {
    uint32_t algo;          /* VIRTIO_CRYPTO_HASH_* or VIRTIO_CRYPTO_MAC_* */
    uint32_t result_len;    /* hash_result_len */
    uint32_t auth_key_len;  /* MAC only */
    uint8_t *auth_key;      /* MAC only, owned; wiped by _clear() */
} VirtIOCryptoHashParams;

/* Algorithm chaining (CIPHER service, SYM_OP_ALGORITHM_CHAINING) */
typedef struct VirtIOCryptoChainParams {
    uint32_t order;             /* VIRTIO_CRYPTO_SYM_ALG_CHAIN_ORDER_* */
    uint32_t hash_mode;         /* PLAIN 1 / AUTH 2 (NESTED: NOTSUPP) */
    uint32_t aad_len;           /* session: informative (AMB-14) */
} VirtIOCryptoChainParams;

/* The offsets of a chaining data request, all within src */
typedef struct VirtIOCryptoChainData {
    uint32_t cipher_start;
    uint32_t len_to_cipher;
    uint32_t hash_start;
    uint32_t len_to_hash;
    uint32_t hash_result_len;   /* written right after dst */
} VirtIOCryptoChainData;

/* AKCIPHER session parameters (checklist 7.1) */
typedef struct VirtIOCryptoAkcipherParams {
    uint32_t algo;          /* VIRTIO_CRYPTO_AKCIPHER_* (ECDSA = 2, AMB-1) */
    uint32_t key_type;      /* PUBLIC 1 / PRIVATE 2 */
    uint32_t key_len;
    uint32_t rsa_padding;   /* RSA: RAW 0 / PKCS1 1 */
    uint32_t rsa_hash;      /* RSA: VIRTIO_CRYPTO_RSA_* hash */
    uint32_t ecdsa_curve;   /* ECDSA: VIRTIO_CRYPTO_CURVE_* */
    uint8_t *key;           /* DER (section 7), owned; wiped by _clear() */
} VirtIOCryptoAkcipherParams;

/* A control-queue request, parsed and validated */
typedef struct VirtIOCryptoCtrlOp {
    uint32_t opcode;
    uint32_t service;           /* high byte of opcode */
    VirtIOCryptoCtrlKind kind;
    size_t outcome_len;         /* bytes the completion writes */
    uint8_t status;             /* OK: go on; anything else: answer it */
    uint32_t op_type;           /* VIRTIO_CRYPTO_SYM_OP_* (CIPHER) */
    VirtIOCryptoCipherParams cipher;    /* CIPHER and AEAD */
    VirtIOCryptoHashParams hash;
    uint32_t tag_len;           /* AEAD */
    uint32_t aad_len;           /* AEAD, informative (AMB-14) */
    VirtIOCryptoAkcipherParams akcipher;
    VirtIOCryptoChainParams chain;      /* CIPHER chaining: + cipher, hash */
    uint64_t session_id;        /* destroy */
} VirtIOCryptoCtrlOp;

/* A data-queue request, parsed and validated */
typedef struct VirtIOCryptoDataOp {
    uint32_t opcode;
    uint32_t service;
    uint32_t algo;              /* header algo, informative (AMB-14) */
    uint64_t session_id;        /* session mode only */
    bool stateless;             /* REVISION_1 stateless request */
    /* Stateless only: the session parameters the request carries */
    VirtIOCryptoCipherParams cipher;    /* CIPHER and AEAD */
    VirtIOCryptoHashParams hash;
    VirtIOCryptoAkcipherParams akcipher;
    VirtIOCryptoChainParams chain_params;
    uint8_t status;             /* OK: go on; anything else: answer it */
    uint32_t op_type;           /* VIRTIO_CRYPTO_SYM_OP_* */
    uint32_t iv_len;
    uint32_t src_len;
    uint32_t dst_len;
    uint32_t aad_len;           /* AEAD */
    uint32_t tag_len;           /* AEAD; 0 = the session's (AMB-15) */
    size_t out_len;             /* bytes of dst the completion writes */
    uint8_t *iv;                /* owned (or iv_buf), iv_len bytes */
    uint8_t iv_buf[VIRTIO_CRYPTO_MAX_IV_LEN];   /* no allocation */
    /*
     * src_len bytes: owned, or (src_borrowed) the guest's readable buffer
     * itself when it is contiguous in host memory (CIPHER, HASH, MAC, AEAD)
     */
    uint8_t *src;
    bool src_borrowed;
    /* aad_len bytes: owned, or (aad_borrowed, AEAD) the guest's buffer */
    uint8_t *aad;
    bool aad_borrowed;
    /* Chaining: dst holds dst_data_len bytes then the hash result */
    VirtIOCryptoChainData chain;
    uint8_t *digest;            /* AKCIPHER verify: owned */
    uint32_t digest_len;        /* AKCIPHER verify: its dst_data_len */
    /*
     * dst_len bytes, for HASH/MAC the hash_result: owned and zero-filled
     * (dst_buf when it fits), or for CIPHER not zeroed (the cipher writes
     * all of it), or (dst_borrowed, CIPHER and AEAD) the guest's writable
     * area itself
     */
    uint8_t *dst;
    bool dst_borrowed;
    uint8_t dst_buf[VIRTIO_CRYPTO_MAX_HASH_RESULT_LEN];
    size_t in_len;              /* size of the device-writable area */
} VirtIOCryptoDataOp;

/**
 * virtio_crypto_parse_ctrl:
 * @out: device-readable iovecs of the element
 * @out_num: their count
 * @in_len: size of the device-writable area
 * @lim: limits and negotiated features
 * @op: filled in; release with virtio_crypto_ctrl_op_clear()
 *
 * Parse a control-queue request.  Any split into descriptors is fine
 * (GEN-1).  Guest mistakes are reported through @op->status.
 *
 * Returns: 0 when @op->status can be delivered, -EINVAL when the
 * writable area cannot hold the outcome (a structural error).
 */
int virtio_crypto_parse_ctrl(const struct iovec *out, unsigned int out_num,
                             size_t in_len, const VirtIOCryptoLimits *lim,
                             VirtIOCryptoCtrlOp *op);

/**
 * virtio_crypto_ctrl_op_clear:
 * @op: a parsed control request
 *
 * Wipe and free the key material @op owns.
 */
void virtio_crypto_ctrl_op_clear(VirtIOCryptoCtrlOp *op);

/**
 * virtio_crypto_complete_ctrl:
 * @in: device-writable iovecs
 * @in_num: their count
 * @op: the request; its status is reported
 * @session_id: id written for a successful create (DEV-CTRL-4)
 *
 * Write the outcome of a control request at the start of the writable
 * area, never beyond it.
 *
 * Returns: the number of bytes written (the used length).
 */
size_t virtio_crypto_complete_ctrl(const struct iovec *in, unsigned int in_num,
                                   const VirtIOCryptoCtrlOp *op,
                                   uint64_t session_id);

/**
 * virtio_crypto_parse_data:
 * @out: device-readable iovecs of the element
 * @out_num: their count
 * @in: device-writable iovecs
 * @in_num: their count
 * @lim: limits and negotiated features
 * @op: filled in; release with virtio_crypto_data_op_clear()
 *
 * Parse a data-queue request.  Every length is bounded by @lim before
 * anything is allocated; the status byte is the last byte of the
 * writable area (X-5, AMB-4).
 *
 * Returns: 0 when @op->status can be delivered, -EINVAL when there is no
 * writable byte for the status (a structural error).
 */
int virtio_crypto_parse_data(const struct iovec *out, unsigned int out_num,
                             const struct iovec *in, unsigned int in_num,
                             const VirtIOCryptoLimits *lim,
                             VirtIOCryptoDataOp *op);

/**
 * virtio_crypto_data_op_clear:
 * @op: a parsed data request
 *
 * Wipe and free the buffers @op owns.
 */
void virtio_crypto_data_op_clear(VirtIOCryptoDataOp *op);

/**
 * virtio_crypto_complete_data:
 * @in: device-writable iovecs
 * @in_num: their count
 * @op: the request; on OK its dst is copied out
 *
 * Write dst (on success) at the start of the writable area and the
 * status byte as its last byte.
 *
 * Returns: the used length: bytes of dst written plus 1 (AMB-4).
 */
size_t virtio_crypto_complete_data(const struct iovec *in, unsigned int in_num,
                                   const VirtIOCryptoDataOp *op);

#endif /* HW_VIRTIO_CRYPTO_PARSE_H */
