#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Generate tests/unit/test-crypto-ecdsa-vectors.h.

Sources (files on the build machine, data unmodified; only wrapped):
  NIST CAVP ECDSA FIPS 186-3 SigGen.txt, KeyPair.rsp and PKV.rsp from
  Debian's python3-cryptography-vectors (P-256 and P-384 sections);
  Wycheproof ecdsa_secp256r1_sha256_test.json and
  ecdsa_secp384r1_sha384_test.json (DER signatures; C2SP/wycheproof
  testvectors_v1, Apache-2.0).
The NIST private scalars are wrapped into RFC 5915 ECPrivateKey DER
here, so that the test feeds the parser the encoding the device gets.

Usage: gen-crypto-ecdsa-vectors.py NIST_ECDSA_DIR WYCHEPROOF_DIR > OUT
"""

import json
import os
import sys

CURVES = {'P-256': ('QCRYPTO_AKCIPHER_ECDSA_CURVE_NIST_P256', 32,
                    '2a8648ce3d030107', 'QCRYPTO_HASH_ALG_SHA256',
                    'SHA-256'),
          'P-384': ('QCRYPTO_AKCIPHER_ECDSA_CURVE_NIST_P384', 48,
                    '2b81040022', 'QCRYPTO_HASH_ALG_SHA384', 'SHA-384')}
MAX_SIG_HEX = 300
PER_GROUP = 4


def tlv(tag, content):
    n = len(content)
    if n < 0x80:
        length = bytes([n])
    else:
        nb = n.to_bytes((n.bit_length() + 7) // 8, 'big')
        length = bytes([0x80 | len(nb)]) + nb
    return bytes([tag]) + length + content


def ec_private_key(curve, d, qx, qy, params=True, pub=True):
    _, flen, oid, _, _ = CURVES[curve]
    body = tlv(0x02, b'\x01') + tlv(0x04, bytes.fromhex(d.rjust(2 * flen, '0')))
    if params:
        body += tlv(0xa0, tlv(0x06, bytes.fromhex(oid)))
    if pub:
        point = b'\x04' + bytes.fromhex(qx) + bytes.fromhex(qy)
        body += tlv(0xa1, tlv(0x03, b'\x00' + point))
    return tlv(0x30, body).hex()


def der_int(v):
    b = v.to_bytes(max(1, (v.bit_length() + 7) // 8), 'big')
    if b[0] & 0x80:
        b = b'\x00' + b
    return tlv(0x02, b)


def der_sig(r, s):
    return tlv(0x30, der_int(int(r, 16)) + der_int(int(s, 16))).hex()


def cstr(hexstr):
    parts = [hexstr[i:i + 64] for i in range(0, len(hexstr), 64)] or ['']
    return '\n      '.join('"%s"' % p for p in parts)


def blocks(path):
    """Yield (section, record) pairs from a CAVP file."""
    sec, rec = None, {}
    for line in open(path).read().splitlines() + ['']:
        line = line.strip()
        if line.startswith('[') and '=' not in line:
            # curve sections only: KeyPair.rsp has method sub-headers
            if line[1:3] in ('P-', 'K-', 'B-'):
                sec = line.strip('[]')
        elif '=' in line and not line.startswith('['):
            k, v = line.split('=', 1)
            rec[k.strip()] = v.strip()
        elif not line and rec:
            yield sec, rec
            rec = {}


def main():
    ndir, wdir = sys.argv[1], sys.argv[2]
    out = []
    out.append('static const ECDSASigGenVector test_ecdsa_siggen_vectors[] = {')
    for curve in CURVES:
        cid, flen, _, hid, hname = CURVES[curve]
        n = 0
        for sec, r in blocks(os.path.join(ndir, 'SigGen.txt')):
            if sec != '%s,%s' % (curve, hname) or n >= 4:
                continue
            pub = r['Qx'].rjust(2 * flen, '0'), r['Qy'].rjust(2 * flen, '0')
            out.append('    { "nist-siggen-%s-%d",\n      %s, %s,\n      %s,\n'
                       '      %s,\n      %s,\n      %s,\n      %s },' % (
                           curve.lower(), n, cid, hid,
                           cstr(ec_private_key(curve, r['d'], *pub,
                                               params=n % 2 == 0,
                                               pub=n < 2)),
                           cstr('04' + pub[0] + pub[1]), cstr(r['Msg']),
                           cstr(der_sig(r['R'], r['S'])),
                           cstr(r['d'].rjust(2 * flen, '0'))))
            n += 1
    out.append('};\n')

    out.append('static const ECDSAKeyPairVector '
               'test_ecdsa_keypair_vectors[] = {')
    for curve in CURVES:
        cid, flen, _, _, _ = CURVES[curve]
        n = 0
        for sec, r in blocks(os.path.join(ndir, 'KeyPair.rsp')):
            if sec != curve or 'd' not in r or n >= 3:
                continue
            pub = r['Qx'].rjust(2 * flen, '0'), r['Qy'].rjust(2 * flen, '0')
            bad = pub[1][:-2] + '%02x' % (int(pub[1][-2:], 16) ^ 1)
            out.append('    { "nist-keypair-%s-%d", %s,\n      %s,\n'
                       '      %s },' % (
                           curve.lower(), n, cid,
                           cstr(ec_private_key(curve, r['d'], *pub)),
                           cstr(ec_private_key(curve, r['d'], pub[0], bad))))
            n += 1
    out.append('};\n')

    out.append('static const ECDSAPublicKeyVector test_ecdsa_pkv_vectors[] = {')
    for curve in CURVES:
        cid, flen, _, _, _ = CURVES[curve]
        n = 0
        for sec, r in blocks(os.path.join(ndir, 'PKV.rsp')):
            if sec != curve or 'Qx' not in r:
                continue
            qx, qy = r['Qx'], r['Qy']
            qx = qx.rjust(max(2 * flen, len(qx) + len(qx) % 2), '0')
            qy = qy.rjust(max(2 * flen, len(qy) + len(qy) % 2), '0')
            out.append('    { "nist-pkv-%s-%d", %s, %s,\n      %s },' % (
                curve.lower(), n, cid,
                'true' if r['Result'].startswith('P') else 'false',
                cstr('04' + qx + qy)))
            n += 1
    out.append('};\n')

    pubs, vecs = [], []
    for fname, curve in (('ecdsa_secp256r1_sha256_test.json', 'P-256'),
                         ('ecdsa_secp384r1_sha384_test.json', 'P-384')):
        cid, _, _, hid, _ = CURVES[curve]
        data = json.load(open(os.path.join(wdir, fname)))
        for g in data['testGroups']:
            name = 'test_ecdsa_pub_%d' % len(pubs)
            kept = {'valid': 0, 'invalid': 0}
            for t in g['tests']:
                if t['result'] == 'acceptable' or len(t['sig']) > MAX_SIG_HEX:
                    continue
                # all of the DER-encoding cases (the first, big group);
                # a few of each kind for every other key
                if len(g['tests']) < 100 and kept[t['result']] >= PER_GROUP:
                    continue
                kept[t['result']] += 1
                vecs.append('    { "wycheproof-%s-%d", %s,\n'
                            '      %s, %s, %s,\n      %s,\n      %s },' % (
                                curve.lower(), t['tcId'], cid, hid,
                                'true' if t['result'] == 'valid' else 'false',
                                name, cstr(t['msg']), cstr(t['sig'])))
            if sum(kept.values()):
                pubs.append('static const char %s[] =\n      %s;' % (
                    name, cstr(g['publicKey']['uncompressed'])))
    out.extend(pubs)
    out.append('')
    out.append('static const ECDSAVerifyVector '
               'test_ecdsa_wycheproof_vectors[] = {')
    out.extend(vecs)
    out.append('};')

    print('/* SPDX-License-Identifier: GPL-2.0-or-later */')
    print('/*')
    print(' * Generated by tests/unit/gen-crypto-ecdsa-vectors.py: '
          'do not edit.')
    print(' * Data: NIST CAVP ECDSA FIPS 186-3 SigGen/KeyPair/PKV')
    print(' * (python3-cryptography-vectors) and Wycheproof '
          'ecdsa_secp256r1_sha256')
    print(' * / ecdsa_secp384r1_sha384 (Apache-2.0); NIST private keys wrapped')
    print(' * in RFC 5915 ECPrivateKey DER by the generator.')
    print(' */')
    print('\n'.join(out))


main()
