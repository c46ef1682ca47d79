// npm run bench:stir -> bench/results/stir.json
// PASSporT verifications per second with a warm certificate cache, beside raw ES256
// verifications per second from node:crypto (the ceiling) in the same run; and ingest
// rows/s of a generated corpus (~60% of rows carry an Identity header) with and without
// --trust verification. STIR_CALLS (default 60000) sets the corpus size.
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCorpus } from '../engine/generate/generate-corpus.ts';
import { writeCachedCertificate } from '../engine/stir/cert-fetch.ts';
import { passportTn, signPassport } from '../engine/stir/sign-passport.ts';
import { createTestPki, issueLeaf } from '../engine/stir/test-pki.ts';
import { verifyIdentity } from '../engine/stir/verify-identity.ts';
import { x5uFor } from '../engine/generate/provider-keys.ts';
import { ingestFile } from '../ingest/pipeline/ingest-file.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const work = path.join(os.tmpdir(), 'tracehop-bench-stir');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const N = 20_000;

// 1. raw ES256 verify ceiling (node:crypto, synchronous)
const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const msg = Buffer.from('eyJhbGciOiJFUzI1NiJ9.eyJhIjoxfQ');
const sig = sign('sha256', msg, { key: privateKey, dsaEncoding: 'ieee-p1363' });
let t = performance.now();
for (let i = 0; i < N; i++) verify('sha256', msg, { key: publicKey, dsaEncoding: 'ieee-p1363' }, sig);
const rawPerS = N / ((performance.now() - t) / 1000);

// 2. tracehop verification, warm cache (full checks: header, claims, iat, chain cached, signature)
const pki = createTestPki(path.join(work, 'pki'));
writeFileSync(path.join(work, 'provider.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
const leaf = issueLeaf(pki, path.join(work, 'provider.key'), 'BENCH1');
const x5u = 'https://sti.bench1.example/cert.pem';
const cacheDir = path.join(work, 'cache');
writeCachedCertificate(x5u, leaf + pki.intermediatePem, cacheDir);
mkdirSync(path.join(work, 'trust'), { recursive: true });
writeFileSync(path.join(work, 'trust', 'root.pem'), pki.rootPem);
const iat = Math.floor(Date.now() / 1000);
const ids = Array.from({ length: 2000 }, (_, i) => signPassport({ attest: 'A', dest: { tn: [passportTn('+13125555678')] }, iat, orig: { tn: passportTn(`+1212555${String(1000 + i).slice(-4)}`) }, origid: `5f1b6a2e-8c4d-4e0b-9a37-${String(i).padStart(12, '0')}` }, privateKey, x5u));
let passed = 0;
t = performance.now();
for (let i = 0; i < N; i++) {
  const k = i % ids.length;
  const r = await verifyIdentity({ identity: ids[k]!, orig: `+1212555${String(1000 + k).slice(-4)}`, dest: '+13125555678', at: new Date(iat * 1000), trustDir: path.join(work, 'trust'), fetch: { cacheDir, offline: true } });
  if (r.verstat === 'TN-Validation-Passed') passed++;
}
const thPerS = N / ((performance.now() - t) / 1000);

// 3. ingest with and without verification
const calls = Number(process.env['STIR_CALLS'] ?? 60_000);
const corpus = path.join(work, 'corpus');
await generateCorpus({ out: corpus, calls, providers: 8, seed: 3, days: 2, end: '2026-11-20' });
const manifest = JSON.parse(readFileSync(path.join(corpus, 'manifest.json'), 'utf8')) as { files: { path: string; format: 'canonical' | 'ndjson' }[] };
// certificates for every signing provider, cached for both data dirs
const trust = path.join(work, 'corpus-pki');
const cpki = createTestPki(path.join(trust, 'ca'));
mkdirSync(path.join(trust, 'anchors'), { recursive: true });
writeFileSync(path.join(trust, 'anchors', 'root.pem'), cpki.rootPem);
const runIngest = async (withTrust: boolean) => {
  const data = path.join(work, withTrust ? 'data-trust' : 'data-plain');
  if (withTrust) {
    for (const f of readdirSync(path.join(corpus, 'keys'))) {
      const p = f.replace(/\.key\.pem$/, '');
      writeCachedCertificate(x5uFor(p), issueLeaf(cpki, path.join(corpus, 'keys', f), p) + cpki.intermediatePem, path.join(data, 'stir-cache'));
    }
  }
  let rows = 0;
  let signedRows = 0;
  let ok = 0;
  const s = performance.now();
  for (const f of manifest.files) {
    const r = await ingestFile(path.join(corpus, f.path), { data, format: f.format, now: new Date('2026-11-21T00:00:00Z'), ...(withTrust ? { trust: path.join(trust, 'anchors') } : {}) });
    rows += r.rows_in;
    signedRows += r.identity?.checked ?? 0;
    ok += r.identity?.passed ?? 0;
  }
  return { rows, signed_rows: signedRows, passed: ok, seconds: +((performance.now() - s) / 1000).toFixed(2), rows_per_s: Math.round(rows / ((performance.now() - s) / 1000)) };
};
const plain = await runIngest(false);
const trusted = await runIngest(true);

const report = {
  bench: 'stir',
  machine: { cpus: os.cpus().length, node: process.version },
  at: new Date().toISOString(),
  raw_es256_verify_per_s: Math.round(rawPerS),
  tracehop_verify_per_s_warm_cache: Math.round(thPerS),
  verify_passed: passed,
  ratio_vs_raw: +(thPerS / rawPerS).toFixed(3),
  ingest_without_verification: plain,
  ingest_with_verification: { ...trusted, share_signed: +(trusted.signed_rows / trusted.rows).toFixed(3) },
  ingest_ratio: +(trusted.rows_per_s / plain.rows_per_s).toFixed(3),
  targets: { ratio_vs_raw: 0.5, ingest_ratio: 0.5 },
};
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results', 'stir.json'), JSON.stringify(report, null, 2) + '\n');
process.stderr.write(JSON.stringify(report) + '\n');
process.stdout.write(JSON.stringify({ ok: true, file: 'bench/results/stir.json' }) + '\n');
