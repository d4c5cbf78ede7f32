// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vc-config: print the device configuration space of the virtio-crypto PCI
 * device, read from the guest's side without going through any driver.
 *
 * Finds the first PCI function with vendor 0x1af4 / device 0x1054 (modern
 * virtio-crypto), walks its capability list for the virtio
 * VIRTIO_PCI_CAP_DEVICE_CFG capability, maps that BAR through sysfs and
 * prints struct virtio_crypto_config as "name=value" lines, so tests can
 * compare what the driver registered with what the device advertises.
 *
 * Exit status: 0 on success, 1 if no device was found, 2 on errors.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#define PCI_DIR "/sys/bus/pci/devices"
#define VIRTIO_VENDOR 0x1af4
#define VIRTIO_CRYPTO_PCI_ID 0x1054
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_CAP_ID_VNDR 0x09
#define VIRTIO_PCI_CAP_DEVICE_CFG 4

static const char *const field_names[] = {
    "status", "max_dataqueues", "crypto_services", "cipher_algo_l",
    "cipher_algo_h", "hash_algo", "mac_algo_l", "mac_algo_h", "aead_algo",
    "max_cipher_key_len", "max_auth_key_len", "akcipher_algo",
};

static int read_hex_file(const char *dir, const char *name, unsigned *val)
{
    char path[512];
    FILE *f;
    int ok;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "r");
    if (!f) {
        return -1;
    }
    ok = fscanf(f, "%x", val) == 1;
    fclose(f);
    return ok ? 0 : -1;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static int dump_device(const char *dir)
{
    unsigned char cfg[256];
    char path[600];
    unsigned pos, guard = 0;
    ssize_t n;
    int fd;

    snprintf(path, sizeof(path), "%s/config", dir);
    fd = open(path, O_RDONLY);
    if (fd < 0) {
        perror(path);
        return 2;
    }
    n = pread(fd, cfg, sizeof(cfg), 0);
    close(fd);
    if (n < 64 || !(cfg[6] & PCI_STATUS_CAP_LIST)) {
        fprintf(stderr, "%s: no capability list\n", path);
        return 2;
    }
    for (pos = cfg[0x34] & ~3u; pos && pos + 16 <= (unsigned)n && guard < 48;
         pos = cfg[pos + 1] & ~3u, guard++) {
        unsigned bar, off, len, i, nfields;
        long page = sysconf(_SC_PAGESIZE);
        volatile uint32_t *regs;
        unsigned char *map;
        size_t maplen;

        if (cfg[pos] != PCI_CAP_ID_VNDR ||
            cfg[pos + 3] != VIRTIO_PCI_CAP_DEVICE_CFG) {
            continue;
        }
        bar = cfg[pos + 4];
        off = le32(cfg + pos + 8);
        len = le32(cfg + pos + 12);
        if (bar > 5 || len < 4 || len > 4096) {
            fprintf(stderr, "bad device-cfg capability\n");
            return 2;
        }
        snprintf(path, sizeof(path), "%s/resource%u", dir, bar);
        fd = open(path, O_RDONLY | O_SYNC);
        if (fd < 0) {
            perror(path);
            return 2;
        }
        maplen = (off % page) + len;
        map = mmap(NULL, maplen, PROT_READ, MAP_SHARED, fd,
                   off - off % page);
        close(fd);
        if (map == MAP_FAILED) {
            fprintf(stderr, "mmap %s: %s\n", path, strerror(errno));
            return 2;
        }
        regs = (volatile uint32_t *)(map + off % page);
        nfields = len / 4;
        printf("pci=%s\n", strrchr(dir, '/') + 1);
        for (i = 0; i < nfields && i < 12; i++) {
            printf("%s=0x%x\n", field_names[i], regs[i]);
        }
        if (nfields >= 14) {
            printf("max_size=0x%llx\n",
                   (unsigned long long)regs[12] |
                   (unsigned long long)regs[13] << 32);
        }
        munmap(map, maplen);
        return 0;
    }
    fprintf(stderr, "%s: no virtio device-cfg capability\n", dir);
    return 2;
}

int main(void)
{
    struct dirent *de;
    DIR *d = opendir(PCI_DIR);
    char dir[512];
    int rc = 1;

    if (!d) {
        perror(PCI_DIR);
        return 2;
    }
    while ((de = readdir(d))) {
        unsigned vendor, device;

        if (de->d_name[0] == '.') {
            continue;
        }
        snprintf(dir, sizeof(dir), "%s/%s", PCI_DIR, de->d_name);
        if (read_hex_file(dir, "vendor", &vendor) ||
            read_hex_file(dir, "device", &device)) {
            continue;
        }
        if (vendor == VIRTIO_VENDOR && device == VIRTIO_CRYPTO_PCI_ID) {
            rc = dump_device(dir);
            break;
        }
    }
    closedir(d);
    if (rc == 1) {
        fprintf(stderr, "no virtio-crypto PCI device found\n");
    }
    return rc;
}
