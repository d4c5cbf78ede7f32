/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU Crypto block-cipher MACs: interface between crypto/mac.c and
 * the per-library drivers (mac-gcrypt.c.inc, mac-nettle.c.inc)
 */

#ifndef QCRYPTO_MACPRIV_H
#define QCRYPTO_MACPRIV_H

#include "crypto/mac.h"

/*
 * crypto/mac.c validates every length before calling a driver.
 * @verify compares in constant time and returns 0,
 * QCRYPTO_MAC_ERR_AUTH or -1.
 */
struct QCryptoMacDriver {
    int (*compute)(QCryptoMac *mac, const uint8_t *iv, size_t niv,
                   const uint8_t *in, size_t len,
                   uint8_t *out, size_t nout, Error **errp);
    int (*verify)(QCryptoMac *mac, const uint8_t *iv, size_t niv,
                  const uint8_t *in, size_t len,
                  const uint8_t *expected, size_t nexpected, Error **errp);
    void (*free)(QCryptoMac *mac);
};

#endif /* QCRYPTO_MACPRIV_H */
