/*
 * libqos driver for virtio-crypto
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef TESTS_LIBQOS_VIRTIO_CRYPTO_H
#define TESTS_LIBQOS_VIRTIO_CRYPTO_H

#include "qgraph.h"
#include "virtio.h"
#include "virtio-pci.h"

/* The cryptodev backend object every test machine gets */
#define QVIRTIO_CRYPTO_BACKEND_ID "qos-cryptodev0"

typedef struct QVirtioCrypto QVirtioCrypto;
typedef struct QVirtioCryptoPCI QVirtioCryptoPCI;

struct QVirtioCrypto {
    QVirtioDevice *vdev;
};

struct QVirtioCryptoPCI {
    QVirtioPCIDevice pci_vdev;
    QVirtioCrypto crypto;
};

#endif
