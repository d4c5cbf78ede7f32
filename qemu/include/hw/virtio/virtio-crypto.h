/*
 * virtio-crypto device
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Transport glue: QOM type, properties, virtqueues (N data queues, then
 * the control queue), configuration space, features, reset.  Requests go
 * through three separate steps: parse (virtio-crypto-parse.c), session
 * lookup (virtio-crypto-session.c), execution on the cryptodev backend,
 * then completion back to the virtqueue.
 */

#ifndef QEMU_VIRTIO_CRYPTO_H
#define QEMU_VIRTIO_CRYPTO_H

#include "standard-headers/linux/virtio_crypto.h"
#include "hw/virtio/virtio.h"
#include "sysemu/cryptodev.h"
#include "qom/object.h"

#define TYPE_VIRTIO_CRYPTO "virtio-crypto-device"
OBJECT_DECLARE_SIMPLE_TYPE(VirtIOCrypto, VIRTIO_CRYPTO)

/* Default of the max-sessions property: live sessions per device */
#define VIRTIO_CRYPTO_DEFAULT_MAX_SESSIONS 1024
/* Default of the max-size property: bytes of variable data per request */
#define VIRTIO_CRYPTO_DEFAULT_MAX_SIZE     (4 * MiB)

/* User-visible configuration */
typedef struct VirtIOCryptoConf {
    CryptoDevBackend *cryptodev;
    uint32_t max_sessions;
    uint64_t max_size;
} VirtIOCryptoConf;

typedef struct VirtIOCryptoSessionTable VirtIOCryptoSessionTable;
typedef struct VirtIOCrypto VirtIOCrypto;

typedef struct VirtIOCryptoQueue {
    VirtQueue *vq;
    QEMUBH *bh;
    VirtIOCrypto *vcrypto;
    uint32_t index;
} VirtIOCryptoQueue;

struct VirtIOCrypto {
    VirtIODevice parent_obj;

    VirtIOCryptoConf conf;
    /* The backend, also read by backends/cryptodev-vhost.c */
    CryptoDevBackend *cryptodev;

    VirtQueue *ctrl_vq;
    VirtIOCryptoQueue *vqs;
    uint32_t max_queues;

    /* Values the config space reports, fixed at realize */
    uint32_t status;
    uint32_t crypto_services;
    uint32_t cipher_algo_l;
    uint32_t max_cipher_key_len;
    uint64_t max_size;

    VirtIOCryptoSessionTable *sessions;
};

#endif /* QEMU_VIRTIO_CRYPTO_H */
