/*
 * QTest testcases for the virtio-crypto device
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Requests are built byte by byte from the spec layout (legacy padded
 * format), not from a C struct, so the test checks the wire format.
 * Requirement ids refer to the project's virtio-crypto spec checklist.
 */

#include "qemu/osdep.h"
#include "libqtest-single.h"
#include "qemu/bswap.h"
#include "qemu/module.h"
#include "standard-headers/linux/virtio_crypto.h"
#include "libqos/qgraph.h"
#include "libqos/virtio.h"
#include "libqos/virtio-crypto.h"
#include "virtio-crypto-vectors.h"

#define CRYPTO_TIMEOUT_US (30 * 1000 * 1000)

/* Config space offsets (checklist 1.3) */
#define CFG_STATUS             0
#define CFG_MAX_DATAQUEUES     4
#define CFG_CRYPTO_SERVICES    8
#define CFG_CIPHER_ALGO_L      12
#define CFG_MAX_CIPHER_KEY_LEN 36
#define CFG_MAX_SIZE           48

#define CTRL_REQ_LEN   72   /* 16-byte header + 56-byte padded flf */
#define DATA_REQ_LEN   72   /* 24-byte header + 48-byte padded flf */
#define CREATE_OUT_LEN 16

typedef struct CryptoDev {
    QTestState *qts;
    QVirtioDevice *dev;
    QGuestAllocator *alloc;
    uint32_t nqueues;
    QVirtQueue **vqs;       /* nqueues data queues, then the control queue */
    QVirtQueue *ctrlq;
    uint32_t services;
    uint32_t cipher_algo_l;
    uint32_t max_cipher_key_len;
    uint64_t max_size;
} CryptoDev;

static void crypto_dev_init(CryptoDev *c, void *obj, QGuestAllocator *alloc)
{
    QVirtioCrypto *crypto = obj;
    uint64_t features;
    uint32_t i;

    c->qts = global_qtest;
    c->dev = crypto->vdev;
    c->alloc = alloc;

    features = qvirtio_get_features(c->dev);
    features &= ~(QVIRTIO_F_BAD_FEATURE |
                  (1ull << VIRTIO_RING_F_INDIRECT_DESC) |
                  (1ull << VIRTIO_RING_F_EVENT_IDX));
    qvirtio_set_features(c->dev, features);

    c->nqueues = qvirtio_config_readl(c->dev, CFG_MAX_DATAQUEUES);
    g_assert_cmpuint(c->nqueues, >=, 1);
    g_assert_cmpuint(c->nqueues, <=, 64);
    c->services = qvirtio_config_readl(c->dev, CFG_CRYPTO_SERVICES);
    c->cipher_algo_l = qvirtio_config_readl(c->dev, CFG_CIPHER_ALGO_L);
    c->max_cipher_key_len = qvirtio_config_readl(c->dev,
                                                 CFG_MAX_CIPHER_KEY_LEN);
    c->max_size = qvirtio_config_readq(c->dev, CFG_MAX_SIZE);

    /* DRV-INIT-1: set up every queue, the control queue is the last */
    c->vqs = g_new0(QVirtQueue *, c->nqueues + 1);
    for (i = 0; i <= c->nqueues; i++) {
        c->vqs[i] = qvirtqueue_setup(c->dev, alloc, i);
    }
    c->ctrlq = c->vqs[c->nqueues];
    qvirtio_set_driver_ok(c->dev);
}

static void crypto_dev_cleanup(CryptoDev *c)
{
    uint32_t i;

    for (i = 0; i <= c->nqueues; i++) {
        qvirtqueue_cleanup(c->dev->bus, c->vqs[i], c->alloc);
    }
    g_free(c->vqs);
}

static bool cipher_offered(CryptoDev *c, uint32_t algo)
{
    return (c->services & (1u << VIRTIO_CRYPTO_SERVICE_CIPHER)) &&
           algo < 32 && (c->cipher_algo_l & (1u << algo));
}

