import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseIdentity, splitIdentityField } from '../../../engine/stir/identity-header.ts';
import { verifyIdentity } from '../../../engine/stir/verify-identity.ts';
import { tempDir } from '../../support/cdr-fixtures.ts';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const HEADER = { alg: 'ES256', ppt: 'shaken', typ: 'passport', x5u: 'http://127.0.0.1:9/cert.pem' };
const PAYLOAD = { attest: 'A', dest: { tn: ['13125555678'] }, iat: 1793640221, orig: { tn: '12125551234' }, origid: '5f1b6a2e-8c4d-4e0b-9a37-2f0c6d1e7b34' };
const id = (h: unknown, p: unknown, params = ';info=<http://127.0.0.1:9/cert.pem>;alg=ES256;ppt=shaken') => `${b64(h)}.${b64(p)}.${b64('sig')}${params}`;

const dir = tempDir('stir-bad-');
const verify = (identity: string) =>
  verifyIdentity({ identity, orig: '+12125551234', dest: '+13125555678', at: new Date(1793640221 * 1000), trustDir: dir, fetch: { cacheDir: path.join(dir, 'cache'), offline: true } });

describe('malformed Identity headers', () => {
  it.each([
    ['a wrong alg', id({ ...HEADER, alg: 'RS256' }, PAYLOAD), /alg is "RS256"/],
    ['a wrong typ', id({ ...HEADER, typ: 'JWT' }, PAYLOAD), /typ is "JWT"/],
    ['a wrong ppt', id({ ...HEADER, ppt: 'div' }, PAYLOAD), /ppt is "div"/],
    ['bad base64', `${b64(HEADER)}.***.${b64('sig')};info=<http://127.0.0.1:9/cert.pem>`, /payload is not base64url/],
    ['a 64 KB header', id(HEADER, { ...PAYLOAD, pad: 'x'.repeat(64 * 1024) }), /exceeds 16384/],
    ['a number over 15 digits', id(HEADER, { ...PAYLOAD, orig: { tn: '1212555123412345678' } }), /orig\.tn .* at most 15 digits/],
    ['a missing claim', id(HEADER, { ...PAYLOAD, origid: undefined }), /claim origid/],
    ['JSON that is not an object', id(HEADER, [1, 2, 3]), /payload is JSON but not an object/],
    ['a header that is not JSON', `${b64('{oops')}.${b64(PAYLOAD)}.${b64('s')}`, /JWS header is not JSON/],
    ['two parts only', `${b64(HEADER)}.${b64(PAYLOAD)};info=<x>`, /three dot-separated parts/],
  ])('names the reason for %s, with 438 and no exception', async (_name, identity, reason) => {
    const r = await verify(identity);
    expect(r.verstat).toBe('TN-Validation-Failed');
    expect(r.sip_code).toBe(438);
    expect(r.reason).toMatch(reason);
  });

  it('answers 428 and No-TN-Validation when there is no Identity header', async () => {
    expect(await verify('')).toMatchObject({ verstat: 'No-TN-Validation', sip_code: 428 });
  });

  it('reads parameters in any order and case, and several values in one field', () => {
    const token = `${b64(HEADER)}.${b64(PAYLOAD)}.${b64('s')}`;
    const p = parseIdentity(`${token};PPT="shaken";Alg=ES256;INFO=<http://a.example/c.pem>`);
    expect(p.ok && p.value.params).toEqual({ ppt: 'shaken', alg: 'ES256', info: '<http://a.example/c.pem>' });
    expect(p.ok && p.value.info).toBe('http://a.example/c.pem');
    expect(splitIdentityField(`${token};info=<http://a,b/c>;alg=ES256, ${token};info=<http://d/e>`)).toHaveLength(2);
    const compact = parseIdentity(`${b64(HEADER)}..${b64('s')};info=<http://a/c.pem>`);
    expect(compact.ok && compact.value.compact).toBe(true);
  });

  it('never throws, whatever the header holds (property)', async () => {
    const part = fc.oneof(fc.base64String(), fc.string(), fc.constant(b64(HEADER)), fc.constant(b64(PAYLOAD)), fc.json().map((j) => b64(j)));
    const header = fc.tuple(part, part, part, fc.array(fc.tuple(fc.constantFrom('info', 'alg', 'ppt', 'INFO', 'x'), fc.string()), { maxLength: 4 })).map(
      ([a, b, c, ps]) => `${a}.${b}.${c}${ps.map(([k, v]) => `;${k}=${v}`).join('')}`,
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(header, fc.string({ maxLength: 300 })), async (h) => {
        const r = await verify(h);
        expect(['TN-Validation-Failed', 'No-TN-Validation']).toContain(r.verstat);
        expect(typeof r.reason).toBe('string');
      }),
      { numRuns: 400 },
    );
  });
});
