// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * xts-ref: software reference for dm-crypt "aes-xts-plain64" using
 * OpenSSL's own AES-XTS (EVP), independent of the kernel crypto API.
 *
 * Usage: xts-ref KEY-FILE FIRST-SECTOR < plaintext > ciphertext
 *
 * The input is processed in 512-byte sectors; sector n (counting from
 * FIRST-SECTOR) is encrypted with the plain64 IV: n as a 64-bit
 * little-endian number, zero-padded to 16 bytes.  KEY-FILE holds 32 bytes
 * (AES-128-XTS) or 64 bytes (AES-256-XTS).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#define SECTOR 512

int main(int argc, char **argv)
{
    unsigned char key[64], iv[16], in[SECTOR], out[SECTOR + 32];
    unsigned long long sector;
    const EVP_CIPHER *cipher;
    EVP_CIPHER_CTX *ctx;
    size_t keylen, n;
    FILE *kf;
    int outl, i, rc = 1;

    if (argc != 3) {
        fprintf(stderr, "usage: xts-ref KEY-FILE FIRST-SECTOR\n");
        return 2;
    }
    kf = fopen(argv[1], "rb");
    if (!kf) {
        perror(argv[1]);
        return 2;
    }
    keylen = fread(key, 1, sizeof(key), kf);
    fclose(kf);
    if (keylen == 64) {
        cipher = EVP_aes_256_xts();
    } else if (keylen == 32) {
        cipher = EVP_aes_128_xts();
    } else {
        fprintf(stderr, "key must be 32 or 64 bytes, got %zu\n", keylen);
        return 2;
    }
    sector = strtoull(argv[2], NULL, 0);
    ctx = EVP_CIPHER_CTX_new();
    if (!ctx) {
        return 2;
    }
    while ((n = fread(in, 1, SECTOR, stdin)) > 0) {
        if (n != SECTOR) {
            fprintf(stderr, "input is not a whole number of sectors\n");
            goto out;
        }
        memset(iv, 0, sizeof(iv));
        for (i = 0; i < 8; i++) {
            iv[i] = (unsigned char)(sector >> (8 * i));
        }
        if (EVP_EncryptInit_ex(ctx, cipher, NULL, key, iv) != 1 ||
            EVP_EncryptUpdate(ctx, out, &outl, in, SECTOR) != 1 ||
            outl != SECTOR) {
            fprintf(stderr, "EVP AES-XTS failed at sector %llu\n", sector);
            goto out;
        }
        if (fwrite(out, 1, SECTOR, stdout) != SECTOR) {
            perror("write");
            goto out;
        }
        sector++;
    }
    rc = ferror(stdin) ? 1 : 0;
out:
    OPENSSL_cleanse(key, sizeof(key));
    EVP_CIPHER_CTX_free(ctx);
    return rc;
}
