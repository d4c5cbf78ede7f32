/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU Crypto: wiping secrets from memory
 */

#ifndef QCRYPTO_WIPE_H
#define QCRYPTO_WIPE_H

/**
 * qcrypto_wipe:
 * @buf: the memory to clear (may be NULL if @len is 0)
 * @len: its length in bytes
 *
 * Zero @len bytes at @buf in a way the compiler cannot drop as a dead
 * store, for key material and other secrets about to be freed.
 */
void qcrypto_wipe(void *buf, size_t len);

/**
 * qcrypto_wipe_free:
 * @buf: memory from g_malloc() and friends, or NULL
 * @len: the number of bytes to wipe before freeing
 */
void qcrypto_wipe_free(void *buf, size_t len);

#endif /* QCRYPTO_WIPE_H */
