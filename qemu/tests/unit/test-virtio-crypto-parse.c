/*
 * Unit tests for the virtio-crypto request parser
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The parser (hw/virtio/virtio-crypto-parse.c) is pure: it only needs
 * iovec arrays, limits and util/iov.c, so it is tested here without a
 * device.  Requirement ids refer to the project's spec checklist.
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "hw/virtio/virtio-crypto-parse.h"

static const VirtIOCryptoLimits legacy_limits = {
    .features = 0,
    .max_size = 4096,
    .max_cipher_key_len = 64,
    .max_auth_key_len = 512,
};

/* Cut @buf into iovecs of @step bytes (GEN-1) */
static unsigned int split(uint8_t *buf, size_t len, size_t step,
                          struct iovec *iov, unsigned int max)
{
    unsigned int n = 0;
    size_t off = 0;

    while (off < len) {
        g_assert_cmpuint(n, <, max);
        iov[n].iov_base = buf + off;
        iov[n].iov_len = MIN(step, len - off);
        off += iov[n].iov_len;
        n++;
    }
    return n;
}

/* A legacy CIPHER_ENCRYPT request with a 16-byte IV and @len bytes */
static size_t cipher_req(uint8_t *buf, uint32_t len, uint32_t dst_len)
{
    size_t i;

    memset(buf, 0, 72 + 16 + len);
    stl_le_p(buf + 0, VIRTIO_CRYPTO_CIPHER_ENCRYPT);
    stq_le_p(buf + 8, 0x1122334455667788ull);
    stl_le_p(buf + 24, 16);
    stl_le_p(buf + 28, len);
    stl_le_p(buf + 32, dst_len);
    stl_le_p(buf + 64, VIRTIO_CRYPTO_SYM_OP_CIPHER);
    for (i = 0; i < 16 + len; i++) {
        buf[72 + i] = i;
    }
    return 72 + 16 + len;
}

/* GEN-1, X-5: any split of the request; status is the last byte */
static void test_data_split(void)
{
    uint8_t req[72 + 16 + 32], wbuf[64];
    struct iovec out[sizeof(req)], in[3];
    VirtIOCryptoDataOp op;
    size_t step, len = cipher_req(req, 32, 32), used;
    unsigned int n;

    for (step = 1; step <= len; step += 7) {
        n = split(req, len, step, out, G_N_ELEMENTS(out));
        memset(wbuf, 0xa5, sizeof(wbuf));
        /* 33 writable bytes in three pieces: 10 + 20 + 3 */
        in[0] = (struct iovec) { wbuf, 10 };
        in[1] = (struct iovec) { wbuf + 10, 20 };
        in[2] = (struct iovec) { wbuf + 30, 3 };
        g_assert_cmpint(virtio_crypto_parse_data(out, n, in, 3,
                                                 &legacy_limits, &op), ==, 0);
        g_assert_cmpuint(op.status, ==, VIRTIO_CRYPTO_OK);
        g_assert_cmphex(op.session_id, ==, 0x1122334455667788ull);
        g_assert_cmpuint(op.iv_len, ==, 16);
        g_assert_cmpuint(op.src_len, ==, 32);
        g_assert_cmpmem(op.iv, 16, req + 72, 16);
        g_assert_cmpmem(op.src, 32, req + 88, 32);
        memset(op.dst, 0x5c, op.dst_len);
        used = virtio_crypto_complete_data(in, 3, &op);
        g_assert_cmpuint(used, ==, 33);
        g_assert_cmpuint(wbuf[0], ==, 0x5c);
        g_assert_cmpuint(wbuf[31], ==, 0x5c);
        g_assert_cmpuint(wbuf[32], ==, VIRTIO_CRYPTO_OK);
        g_assert_cmpuint(wbuf[33], ==, 0xa5);
        virtio_crypto_data_op_clear(&op);
    }
}

