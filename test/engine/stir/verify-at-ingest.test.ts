import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../../engine/generate/generate-corpus.ts';
import { attestationAnalytics } from '../../../engine/stir/attestation-analytics.ts';
import { dataLayout } from '../../../engine/storage/layout.ts';
import { openTraceEngine } from '../../../engine/trace/trace-engine.ts';
import { ingestFile } from '../../../ingest/pipeline/ingest-file.ts';
import { storedRows, tempDir } from '../../support/cdr-fixtures.ts';
import { runCli } from '../../support/run-cli.ts';

describe('verification at ingest (--trust)', () => {
  it('stores verstat, signer SPC and reason per row, using the call time and the cache only', async () => {
    const dir = tempDir();
    const corpus = path.join(dir, 'corpus');
    const data = path.join(dir, 'data');
    await generateCorpus({ out: corpus, calls: 300, providers: 8, seed: 12, days: 1, end: '2026-11-20' });
    const pki = await runCli(['identity', 'test-pki', '--keys', path.join(corpus, 'keys'), '--out', path.join(dir, 'pki'), '--data', data]);
    expect(pki.code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(corpus, 'manifest.json'), 'utf8')) as { files: { path: string; format: 'canonical' | 'ndjson' }[] };
    // tamper with one signed row of one file: another calling number under the same PASSporT
    const target = manifest.files.find((f) => f.path.startsWith('ORIG') && f.format === 'ndjson') ?? manifest.files.find((f) => f.format === 'ndjson')!;
    const lines = readFileSync(path.join(corpus, target.path), 'utf8').trim().split('\n');
    const k = lines.findIndex((l) => (JSON.parse(l) as { identity: string }).identity !== '');
    const row = JSON.parse(lines[k]!) as Record<string, unknown>;
    lines[k] = JSON.stringify({ ...row, calling_number: '+12025550123', pai_number: row['pai_number'] ? '+12025550123' : '' });
    writeFileSync(path.join(corpus, target.path), lines.join('\n') + '\n');
    let checked = 0;
    for (const f of manifest.files) {
      const r = await ingestFile(path.join(corpus, f.path), { data, format: f.format, trust: path.join(dir, 'pki', 'trust'), now: new Date('2026-11-21T00:00:00Z') });
      checked += r.identity?.checked ?? 0;
    }
    const rows = await storedRows(data);
    const signed = rows.filter((r) => r['identity'] !== '');
    expect(checked).toBe(signed.length);
    const failed = signed.filter((r) => r['verstat'] !== 'TN-Validation-Passed');
    expect(failed.map((r) => r['call_id'])).toEqual([row['call_id']]);
    expect(failed[0]).toMatchObject({ verstat: 'TN-Validation-Failed' });
    expect(String(failed[0]!['verify_reason'])).toMatch(/^438 orig\.tn/);
    expect(signed.filter((r) => r['verstat'] === 'TN-Validation-Passed').every((r) => r['signer_spc'] !== '')).toBe(true);
    expect(rows.filter((r) => r['identity'] === '').every((r) => r['verstat'] === 'No-TN-Validation')).toBe(true);

    // the trace shows each hop's verstat
    const eng = await openTraceEngine(data);
    const t = await eng.traceRaw({ calling: String(signed[0]!['calling_number']), called: String(signed[0]!['called_number']), at: String(signed[0]!['start_time']).replace(' ', 'T').replace('+00', 'Z') }, { now: new Date('2026-11-21T00:00:00Z') });
    expect(t.hops.some((h) => h.verstat === 'TN-Validation-Passed')).toBe(true);
    eng.close();

    // analytics agree with a direct count
    const a = await attestationAnalytics(dataLayout(data), '2026-11-01', '2026-11-30');
    const fromCarriers = rows.filter((r) => r['ingress_type'] === 'carrier');
    const byUp = a.by_upstream as { upstream_carrier: string; calls: number }[];
    expect(byUp.reduce((s, x) => s + x.calls, 0)).toBe(fromCarriers.length);
    const verifiedFromCarriers = fromCarriers.filter((r) => r['signer_spc'] !== '');
    expect(a.signer_not_upstream).toMatchObject({ verified_from_carriers: verifiedFromCarriers.length, signer_not_upstream: verifiedFromCarriers.filter((r) => r['signer_spc'] !== r['ingress_carrier']).length });
  }, 120_000);
});
