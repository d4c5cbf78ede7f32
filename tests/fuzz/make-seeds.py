#!/usr/bin/env python3
"""Write well-formed seed inputs for fuzz-virtio-crypto-parse into DIR.

Input format (see the fuzz target): 1 control byte (bit 0: control queue,
bit 4: split the writable area, bit 5: small max_size, bit 6: REVISION_1 and
stateless features), 16 split sizes (0 = rest), le16 writable size, then
the device-readable request bytes.  Layouts follow the spec checklist
sections 3 and 4 (legacy padded layout).
"""
import os
import struct
import sys

CIPHER_CREATE, CIPHER_DESTROY = 0x0002, 0x0003
HASH_CREATE, MAC_CREATE, AEAD_CREATE, AKCIPHER_CREATE = 0x0102, 0x0202, 0x0302, 0x0404
CIPHER_ENCRYPT, CIPHER_DECRYPT, HASH, MAC = 0x0000, 0x0001, 0x0100, 0x0200
AEAD_ENCRYPT, AKCIPHER_SIGN = 0x0300, 0x0402
AES_CBC, AES_XTS = 3, 13


def seed(ctl, splits, wlen, body):
    splits = (list(splits) + [0] * 16)[:16]
    return bytes([ctl]) + bytes(splits) + struct.pack("<H", wlen) + body


def ctrl_hdr(opcode, algo):
    return struct.pack("<IIII", opcode, algo, 0, 0)


def pad(b, n):
    return b + bytes(n - len(b))


def cipher_create(algo, key_len, op):
    flf = pad(struct.pack("<IIII", algo, key_len, op, 0), 48) + struct.pack("<II", 1, 0)
    return ctrl_hdr(CIPHER_CREATE, algo) + flf + bytes(range(key_len))


def destroy(opcode, sid):
    return ctrl_hdr(opcode, 0) + pad(struct.pack("<Q", sid), 56)


def data_hdr(opcode, algo, sid):
    return struct.pack("<IIQII", opcode, algo, sid, 0, 0)


def cipher_data(opcode, iv_len, n):
    flf = pad(struct.pack("<IIII", iv_len, n, n, 0), 40) + struct.pack("<II", 1, 0)
    return data_hdr(opcode, 0, 0) + flf + bytes(iv_len) + bytes(range(n))


def main(d):
    os.makedirs(d, exist_ok=True)
    seeds = {
        "ctrl-create-cbc": seed(1, [16, 56], 16, cipher_create(AES_CBC, 16, 1)),
        "ctrl-create-xts": seed(1, [], 16, cipher_create(AES_XTS, 64, 2)),
        "ctrl-create-split": seed(0x11, [1, 2, 3, 4, 5], 16, cipher_create(AES_CBC, 32, 1)),
        "ctrl-destroy": seed(1, [], 1, destroy(CIPHER_DESTROY, 0)),
        "ctrl-hash-create": seed(1, [], 16, ctrl_hdr(HASH_CREATE, 4) + pad(struct.pack("<II", 4, 32), 56)),
        "ctrl-mac-create": seed(1, [], 16, ctrl_hdr(MAC_CREATE, 4)
                                + pad(struct.pack("<III", 4, 32, 16), 56) + bytes(16)),
        "ctrl-aead-create": seed(1, [], 16, ctrl_hdr(AEAD_CREATE, 1)
                                 + pad(struct.pack("<IIIII", 1, 16, 16, 0, 1), 56) + bytes(16)),
        "ctrl-akcipher-create": seed(1, [], 16, ctrl_hdr(AKCIPHER_CREATE, 1)
                                     + pad(struct.pack("<IIIII", 1, 2, 4, 1, 6), 56) + b"\x30\x02\x02\x00"),
        "data-enc-cbc": seed(0, [72, 16], 17, cipher_data(CIPHER_ENCRYPT, 16, 16)),
        "data-dec-cbc": seed(0x10, [], 65, cipher_data(CIPHER_DECRYPT, 16, 64)),
        "data-enc-split": seed(0, [7, 9, 11, 13], 33, cipher_data(CIPHER_ENCRYPT, 16, 32)),
        "data-hash": seed(0, [], 33, data_hdr(HASH, 4, 0) + pad(struct.pack("<II", 5, 32), 48) + b"hello"),
        "data-mac": seed(0, [], 33, data_hdr(MAC, 4, 0) + pad(struct.pack("<II", 5, 32), 48) + b"hello"),
        "data-aead": seed(0, [], 33, data_hdr(AEAD_ENCRYPT, 1, 0)
                          + pad(struct.pack("<IIIII", 12, 0, 16, 32, 16), 48) + bytes(28)),
        "data-sign": seed(0, [], 65, data_hdr(AKCIPHER_SIGN, 1, 0)
                          + pad(struct.pack("<II", 32, 64), 48) + bytes(32)),
        "data-rev1": seed(0x40, [], 17, data_hdr(CIPHER_ENCRYPT, AES_CBC, 0)
                          + struct.pack("<IIIIII", AES_CBC, 16, 1, 16, 16, 16) + bytes(48)),
    }
    for name, blob in seeds.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(blob)


if __name__ == "__main__":
    main(sys.argv[1])
