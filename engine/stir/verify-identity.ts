import { X509Certificate, type KeyObject } from 'node:crypto';
import { compactVerify } from 'jose';
import { z } from 'zod';
import { toE164 } from '../phone/normalize-e164.ts';
import { buildChain, loadTrustAnchors, splitPem } from './cert-chain.ts';
import { fetchCertificate, type FetchOptions } from './cert-fetch.ts';
import { parseIdentity, splitIdentityField, type ParsedIdentity } from './identity-header.ts';
import { tnAuthList } from './tn-auth-list.ts';

/**
 * A STIR/SHAKEN verification service's checks (RFC 8224 §6.2, RFC 8225, RFC 8588,
 * ATIS-1000074 §5.3): header (alg ES256, ppt shaken, typ passport, x5u = info), claims,
 * freshness of iat against the reference time (absolute: future tokens fail too), orig and
 * dest against the call's numbers, the certificate from x5u, its path to a trusted STI-CA
 * root valid at the reference time, TNAuthList, and the ES256 signature (jose).
 * The result carries the verstat and the SIP response a verifier would send.
 */
export const VERSTATS = ['TN-Validation-Passed', 'TN-Validation-Failed', 'No-TN-Validation'] as const;
export type Verstat = (typeof VERSTATS)[number];

export interface VerifyResult {
  readonly verstat: Verstat;
  /** 403 stale, 428 missing, 436 bad identity info, 437 unsupported credential, 438 invalid identity header; null when passed */
  readonly sip_code: 403 | 428 | 436 | 437 | 438 | null;
  readonly reason: string;
  readonly attest: string;
  readonly origid: string;
  readonly signer_spc: string;
  readonly signer_subject: string;
  readonly x5u: string;
}

export interface VerifyInput {
  readonly identity: string | null | undefined;
  /** the calling number: P-Asserted-Identity, else From */
  readonly orig: string;
  readonly dest: string;
  /** reference time: the call's time (at ingest) or now */
  readonly at: Date;
  readonly trustDir: string;
  readonly fetch: FetchOptions;
  readonly freshnessS?: number;
  /** compact form (RFC 8225 §7): claims the SIP request carries that the token does not */
  readonly compactClaims?: { attest?: string; origid?: string; iat?: number };
}

const PayloadSchema = z.object({
  attest: z.enum(['A', 'B', 'C']),
  dest: z.object({ tn: z.array(z.string()).min(1) }),
  iat: z.number().int(),
  orig: z.object({ tn: z.string() }),
  origid: z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/),
});

const fail = (sip_code: VerifyResult['sip_code'], reason: string, extra: Partial<VerifyResult> = {}): VerifyResult => ({
  verstat: sip_code === 428 ? 'No-TN-Validation' : 'TN-Validation-Failed',
  sip_code,
  reason,
  attest: '',
  origid: '',
  signer_spc: '',
  signer_subject: '',
  x5u: '',
  ...extra,
});

/** A PASSporT tn (digits, RFC 8225 §5.2.1) as E.164, or null when it is not one. */
const tnToE164 = (tn: string): string | null => (/^\d{1,15}$/.test(tn) ? toE164(`+${tn}`) : null);

const trustCache = new Map<string, { at: number; anchors: X509Certificate[] }>();
const anchorsOf = (dir: string): X509Certificate[] => {
  const hit = trustCache.get(dir);
  if (hit && Date.now() - hit.at < 60_000) return hit.anchors;
  const anchors = loadTrustAnchors(dir);
  trustCache.set(dir, { at: Date.now(), anchors });
  return anchors;
};

interface CertInfo {
  ok: boolean;
  reason: string;
  key?: KeyObject;
  spc: string;
  subject: string;
}
/** Certificate checks depend on (x5u, reference day): cached so a verifier does them once. */
const certCache = new Map<string, CertInfo>();

async function certificateFor(x5u: string, at: Date, input: VerifyInput): Promise<CertInfo & { sip: 436 | 437 }> {
  const key = `${x5u}|${input.trustDir}|${at.toISOString().slice(0, 13)}`;
  const hit = certCache.get(key);
  if (hit) return { ...hit, sip: hit.reason.startsWith('x5u') ? 436 : 437 };
  const fetched = await fetchCertificate(x5u, input.fetch);
  let info: CertInfo;
  if (!fetched.ok) info = { ok: false, reason: fetched.reason, spc: '', subject: '' };
  else {
    const pems = splitPem(fetched.pem);
    if (pems.length === 0) info = { ok: false, reason: 'x5u resource holds no PEM certificate', spc: '', subject: '' };
    else {
      try {
        const [leaf, ...rest] = pems.map((p) => new X509Certificate(p));
        const chain = buildChain(leaf!, rest, anchorsOf(input.trustDir), at);
        const tn = tnAuthList(leaf!);
        const subject = leaf!.subject.replace(/\n/g, ', ');
        if (!chain.ok) info = { ok: false, reason: `certificate: ${chain.reason}`, spc: tn.spc[0] ?? '', subject };
        else if (!tn.present) info = { ok: false, reason: 'certificate: no TNAuthList extension (1.3.6.1.5.5.7.1.26)', spc: '', subject };
        else if (leaf!.publicKey.asymmetricKeyType !== 'ec') info = { ok: false, reason: 'certificate: key is not EC P-256', spc: tn.spc[0] ?? '', subject };
        else info = { ok: true, reason: '', key: leaf!.publicKey, spc: tn.spc[0] ?? '', subject };
      } catch (e) {
        info = { ok: false, reason: `certificate: not parseable (${(e as Error).message})`, spc: '', subject: '' };
      }
    }
  }
  if (certCache.size > 10_000) certCache.clear();
  certCache.set(key, info);
  return { ...info, sip: info.reason.startsWith('x5u') ? 436 : 437 };
}

