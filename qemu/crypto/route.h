/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMU Crypto: choice of library per primitive when QEMU links both
 * libgcrypt and nettle.
 *
 * Each primitive (crypto/cipher.c, hash.c, hmac.c, mac.c, aead.c,
 * akcipher.c) compiles in the driver of every library the build
 * links, asks qcrypto_route_*() which library it prefers for the
 * algorithm, and qcrypto_route_pick() settles it against what each
 * linked library can actually do:
 *
 *   - the preferred library, if it is linked and supports the request;
 *   - otherwise the other linked library, if that one supports it;
 *   - otherwise none: the *_supports() call answers false, so a build
 *     advertises exactly what its libraries can do.
 *
 * The preferences are the table in crypto/route.c, one row per
 * algorithm with the measurement behind it (docs/performance.md,
 * "Crypto library routing").  A choice is made when a context is
 * created (cipher, hmac, mac, aead and akcipher objects, or per call
 * for hashes) and never changes for that object.
 *
 * Single-library builds go through the same code: the preference then
 * only decides between a library and nothing.
 */

#ifndef QCRYPTO_ROUTE_H
#define QCRYPTO_ROUTE_H

#include "qapi/qapi-types-crypto.h"
#include "crypto/aead.h"
#include "crypto/mac.h"

typedef enum QCryptoLib {
    QCRYPTO_LIB_NONE,
    QCRYPTO_LIB_GCRYPT,
    QCRYPTO_LIB_NETTLE,
} QCryptoLib;

/*
 * QCRYPTO_IF_GCRYPT(expr) is @expr when libgcrypt is linked and false
 * otherwise (@expr is then not compiled, so it may name functions that
 * only exist with the library).  Same for nettle.
 */
#ifdef CONFIG_GCRYPT
#define QCRYPTO_IF_GCRYPT(expr) (expr)
#else
#define QCRYPTO_IF_GCRYPT(expr) false
#endif
#ifdef CONFIG_NETTLE
#define QCRYPTO_IF_NETTLE(expr) (expr)
#else
#define QCRYPTO_IF_NETTLE(expr) false
#endif

/* Preferred library per algorithm (the table in crypto/route.c) */
QCryptoLib qcrypto_route_cipher(QCryptoCipherAlgorithm alg,
                                QCryptoCipherMode mode);
QCryptoLib qcrypto_route_hash(QCryptoHashAlgorithm alg);
QCryptoLib qcrypto_route_hmac(QCryptoHashAlgorithm alg);
QCryptoLib qcrypto_route_mac(QCryptoMacAlgorithm alg);
QCryptoLib qcrypto_route_aead(QCryptoAEADAlgorithm alg);
QCryptoLib qcrypto_route_akcipher(const QCryptoAkCipherOptions *opts,
                                  QCryptoAkCipherKeyType type);

/**
 * qcrypto_route_pick:
 * @preferred: the library the table prefers
 * @gcrypt_can: libgcrypt is linked and supports the request
 * @nettle_can: nettle is linked and supports the request
 *
 * Returns: the library to use, or QCRYPTO_LIB_NONE if none can.
 */
QCryptoLib qcrypto_route_pick(QCryptoLib preferred,
                              bool gcrypt_can, bool nettle_can);

/**
 * qcrypto_route_force:
 * @lib: the only library to use from now on, or QCRYPTO_LIB_NONE to
 *       go back to the table
 *
 * For the unit tests and benchmarks that run every primitive on each
 * library of a build that links both and compare them.  Affects the
 * objects created afterwards; not thread safe.  QEMU itself never
 * calls it.
 */
void qcrypto_route_force(QCryptoLib lib);

/* The library forced by qcrypto_route_force(), or QCRYPTO_LIB_NONE */
QCryptoLib qcrypto_route_forced_lib(void);

const char *qcrypto_lib_name(QCryptoLib lib);

#endif /* QCRYPTO_ROUTE_H */
