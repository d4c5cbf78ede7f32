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
#include "hw/virtio/virtio-crypto-parse.h"
#include "hw/virtio/virtio-crypto-session.h"
#include "qemu/thread.h"
#include "sysemu/runstate.h"
#include "qom/object.h"

#define TYPE_VIRTIO_CRYPTO "virtio-crypto-device"
OBJECT_DECLARE_SIMPLE_TYPE(VirtIOCrypto, VIRTIO_CRYPTO)

/* Default of the max-sessions property: live sessions per device */
#define VIRTIO_CRYPTO_DEFAULT_MAX_SESSIONS 1024
/* Default of the max-size property: bytes of variable data per request */
#define VIRTIO_CRYPTO_DEFAULT_MAX_SIZE     (4 * MiB)

/*
 * Test-only fault injection (property x-fault, off by default): misbehave
 * on data-queue completions so guest drivers can be tested against a
 * broken device.
 */
typedef enum VirtIOCryptoFault {
    VIRTIO_CRYPTO_FAULT_NONE,
    VIRTIO_CRYPTO_FAULT_USED_LEN_BIG,   /* used length beyond the buffer */
    VIRTIO_CRYPTO_FAULT_USED_LEN_ZERO,  /* used length 0 */
    VIRTIO_CRYPTO_FAULT_BAD_STATUS,     /* status byte 0xff */
    VIRTIO_CRYPTO_FAULT_DROP,           /* never complete the request */
} VirtIOCryptoFault;

/* User-visible configuration */
typedef struct VirtIOCryptoConf {
    CryptoDevBackend *cryptodev;
    uint32_t max_sessions;
    uint64_t max_size;
    uint64_t features;      /* revision-1, *-stateless properties */
    char *fault;            /* x-fault */
    uint32_t fault_every;   /* x-fault-every: 1 = every data request */
    bool fault_ctrl;        /* x-fault-ctrl: fault control requests too */
    bool idle_workers;      /* x-idle-workers: SCHED_IDLE data-queue workers */
    uint32_t yield_us;      /* x-yield-us: a worker's slice, 0 = never yield */
} VirtIOCryptoConf;

/* Largest x-yield-us: one second */
#define VIRTIO_CRYPTO_MAX_YIELD_US  1000000

typedef struct VirtIOCryptoSessionTable VirtIOCryptoSessionTable;
typedef struct VirtIOCrypto VirtIOCrypto;

/* Requests a data-queue worker pops at once */
#define VIRTIO_CRYPTO_DATAQ_BATCH  64

typedef struct VirtIOCryptoDataReq VirtIOCryptoDataReq;
typedef struct VirtIOCryptoDataSlot VirtIOCryptoDataSlot;

/* A data queue and its worker thread (virtio-crypto-dataq.c) */
typedef struct VirtIOCryptoQueue {
    VirtQueue *vq;
    VirtIOCrypto *vcrypto;
    uint32_t index;
    QemuThread thread;
    QemuCond wake;          /* with the BQL: kicked or quit changed */
    QemuCond idle;          /* with the BQL: busy or exited changed */
    /* Under the BQL */
    bool kicked;            /* the ring may hold requests */
    bool busy;              /* the worker holds popped requests */
    bool quit;
    bool exited;
    bool cancel;            /* quiescing; also read without the BQL */
    bool pause;             /* VM stopped; also read without the BQL */
    /* The worker's own */
    VirtIOCryptoLimits lim;
    VirtIOCryptoSessionCache session_cache;
    unsigned int pop_max;   /* requests the next pop takes */
    int64_t running_since;  /* batches back to back since; 0 = was idle */
    VirtQueueMapCache map_cache;    /* the batch's translations */
    VirtIOCryptoDataSlot *slots;    /* [VIRTIO_CRYPTO_DATAQ_BATCH] */
    VirtIOCryptoDataReq *batch[VIRTIO_CRYPTO_DATAQ_BATCH];
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
    uint32_t hash_algo;
    uint32_t mac_algo_l;
    uint32_t aead_algo;
    uint32_t akcipher_algo;
    uint32_t max_cipher_key_len;
    uint32_t max_auth_key_len;
    uint64_t max_size;
    uint64_t offered_features;

    VirtIOCryptoSessionTable *sessions;
    VMChangeStateEntry *vmstate;    /* pauses the data-queue workers */

    VirtIOCryptoFault fault;
    uint64_t fault_count;
};

/* Shared by the transport (virtio-crypto.c) and the data queues */
void virtio_crypto_limits(VirtIOCrypto *vcrypto, VirtIOCryptoLimits *lim);
uint8_t virtio_crypto_status_from_ret(int ret);
bool virtio_crypto_apply_fault(VirtIOCrypto *vcrypto, VirtQueue *vq,
                               VirtQueueElement *elem, size_t in_len,
                               size_t status_off, size_t *used);
uint8_t virtio_crypto_backend_session(VirtIOCrypto *vcrypto,
                                      uint32_t queue_index, uint32_t service,
                                      const VirtIOCryptoCipherParams *cp,
                                      const VirtIOCryptoHashParams *hp,
                                      uint32_t aead_tag_len,
                                      const VirtIOCryptoAkcipherParams *ap,
                                      const VirtIOCryptoChainParams *chp,
                                      uint64_t *backend_id);

/* Data queues: virtio-crypto-dataq.c */
void virtio_crypto_dataq_start(VirtIOCryptoQueue *q);
void virtio_crypto_dataq_stop(VirtIOCryptoQueue *q);
void virtio_crypto_dataq_kick(VirtIOCryptoQueue *q);
void virtio_crypto_dataq_quiesce(VirtIOCrypto *vcrypto, int index);
void virtio_crypto_dataq_pause(VirtIOCrypto *vcrypto, bool pause);

#endif /* QEMU_VIRTIO_CRYPTO_H */
