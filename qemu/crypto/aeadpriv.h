/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU Crypto AEAD: interface between crypto/aead.c and the
 * per-library drivers (aead-gcrypt.c.inc, aead-nettle.c.inc)
 */

#ifndef QCRYPTO_AEADPRIV_H
#define QCRYPTO_AEADPRIV_H

#include "crypto/aead.h"

/*
 * Parameters reaching a driver have been validated by crypto/aead.c:
 * key, IV and tag lengths are valid for the algorithm, and for CCM
 * the length fits the nonce's length field.
 */
struct QCryptoAEADDriver {
    int (*encrypt)(QCryptoAEAD *aead,
                   const uint8_t *iv, size_t niv,
                   const uint8_t *aad, size_t naad,
                   const uint8_t *in, uint8_t *out, size_t len,
                   uint8_t *tag, size_t ntag, Error **errp);
    /* Returns 0, QCRYPTO_AEAD_ERR_AUTH or -1; need not clear @out. */
    int (*decrypt)(QCryptoAEAD *aead,
                   const uint8_t *iv, size_t niv,
                   const uint8_t *aad, size_t naad,
                   const uint8_t *in, uint8_t *out, size_t len,
                   const uint8_t *tag, size_t ntag, Error **errp);
    void (*free)(QCryptoAEAD *aead);
};

#endif /* QCRYPTO_AEADPRIV_H */
