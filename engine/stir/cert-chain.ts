import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Certificate path validation for STI certificates (ATIS-1000074 §5.3.1, RFC 5280 in
 * the small): the leaf and intermediates come from the x5u resource, the trust anchors
 * from a directory (the STI-PA's list of approved STI-CA roots); every certificate must be
 * valid at the reference time (the call's time, not the verifier's clock).
 */
export const splitPem = (text: string): string[] => text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];

export function loadTrustAnchors(dir: string): X509Certificate[] {
  const out: X509Certificate[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names.filter((f) => /\.(pem|crt|cer)$/i.test(f)).sort()) {
    for (const pem of splitPem(readFileSync(path.join(dir, n), 'utf8'))) {
      try {
        out.push(new X509Certificate(pem));
      } catch {
        // not a certificate: skip it, as a trust store does
      }
    }
  }
  return out;
}

export type ChainResult = { ok: true; path: X509Certificate[] } | { ok: false; reason: string };

const validAt = (c: X509Certificate, at: Date): boolean => Date.parse(c.validFrom) <= at.getTime() && at.getTime() <= Date.parse(c.validTo);
const issuedBy = (c: X509Certificate, issuer: X509Certificate): boolean => {
  try {
    return c.checkIssued(issuer) && c.verify(issuer.publicKey);
  } catch {
    return false;
  }
};

export function buildChain(leaf: X509Certificate, intermediates: readonly X509Certificate[], anchors: readonly X509Certificate[], at: Date): ChainResult {
  if (anchors.length === 0) return { ok: false, reason: 'no trust anchors configured' };
  const chain = [leaf];
  let cur = leaf;
  for (let depth = 0; depth < 6; depth++) {
    if (!validAt(cur, at)) return { ok: false, reason: `certificate "${cur.subject.replace(/\n/g, ', ')}" is not valid at ${at.toISOString()} (${cur.validFrom} - ${cur.validTo})` };
    const anchor = anchors.find((a) => issuedBy(cur, a));
    if (anchor) {
      if (!validAt(anchor, at)) return { ok: false, reason: 'the trust anchor is not valid at the reference time' };
      return { ok: true, path: [...chain, anchor] };
    }
    const next = intermediates.find((i) => i !== cur && issuedBy(cur, i));
    if (!next) {
      return {
        ok: false,
        reason: depth === 0 && intermediates.length === 0 ? 'no path to a trusted root: the issuer certificate is missing or untrusted' : 'no path to a trusted root (untrusted root or missing intermediate)',
      };
    }
    if (!next.ca) return { ok: false, reason: 'an intermediate certificate is not a CA' };
    chain.push(next);
    cur = next;
  }
  return { ok: false, reason: 'certificate chain too long' };
}
