/**
 * Parse a SIP Identity header field (RFC 8224 §4): `<passport>;info=<url>;alg=ES256;ppt=shaken`
 * in the full form (`header.payload.signature`) or the compact form (`header..signature`,
 * RFC 8225 §7: the payload is rebuilt from the SIP request). Parameters in any order and
 * case; several Identity values in one field (comma-separated, RFC 8224 §4). Never throws:
 * a malformed value is a reason.
 */
export interface ParsedIdentity {
  readonly token: string;
  readonly headerB64: string;
  /** empty in the compact form */
  readonly payloadB64: string;
  readonly signatureB64: string;
  readonly compact: boolean;
  readonly header: Record<string, unknown>;
  /** undefined in the compact form */
  readonly payload?: Record<string, unknown>;
  readonly info?: string;
  readonly params: Readonly<Record<string, string>>;
}

export type IdentityParse = { ok: true; value: ParsedIdentity } | { ok: false; reason: string };

/** RFC 8224 does not bound the field; 16 KiB is far beyond any real PASSporT with x5u. */
export const MAX_IDENTITY_LENGTH = 16_384;
const B64URL = /^[A-Za-z0-9_-]*$/;

const decodeJsonObject = (b64: string, what: string): { ok: true; value: Record<string, unknown> } | { ok: false; reason: string } => {
  if (!B64URL.test(b64) || b64.length === 0) return { ok: false, reason: `${what} is not base64url` };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(b64, 'base64url'));
  } catch {
    return { ok: false, reason: `${what} is not UTF-8` };
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ok: false, reason: `${what} is not JSON` };
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return { ok: false, reason: `${what} is JSON but not an object` };
  return { ok: true, value: v as Record<string, unknown> };
};

/** Split a field on commas that are outside `<...>` and quotes. */
export function splitIdentityField(field: string): string[] {
  const out: string[] = [];
  let cur = '';
  let angle = false;
  let quote = false;
  for (const ch of field) {
    if (ch === '"' && !angle) quote = !quote;
    else if (ch === '<' && !quote) angle = true;
    else if (ch === '>' && !quote) angle = false;
    if (ch === ',' && !angle && !quote) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out.filter((x) => x !== '');
}

export function parseIdentity(value: string): IdentityParse {
  if (typeof value !== 'string' || value.trim() === '') return { ok: false, reason: 'empty Identity header' };
  if (value.length > MAX_IDENTITY_LENGTH) return { ok: false, reason: `Identity header of ${value.length} characters exceeds ${MAX_IDENTITY_LENGTH}` };
  const [token = '', ...rawParams] = value.trim().split(';');
  const params: Record<string, string> = {};
  for (const p of rawParams) {
    const eq = p.indexOf('=');
    const name = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
    if (name === '') continue;
    let v = eq < 0 ? '' : p.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1);
    if (name in params) return { ok: false, reason: `parameter ${name} given twice` };
    params[name] = v;
  }
  const parts = token.trim().split('.');
  if (parts.length !== 3) return { ok: false, reason: 'the PASSporT is not a JWS compact serialization (three dot-separated parts)' };
  const [h, p, s] = parts as [string, string, string];
  const header = decodeJsonObject(h, 'the JWS header');
  if (!header.ok) return header;
  const compact = p === '';
  let payload: Record<string, unknown> | undefined;
  if (!compact) {
    const pl = decodeJsonObject(p, 'the PASSporT payload');
    if (!pl.ok) return pl;
    payload = pl.value;
  }
  if (!B64URL.test(s) || s.length === 0) return { ok: false, reason: 'the signature is not base64url' };
  let info: string | undefined;
  if (params['info'] !== undefined) {
    const m = /^<(.+)>$/.exec(params['info']);
    if (!m) return { ok: false, reason: 'info parameter is not an absolute URI in angle brackets' };
    info = m[1];
  }
  return {
    ok: true,
    value: { token: token.trim(), headerB64: h, payloadB64: p, signatureB64: s, compact, header: header.value, ...(payload ? { payload } : {}), ...(info ? { info } : {}), params },
  };
}
