/*
 * virtio-crypto typed session table
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/atomic.h"
#include "qemu/thread.h"
#include "hw/virtio/virtio-crypto-session.h"

/*
 * The control queue (main loop) inserts and removes sessions while the
 * data-queue workers look them up, so every access takes @lock.  Lookups
 * copy the session out: a worker never holds a pointer into the table.
 * @release runs under @lock.  @gen changes (under @lock) whenever a
 * session leaves the table, so a worker's copy of a session it looked up
 * stays good while @gen has not moved (virtio_crypto_session_find_cached).
 */
struct VirtIOCryptoSessionTable {
    QemuMutex lock;
    GHashTable *sessions;       /* &session->id -> VirtIOCryptoSession */
    uint32_t max;
    uint32_t gen;
    uint64_t next_id;
    VirtIOCryptoSessionRelease release;
    void *opaque;
};

static void session_destroy(gpointer data)
{
    g_free(data);
}

VirtIOCryptoSessionTable *
virtio_crypto_session_table_new(uint32_t max,
                                VirtIOCryptoSessionRelease release,
                                void *opaque)
{
    VirtIOCryptoSessionTable *t = g_new0(VirtIOCryptoSessionTable, 1);

    qemu_mutex_init(&t->lock);
    t->sessions = g_hash_table_new_full(g_int64_hash, g_int64_equal,
                                        NULL, session_destroy);
    t->max = MAX(max, 1);
    /* Start at 1 so a zeroed id field never names a live session */
    t->next_id = 1;
    t->release = release;
    t->opaque = opaque;
    return t;
}

static gboolean release_one(gpointer key, gpointer value, gpointer opaque)
{
    VirtIOCryptoSessionTable *t = opaque;

    if (t->release) {
        t->release(value, t->opaque);
    }
    return TRUE;
}

void virtio_crypto_session_table_clear(VirtIOCryptoSessionTable *t)
{
    qemu_mutex_lock(&t->lock);
    g_hash_table_foreach_remove(t->sessions, release_one, t);
    qatomic_set(&t->gen, t->gen + 1);
    qemu_mutex_unlock(&t->lock);
}

void virtio_crypto_session_table_free(VirtIOCryptoSessionTable *t)
{
    if (!t) {
        return;
    }
    virtio_crypto_session_table_clear(t);
    g_hash_table_destroy(t->sessions);
    qemu_mutex_destroy(&t->lock);
    g_free(t);
}

uint32_t virtio_crypto_session_count(VirtIOCryptoSessionTable *t)
{
    uint32_t n;

    qemu_mutex_lock(&t->lock);
    n = g_hash_table_size(t->sessions);
    qemu_mutex_unlock(&t->lock);
    return n;
}

bool virtio_crypto_session_table_full(VirtIOCryptoSessionTable *t)
{
    return virtio_crypto_session_count(t) >= t->max;
}

bool virtio_crypto_session_insert(VirtIOCryptoSessionTable *t,
                                  const VirtIOCryptoSession *tmpl,
                                  uint64_t *id)
{
    VirtIOCryptoSession *s;

    qemu_mutex_lock(&t->lock);
    if (g_hash_table_size(t->sessions) >= t->max) {
        qemu_mutex_unlock(&t->lock);
        return false;
    }
    /* Skip ids still live after a (theoretical) 64-bit wrap */
    while (g_hash_table_contains(t->sessions, &t->next_id)) {
        t->next_id++;
    }
    s = g_memdup2(tmpl, sizeof(*s));
    s->id = t->next_id++;
    g_hash_table_insert(t->sessions, &s->id, s);
    *id = s->id;
    qemu_mutex_unlock(&t->lock);
    return true;
}

bool virtio_crypto_session_find(VirtIOCryptoSessionTable *t, uint64_t id,
                                VirtIOCryptoSession *out)
{
    VirtIOCryptoSession *s;

    qemu_mutex_lock(&t->lock);
    s = g_hash_table_lookup(t->sessions, &id);
    if (s) {
        *out = *s;
    }
    qemu_mutex_unlock(&t->lock);
    return s != NULL;
}

bool virtio_crypto_session_remove(VirtIOCryptoSessionTable *t, uint64_t id)
{
    VirtIOCryptoSession *s;
    bool found;

    qemu_mutex_lock(&t->lock);
    s = g_hash_table_lookup(t->sessions, &id);
    found = s != NULL;
    if (s) {
        if (t->release) {
            t->release(s, t->opaque);
        }
        g_hash_table_remove(t->sessions, &id);
        qatomic_set(&t->gen, t->gen + 1);
    }
    qemu_mutex_unlock(&t->lock);
    return found;
}

/*
 * Without the lock while @cache holds @id and no session left the table
 * since.  A removal racing with the check is like one right after a
 * locked lookup: the request then meets the closed backend session
 * (INVSESS).  Even a wrapped @gen could only do that.
 */
bool virtio_crypto_session_find_cached(VirtIOCryptoSessionTable *t,
                                       uint64_t id,
                                       VirtIOCryptoSessionCache *cache,
                                       VirtIOCryptoSession *out)
{
    VirtIOCryptoSession *s;

    if (cache->valid && cache->s.id == id &&
        qatomic_load_acquire(&t->gen) == cache->gen) {
        *out = cache->s;
        return true;
    }
    qemu_mutex_lock(&t->lock);
    s = g_hash_table_lookup(t->sessions, &id);
    if (s) {
        *out = *s;
        cache->s = *s;
        cache->gen = t->gen;
    }
    cache->valid = s != NULL;
    qemu_mutex_unlock(&t->lock);
    return s != NULL;
}