/* AMB-5, AMB-12, X-4: bad lengths give ERR before anything is copied */
static void test_data_bad_lengths(void)
{
    uint8_t req[72 + 16 + 32], wbuf[64];
    struct iovec out, in = { wbuf, sizeof(wbuf) };
    VirtIOCryptoDataOp op;
    size_t len;

    len = cipher_req(req, 32, 16);               /* src != dst */
    out = (struct iovec) { req, len };
    g_assert_cmpint(virtio_crypto_parse_data(&out, 1, &in, 1, &legacy_limits,
                                             &op), ==, 0);
    g_assert_cmpuint(op.status, ==, VIRTIO_CRYPTO_ERR);
    g_assert_null(op.src);
    virtio_crypto_data_op_clear(&op);

    cipher_req(req, 32, 32);
    stl_le_p(req + 28, UINT32_MAX);              /* 64-bit sum, no wrap */
    stl_le_p(req + 32, UINT32_MAX);
    g_assert_cmpint(virtio_crypto_parse_data(&out, 1, &in, 1, &legacy_limits,
                                             &op), ==, 0);
    g_assert_cmpuint(op.status, ==, VIRTIO_CRYPTO_ERR);
    g_assert_null(op.src);
    virtio_crypto_data_op_clear(&op);

    cipher_req(req, 32, 32);                     /* chain 1 byte short */
    out.iov_len = len - 1;
    g_assert_cmpint(virtio_crypto_parse_data(&out, 1, &in, 1, &legacy_limits,
                                             &op), ==, 0);
    g_assert_cmpuint(op.status, ==, VIRTIO_CRYPTO_ERR);
    virtio_crypto_data_op_clear(&op);

    out.iov_len = 40;                            /* header cut short */
    g_assert_cmpint(virtio_crypto_parse_data(&out, 1, &in, 1, &legacy_limits,
                                             &op), ==, 0);
    g_assert_cmpuint(op.status, ==, VIRTIO_CRYPTO_ERR);
    virtio_crypto_data_op_clear(&op);

    /* No writable byte at all: a structural error */
    out.iov_len = len;
    g_assert_cmpint(virtio_crypto_parse_data(&out, 1, NULL, 0, &legacy_limits,
                                             &op), ==, -EINVAL);
    virtio_crypto_data_op_clear(&op);
}

/* FEAT-3, AMB-3: REVISION_1 without a STATELESS bit refuses flag 0 */
static void test_data_rev1_flag(void)
{
    VirtIOCryptoLimits lim = legacy_limits;
    uint8_t req[72 + 16 + 32], wbuf[33];
    struct iovec out, in = { wbuf, sizeof(wbuf) };
    VirtIOCryptoDataOp op;

    out = (struct iovec) { req, cipher_req(req, 32, 32) };
    lim.features = 1ull << VIRTIO_CRYPTO_F_REVISION_1;
    g_assert_cmpint(virtio_crypto_parse_data(&out, 1, &in, 1, &lim, &op),
                    ==, 0);
    g_assert_cmpuint(op.status, ==, VIRTIO_CRYPTO_NOTSUPP);
    virtio_crypto_data_op_clear(&op);

    stl_le_p(req + 16, VIRTIO_CRYPTO_FLAG_SESSION_MODE);
    g_assert_cmpint(virtio_crypto_parse_data(&out, 1, &in, 1, &lim, &op),
                    ==, 0);
    g_assert_cmpuint(op.status, ==, VIRTIO_CRYPTO_OK);
    g_assert_false(op.stateless);
    virtio_crypto_data_op_clear(&op);
}

