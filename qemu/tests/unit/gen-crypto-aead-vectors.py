#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Generate tests/unit/test-crypto-aead-vectors.h from published vectors.

Sources (Debian packages / files on the build machine, data unmodified):
  NIST CAVP GCM (gcmEncryptExtIV*.rsp, gcmDecrypt*.rsp) and CCM
  (VNT/VTT/VADT/VPT/DVPT*.rsp) from python3-cryptography-vectors;
  Wycheproof aes_gcm_test.json, aes_ccm_test.json,
  chacha20_poly1305_test.json (C2SP/wycheproof testvectors_v1, Apache-2.0).

Usage: gen-crypto-aead-vectors.py NIST_AES_DIR WYCHEPROOF_DIR > OUT
"""

import json
import os
import sys

MAX_HEX = 64  # Wycheproof: messages and aad up to 32 bytes
NIST_MAX_HEX = 256  # NIST: up to 128 bytes (multi-block, partial blocks)
# GCM (PTlen, AADlen) in bits: empty, one block each, partial blocks
GCM_SIZES = {('0', '0'), ('128', '128'), ('408', '720')}
GCM_DEC_SIZES = {('0', '0'), ('408', '720')}


def too_long(*hexes):
    return any(len(h) > NIST_MAX_HEX for h in hexes)


def rsp_records(path):
    """Yield (section dict, record dict) from a CAVP .rsp file."""
    section, rec, glob = {}, {}, {}
    for line in open(path):
        line = line.strip()
        if not line or line.startswith('#'):
            if rec.get('Count') is not None and ('CT' in rec or 'Tag' in rec):
                yield dict(glob, **section), rec
            rec = {} if not line else rec
            continue
        if line.startswith('['):
            for part in line.strip('[]').split(','):
                if '=' in part:
                    k, v = part.split('=', 1)
                    section[k.strip()] = v.strip()
            continue
        if line == 'FAIL':
            rec['FAIL'] = True
            continue
        if '=' in line:
            k, v = line.split('=', 1)
            k, v = k.strip(), v.strip()
            if k == 'Count':
                rec = {'Count': v}
            elif not rec:
                glob[k] = v          # CCM per-file or per-section fields
            else:
                rec[k] = v
    if rec.get('Count') is not None:
        yield dict(glob, **section), rec


def cstr(hexstr):
    """A C string literal, split so that no line passes 80 columns."""
    parts = [hexstr[i:i + 64] for i in range(0, len(hexstr), 64)] or ['']
    return '\n      '.join('"%s"' % p for p in parts)


def emit(out, name, alg, key, iv, aad, pt, ct, tag, valid):
    out.append('    { "%s",\n      %s, %s,\n      %s,\n      %s,\n'
               '      %s,\n      %s,\n      %s,\n      %s },'
               % (name, alg, 'true' if valid else 'false',
                  cstr(key), cstr(iv), cstr(aad), cstr(pt), cstr(ct),
                  cstr(tag)))


def nist_gcm(aes_dir, out):
    for bits in (128, 192, 256):
        seen = set()
        path = os.path.join(aes_dir, 'GCM', 'gcmEncryptExtIV%d.rsp' % bits)
        for sec, r in rsp_records(path):
            sizes = (sec['PTlen'], sec['AADlen'])
            combo = (sec['IVlen'], sec['Taglen']) + sizes
            if (sizes not in GCM_SIZES or combo in seen or
                    too_long(r['PT'], r['AAD'])):
                continue
            seen.add(combo)
            emit(out, 'nist-gcm-enc-%d-iv%s-tag%s-pt%s-aad%s' % (
                bits, sec['IVlen'], sec['Taglen'], sec['PTlen'],
                sec['AADlen']),
                'QCRYPTO_AEAD_ALG_AES_GCM', r['Key'], r['IV'], r['AAD'],
                r['PT'], r['CT'], r['Tag'], True)
        seen = set()
        path = os.path.join(aes_dir, 'GCM', 'gcmDecrypt%d.rsp' % bits)
        for sec, r in rsp_records(path):
            sizes = (sec['PTlen'], sec['AADlen'])
            combo = (sec['IVlen'], sec['Taglen'], 'FAIL' in r) + sizes
            if (sizes not in GCM_DEC_SIZES or combo in seen or
                    too_long(r['CT'], r['AAD'])):
                continue
            seen.add(combo)
            emit(out, 'nist-gcm-dec-%d-iv%s-tag%s-pt%s-aad%s-%s' % (
                bits, sec['IVlen'], sec['Taglen'], sec['PTlen'], sec['AADlen'],
                'fail' if 'FAIL' in r else 'pass'),
                'QCRYPTO_AEAD_ALG_AES_GCM', r['Key'], r['IV'], r['AAD'],
                r.get('PT', ''), r['CT'], r['Tag'], 'FAIL' not in r)


def ccm_hex(v, nbytes):
    return '' if int(nbytes) == 0 else v


def nist_ccm(aes_dir, out):
    for kind in ('VNT', 'VTT', 'VADT', 'VPT'):
        for bits in (128, 192, 256):
            seen = set()
            path = os.path.join(aes_dir, 'CCM', '%s%d.rsp' % (kind, bits))
            for sec, r in rsp_records(path):
                combo = (sec['Nlen'], sec['Tlen'], sec['Alen'], sec['Plen'])
                adata = ccm_hex(r['Adata'], sec['Alen'])
                pt = ccm_hex(r['Payload'], sec['Plen'])
                if combo in seen or too_long(pt, adata):
                    continue
                seen.add(combo)
                tlen = 2 * int(sec['Tlen'])
                key = r.get('Key', sec.get('Key'))
                nonce = r.get('Nonce', sec.get('Nonce'))
                emit(out, 'nist-ccm-%s-%d-n%s-t%s-a%s-p%s' % (
                    kind.lower(), bits, sec['Nlen'], sec['Tlen'],
                    sec['Alen'], sec['Plen']),
                    'QCRYPTO_AEAD_ALG_AES_CCM', key, nonce, adata, pt,
                    r['CT'][:-tlen], r['CT'][-tlen:], True)
    for bits in (128, 192, 256):
        seen = set()
        path = os.path.join(aes_dir, 'CCM', 'DVPT%d.rsp' % bits)
        for sec, r in rsp_records(path):
            ok = r.get('Result', '').startswith('Pass')
            combo = (sec['Nlen'], sec['Tlen'], ok)
            adata = ccm_hex(r['Adata'], sec['Alen'])
            if combo in seen or too_long(r['CT'], adata):
                continue
            seen.add(combo)
            tlen = 2 * int(sec['Tlen'])
            emit(out, 'nist-ccm-dvpt-%d-n%s-t%s-p%s-%s' % (
                bits, sec['Nlen'], sec['Tlen'], sec['Plen'],
                'pass' if ok else 'fail'),
                'QCRYPTO_AEAD_ALG_AES_CCM', sec['Key'], r['Nonce'], adata,
                ccm_hex(r.get('Payload', ''), sec['Plen']) if ok else '',
                r['CT'][:-tlen], r['CT'][-tlen:], ok)


def wycheproof(wdir, fname, alg, tag, out):
    data = json.load(open(os.path.join(wdir, fname)))
    for g in data['testGroups']:
        kept = {'valid': 0, 'invalid': 0}
        for t in g['tests']:
            if t['result'] == 'acceptable':
                continue
            # the RFC vectors (e.g. RFC 8439 2.8.2) whatever their size
            rfc = 'RFC' in t.get('comment', '')
            if not rfc:
                # a few of each kind per group: every IV/tag/key size
                if kept[t['result']] >= 8:
                    continue
                kept[t['result']] += 1
                if len(t['msg']) > MAX_HEX or len(t['aad']) > MAX_HEX:
                    continue
            emit(out, 'wycheproof-%s-%d' % (tag, t['tcId']), alg, t['key'],
                 t['iv'], t['aad'], t['msg'], t['ct'], t['tag'],
                 t['result'] == 'valid')


def main():
    aes_dir, wdir = sys.argv[1], sys.argv[2]
    out = []
    nist_gcm(aes_dir, out)
    nist_ccm(aes_dir, out)
    wycheproof(wdir, 'aes_gcm_test.json', 'QCRYPTO_AEAD_ALG_AES_GCM',
               'aes-gcm', out)
    wycheproof(wdir, 'aes_ccm_test.json', 'QCRYPTO_AEAD_ALG_AES_CCM',
               'aes-ccm', out)
    wycheproof(wdir, 'chacha20_poly1305_test.json',
               'QCRYPTO_AEAD_ALG_CHACHA20_POLY1305', 'chacha20-poly1305', out)
    print('/* SPDX-License-Identifier: GPL-2.0-or-later */')
    print('/*')
    print(' * Generated by tests/unit/gen-crypto-aead-vectors.py: '
          'do not edit.')
    print(' * Data: NIST CAVP GCM/CCM .rsp files '
          '(python3-cryptography-vectors)')
    print(' * and Wycheproof aes_gcm/aes_ccm/chacha20_poly1305 JSON '
          '(Apache-2.0).')
    print(' * Fields: name, alg, valid, key, iv, aad, pt, ct, tag (hex).')
    print(' */')
    print('static const QCryptoAEADTestVector test_aead_vectors[] = {')
    print('\n'.join(out))
    print('};')


main()