async function verifyOne(p: ParsedIdentity, input: VerifyInput): Promise<VerifyResult> {
  const h = p.header;
  if (h['alg'] !== 'ES256') return fail(438, `alg is ${JSON.stringify(h['alg'])}, SHAKEN requires ES256`);
  if (h['ppt'] !== 'shaken') return fail(438, `ppt is ${JSON.stringify(h['ppt'])}, expected "shaken"`);
  if (h['typ'] !== 'passport') return fail(438, `typ is ${JSON.stringify(h['typ'])}, expected "passport"`);
  if (p.params['alg'] !== undefined && p.params['alg'] !== 'ES256') return fail(438, `alg parameter ${p.params['alg']} differs from the token's ES256`);
  if (p.params['ppt'] !== undefined && p.params['ppt'].replace(/"/g, '') !== 'shaken') return fail(438, `ppt parameter ${p.params['ppt']} differs from the token's shaken`);
  const x5u = typeof h['x5u'] === 'string' ? h['x5u'] : '';
  if (!x5u) return fail(436, 'the PASSporT header has no x5u');
  if (!p.info) return fail(436, 'the Identity header has no info parameter', { x5u });
  if (p.info !== x5u) return fail(436, `info <${p.info}> is not the x5u ${x5u}`, { x5u });

  let payload: unknown = p.payload;
  if (p.compact) {
    const c = input.compactClaims ?? {};
    payload = { attest: c.attest, dest: { tn: [input.dest.replace(/^\+/, '')] }, iat: c.iat ?? Math.floor(input.at.getTime() / 1000), orig: { tn: input.orig.replace(/^\+/, '') }, origid: c.origid };
  }
  const claims = PayloadSchema.safeParse(payload);
  if (!claims.success) {
    const issue = claims.error.issues[0]!;
    return fail(438, `claim ${issue.path.join('.') || '(payload)'}: ${issue.message}`, { x5u });
  }
  const c = claims.data;
  const base = { attest: c.attest, origid: c.origid.toLowerCase(), x5u };
  const orig = tnToE164(c.orig.tn);
  if (!orig) return fail(438, `orig.tn ${JSON.stringify(c.orig.tn)} is not a telephone number of at most 15 digits`, base);
  const dests = c.dest.tn.map(tnToE164);
  if (dests.some((d) => d === null)) return fail(438, 'dest.tn holds a value that is not a telephone number of at most 15 digits', base);
  const callOrig = toE164(input.orig);
  const callDest = toE164(input.dest);
  if (orig !== callOrig) return fail(438, `orig.tn ${orig} does not match the calling number ${callOrig ?? input.orig}`, base);
  if (!dests.includes(callDest)) return fail(438, `dest.tn ${dests.join(',')} does not match the called number ${callDest ?? input.dest}`, base);
  const skew = Math.abs(input.at.getTime() / 1000 - c.iat);
  if (skew > (input.freshnessS ?? 60)) {
    return fail(403, `stale: iat ${new Date(c.iat * 1000).toISOString()} is ${Math.round(skew)} s from ${input.at.toISOString()} (limit ${input.freshnessS ?? 60} s)`, base);
  }
  const cert = await certificateFor(x5u, input.at, input);
  if (!cert.ok || !cert.key) return fail(cert.sip, cert.reason, { ...base, signer_spc: cert.spc, signer_subject: cert.subject });
  const signed = p.compact ? `${p.headerB64}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${p.signatureB64}` : p.token;
  try {
    await compactVerify(signed, cert.key, { algorithms: ['ES256'] });
  } catch (e) {
    return fail(438, `signature does not verify with the x5u certificate (${(e as Error).message})`, { ...base, signer_spc: cert.spc, signer_subject: cert.subject });
  }
  return { verstat: 'TN-Validation-Passed', sip_code: null, reason: `signed ${c.attest} by ${cert.spc || cert.subject}`, ...base, signer_spc: cert.spc, signer_subject: cert.subject };
}

/** Verify an Identity header field (one or several values). Never throws. */
export async function verifyIdentity(input: VerifyInput): Promise<VerifyResult> {
  try {
    if (!input.identity || input.identity.trim() === '') return fail(428, 'no Identity header (428 Use Identity Header)');
    const values = splitIdentityField(input.identity);
    let first: VerifyResult | null = null;
    for (const v of values) {
      const parsed = parseIdentity(v);
      const r = parsed.ok ? await verifyOne(parsed.value, input) : fail(438, parsed.reason);
      if (r.verstat === 'TN-Validation-Passed') return r;
      first ??= r;
    }
    return first ?? fail(438, 'no Identity value in the header');
  } catch (e) {
    return fail(438, `unexpected: ${(e as Error).message}`);
  }
}
