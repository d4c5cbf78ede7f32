/*
 * libqos driver for virtio-crypto
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Produces the "virtio-crypto" interface on virtio-crypto-pci, backed by
 * a cryptodev-backend-builtin object created on the command line.
 */

#include "qemu/osdep.h"
#include "../libqtest.h"
#include "qemu/module.h"
#include "qgraph.h"
#include "virtio-crypto.h"

static void *qvirtio_crypto_get_driver(QVirtioCrypto *crypto,
                                       const char *interface)
{
    if (!g_strcmp0(interface, "virtio-crypto")) {
        return crypto;
    }
    if (!g_strcmp0(interface, "virtio")) {
        return crypto->vdev;
    }

    fprintf(stderr, "%s not present in virtio-crypto\n", interface);
    g_assert_not_reached();
}

static void *qvirtio_crypto_pci_get_driver(void *object,
                                           const char *interface)
{
    QVirtioCryptoPCI *v_crypto = object;

    if (!g_strcmp0(interface, "pci-device")) {
        return v_crypto->pci_vdev.pdev;
    }
    return qvirtio_crypto_get_driver(&v_crypto->crypto, interface);
}

static void *virtio_crypto_pci_create(void *pci_bus, QGuestAllocator *alloc,
                                      void *addr)
{
    QVirtioCryptoPCI *v_crypto = g_new0(QVirtioCryptoPCI, 1);
    QOSGraphObject *obj = &v_crypto->pci_vdev.obj;

    virtio_pci_init(&v_crypto->pci_vdev, pci_bus, addr);
    v_crypto->crypto.vdev = &v_crypto->pci_vdev.vdev;
    obj->get_driver = qvirtio_crypto_pci_get_driver;

    return obj;
}

static void virtio_crypto_register_nodes(void)
{
    QPCIAddress addr = {
        .devfn = QPCI_DEVFN(4, 0),
    };
    QOSGraphEdgeOptions opts = {
        .before_cmd_line = "-object cryptodev-backend-builtin,id="
                           QVIRTIO_CRYPTO_BACKEND_ID,
        .extra_device_opts = "addr=04.0,cryptodev=" QVIRTIO_CRYPTO_BACKEND_ID,
    };

    add_qpci_address(&opts, &addr);
    qos_node_create_driver("virtio-crypto-pci", virtio_crypto_pci_create);
    qos_node_consumes("virtio-crypto-pci", "pci-bus", &opts);
    qos_node_produces("virtio-crypto-pci", "pci-device");
    qos_node_produces("virtio-crypto-pci", "virtio");
    qos_node_produces("virtio-crypto-pci", "virtio-crypto");
}

libqos_init(virtio_crypto_register_nodes);
