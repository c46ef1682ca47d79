import { createPrivateKey, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { toE164 } from '../../engine/phone/normalize-e164.ts';
import { writeCachedCertificate } from '../../engine/stir/cert-fetch.ts';
import { passportTn, signPassport } from '../../engine/stir/sign-passport.ts';
import { stirCacheDir } from '../../engine/stir/stir-cache-dir.ts';
import { createTestPki, issueLeaf } from '../../engine/stir/test-pki.ts';
import { verifyIdentity } from '../../engine/stir/verify-identity.ts';
import { attestationAnalytics } from '../../engine/stir/attestation-analytics.ts';
import { dataLayout } from '../../engine/storage/layout.ts';
import { x5uFor } from '../../engine/generate/provider-keys.ts';
import { parseCommandArgs, printResult, requireOption, say, UsageError } from '../output.ts';

/**
 * tracehop identity verify --identity HEADER --orig N --dest N [--at ISO] --trust DIR [--cache DIR] [--offline]
 * tracehop identity sign --key PEM --x5u URL --orig N --dest N --attest A|B|C [--origid U] [--iat S]
 * tracehop identity test-pki --keys DIR --out DIR [--data DIR]
 *   issues a test STI PKI for the generator's provider keys: OUT/trust/root.pem, a leaf per
 *   provider (TNAuthList SPC = provider id), and x5u cache entries (in DATA/stir-cache, or
 *   OUT/stir-cache) so `ingest --trust OUT/trust` verifies a generated corpus offline.
 */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'verify') return verify(rest);
  if (sub === 'sign') return sign(rest);
  if (sub === 'test-pki') return testPki(rest);
  if (sub === 'analytics') return analytics(rest);
  throw new UsageError('identity verify | sign | test-pki | analytics');
}

async function verify(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { identity: { type: 'string' }, orig: { type: 'string' }, dest: { type: 'string' }, at: { type: 'string' }, trust: { type: 'string' }, cache: { type: 'string' }, offline: { type: 'boolean', default: false } }, false);
  const at = values.at ? new Date(values.at) : new Date();
  if (Number.isNaN(at.getTime())) throw new UsageError(`--at '${values.at}' is not a time`);
  const trust = requireOption(values.trust, 'trust');
  const r = await verifyIdentity({
    identity: requireOption(values.identity, 'identity'),
    orig: requireOption(values.orig, 'orig'),
    dest: requireOption(values.dest, 'dest'),
    at,
    trustDir: trust,
    fetch: { cacheDir: values.cache ?? path.join(trust, '..', 'stir-cache'), offline: values.offline ?? false },
  });
  say(`${r.verstat}${r.sip_code ? ` (${r.sip_code})` : ''}: ${r.reason}`);
  printResult({ ok: r.verstat === 'TN-Validation-Passed', ...r });
  return 0;
}

async function sign(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { key: { type: 'string' }, x5u: { type: 'string' }, orig: { type: 'string' }, dest: { type: 'string' }, attest: { type: 'string', default: 'A' }, origid: { type: 'string' }, iat: { type: 'string' } }, false);
  const attest = values.attest ?? 'A';
  if (attest !== 'A' && attest !== 'B' && attest !== 'C') throw new UsageError('--attest is A, B or C');
  const orig = toE164(requireOption(values.orig, 'orig'));
  const dest = toE164(requireOption(values.dest, 'dest'));
  if (!orig || !dest) throw new UsageError('--orig and --dest must be telephone numbers');
  const iat = values.iat ? Number(values.iat) : Math.floor(Date.now() / 1000);
  if (!Number.isInteger(iat)) throw new UsageError('--iat takes epoch seconds');
  const key = createPrivateKey(readFileSync(requireOption(values.key, 'key')));
  const identity = signPassport({ attest, dest: { tn: [passportTn(dest)] }, iat, orig: { tn: passportTn(orig) }, origid: values.origid ?? randomUUID() }, key, requireOption(values.x5u, 'x5u'));
  printResult({ ok: true, identity });
  return 0;
}

/** tracehop identity analytics --data DIR --from YYYY-MM-DD --to YYYY-MM-DD */
async function analytics(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { data: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } }, false);
  const day = /^\d{4}-\d{2}-\d{2}$/;
  const from = requireOption(values.from, 'from');
  const to = requireOption(values.to, 'to');
  if (!day.test(from) || !day.test(to)) throw new UsageError('--from and --to take YYYY-MM-DD');
  printResult({ ok: true, ...(await attestationAnalytics(dataLayout(requireOption(values.data, 'data')), from, to)) });
  return 0;
}

async function testPki(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { keys: { type: 'string' }, out: { type: 'string' }, data: { type: 'string' } }, false);
  const keys = requireOption(values.keys, 'keys');
  const out = requireOption(values.out, 'out');
  const pki = createTestPki(path.join(out, 'ca'));
  mkdirSync(path.join(out, 'trust'), { recursive: true });
  writeFileSync(path.join(out, 'trust', 'root.pem'), pki.rootPem);
  const cacheDir = values.data ? stirCacheDir(dataLayout(values.data)) : path.join(out, 'stir-cache');
  const providers: string[] = [];
  for (const f of readdirSync(keys).filter((n) => n.endsWith('.key.pem')).sort()) {
    const provider = f.replace(/\.key\.pem$/, '');
    const leaf = issueLeaf(pki, path.resolve(keys, f), provider);
    writeCachedCertificate(x5uFor(provider), leaf + pki.intermediatePem, cacheDir);
    providers.push(provider);
  }
  say(`test PKI: trust anchor ${path.join(out, 'trust', 'root.pem')}, ${providers.length} provider certificates cached in ${cacheDir}`);
  printResult({ ok: true, trust: path.join(out, 'trust'), cache: cacheDir, providers });
  return 0;
}
