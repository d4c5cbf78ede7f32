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
#include "qapi/qmp/qdict.h"
#include "standard-headers/linux/virtio_crypto.h"
#include "libqos/qgraph.h"
#include "libqos/virtio.h"
#include "libqos/pci.h"
#include "libqos/virtio-pci.h"
#include "standard-headers/linux/virtio_pci.h"
#include "libqos/virtio-crypto.h"
#include "virtio-crypto-vectors.h"

#define CRYPTO_TIMEOUT_US (30 * 1000 * 1000)

/* Config space offsets (checklist 1.3) */
#define CFG_STATUS             0
#define CFG_MAX_DATAQUEUES     4
#define CFG_CRYPTO_SERVICES    8
#define CFG_CIPHER_ALGO_L      12
#define CFG_HASH_ALGO          20
#define CFG_MAC_ALGO_L         24
#define CFG_AEAD_ALGO          32
#define CFG_AKCIPHER_ALGO      44
#define CFG_MAX_AUTH_KEY_LEN   40
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
    uint32_t hash_algo;
    uint32_t mac_algo_l;
    uint32_t aead_algo;
    uint32_t akcipher_algo;
    uint32_t max_cipher_key_len;
    uint32_t max_auth_key_len;
    uint64_t max_size;
    uint64_t offered;       /* features the device offers */
    uint64_t features;      /* features negotiated */
} CryptoDev;

/* Device feature bits (checklist 1.2) */
#define F_REVISION_1        0
#define F_CIPHER_STATELESS  1
#define F_HASH_STATELESS    2
#define F_MAC_STATELESS     3
#define F_AEAD_STATELESS    4
#define F_AKCIPHER_STATELESS 5
#define DEVICE_FEATURES     0x3full
#define FLAG_SESSION_MODE   1

/* A 16-bit field of the virtio-pci modern common configuration */
static uint16_t common_cfg_readw(CryptoDev *c, size_t off)
{
    QVirtioPCIDevice *pci = container_of(c->dev, QVirtioPCIDevice, vdev);

    return qpci_io_readw(pci->pdev, pci->bar, pci->common_cfg_offset + off);
}

static void common_cfg_writew(CryptoDev *c, size_t off, uint16_t val)
{
    QVirtioPCIDevice *pci = container_of(c->dev, QVirtioPCIDevice, vdev);

    qpci_io_writew(pci->pdev, pci->bar, pci->common_cfg_offset + off, val);
}

#define CC_QUEUE_SIZE   offsetof(struct virtio_pci_common_cfg, queue_size)

/* The largest queue size virtio allows (VIRTQUEUE_MAX_SIZE) */
#define MAX_QUEUE_SIZE  1024

/*
 * Queue @index set up and enabled as qvirtqueue_setup() does on virtio-pci
 * modern, but with @size entries (queue_size written first) in guest memory
 * that holds a ring of MAX_QUEUE_SIZE entries: whatever size the guest
 * later writes, the device's ring accesses stay in memory of this ring.
 */
static QVirtQueue *small_queue_setup(CryptoDev *c, uint16_t index,
                                     uint16_t size)
{
    QVirtioPCIDevice *pci = container_of(c->dev, QVirtioPCIDevice, vdev);
    QVirtQueuePCI *vqpci = g_new0(QVirtQueuePCI, 1);
    QVirtQueue *vq = &vqpci->vq;
    uint16_t notify_off;

    g_assert_true(c->offered & (1ull << VIRTIO_F_VERSION_1));
    c->dev->bus->queue_select(c->dev, index);
    g_assert_cmpuint(size, <=, c->dev->bus->get_queue_size(c->dev));
    common_cfg_writew(c, CC_QUEUE_SIZE, size);
    g_assert_cmpuint(c->dev->bus->get_queue_size(c->dev), ==, size);

    vq->vdev = c->dev;
    vq->index = index;
    vq->size = size;
    vq->num_free = size;
    vq->align = VIRTIO_PCI_VRING_ALIGN;
    vqpci->msix_entry = -1;
    qvring_init(c->qts, c->alloc, vq,
                guest_alloc(c->alloc,
                            qvring_size(MAX_QUEUE_SIZE,
                                        VIRTIO_PCI_VRING_ALIGN)));
    c->dev->bus->set_queue_address(c->dev, vq);
    notify_off = common_cfg_readw(c, offsetof(struct virtio_pci_common_cfg,
                                              queue_notify_off));
    vqpci->notify_offset = pci->notify_cfg_offset +
                           notify_off * pci->notify_off_multiplier;
    common_cfg_writew(c, offsetof(struct virtio_pci_common_cfg, queue_enable),
                      1);
    return vq;
}

/*
 * Negotiate the generic features plus the device-specific bits in
 * @dev_features that the device offers, set up every queue.  With
 * @dataq0_size, data queue 0 gets that many entries (small_queue_setup()).
 */
static void crypto_dev_init_sized(CryptoDev *c, void *obj,
                                  QGuestAllocator *alloc,
                                  uint64_t dev_features, uint16_t dataq0_size)
{
    QVirtioCrypto *crypto = obj;
    uint64_t features;
    uint32_t i;

    c->qts = global_qtest;
    c->dev = crypto->vdev;
    c->alloc = alloc;

    features = qvirtio_get_features(c->dev);
    c->offered = features;
    features &= ~(QVIRTIO_F_BAD_FEATURE |
                  (1ull << VIRTIO_RING_F_INDIRECT_DESC) |
                  (1ull << VIRTIO_RING_F_EVENT_IDX));
    features &= ~DEVICE_FEATURES | dev_features;
    qvirtio_set_features(c->dev, features);
    c->features = features;

    c->nqueues = qvirtio_config_readl(c->dev, CFG_MAX_DATAQUEUES);
    g_assert_cmpuint(c->nqueues, >=, 1);
    g_assert_cmpuint(c->nqueues, <=, 64);
    c->services = qvirtio_config_readl(c->dev, CFG_CRYPTO_SERVICES);
    c->cipher_algo_l = qvirtio_config_readl(c->dev, CFG_CIPHER_ALGO_L);
    c->max_cipher_key_len = qvirtio_config_readl(c->dev,
                                                 CFG_MAX_CIPHER_KEY_LEN);
    c->max_size = qvirtio_config_readq(c->dev, CFG_MAX_SIZE);
    c->hash_algo = qvirtio_config_readl(c->dev, CFG_HASH_ALGO);
    c->mac_algo_l = qvirtio_config_readl(c->dev, CFG_MAC_ALGO_L);
    c->aead_algo = qvirtio_config_readl(c->dev, CFG_AEAD_ALGO);
    c->akcipher_algo = qvirtio_config_readl(c->dev, CFG_AKCIPHER_ALGO);
    c->max_auth_key_len = qvirtio_config_readl(c->dev, CFG_MAX_AUTH_KEY_LEN);

    /* DRV-INIT-1: set up every queue, the control queue is the last */
    c->vqs = g_new0(QVirtQueue *, c->nqueues + 1);
    for (i = 0; i <= c->nqueues; i++) {
        if (i == 0 && dataq0_size) {
            c->vqs[i] = small_queue_setup(c, i, dataq0_size);
        } else {
            c->vqs[i] = qvirtqueue_setup(c->dev, alloc, i);
        }
    }
    c->ctrlq = c->vqs[c->nqueues];
    qvirtio_set_driver_ok(c->dev);
}

static void crypto_dev_init_features(CryptoDev *c, void *obj,
                                     QGuestAllocator *alloc,
                                     uint64_t dev_features)
{
    crypto_dev_init_sized(c, obj, alloc, dev_features, 0);
}

static bool has_rev1(CryptoDev *c)
{
    return c->features & (1ull << F_REVISION_1);
}

/* The legacy padded layout: no device feature bits */
static void crypto_dev_init(CryptoDev *c, void *obj, QGuestAllocator *alloc)
{
    crypto_dev_init_features(c, obj, alloc, 0);
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
/*
 * With VIRTIO_CRYPTO_QTEST_CORPUS=DIR, every request is also written to DIR
 * in the input format of tests/fuzz/fuzz-virtio-crypto-parse.c (control
 * byte, 16 split sizes, le16 writable size, request bytes), so the qtest
 * cases seed the parser fuzzer.
 */
static void corpus_dump(CryptoDev *c, QVirtQueue *vq, const void *out,
                        size_t out_len, size_t split, size_t in_len)
{
    static unsigned int seq;
    const char *dir = getenv("VIRTIO_CRYPTO_QTEST_CORPUS");
    uint8_t head[19] = { 0 };
    g_autofree char *path = NULL;
    FILE *f;
    int i;

    if (!dir) {
        return;
    }
    head[0] = (vq == c->ctrlq ? 1 : 0) |
              ((c->features & (1ull << F_REVISION_1)) ? 0x40 : 0);
    for (i = 0; i < 16; i++) {
        head[1 + i] = split && split < 256 ? split : 0;
    }
    head[17] = in_len & 0xff;
    head[18] = (in_len >> 8) & 0x0f;
    path = g_strdup_printf("%s/qtest-%d-%u", dir, getpid(), seq++);
    f = fopen(path, "wb");
    if (f) {
        fwrite(head, 1, sizeof(head), f);
        fwrite(out, 1, out_len, f);
        fclose(f);
    }
}

static uint32_t crypto_submit(CryptoDev *c, QVirtQueue *vq,
                              const void *out, size_t out_len, size_t split,
                              void *in, size_t in_len)
{
    uint64_t addr = guest_alloc(c->alloc, out_len + in_len);
    uint64_t in_addr = addr + out_len;
    uint32_t head = 0, len = 0;
    size_t off = 0;
    bool first = true;

    corpus_dump(c, vq, out, out_len, split, in_len);
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
 * returns the status byte, which is the last writable byte (X-5).
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
    /* AMB-17: bit 0 (NO_*) is never advertised */
    g_assert_false(c.cipher_algo_l & 1);
    g_assert_false(c.hash_algo & 1);
    g_assert_false(c.mac_algo_l & 1);
    g_assert_false(c.aead_algo & 1);
    g_assert_false(c.akcipher_algo & 1);
    /* DEV-CFG-6: no undefined algorithm bits (checklist 2.2..2.6) */
    g_assert_cmphex(c.cipher_algo_l & ~0x7ffeu, ==, 0);
    g_assert_cmphex(qvirtio_config_readl(c.dev, CFG_CIPHER_ALGO_L + 4), ==, 0);
    g_assert_cmphex(c.hash_algo & ~0x1ffeu, ==, 0);
    g_assert_cmphex(c.mac_algo_l & ~0x1e00007eu, ==, 0);
    g_assert_cmphex(c.aead_algo & ~0xeu, ==, 0);
    g_assert_cmphex(c.akcipher_algo & ~0x6u, ==, 0);
    /* DEV-CFG-4/5: a service is offered only with an algorithm; no IPSEC */
    g_assert_cmphex(c.services & ~0x1fu, ==, 0);
    g_assert_cmpuint(!!(c.services & (1u << VIRTIO_CRYPTO_SERVICE_CIPHER)),
                     ==, !!c.cipher_algo_l);
    g_assert_cmpuint(!!(c.services & (1u << VIRTIO_CRYPTO_SERVICE_HASH)),
                     ==, !!c.hash_algo);
    g_assert_cmpuint(!!(c.services & (1u << VIRTIO_CRYPTO_SERVICE_MAC)),
                     ==, !!c.mac_algo_l);
    g_assert_cmpuint(!!(c.services & (1u << VIRTIO_CRYPTO_SERVICE_AEAD)),
                     ==, !!c.aead_algo);
    g_assert_cmpuint(!!(c.services & (1u << VIRTIO_CRYPTO_SERVICE_AKCIPHER)),
                     ==, !!c.akcipher_algo);
    crypto_dev_cleanup(&c);
}

/*
 * Every advertised AKCIPHER bit is exercised by the rsa and ecdsa tests;
 * this one checks there is no other.
 */
static void test_advertised_akcipher(void *obj, void *data,
                                     QGuestAllocator *alloc)
{
    CryptoDev c;

    crypto_dev_init(&c, obj, alloc);
    g_assert_cmphex(c.akcipher_algo, ==,
                    (1u << VIRTIO_CRYPTO_AKCIPHER_RSA) | (1u << 2));
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
        "xts-aes128-17", "xts-aes256-48", "3des-ecb", "3des-cbc",
        "3des-ctr-30",
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

/* X-7: a session works on every data queue */
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

/* ---- malformed input (upstream-qemu.md section 2.3 classes) ---- */

/* Data header fields for raw requests */
typedef struct RawData {
    uint32_t opcode;
    uint32_t algo;
    uint64_t session_id;
    uint32_t iv_len;
    uint32_t src_len;
    uint32_t dst_len;
    uint32_t op_type;
    uint32_t payload_len;   /* readable bytes after the 72-byte header */
    uint32_t header_len;    /* readable header bytes; 0 means 72 */
    uint32_t in_len;        /* writable bytes */
} RawData;

/* Send a raw data request on queue 0; returns the last writable byte */
static uint8_t data_raw(CryptoDev *c, const RawData *r, uint32_t *used)
{
    uint32_t hdr_len = r->header_len ? r->header_len : DATA_REQ_LEN;
    size_t out_len = hdr_len + r->payload_len;
    g_autofree uint8_t *req = g_malloc0(MAX(out_len, DATA_REQ_LEN));
    g_autofree uint8_t *in = g_malloc0(r->in_len);
    uint32_t dummy;

    stl_le_p(req + 0, r->opcode);
    stl_le_p(req + 4, r->algo);
    stq_le_p(req + 8, r->session_id);
    stl_le_p(req + 24 + 0, r->iv_len);
    stl_le_p(req + 24 + 4, r->src_len);
    stl_le_p(req + 24 + 8, r->dst_len);
    stl_le_p(req + 24 + 40, r->op_type);
    dummy = crypto_submit(c, c->vqs[0], req, out_len, 0, in, r->in_len);
    if (used) {
        *used = dummy;
    }
    return in[r->in_len - 1];
}

/* A CBC session for the malformed-data cases */
static uint64_t cbc_session(CryptoDev *c, uint32_t op)
{
    const CipherVector *v = find_vector("cbc-aes128");
    uint64_t id;

    g_assert_cmpuint(create_cipher_session(c, v->algo, op, v->key,
                                           v->key_len, &id),
                     ==, VIRTIO_CRYPTO_OK);
    return id;
}

static RawData cbc_req(uint64_t id, uint32_t len)
{
    RawData r = {
        .opcode = VIRTIO_CRYPTO_CIPHER_ENCRYPT,
        .session_id = id,
        .iv_len = 16,
        .src_len = len,
        .dst_len = len,
        .op_type = VIRTIO_CRYPTO_SYM_OP_CIPHER,
        .payload_len = 16 + len,
        .in_len = len + 1,
    };
    return r;
}

static void test_malformed_data(void *obj, void *data, QGuestAllocator *alloc)
{
    CryptoDev c;
    uint64_t id, dec_id;
    uint32_t used;
    RawData r;

    crypto_dev_init(&c, obj, alloc);
    id = cbc_session(&c, VIRTIO_CRYPTO_OP_ENCRYPT);
    dec_id = cbc_session(&c, VIRTIO_CRYPTO_OP_DECRYPT);

    /* Baseline: the well-formed request works */
    r = cbc_req(id, 32);
    g_assert_cmpuint(data_raw(&c, &r, &used), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(used, ==, 33);

    /* CVE-2023-3180 class, AMB-5: src_len != dst_len */
    r = cbc_req(id, 32);
    r.dst_len = 16;
    g_assert_cmpuint(data_raw(&c, &r, &used), ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(used, ==, 1);
    r = cbc_req(id, 16);
    r.dst_len = 4096;
    r.in_len = 4097;
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_ERR);

    /* CVE-2017-5931 class, AMB-12: sums that overflow or exceed max_size */
    r = cbc_req(id, 16);
    r.src_len = r.dst_len = UINT32_MAX;
    r.in_len = 17;
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_ERR);
    r = cbc_req(id, 16);
    r.src_len = r.dst_len = c.max_size / 2 + 16;
    r.in_len = 17;
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_ERR);
    r = cbc_req(id, 16);
    r.iv_len = UINT32_MAX;
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_ERR);
    r = cbc_req(id, 16);
    r.iv_len = 17;
    r.payload_len = 17 + 16;
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_ERR);

    /* X-4: short chains */
    r = cbc_req(id, 32);
    r.header_len = 40;
    r.payload_len = 0;
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_ERR);
    r = cbc_req(id, 32);
    r.payload_len = 0;
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_ERR);
    r = cbc_req(id, 32);
    r.payload_len = 16 + 31;
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_ERR);
    /* writable area too small for dst + status: status still last byte */
    r = cbc_req(id, 32);
    r.in_len = 32;
    g_assert_cmpuint(data_raw(&c, &r, &used), ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(used, ==, 1);

    /* X-2: bad session ids */
    r = cbc_req(id + 1000, 16);
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_INVSESS);
    r = cbc_req(UINT64_MAX, 16);
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_INVSESS);

    /* AMB-14: opcode direction contradicts the session */
    r = cbc_req(dec_id, 16);
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_ERR);
    r = cbc_req(id, 16);
    r.opcode = VIRTIO_CRYPTO_CIPHER_DECRYPT;
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_ERR);

    /* X-3: opcodes of services not offered, and unknown opcodes */
    r = cbc_req(id, 16);
    r.opcode = VIRTIO_CRYPTO_AKCIPHER_SIGN;
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_INVSESS);
    r.opcode = 0x0999;
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_NOTSUPP);
    r.opcode = UINT32_MAX;
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_NOTSUPP);

    /* op_type: chaining with hash_result_len 0, unknown op types */
    r = cbc_req(id, 16);
    r.op_type = VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING;
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_ERR);
    r.op_type = VIRTIO_CRYPTO_SYM_OP_NONE;
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_ERR);
    r.op_type = 77;
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_ERR);

    /* Mode rules: CBC needs whole blocks and a 16-byte IV */
    r = cbc_req(id, 17);
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_ERR);
    r = cbc_req(id, 16);
    r.iv_len = 8;
    r.payload_len = 8 + 16;
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_ERR);
    r.iv_len = 0;
    r.payload_len = 16;
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_ERR);

    /* The device still works after all of that */
    r = cbc_req(id, 64);
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION,
                                     id), ==, VIRTIO_CRYPTO_OK);
    /* A destroyed id is invalid from now on */
    r = cbc_req(id, 16);
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_INVSESS);
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION,
                                     dec_id), ==, VIRTIO_CRYPTO_OK);
    crypto_dev_cleanup(&c);
}

/* A raw control request; returns the le32 create status */
static uint32_t ctrl_create_raw(CryptoDev *c, uint32_t opcode, uint32_t algo,
                                uint32_t key_len, uint32_t op,
                                uint32_t op_type, uint32_t key_bytes,
                                uint32_t queue_id, uint64_t *id)
{
    size_t out_len = CTRL_REQ_LEN + key_bytes;
    g_autofree uint8_t *req = g_malloc0(out_len);
    uint8_t out[CREATE_OUT_LEN];

    stl_le_p(req + 0, opcode);
    stl_le_p(req + 4, algo);
    stl_le_p(req + 12, queue_id);
    stl_le_p(req + 16 + 0, algo);
    stl_le_p(req + 16 + 4, key_len);
    stl_le_p(req + 16 + 8, op);
    stl_le_p(req + 16 + 48, op_type);
    memset(req + CTRL_REQ_LEN, 0x42, key_bytes);
    g_assert_cmpuint(crypto_submit(c, c->ctrlq, req, out_len, 0, out,
                                   sizeof(out)), ==, CREATE_OUT_LEN);
    if (id) {
        *id = ldq_le_p(out);
    }
    return ldl_le_p(out + 8);
}

