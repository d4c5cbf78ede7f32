/*
 * virtio-crypto typed session table
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Thread safe: the control queue changes it while data-queue workers
 * look sessions up.
 *
 * Maps the 64-bit session ids the guest sees to typed sessions (service,
 * operation type, algorithm, direction) and to the backend's own handle.
 * Ids count up and are not reused before the 64-bit counter wraps, so an
 * id from before a reset or a destroy is never valid again (X-8, AMB-24).
 */

#ifndef HW_VIRTIO_CRYPTO_SESSION_H
#define HW_VIRTIO_CRYPTO_SESSION_H

typedef struct VirtIOCryptoSession {
    uint64_t id;            /* guest-visible id */
    uint32_t service;       /* VIRTIO_CRYPTO_SERVICE_* */
    uint32_t op_type;       /* VIRTIO_CRYPTO_SYM_OP_* for CIPHER */
    uint32_t algo;          /* service-specific algorithm */
    uint32_t direction;     /* VIRTIO_CRYPTO_OP_* where it applies */
    uint32_t result_len;    /* HASH/MAC: hash_result_len of the session */
    uint64_t backend_id;    /* handle inside the cryptodev backend */
} VirtIOCryptoSession;

typedef struct VirtIOCryptoSessionTable VirtIOCryptoSessionTable;

/* Called for each session leaving the table (destroy, clear, free) */
typedef void (*VirtIOCryptoSessionRelease)(const VirtIOCryptoSession *s,
                                           void *opaque);

/**
 * virtio_crypto_session_table_new:
 * @max: upper bound on live sessions (at least 1)
 * @release: called for every session that leaves the table
 * @opaque: passed to @release
 */
VirtIOCryptoSessionTable *
virtio_crypto_session_table_new(uint32_t max,
                                VirtIOCryptoSessionRelease release,
                                void *opaque);

/** virtio_crypto_session_table_free: release every session, then free */
void virtio_crypto_session_table_free(VirtIOCryptoSessionTable *t);

/** virtio_crypto_session_table_clear: release every session (reset) */
void virtio_crypto_session_table_clear(VirtIOCryptoSessionTable *t);

/** virtio_crypto_session_table_full: true when no session can be added */
bool virtio_crypto_session_table_full(VirtIOCryptoSessionTable *t);

/** virtio_crypto_session_count: number of live sessions */
uint32_t virtio_crypto_session_count(VirtIOCryptoSessionTable *t);

/**
 * virtio_crypto_session_insert:
 * @t: the table
 * @tmpl: session contents; its id is ignored
 * @id: set to the new guest-visible id
 *
 * Returns: false when the table is full.
 */
bool virtio_crypto_session_insert(VirtIOCryptoSessionTable *t,
                                  const VirtIOCryptoSession *tmpl,
                                  uint64_t *id);

/**
 * virtio_crypto_session_find:
 * @out: filled with a copy of session @id when it is live
 *
 * Safe from any thread; the copy stays valid after a concurrent destroy
 * (the backend then answers INVSESS for its handle).
 * Returns: true when session @id is live.
 */
bool virtio_crypto_session_find(VirtIOCryptoSessionTable *t, uint64_t id,
                                VirtIOCryptoSession *out);

/* One data queue's copy of its last lookup; zero-initialised is empty */
typedef struct VirtIOCryptoSessionCache {
    bool valid;
    uint32_t gen;
    VirtIOCryptoSession s;
} VirtIOCryptoSessionCache;

/**
 * virtio_crypto_session_find_cached:
 * @t: the table
 * @id: guest session id
 * @cache: the caller's cache (one per data queue, never shared)
 * @out: the session, copied
 *
 * virtio_crypto_session_find() that answers from @cache, without taking
 * the table's lock, while @cache holds @id and no session has left the
 * table since it was filled.
 *
 * Returns: true if the session exists.
 */
bool virtio_crypto_session_find_cached(VirtIOCryptoSessionTable *t,
                                       uint64_t id,
                                       VirtIOCryptoSessionCache *cache,
                                       VirtIOCryptoSession *out);

/**
 * virtio_crypto_session_remove:
 * Release session @id.  Returns: false when there is no such session.
 */
bool virtio_crypto_session_remove(VirtIOCryptoSessionTable *t, uint64_t id);

#endif /* HW_VIRTIO_CRYPTO_SESSION_H */