/* Control queue: key copied across splits, bounded, outcome written */
static void test_ctrl_create(void)
{
    uint8_t req[72 + 32], outcome[16];
    struct iovec out[sizeof(req)], in = { outcome, sizeof(outcome) };
    VirtIOCryptoCtrlOp op;
    unsigned int n;
    size_t i;

    memset(req, 0, sizeof(req));
    stl_le_p(req + 0, VIRTIO_CRYPTO_CIPHER_CREATE_SESSION);
    stl_le_p(req + 16, VIRTIO_CRYPTO_CIPHER_AES_XTS);
    stl_le_p(req + 20, 32);
    stl_le_p(req + 24, VIRTIO_CRYPTO_OP_DECRYPT);
    stl_le_p(req + 64, VIRTIO_CRYPTO_SYM_OP_CIPHER);
    for (i = 0; i < 32; i++) {
        req[72 + i] = 0x80 + i;
    }
    n = split(req, sizeof(req), 5, out, G_N_ELEMENTS(out));
    g_assert_cmpint(virtio_crypto_parse_ctrl(out, n, sizeof(outcome),
                                             &legacy_limits, &op), ==, 0);
    g_assert_cmpuint(op.status, ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(op.kind, ==, VIRTIO_CRYPTO_CTRL_CREATE);
    g_assert_cmpuint(op.cipher.algo, ==, VIRTIO_CRYPTO_CIPHER_AES_XTS);
    g_assert_cmpuint(op.cipher.op, ==, VIRTIO_CRYPTO_OP_DECRYPT);
    g_assert_cmpmem(op.cipher.key, 32, req + 72, 32);
    g_assert_cmpuint(virtio_crypto_complete_ctrl(&in, 1, &op, 42), ==, 16);
    g_assert_cmphex(ldq_le_p(outcome), ==, 42);
    g_assert_cmpuint(ldl_le_p(outcome + 8), ==, VIRTIO_CRYPTO_OK);
    virtio_crypto_ctrl_op_clear(&op);
    g_assert_null(op.cipher.key);

    /* key_len above max_cipher_key_len: ERR, and no id is reported */
    stl_le_p(req + 20, 65);
    g_assert_cmpint(virtio_crypto_parse_ctrl(out, n, sizeof(outcome),
                                             &legacy_limits, &op), ==, 0);
    g_assert_cmpuint(op.status, ==, VIRTIO_CRYPTO_ERR);
    g_assert_null(op.cipher.key);
    virtio_crypto_complete_ctrl(&in, 1, &op, 42);
    g_assert_cmphex(ldq_le_p(outcome), ==, 0);
    virtio_crypto_ctrl_op_clear(&op);

    /* Outcome does not fit: structural error */
    g_assert_cmpint(virtio_crypto_parse_ctrl(out, n, 15, &legacy_limits,
                                             &op), ==, -EINVAL);
    virtio_crypto_ctrl_op_clear(&op);
}

/* AMB-26: outcome size of destroy and unknown control opcodes */
static void test_ctrl_outcome_size(void)
{
    uint8_t req[72] = { 0 }, status = 0xa5;
    struct iovec out = { req, sizeof(req) }, in = { &status, 1 };
    VirtIOCryptoCtrlOp op;

    stl_le_p(req, VIRTIO_CRYPTO_AKCIPHER_DESTROY_SESSION);
    stq_le_p(req + 16, 7);
    g_assert_cmpint(virtio_crypto_parse_ctrl(&out, 1, 1, &legacy_limits,
                                             &op), ==, 0);
    g_assert_cmpuint(op.kind, ==, VIRTIO_CRYPTO_CTRL_DESTROY);
    g_assert_cmphex(op.session_id, ==, 7);
    g_assert_cmpuint(op.outcome_len, ==, 1);
    virtio_crypto_ctrl_op_clear(&op);

    stl_le_p(req, 0x0fff);
    g_assert_cmpint(virtio_crypto_parse_ctrl(&out, 1, 1, &legacy_limits,
                                             &op), ==, 0);
    g_assert_cmpuint(op.status, ==, VIRTIO_CRYPTO_NOTSUPP);
    g_assert_cmpuint(virtio_crypto_complete_ctrl(&in, 1, &op, 0), ==, 1);
    g_assert_cmpuint(status, ==, VIRTIO_CRYPTO_NOTSUPP);
    virtio_crypto_ctrl_op_clear(&op);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/virtio-crypto/parse/data-split", test_data_split);
    g_test_add_func("/virtio-crypto/parse/data-bad-lengths",
                    test_data_bad_lengths);
    g_test_add_func("/virtio-crypto/parse/data-rev1-flag",
                    test_data_rev1_flag);
    g_test_add_func("/virtio-crypto/parse/ctrl-create", test_ctrl_create);
    g_test_add_func("/virtio-crypto/parse/ctrl-outcome-size",
                    test_ctrl_outcome_size);
    return g_test_run();
}
