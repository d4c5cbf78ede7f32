// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * afalg-kat: run known-answer skcipher, hash or MAC vectors through one
 * kernel crypto driver, chosen by its driver name (cra_driver_name), over
 * AF_ALG.
 *
 * Usage: afalg-kat [-v] DRIVER-NAME VECTOR-FILE
 *        afalg-kat --unhex FILE    (writes the bytes of the file's
 *                                   "C <hex>" line to stdout: the X.509
 *                                   certificates of the keyctl ECDSA check)
 *
 * The vector file is written on the host by tests/guest/vectors/convert.py:
 *   V <enc|dec> <key-hex> <iv-hex|-> <in-hex|-> <expected-hex|-> <tag>
 *   H <key-hex|-> <message-hex|-> <digest-hex> <tag>
 *   A <enc|dec> <key> <iv> <aad|-> <in|-> <out|-> <taglen> <ok|fail> <tag>
 *   S <count> <reason>
 * A file holds either V lines (bound as "skcipher") or H lines (bound as
 * "hash"; a key means a keyed hash such as hmac, and a digest shorter than
 * the algorithm's is a truncated tag: that many bytes are compared) or A
 * lines (bound as "aead": AAD and data go in one message, the output is
 * AAD || ciphertext || tag or AAD || plaintext; "fail" vectors must be
 * refused with EBADMSG).
 *
 * Every vector runs with its input in one sendmsg(); vectors longer than
 * one AES block run a second time split over two sendmsg() calls
 * (MSG_MORE), so the driver also sees a two-entry source scatterlist with
 * a split inside a block.  The output is compared byte for byte with the
 * expected value.  Hash messages go once through vmsplice()+splice() from
 * a page-aligned buffer, which algif_hash turns into a one-shot digest()
 * for a message within one page (the request shape a device can serve
 * whole), and, when longer than one byte, a second time as two send()s
 * (init/update/final: the streaming path).
 *
 * Prints "pass=N fail=N skip=N" on the last line; exit status 0 only when
 * no operation failed and at least one passed, 1 on any failure, 2 on
 * usage or setup errors (including: the driver cannot be bound).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <linux/if_alg.h>

#ifndef AF_ALG
#define AF_ALG 38
#endif
#ifndef SOL_ALG
#define SOL_ALG 279
#endif

#define MAX_LINE (64 * 1024)
#define MAX_BYTES (MAX_LINE / 2)
#define MAX_REPORTED 10

struct vec {
    int encrypt;
    unsigned char key[256];
    size_t keylen;
    unsigned char iv[64];
    size_t ivlen;
    unsigned char aad[MAX_BYTES / 4];
    size_t aadlen;
    unsigned char in[MAX_BYTES];
    unsigned char expect[MAX_BYTES];
    unsigned char out[MAX_BYTES];
    size_t len;
    const char *tag;
};

static int verbose;
static unsigned long n_pass, n_fail, n_skip, n_reported;

static int hexval(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Decode hex ("-" means empty) into buf; returns length or -1. */
static long unhex(const char *s, unsigned char *buf, size_t max)
{
    size_t n = strlen(s), i;

    if (strcmp(s, "-") == 0) {
        return 0;
    }
    if (n % 2 || n / 2 > max) {
        return -1;
    }
    for (i = 0; i < n / 2; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

        if (hi < 0 || lo < 0) {
            return -1;
        }
        buf[i] = (unsigned char)(hi << 4 | lo);
    }
    return (long)(n / 2);
}

static void hexdump(const char *label, const unsigned char *p, size_t n)
{
    size_t i;

    printf("  %s ", label);
    for (i = 0; i < n; i++) {
        printf("%02x", p[i]);
    }
    printf("\n");
}

static void report_fail(const struct vec *v, const char *how, const char *why)
{
    n_fail++;
    if (n_reported++ < MAX_REPORTED) {
        printf("MISMATCH %s (%s, %s): %s\n", v->tag,
               v->encrypt ? "enc" : "dec", how, why);
    }
}

/* One operation on a fresh request socket; split = 1 uses two sendmsg(). */
static int run_op(int tfm, struct vec *v, int split)
{
    char cbuf[CMSG_SPACE(sizeof(int)) +
              CMSG_SPACE(sizeof(struct af_alg_iv) + sizeof(v->iv))];
    struct msghdr msg;
    struct cmsghdr *cmsg;
    struct af_alg_iv *aiv;
    struct iovec iov;
    size_t first = split ? v->len / 2 : v->len;
    ssize_t r;
    size_t got = 0;
    int op, ret = -1;

    op = accept(tfm, NULL, 0);
    if (op < 0) {
        printf("accept: %s\n", strerror(errno));
        return -1;
    }
    memset(cbuf, 0, sizeof(cbuf));
    memset(&msg, 0, sizeof(msg));
    msg.msg_control = cbuf;
    msg.msg_controllen = CMSG_SPACE(sizeof(int));
    if (v->ivlen) {
        msg.msg_controllen += CMSG_SPACE(sizeof(*aiv) + v->ivlen);
    }
    cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_ALG;
    cmsg->cmsg_type = ALG_SET_OP;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    *(int *)CMSG_DATA(cmsg) = v->encrypt ? ALG_OP_ENCRYPT : ALG_OP_DECRYPT;
    if (v->ivlen) {
        cmsg = CMSG_NXTHDR(&msg, cmsg);
        cmsg->cmsg_level = SOL_ALG;
        cmsg->cmsg_type = ALG_SET_IV;
        cmsg->cmsg_len = CMSG_LEN(sizeof(*aiv) + v->ivlen);
        aiv = (struct af_alg_iv *)CMSG_DATA(cmsg);
        aiv->ivlen = (unsigned int)v->ivlen;
        memcpy(aiv->iv, v->iv, v->ivlen);
    }
    iov.iov_base = v->in;
    iov.iov_len = first;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    if (sendmsg(op, &msg, first < v->len ? MSG_MORE : 0) != (ssize_t)first) {
        report_fail(v, split ? "split" : "whole", strerror(errno));
        goto out;
    }
    if (first < v->len) {
        memset(&msg, 0, sizeof(msg));
        iov.iov_base = v->in + first;
        iov.iov_len = v->len - first;
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        if (sendmsg(op, &msg, 0) != (ssize_t)(v->len - first)) {
            report_fail(v, "split", strerror(errno));
            goto out;
        }
    }
    memset(v->out, 0, v->len);
    while (got < v->len) {
        r = read(op, v->out + got, v->len - got);
        if (r <= 0) {
            report_fail(v, split ? "split" : "whole",
                        r < 0 ? strerror(errno) : "short read");
            goto out;
        }
        got += (size_t)r;
    }
    if (memcmp(v->out, v->expect, v->len) != 0) {
        report_fail(v, split ? "split" : "whole", "wrong output");
        if (n_reported <= MAX_REPORTED) {
            hexdump("expected", v->expect, v->len);
            hexdump("got     ", v->out, v->len);
        }
        goto out;
    }
    n_pass++;
    ret = 0;
out:
    close(op);
    return ret;
}

/* One digest on a fresh request socket; split = 1 sends two parts. */
static int run_hash(int tfm, struct vec *v, size_t mdlen, int split)
{
    static unsigned char *page_buf;
    size_t first = split ? v->len / 2 : v->len;
    int op, ret = -1, pfd[2] = { -1, -1 };
    ssize_t r;

    op = accept(tfm, NULL, 0);
    if (op < 0) {
        printf("accept: %s\n", strerror(errno));
        return -1;
    }
    if (!split && v->len) {
        /* whole message: vmsplice + splice, i.e. algif_hash sendpage */
        struct iovec iov;

        if (!page_buf && posix_memalign((void **)&page_buf, 4096,
                                        sizeof(v->in)) != 0) {
            page_buf = NULL;
            report_fail(v, "whole", "out of memory");
            goto out;
        }
        memcpy(page_buf, v->in, v->len);
        iov.iov_base = page_buf;
        iov.iov_len = v->len;
        if (pipe(pfd) < 0 ||
            vmsplice(pfd[1], &iov, 1, 0) != (ssize_t)v->len ||
            splice(pfd[0], NULL, op, NULL, v->len, 0) != (ssize_t)v->len) {
            report_fail(v, "whole", strerror(errno));
            goto out;
        }
    } else {
        if (v->len && send(op, v->in, first, first < v->len ? MSG_MORE : 0) !=
            (ssize_t)first) {
            report_fail(v, split ? "split" : "whole", strerror(errno));
            goto out;
        }
        if (first < v->len &&
            send(op, v->in + first, v->len - first, 0) !=
            (ssize_t)(v->len - first)) {
            report_fail(v, "split", strerror(errno));
            goto out;
        }
    }
    memset(v->out, 0, mdlen);
    r = read(op, v->out, mdlen);
    if (r != (ssize_t)mdlen) {
        report_fail(v, split ? "split" : "whole",
                    r < 0 ? strerror(errno) : "short digest");
        goto out;
    }
    if (memcmp(v->out, v->expect, mdlen) != 0) {
        report_fail(v, split ? "split" : "whole", "wrong digest");
        if (n_reported <= MAX_REPORTED) {
            hexdump("expected", v->expect, mdlen);
            hexdump("got     ", v->out, mdlen);
        }
        goto out;
    }
    n_pass++;
    ret = 0;
out:
    if (pfd[0] >= 0) {
        close(pfd[0]);
        close(pfd[1]);
    }
    close(op);
    return ret;
}

/* One AEAD operation; want_fail: decryption must be refused (EBADMSG). */
static int run_aead(int tfm, struct vec *v, size_t outlen, int want_fail)
{
    static unsigned char buf[MAX_BYTES + MAX_BYTES / 4 + 64];
    char cbuf[CMSG_SPACE(sizeof(int)) +
              CMSG_SPACE(sizeof(struct af_alg_iv) + sizeof(v->iv)) +
              CMSG_SPACE(sizeof(unsigned int))];
    size_t total = v->aadlen + v->len, want = v->aadlen + outlen;
    struct msghdr msg;
    struct cmsghdr *cmsg;
    struct af_alg_iv *aiv;
    struct iovec iov;
    int op, ret = -1;
    ssize_t r;

    op = accept(tfm, NULL, 0);
    if (op < 0) {
        printf("accept: %s\n", strerror(errno));
        return -1;
    }
    memcpy(buf, v->aad, v->aadlen);
    memcpy(buf + v->aadlen, v->in, v->len);
    memset(cbuf, 0, sizeof(cbuf));
    memset(&msg, 0, sizeof(msg));
    msg.msg_control = cbuf;
    msg.msg_controllen = sizeof(cbuf);
    cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_ALG;
    cmsg->cmsg_type = ALG_SET_OP;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    *(int *)CMSG_DATA(cmsg) = v->encrypt ? ALG_OP_ENCRYPT : ALG_OP_DECRYPT;
    cmsg = CMSG_NXTHDR(&msg, cmsg);
    cmsg->cmsg_level = SOL_ALG;
    cmsg->cmsg_type = ALG_SET_IV;
    cmsg->cmsg_len = CMSG_LEN(sizeof(*aiv) + v->ivlen);
    aiv = (struct af_alg_iv *)CMSG_DATA(cmsg);
    aiv->ivlen = (unsigned int)v->ivlen;
    memcpy(aiv->iv, v->iv, v->ivlen);
    cmsg = CMSG_NXTHDR(&msg, cmsg);
    cmsg->cmsg_level = SOL_ALG;
    cmsg->cmsg_type = ALG_SET_AEAD_ASSOCLEN;
    cmsg->cmsg_len = CMSG_LEN(sizeof(unsigned int));
    *(unsigned int *)CMSG_DATA(cmsg) = (unsigned int)v->aadlen;
    msg.msg_controllen = (char *)cmsg + CMSG_SPACE(sizeof(unsigned int)) -
                         cbuf;
    iov.iov_base = buf;
    iov.iov_len = total;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    if (sendmsg(op, &msg, 0) != (ssize_t)total) {
        report_fail(v, "aead", strerror(errno));
        goto out;
    }
    memset(buf, 0, want ? want : 1);
    r = read(op, buf, want ? want : 1);
    if (want_fail) {
        if (r < 0 && errno == EBADMSG) {
            n_pass++;
            ret = 0;
        } else {
            report_fail(v, "aead", r < 0 ? strerror(errno) :
                        "forged input accepted (expected EBADMSG)");
        }
        goto out;
    }
    if (r != (ssize_t)want) {
        report_fail(v, "aead", r < 0 ? strerror(errno) : "short read");
        goto out;
    }
    if (memcmp(buf + v->aadlen, v->expect, outlen) != 0) {
        report_fail(v, "aead", "wrong output");
        if (n_reported <= MAX_REPORTED) {
            hexdump("expected", v->expect, outlen);
            hexdump("got     ", buf + v->aadlen, outlen);
        }
        goto out;
    }
    n_pass++;
    ret = 0;
out:
    close(op);
    return ret;
}

static int bind_driver(const char *type, const char *driver)
{
    struct sockaddr_alg sa;
    int tfm = -1;

    memset(&sa, 0, sizeof(sa));
    sa.salg_family = AF_ALG;
    strcpy((char *)sa.salg_type, type);
    if (strlen(driver) >= sizeof(sa.salg_name)) {
        fprintf(stderr, "driver name too long\n");
        return -1;
    }
    strcpy((char *)sa.salg_name, driver);
    tfm = socket(AF_ALG, SOCK_SEQPACKET, 0);
    if (tfm < 0) {
        fprintf(stderr, "socket(AF_ALG): %s\n", strerror(errno));
        return -1;
    }
    if (bind(tfm, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        fprintf(stderr, "bind %s %s: %s\n", type, driver, strerror(errno));
        close(tfm);
        return -1;
    }
    return tfm;
}

/* --unhex: the "C <hex>" line of FILE, as bytes, on stdout. */
static int unhex_file(const char *path)
{
    static char line[MAX_LINE + 256];
    static unsigned char buf[MAX_BYTES];
    FILE *f = fopen(path, "r");
    long n;

    if (!f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return 2;
    }
    while (fgets(line, sizeof(line), f)) {
        if (line[0] != 'C' || line[1] != ' ') {
            continue;
        }
        line[strcspn(line, "\r\n")] = '\0';
        fclose(f);
        n = unhex(line + 2, buf, sizeof(buf));
        if (n <= 0 || fwrite(buf, 1, (size_t)n, stdout) != (size_t)n) {
            fprintf(stderr, "%s: bad C line\n", path);
            return 2;
        }
        return fflush(stdout) == 0 ? 0 : 2;
    }
    fclose(f);
    fprintf(stderr, "%s: no C line\n", path);
    return 2;
}

int main(int argc, char **argv)
{
    static struct vec v;
    static char line[MAX_LINE + 256];
    static unsigned char cur_key[sizeof(v.key)];
    size_t cur_keylen = 0;
    unsigned int cur_taglen = 0;
    int have_key = 0;
    unsigned long lineno = 0;
    FILE *f;
    int tfm = -1;

    if (argc == 3 && strcmp(argv[1], "--unhex") == 0) {
        return unhex_file(argv[2]);
    }
    if (argc > 1 && strcmp(argv[1], "-v") == 0) {
        verbose = 1;
        argc--;
        argv++;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: afalg-kat [-v] DRIVER-NAME VECTOR-FILE\n");
        return 2;
    }
    f = fopen(argv[2], "r");
    if (!f) {
        fprintf(stderr, "%s: %s\n", argv[2], strerror(errno));
        return 2;
    }
    while (fgets(line, sizeof(line), f)) {
        char op[8], key[600], iv[140], tag[200];
        static char in[MAX_LINE], exp[MAX_LINE];
        unsigned long cnt;
        long n;

        lineno++;
        if (line[0] == '#' || line[0] == '\n') {
            continue;
        }
        if (line[0] == 'S') {
            if (sscanf(line, "S %lu", &cnt) != 1) {
                fprintf(stderr, "line %lu: bad S line\n", lineno);
                return 2;
            }
            n_skip += cnt;
            printf("skipped %s", line + 2);
            continue;
        }
        if (tfm < 0) {
            tfm = bind_driver(line[0] == 'H' ? "hash" :
                              line[0] == 'A' ? "aead" : "skcipher", argv[1]);
            if (tfm < 0) {
                return 2;
            }
        }
        if (line[0] == 'A') {
            static char aad[MAX_LINE / 4];
            char expect[8];
            unsigned int taglen;
            long outn;

            if (sscanf(line, "A %7s %599s %139s %16383s %65535s %65535s %u %7s %199s",
                       op, key, iv, aad, in, exp, &taglen, expect, tag) != 9) {
                fprintf(stderr, "line %lu: bad A line\n", lineno);
                return 2;
            }
            v.tag = tag;
            v.encrypt = strcmp(op, "enc") == 0;
            n = unhex(key, v.key, sizeof(v.key));
            if (n <= 0) {
                fprintf(stderr, "line %lu: bad key\n", lineno);
                return 2;
            }
            v.keylen = (size_t)n;
            n = unhex(iv, v.iv, sizeof(v.iv));
            if (n <= 0) {
                fprintf(stderr, "line %lu: bad iv\n", lineno);
                return 2;
            }
            v.ivlen = (size_t)n;
            n = unhex(aad, v.aad, sizeof(v.aad));
            if (n < 0) {
                fprintf(stderr, "line %lu: bad aad\n", lineno);
                return 2;
            }
            v.aadlen = (size_t)n;
            n = unhex(in, v.in, sizeof(v.in));
            outn = unhex(exp, v.expect, sizeof(v.expect));
            if (n < 0 || outn < 0) {
                fprintf(stderr, "line %lu: bad data\n", lineno);
                return 2;
            }
            v.len = (size_t)n;
            if (!have_key || cur_keylen != v.keylen ||
                memcmp(cur_key, v.key, v.keylen) != 0 ||
                cur_taglen != taglen) {
                if (setsockopt(tfm, SOL_ALG, ALG_SET_KEY, v.key,
                               (socklen_t)v.keylen) < 0 ||
                    setsockopt(tfm, SOL_ALG, ALG_SET_AEAD_AUTHSIZE, NULL,
                               taglen) < 0) {
                    char why[80];

                    snprintf(why, sizeof(why), "setkey/authsize (%zu, %u): %s",
                             v.keylen, taglen, strerror(errno));
                    report_fail(&v, "setkey", why);
                    have_key = 0;
                    continue;
                }
                memcpy(cur_key, v.key, v.keylen);
                cur_keylen = v.keylen;
                cur_taglen = taglen;
                have_key = 1;
            }
            if (strcmp(expect, "fail") == 0) {
                run_aead(tfm, &v, v.len >= taglen ? v.len - taglen : 0, 1);
            } else {
                run_aead(tfm, &v, (size_t)outn, 0);
            }
            continue;
        }
        if (line[0] == 'H') {
            if (sscanf(line, "H %599s %65535s %139s %199s",
                       key, in, exp, tag) != 4) {
                fprintf(stderr, "line %lu: bad H line\n", lineno);
                return 2;
            }
            v.tag = tag;
            n = unhex(key, v.key, sizeof(v.key));
            if (n < 0) {
                fprintf(stderr, "line %lu: bad key\n", lineno);
                return 2;
            }
            v.keylen = (size_t)n;
            n = unhex(in, v.in, sizeof(v.in));
            if (n < 0) {
                fprintf(stderr, "line %lu: bad message\n", lineno);
                return 2;
            }
            v.len = (size_t)n;
            n = unhex(exp, v.expect, 64);
            if (n <= 0) {
                fprintf(stderr, "line %lu: bad digest\n", lineno);
                return 2;
            }
            if (v.keylen && (!have_key || cur_keylen != v.keylen ||
                             memcmp(cur_key, v.key, v.keylen) != 0)) {
                if (setsockopt(tfm, SOL_ALG, ALG_SET_KEY, v.key,
                               (socklen_t)v.keylen) < 0) {
                    char why[80];

                    snprintf(why, sizeof(why), "setkey (%zu bytes): %s",
                             v.keylen, strerror(errno));
                    report_fail(&v, "setkey", why);
                    have_key = 0;
                    continue;
                }
                memcpy(cur_key, v.key, v.keylen);
                cur_keylen = v.keylen;
                have_key = 1;
            }
            run_hash(tfm, &v, (size_t)n, 0);
            if (v.len > 1) {
                run_hash(tfm, &v, (size_t)n, 1);
            }
            continue;
        }
        if (sscanf(line, "V %7s %599s %139s %65535s %65535s %199s",
                   op, key, iv, in, exp, tag) != 6) {
            fprintf(stderr, "line %lu: bad V line\n", lineno);
            return 2;
        }
        v.tag = tag;
        v.encrypt = strcmp(op, "enc") == 0;
        n = unhex(key, v.key, sizeof(v.key));
        if (n <= 0) {
            fprintf(stderr, "line %lu: bad key\n", lineno);
            return 2;
        }
        v.keylen = (size_t)n;
        n = unhex(iv, v.iv, sizeof(v.iv));
        if (n < 0) {
            fprintf(stderr, "line %lu: bad iv\n", lineno);
            return 2;
        }
        v.ivlen = (size_t)n;
        n = unhex(in, v.in, sizeof(v.in));
        if (n < 0 || unhex(exp, v.expect, sizeof(v.expect)) != n) {
            fprintf(stderr, "line %lu: bad data\n", lineno);
            return 2;
        }
        v.len = (size_t)n;
        if (!have_key || cur_keylen != v.keylen ||
            memcmp(cur_key, v.key, v.keylen) != 0) {
            if (setsockopt(tfm, SOL_ALG, ALG_SET_KEY, v.key,
                           (socklen_t)v.keylen) < 0) {
                char why[80];

                snprintf(why, sizeof(why), "setkey (%zu bytes): %s",
                         v.keylen, strerror(errno));
                report_fail(&v, "setkey", why);
                have_key = 0;
                continue;
            }
            memcpy(cur_key, v.key, v.keylen);
            cur_keylen = v.keylen;
            have_key = 1;
        }
        run_op(tfm, &v, 0);
        if (v.len > 16) {
            run_op(tfm, &v, 1);
        }
        if (verbose) {
            printf("done %s\n", tag);
        }
    }
    fclose(f);
    if (tfm >= 0) {
        close(tfm);
    }
    memset(&v, 0, sizeof(v));
    memset(cur_key, 0, sizeof(cur_key));
    if (n_reported > MAX_REPORTED) {
        printf("(%lu more failures not shown)\n", n_reported - MAX_REPORTED);
    }
    printf("pass=%lu fail=%lu skip=%lu\n", n_pass, n_fail, n_skip);
    if (n_fail) {
        return 1;
    }
    return n_pass ? 0 : 2;
}
