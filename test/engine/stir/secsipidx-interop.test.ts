import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, issueLeaf } from '../../../engine/stir/test-pki.ts';
import { verifyIdentity, type VerifyInput } from '../../../engine/stir/verify-identity.ts';
import { tempDir } from '../../support/cdr-fixtures.ts';

/**
 * Interoperability with an independent implementation: Debian's secsipidx (asipto) signs,
 * tracehop verifies, with certificates served by HTTP and HTTPS servers on loopback.
 */
const SECSIPIDX = ['/usr/bin/secsipidx', '/usr/local/bin/secsipidx'].find((p) => existsSync(p));
const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

describe.skipIf(!SECSIPIDX)('PASSporTs signed by secsipidx, verified by tracehop', () => {
  const dir = tempDir('stir-');
  const files: Record<string, string> = {};
  let httpBase = '';
  let httpsBase = '';
  let closedPort = 0;
  let tlsCa = '';
  const servers: (http.Server | https.Server)[] = [];

  beforeAll(async () => {
    const pki = createTestPki(path.join(dir, 'pki'));
    const other = createTestPki(path.join(dir, 'other'), { rootCn: 'Someone Else Root' });
    writeFileSync(path.join(dir, 'trust.pem'), pki.rootPem);
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'provider.key'], dir);
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'wrong.key'], dir);
    const leaf = issueLeaf(pki, path.join(dir, 'provider.key'), 'SPC123');
    const foreign = issueLeaf(other, path.join(dir, 'provider.key'), 'SPC123');
    files['/cert.pem'] = leaf + pki.intermediatePem;
    files['/leaf-only.pem'] = leaf;
    files['/untrusted.pem'] = foreign + other.intermediatePem;
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
      const body = files[req.url ?? ''];
      if (req.url === '/to-http') {
        res.writeHead(302, { location: `${httpBase}/cert.pem` });
        return res.end();
      }
      if (body === undefined) {
        res.writeHead(404);
        return res.end();
      }
      res.writeHead(200, { 'content-type': 'application/pem-certificate-chain' });
      res.end(body);
    };
    const h = http.createServer(handler);
    await new Promise<void>((r) => h.listen(0, '127.0.0.1', () => r()));
    httpBase = `http://127.0.0.1:${(h.address() as AddressInfo).port}`;
    // TLS for the https x5u server: a throwaway self-signed certificate for 127.0.0.1
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'tls.key', '-out', 'tls.pem', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], dir);
    tlsCa = execFileSync('cat', [path.join(dir, 'tls.pem')]).toString();
    const s = https.createServer({ key: execFileSync('cat', [path.join(dir, 'tls.key')]), cert: tlsCa }, handler);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    httpsBase = `https://127.0.0.1:${(s.address() as AddressInfo).port}`;
    servers.push(h, s);
    const tmp = http.createServer();
    await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', () => r()));
    closedPort = (tmp.address() as AddressInfo).port;
    await new Promise<void>((r) => tmp.close(() => r()));
  }, 60_000);
  afterAll(() => servers.forEach((s) => s.close()));

  const sign = (o: { orig?: string; dest?: string; attest?: string; iat?: number; x5u: string; key?: string; origid?: string }): string =>
    o.iat !== undefined
      ? // secsipidx -sign with our header and payload (its -sign-full always stamps the current time)
        execFileSync(SECSIPIDX!, [
          '-sign',
          '-header', JSON.stringify({ alg: 'ES256', ppt: 'shaken', typ: 'passport', x5u: o.x5u }),
          '-payload', JSON.stringify({ attest: o.attest ?? 'A', dest: { tn: [o.dest ?? '13125555678'] }, iat: o.iat, orig: { tn: o.orig ?? '12125551234' }, origid: o.origid ?? randomUUID() }),
          '-k', path.join(dir, o.key ?? 'provider.key'),
        ]).toString().trim() + `;info=<${o.x5u}>;alg=ES256;ppt=shaken`
      : execFileSync(SECSIPIDX!, [
      '-sign-full',
      '-orig-tn', o.orig ?? '12125551234',
      '-dest-tn', o.dest ?? '13125555678',
      '-attest', o.attest ?? 'A',
      '-orig-id', o.origid ?? randomUUID(),
      '-x5u', o.x5u,
      '-k', path.join(dir, o.key ?? 'provider.key'),
    ]).toString().trim();

  // -sign-full stamps iat with the current time, so the reference time is the clock
  const verify = (identity: string, over: Partial<VerifyInput> = {}) =>
    verifyIdentity({
      identity,
      orig: '+12125551234',
      dest: '(312) 555-5678',
      at: new Date(),
      trustDir: dir,
      fetch: { cacheDir: path.join(dir, `cache-${randomUUID()}`), tlsCa, timeoutMs: 2000 },
      ...over,
    });

  it.each(['A', 'B', 'C'])('passes a valid attestation %s over http, naming the signer SPC', async (attest) => {
    const origid = randomUUID();
    const r = await verify(sign({ attest, x5u: `${httpBase}/cert.pem`, origid }));
    expect(r).toMatchObject({ verstat: 'TN-Validation-Passed', sip_code: null, attest, origid, signer_spc: 'SPC123' });
  });

  it('passes over https with the certificate fetched once into the cache', async () => {
    const cacheDir = path.join(dir, 'cache-https');
    const id = sign({ x5u: `${httpsBase}/cert.pem` });
    expect(await verify(id, { fetch: { cacheDir, tlsCa } })).toMatchObject({ verstat: 'TN-Validation-Passed' });
    // offline from the cache: the server is not asked again
    expect(await verify(id, { fetch: { cacheDir, offline: true } })).toMatchObject({ verstat: 'TN-Validation-Passed' });
  });

  it('fails a tampered payload (438)', async () => {
    const id = sign({ attest: 'C', x5u: `${httpBase}/cert.pem` });
    const [token, ...params] = id.split(';');
    const [h, p, s] = token!.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, attest: 'A' })).toString('base64url');
    const r = await verify([`${h}.${forged}.${s}`, ...params].join(';'));
    expect(r).toMatchObject({ verstat: 'TN-Validation-Failed', sip_code: 438 });
    expect(r.reason).toMatch(/signature/);
  });

  it('fails a signature by another key (438)', async () => {
    expect(await verify(sign({ x5u: `${httpBase}/cert.pem`, key: 'wrong.key' }))).toMatchObject({ sip_code: 438, verstat: 'TN-Validation-Failed' });
  });

  it('fails a stale iat and a future iat (403)', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await verify(sign({ x5u: `${httpBase}/cert.pem`, iat: now - 120 }))).toMatchObject({ sip_code: 403, verstat: 'TN-Validation-Failed' });
    expect(await verify(sign({ x5u: `${httpBase}/cert.pem`, iat: now + 120 }))).toMatchObject({ sip_code: 403 });
    // within the 60-second window, the same path passes: the signature from -sign is good
    expect(await verify(sign({ x5u: `${httpBase}/cert.pem`, iat: now - 30 }))).toMatchObject({ verstat: 'TN-Validation-Passed' });
  });

  it('fails an orig or dest that is not the call’s (438)', async () => {
    expect((await verify(sign({ x5u: `${httpBase}/cert.pem`, orig: '12125550000' }))).reason).toMatch(/orig\.tn .* does not match/);
    expect((await verify(sign({ x5u: `${httpBase}/cert.pem`, dest: '13125550000' }))).sip_code).toBe(438);
  });

  it('fails an untrusted root and a missing intermediate (437)', async () => {
    expect(await verify(sign({ x5u: `${httpBase}/untrusted.pem` }))).toMatchObject({ sip_code: 437, verstat: 'TN-Validation-Failed' });
    const r = await verify(sign({ x5u: `${httpBase}/leaf-only.pem` }));
    expect(r.sip_code).toBe(437);
    expect(r.reason).toMatch(/no path to a trusted root/);
  });

  it('fails an unreachable x5u, and a redirect to another scheme (436)', async () => {
    expect(await verify(sign({ x5u: `http://127.0.0.1:${closedPort}/cert.pem` }))).toMatchObject({ sip_code: 436 });
    const r = await verify(sign({ x5u: `${httpsBase}/to-http` }));
    expect(r.sip_code).toBe(436);
    expect(r.reason).toMatch(/redirect from https: to http: refused/);
  });

  it('fails when info is not the x5u (436)', async () => {
    const id = sign({ x5u: `${httpBase}/cert.pem` }).replace(/info=<[^>]+>/, `info=<${httpBase}/other.pem>`);
    expect(await verify(id)).toMatchObject({ sip_code: 436 });
  });
});
