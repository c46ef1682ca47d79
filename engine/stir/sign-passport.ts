import { sign, type KeyObject } from 'node:crypto';

/**
 * Make a SHAKEN PASSporT (RFC 8225, RFC 8588, ATIS-1000074) and the SIP Identity header
 * that carries it (RFC 8224 §4.1): `<jws>;info=<x5u>;alg=ES256;ppt=shaken`.
 * Synchronous node:crypto ES256 (P-256, JWS signature in IEEE P1363 form, RFC 7518 §3.4),
 * for the generator's millions of calls; verification uses jose (engine/stir).
 */
export interface PassportClaims {
  readonly attest: 'A' | 'B' | 'C';
  /** ATIS-1000074: telephone numbers as digits, no '+' */
  readonly dest: { readonly tn: readonly string[] };
  readonly iat: number;
  readonly orig: { readonly tn: string };
  readonly origid: string;
}

const b64url = (s: string | Buffer): string => Buffer.from(s).toString('base64url');

/** Canonical JSON (RFC 8225 §9: keys in lexicographic order, no whitespace). */
const canonical = (v: unknown): string => {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
};

export function signPassport(claims: PassportClaims, privateKey: KeyObject, x5u: string): string {
  const header = b64url(canonical({ alg: 'ES256', ppt: 'shaken', typ: 'passport', x5u }));
  const payload = b64url(canonical(claims));
  const input = `${header}.${payload}`;
  const sig = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(sig)};info=<${x5u}>;alg=ES256;ppt=shaken`;
}

/** E.164 `+12125551234` -> PASSporT tn `12125551234`. */
export const passportTn = (e164: string): string => e164.replace(/^\+/, '');