/*
 * Submit one request: @out_len readable bytes (split into descriptors of
 * at most @split bytes, 0 = one descriptor) and @in_len writable bytes in
 * one descriptor.  The writable area is copied back into @in.
 * Returns the used length.
 */
static uint32_t crypto_submit(CryptoDev *c, QVirtQueue *vq,
                              const void *out, size_t out_len, size_t split,
                              void *in, size_t in_len)
{
    uint64_t addr = guest_alloc(c->alloc, out_len + in_len);
    uint64_t in_addr = addr + out_len;
    uint32_t head = 0, len = 0;
    size_t off = 0;
    bool first = true;

    memwrite(addr, out, out_len);
    qtest_memset(c->qts, in_addr, 0xa5, in_len);
    if (!split) {
        split = out_len;
    }
    while (off < out_len) {
        size_t n = MIN(split, out_len - off);
        uint32_t idx = qvirtqueue_add(c->qts, vq, addr + off, n, false,
                                      true);

        if (first) {
            head = idx;
            first = false;
        }
        off += n;
    }
    if (first) {
        head = qvirtqueue_add(c->qts, vq, in_addr, in_len, true, false);
    } else {
        qvirtqueue_add(c->qts, vq, in_addr, in_len, true, false);
    }
    qvirtqueue_kick(c->qts, c->dev, vq, head);
    qvirtio_wait_used_elem(c->qts, c->dev, vq, head, &len, CRYPTO_TIMEOUT_US);
    memread(in_addr, in, in_len);
    guest_free(c->alloc, addr);
    return len;
}

/* CIPHER_CREATE_SESSION; returns the le32 status, *id on success */
static uint32_t create_cipher_session(CryptoDev *c, uint32_t algo,
                                      uint32_t op, const uint8_t *key,
                                      uint32_t key_len, uint64_t *id)
{
    g_autofree uint8_t *req = g_malloc0(CTRL_REQ_LEN + key_len);
    uint8_t out[CREATE_OUT_LEN];
    uint32_t used;

    stl_le_p(req + 0, VIRTIO_CRYPTO_CIPHER_CREATE_SESSION);
    stl_le_p(req + 4, algo);
    stl_le_p(req + 16 + 0, algo);
    stl_le_p(req + 16 + 4, key_len);
    stl_le_p(req + 16 + 8, op);
    stl_le_p(req + 16 + 48, VIRTIO_CRYPTO_SYM_OP_CIPHER);
    memcpy(req + CTRL_REQ_LEN, key, key_len);

    used = crypto_submit(c, c->ctrlq, req, CTRL_REQ_LEN + key_len, 0,
                         out, sizeof(out));
    g_assert_cmpuint(used, ==, CREATE_OUT_LEN);
    *id = ldq_le_p(out);
    return ldl_le_p(out + 8);
}

/* *_DESTROY_SESSION; returns the u8 status */
static uint8_t destroy_session(CryptoDev *c, uint32_t opcode, uint64_t id)
{
    uint8_t req[CTRL_REQ_LEN] = { 0 };
    uint8_t status;

    stl_le_p(req + 0, opcode);
    stq_le_p(req + 16, id);
    g_assert_cmpuint(crypto_submit(c, c->ctrlq, req, sizeof(req), 0,
                                   &status, 1), ==, 1);
    return status;
}

/*
 * One cipher data request on data queue @q.  @dst gets dst_len bytes;
 * returns the status byte, which is the last writable byte.
 */
static uint8_t cipher_request(CryptoDev *c, uint32_t q, uint32_t opcode,
                              uint64_t id, const uint8_t *iv, uint32_t iv_len,
                              const uint8_t *src, uint32_t len, uint8_t *dst,
                              size_t split, uint32_t *used)
{
    size_t out_len = DATA_REQ_LEN + iv_len + len;
    g_autofree uint8_t *req = g_malloc0(out_len);
    g_autofree uint8_t *in = g_malloc0(len + 1);

    stl_le_p(req + 0, opcode);
    stq_le_p(req + 8, id);
    stl_le_p(req + 24 + 0, iv_len);
    stl_le_p(req + 24 + 4, len);
    stl_le_p(req + 24 + 8, len);
    stl_le_p(req + 24 + 40, VIRTIO_CRYPTO_SYM_OP_CIPHER);
    if (iv_len) {
        memcpy(req + DATA_REQ_LEN, iv, iv_len);
    }
    memcpy(req + DATA_REQ_LEN + iv_len, src, len);

    *used = crypto_submit(c, c->vqs[q], req, out_len, split, in, len + 1);
    memcpy(dst, in, len);
    return in[len];
}