static void test_malformed_ctrl(void *obj, void *data, QGuestAllocator *alloc)
{
    const uint32_t cbc = VIRTIO_CRYPTO_CIPHER_AES_CBC;
    const uint32_t create = VIRTIO_CRYPTO_CIPHER_CREATE_SESSION;
    const uint32_t sym = VIRTIO_CRYPTO_SYM_OP_CIPHER;
    const uint32_t enc = VIRTIO_CRYPTO_OP_ENCRYPT;
    static const uint32_t other_creates[] = {
        VIRTIO_CRYPTO_HASH_CREATE_SESSION, VIRTIO_CRYPTO_MAC_CREATE_SESSION,
    };
    static const uint32_t bad_algos[] = {
        0, VIRTIO_CRYPTO_CIPHER_ARC4, VIRTIO_CRYPTO_CIPHER_DES_ECB,
        VIRTIO_CRYPTO_CIPHER_AES_F8, 15, 63, 64, UINT32_MAX,
    };
    CryptoDev c;
    uint8_t req[CTRL_REQ_LEN] = { 0 };
    uint8_t out[CREATE_OUT_LEN];
    uint64_t id, id2;
    size_t i;

    crypto_dev_init(&c, obj, alloc);

    /* Baseline, with a non-zero header word 3: ignored (AMB-9) */
    g_assert_cmpuint(ctrl_create_raw(&c, create, cbc, 16, enc, sym, 16,
                                     UINT32_MAX, &id), ==, VIRTIO_CRYPTO_OK);

    /* Key lengths: zero, above max_cipher_key_len, huge, not for AES */
    g_assert_cmpuint(ctrl_create_raw(&c, create, cbc, 0, enc, sym, 0, 0,
                                     NULL), ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(ctrl_create_raw(&c, create, cbc,
                                     c.max_cipher_key_len + 1, enc, sym,
                                     c.max_cipher_key_len + 1, 0, NULL),
                     ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(ctrl_create_raw(&c, create, cbc, UINT32_MAX, enc, sym,
                                     16, 0, NULL), ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(ctrl_create_raw(&c, create, cbc, 20, enc, sym, 20, 0,
                                     NULL), ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(ctrl_create_raw(&c, create,
                                     VIRTIO_CRYPTO_CIPHER_AES_XTS, 16, enc,
                                     sym, 16, 0, NULL), ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(ctrl_create_raw(&c, create,
                                     VIRTIO_CRYPTO_CIPHER_3DES_CBC, 16, enc,
                                     sym, 16, 0, NULL), ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(ctrl_create_raw(&c, create,
                                     VIRTIO_CRYPTO_CIPHER_3DES_ECB, 32, enc,
                                     sym, 32, 0, NULL), ==, VIRTIO_CRYPTO_ERR);
    /* Key announced but missing from the chain */
    g_assert_cmpuint(ctrl_create_raw(&c, create, cbc, 32, enc, sym, 31, 0,
                                     NULL), ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(ctrl_create_raw(&c, create, cbc, 16, enc, sym, 0, 0,
                                     NULL), ==, VIRTIO_CRYPTO_ERR);

    /* Unknown or not offered algorithms */
    for (i = 0; i < G_N_ELEMENTS(bad_algos); i++) {
        g_assert_cmpuint(ctrl_create_raw(&c, create, bad_algos[i], 16, enc,
                                         sym, 16, 0, NULL),
                         ==, VIRTIO_CRYPTO_NOTSUPP);
    }
    /* Bad direction and op types */
    g_assert_cmpuint(ctrl_create_raw(&c, create, cbc, 16, 0, sym, 16, 0,
                                     NULL), ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(ctrl_create_raw(&c, create, cbc, 16, 3, sym, 16, 0,
                                     NULL), ==, VIRTIO_CRYPTO_ERR);
    /* Read as a chain header, AES_CBC (3) is an invalid chain order */
    g_assert_cmpuint(ctrl_create_raw(&c, create, cbc, 16, enc,
                                     VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING,
                                     16, 0, NULL), ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(ctrl_create_raw(&c, create, cbc, 16, enc,
                                     VIRTIO_CRYPTO_SYM_OP_NONE, 16, 0, NULL),
                     ==, VIRTIO_CRYPTO_ERR);
    /* Services not offered */
    for (i = 0; i < G_N_ELEMENTS(other_creates); i++) {
        g_assert_cmpuint(ctrl_create_raw(&c, other_creates[i], 1, 16, enc,
                                         sym, 16, 0, NULL),
                         ==, VIRTIO_CRYPTO_NOTSUPP);
    }
    /* AMB-26: unknown control opcode gets NOTSUPP in a 16-byte outcome */
    g_assert_cmpuint(ctrl_create_raw(&c, 0x0fff, cbc, 16, enc, sym, 16, 0,
                                     NULL), ==, VIRTIO_CRYPTO_NOTSUPP);
    g_assert_cmpuint(ctrl_create_raw(&c, VIRTIO_CRYPTO_CIPHER_ENCRYPT, cbc,
                                     16, enc, sym, 16, 0, NULL),
                     ==, VIRTIO_CRYPTO_NOTSUPP);

    /* Short control header */
    stl_le_p(req, create);
    g_assert_cmpuint(crypto_submit(&c, c.ctrlq, req, 40, 0, out,
                                   sizeof(out)), ==, CREATE_OUT_LEN);
    g_assert_cmpuint(ldl_le_p(out + 8), ==, VIRTIO_CRYPTO_ERR);

    /* X-1: destroy of unknown ids, of another service, and twice */
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION,
                                     id + 1000), ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION,
                                     UINT64_MAX), ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_HASH_DESTROY_SESSION,
                                     id), ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(destroy_session(&c,
                                     VIRTIO_CRYPTO_AKCIPHER_DESTROY_SESSION,
                                     id), ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION,
                                     id), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION,
                                     id), ==, VIRTIO_CRYPTO_ERR);

    /* Ids are not reused right away */
    g_assert_cmpuint(ctrl_create_raw(&c, create, cbc, 16, enc, sym, 16, 0,
                                     &id2), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(id2, !=, id);
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION,
                                     id2), ==, VIRTIO_CRYPTO_OK);
    crypto_dev_cleanup(&c);
}

/* Session limit from the max-sessions property */
static void test_session_limit(void *obj, void *data, QGuestAllocator *alloc)
{
    const CipherVector *v = find_vector("cbc-aes128");
    uint64_t ids[4], extra;
    CryptoDev c;
    size_t i;

    crypto_dev_init(&c, obj, alloc);
    for (i = 0; i < G_N_ELEMENTS(ids); i++) {
        g_assert_cmpuint(create_cipher_session(&c, v->algo,
                                               VIRTIO_CRYPTO_OP_ENCRYPT,
                                               v->key, v->key_len, &ids[i]),
                         ==, VIRTIO_CRYPTO_OK);
    }
    /* Without REVISION_1 a full table is ERR, not NOSPC */
    g_assert_cmpuint(create_cipher_session(&c, v->algo,
                                           VIRTIO_CRYPTO_OP_ENCRYPT,
                                           v->key, v->key_len, &extra),
                     ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION,
                                     ids[0]), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(create_cipher_session(&c, v->algo,
                                           VIRTIO_CRYPTO_OP_ENCRYPT,
                                           v->key, v->key_len, &extra),
                     ==, VIRTIO_CRYPTO_OK);
    crypto_dev_cleanup(&c);

    /* With REVISION_1 a full table is NOSPC (after a reset emptied it) */
    qvirtio_reset(c.dev);
    qvirtio_set_acknowledge(c.dev);
    qvirtio_set_driver(c.dev);
    crypto_dev_init_features(&c, obj, alloc, 1ull << F_REVISION_1);
    g_assert_true(has_rev1(&c));
    for (i = 0; i < G_N_ELEMENTS(ids); i++) {
        g_assert_cmpuint(create_cipher_session(&c, v->algo,
                                               VIRTIO_CRYPTO_OP_ENCRYPT,
                                               v->key, v->key_len, &ids[i]),
                         ==, VIRTIO_CRYPTO_OK);
    }
    g_assert_cmpuint(create_cipher_session(&c, v->algo,
                                           VIRTIO_CRYPTO_OP_ENCRYPT,
                                           v->key, v->key_len, &extra),
                     ==, VIRTIO_CRYPTO_NOSPC);
    crypto_dev_cleanup(&c);
}

static void *session_limit_setup(GString *cmd_line, void *arg)
{
    g_string_append(cmd_line, " -global virtio-crypto-device.max-sessions=4");
    return arg;
}

/* X-8 / AMB-24: sessions do not survive a device reset */
static void test_reset_sessions(void *obj, void *data, QGuestAllocator *alloc)
{
    const CipherVector *v = find_vector("cbc-aes128");
    uint8_t out[64];
    uint64_t id, id2;
    uint32_t used;
    CryptoDev c;

    crypto_dev_init(&c, obj, alloc);
    g_assert_cmpuint(create_cipher_session(&c, v->algo,
                                           VIRTIO_CRYPTO_OP_ENCRYPT,
                                           v->key, v->key_len, &id),
                     ==, VIRTIO_CRYPTO_OK);
    crypto_dev_cleanup(&c);

    /* Reset and bring the device up again, as a rebooting guest does */
    qvirtio_reset(c.dev);
    qvirtio_set_acknowledge(c.dev);
    qvirtio_set_driver(c.dev);
    crypto_dev_init(&c, obj, alloc);

    g_assert_cmpuint(cipher_request(&c, 0, VIRTIO_CRYPTO_CIPHER_ENCRYPT, id,
                                    v->iv, v->iv_len, v->pt, v->len, out, 0,
                                    &used), ==, VIRTIO_CRYPTO_INVSESS);
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION,
                                     id), ==, VIRTIO_CRYPTO_ERR);
    /* New sessions work and get fresh ids */
    g_assert_cmpuint(create_cipher_session(&c, v->algo,
                                           VIRTIO_CRYPTO_OP_ENCRYPT,
                                           v->key, v->key_len, &id2),
                     ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(id2, !=, id);
    g_assert_cmpuint(cipher_request(&c, 0, VIRTIO_CRYPTO_CIPHER_ENCRYPT, id2,
                                    v->iv, v->iv_len, v->pt, v->len, out, 0,
                                    &used), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpmem(out, v->len, v->ct, v->len);
    crypto_dev_cleanup(&c);
}

/*
 * Structural error: a data request without any writable byte has no place
 * for its status, so the device asks for a reset (DEVICE_NEEDS_RESET).
 */
static void test_no_status_byte(void *obj, void *data, QGuestAllocator *alloc)
{
    uint8_t req[DATA_REQ_LEN] = { 0 };
    uint64_t addr;
    uint32_t head;
    gint64 deadline;
    CryptoDev c;

    crypto_dev_init(&c, obj, alloc);
    addr = guest_alloc(alloc, sizeof(req));
    memwrite(addr, req, sizeof(req));
    head = qvirtqueue_add(c.qts, c.vqs[0], addr, sizeof(req), false, false);
    qvirtqueue_kick(c.qts, c.dev, c.vqs[0], head);

    deadline = g_get_monotonic_time() + CRYPTO_TIMEOUT_US;
    while (!(c.dev->bus->get_status(c.dev) & VIRTIO_CONFIG_S_NEEDS_RESET)) {
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        qtest_clock_step(c.qts, 100);
    }
    guest_free(alloc, addr);
    crypto_dev_cleanup(&c);
}

/* ---- HASH and MAC services ---- */

static bool service_offered(CryptoDev *c, uint32_t service, uint32_t mask,
                            uint32_t algo)
{
    return (c->services & (1u << service)) && algo < 32 &&
           (mask & (1u << algo));
}

/* HASH_CREATE_SESSION / MAC_CREATE_SESSION; returns the le32 status */
static uint32_t create_hash_session(CryptoDev *c, uint32_t service,
                                    uint32_t algo, uint32_t result_len,
                                    const uint8_t *key, uint32_t key_len,
                                    uint64_t *id)
{
    g_autofree uint8_t *req = g_malloc0(CTRL_REQ_LEN + key_len);
    uint8_t out[CREATE_OUT_LEN];

    stl_le_p(req + 0, service == VIRTIO_CRYPTO_SERVICE_MAC ?
             VIRTIO_CRYPTO_MAC_CREATE_SESSION :
             VIRTIO_CRYPTO_HASH_CREATE_SESSION);
    stl_le_p(req + 4, algo);
    stl_le_p(req + 16 + 0, algo);
    stl_le_p(req + 16 + 4, result_len);
    if (service == VIRTIO_CRYPTO_SERVICE_MAC) {
        stl_le_p(req + 16 + 8, key_len);
        memcpy(req + CTRL_REQ_LEN, key, key_len);
    }
    g_assert_cmpuint(crypto_submit(c, c->ctrlq, req, CTRL_REQ_LEN + key_len,
                                   0, out, sizeof(out)), ==, CREATE_OUT_LEN);
    *id = ldq_le_p(out);
    return ldl_le_p(out + 8);
}

/* A HASH or MAC data request; returns the status byte */
static uint8_t hash_request(CryptoDev *c, uint32_t opcode, uint64_t id,
                            const uint8_t *msg, uint32_t msg_len,
                            uint32_t result_len, uint8_t *result,
                            uint32_t *used)
{
    size_t out_len = DATA_REQ_LEN + msg_len;
    g_autofree uint8_t *req = g_malloc0(out_len);
    g_autofree uint8_t *in = g_malloc0(result_len + 1);

    stl_le_p(req + 0, opcode);
    stq_le_p(req + 8, id);
    stl_le_p(req + 24 + 0, msg_len);
    stl_le_p(req + 24 + 4, result_len);
    memcpy(req + DATA_REQ_LEN, msg, msg_len);
    *used = crypto_submit(c, c->vqs[0], req, out_len, 0, in, result_len + 1);
    memcpy(result, in, result_len);
    return in[result_len];
}

static void run_digest(CryptoDev *c, uint32_t service, uint32_t algo,
                       const uint8_t *key, uint32_t key_len,
                       const uint8_t *msg, uint32_t msg_len,
                       const uint8_t *digest, uint32_t digest_len)
{
    uint32_t opcode = service == VIRTIO_CRYPTO_SERVICE_MAC ?
                      VIRTIO_CRYPTO_MAC : VIRTIO_CRYPTO_HASH;
    uint8_t out[80];     /* up to 64 + 1 bytes are asked for */
    uint64_t id;
    uint32_t used;

    g_assert_cmpuint(create_hash_session(c, service, algo, digest_len, key,
                                         key_len, &id), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(hash_request(c, opcode, id, msg, msg_len, digest_len,
                                  out, &used), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpmem(out, digest_len, digest, digest_len);
    g_assert_cmpuint(used, ==, digest_len + 1);
    /* Twice on one session: no state left over from the first request */
    g_assert_cmpuint(hash_request(c, opcode, id, msg, msg_len, digest_len,
                                  out, &used), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpmem(out, digest_len, digest, digest_len);
    /* AMB-14: a shorter hash_result gets the leading bytes */
    g_assert_cmpuint(hash_request(c, opcode, id, msg, msg_len, 12, out,
                                  &used), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpmem(out, 12, digest, 12);
    g_assert_cmpuint(used, ==, 13);
    /* ... and a longer one than the session's is an error */
    g_assert_cmpuint(hash_request(c, opcode, id, msg, msg_len,
                                  digest_len + 1, out, &used),
                     ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(destroy_session(c, service == VIRTIO_CRYPTO_SERVICE_MAC ?
                                     VIRTIO_CRYPTO_MAC_DESTROY_SESSION :
                                     VIRTIO_CRYPTO_HASH_DESTROY_SESSION, id),
                     ==, VIRTIO_CRYPTO_OK);
}

/* DEV-HASH-3/4: every advertised hash, FIPS 180-4 known answers */
static void test_hash(void *obj, void *data, QGuestAllocator *alloc)
{
    uint32_t covered = 0;
    CryptoDev c;
    size_t i;

    crypto_dev_init(&c, obj, alloc);
    for (i = 0; i < G_N_ELEMENTS(hash_vectors); i++) {
        const HashVector *v = &hash_vectors[i];

        if (!service_offered(&c, VIRTIO_CRYPTO_SERVICE_HASH, c.hash_algo,
                             v->algo)) {
            continue;
        }
        run_digest(&c, VIRTIO_CRYPTO_SERVICE_HASH, v->algo, NULL, 0, v->msg,
                   v->msg_len, v->digest, v->digest_len);
        covered |= 1u << v->algo;
    }
    /* Every advertised bit was exercised; an empty mask fails */
    g_assert_cmphex(c.hash_algo, ==, covered);
    g_assert_cmphex(covered, !=, 0);
    crypto_dev_cleanup(&c);
}

/* DEV-MAC-2/3: every advertised HMAC, RFC 2202 / RFC 4231 known answers */
static void test_mac(void *obj, void *data, QGuestAllocator *alloc)
{
    uint32_t covered = 0;
    CryptoDev c;
    size_t i;

    crypto_dev_init(&c, obj, alloc);
    g_assert_cmpuint(c.max_auth_key_len, >=, 131);
    for (i = 0; i < G_N_ELEMENTS(mac_vectors); i++) {
        const MacVector *v = &mac_vectors[i];

        if (!service_offered(&c, VIRTIO_CRYPTO_SERVICE_MAC, c.mac_algo_l,
                             v->algo)) {
            continue;
        }
        run_digest(&c, VIRTIO_CRYPTO_SERVICE_MAC, v->algo, v->key,
                   v->key_len, v->msg, v->msg_len, v->digest, v->digest_len);
        covered |= 1u << v->algo;
    }
    g_assert_cmphex(c.mac_algo_l, ==, covered);
    g_assert_cmphex(covered, !=, 0);
    crypto_dev_cleanup(&c);
}

/* X-2 / AMB-24: a session used by another service's opcode is INVSESS */
static void test_typed_sessions(void *obj, void *data, QGuestAllocator *alloc)
{
    const CipherVector *cv = find_vector("cbc-aes128");
    const MacVector *mv = &mac_vectors[0];
    uint64_t cipher_id, hash_id, mac_id;
    uint8_t out[64];
    uint32_t used;
    CryptoDev c;

    crypto_dev_init(&c, obj, alloc);
    g_assert_cmpuint(create_cipher_session(&c, cv->algo,
                                           VIRTIO_CRYPTO_OP_ENCRYPT, cv->key,
                                           cv->key_len, &cipher_id),
                     ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(create_hash_session(&c, VIRTIO_CRYPTO_SERVICE_HASH,
                                         VIRTIO_CRYPTO_HASH_SHA_256, 32, NULL,
                                         0, &hash_id), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(create_hash_session(&c, VIRTIO_CRYPTO_SERVICE_MAC,
                                         mv->algo, mv->digest_len, mv->key,
                                         mv->key_len, &mac_id),
                     ==, VIRTIO_CRYPTO_OK);

    g_assert_cmpuint(hash_request(&c, VIRTIO_CRYPTO_HASH, cipher_id,
                                  cv->pt, 16, 20, out, &used),
                     ==, VIRTIO_CRYPTO_INVSESS);
    g_assert_cmpuint(hash_request(&c, VIRTIO_CRYPTO_HASH, mac_id,
                                  cv->pt, 16, 20, out, &used),
                     ==, VIRTIO_CRYPTO_INVSESS);
    g_assert_cmpuint(hash_request(&c, VIRTIO_CRYPTO_MAC, hash_id,
                                  cv->pt, 16, 20, out, &used),
                     ==, VIRTIO_CRYPTO_INVSESS);
    g_assert_cmpuint(cipher_request(&c, 0, VIRTIO_CRYPTO_CIPHER_ENCRYPT,
                                    hash_id, cv->iv, cv->iv_len, cv->pt, 16,
                                    out, 0, &used), ==, VIRTIO_CRYPTO_INVSESS);
    g_assert_cmpuint(cipher_request(&c, 0, VIRTIO_CRYPTO_CIPHER_ENCRYPT,
                                    mac_id, cv->iv, cv->iv_len, cv->pt, 16,
                                    out, 0, &used), ==, VIRTIO_CRYPTO_INVSESS);

    /* Destroy through another service's opcode is refused */
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION,
                                     hash_id), ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_HASH_DESTROY_SESSION,
                                     mac_id), ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_MAC_DESTROY_SESSION,
                                     cipher_id), ==, VIRTIO_CRYPTO_ERR);

    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION,
                                     cipher_id), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_HASH_DESTROY_SESSION,
                                     hash_id), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_MAC_DESTROY_SESSION,
                                     mac_id), ==, VIRTIO_CRYPTO_OK);
    crypto_dev_cleanup(&c);
}

static void test_malformed_hash(void *obj, void *data, QGuestAllocator *alloc)
{
    static const uint8_t key[16] = { 1 };
    const uint32_t sha1 = VIRTIO_CRYPTO_HASH_SHA1;
    const uint32_t hsvc = VIRTIO_CRYPTO_SERVICE_HASH;
    const uint32_t msvc = VIRTIO_CRYPTO_SERVICE_MAC;
    g_autofree uint8_t *bigkey = NULL;
    uint64_t id, mac_id;
    uint8_t out[65];
    uint32_t used;
    CryptoDev c;
    RawData r;

    crypto_dev_init(&c, obj, alloc);
    bigkey = g_malloc0(c.max_auth_key_len + 1);

    /* Create: result length 0, above the digest, above any digest */
    g_assert_cmpuint(create_hash_session(&c, hsvc, sha1, 0, NULL, 0, &id),
                     ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(create_hash_session(&c, hsvc, sha1, 21, NULL, 0, &id),
                     ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(create_hash_session(&c, hsvc, sha1, UINT32_MAX, NULL, 0,
                                         &id), ==, VIRTIO_CRYPTO_ERR);
    /* Not offered: MD5, undefined numbers, CMAC-3DES, GMAC (no IV field) */
    g_assert_cmpuint(create_hash_session(&c, hsvc, VIRTIO_CRYPTO_HASH_MD5, 16,
                                         NULL, 0, &id),
                     ==, VIRTIO_CRYPTO_NOTSUPP);
    g_assert_cmpuint(create_hash_session(&c, hsvc, 31, 16, NULL, 0, &id),
                     ==, VIRTIO_CRYPTO_NOTSUPP);
    g_assert_cmpuint(create_hash_session(&c, msvc, VIRTIO_CRYPTO_MAC_CMAC_3DES,
                                         16, key, 16, &id),
                     ==, VIRTIO_CRYPTO_NOTSUPP);
    g_assert_cmpuint(create_hash_session(&c, msvc, VIRTIO_CRYPTO_MAC_GMAC_AES,
                                         16, key, 16, &id),
                     ==, VIRTIO_CRYPTO_NOTSUPP);
    /* MAC key above max_auth_key_len, and a huge announced key */
    g_assert_cmpuint(create_hash_session(&c, msvc,
                                         VIRTIO_CRYPTO_MAC_HMAC_SHA1, 20,
                                         bigkey, c.max_auth_key_len + 1, &id),
                     ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(ctrl_create_raw(&c, VIRTIO_CRYPTO_MAC_CREATE_SESSION,
                                     VIRTIO_CRYPTO_MAC_HMAC_SHA1, 20,
                                     UINT32_MAX, 0, 16, 0, NULL),
                     ==, VIRTIO_CRYPTO_ERR);

    g_assert_cmpuint(create_hash_session(&c, hsvc, sha1, 20, NULL, 0, &id),
                     ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(create_hash_session(&c, msvc,
                                         VIRTIO_CRYPTO_MAC_HMAC_SHA1, 20, key,
                                         16, &mac_id), ==, VIRTIO_CRYPTO_OK);

    /* Data: hash_result_len 0 / above any digest, src over max_size */
    g_assert_cmpuint(hash_request(&c, VIRTIO_CRYPTO_HASH, id, key, 16, 0, out,
                                  &used), ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(hash_request(&c, VIRTIO_CRYPTO_HASH, id, key, 16, 65,
                                  out, &used), ==, VIRTIO_CRYPTO_ERR);
    r = (RawData) {
        .opcode = VIRTIO_CRYPTO_HASH, .session_id = id,
        .iv_len = UINT32_MAX,   /* hash layout: src_data_len */
        .src_len = 20,          /* hash layout: hash_result_len */
        .in_len = 21,
    };
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_ERR);
    r.iv_len = c.max_size;
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_ERR);
    /* src announced but missing, result area too small */
    r.iv_len = 64;
    r.payload_len = 63;
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_ERR);
    r.payload_len = 64;
    r.in_len = 20;
    g_assert_cmpuint(data_raw(&c, &r, &used), ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(used, ==, 1);
    r.in_len = 21;
    g_assert_cmpuint(data_raw(&c, &r, &used), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(used, ==, 21);
    r.opcode = VIRTIO_CRYPTO_MAC;
    r.session_id = mac_id;
    g_assert_cmpuint(data_raw(&c, &r, &used), ==, VIRTIO_CRYPTO_OK);

    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_HASH_DESTROY_SESSION,
                                     id), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_MAC_DESTROY_SESSION,
                                     mac_id), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(hash_request(&c, VIRTIO_CRYPTO_HASH, id, key, 16, 20,
                                  out, &used), ==, VIRTIO_CRYPTO_INVSESS);
    crypto_dev_cleanup(&c);
}

/* ---- Algorithm chaining (CIPHER service) ---- */

#define ORDER_HASH_THEN_CIPHER 1   /* ..._ALG_CHAIN_ORDER_HASH_THEN_CIPHER */
#define ORDER_CIPHER_THEN_HASH 2   /* ..._ALG_CHAIN_ORDER_CIPHER_THEN_HASH */

typedef struct ChainSession {
    uint32_t order;
    uint32_t hash_mode;
    uint32_t op;
    uint32_t hash_algo;
    uint32_t hash_result_len;
    const uint8_t *auth_key;
    uint32_t auth_key_len;
} ChainSession;

/* CIPHER_CREATE_SESSION with alg_chain_session_flf; le32 status */
static uint32_t create_chain_session(CryptoDev *c, const ChainSession *cs,
                                     uint64_t *id)
{
    size_t len = CTRL_REQ_LEN + sizeof(chain_key) + cs->auth_key_len;
    g_autofree uint8_t *req = g_malloc0(len);
    uint8_t out[CREATE_OUT_LEN];

    stl_le_p(req + 0, VIRTIO_CRYPTO_CIPHER_CREATE_SESSION);
    stl_le_p(req + 16 + 0, cs->order);
    stl_le_p(req + 16 + 4, cs->hash_mode);
    stl_le_p(req + 16 + 8, VIRTIO_CRYPTO_CIPHER_AES_CBC);
    stl_le_p(req + 16 + 12, sizeof(chain_key));
    stl_le_p(req + 16 + 16, cs->op);
    stl_le_p(req + 16 + 24, cs->hash_algo);
    stl_le_p(req + 16 + 28, cs->hash_result_len);
    stl_le_p(req + 16 + 32, cs->auth_key_len);
    stl_le_p(req + 16 + 40, sizeof(chain_aad));
    stl_le_p(req + 16 + 48, VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING);
    memcpy(req + CTRL_REQ_LEN, chain_key, sizeof(chain_key));
    if (cs->auth_key_len) {
        memcpy(req + CTRL_REQ_LEN + sizeof(chain_key), cs->auth_key,
               cs->auth_key_len);
    }
    g_assert_cmpuint(crypto_submit(c, c->ctrlq, req, len, 0, out,
                                   sizeof(out)), ==, CREATE_OUT_LEN);
    *id = ldq_le_p(out);
    return ldl_le_p(out + 8);
}

/*
 * Chaining data request: cipher region 16..63, hash region 0..63 unless
 * @hash_len says otherwise.  R iv, src, aad; W dst, hash_result.
 */
static uint8_t chain_request(CryptoDev *c, uint32_t opcode, uint64_t id,
                             const uint8_t *src, uint32_t aad_len,
                             uint32_t cipher_start, uint32_t hash_len,
                             uint32_t hres, uint8_t *out, uint32_t *used)
{
    size_t out_len = DATA_REQ_LEN + 16 + 64 + aad_len;
    g_autofree uint8_t *req = g_malloc0(out_len);
    g_autofree uint8_t *in = g_malloc0(64 + hres + 1);

    stl_le_p(req + 0, opcode);
    stq_le_p(req + 8, id);
    stl_le_p(req + 24 + 0, 16);                 /* iv_len */
    stl_le_p(req + 24 + 4, 64);                 /* src_data_len */
    stl_le_p(req + 24 + 8, 64);                 /* dst_data_len */
    stl_le_p(req + 24 + 12, cipher_start);
    stl_le_p(req + 24 + 16, 64 - cipher_start); /* len_to_cipher */
    stl_le_p(req + 24 + 20, 0);                 /* hash_start_src_offset */
    stl_le_p(req + 24 + 24, hash_len);
    stl_le_p(req + 24 + 28, aad_len);
    stl_le_p(req + 24 + 32, hres);
    stl_le_p(req + 24 + 40, VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING);
    memcpy(req + DATA_REQ_LEN, chain_iv, 16);
    memcpy(req + DATA_REQ_LEN + 16, src, 64);
    memcpy(req + DATA_REQ_LEN + 80, chain_aad, aad_len);
    *used = crypto_submit(c, c->vqs[0], req, out_len, 0, in, 64 + hres + 1);
    memcpy(out, in, 64 + hres);
    return in[64 + hres];
}

/* DEV-SYM-4..7: cipher + HMAC/hash in both orders, with and without aad */
static void test_chaining(void *obj, void *data, QGuestAllocator *alloc)
{
    ChainSession etm = {
        .order = ORDER_CIPHER_THEN_HASH,
        .hash_mode = VIRTIO_CRYPTO_SYM_HASH_MODE_AUTH,
        .op = VIRTIO_CRYPTO_OP_ENCRYPT,
        .hash_algo = VIRTIO_CRYPTO_MAC_HMAC_SHA_256,
        .hash_result_len = 32,
        .auth_key = chain_auth_key,
        .auth_key_len = sizeof(chain_auth_key),
    };
    ChainSession htd = etm;
    ChainSession plain = etm;
    uint8_t out[64 + 64];   /* one test asks for 33 hash bytes */
    uint64_t enc, dec, pid;
    uint32_t used;
    CryptoDev c;

    htd.order = ORDER_HASH_THEN_CIPHER;
    htd.op = VIRTIO_CRYPTO_OP_DECRYPT;
    plain.hash_mode = VIRTIO_CRYPTO_SYM_HASH_MODE_PLAIN;
    plain.hash_algo = VIRTIO_CRYPTO_HASH_SHA_256;
    plain.auth_key = NULL;
    plain.auth_key_len = 0;

    crypto_dev_init(&c, obj, alloc);
    g_assert_cmpuint(create_chain_session(&c, &etm, &enc), ==,
                     VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(create_chain_session(&c, &htd, &dec), ==,
                     VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(create_chain_session(&c, &plain, &pid), ==,
                     VIRTIO_CRYPTO_OK);

    /* Encrypt-then-MAC: dst = ciphertext, hash over aad || dst */
    g_assert_cmpuint(chain_request(&c, VIRTIO_CRYPTO_CIPHER_ENCRYPT, enc,
                                   chain_pt, sizeof(chain_aad), 16, 64, 32,
                                   out, &used), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(used, ==, 64 + 32 + 1);
    g_assert_cmpmem(out, 64, chain_ct, 64);
    g_assert_cmpmem(out + 64, 32, chain_hmac, 32);

    /* Hash-then-decrypt: the same MAC over aad || src, then plaintext */
    g_assert_cmpuint(chain_request(&c, VIRTIO_CRYPTO_CIPHER_DECRYPT, dec,
                                   chain_ct, sizeof(chain_aad), 16, 64, 32,
                                   out, &used), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpmem(out, 64, chain_pt, 64);
    g_assert_cmpmem(out + 64, 32, chain_hmac, 32);

    /* PLAIN hash mode, no aad (DEV-SYM-6) */
    g_assert_cmpuint(chain_request(&c, VIRTIO_CRYPTO_CIPHER_ENCRYPT, pid,
                                   chain_pt, 0, 16, 64, 32, out, &used),
                     ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpmem(out, 64, chain_ct, 64);
    g_assert_cmpmem(out + 64, 32, chain_sha256_noaad, 32);

    /* Regions outside src, direction, result length, session kinds */
    g_assert_cmpuint(chain_request(&c, VIRTIO_CRYPTO_CIPHER_ENCRYPT, enc,
                                   chain_pt, 16, 16, 65, 32, out, &used),
                     ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(chain_request(&c, VIRTIO_CRYPTO_CIPHER_ENCRYPT, enc,
                                   chain_pt, 16, 65, 64, 32, out, &used),
                     ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(chain_request(&c, VIRTIO_CRYPTO_CIPHER_ENCRYPT, enc,
                                   chain_pt, 16, 8, 64, 32, out, &used),
                     ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(chain_request(&c, VIRTIO_CRYPTO_CIPHER_DECRYPT, enc,
                                   chain_ct, 16, 16, 64, 32, out, &used),
                     ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(chain_request(&c, VIRTIO_CRYPTO_CIPHER_ENCRYPT, pid,
                                   chain_pt, 0, 16, 64, 33, out, &used),
                     ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(cipher_request(&c, 0, VIRTIO_CRYPTO_CIPHER_ENCRYPT, enc,
                                    chain_iv, 16, chain_pt, 64, out, 0,
                                    &used), ==, VIRTIO_CRYPTO_INVSESS);
    {
        uint64_t cbc_id = cbc_session(&c, VIRTIO_CRYPTO_OP_ENCRYPT);

        g_assert_cmpuint(chain_request(&c, VIRTIO_CRYPTO_CIPHER_ENCRYPT,
                                       cbc_id, chain_pt, 16, 16, 64, 32, out,
                                       &used), ==, VIRTIO_CRYPTO_INVSESS);
        g_assert_cmpuint(destroy_session(&c,
                                         VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION,
                                         cbc_id), ==, VIRTIO_CRYPTO_OK);
    }

    /* Create: NESTED mode (AMB-19), bad order, hash not offered */
    plain.hash_mode = VIRTIO_CRYPTO_SYM_HASH_MODE_NESTED;
    g_assert_cmpuint(create_chain_session(&c, &plain, &pid), ==,
                     VIRTIO_CRYPTO_NOTSUPP);
    plain.hash_mode = VIRTIO_CRYPTO_SYM_HASH_MODE_PLAIN;
    plain.order = 3;
    g_assert_cmpuint(create_chain_session(&c, &plain, &pid), ==,
                     VIRTIO_CRYPTO_ERR);
    plain.order = ORDER_CIPHER_THEN_HASH;
    plain.hash_algo = VIRTIO_CRYPTO_HASH_MD5;
    g_assert_cmpuint(create_chain_session(&c, &plain, &pid), ==,
                     VIRTIO_CRYPTO_NOTSUPP);
    etm.auth_key_len = c.max_auth_key_len + 1;
    etm.auth_key = g_malloc0(etm.auth_key_len);
    g_assert_cmpuint(create_chain_session(&c, &etm, &pid), ==,
                     VIRTIO_CRYPTO_ERR);
    g_free((void *)etm.auth_key);

    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION,
                                     enc), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION,
                                     dec), ==, VIRTIO_CRYPTO_OK);
    crypto_dev_cleanup(&c);
}

/* ---- AEAD service ---- */

/* AEAD_CREATE_SESSION; returns the le32 status */
static uint32_t create_aead_session(CryptoDev *c, uint32_t algo, uint32_t op,
                                    const uint8_t *key, uint32_t key_len,
                                    uint32_t tag_len, uint32_t aad_len,
                                    uint64_t *id)
{
    g_autofree uint8_t *req = g_malloc0(CTRL_REQ_LEN + key_len);
    uint8_t out[CREATE_OUT_LEN];

    stl_le_p(req + 0, VIRTIO_CRYPTO_AEAD_CREATE_SESSION);
    stl_le_p(req + 4, algo);
    stl_le_p(req + 16 + 0, algo);
    stl_le_p(req + 16 + 4, key_len);
    stl_le_p(req + 16 + 8, tag_len);
    stl_le_p(req + 16 + 12, aad_len);
    stl_le_p(req + 16 + 16, op);
    memcpy(req + CTRL_REQ_LEN, key, key_len);
    g_assert_cmpuint(crypto_submit(c, c->ctrlq, req, CTRL_REQ_LEN + key_len,
                                   0, out, sizeof(out)), ==, CREATE_OUT_LEN);
    *id = ldq_le_p(out);
    return ldl_le_p(out + 8);
}

/*
 * AEAD data request, legacy layout: R iv, src, aad (AMB-10); W dst.
 * @tag_len 0 lets the session's tag length apply (AMB-15).  @dst gets
 * @dst_len bytes of the writable area; returns the status byte.
 */
static uint8_t aead_request(CryptoDev *c, uint32_t opcode, uint64_t id,
                            const uint8_t *iv, uint32_t iv_len,
                            const uint8_t *aad, uint32_t aad_len,
                            const uint8_t *src, uint32_t src_len,
                            uint32_t dst_len, uint32_t tag_len,
                            uint8_t *dst, uint32_t *used)
{
    size_t out_len = DATA_REQ_LEN + iv_len + src_len + aad_len;
    g_autofree uint8_t *req = g_malloc0(out_len);
    g_autofree uint8_t *in = g_malloc0(dst_len + 1);
    uint8_t *p = req + DATA_REQ_LEN;

    stl_le_p(req + 0, opcode);
    stq_le_p(req + 8, id);
    stl_le_p(req + 24 + 0, iv_len);
    stl_le_p(req + 24 + 4, aad_len);
    stl_le_p(req + 24 + 8, src_len);
    stl_le_p(req + 24 + 12, dst_len);
    stl_le_p(req + 24 + 16, tag_len);
    memcpy(p, iv, iv_len);
    p += iv_len;
    memcpy(p, src, src_len);
    p += src_len;
    if (aad_len) {
        memcpy(p, aad, aad_len);
    }
    *used = crypto_submit(c, c->vqs[0], req, out_len, 0, in, dst_len + 1);
    memcpy(dst, in, dst_len);
    return in[dst_len];
}

/* Every one of the @len bytes at @p is @val */
static bool bytes_all(const uint8_t *p, size_t len, uint8_t val)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (p[i] != val) {
            return false;
        }
    }
    return true;
}

/* DEV-AEAD-2..5: every advertised AEAD, encrypt, decrypt, forged tag */
static void test_aead(void *obj, void *data, QGuestAllocator *alloc)
{
    uint32_t covered = 0;
    CryptoDev c;
    size_t i;

    crypto_dev_init(&c, obj, alloc);
    for (i = 0; i < G_N_ELEMENTS(aead_vectors); i++) {
        const AeadVector *v = &aead_vectors[i];
        uint32_t ct_len = v->len + v->tag_len;
        g_autofree uint8_t *out = g_malloc0(ct_len);
        g_autofree uint8_t *forged = g_memdup2(v->ct_tag, ct_len);
        uint64_t enc, dec;
        uint32_t used;

        if (!service_offered(&c, VIRTIO_CRYPTO_SERVICE_AEAD, c.aead_algo,
                             v->algo)) {
            continue;
        }
        g_assert_cmpuint(create_aead_session(&c, v->algo,
                                             VIRTIO_CRYPTO_OP_ENCRYPT, v->key,
                                             v->key_len, v->tag_len,
                                             v->aad_len, &enc),
                         ==, VIRTIO_CRYPTO_OK);
        g_assert_cmpuint(create_aead_session(&c, v->algo,
                                             VIRTIO_CRYPTO_OP_DECRYPT, v->key,
                                             v->key_len, v->tag_len,
                                             v->aad_len, &dec),
                         ==, VIRTIO_CRYPTO_OK);

        /* Encrypt: dst = ciphertext || tag, tag length from the session */
        g_assert_cmpuint(aead_request(&c, VIRTIO_CRYPTO_AEAD_ENCRYPT, enc,
                                      v->iv, v->iv_len, v->aad, v->aad_len,
                                      v->pt, v->len, ct_len, 0, out, &used),
                         ==, VIRTIO_CRYPTO_OK);
        g_assert_cmpmem(out, ct_len, v->ct_tag, ct_len);
        g_assert_cmpuint(used, ==, ct_len + 1);
        /* ... and with the tag length in the request */
        g_assert_cmpuint(aead_request(&c, VIRTIO_CRYPTO_AEAD_ENCRYPT, enc,
                                      v->iv, v->iv_len, v->aad, v->aad_len,
                                      v->pt, v->len, ct_len, v->tag_len, out,
                                      &used), ==, VIRTIO_CRYPTO_OK);
        g_assert_cmpmem(out, ct_len, v->ct_tag, ct_len);

        /* Decrypt (AMB-11): src = ciphertext || tag, dst = plaintext */
        g_assert_cmpuint(aead_request(&c, VIRTIO_CRYPTO_AEAD_DECRYPT, dec,
                                      v->iv, v->iv_len, v->aad, v->aad_len,
                                      v->ct_tag, ct_len, v->len, 0, out,
                                      &used), ==, VIRTIO_CRYPTO_OK);
        g_assert_cmpmem(out, v->len, v->pt, v->len);
        g_assert_cmpuint(used, ==, v->len + 1);
        /* AMB-4: a dst larger than the plaintext gets a zeroed tail */
        g_assert_cmpuint(aead_request(&c, VIRTIO_CRYPTO_AEAD_DECRYPT, dec,
                                      v->iv, v->iv_len, v->aad, v->aad_len,
                                      v->ct_tag, ct_len, ct_len, 0, out,
                                      &used), ==, VIRTIO_CRYPTO_OK);
        g_assert_cmpmem(out, v->len, v->pt, v->len);
        g_assert_true(bytes_all(out + v->len, v->tag_len, 0));
        g_assert_cmpuint(used, ==, v->len + 1);

        /*
         * A forged tag is BADMSG and no plaintext reaches the guest: dst
         * (poisoned with 0xa5 before the request) is left alone or, when
         * the device decrypted in place, zeroed
         */
        forged[ct_len - 1] ^= 1;
        memset(out, 0, v->len);
        g_assert_cmpuint(aead_request(&c, VIRTIO_CRYPTO_AEAD_DECRYPT, dec,
                                      v->iv, v->iv_len, v->aad, v->aad_len,
                                      forged, ct_len, v->len, 0, out, &used),
                         ==, VIRTIO_CRYPTO_BADMSG);
        g_assert_cmpuint(used, ==, 1);
        g_assert_true(bytes_all(out, v->len, 0xa5) ||
                      bytes_all(out, v->len, 0));
        /* Changed AAD fails too */
        if (v->aad_len) {
            g_assert_cmpuint(aead_request(&c, VIRTIO_CRYPTO_AEAD_DECRYPT, dec,
                                          v->iv, v->iv_len, v->aad,
                                          v->aad_len - 1, v->ct_tag, ct_len,
                                          v->len, 0, out, &used),
                             ==, VIRTIO_CRYPTO_BADMSG);
        }

        g_assert_cmpuint(destroy_session(&c,
                                         VIRTIO_CRYPTO_AEAD_DESTROY_SESSION,
                                         enc), ==, VIRTIO_CRYPTO_OK);
        g_assert_cmpuint(destroy_session(&c,
                                         VIRTIO_CRYPTO_AEAD_DESTROY_SESSION,
                                         dec), ==, VIRTIO_CRYPTO_OK);
        covered |= 1u << v->algo;
    }
    g_assert_cmphex(c.aead_algo, ==, covered);
    g_assert_cmphex(covered, !=, 0);
    crypto_dev_cleanup(&c);
}

static void test_malformed_aead(void *obj, void *data, QGuestAllocator *alloc)
{
    static const uint8_t zero_key[32];
    const AeadVector *v = &aead_vectors[0];     /* AES-128-GCM */
    uint32_t ct_len = v->len + v->tag_len;
    g_autofree uint8_t *out = g_malloc0(ct_len + 64);
    uint64_t enc, dec, id;
    uint32_t used;
    CryptoDev c;
    RawData r;

    crypto_dev_init(&c, obj, alloc);
    /* Create: bad tag lengths, key sizes, direction, algorithms */
    g_assert_cmpuint(create_aead_session(&c, v->algo, VIRTIO_CRYPTO_OP_ENCRYPT,
                                         v->key, v->key_len, 5, 0, &id),
                     ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(create_aead_session(&c, v->algo, VIRTIO_CRYPTO_OP_ENCRYPT,
                                         v->key, v->key_len, 0, 0, &id),
                     ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(create_aead_session(&c, v->algo, VIRTIO_CRYPTO_OP_ENCRYPT,
                                         v->key, v->key_len, 17, 0, &id),
                     ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(create_aead_session(&c, v->algo, VIRTIO_CRYPTO_OP_ENCRYPT,
                                         zero_key, 20, 16, 0, &id),
                     ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(create_aead_session(&c, v->algo, 0, v->key, v->key_len,
                                         16, 0, &id), ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(create_aead_session(&c, 0, VIRTIO_CRYPTO_OP_ENCRYPT,
                                         v->key, v->key_len, 16, 0, &id),
                     ==, VIRTIO_CRYPTO_NOTSUPP);
    g_assert_cmpuint(create_aead_session(&c, 4, VIRTIO_CRYPTO_OP_ENCRYPT,
                                         v->key, v->key_len, 16, 0, &id),
                     ==, VIRTIO_CRYPTO_NOTSUPP);
    {
        /* A huge key_len with a valid rest, and no key bytes at all */
        uint8_t req[CTRL_REQ_LEN] = { 0 };
        uint8_t res[CREATE_OUT_LEN];

        stl_le_p(req + 0, VIRTIO_CRYPTO_AEAD_CREATE_SESSION);
        stl_le_p(req + 16 + 0, v->algo);
        stl_le_p(req + 16 + 4, UINT32_MAX);
        stl_le_p(req + 16 + 8, 16);
        stl_le_p(req + 16 + 16, VIRTIO_CRYPTO_OP_ENCRYPT);
        crypto_submit(&c, c.ctrlq, req, sizeof(req), 0, res, sizeof(res));
        g_assert_cmpuint(ldl_le_p(res + 8), ==, VIRTIO_CRYPTO_ERR);
        /* key_len 16 announced, key missing */
        stl_le_p(req + 16 + 4, 16);
        crypto_submit(&c, c.ctrlq, req, sizeof(req), 0, res, sizeof(res));
        g_assert_cmpuint(ldl_le_p(res + 8), ==, VIRTIO_CRYPTO_ERR);
    }
    /* ChaCha20-Poly1305 takes only 32-byte keys and 16-byte tags */
    g_assert_cmpuint(create_aead_session(&c,
                                         VIRTIO_CRYPTO_AEAD_CHACHA20_POLY1305,
                                         VIRTIO_CRYPTO_OP_ENCRYPT, v->key, 16,
                                         16, 0, &id), ==, VIRTIO_CRYPTO_ERR);

    g_assert_cmpuint(create_aead_session(&c, v->algo, VIRTIO_CRYPTO_OP_ENCRYPT,
                                         v->key, v->key_len, v->tag_len,
                                         v->aad_len, &enc),
                     ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(create_aead_session(&c, v->algo, VIRTIO_CRYPTO_OP_DECRYPT,
                                         v->key, v->key_len, v->tag_len,
                                         v->aad_len, &dec),
                     ==, VIRTIO_CRYPTO_OK);

    /* dst too small for ciphertext || tag */
    g_assert_cmpuint(aead_request(&c, VIRTIO_CRYPTO_AEAD_ENCRYPT, enc, v->iv,
                                  v->iv_len, v->aad, v->aad_len, v->pt,
                                  v->len, ct_len - 1, 0, out, &used),
                     ==, VIRTIO_CRYPTO_ERR);
    /* a larger dst is fine: only ciphertext || tag is written (AMB-4) */
    g_assert_cmpuint(aead_request(&c, VIRTIO_CRYPTO_AEAD_ENCRYPT, enc, v->iv,
                                  v->iv_len, v->aad, v->aad_len, v->pt,
                                  v->len, ct_len + 64, 0, out, &used),
                     ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(used, ==, ct_len + 1);
    g_assert_cmpmem(out, ct_len, v->ct_tag, ct_len);
    /* decrypt: src shorter than the tag, dst too small */
    g_assert_cmpuint(aead_request(&c, VIRTIO_CRYPTO_AEAD_DECRYPT, dec, v->iv,
                                  v->iv_len, v->aad, v->aad_len, v->ct_tag,
                                  v->tag_len - 1, 16, 0, out, &used),
                     ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(aead_request(&c, VIRTIO_CRYPTO_AEAD_DECRYPT, dec, v->iv,
                                  v->iv_len, v->aad, v->aad_len, v->ct_tag,
                                  ct_len, v->len - 1, 0, out, &used),
                     ==, VIRTIO_CRYPTO_ERR);
    /* Direction contradicts the session (AMB-14) */
    g_assert_cmpuint(aead_request(&c, VIRTIO_CRYPTO_AEAD_DECRYPT, enc, v->iv,
                                  v->iv_len, v->aad, v->aad_len, v->ct_tag,
                                  ct_len, v->len, 0, out, &used),
                     ==, VIRTIO_CRYPTO_ERR);
    /* Bad request tag length, empty GCM IV, unknown session */
    g_assert_cmpuint(aead_request(&c, VIRTIO_CRYPTO_AEAD_ENCRYPT, enc, v->iv,
                                  v->iv_len, v->aad, v->aad_len, v->pt,
                                  v->len, ct_len + 4, 17, out, &used),
                     ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(aead_request(&c, VIRTIO_CRYPTO_AEAD_ENCRYPT, enc, v->iv,
                                  v->iv_len, v->aad, v->aad_len, v->pt,
                                  v->len, ct_len + 4, 5, out, &used),
                     ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(aead_request(&c, VIRTIO_CRYPTO_AEAD_ENCRYPT, enc, v->iv,
                                  0, v->aad, v->aad_len, v->pt, v->len,
                                  ct_len, 0, out, &used),
                     ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(aead_request(&c, VIRTIO_CRYPTO_AEAD_ENCRYPT, enc + 1000,
                                  v->iv, v->iv_len, v->aad, v->aad_len,
                                  v->pt, v->len, ct_len, 0, out, &used),
                     ==, VIRTIO_CRYPTO_INVSESS);
    /* Lengths: aad / iv over the limits, aad missing from the chain */
    r = (RawData) {
        .opcode = VIRTIO_CRYPTO_AEAD_ENCRYPT, .session_id = enc,
        .iv_len = 12,           /* aead layout: iv_len */
        .src_len = UINT32_MAX,  /* aead layout: src_len (offset 8) */
        .dst_len = 16,          /* aead layout: dst_len (offset 12) */
        .in_len = 17,
    };
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_ERR);
    r.iv_len = 2000;
    r.src_len = 0;
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_ERR);
    {
        /* 8 bytes of aad announced but missing from the chain */
        uint8_t req[DATA_REQ_LEN + 16] = { 0 };
        uint8_t st;

        stl_le_p(req + 0, VIRTIO_CRYPTO_AEAD_ENCRYPT);
        stq_le_p(req + 8, enc);
        stl_le_p(req + 24 + 0, 12);     /* iv_len */
        stl_le_p(req + 24 + 4, 8);      /* aad_len: missing */
        stl_le_p(req + 24 + 8, 4);      /* src_len */
        stl_le_p(req + 24 + 12, 20);    /* dst_len */
        crypto_submit(&c, c.vqs[0], req, sizeof(req), 0, out, 21);
        st = out[20];
        g_assert_cmpuint(st, ==, VIRTIO_CRYPTO_ERR);
    }
    /* AEAD session with a cipher opcode and vice versa (X-2) */
    g_assert_cmpuint(cipher_request(&c, 0, VIRTIO_CRYPTO_CIPHER_ENCRYPT, enc,
                                    zero_key, 16, v->pt, 16, out, 0, &used),
                     ==, VIRTIO_CRYPTO_INVSESS);
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION,
                                     enc), ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_AEAD_DESTROY_SESSION,
                                     enc), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_AEAD_DESTROY_SESSION,
                                     dec), ==, VIRTIO_CRYPTO_OK);
    crypto_dev_cleanup(&c);
}

/* ---- AKCIPHER service (RSA, ECDSA) ---- */

#define AKC_ECDSA           2   /* AMB-1: the spec's number */
#define AKC_PUBLIC          VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PUBLIC
#define AKC_PRIVATE         VIRTIO_CRYPTO_AKCIPHER_KEY_TYPE_PRIVATE

/*
 * AKCIPHER_CREATE_SESSION: @para1 is the RSA padding or the ECDSA curve,
 * @para2 the RSA hash.  Returns the le32 status.
 */
static uint32_t create_akc_session(CryptoDev *c, uint32_t algo,
                                   uint32_t key_type, uint32_t para1,
                                   uint32_t para2, const uint8_t *key,
                                   uint32_t key_len, uint64_t *id)
{
    g_autofree uint8_t *req = g_malloc0(CTRL_REQ_LEN + key_len);
    uint8_t out[CREATE_OUT_LEN];

    stl_le_p(req + 0, VIRTIO_CRYPTO_AKCIPHER_CREATE_SESSION);
    stl_le_p(req + 4, algo);
    stl_le_p(req + 16 + 0, algo);
    stl_le_p(req + 16 + 4, key_type);
    stl_le_p(req + 16 + 8, key_len);
    stl_le_p(req + 16 + 12, para1);
    stl_le_p(req + 16 + 16, para2);
    memcpy(req + CTRL_REQ_LEN, key, key_len);
    g_assert_cmpuint(crypto_submit(c, c->ctrlq, req, CTRL_REQ_LEN + key_len,
                                   0, out, sizeof(out)), ==, CREATE_OUT_LEN);
    *id = ldq_le_p(out);
    return ldl_le_p(out + 8);
}

/* Encrypt, decrypt or sign: R src; W dst (dst_len) */
static uint8_t akc_request(CryptoDev *c, uint32_t opcode, uint64_t id,
                           const uint8_t *src, uint32_t src_len,
                           uint32_t dst_len, uint8_t *dst, uint32_t *used)
{
    size_t out_len = DATA_REQ_LEN + src_len;
    g_autofree uint8_t *req = g_malloc0(out_len);
    g_autofree uint8_t *in = g_malloc0(dst_len + 1);

    stl_le_p(req + 0, opcode);
    stq_le_p(req + 8, id);
    stl_le_p(req + 24 + 0, src_len);
    stl_le_p(req + 24 + 4, dst_len);
    memcpy(req + DATA_REQ_LEN, src, src_len);
    *used = crypto_submit(c, c->vqs[0], req, out_len, 0, in, dst_len + 1);
    memcpy(dst, in, dst_len);
    return in[dst_len];
}

/* Verify: R signature || digest; W status only */
static uint8_t akc_verify(CryptoDev *c, uint64_t id, const uint8_t *sig,
                          uint32_t sig_len, const uint8_t *digest,
                          uint32_t digest_len)
{
    size_t out_len = DATA_REQ_LEN + sig_len + digest_len;
    g_autofree uint8_t *req = g_malloc0(out_len);
    uint8_t status;

    stl_le_p(req + 0, VIRTIO_CRYPTO_AKCIPHER_VERIFY);
    stq_le_p(req + 8, id);
    stl_le_p(req + 24 + 0, sig_len);
    stl_le_p(req + 24 + 4, digest_len);
    memcpy(req + DATA_REQ_LEN, sig, sig_len);
    memcpy(req + DATA_REQ_LEN + sig_len, digest, digest_len);
    g_assert_cmpuint(crypto_submit(c, c->vqs[0], req, out_len, 0, &status,
                                   1), ==, 1);
    return status;
}

static void destroy_akc(CryptoDev *c, uint64_t id)
{
    g_assert_cmpuint(destroy_session(c, VIRTIO_CRYPTO_AKCIPHER_DESTROY_SESSION,
                                     id), ==, VIRTIO_CRYPTO_OK);
}

/* DEV-AKC-2/3, checklist 7.2: RSA raw and PKCS#1 v1.5 */
static void test_rsa(void *obj, void *data, QGuestAllocator *alloc)
{
    uint8_t out[128], bad[128];
    uint64_t pub_raw, priv_raw, pub_pk, priv_pk, priv_nohash, pub_nohash;
    uint32_t used;
    CryptoDev c;
    size_t i;

    crypto_dev_init(&c, obj, alloc);
    g_assert_true(service_offered(&c, VIRTIO_CRYPTO_SERVICE_AKCIPHER,
                                  c.akcipher_algo,
                                  VIRTIO_CRYPTO_AKCIPHER_RSA));
    g_assert_cmpuint(create_akc_session(&c, VIRTIO_CRYPTO_AKCIPHER_RSA,
                                        AKC_PUBLIC,
                                        VIRTIO_CRYPTO_RSA_RAW_PADDING, 0,
                                        rsa_pub_der, sizeof(rsa_pub_der),
                                        &pub_raw), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(create_akc_session(&c, VIRTIO_CRYPTO_AKCIPHER_RSA,
                                        AKC_PRIVATE,
                                        VIRTIO_CRYPTO_RSA_RAW_PADDING, 0,
                                        rsa_priv_der, sizeof(rsa_priv_der),
                                        &priv_raw), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(create_akc_session(&c, VIRTIO_CRYPTO_AKCIPHER_RSA,
                                        AKC_PUBLIC,
                                        VIRTIO_CRYPTO_RSA_PKCS1_PADDING,
                                        VIRTIO_CRYPTO_RSA_SHA256, rsa_pub_der,
                                        sizeof(rsa_pub_der), &pub_pk),
                     ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(create_akc_session(&c, VIRTIO_CRYPTO_AKCIPHER_RSA,
                                        AKC_PRIVATE,
                                        VIRTIO_CRYPTO_RSA_PKCS1_PADDING,
                                        VIRTIO_CRYPTO_RSA_SHA256,
                                        rsa_priv_der, sizeof(rsa_priv_der),
                                        &priv_pk), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(create_akc_session(&c, VIRTIO_CRYPTO_AKCIPHER_RSA,
                                        AKC_PRIVATE,
                                        VIRTIO_CRYPTO_RSA_PKCS1_PADDING,
                                        VIRTIO_CRYPTO_RSA_NO_HASH,
                                        rsa_priv_der, sizeof(rsa_priv_der),
                                        &priv_nohash), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(create_akc_session(&c, VIRTIO_CRYPTO_AKCIPHER_RSA,
                                        AKC_PUBLIC,
                                        VIRTIO_CRYPTO_RSA_PKCS1_PADDING,
                                        VIRTIO_CRYPTO_RSA_NO_HASH,
                                        rsa_pub_der, sizeof(rsa_pub_der),
                                        &pub_nohash), ==, VIRTIO_CRYPTO_OK);

    /* RAW: m^e mod n and back */
    g_assert_cmpuint(akc_request(&c, VIRTIO_CRYPTO_AKCIPHER_ENCRYPT, pub_raw,
                                 rsa_raw_m, 128, 128, out, &used),
                     ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpmem(out, 128, rsa_raw_c, 128);
    g_assert_cmpuint(used, ==, 129);
    g_assert_cmpuint(akc_request(&c, VIRTIO_CRYPTO_AKCIPHER_DECRYPT, priv_raw,
                                 rsa_raw_c, 128, 128, out, &used),
                     ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpmem(out, 128, rsa_raw_m, 128);

    /* PKCS#1 v1.5 signature: deterministic, so a known answer */
    g_assert_cmpuint(akc_request(&c, VIRTIO_CRYPTO_AKCIPHER_SIGN, priv_pk,
                                 rsa_sha256_digest, 32, 128, out, &used),
                     ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpmem(out, 128, rsa_pkcs1_sig, 128);
    g_assert_cmpuint(akc_verify(&c, pub_pk, rsa_pkcs1_sig, 128,
                                rsa_sha256_digest, 32), ==, VIRTIO_CRYPTO_OK);
    /* AMB-20: a signature that does not match is KEY_REJECTED */
    memcpy(bad, rsa_pkcs1_sig, 128);
    bad[64] ^= 0x10;
    g_assert_cmpuint(akc_verify(&c, pub_pk, bad, 128, rsa_sha256_digest, 32),
                     ==, VIRTIO_CRYPTO_KEY_REJECTED);
    memcpy(bad, rsa_sha256_digest, 32);
    bad[0] ^= 1;
    g_assert_cmpuint(akc_verify(&c, pub_pk, rsa_pkcs1_sig, 128, bad, 32),
                     ==, VIRTIO_CRYPTO_KEY_REJECTED);

    /* PKCS#1 decrypt (AMB-4): output shorter than dst, rest zero */
    g_assert_cmpuint(akc_request(&c, VIRTIO_CRYPTO_AKCIPHER_DECRYPT,
                                 priv_nohash, rsa_pkcs1_ct, 128, 128, out,
                                 &used), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(used, ==, 13 + 1);
    g_assert_cmpmem(out, 13, "hello, virtio", 13);
    for (i = 13; i < 128; i++) {
        g_assert_cmpuint(out[i], ==, 0);
    }
    /* PKCS#1 encrypt is randomized: round trip through the device */
    g_assert_cmpuint(akc_request(&c, VIRTIO_CRYPTO_AKCIPHER_ENCRYPT,
                                 pub_nohash, (const uint8_t *)"hi", 2, 128,
                                 out, &used), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(used, ==, 129);
    memcpy(bad, out, 128);
    g_assert_cmpuint(akc_request(&c, VIRTIO_CRYPTO_AKCIPHER_DECRYPT,
                                 priv_nohash, bad, 128, 128, out, &used),
                     ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(used, ==, 3);
    g_assert_cmpmem(out, 2, "hi", 2);

    /* INL-CTRL-5: RAW never signs; AMB-8: a public key never decrypts */
    g_assert_cmpuint(akc_request(&c, VIRTIO_CRYPTO_AKCIPHER_SIGN, priv_raw,
                                 rsa_sha256_digest, 32, 128, out, &used),
                     ==, VIRTIO_CRYPTO_NOTSUPP);
    g_assert_cmpuint(akc_verify(&c, pub_raw, rsa_pkcs1_sig, 128,
                                rsa_sha256_digest, 32),
                     ==, VIRTIO_CRYPTO_NOTSUPP);
    g_assert_cmpuint(akc_request(&c, VIRTIO_CRYPTO_AKCIPHER_DECRYPT, pub_raw,
                                 rsa_raw_c, 128, 128, out, &used),
                     ==, VIRTIO_CRYPTO_NOTSUPP);
    g_assert_cmpuint(akc_request(&c, VIRTIO_CRYPTO_AKCIPHER_SIGN, pub_pk,
                                 rsa_sha256_digest, 32, 128, out, &used),
                     ==, VIRTIO_CRYPTO_NOTSUPP);
    /* PKCS#1 without a hash: no signatures */
    g_assert_cmpuint(akc_request(&c, VIRTIO_CRYPTO_AKCIPHER_SIGN, priv_nohash,
                                 rsa_sha256_digest, 32, 128, out, &used),
                     ==, VIRTIO_CRYPTO_NOTSUPP);
    /* dst too small for the modulus */
    g_assert_cmpuint(akc_request(&c, VIRTIO_CRYPTO_AKCIPHER_ENCRYPT, pub_raw,
                                 rsa_raw_m, 128, 64, out, &used),
                     ==, VIRTIO_CRYPTO_ERR);

    destroy_akc(&c, pub_raw);
    destroy_akc(&c, priv_raw);
    destroy_akc(&c, pub_pk);
    destroy_akc(&c, priv_pk);
    destroy_akc(&c, priv_nohash);
    destroy_akc(&c, pub_nohash);
    crypto_dev_cleanup(&c);
}

/* Checklist 7.3: ECDSA P-256 sign and verify, algorithm 2 (AMB-1) */
static void test_ecdsa(void *obj, void *data, QGuestAllocator *alloc)
{
    uint8_t sig[80], bad[32];
    uint64_t pub, priv, id;
    uint32_t used;
    CryptoDev c;

    crypto_dev_init(&c, obj, alloc);
    g_assert_true(service_offered(&c, VIRTIO_CRYPTO_SERVICE_AKCIPHER,
                                  c.akcipher_algo, AKC_ECDSA));
    g_assert_cmpuint(create_akc_session(&c, AKC_ECDSA, AKC_PUBLIC,
                                        VIRTIO_CRYPTO_CURVE_NIST_P256, 0,
                                        ecdsa_pub_point,
                                        sizeof(ecdsa_pub_point), &pub),
                     ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(create_akc_session(&c, AKC_ECDSA, AKC_PRIVATE,
                                        VIRTIO_CRYPTO_CURVE_NIST_P256, 0,
                                        ecdsa_priv_der,
                                        sizeof(ecdsa_priv_der), &priv),
                     ==, VIRTIO_CRYPTO_OK);

    /* A signature made elsewhere verifies; a changed digest does not */
    g_assert_cmpuint(akc_verify(&c, pub, ecdsa_sig_der, sizeof(ecdsa_sig_der),
                                rsa_sha256_digest, 32), ==, VIRTIO_CRYPTO_OK);
    memcpy(bad, rsa_sha256_digest, 32);
    bad[31] ^= 1;
    g_assert_cmpuint(akc_verify(&c, pub, ecdsa_sig_der, sizeof(ecdsa_sig_der),
                                bad, 32), ==, VIRTIO_CRYPTO_KEY_REJECTED);

    /* AMB-20: a malformed (not DER) signature is ERR, not KEY_REJECTED */
    memset(sig, 0xff, sizeof(ecdsa_sig_der));
    g_assert_cmpuint(akc_verify(&c, pub, sig, sizeof(ecdsa_sig_der),
                                rsa_sha256_digest, 32), ==, VIRTIO_CRYPTO_ERR);

    /* Sign (randomized, DER, shorter than dst: AMB-4), then verify it */
    g_assert_cmpuint(akc_request(&c, VIRTIO_CRYPTO_AKCIPHER_SIGN, priv,
                                 rsa_sha256_digest, 32, sizeof(sig), sig,
                                 &used), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(used, >=, 8 + 1);
    g_assert_cmpuint(used, <=, 72 + 1);
    g_assert_cmpuint(sig[0], ==, 0x30);
    g_assert_cmpuint(akc_verify(&c, pub, sig, used - 1, rsa_sha256_digest,
                                32), ==, VIRTIO_CRYPTO_OK);

    /* ECDSA has no encrypt/decrypt */
    g_assert_cmpuint(akc_request(&c, VIRTIO_CRYPTO_AKCIPHER_ENCRYPT, pub,
                                 rsa_sha256_digest, 32, 64, sig, &used),
                     ==, VIRTIO_CRYPTO_NOTSUPP);
    /* AMB-1: the Linux number 3 and unsupported curves are NOTSUPP */
    g_assert_cmpuint(create_akc_session(&c, 3, AKC_PUBLIC,
                                        VIRTIO_CRYPTO_CURVE_NIST_P256, 0,
                                        ecdsa_pub_point,
                                        sizeof(ecdsa_pub_point), &id),
                     ==, VIRTIO_CRYPTO_NOTSUPP);
    g_assert_cmpuint(create_akc_session(&c, AKC_ECDSA, AKC_PUBLIC,
                                        VIRTIO_CRYPTO_CURVE_NIST_P192, 0,
                                        ecdsa_pub_point,
                                        sizeof(ecdsa_pub_point), &id),
                     ==, VIRTIO_CRYPTO_NOTSUPP);
    /* AMB-7: a point that is not on the curve is refused */
    memcpy(sig, ecdsa_pub_point, sizeof(ecdsa_pub_point));
    sig[40] ^= 1;
    g_assert_cmpuint(create_akc_session(&c, AKC_ECDSA, AKC_PUBLIC,
                                        VIRTIO_CRYPTO_CURVE_NIST_P256, 0,
                                        sig, sizeof(ecdsa_pub_point), &id),
                     ==, VIRTIO_CRYPTO_ERR);
    destroy_akc(&c, pub);
    destroy_akc(&c, priv);
    crypto_dev_cleanup(&c);
}

static void test_malformed_akcipher(void *obj, void *data,
                                    QGuestAllocator *alloc)
{
    const uint32_t rsa = VIRTIO_CRYPTO_AKCIPHER_RSA;
    const uint32_t pkcs1 = VIRTIO_CRYPTO_RSA_PKCS1_PADDING;
    g_autofree uint8_t *big = g_malloc0(8193);
    uint8_t out[128];
    uint64_t id, cbc_id;
    uint32_t used;
    CryptoDev c;
    RawData r;

    crypto_dev_init(&c, obj, alloc);
    /* Keys: empty, above the 8 KiB limit, garbage DER (AMB-21) */
    g_assert_cmpuint(create_akc_session(&c, rsa, AKC_PUBLIC, pkcs1,
                                        VIRTIO_CRYPTO_RSA_SHA1, rsa_pub_der,
                                        0, &id), ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(create_akc_session(&c, rsa, AKC_PUBLIC, pkcs1,
                                        VIRTIO_CRYPTO_RSA_SHA1, big, 8193,
                                        &id), ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(create_akc_session(&c, rsa, AKC_PUBLIC, pkcs1,
                                        VIRTIO_CRYPTO_RSA_SHA1, big, 140,
                                        &id), ==, VIRTIO_CRYPTO_ERR);
    /* A private key offered as public, and the reverse */
    g_assert_cmpuint(create_akc_session(&c, rsa, AKC_PUBLIC, pkcs1,
                                        VIRTIO_CRYPTO_RSA_SHA1, rsa_priv_der,
                                        sizeof(rsa_priv_der), &id),
                     ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(create_akc_session(&c, rsa, AKC_PRIVATE, pkcs1,
                                        VIRTIO_CRYPTO_RSA_SHA1, rsa_pub_der,
                                        sizeof(rsa_pub_der), &id),
                     ==, VIRTIO_CRYPTO_ERR);
    /* Key type, padding, hash (AMB-6: MD2/MD3/MD4 not supported) */
    g_assert_cmpuint(create_akc_session(&c, rsa, 3, pkcs1,
                                        VIRTIO_CRYPTO_RSA_SHA1, rsa_pub_der,
                                        sizeof(rsa_pub_der), &id),
                     ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(create_akc_session(&c, rsa, AKC_PUBLIC, 7,
                                        VIRTIO_CRYPTO_RSA_SHA1, rsa_pub_der,
                                        sizeof(rsa_pub_der), &id),
                     ==, VIRTIO_CRYPTO_NOTSUPP);
    g_assert_cmpuint(create_akc_session(&c, rsa, AKC_PUBLIC, pkcs1,
                                        VIRTIO_CRYPTO_RSA_MD3, rsa_pub_der,
                                        sizeof(rsa_pub_der), &id),
                     ==, VIRTIO_CRYPTO_NOTSUPP);
    g_assert_cmpuint(create_akc_session(&c, 0, AKC_PUBLIC, pkcs1,
                                        VIRTIO_CRYPTO_RSA_SHA1, rsa_pub_der,
                                        sizeof(rsa_pub_der), &id),
                     ==, VIRTIO_CRYPTO_NOTSUPP);
    /* Key announced but missing from the chain */
    g_assert_cmpuint(ctrl_create_raw(&c, VIRTIO_CRYPTO_AKCIPHER_CREATE_SESSION,
                                     rsa, AKC_PUBLIC, 140, 0, 100, 0, NULL),
                     ==, VIRTIO_CRYPTO_ERR);

    g_assert_cmpuint(create_akc_session(&c, rsa, AKC_PUBLIC, pkcs1,
                                        VIRTIO_CRYPTO_RSA_SHA256, rsa_pub_der,
                                        sizeof(rsa_pub_der), &id),
                     ==, VIRTIO_CRYPTO_OK);
    /* Data: huge lengths, verify digest missing, over max_size */
    r = (RawData) {
        .opcode = VIRTIO_CRYPTO_AKCIPHER_ENCRYPT, .session_id = id,
        .iv_len = UINT32_MAX,   /* akcipher layout: src_data_len */
        .src_len = 128,         /* akcipher layout: dst_data_len */
        .in_len = 129,
    };
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_ERR);
    r.iv_len = 16;
    r.src_len = UINT32_MAX;
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_ERR);
    r.opcode = VIRTIO_CRYPTO_AKCIPHER_VERIFY;
    r.iv_len = 128;
    r.src_len = c.max_size;
    r.in_len = 1;
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_ERR);
    r.src_len = 32;
    r.payload_len = 128 + 31;
    g_assert_cmpuint(data_raw(&c, &r, NULL), ==, VIRTIO_CRYPTO_ERR);
    /* Encrypt with dst too small for the status byte */
    r = (RawData) {
        .opcode = VIRTIO_CRYPTO_AKCIPHER_ENCRYPT, .session_id = id,
        .iv_len = 2, .src_len = 128, .payload_len = 2, .in_len = 128,
    };
    g_assert_cmpuint(data_raw(&c, &r, &used), ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(used, ==, 1);
    /* Sessions of another kind, both ways (X-2) */
    cbc_id = cbc_session(&c, VIRTIO_CRYPTO_OP_ENCRYPT);
    g_assert_cmpuint(akc_request(&c, VIRTIO_CRYPTO_AKCIPHER_ENCRYPT, cbc_id,
                                 (const uint8_t *)"hi", 2, 128, out, &used),
                     ==, VIRTIO_CRYPTO_INVSESS);
    g_assert_cmpuint(cipher_request(&c, 0, VIRTIO_CRYPTO_CIPHER_ENCRYPT, id,
                                    out, 16, out, 16, out, 0, &used),
                     ==, VIRTIO_CRYPTO_INVSESS);
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION,
                                     id), ==, VIRTIO_CRYPTO_ERR);
    destroy_akc(&c, id);
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION,
                                     cbc_id), ==, VIRTIO_CRYPTO_OK);
    crypto_dev_cleanup(&c);
}

/* ---- REVISION_1 layout and stateless mode ---- */

/*
 * HASH/MAC session create in the REVISION_1 layout: the fixed part is 8
 * (HASH) or 16 (MAC) bytes and the key follows it directly.
 */
static uint32_t rev1_create_hash_session(CryptoDev *c, uint32_t service,
                                         uint32_t algo, uint32_t result_len,
                                         const uint8_t *key, uint32_t key_len,
                                         uint64_t *id)
{
    bool mac = service == VIRTIO_CRYPTO_SERVICE_MAC;
    size_t flf = mac ? 16 : 8;
    size_t len = 16 + flf + key_len;
    g_autofree uint8_t *req = g_malloc0(len);
    uint8_t out[CREATE_OUT_LEN];

    stl_le_p(req + 0, mac ? VIRTIO_CRYPTO_MAC_CREATE_SESSION :
                            VIRTIO_CRYPTO_HASH_CREATE_SESSION);
    stl_le_p(req + 4, algo);
    stl_le_p(req + 16 + 0, algo);
    stl_le_p(req + 16 + 4, result_len);
    if (mac) {
        stl_le_p(req + 16 + 8, key_len);
        memcpy(req + 16 + flf, key, key_len);
    }
    g_assert_cmpuint(crypto_submit(c, c->ctrlq, req, len, 0, out,
                                   sizeof(out)), ==, CREATE_OUT_LEN);
    *id = ldq_le_p(out);
    return ldl_le_p(out + 8);
}

/* HASH/MAC data request in the REVISION_1 session layout (8-byte flf) */
static uint8_t rev1_hash_request(CryptoDev *c, uint32_t opcode, uint64_t id,
                                 const uint8_t *msg, uint32_t msg_len,
                                 uint32_t result_len, uint8_t *result)
{
    size_t len = 24 + 8 + msg_len;
    g_autofree uint8_t *req = g_malloc0(len);
    g_autofree uint8_t *in = g_malloc0(result_len + 1);

    stl_le_p(req + 0, opcode);
    stq_le_p(req + 8, id);
    stl_le_p(req + 16, FLAG_SESSION_MODE);
    stl_le_p(req + 24 + 0, msg_len);
    stl_le_p(req + 24 + 4, result_len);
    memcpy(req + 32, msg, msg_len);
    crypto_submit(c, c->vqs[0], req, len, 0, in, result_len + 1);
    memcpy(result, in, result_len);
    return in[result_len];
}

/* Stateless cipher request: 76-byte flf, R key, iv, src; W dst */
static uint8_t stateless_cipher(CryptoDev *c, uint32_t opcode,
                                const CipherVector *v, uint32_t op,
                                const uint8_t *src, uint8_t *dst,
                                uint32_t *used)
{
    size_t len = 24 + 76 + v->key_len + v->iv_len + v->len;
    g_autofree uint8_t *req = g_malloc0(len);
    g_autofree uint8_t *in = g_malloc0(v->len + 1);
    uint8_t *p = req + 100;

    stl_le_p(req + 0, opcode);
    stl_le_p(req + 4, v->algo);
    stl_le_p(req + 16, 0);      /* no FLAG_SESSION_MODE: stateless */
    stl_le_p(req + 24 + 0, v->algo);
    stl_le_p(req + 24 + 4, v->key_len);
    stl_le_p(req + 24 + 8, op);
    stl_le_p(req + 24 + 12, v->iv_len);
    stl_le_p(req + 24 + 16, v->len);
    stl_le_p(req + 24 + 20, v->len);
    stl_le_p(req + 24 + 72, VIRTIO_CRYPTO_SYM_OP_CIPHER);
    memcpy(p, v->key, v->key_len);
    p += v->key_len;
    if (v->iv_len) {
        memcpy(p, v->iv, v->iv_len);
        p += v->iv_len;
    }
    memcpy(p, src, v->len);
    *used = crypto_submit(c, c->vqs[0], req, len, 0, in, v->len + 1);
    memcpy(dst, in, v->len);
    return in[v->len];
}

/* Stateless HASH (16-byte flf, R src) or MAC (16-byte flf, R key, src) */
static uint8_t stateless_digest(CryptoDev *c, bool mac, uint32_t algo,
                                const uint8_t *key, uint32_t key_len,
                                const uint8_t *msg, uint32_t msg_len,
                                uint32_t result_len, uint8_t *result)
{
    size_t len = 24 + 16 + key_len + msg_len;
    g_autofree uint8_t *req = g_malloc0(len);
    g_autofree uint8_t *in = g_malloc0(result_len + 1);

    stl_le_p(req + 0, mac ? VIRTIO_CRYPTO_MAC : VIRTIO_CRYPTO_HASH);
    stl_le_p(req + 4, algo);
    stl_le_p(req + 24 + 0, algo);
    if (mac) {
        stl_le_p(req + 24 + 4, key_len);
        stl_le_p(req + 24 + 8, msg_len);
        stl_le_p(req + 24 + 12, result_len);
        memcpy(req + 40, key, key_len);
    } else {
        stl_le_p(req + 24 + 4, msg_len);
        stl_le_p(req + 24 + 8, result_len);
    }
    memcpy(req + 40 + key_len, msg, msg_len);
    crypto_submit(c, c->vqs[0], req, len, 0, in, result_len + 1);
    memcpy(result, in, result_len);
    return in[result_len];
}

/* FEAT-1, GEN-4: what the device offers */
static void test_rev1_features(void *obj, void *data, QGuestAllocator *alloc)
{
    CryptoDev c;

    crypto_dev_init_features(&c, obj, alloc, DEVICE_FEATURES);
    g_assert_true(has_rev1(&c));
    g_assert_cmphex(c.offered & DEVICE_FEATURES, ==, DEVICE_FEATURES);
    crypto_dev_cleanup(&c);

    /* GEN-5 / FEAT-1: a STATELESS bit without REVISION_1 is refused */
    qvirtio_reset(c.dev);
    qvirtio_set_acknowledge(c.dev);
    qvirtio_set_driver(c.dev);
    c.dev->bus->set_features(c.dev, (1ull << VIRTIO_F_VERSION_1) |
                             (1ull << F_CIPHER_STATELESS));
    c.dev->bus->set_status(c.dev, c.dev->bus->get_status(c.dev) |
                           VIRTIO_CONFIG_S_FEATURES_OK);
    g_assert_false(c.dev->bus->get_status(c.dev) &
                   VIRTIO_CONFIG_S_FEATURES_OK);
    qvirtio_reset(c.dev);
    qvirtio_set_acknowledge(c.dev);
    qvirtio_set_driver(c.dev);
}

static void *no_rev1_setup(GString *cmd_line, void *arg)
{
    g_string_append(cmd_line, " -global virtio-crypto-device.revision-1=off");
    return arg;
}

static void *idle_workers_setup(GString *cmd_line, void *arg)
{
    g_string_append(cmd_line, " -name vc,debug-threads=on"
                    " -global virtio-crypto-device.x-idle-workers=on");
    return arg;
}

/* Fields 3.. of /proc/.../stat (after the command name), or NULL */
static GStrv proc_stat_fields(const char *path)
{
    g_autofree char *stat = NULL;
    const char *end;

    if (!g_file_get_contents(path, &stat, NULL, NULL)) {
        return NULL;
    }
    end = strrchr(stat, ')');
    return end ? g_strsplit(end + 2, " ", 0) : NULL;
}

/* QEMU is this test's child process */
static long qemu_child_pid(void)
{
    g_autoptr(GDir) procs = g_dir_open("/proc", 0, NULL);
    const char *pid;

    g_assert_nonnull(procs);
    while ((pid = g_dir_read_name(procs))) {
        g_autofree char *path = g_strdup_printf("/proc/%s/stat", pid);
        g_auto(GStrv) f = NULL;

        if (!g_ascii_isdigit(pid[0])) {
            continue;
        }
        f = proc_stat_fields(path);
        /* field 4 is the parent's pid */
        if (f && g_strv_length(f) > 1 && atol(f[1]) == getpid()) {
            return atol(pid);
        }
    }
    return -1;
}

/* The scheduling policy of QEMU's thread @thread (debug-threads=on), or -1 */
static int qemu_thread_policy(const char *thread)
{
    long pid = qemu_child_pid();
    g_autofree char *dir = g_strdup_printf("/proc/%ld/task", pid);
    g_autoptr(GDir) tasks = g_dir_open(dir, 0, NULL);
    const char *tid;

    g_assert_nonnull(tasks);
    while ((tid = g_dir_read_name(tasks))) {
        g_autofree char *comm_path = g_strdup_printf("%s/%s/comm", dir, tid);
        g_autofree char *stat_path = g_strdup_printf("%s/%s/stat", dir, tid);
        g_autofree char *comm = NULL;
        g_auto(GStrv) f = NULL;

        if (!g_file_get_contents(comm_path, &comm, NULL, NULL) ||
            strcmp(g_strchomp(comm), thread)) {
            continue;
        }
        f = proc_stat_fields(stat_path);
        /* field 41 is the policy */
        return f && g_strv_length(f) > 38 ? atoi(f[38]) : -1;
    }
    return -1;
}

/* x-idle-workers=on: the data-queue workers run under SCHED_IDLE */
static void test_idle_workers(void *obj, void *data, QGuestAllocator *alloc)
{
    CryptoDev c;

    crypto_dev_init(&c, obj, alloc);
    g_assert_cmpint(qemu_thread_policy("vcrypto-dq0"), ==, SCHED_IDLE);
    run_vector(&c, find_vector("cbc-aes128"), 0, 0);
    crypto_dev_cleanup(&c);
}

/* With revision-1=off no device feature bit is offered */
static void test_rev1_off(void *obj, void *data, QGuestAllocator *alloc)
{
    CryptoDev c;

    crypto_dev_init_features(&c, obj, alloc, DEVICE_FEATURES);
    g_assert_cmphex(c.offered & DEVICE_FEATURES, ==, 0);
    run_vector(&c, find_vector("cbc-aes128"), 0, 0);
    crypto_dev_cleanup(&c);
}

/* Session mode in the REVISION_1 layout: flag set, packed fixed parts */
static void test_rev1_sessions(void *obj, void *data, QGuestAllocator *alloc)
{
    const CipherVector *cv = find_vector("cbc-aes128");
    const HashVector *hv = &hash_vectors[0];
    const MacVector *mv = &mac_vectors[0];
    uint8_t out[64];
    uint64_t id;
    uint32_t used;
    CryptoDev c;

    crypto_dev_init_features(&c, obj, alloc, DEVICE_FEATURES);
    g_assert_true(has_rev1(&c));

    /* CIPHER: same sizes as legacy, the flag marks session mode */
    g_assert_cmpuint(create_cipher_session(&c, cv->algo,
                                           VIRTIO_CRYPTO_OP_ENCRYPT, cv->key,
                                           cv->key_len, &id),
                     ==, VIRTIO_CRYPTO_OK);
    {
        size_t len = DATA_REQ_LEN + cv->iv_len + cv->len;
        g_autofree uint8_t *req = g_malloc0(len);
        g_autofree uint8_t *in = g_malloc0(cv->len + 1);

        stl_le_p(req + 0, VIRTIO_CRYPTO_CIPHER_ENCRYPT);
        stq_le_p(req + 8, id);
        stl_le_p(req + 16, FLAG_SESSION_MODE);
        stl_le_p(req + 24 + 0, cv->iv_len);
        stl_le_p(req + 24 + 4, cv->len);
        stl_le_p(req + 24 + 8, cv->len);
        stl_le_p(req + 24 + 40, VIRTIO_CRYPTO_SYM_OP_CIPHER);
        memcpy(req + DATA_REQ_LEN, cv->iv, cv->iv_len);
        memcpy(req + DATA_REQ_LEN + cv->iv_len, cv->pt, cv->len);
        used = crypto_submit(&c, c.vqs[0], req, len, 7, in, cv->len + 1);
        g_assert_cmpuint(in[cv->len], ==, VIRTIO_CRYPTO_OK);
        g_assert_cmpuint(used, ==, cv->len + 1);
        g_assert_cmpmem(in, cv->len, cv->ct, cv->len);
    }
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION,
                                     id), ==, VIRTIO_CRYPTO_OK);

    /* HASH: 8-byte fixed parts on both queues */
    g_assert_cmpuint(rev1_create_hash_session(&c, VIRTIO_CRYPTO_SERVICE_HASH,
                                              hv->algo, hv->digest_len, NULL,
                                              0, &id), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(rev1_hash_request(&c, VIRTIO_CRYPTO_HASH, id, hv->msg,
                                       hv->msg_len, hv->digest_len, out),
                     ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpmem(out, hv->digest_len, hv->digest, hv->digest_len);
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_HASH_DESTROY_SESSION,
                                     id), ==, VIRTIO_CRYPTO_OK);

    /* MAC: 16-byte create fixed part, key right after it */
    g_assert_cmpuint(rev1_create_hash_session(&c, VIRTIO_CRYPTO_SERVICE_MAC,
                                              mv->algo, mv->digest_len,
                                              mv->key, mv->key_len, &id),
                     ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(rev1_hash_request(&c, VIRTIO_CRYPTO_MAC, id, mv->msg,
                                       mv->msg_len, mv->digest_len, out),
                     ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpmem(out, mv->digest_len, mv->digest, mv->digest_len);
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_MAC_DESTROY_SESSION,
                                     id), ==, VIRTIO_CRYPTO_OK);
    crypto_dev_cleanup(&c);
}

/* FEAT-3: stateless requests for every service with a STATELESS bit */
static void test_stateless(void *obj, void *data, QGuestAllocator *alloc)
{
    uint32_t covered = 0;
    uint8_t out[64];
    uint32_t used;
    CryptoDev c;
    size_t i;

    crypto_dev_init_features(&c, obj, alloc, DEVICE_FEATURES);
    g_assert_cmphex(c.features & DEVICE_FEATURES, ==, DEVICE_FEATURES);

    for (i = 0; i < G_N_ELEMENTS(cipher_vectors); i++) {
        const CipherVector *v = &cipher_vectors[i];
        g_autofree uint8_t *buf = g_malloc0(v->len);

        if (!cipher_offered(&c, v->algo)) {
            continue;
        }
        g_assert_cmpuint(stateless_cipher(&c, VIRTIO_CRYPTO_CIPHER_ENCRYPT, v,
                                          VIRTIO_CRYPTO_OP_ENCRYPT, v->pt,
                                          buf, &used), ==, VIRTIO_CRYPTO_OK);
        g_assert_cmpmem(buf, v->len, v->ct, v->len);
        g_assert_cmpuint(used, ==, v->len + 1);
        g_assert_cmpuint(stateless_cipher(&c, VIRTIO_CRYPTO_CIPHER_DECRYPT, v,
                                          VIRTIO_CRYPTO_OP_DECRYPT, v->ct,
                                          buf, &used), ==, VIRTIO_CRYPTO_OK);
        g_assert_cmpmem(buf, v->len, v->pt, v->len);
        /* AMB-14 holds for stateless requests too */
        g_assert_cmpuint(stateless_cipher(&c, VIRTIO_CRYPTO_CIPHER_DECRYPT, v,
                                          VIRTIO_CRYPTO_OP_ENCRYPT, v->ct,
                                          buf, &used), ==, VIRTIO_CRYPTO_ERR);
        covered |= 1u << v->algo;
    }
    g_assert_cmphex(covered, ==, c.cipher_algo_l);

    for (i = 0; i < G_N_ELEMENTS(hash_vectors); i++) {
        const HashVector *v = &hash_vectors[i];

        g_assert_cmpuint(stateless_digest(&c, false, v->algo, NULL, 0, v->msg,
                                          v->msg_len, v->digest_len, out),
                         ==, VIRTIO_CRYPTO_OK);
        g_assert_cmpmem(out, v->digest_len, v->digest, v->digest_len);
    }
    for (i = 0; i < G_N_ELEMENTS(mac_vectors); i++) {
        const MacVector *v = &mac_vectors[i];

        g_assert_cmpuint(stateless_digest(&c, true, v->algo, v->key,
                                          v->key_len, v->msg, v->msg_len,
                                          v->digest_len, out),
                         ==, VIRTIO_CRYPTO_OK);
        g_assert_cmpmem(out, v->digest_len, v->digest, v->digest_len);
    }

    /* Malformed stateless requests */
    g_assert_cmpuint(stateless_digest(&c, false, VIRTIO_CRYPTO_HASH_MD5, NULL,
                                      0, out, 16, 16, out),
                     ==, VIRTIO_CRYPTO_NOTSUPP);
    g_assert_cmpuint(stateless_digest(&c, false, VIRTIO_CRYPTO_HASH_SHA1,
                                      NULL, 0, out, 16, 21, out),
                     ==, VIRTIO_CRYPTO_ERR);
    {
        g_autofree uint8_t *bigkey = g_malloc0(c.max_auth_key_len + 1);

        g_assert_cmpuint(stateless_digest(&c, true,
                                          VIRTIO_CRYPTO_MAC_HMAC_SHA1, bigkey,
                                          c.max_auth_key_len + 1, out, 1, 20,
                                          out), ==, VIRTIO_CRYPTO_ERR);
    }
    {
        static const uint8_t key20[20];
        CipherVector bad = *find_vector("cbc-aes128");

        bad.key = key20;
        bad.key_len = 20;
        g_assert_cmpuint(stateless_cipher(&c, VIRTIO_CRYPTO_CIPHER_ENCRYPT,
                                          &bad, VIRTIO_CRYPTO_OP_ENCRYPT,
                                          bad.pt, out, &used),
                         ==, VIRTIO_CRYPTO_ERR);
        bad.key_len = 16;
        bad.algo = VIRTIO_CRYPTO_CIPHER_ARC4;
        g_assert_cmpuint(stateless_cipher(&c, VIRTIO_CRYPTO_CIPHER_ENCRYPT,
                                          &bad, VIRTIO_CRYPTO_OP_ENCRYPT,
                                          bad.pt, out, &used),
                         ==, VIRTIO_CRYPTO_NOTSUPP);
    }
    /* Stateless requests leave no session behind */
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION,
                                     0), ==, VIRTIO_CRYPTO_ERR);
    crypto_dev_cleanup(&c);
}

/* Stateless AEAD: 32-byte flf, R key, iv, src, aad; W dst */
static uint8_t stateless_aead(CryptoDev *c, uint32_t opcode,
                              const AeadVector *v, uint32_t op,
                              const uint8_t *src, uint32_t src_len,
                              uint32_t dst_len, uint8_t *dst)
{
    size_t len = 24 + 32 + v->key_len + v->iv_len + src_len + v->aad_len;
    g_autofree uint8_t *req = g_malloc0(len);
    g_autofree uint8_t *in = g_malloc0(dst_len + 1);
    uint8_t *p = req + 56;

    stl_le_p(req + 0, opcode);
    stl_le_p(req + 4, v->algo);
    stl_le_p(req + 24 + 0, v->algo);
    stl_le_p(req + 24 + 4, v->key_len);
    stl_le_p(req + 24 + 8, op);
    stl_le_p(req + 24 + 12, v->iv_len);
    stl_le_p(req + 24 + 16, v->tag_len);
    stl_le_p(req + 24 + 20, v->aad_len);
    stl_le_p(req + 24 + 24, src_len);
    stl_le_p(req + 24 + 28, dst_len);
    memcpy(p, v->key, v->key_len);
    p += v->key_len;
    memcpy(p, v->iv, v->iv_len);
    p += v->iv_len;
    memcpy(p, src, src_len);
    p += src_len;
    memcpy(p, v->aad, v->aad_len);
    crypto_submit(c, c->vqs[0], req, len, 0, in, dst_len + 1);
    memcpy(dst, in, dst_len);
    return in[dst_len];
}

/* Stateless AKCIPHER: 28-byte flf, R key, src [, digest]; W dst */
static uint8_t stateless_akcipher(CryptoDev *c, uint32_t opcode,
                                  uint32_t key_type, const uint8_t *key,
                                  uint32_t key_len, const uint8_t *src,
                                  uint32_t src_len, const uint8_t *digest,
                                  uint32_t dst_len, uint8_t *dst)
{
    bool verify = opcode == VIRTIO_CRYPTO_AKCIPHER_VERIFY;
    size_t len = 24 + 28 + key_len + src_len + (verify ? dst_len : 0);
    size_t in_len = verify ? 1 : dst_len + 1;
    g_autofree uint8_t *req = g_malloc0(len);
    g_autofree uint8_t *in = g_malloc0(in_len);

    stl_le_p(req + 0, opcode);
    stl_le_p(req + 4, VIRTIO_CRYPTO_AKCIPHER_RSA);
    stl_le_p(req + 24 + 0, VIRTIO_CRYPTO_AKCIPHER_RSA);
    stl_le_p(req + 24 + 4, key_type);
    stl_le_p(req + 24 + 8, key_len);
    stl_le_p(req + 24 + 12, VIRTIO_CRYPTO_RSA_PKCS1_PADDING);
    stl_le_p(req + 24 + 16, VIRTIO_CRYPTO_RSA_SHA256);
    stl_le_p(req + 24 + 20, src_len);
    stl_le_p(req + 24 + 24, dst_len);
    memcpy(req + 52, key, key_len);
    memcpy(req + 52 + key_len, src, src_len);
    if (verify) {
        memcpy(req + 52 + key_len + src_len, digest, dst_len);
    }
    crypto_submit(c, c->vqs[0], req, len, 0, in, in_len);
    if (!verify) {
        memcpy(dst, in, dst_len);
    }
    return in[in_len - 1];
}

/* FEAT-3: stateless AEAD and AKCIPHER */
static void test_stateless_aead_akcipher(void *obj, void *data,
                                         QGuestAllocator *alloc)
{
    const AeadVector *v = &aead_vectors[0];
    uint32_t ct_len = v->len + v->tag_len;
    g_autofree uint8_t *out = g_malloc0(ct_len + 128);
    CryptoDev c;

    crypto_dev_init_features(&c, obj, alloc, DEVICE_FEATURES);
    g_assert_cmphex(c.features & DEVICE_FEATURES, ==, DEVICE_FEATURES);

    g_assert_cmpuint(stateless_aead(&c, VIRTIO_CRYPTO_AEAD_ENCRYPT, v,
                                    VIRTIO_CRYPTO_OP_ENCRYPT, v->pt, v->len,
                                    ct_len, out), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpmem(out, ct_len, v->ct_tag, ct_len);
    g_assert_cmpuint(stateless_aead(&c, VIRTIO_CRYPTO_AEAD_DECRYPT, v,
                                    VIRTIO_CRYPTO_OP_DECRYPT, v->ct_tag,
                                    ct_len, v->len, out),
                     ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpmem(out, v->len, v->pt, v->len);
    out[0] = v->ct_tag[0] ^ 1;
    memcpy(out + 1, v->ct_tag + 1, ct_len - 1);
    {
        g_autofree uint8_t *forged = g_memdup2(out, ct_len);

        g_assert_cmpuint(stateless_aead(&c, VIRTIO_CRYPTO_AEAD_DECRYPT, v,
                                        VIRTIO_CRYPTO_OP_DECRYPT, forged,
                                        ct_len, v->len, out),
                         ==, VIRTIO_CRYPTO_BADMSG);
    }
    /* The stateless header carries the only tag length: 0 is ERR */
    {
        AeadVector notag = *v;

        notag.tag_len = 0;
        g_assert_cmpuint(stateless_aead(&c, VIRTIO_CRYPTO_AEAD_ENCRYPT,
                                        &notag, VIRTIO_CRYPTO_OP_ENCRYPT,
                                        v->pt, v->len, ct_len, out),
                         ==, VIRTIO_CRYPTO_ERR);
    }

    /* RSA PKCS#1 SHA-256 sign: known answer; then verify it */
    g_assert_cmpuint(stateless_akcipher(&c, VIRTIO_CRYPTO_AKCIPHER_SIGN,
                                        AKC_PRIVATE, rsa_priv_der,
                                        sizeof(rsa_priv_der),
                                        rsa_sha256_digest, 32, NULL, 128,
                                        out), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpmem(out, 128, rsa_pkcs1_sig, 128);
    g_assert_cmpuint(stateless_akcipher(&c, VIRTIO_CRYPTO_AKCIPHER_VERIFY,
                                        AKC_PUBLIC, rsa_pub_der,
                                        sizeof(rsa_pub_der), rsa_pkcs1_sig,
                                        128, rsa_sha256_digest, 32, NULL),
                     ==, VIRTIO_CRYPTO_OK);
    out[0] = rsa_sha256_digest[0] ^ 1;
    memcpy(out + 1, rsa_sha256_digest + 1, 31);
    g_assert_cmpuint(stateless_akcipher(&c, VIRTIO_CRYPTO_AKCIPHER_VERIFY,
                                        AKC_PUBLIC, rsa_pub_der,
                                        sizeof(rsa_pub_der), rsa_pkcs1_sig,
                                        128, out, 32, NULL),
                     ==, VIRTIO_CRYPTO_KEY_REJECTED);
    /* A key that does not parse (AMB-21), a bad key type */
    g_assert_cmpuint(stateless_akcipher(&c, VIRTIO_CRYPTO_AKCIPHER_SIGN,
                                        AKC_PRIVATE, rsa_pub_der,
                                        sizeof(rsa_pub_der),
                                        rsa_sha256_digest, 32, NULL, 128,
                                        out), ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(stateless_akcipher(&c, VIRTIO_CRYPTO_AKCIPHER_SIGN, 9,
                                        rsa_priv_der, sizeof(rsa_priv_der),
                                        rsa_sha256_digest, 32, NULL, 128,
                                        out), ==, VIRTIO_CRYPTO_ERR);
    crypto_dev_cleanup(&c);
}

/*
 * Stateless chaining: 76-byte flf (alg_chain_data_flf_stateless + op_type);
 * R cipher key, auth key, iv, aad, src (AMB-10); W dst, hash_result.
 */
static uint8_t stateless_chain(CryptoDev *c, uint32_t aad_len2,
                               uint8_t *out, uint32_t *used)
{
    size_t len = 24 + 76 + 16 + 32 + 16 + 16 + 64;
    g_autofree uint8_t *req = g_malloc0(len);
    g_autofree uint8_t *in = g_malloc0(64 + 32 + 1);
    uint8_t *p = req + 100;

    stl_le_p(req + 0, VIRTIO_CRYPTO_CIPHER_ENCRYPT);
    stl_le_p(req + 24 + 0, ORDER_CIPHER_THEN_HASH);
    stl_le_p(req + 24 + 4, 16);                         /* aad_len */
    stl_le_p(req + 24 + 8, VIRTIO_CRYPTO_CIPHER_AES_CBC);
    stl_le_p(req + 24 + 12, 16);
    stl_le_p(req + 24 + 16, VIRTIO_CRYPTO_OP_ENCRYPT);
    stl_le_p(req + 24 + 20, VIRTIO_CRYPTO_MAC_HMAC_SHA_256);
    stl_le_p(req + 24 + 24, 32);                        /* auth_key_len */
    stl_le_p(req + 24 + 28, VIRTIO_CRYPTO_SYM_HASH_MODE_AUTH);
    stl_le_p(req + 24 + 32, 16);                        /* iv_len */
    stl_le_p(req + 24 + 36, 64);
    stl_le_p(req + 24 + 40, 64);
    stl_le_p(req + 24 + 44, 16);                        /* cipher region */
    stl_le_p(req + 24 + 48, 48);
    stl_le_p(req + 24 + 52, 0);                         /* hash region */
    stl_le_p(req + 24 + 56, 64);
    stl_le_p(req + 24 + 60, aad_len2);                  /* AMB-16 */
    stl_le_p(req + 24 + 64, 32);
    stl_le_p(req + 24 + 72, VIRTIO_CRYPTO_SYM_OP_ALGORITHM_CHAINING);
    memcpy(p, chain_key, 16);
    memcpy(p + 16, chain_auth_key, 32);
    memcpy(p + 48, chain_iv, 16);
    memcpy(p + 64, chain_aad, 16);
    memcpy(p + 80, chain_pt, 64);
    *used = crypto_submit(c, c->vqs[0], req, len, 0, in, 64 + 32 + 1);
    memcpy(out, in, 64 + 32);
    return in[64 + 32];
}

static void test_stateless_chaining(void *obj, void *data,
                                    QGuestAllocator *alloc)
{
    uint8_t out[96];
    uint32_t used;
    CryptoDev c;

    crypto_dev_init_features(&c, obj, alloc, DEVICE_FEATURES);
    g_assert_true(c.features & (1ull << F_CIPHER_STATELESS));
    g_assert_cmpuint(stateless_chain(&c, 16, out, &used), ==,
                     VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(used, ==, 97);
    g_assert_cmpmem(out, 64, chain_ct, 64);
    g_assert_cmpmem(out + 64, 32, chain_hmac, 32);
    /* AMB-16: the two aad_len copies disagree */
    g_assert_cmpuint(stateless_chain(&c, 15, out, &used), ==,
                     VIRTIO_CRYPTO_ERR);
    crypto_dev_cleanup(&c);
}

/* FEAT-3 / DEV-OP-2: REVISION_1 alone refuses requests without the flag */
static void test_rev1_no_stateless(void *obj, void *data,
                                   QGuestAllocator *alloc)
{
    const CipherVector *v = find_vector("cbc-aes128");
    uint8_t out[64];
    uint32_t used;
    CryptoDev c;

    crypto_dev_init_features(&c, obj, alloc, 1ull << F_REVISION_1);
    g_assert_cmphex(c.features & DEVICE_FEATURES, ==, 1ull << F_REVISION_1);
    g_assert_cmpuint(stateless_cipher(&c, VIRTIO_CRYPTO_CIPHER_ENCRYPT, v,
                                      VIRTIO_CRYPTO_OP_ENCRYPT, v->pt, out,
                                      &used), ==, VIRTIO_CRYPTO_NOTSUPP);
    g_assert_cmpuint(stateless_digest(&c, false, VIRTIO_CRYPTO_HASH_SHA1,
                                      NULL, 0, v->pt, 16, 20, out),
                     ==, VIRTIO_CRYPTO_NOTSUPP);
    crypto_dev_cleanup(&c);
}

static void *max_size_setup(GString *cmd_line, void *arg)
{
    g_string_append(cmd_line, " -global virtio-crypto-device.max-size=1056");
    return arg;
}

/*
 * DEV-CFG-7, AMB-12: the advertised max_size is the property and is
 * enforced: iv + src + dst (+ hash_result) up to it works, one block
 * more is ERR.
 */
static void test_max_size(void *obj, void *data, QGuestAllocator *alloc)
{
    const CipherVector *v = find_vector("ctr-aes128-60");
    g_autofree uint8_t *buf = g_malloc0(1100);
    g_autofree uint8_t *out = g_malloc0(1100);
    uint64_t id, hid;
    uint32_t used;
    CryptoDev c;

    crypto_dev_init(&c, obj, alloc);
    g_assert_cmpuint(c.max_size, ==, 1056);
    g_assert_cmpuint(create_cipher_session(&c, v->algo,
                                           VIRTIO_CRYPTO_OP_ENCRYPT, v->key,
                                           v->key_len, &id),
                     ==, VIRTIO_CRYPTO_OK);
    /* 16 + 520 + 520 = 1056: exactly the limit */
    g_assert_cmpuint(cipher_request(&c, 0, VIRTIO_CRYPTO_CIPHER_ENCRYPT, id,
                                    v->iv, 16, buf, 520, out, 0, &used),
                     ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(used, ==, 521);
    /* 16 + 521 + 521 = 1058: over it */
    g_assert_cmpuint(cipher_request(&c, 0, VIRTIO_CRYPTO_CIPHER_ENCRYPT, id,
                                    v->iv, 16, buf, 521, out, 0, &used),
                     ==, VIRTIO_CRYPTO_ERR);
    g_assert_cmpuint(used, ==, 1);
    /* HASH counts src + hash_result */
    g_assert_cmpuint(create_hash_session(&c, VIRTIO_CRYPTO_SERVICE_HASH,
                                         VIRTIO_CRYPTO_HASH_SHA_256, 32, NULL,
                                         0, &hid), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(hash_request(&c, VIRTIO_CRYPTO_HASH, hid, buf, 1024, 32,
                                  out, &used), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(hash_request(&c, VIRTIO_CRYPTO_HASH, hid, buf, 1025, 32,
                                  out, &used), ==, VIRTIO_CRYPTO_ERR);
    crypto_dev_cleanup(&c);
}

/* ---- x-fault: test-only fault injection for driver robustness ---- */

static void *fault_setup(GString *cmd_line, void *arg)
{
    g_string_append_printf(cmd_line, " -global virtio-crypto-device.x-fault=%s",
                           (const char *)arg);
    return arg;
}

static void test_fault(void *obj, void *data, QGuestAllocator *alloc)
{
    const char *fault = data;
    const CipherVector *v = find_vector("cbc-aes128");
    uint8_t out[64];
    uint64_t id;
    uint32_t used;
    uint8_t status;
    CryptoDev c;

    crypto_dev_init(&c, obj, alloc);
    /* Control requests are never faulted */
    g_assert_cmpuint(create_cipher_session(&c, v->algo,
                                           VIRTIO_CRYPTO_OP_ENCRYPT, v->key,
                                           v->key_len, &id),
                     ==, VIRTIO_CRYPTO_OK);

    if (!strcmp(fault, "drop")) {
        size_t out_len = DATA_REQ_LEN + v->iv_len + v->len;
        g_autofree uint8_t *req = g_malloc0(out_len);
        uint64_t addr = guest_alloc(alloc, out_len + v->len + 1);
        uint32_t head, idx;
        int i;

        stl_le_p(req + 0, VIRTIO_CRYPTO_CIPHER_ENCRYPT);
        stq_le_p(req + 8, id);
        stl_le_p(req + 24 + 0, v->iv_len);
        stl_le_p(req + 24 + 4, v->len);
        stl_le_p(req + 24 + 8, v->len);
        stl_le_p(req + 24 + 40, VIRTIO_CRYPTO_SYM_OP_CIPHER);
        memcpy(req + DATA_REQ_LEN, v->iv, v->iv_len);
        memcpy(req + DATA_REQ_LEN + v->iv_len, v->pt, v->len);
        memwrite(addr, req, out_len);
        head = qvirtqueue_add(c.qts, c.vqs[0], addr, out_len, false, true);
        qvirtqueue_add(c.qts, c.vqs[0], addr + out_len, v->len + 1, true,
                       false);
        qvirtqueue_kick(c.qts, c.dev, c.vqs[0], head);
        for (i = 0; i < 100; i++) {
            qtest_clock_step(c.qts, 1000);
            g_assert_false(qvirtqueue_get_buf(c.qts, c.vqs[0], &idx, NULL));
        }
        /* The request was consumed but never completed */
        g_assert_cmpuint(readw(c.vqs[0]->used + 2), ==, 0);
        guest_free(alloc, addr);
        crypto_dev_cleanup(&c);
        return;
    }

    status = cipher_request(&c, 0, VIRTIO_CRYPTO_CIPHER_ENCRYPT, id, v->iv,
                            v->iv_len, v->pt, v->len, out, 0, &used);
    /* The operation itself is done right */
    g_assert_cmpmem(out, v->len, v->ct, v->len);
    if (!strcmp(fault, "bad-status")) {
        g_assert_cmpuint(status, ==, 0xff);
        g_assert_cmpuint(used, ==, v->len + 1);
    } else if (!strcmp(fault, "used-len-big")) {
        g_assert_cmpuint(status, ==, VIRTIO_CRYPTO_OK);
        g_assert_cmpuint(used, ==, v->len + 1 + 4096);
    } else {
        g_assert_cmpstr(fault, ==, "used-len-zero");
        g_assert_cmpuint(status, ==, VIRTIO_CRYPTO_OK);
        g_assert_cmpuint(used, ==, 0);
    }
    crypto_dev_cleanup(&c);
}

static void *fault_ctrl_setup(GString *cmd_line, void *arg)
{
    g_string_append(cmd_line, " -global virtio-crypto-device.x-fault=bad-status"
                    " -global virtio-crypto-device.x-fault-ctrl=on"
                    " -global virtio-crypto-device.x-fault-every=2");
    return arg;
}

/* x-fault-ctrl: control completions misbehave too; every 2nd here */
static void test_fault_ctrl(void *obj, void *data, QGuestAllocator *alloc)
{
    const CipherVector *v = find_vector("cbc-aes128");
    uint64_t id, id2;
    CryptoDev c;

    crypto_dev_init(&c, obj, alloc);
    /* 1st completion is fine, 2nd gets status 0xff in its le32 status */
    g_assert_cmpuint(create_cipher_session(&c, v->algo,
                                           VIRTIO_CRYPTO_OP_ENCRYPT, v->key,
                                           v->key_len, &id),
                     ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(create_cipher_session(&c, v->algo,
                                           VIRTIO_CRYPTO_OP_ENCRYPT, v->key,
                                           v->key_len, &id2), ==, 0xff);
    /* 3rd fine, 4th (a destroy) gets a 0xff status byte */
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION,
                                     id), ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION,
                                     id2), ==, 0xff);
    crypto_dev_cleanup(&c);
}

/* ---- data path: parallel queues, requests in flight ---- */

/* Requests queued at once per data queue in the in-flight tests */
#define INFLIGHT_REQS 200

/*
 * Many requests in flight on one queue: each is header+payload (readable)
 * and @in_len writable bytes, published in one avail-index update and one
 * notification, so the device sees them all at once.
 */
typedef struct Inflight {
    QVirtQueue *vq;
    uint32_t n;
    uint32_t in_len;
    uint32_t done;
    uint64_t addr[INFLIGHT_REQS];
    uint32_t head[INFLIGHT_REQS];
    uint32_t out_len[INFLIGHT_REQS];
    bool seen[INFLIGHT_REQS];
} Inflight;

/* Queue one request, its readable bytes in descriptors of @split bytes */
static void inflight_add_split(CryptoDev *c, Inflight *f, const void *out,
                               size_t out_len, size_t split)
{
    uint64_t addr = guest_alloc(c->alloc, out_len + f->in_len);
    size_t off;

    g_assert_cmpuint(f->n, <, INFLIGHT_REQS);
    memwrite(addr, out, out_len);
    qtest_memset(c->qts, addr + out_len, 0xa5, f->in_len);
    f->addr[f->n] = addr;
    f->out_len[f->n] = out_len;
    for (off = 0; off < out_len; off += split) {
        uint32_t idx = qvirtqueue_add(c->qts, f->vq, addr + off,
                                      MIN(split, out_len - off), false, true);

        if (!off) {
            f->head[f->n] = idx;
        }
    }
    qvirtqueue_add(c->qts, f->vq, addr + out_len, f->in_len, true, false);
    f->n++;
}

static void inflight_add(CryptoDev *c, Inflight *f, const void *out,
                         size_t out_len)
{
    inflight_add_split(c, f, out, out_len, out_len);
}

static void inflight_publish(CryptoDev *c, Inflight *f)
{
    uint16_t idx = qtest_readw(c->qts, f->vq->avail + 2);
    uint32_t i;

    for (i = 0; i < f->n; i++) {
        qtest_writew(c->qts,
                     f->vq->avail + 4 + 2 * ((idx + i) % f->vq->size),
                     f->head[i]);
    }
    qtest_writew(c->qts, f->vq->avail + 2, idx + f->n);
    c->dev->bus->virtqueue_kick(c->dev, f->vq);
}

/* Collect completions of every queue in @fs until all are done */
static void inflight_wait(CryptoDev *c, Inflight *fs, uint32_t nfs)
{
    gint64 deadline = g_get_monotonic_time() + CRYPTO_TIMEOUT_US;
    uint32_t k, i, head, len, pending;

    for (;;) {
        pending = 0;
        for (k = 0; k < nfs; k++) {
            while (qvirtqueue_get_buf(c->qts, fs[k].vq, &head, &len)) {
                for (i = 0; i < fs[k].n && fs[k].head[i] != head; i++) {
                    /* find the request */
                }
                g_assert_cmpuint(i, <, fs[k].n);
                g_assert_false(fs[k].seen[i]);
                fs[k].seen[i] = true;
                fs[k].done++;
            }
            pending += fs[k].n - fs[k].done;
        }
        if (!pending) {
            return;
        }
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        qtest_clock_step(c->qts, 100);
    }
}

/* The writable area of request @i */
static void inflight_read(CryptoDev *c, Inflight *f, uint32_t i, uint8_t *in)
{
    memread(f->addr[i] + f->out_len[i], in, f->in_len);
}

static void inflight_free(CryptoDev *c, Inflight *f)
{
    uint32_t i;

    for (i = 0; i < f->n; i++) {
        guest_free(c->alloc, f->addr[i]);
    }
}

/*
 * A ring full of stateless HMAC-SHA512 requests at once: every one gets
 * its own backend session, created and closed inside one batch of the
 * worker.  Each must give the right tag: sessions closed while the batch
 * runs must not pile up until it ends (libgcrypt keeps HMAC contexts in
 * its small secure-memory pool, which ran out at about 30 of them).
 */
static void test_stateless_burst(void *obj, void *data, QGuestAllocator *alloc)
{
    g_autofree Inflight *f = g_new0(Inflight, 1);
    const MacVector *v = NULL;
    uint8_t in[64 + 1];
    size_t len, i;
    CryptoDev c;

    for (i = 0; i < G_N_ELEMENTS(mac_vectors); i++) {
        if (mac_vectors[i].algo == VIRTIO_CRYPTO_MAC_HMAC_SHA_512) {
            v = &mac_vectors[i];
            break;
        }
    }
    g_assert_nonnull(v);
    g_assert_cmpuint(v->digest_len, <=, 64);

    crypto_dev_init_features(&c, obj, alloc, DEVICE_FEATURES);
    g_assert_cmphex(c.features & DEVICE_FEATURES, ==, DEVICE_FEATURES);

    len = 24 + 16 + v->key_len + v->msg_len;
    {
        g_autofree uint8_t *req = g_malloc0(len);

        /* The layout of stateless_digest() */
        stl_le_p(req + 0, VIRTIO_CRYPTO_MAC);
        stl_le_p(req + 4, v->algo);
        stl_le_p(req + 24 + 0, v->algo);
        stl_le_p(req + 24 + 4, v->key_len);
        stl_le_p(req + 24 + 8, v->msg_len);
        stl_le_p(req + 24 + 12, v->digest_len);
        memcpy(req + 40, v->key, v->key_len);
        memcpy(req + 40 + v->key_len, v->msg, v->msg_len);

        f->vq = c.vqs[0];
        f->in_len = v->digest_len + 1;
        for (i = 0; i < INFLIGHT_REQS; i++) {
            inflight_add(&c, f, req, len);
        }
    }
    inflight_publish(&c, f);
    inflight_wait(&c, f, 1);
    for (i = 0; i < f->n; i++) {
        inflight_read(&c, f, i, in);
        g_assert_cmpuint(in[v->digest_len], ==, VIRTIO_CRYPTO_OK);
        g_assert_cmpmem(in, v->digest_len, v->digest, v->digest_len);
    }
    inflight_free(&c, f);
    crypto_dev_cleanup(&c);
}

/* A legacy-layout cipher request: header, iv, src */
static size_t cipher_req_bytes(uint8_t *req, uint32_t opcode, uint64_t id,
                               const CipherVector *v, const uint8_t *src)
{
    memset(req, 0, DATA_REQ_LEN);
    stl_le_p(req + 0, opcode);
    stq_le_p(req + 8, id);
    stl_le_p(req + 24 + 0, v->iv_len);
    stl_le_p(req + 24 + 4, v->len);
    stl_le_p(req + 24 + 8, v->len);
    stl_le_p(req + 24 + 40, VIRTIO_CRYPTO_SYM_OP_CIPHER);
    memcpy(req + DATA_REQ_LEN, v->iv, v->iv_len);
    memcpy(req + DATA_REQ_LEN + v->iv_len, src, v->len);
    return DATA_REQ_LEN + v->iv_len + v->len;
}

/*
 * AMB-9 / X-7: full rings on every data queue at once, encrypting on some
 * queues and decrypting on the others with two sessions shared by all of
 * them; every result is checked.
 */
static void test_parallel_queues(void *obj, void *data,
                                 QGuestAllocator *alloc)
{
    const CipherVector *v = find_vector("cbc-aes128");
    g_autofree Inflight *fs = NULL;
    uint8_t req[DATA_REQ_LEN + 64 + 64], in[65];
    uint64_t enc, dec;
    uint32_t q, i;
    CryptoDev c;

    g_assert_cmpuint(v->len, <=, 64);
    crypto_dev_init(&c, obj, alloc);
    g_assert_cmpuint(c.nqueues, ==, 4);
    g_assert_cmpuint(create_cipher_session(&c, v->algo,
                                           VIRTIO_CRYPTO_OP_ENCRYPT, v->key,
                                           v->key_len, &enc),
                     ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpuint(create_cipher_session(&c, v->algo,
                                           VIRTIO_CRYPTO_OP_DECRYPT, v->key,
                                           v->key_len, &dec),
                     ==, VIRTIO_CRYPTO_OK);
    fs = g_new0(Inflight, c.nqueues);
    for (q = 0; q < c.nqueues; q++) {
        bool encrypt = q % 2 == 0;

        fs[q].vq = c.vqs[q];
        fs[q].in_len = v->len + 1;
        for (i = 0; i < INFLIGHT_REQS; i++) {
            inflight_add(&c, &fs[q], req,
                         cipher_req_bytes(req, encrypt ?
                                          VIRTIO_CRYPTO_CIPHER_ENCRYPT :
                                          VIRTIO_CRYPTO_CIPHER_DECRYPT,
                                          encrypt ? enc : dec, v,
                                          encrypt ? v->pt : v->ct));
        }
    }
    for (q = 0; q < c.nqueues; q++) {
        inflight_publish(&c, &fs[q]);
    }
    inflight_wait(&c, fs, c.nqueues);
    for (q = 0; q < c.nqueues; q++) {
        for (i = 0; i < fs[q].n; i++) {
            inflight_read(&c, &fs[q], i, in);
            g_assert_cmpuint(in[v->len], ==, VIRTIO_CRYPTO_OK);
            g_assert_cmpmem(in, v->len, q % 2 == 0 ? v->ct : v->pt, v->len);
        }
        inflight_free(&c, &fs[q]);
    }
    crypto_dev_cleanup(&c);
}

/*
 * AMB-24: DESTROY_SESSION while requests of the session are in flight on
 * every queue.  Each request completes either with the right result or
 * with INVSESS; afterwards the id is dead.
 */
static void test_destroy_inflight(void *obj, void *data,
                                  QGuestAllocator *alloc)
{
    const CipherVector *v = find_vector("cbc-aes128");
    g_autofree Inflight *fs = NULL;
    uint8_t req[DATA_REQ_LEN + 64 + 64], in[65], out[64];
    uint32_t q, i, used;
    uint64_t id;
    CryptoDev c;

    crypto_dev_init(&c, obj, alloc);
    g_assert_cmpuint(create_cipher_session(&c, v->algo,
                                           VIRTIO_CRYPTO_OP_ENCRYPT, v->key,
                                           v->key_len, &id),
                     ==, VIRTIO_CRYPTO_OK);
    fs = g_new0(Inflight, c.nqueues);
    for (q = 0; q < c.nqueues; q++) {
        fs[q].vq = c.vqs[q];
        fs[q].in_len = v->len + 1;
        for (i = 0; i < INFLIGHT_REQS; i++) {
            inflight_add(&c, &fs[q], req,
                         cipher_req_bytes(req, VIRTIO_CRYPTO_CIPHER_ENCRYPT,
                                          id, v, v->pt));
        }
    }
    for (q = 0; q < c.nqueues; q++) {
        inflight_publish(&c, &fs[q]);
    }
    g_assert_cmpuint(destroy_session(&c, VIRTIO_CRYPTO_CIPHER_DESTROY_SESSION,
                                     id), ==, VIRTIO_CRYPTO_OK);
    inflight_wait(&c, fs, c.nqueues);
    for (q = 0; q < c.nqueues; q++) {
        for (i = 0; i < fs[q].n; i++) {
            inflight_read(&c, &fs[q], i, in);
            if (in[v->len] == VIRTIO_CRYPTO_OK) {
                g_assert_cmpmem(in, v->len, v->ct, v->len);
            } else {
                g_assert_cmpuint(in[v->len], ==, VIRTIO_CRYPTO_INVSESS);
            }
        }
        inflight_free(&c, &fs[q]);
    }
    g_assert_cmpuint(cipher_request(&c, 1, VIRTIO_CRYPTO_CIPHER_ENCRYPT, id,
                                    v->iv, v->iv_len, v->pt, v->len, out, 0,
                                    &used), ==, VIRTIO_CRYPTO_INVSESS);
    crypto_dev_cleanup(&c);
}

/* An RSA PKCS#1 signing session for the in-flight tests */
static uint64_t rsa_sign_session(CryptoDev *c)
{
    uint64_t id;

    g_assert_true(service_offered(c, VIRTIO_CRYPTO_SERVICE_AKCIPHER,
                                  c->akcipher_algo,
                                  VIRTIO_CRYPTO_AKCIPHER_RSA));
    g_assert_cmpuint(create_akc_session(c, VIRTIO_CRYPTO_AKCIPHER_RSA,
                                        AKC_PRIVATE,
                                        VIRTIO_CRYPTO_RSA_PKCS1_PADDING,
                                        VIRTIO_CRYPTO_RSA_SHA256,
                                        rsa_priv_der, sizeof(rsa_priv_der),
                                        &id), ==, VIRTIO_CRYPTO_OK);
    return id;
}

/* Queue INFLIGHT_REQS RSA signatures on data queue 0 */
static void rsa_sign_inflight(CryptoDev *c, Inflight *f, uint64_t id)
{
    uint8_t req[DATA_REQ_LEN + 32] = { 0 };
    uint32_t i;

    stl_le_p(req + 0, VIRTIO_CRYPTO_AKCIPHER_SIGN);
    stq_le_p(req + 8, id);
    stl_le_p(req + 24 + 0, 32);
    stl_le_p(req + 24 + 4, 128);
    memcpy(req + DATA_REQ_LEN, rsa_sha256_digest, 32);
    f->vq = c->vqs[0];
    f->in_len = 128 + 1;
    for (i = 0; i < INFLIGHT_REQS; i++) {
        inflight_add(c, f, req, sizeof(req));
    }
}

/*
 * No request holds the main loop: while a queue full of RSA signatures
 * runs, QMP answers before the batch is done.
 */
static void test_main_loop_free(void *obj, void *data, QGuestAllocator *alloc)
{
    g_autofree Inflight *f = g_new0(Inflight, 1);
    uint8_t in[129];
    uint16_t used_idx;
    QDict *resp;
    uint32_t i;
    CryptoDev c;

    crypto_dev_init(&c, obj, alloc);
    rsa_sign_inflight(&c, f, rsa_sign_session(&c));
    inflight_publish(&c, f);
    resp = qtest_qmp(c.qts, "{'execute': 'query-status'}");
    g_assert_true(qdict_haskey(resp, "return"));
    qobject_unref(resp);
    used_idx = qtest_readw(c.qts, f->vq->used + 2);
    g_assert_cmpuint(used_idx - f->vq->last_used_idx, <, f->n);

    inflight_wait(&c, f, 1);
    for (i = 0; i < f->n; i++) {
        inflight_read(&c, f, i, in);
        g_assert_cmpuint(in[128], ==, VIRTIO_CRYPTO_OK);
        g_assert_cmpmem(in, 128, rsa_pkcs1_sig, 128);
    }
    inflight_free(&c, f);
    crypto_dev_cleanup(&c);
}

/*
 * Reset with a full ring in flight: the device drops what it holds (the
 * ASan/LSan run checks that everything is freed) and works afterwards.
 */
static void test_reset_inflight(void *obj, void *data, QGuestAllocator *alloc)
{
    const CipherVector *v = find_vector("cbc-aes128");
    g_autofree Inflight *f = g_new0(Inflight, 1);
    uint8_t out[64];
    uint32_t used;
    CryptoDev c;

    crypto_dev_init(&c, obj, alloc);
    rsa_sign_inflight(&c, f, rsa_sign_session(&c));
    inflight_publish(&c, f);
    crypto_dev_cleanup(&c);
    qvirtio_reset(c.dev);
    inflight_free(&c, f);

    qvirtio_set_acknowledge(c.dev);
    qvirtio_set_driver(c.dev);
    crypto_dev_init(&c, obj, alloc);
    run_vector(&c, v, 0, 0);
    g_assert_cmpuint(cipher_request(&c, 0, VIRTIO_CRYPTO_CIPHER_ENCRYPT, 1,
                                    v->iv, v->iv_len, v->pt, v->len, out, 0,
                                    &used), ==, VIRTIO_CRYPTO_INVSESS);
    crypto_dev_cleanup(&c);
}

/*
 * No request runs while the VM is stopped: a queue full of RSA signatures
 * is published, the VM stopped (requests not yet run go back to the ring)
 * and nothing completes until it runs again; then every request completes
 * exactly once with the right signature.
 */
static void test_vm_stop(void *obj, void *data, QGuestAllocator *alloc)
{
    g_autofree Inflight *f = g_new0(Inflight, 1);
    uint16_t stopped_idx;
    uint8_t in[129];
    uint32_t i;
    CryptoDev c;

    crypto_dev_init(&c, obj, alloc);
    rsa_sign_inflight(&c, f, rsa_sign_session(&c));
    inflight_publish(&c, f);
    qtest_qmp_assert_success(c.qts, "{'execute': 'stop'}");
    stopped_idx = qtest_readw(c.qts, f->vq->used + 2);
    /* The stop came while requests were still waiting or running */
    g_assert_cmpuint(stopped_idx, <, f->n);
    g_usleep(200 * 1000);
    g_assert_cmpuint(qtest_readw(c.qts, f->vq->used + 2), ==, stopped_idx);
    qtest_qmp_assert_success(c.qts, "{'execute': 'cont'}");

    inflight_wait(&c, f, 1);
    for (i = 0; i < f->n; i++) {
        inflight_read(&c, f, i, in);
        g_assert_cmpuint(in[128], ==, VIRTIO_CRYPTO_OK);
        g_assert_cmpmem(in, 128, rsa_pkcs1_sig, 128);
    }
    inflight_free(&c, f);
    crypto_dev_cleanup(&c);
}

/*
 * Unplug: a hot-added device with two data queues (two worker threads)
 * is realized and unrealized (the workers are stopped and joined; the
 * ASan/LSan run checks that nothing is left), and the first device still
 * works afterwards.
 */
static void test_hotplug(void *obj, void *data, QGuestAllocator *alloc)
{
    CryptoDev c;

    crypto_dev_init(&c, obj, alloc);
    qtest_qmp_assert_success(c.qts,
                             "{'execute': 'object-add', 'arguments': "
                             "{'qom-type': 'cryptodev-backend-builtin', "
                             "'id': 'hpc0', 'queues': 2}}");
    qtest_qmp_device_add(c.qts, "virtio-crypto-pci", "vchp",
                         "{'addr': %s, 'cryptodev': 'hpc0'}", "0x06");
    qpci_unplug_acpi_device_test(c.qts, "vchp", 0x06);
    qtest_qmp_assert_success(c.qts,
                             "{'execute': 'object-del', 'arguments': "
                             "{'id': 'hpc0'}}");
    run_vector(&c, find_vector("cbc-aes128"), 0, 0);
    crypto_dev_cleanup(&c);
}

/*
 * Unplug with a full ring in flight: a hot-added 2-queue device gets a
 * queue of RSA signatures and is unplugged while they run.  Unrealize
 * quiesces its worker (which completes the request it runs and detaches
 * every other one it holds, mapped for its RCU critical section or not)
 * and joins it; the ASan/LSan run checks that nothing is left, and the
 * first device still works.
 */
static void test_unplug_inflight(void *obj, void *data,
                                 QGuestAllocator *alloc)
{
    QVirtioCrypto *crypto = obj;
    QVirtioPCIDevice *pci = container_of(crypto->vdev, QVirtioPCIDevice,
                                         vdev);
    QPCIAddress addr = { .devfn = QPCI_DEVFN(6, 0) };
    g_autofree Inflight *f = g_new0(Inflight, 1);
    QVirtioCrypto hp_crypto;
    QVirtioPCIDevice *hp;
    CryptoDev c, h;
    uint32_t i;

    crypto_dev_init(&c, obj, alloc);
    qtest_qmp_assert_success(c.qts,
                             "{'execute': 'object-add', 'arguments': "
                             "{'qom-type': 'cryptodev-backend-builtin', "
                             "'id': 'hpc0', 'queues': 2}}");
    qtest_qmp_device_add(c.qts, "virtio-crypto-pci", "vchp",
                         "{'addr': %s, 'cryptodev': 'hpc0'}", "0x06");
    hp = virtio_pci_new(pci->pdev->bus, &addr);
    g_assert_nonnull(hp);
    qvirtio_pci_device_enable(hp);
    qvirtio_start_device(&hp->vdev);
    hp_crypto.vdev = &hp->vdev;
    crypto_dev_init(&h, &hp_crypto, alloc);
    g_assert_cmpuint(h.nqueues, ==, 2);
    rsa_sign_inflight(&h, f, rsa_sign_session(&h));
    inflight_publish(&h, f);

    qpci_unplug_acpi_device_test(c.qts, "vchp", 0x06);
    /* The unplug came while signatures were still waiting or running */
    g_assert_cmpuint(qtest_readw(c.qts, f->vq->used + 2), <, f->n);
    inflight_free(&h, f);
    for (i = 0; i <= h.nqueues; i++) {
        guest_free(alloc, h.vqs[i]->desc);
        g_free(container_of(h.vqs[i], QVirtQueuePCI, vq));
    }
    g_free(h.vqs);
    g_free(hp->pdev);
    g_free(hp);
    qtest_qmp_assert_success(c.qts,
                             "{'execute': 'object-del', 'arguments': "
                             "{'id': 'hpc0'}}");
    run_vector(&c, find_vector("cbc-aes128"), 0, 0);
    crypto_dev_cleanup(&c);
}

/*
 * Readable bytes per descriptor that make a legacy 64-byte cipher request
 * (72 + 16 + 64 bytes) a chain of 39 descriptors, more than a slot of the
 * device's request pool holds (16 iovecs)
 */
#define LONG_CHAIN_SPLIT 4

/*
 * GEN-1: a chain longer than a pool slot holds is popped into an
 * allocation instead (virtqueue_pop_into() falls back), in the same
 * batches as pooled requests: 20 chains of 39 descriptors and 40 of 2 in
 * flight at once, every result checked.
 */
static void test_pool_fallback(void *obj, void *data, QGuestAllocator *alloc)
{
    const CipherVector *v = find_vector("cbc-aes128");
    g_autofree Inflight *f = g_new0(Inflight, 1);
    uint8_t req[DATA_REQ_LEN + 64 + 64], in[65];
    size_t len;
    uint32_t i;
    CryptoDev c;

    crypto_dev_init(&c, obj, alloc);
    f->vq = c.vqs[0];
    f->in_len = v->len + 1;
    len = cipher_req_bytes(req, VIRTIO_CRYPTO_CIPHER_ENCRYPT,
                           cbc_session(&c, VIRTIO_CRYPTO_OP_ENCRYPT), v,
                           v->pt);
    for (i = 0; i < 60; i++) {
        inflight_add_split(&c, f, req, len,
                           i % 3 == 1 ? LONG_CHAIN_SPLIT : len);
    }
    inflight_publish(&c, f);
    inflight_wait(&c, f, 1);
    for (i = 0; i < f->n; i++) {
        inflight_read(&c, f, i, in);
        g_assert_cmpuint(in[v->len], ==, VIRTIO_CRYPTO_OK);
        g_assert_cmpmem(in, v->len, v->ct, v->len);
    }
    inflight_free(&c, f);
    crypto_dev_cleanup(&c);
}

/*
 * INFLIGHT_REQS encryptions of the cbc-aes128 vector with session @id,
 * published at once on data queue 0; every result is checked.
 */
static void cbc_burst(CryptoDev *c, uint64_t id)
{
    const CipherVector *v = find_vector("cbc-aes128");
    g_autofree Inflight *f = g_new0(Inflight, 1);
    uint8_t req[DATA_REQ_LEN + 64 + 64], in[65];
    uint32_t i;

    f->vq = c->vqs[0];
    f->in_len = v->len + 1;
    for (i = 0; i < INFLIGHT_REQS; i++) {
        inflight_add(c, f, req,
                     cipher_req_bytes(req, VIRTIO_CRYPTO_CIPHER_ENCRYPT, id,
                                      v, v->pt));
    }
    inflight_publish(c, f);
    inflight_wait(c, f, 1);
    for (i = 0; i < f->n; i++) {
        inflight_read(c, f, i, in);
        g_assert_cmpuint(in[v->len], ==, VIRTIO_CRYPTO_OK);
        g_assert_cmpmem(in, v->len, v->ct, v->len);
    }
    inflight_free(c, f);
}

/* The log of trace event @event for this test */
static char *trace_log_path(const char *event)
{
    return g_strdup_printf("%s/virtio-crypto-qtest-%s-%d.log",
                           g_get_tmp_dir(), event, (int)getpid());
}

/* Log trace event @event of the QEMU this test starts */
static void trace_log_setup(GString *cmd_line, const char *event)
{
    g_autofree char *path = trace_log_path(event);

    unlink(path);
    g_string_append_printf(cmd_line, " -trace enable=%s,file=%s", event,
                           path);
}

/* Times trace event @event fired so far (one log line each) */
static unsigned int trace_log_count(const char *event)
{
    g_autofree char *path = trace_log_path(event);
    g_autofree char *text = NULL;
    unsigned int n = 0;
    const char *p;

    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        return 0;
    }
    for (p = text; (p = strstr(p, event)); p++) {
        n++;
    }
    return n;
}

static void *alloc_trace_setup(GString *cmd_line, void *arg)
{
    trace_log_setup(cmd_line, "virtqueue_alloc_element");
    return arg;
}

static unsigned int alloc_trace_count(void)
{
    return trace_log_count("virtqueue_alloc_element");
}

/* x-yield-us=@arg, with the worker's yields traced */
static void *yield_setup(GString *cmd_line, void *arg)
{
    g_string_append_printf(cmd_line,
                           " -global virtio-crypto-device.x-yield-us=%s",
                           (const char *)arg);
    trace_log_setup(cmd_line, "virtio_crypto_dataq_yield");
    return arg;
}

/*
 * A worker shares its CPU (x-yield-us): INFLIGHT_REQS cipher requests
 * published at once are popped in several batches back to back.  With a
 * slice of 1 us the worker yields before each batch after the first; with
 * 0 it never yields.  Either way every result is right.  An x-yield-us
 * above a second is refused.
 */
static void test_worker_yield(void *obj, void *data, QGuestAllocator *alloc)
{
    bool on = strcmp(data, "0") != 0;
    g_autofree char *path = trace_log_path("virtio_crypto_dataq_yield");
    QDict *resp;
    uint64_t id;
    CryptoDev c;

    crypto_dev_init(&c, obj, alloc);
    id = cbc_session(&c, VIRTIO_CRYPTO_OP_ENCRYPT);
    g_assert_cmpuint(trace_log_count("virtio_crypto_dataq_yield"), ==, 0);

    cbc_burst(&c, id);
    if (on) {
        /* 200 requests are at least 4 batches of VIRTIO_CRYPTO_DATAQ_BATCH */
        g_assert_cmpuint(trace_log_count("virtio_crypto_dataq_yield"), >=, 1);
    } else {
        g_assert_cmpuint(trace_log_count("virtio_crypto_dataq_yield"), ==, 0);
    }

    qtest_qmp_assert_success(c.qts,
                             "{'execute': 'object-add', 'arguments': "
                             "{'qom-type': 'cryptodev-backend-builtin', "
                             "'id': 'yc0'}}");
    resp = qtest_qmp(c.qts, "{'execute': 'device_add', 'arguments': "
                     "{'driver': 'virtio-crypto-pci', 'id': 'vcy', "
                     "'cryptodev': 'yc0', 'x-yield-us': 1000001}}");
    g_assert_true(qdict_haskey(resp, "error"));
    qobject_unref(resp);
    crypto_dev_cleanup(&c);
    unlink(path);
}

/*
 * No allocation per request on the data path: 200 cipher requests in
 * flight are popped into the device's request pool, so the virtio core
 * allocates no element for them (trace virtqueue_alloc_element; the
 * control requests before are allocated, which shows the trace works),
 * and a chain longer than a pool slot costs exactly one allocation.
 */
static void test_pool_no_alloc(void *obj, void *data, QGuestAllocator *alloc)
{
    const CipherVector *v = find_vector("cbc-aes128");
    g_autofree char *path = trace_log_path("virtqueue_alloc_element");
    uint8_t out[64];
    unsigned int before;
    uint32_t used;
    uint64_t id;
    CryptoDev c;

    crypto_dev_init(&c, obj, alloc);
    id = cbc_session(&c, VIRTIO_CRYPTO_OP_ENCRYPT);
    before = alloc_trace_count();
    g_assert_cmpuint(before, >, 0);

    cbc_burst(&c, id);
    g_assert_cmpuint(alloc_trace_count(), ==, before);

    g_assert_cmpuint(cipher_request(&c, 0, VIRTIO_CRYPTO_CIPHER_ENCRYPT, id,
                                    v->iv, v->iv_len, v->pt, v->len, out,
                                    LONG_CHAIN_SPLIT, &used),
                     ==, VIRTIO_CRYPTO_OK);
    g_assert_cmpmem(out, v->len, v->ct, v->len);
    g_assert_cmpuint(alloc_trace_count(), ==, before + 1);
    crypto_dev_cleanup(&c);
    unlink(path);
}

/* A guest-physical address far above RAM and every device: not RAM */
#define BOGUS_GPA (1ull << 44)

/*
 * One cipher request: header and IV in RAM, src at @src_gpa (64 bytes),
 * dst and status at @dst_gpa, or in RAM when it is 0.  Returns true when
 * the device answered, with the status byte in *@status.
 */
static bool bogus_request(CryptoDev *c, uint64_t id, uint64_t src_gpa,
                          uint64_t dst_gpa, uint8_t *status)
{
    const CipherVector *v = find_vector("cbc-aes128");
    uint8_t req[DATA_REQ_LEN + 64 + 64];
    uint64_t addr = guest_alloc(c->alloc, DATA_REQ_LEN + 16 + 65);
    uint64_t in_addr = dst_gpa ? dst_gpa : addr + DATA_REQ_LEN + 16;
    QVirtQueue *vq = c->vqs[0];
    uint32_t head, len;
    gint64 deadline;

    g_assert_cmpuint(v->len, ==, 64);
    cipher_req_bytes(req, VIRTIO_CRYPTO_CIPHER_ENCRYPT, id, v, v->pt);
    memwrite(addr, req, DATA_REQ_LEN + 16);
    if (!dst_gpa) {
        qtest_memset(c->qts, in_addr, 0xa5, 65);
    }
    head = qvirtqueue_add(c->qts, vq, addr, DATA_REQ_LEN + 16, false, true);
    qvirtqueue_add(c->qts, vq, src_gpa, 64, false, true);
    qvirtqueue_add(c->qts, vq, in_addr, 65, true, false);
    qvirtqueue_kick(c->qts, c->dev, vq, head);

    deadline = g_get_monotonic_time() + CRYPTO_TIMEOUT_US;
    for (;;) {
        if (qvirtqueue_get_buf(c->qts, vq, &head, &len)) {
            if (!dst_gpa) {
                *status = qtest_readb(c->qts, in_addr + 64);
            }
            guest_free(c->alloc, addr);
            return true;
        }
        if (c->dev->bus->get_status(c->dev) & VIRTIO_CONFIG_S_NEEDS_RESET) {
            guest_free(c->alloc, addr);
            return false;
        }
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        qtest_clock_step(c->qts, 100);
    }
}

/*
 * X-4: buffers outside guest RAM.  Such a chain is mapped the usual way
 * (address_space_map(), whose one bounce buffer serves one such buffer at
 * a time), not for the worker's RCU critical section.  A src buffer
 * outside RAM: the request is answered (the cipher ran on what the bounce
 * buffer read), twice in a row (the bounce buffer was given back), and a
 * request in RAM after it is right.  Two such buffers in one chain: the
 * second cannot be mapped and the device marks itself broken
 * (DEVICE_NEEDS_RESET, virtio_error); after a reset it works again.
 */
static void test_bogus_address(void *obj, void *data, QGuestAllocator *alloc)
{
    const CipherVector *v = find_vector("cbc-aes128");
    uint8_t out[64], status;
    uint32_t used, i;
    uint64_t id;
    CryptoDev c;

    crypto_dev_init(&c, obj, alloc);
    id = cbc_session(&c, VIRTIO_CRYPTO_OP_ENCRYPT);
    for (i = 0; i < 2; i++) {
        status = 0xa5;
        g_assert_true(bogus_request(&c, id, BOGUS_GPA, 0, &status));
        g_assert_true(status == VIRTIO_CRYPTO_OK ||
                      status == VIRTIO_CRYPTO_ERR);
        g_assert_cmpuint(cipher_request(&c, 0, VIRTIO_CRYPTO_CIPHER_ENCRYPT,
                                        id, v->iv, v->iv_len, v->pt, v->len,
                                        out, 0, &used), ==, VIRTIO_CRYPTO_OK);
        g_assert_cmpmem(out, v->len, v->ct, v->len);
    }
    g_assert_false(bogus_request(&c, id, BOGUS_GPA, BOGUS_GPA + 4096,
                                 &status));

    crypto_dev_cleanup(&c);
    qvirtio_reset(c.dev);
    qvirtio_set_acknowledge(c.dev);
    qvirtio_set_driver(c.dev);
    crypto_dev_init(&c, obj, alloc);
    run_vector(&c, v, 0, 0);
    crypto_dev_cleanup(&c);
}

/* Data queue 0's size as the guest sets it up in queue-resize-live */
#define RESIZE_FIRST_SIZE 64
/* Requests sent after each size change */
#define RESIZE_REQS       100

/*
 * One AES-CBC encrypt on @vq in descriptors 0 and 1 (the request before is
 * complete, so the guest reuses them).  Returns true when the device
 * answered, after checking the answer, and false when it marked itself
 * broken (DEVICE_NEEDS_RESET) instead.
 */
static bool resize_request(CryptoDev *c, QVirtQueue *vq, uint64_t id)
{
    const CipherVector *v = find_vector("cbc-aes128");
    uint8_t req[DATA_REQ_LEN + 64 + 64], in[65];
    size_t len = cipher_req_bytes(req, VIRTIO_CRYPTO_CIPHER_ENCRYPT, id, v,
                                  v->pt);
    uint64_t addr = guest_alloc(c->alloc, len + sizeof(in));
    gint64 deadline = g_get_monotonic_time() + CRYPTO_TIMEOUT_US;
    bool answered = false;
    uint32_t head, used;

    g_assert_cmpuint(v->len + 1, ==, sizeof(in));
    memwrite(addr, req, len);
    qtest_memset(c->qts, addr + len, 0xa5, sizeof(in));
    vq->free_head = 0;
    vq->num_free = vq->size;
    head = qvirtqueue_add(c->qts, vq, addr, len, false, true);
    qvirtqueue_add(c->qts, vq, addr + len, sizeof(in), true, false);
    qvirtqueue_kick(c->qts, c->dev, vq, head);
    for (;;) {
        if (qvirtqueue_get_buf(c->qts, vq, &head, &used)) {
            answered = true;
            break;
        }
        if (c->dev->bus->get_status(c->dev) & VIRTIO_CONFIG_S_NEEDS_RESET) {
            break;
        }
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        qtest_clock_step(c->qts, 100);
    }
    if (answered) {
        g_assert_cmpuint(head, ==, 0);
        g_assert_cmpuint(used, ==, sizeof(in));
        memread(addr + len, in, sizeof(in));
        g_assert_cmpuint(in[v->len], ==, VIRTIO_CRYPTO_OK);
        g_assert_cmpmem(in, v->len, v->ct, v->len);
    }
    guest_free(c->alloc, addr);
    return answered;
}

/*
 * The guest changes queue_size of a live data queue, which a driver must
 * not do (VIRTIO 1.3 4.1.4.3.2: the other virtqueue fields are configured
 * before queue_enable).  Set up with 64 entries and used until its avail
 * index is past 64, the queue is grown to 1024 after DRIVER_OK, so the
 * next avail entry the device reads lies beyond the ring it was set up
 * with; it gets requests one at a time, then is shrunk to 16 and gets as
 * many again.  The guest goes on with the size it reads back.  Each
 * request is answered right or the device marks itself broken, QEMU
 * answers QMP, and after a reset the device works.  (7.2's virtio core
 * kept the region caches of the old size, so that read hit the range
 * assertion of memory_ldst_cached.h.inc and QEMU aborted.)
 */
static void test_queue_resize_live(void *obj, void *data,
                                   QGuestAllocator *alloc)
{
    static const uint16_t sizes[] = { MAX_QUEUE_SIZE, 16 };
    bool broken = false;
    QVirtQueue *vq;
    uint16_t size;
    uint32_t i, k;
    uint64_t id;
    QDict *resp;
    CryptoDev c;

    crypto_dev_init_sized(&c, obj, alloc, 0, RESIZE_FIRST_SIZE);
    vq = c.vqs[0];
    id = cbc_session(&c, VIRTIO_CRYPTO_OP_ENCRYPT);
    for (i = 0; i < RESIZE_REQS; i++) {
        g_assert_true(resize_request(&c, vq, id));
    }
    for (k = 0; k < G_N_ELEMENTS(sizes) && !broken; k++) {
        c.dev->bus->queue_select(c.dev, 0);
        common_cfg_writew(&c, CC_QUEUE_SIZE, sizes[k]);
        size = c.dev->bus->get_queue_size(c.dev);
        /* The device took the new size or kept the old one */
        g_assert_true(size == sizes[k] || size == vq->size);
        vq->size = size;
        for (i = 0; i < RESIZE_REQS && !broken; i++) {
            broken = !resize_request(&c, vq, id);
        }
        resp = qtest_qmp(c.qts, "{'execute': 'query-status'}");
        g_assert_true(qdict_haskey(resp, "return"));
        qobject_unref(resp);
    }
    if (!broken) {
        vq->free_head = 0;
        run_vector(&c, find_vector("cbc-aes128"), 0, 0);
    }

    crypto_dev_cleanup(&c);
    qvirtio_reset(c.dev);
    qvirtio_set_acknowledge(c.dev);
    qvirtio_set_driver(c.dev);
    crypto_dev_init(&c, obj, alloc);
    g_assert_cmpuint(c.vqs[0]->size, ==, MAX_QUEUE_SIZE);
    run_vector(&c, find_vector("cbc-aes128"), 0, 0);
    crypto_dev_cleanup(&c);
}

static void register_virtio_crypto_test(void)
{
    static const char *const faults[] = {
        "bad-status", "used-len-big", "used-len-zero", "drop",
    };
    size_t i;
    QOSGraphTestOptions mq_opts = {
        .before = multiqueue_setup,
    };
    QOSGraphTestOptions max_size_opts = {
        .before = max_size_setup,
    };
    QOSGraphTestOptions fault_ctrl_opts = {
        .before = fault_ctrl_setup,
    };
    QOSGraphTestOptions alloc_trace_opts = {
        .before = alloc_trace_setup,
    };
    QOSGraphTestOptions limit_opts = {
        .before = session_limit_setup,
    };

    qos_add_test("config", "virtio-crypto", test_config, NULL);
    qos_add_test("cbc-smoke", "virtio-crypto", test_cbc_smoke, NULL);
    qos_add_test("advertised-akcipher", "virtio-crypto",
                 test_advertised_akcipher, NULL);
    qos_add_test("advertised-ciphers", "virtio-crypto",
                 test_advertised_ciphers, NULL);
    qos_add_test("aes-modes", "virtio-crypto", test_aes_modes, NULL);
    qos_add_test("descriptor-split", "virtio-crypto", test_descriptor_split,
                 NULL);
    qos_add_test("multiqueue", "virtio-crypto", test_all_queues, &mq_opts);
    qos_add_test("parallel-queues", "virtio-crypto", test_parallel_queues,
                 &mq_opts);
    qos_add_test("destroy-inflight", "virtio-crypto", test_destroy_inflight,
                 &mq_opts);
    qos_add_test("main-loop-free", "virtio-crypto", test_main_loop_free,
                 NULL);
    qos_add_test("reset-inflight", "virtio-crypto", test_reset_inflight,
                 NULL);
    qos_add_test("vm-stop", "virtio-crypto", test_vm_stop, NULL);
    qos_add_test("hotplug", "virtio-crypto", test_hotplug, NULL);
    qos_add_test("unplug-inflight", "virtio-crypto", test_unplug_inflight,
                 NULL);
    qos_add_test("pool-fallback", "virtio-crypto", test_pool_fallback, NULL);
    qos_add_test("pool-no-alloc", "virtio-crypto", test_pool_no_alloc,
                 &alloc_trace_opts);
    qos_add_test("bogus-address", "virtio-crypto", test_bogus_address, NULL);
    qos_add_test("queue-resize-live", "virtio-crypto", test_queue_resize_live,
                 NULL);
    qos_add_test("malformed-data", "virtio-crypto", test_malformed_data, NULL);
    qos_add_test("malformed-ctrl", "virtio-crypto", test_malformed_ctrl, NULL);
    qos_add_test("session-limit", "virtio-crypto", test_session_limit,
                 &limit_opts);
    qos_add_test("reset-sessions", "virtio-crypto", test_reset_sessions,
                 NULL);
    qos_add_test("max-size", "virtio-crypto", test_max_size, &max_size_opts);
    qos_add_test("no-status-byte", "virtio-crypto", test_no_status_byte,
                 NULL);
    qos_add_test("hash", "virtio-crypto", test_hash, NULL);
    qos_add_test("mac", "virtio-crypto", test_mac, NULL);
    qos_add_test("typed-sessions", "virtio-crypto", test_typed_sessions,
                 NULL);
    qos_add_test("malformed-hash", "virtio-crypto", test_malformed_hash,
                 NULL);
    QOSGraphTestOptions no_rev1_opts = {
        .before = no_rev1_setup,
    };

    qos_add_test("chaining", "virtio-crypto", test_chaining, NULL);
    qos_add_test("aead", "virtio-crypto", test_aead, NULL);
    qos_add_test("rsa", "virtio-crypto", test_rsa, NULL);
    qos_add_test("ecdsa", "virtio-crypto", test_ecdsa, NULL);
    qos_add_test("malformed-akcipher", "virtio-crypto",
                 test_malformed_akcipher, NULL);
    qos_add_test("malformed-aead", "virtio-crypto", test_malformed_aead,
                 NULL);
    qos_add_test("rev1-features", "virtio-crypto", test_rev1_features, NULL);
    qos_add_test("rev1-off", "virtio-crypto", test_rev1_off, &no_rev1_opts);
    qos_add_test("rev1-sessions", "virtio-crypto", test_rev1_sessions, NULL);
    {
        QOSGraphTestOptions idle_opts = { .before = idle_workers_setup };

        qos_add_test("idle-workers", "virtio-crypto", test_idle_workers,
                     &idle_opts);
    }
    {
        QOSGraphTestOptions yield_opts = {
            .before = yield_setup, .arg = (void *)"1",
        };
        QOSGraphTestOptions no_yield_opts = {
            .before = yield_setup, .arg = (void *)"0",
        };

        qos_add_test("worker-yield", "virtio-crypto", test_worker_yield,
                     &yield_opts);
        qos_add_test("worker-no-yield", "virtio-crypto", test_worker_yield,
                     &no_yield_opts);
    }
    qos_add_test("stateless", "virtio-crypto", test_stateless, NULL);
    qos_add_test("stateless-burst", "virtio-crypto", test_stateless_burst,
                 NULL);
    qos_add_test("stateless-aead-akcipher", "virtio-crypto",
                 test_stateless_aead_akcipher, NULL);
    qos_add_test("stateless-chaining", "virtio-crypto",
                 test_stateless_chaining, NULL);
    qos_add_test("rev1-no-stateless", "virtio-crypto",
                 test_rev1_no_stateless, NULL);
    qos_add_test("x-fault-ctrl", "virtio-crypto", test_fault_ctrl,
                 &fault_ctrl_opts);
    for (i = 0; i < G_N_ELEMENTS(faults); i++) {
        QOSGraphTestOptions fault_opts = {
            .before = fault_setup,
            .arg = (void *)faults[i],
        };
        g_autofree char *name = g_strdup_printf("x-fault-%s", faults[i]);

        qos_add_test(name, "virtio-crypto", test_fault, &fault_opts);
    }
}

libqos_init(register_virtio_crypto_test);
