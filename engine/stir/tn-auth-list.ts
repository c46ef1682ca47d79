import type { X509Certificate } from 'node:crypto';

/**
 * TNAuthList (RFC 8226 §9, OID 1.3.6.1.5.5.7.1.26) in a STI certificate: the Service
 * Provider Code (ATIS-1000080 SPC) the certificate was issued for. A minimal DER walk:
 * Certificate > tbsCertificate > [3] extensions > Extension(OID, critical?, OCTET STRING).
 * TNAuthorizationList ::= SEQUENCE OF TNEntry; TNEntry ::= CHOICE { spc [0] IA5String, ... }
 * (EXPLICIT tags).
 */
interface Tlv {
  tag: number;
  start: number; // content start
  end: number; // content end
}

function readTlv(buf: Buffer, at: number): Tlv {
  const tag = buf[at]!;
  let len = buf[at + 1]!;
  let p = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error('unsupported DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i]!;
    p += n;
  }
  if (p + len > buf.length) throw new Error('DER length past the end');
  return { tag, start: p, end: p + len };
}

function children(buf: Buffer, t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let p = t.start; p < t.end; ) {
    const c = readTlv(buf, p);
    out.push(c);
    p = c.end;
  }
  return out;
}

const TN_AUTH_LIST_OID = Buffer.from([0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x1a]); // 1.3.6.1.5.5.7.1.26

export interface TnAuthList {
  readonly present: boolean;
  readonly spc: readonly string[];
}

export function tnAuthList(cert: X509Certificate): TnAuthList {
  try {
    const der = cert.raw;
    const certSeq = readTlv(der, 0);
    const tbs = children(der, certSeq)[0]!;
    const ext = children(der, tbs).find((c) => c.tag === 0xa3);
    if (!ext) return { present: false, spc: [] };
    const extSeq = children(der, ext)[0]!;
    for (const e of children(der, extSeq)) {
      const parts = children(der, e);
      const oid = parts[0]!;
      if (oid.tag !== 0x06 || !der.subarray(oid.start, oid.end).equals(TN_AUTH_LIST_OID)) continue;
      const octets = parts[parts.length - 1]!;
      const list = readTlv(der, octets.start);
      const spc: string[] = [];
      for (const entry of children(der, list)) {
        if (entry.tag !== 0xa0) continue;
        const inner = readTlv(der, entry.start);
        spc.push(der.subarray(inner.start, inner.end).toString('ascii'));
      }
      return { present: true, spc };
    }
    return { present: false, spc: [] };
  } catch {
    return { present: false, spc: [] };
  }
}

/** DER of a TNAuthList holding one SPC, for test certificates (openssl `DER:` extension value). */
export function tnAuthListDer(spc: string): Buffer {
  const ia5 = Buffer.concat([Buffer.from([0x16, spc.length]), Buffer.from(spc, 'ascii')]);
  const entry = Buffer.concat([Buffer.from([0xa0, ia5.length]), ia5]);
  return Buffer.concat([Buffer.from([0x30, entry.length]), entry]);
}
