/*
 * virtio-crypto typed session table
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "hw/virtio/virtio-crypto-session.h"

struct VirtIOCryptoSessionTable {
    GHashTable *sessions;       /* &session->id -> VirtIOCryptoSession */
    uint32_t max;
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
    g_hash_table_foreach_remove(t->sessions, release_one, t);
}

void virtio_crypto_session_table_free(VirtIOCryptoSessionTable *t)
{
    if (!t) {
        return;
    }
    virtio_crypto_session_table_clear(t);
    g_hash_table_destroy(t->sessions);
    g_free(t);
}

uint32_t virtio_crypto_session_count(const VirtIOCryptoSessionTable *t)
{
    return g_hash_table_size(t->sessions);
}

bool virtio_crypto_session_table_full(const VirtIOCryptoSessionTable *t)
{
    return virtio_crypto_session_count(t) >= t->max;
}

bool virtio_crypto_session_insert(VirtIOCryptoSessionTable *t,
                                  const VirtIOCryptoSession *tmpl,
                                  uint64_t *id)
{
    VirtIOCryptoSession *s;

    if (virtio_crypto_session_table_full(t)) {
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
    return true;
}

const VirtIOCryptoSession *
virtio_crypto_session_find(const VirtIOCryptoSessionTable *t, uint64_t id)
{
    return g_hash_table_lookup(t->sessions, &id);
}

bool virtio_crypto_session_remove(VirtIOCryptoSessionTable *t, uint64_t id)
{
    VirtIOCryptoSession *s = g_hash_table_lookup(t->sessions, &id);

    if (!s) {
        return false;
    }
    if (t->release) {
        t->release(s, t->opaque);
    }
    return g_hash_table_remove(t->sessions, &id);
}
