/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hex helpers shared by the qcrypto known-answer tests
 */

#ifndef TEST_CRYPTO_HEX_H
#define TEST_CRYPTO_HEX_H

/* Decode @hex into a new buffer (at least one byte, so never NULL) */
static inline uint8_t *test_unhex(const char *hex, size_t *len)
{
    size_t n = strlen(hex);
    uint8_t *buf;
    size_t i;

    g_assert_cmpint(n % 2, ==, 0);
    buf = g_malloc0(n / 2 + 1);
    for (i = 0; i < n / 2; i++) {
        unsigned int byte;

        g_assert(sscanf(hex + 2 * i, "%2x", &byte) == 1);
        buf[i] = byte;
    }
    *len = n / 2;
    return buf;
}

static inline bool test_all_zero(const uint8_t *buf, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (buf[i]) {
            return false;
        }
    }
    return true;
}

#endif /* TEST_CRYPTO_HEX_H */