static void run_vector(CryptoDev *c, const CipherVector *v, uint32_t q,
                       size_t split)
{
    g_autofree uint8_t *out = g_malloc0(v->len);
    uint64_t enc_id, dec_id;
    uint32_t used;

    g_assert_cmpuint(create_cipher_session(c, v->algo,
                                           VIRTIO_CRYPTO_OP_ENCRYPT,
                                           v->key, v->key_len, &enc_id),
                     ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(create_cipher_session(c, v->algo,
                                           VIRTIO_CRYPTO_OP_DECRYPT,
                                           v->key, v->key_len, &dec_id),
                     ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(enc_id, !=, dec_id);

    g_assert_cmpuint(cipher_request(c, q, VIRTIO_CRYPTO_CIPHER_ENCRYPT,
                                    enc_id, v->iv, v->iv_len, v->pt, v->len,
                                    out, split, &used), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpmem(out, v->len, v->ct, v->len);
    /* AMB-4: used length = dst bytes written + the status byte */
    g_assert_cmpuint(used, ==, v->len + 1);

    /* Same session again: the IV of each request applies afresh */
    g_assert_cmpuint(cipher_request(c, q, VIRTIO_CRYPTO_CIPHER_ENCRYPT,
                                    enc_id, v->iv, v->iv_len, v->pt, v->len,
                                    out, split, &used), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpmem(out, v->len, v->ct, v->len);

    g_assert_cmpuint(cipher_request(c, q, VIRTIO_CRYPTO_CIPHER_DECRYPT,
                                    dec_id, v->iv, v->iv_len, v->ct, v->len,
                                    out, split, &used), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpmem(out, v->len, v->pt, v->len);

    g_assert_cmpuint(destroy_session(c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION,
                                     enc_id), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(destroy_session(c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION,
                                     dec_id), ==, VIRTIO_CRYPTO_OK);
}

static const CipherVector *find_vector(const char *name)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(cipher_vectors); i++) {
        if (!strcmp(cipher_vectors[i].name, name)) {
            return &cipher_vectors[i];
        }
    }
    g_assert_not_reached();
}

/* DEV-CFG-2, DEV-CFG-3: the device is ready and reports sane limits */
static void test_config(void *obj, void *data, QGuestAllocator *alloc)
{
    CryptoDev c;

    crypto_dev_init(&c, obj, alloc);
    g_assert_cmphex(qvirtio_config_readl(c.dev, CFG_STATUS), ==,
                    VIRTIO_CRYPTO_S_HW_READY);
    g_assert_cmpuint(c.max_size, >, 0);
    if (c.services & (1u << VIRTIO_CRYPTO_SERVICE_CIPHER)) {
        g_assert_cmpuint(c.cipher_algo_l, !=, 0);
        g_assert_cmpuint(c.max_cipher_key_len, >=, 16);
    }
    /* AMB-17: bit 0 (NO_CIPHER) is never advertised */
    g_assert_false(c.cipher_algo_l & 1);
    crypto_dev_cleanup(&c);
}

/*
 * The smoke test: session create, one encrypt checked against a known
 * answer, decrypt, destroy.  AES-CBC is the one algorithm stock QEMU
 * offers too.
 */
static void test_cbc_smoke(void *obj, void *data, QGuestAllocator *alloc)
{
    CryptoDev c;

    crypto_dev_init(&c, obj, alloc);
    g_assert_true(cipher_offered(&c, VIRTIO_CRYPTO_CIPHER_AES_CBC));
    run_vector(&c, find_vector("cbc-aes128"), 0, 0);
    run_vector(&c, find_vector("cbc-aes256"), 0, 0);
    crypto_dev_cleanup(&c);
}

/* DEV-CFG-4/5: every advertised cipher bit works with a real request */
static void test_advertised_ciphers(void *obj, void *data,
                                    QGuestAllocator *alloc)
{
    CryptoDev c;
    uint32_t covered = 0;
    size_t i;

    crypto_dev_init(&c, obj, alloc);
    for (i = 0; i < G_N_ELEMENTS(cipher_vectors); i++) {
        const CipherVector *v = &cipher_vectors[i];

        if (!cipher_offered(&c, v->algo)) {
            continue;
        }
        if (g_test_verbose()) {
            g_test_message("vector %s", v->name);
        }
        run_vector(&c, v, 0, 0);
        covered |= 1u << v->algo;
    }
    /* An advertised algorithm without a passing vector is a failure */
    g_assert_cmphex(c.cipher_algo_l, ==, covered);
    crypto_dev_cleanup(&c);
}

/* The AES modes the issue asks for, each with its own known answer */
static void test_aes_modes(void *obj, void *data, QGuestAllocator *alloc)
{
    static const char *const names[] = {
        "ecb-aes128", "cbc-aes128", "ctr-aes128-60", "ctr-aes192",
        "xts-aes128-17", "xts-aes256-48",
    };
    CryptoDev c;
    size_t i;

    crypto_dev_init(&c, obj, alloc);
    for (i = 0; i < G_N_ELEMENTS(names); i++) {
        const CipherVector *v = find_vector(names[i]);

        g_assert_true(cipher_offered(&c, v->algo));
        run_vector(&c, v, 0, 0);
    }
    g_assert_cmpuint(c.max_cipher_key_len, ==, 64);
    crypto_dev_cleanup(&c);
}

/* GEN-1: headers and data split into odd-sized descriptors */
static void test_descriptor_split(void *obj, void *data,
                                  QGuestAllocator *alloc)
{
    static const size_t splits[] = { 1, 3, 7, 16, 71, 73 };
    const CipherVector *v = find_vector("cbc-aes128");
    CryptoDev c;
    size_t i;

    crypto_dev_init(&c, obj, alloc);
    for (i = 0; i < G_N_ELEMENTS(splits); i++) {
        run_vector(&c, v, 0, splits[i]);
    }
    crypto_dev_cleanup(&c);
}

/* a session works on every data queue */
static void test_all_queues(void *obj, void *data, QGuestAllocator *alloc)
{
    const CipherVector *v = find_vector("cbc-aes128");
    CryptoDev c;
    uint32_t q;

    crypto_dev_init(&c, obj, alloc);
    g_assert_cmpuint(c.nqueues, ==, 4);
    for (q = 0; q < c.nqueues; q++) {
        run_vector(&c, v, q, 0);
    }
    crypto_dev_cleanup(&c);
}

static void *multiqueue_setup(GString *cmd_line, void *arg)
{
    const char *id = "id=" QVIRTIO_CRYPTO_BACKEND_ID;
    char *pos = strstr(cmd_line->str, id);

    /* Give the backend 4 queues, so the device gets 4 data queues */
    g_assert(pos);
    g_string_insert(cmd_line, pos - cmd_line->str, "queues=4,");
    return arg;
}

static void register_virtio_crypto_test(void)
{
    QOSGraphTestOptions mq_opts = {
        .before = multiqueue_setup,
    };

    qos_add_test("config", "virtio-crypto", test_config, NULL);
    qos_add_test("cbc-smoke", "virtio-crypto", test_cbc_smoke, NULL);
    qos_add_test("advertised-ciphers", "virtio-crypto",
                 test_advertised_ciphers, NULL);
    qos_add_test("aes-modes", "virtio-crypto", test_aes_modes, NULL);
    qos_add_test("descriptor-split", "virtio-crypto", test_descriptor_split,
                 NULL);
    qos_add_test("multiqueue", "virtio-crypto", test_all_queues, &mq_opts);
}

libqos_init(register_virtio_crypto_test);
