/*
 * libFuzzer target for the virtio-crypto request parser
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The input is one guest request as the device would see it: a control
 * byte, a split map and the request bytes.  The control byte selects the
 * queue (control or data), the negotiated features and the limits; the
 * split map cuts the bytes into device-readable descriptors of arbitrary
 * sizes (GEN-1) and picks the size of the device-writable area.  Both
 * parsers and both completion writers run on every input, so a bound
 * missing anywhere turns into an ASan/UBSan report or a leak.
 */

#include "qemu/osdep.h"
#include "qemu/iov.h"
#include "hw/virtio/virtio-crypto-parse.h"

#define MAX_DESCS 16
#define MAX_WRITABLE 4096

static size_t take(const uint8_t **data, size_t *size, void *dst, size_t n)
{
    size_t k = MIN(n, *size);

    memset(dst, 0, n);
    memcpy(dst, *data, k);
    *data += k;
    *size -= k;
    return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t ctl, split[MAX_DESCS];
    uint16_t wlen;
    struct iovec out[MAX_DESCS + 1], in[2];
    unsigned int out_num = 0, in_num = 0, i;
    uint8_t *req, *wbuf;
    size_t off = 0;
    VirtIOCryptoLimits lim = {
        .max_cipher_key_len = 64,
        .max_auth_key_len = 512,
    };

    take(&data, &size, &ctl, 1);
    take(&data, &size, split, sizeof(split));
    take(&data, &size, &wlen, sizeof(wlen));

    lim.features = (ctl & 0x40) ? 0x3f : 0;
    lim.max_size = (ctl & 0x20) ? 64 : 1 << 20;

    /* Copy the request so that reads past it hit a redzone. */
    req = g_malloc(size ? size : 1);
    memcpy(req, data, size);
    for (i = 0; i < MAX_DESCS && off < size; i++) {
        size_t n = split[i] ? split[i] : size - off;

        n = MIN(n, size - off);
        out[out_num].iov_base = req + off;
        out[out_num].iov_len = n;
        out_num++;
        off += n;
    }
    if (off < size) {
        out[out_num].iov_base = req + off;
        out[out_num].iov_len = size - off;
        out_num++;
    }

    wlen %= MAX_WRITABLE;
    wbuf = g_malloc(wlen ? wlen : 1);
    if (wlen) {
        /* Writable area in two descriptors when the split map says so. */
        size_t first = (ctl & 0x10) ? wlen / 2 : wlen;

        in[in_num].iov_base = wbuf;
        in[in_num].iov_len = first;
        in_num++;
        if (first < wlen) {
            in[in_num].iov_base = wbuf + first;
            in[in_num].iov_len = wlen - first;
            in_num++;
        }
    }

    if (ctl & 1) {
        VirtIOCryptoCtrlOp op;

        if (virtio_crypto_parse_ctrl(out, out_num, wlen, &lim, &op) == 0) {
            size_t used = virtio_crypto_complete_ctrl(in, in_num, &op, 42);

            assert(used <= wlen);
        }
        virtio_crypto_ctrl_op_clear(&op);
    } else {
        VirtIOCryptoDataOp op;

        if (virtio_crypto_parse_data(out, out_num, in, in_num, &lim,
                                     &op) == 0) {
            size_t used = virtio_crypto_complete_data(in, in_num, &op);

            assert(used <= wlen);
        }
        virtio_crypto_data_op_clear(&op);
    }

    g_free(wbuf);
    g_free(req);
    return 0;
}
