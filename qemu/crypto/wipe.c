/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU Crypto: wiping secrets from memory
 */

#include "qemu/osdep.h"
#include "crypto/wipe.h"

/*
 * Calling memset through a volatile pointer stops the compiler from
 * proving the store dead and eliding it, which it may do with a plain
 * memset() right before free().
 */
static void *(*const volatile qcrypto_wipe_memset)(void *, int, size_t) =
    memset;

void qcrypto_wipe(void *buf, size_t len)
{
    if (len) {
        qcrypto_wipe_memset(buf, 0, len);
    }
}

void qcrypto_wipe_free(void *buf, size_t len)
{
    if (buf) {
        qcrypto_wipe(buf, len);
        g_free(buf);
    }
}
