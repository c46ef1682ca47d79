import { createPublicKey, verify } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCorpus, type TruthLine } from '../../../engine/generate/generate-corpus.ts';
import { ingestFile } from '../../../ingest/pipeline/ingest-file.ts';
import { storedRows, tempDir } from '../../support/cdr-fixtures.ts';

const gen = async (seed: number, calls = 1500) => {
  const out = path.join(tempDir(), 'corpus');
  await generateCorpus({ out, calls, providers: 8, seed, days: 2, end: '2026-11-20' });
  const truth = readFileSync(path.join(out, 'truth.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TruthLine);
  const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { files: { path: string; format: 'canonical' | 'ndjson' }[]; providers: { id: string }[]; external_carriers: string[] };
  return { out, truth, manifest };
};

const allText = (dir: string): string =>
  readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /\.(csv|ndjson)$/.test(f))
    .sort()
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');

describe('tracehop generate', () => {
  it('gives identical output for the same seed (but for ECDSA signature bytes), and different output for another', async () => {
    // ES256 signatures carry a random nonce (FIPS 186-4), so only the signature segment varies
    const unsign = (t: string) => t.replace(/(eyJ[\w-]+\.eyJ[\w-]+\.)[\w-]+/g, '$1<sig>');
    const a = await gen(42, 400);
    const b = await gen(42, 400);
    const c = await gen(43, 400);
    expect(unsign(allText(a.out))).toBe(unsign(allText(b.out)));
    expect(readFileSync(path.join(a.out, 'truth.ndjson'), 'utf8')).toBe(readFileSync(path.join(b.out, 'truth.ndjson'), 'utf8'));
    expect(unsign(allText(a.out))).not.toBe(unsign(allText(c.out)));
  });

  it('writes rows that all ingest cleanly, and every truth hop exists in the data', async () => {
    const { out, truth, manifest } = await gen(7);
    const data = path.join(tempDir(), 'data');
    let rejected = 0;
    for (const f of manifest.files) rejected += (await ingestFile(path.join(out, f.path), { data, format: f.format, now: new Date('2026-11-21T00:00:00Z') })).rows_rejected;
    expect(rejected).toBe(0);
    const rows = await storedRows(data);
    const keys = new Set(rows.map((r) => `${r['switch_id']}|${r['call_id']}`));
    for (const t of truth) for (const h of t.path) expect(keys.has(`${h.switch_id}|${h.call_id}`)).toBe(true);
    expect(new Set(manifest.files.map((f) => f.format))).toEqual(new Set(['canonical', 'ndjson']));
  });

  it('models campaigns with neighbor spoofing, decoys, outside carriers, internal legs and lost Identity', async () => {
    const { truth, manifest } = await gen(7);
    const robo = truth.filter((t) => t.kind === 'robocall');
    expect(robo.filter((t) => t.calling.slice(0, 8) === t.called.slice(0, 8)).length).toBeGreaterThan(robo.length / 2);
    expect(robo.some((t) => t.attestation === 'B' || t.attestation === 'C')).toBe(true);
    const decoys = truth.filter((t) => t.kind === 'decoy');
    expect(decoys.length).toBeGreaterThan(0);
    for (const d of decoys) {
      const near = truth.find((t) => t !== d && t.called === d.called && Math.abs(Date.parse(t.at) - Date.parse(d.at)) < 10_000);
      expect(near).toBeDefined();
    }
    const ext = truth.filter((t) => t.kind === 'external');
    expect(ext.length).toBeGreaterThan(0);
    const inCorpus = new Set(manifest.providers.map((p) => p.id));
    for (const e of ext) expect(inCorpus.has(e.left_corpus_carrier!)).toBe(false);
    expect(truth.some((t) => t.path.some((h, i) => i > 0 && t.path[i - 1]!.provider_id === h.provider_id))).toBe(true);
    expect(truth.some((t) => t.identity_lost_at !== null)).toBe(true);
  });

  it('signs PASSporTs that verify with the provider keys it wrote', async () => {
    const { out, manifest } = await gen(9, 300);
    const file = manifest.files.map((f) => f.path).find((p) => p.startsWith('ORIG'))!;
    const rows = (await storedRowsOf(out, file)).filter((r) => r['identity']);
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows.slice(0, 20)) {
      const [jws] = String(r['identity']).split(';');
      const [h, p, s] = jws!.split('.');
      const key = createPublicKey(readFileSync(path.join(out, 'keys', `${r['provider_id']}.key.pem`)));
      expect(verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s!, 'base64url'))).toBe(true);
      const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as { orig: { tn: string }; origid: string };
      expect(`+${claims.orig.tn}`).toBe(r['calling_number']);
      expect(claims.origid).toBe(r['origid']);
    }
  });
});

async function storedRowsOf(out: string, rel: string): Promise<Record<string, unknown>[]> {
  const data = path.join(tempDir(), 'data');
  await ingestFile(path.join(out, rel), { data, now: new Date('2026-11-21T00:00:00Z') });
  return storedRows(data);
}
