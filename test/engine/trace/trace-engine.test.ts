import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus, type TruthLine } from '../../../engine/generate/generate-corpus.ts';
import { openTraceEngine, type TraceEngine } from '../../../engine/trace/trace-engine.ts';
import { ingestFile } from '../../../ingest/pipeline/ingest-file.ts';
import { tempDir } from '../../support/cdr-fixtures.ts';

const NOW = new Date('2026-11-21T06:00:00Z');

/** `+13125551234` -> `312.555.1234`, `(312) 555-1234`, `1-312-555-1234`: requests use any form */
const styles = [
  (e: string) => e,
  (e: string) => `${e.slice(2, 5)}.${e.slice(5, 8)}.${e.slice(8)}`,
  (e: string) => `(${e.slice(2, 5)}) ${e.slice(5, 8)}-${e.slice(8)}`,
  (e: string) => `1-${e.slice(2, 5)}-${e.slice(5, 8)}-${e.slice(8)}`,
];

const etParts = (iso: string) => {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit', hour: 'numeric', minute: '2-digit', hour12: true })
      .formatToParts(new Date(iso))
      .map((x) => [x.type, x.value]),
  );
  return { date: `${p['month']}/${p['day']}/${p['year']}`, time: `${p['hour']}:${p['minute']} ${String(p['dayPeriod']).toLowerCase()}`, tz: 'ET' };
};

describe('trace-back on a generated corpus with ground truth', () => {
  let engine: TraceEngine;
  let truth: TruthLine[];
  beforeAll(async () => {
    const out = path.join(tempDir(), 'corpus');
    await generateCorpus({ out, calls: 2500, providers: 9, seed: 21, days: 2, end: '2026-11-20' });
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { files: { path: string; format: 'canonical' | 'ndjson' }[] };
    const data = path.join(out, 'data');
    for (const f of manifest.files) await ingestFile(path.join(out, f.path), { data, format: f.format, now: NOW });
    truth = readFileSync(path.join(out, 'truth.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TruthLine);
    engine = await openTraceEngine(data);
  }, 120_000);
  afterAll(() => engine.close());

  const check = (t: TruthLine, r: Awaited<ReturnType<TraceEngine['trace']>>) => {
    if (t.origin) {
      expect(r.status).toBe('origin_found');
      expect(r.origin).toMatchObject({ provider_id: t.origin.provider_id, ingress_trunk: t.origin.ingress_trunk });
      expect(r.hops.map((h) => h.call_id)).toEqual(t.path.map((h) => h.call_id));
    } else {
      expect(r.status).toBe('left_corpus');
      expect(r.upstream?.carrier).toBe(t.left_corpus_carrier);
      expect(r.origin).toBeNull();
    }
  };

  it('finds the origin or the carrier outside the corpus for every call, hop by hop (second precision, mixed number forms)', async () => {
    const sample = truth.filter((_, i) => i % 3 === 0);
    expect(sample.some((t) => t.kind === 'decoy') && sample.some((t) => t.kind === 'external') && sample.some((t) => t.identity_lost_at)).toBe(true);
    for (const [i, t] of sample.entries()) {
      const r = await engine.traceRaw({ calling: styles[i % 4]!(t.calling), called: styles[(i + 1) % 4]!(t.called), at: t.at, duration_s: t.duration_s }, { now: NOW });
      check(t, r);
    }
  });

  it('finds them from a time given to the minute in ET, as the traceback group writes it', async () => {
    for (const t of truth.filter((_, i) => i % 7 === 1)) {
      const r = await engine.traceRaw({ calling: t.calling, called: t.called, ...etParts(t.at) }, { now: NOW });
      check(t, r);
    }
  });

  it('reports neighbor spoofing signed A and lost Identity along the path', async () => {
    const spoofA = truth.find((t) => t.kind === 'robocall' && t.attestation === 'A' && t.calling.slice(0, 8) === t.called.slice(0, 8));
    if (spoofA) {
      const r = await engine.traceRaw({ calling: spoofA.calling, called: spoofA.called, at: spoofA.at }, { now: NOW });
      expect(r.attestation.findings.join('\n')).toMatch(/signed A by the originating provider .* does not own \(neighbor spoofing/);
    }
    const lost = truth.find((t) => t.identity_lost_at && t.attestation)!;
    const r = await engine.traceRaw({ calling: lost.calling, called: lost.called, at: lost.at }, { now: NOW });
    expect(r.attestation.findings.some((f) => f.startsWith('Identity lost between hop'))).toBe(true);
    const unsigned = truth.find((t) => t.kind === 'normal' && t.attestation === '')!;
    const u = await engine.traceRaw({ calling: unsigned.calling, called: unsigned.called, at: unsigned.at }, { now: NOW });
    expect(u.attestation.findings.some((f) => f.startsWith('unsigned at origin'))).toBe(true);
  });

  it('never claims an origin for a call that is not in the data', async () => {
    for (const t of truth.slice(0, 60)) {
      const other = await engine.traceRaw({ calling: '+12025550147', called: t.called, at: t.at }, { now: NOW });
      expect(other.status).toBe('not_found');
      const later = await engine.traceRaw({ calling: t.calling, called: t.called, at: new Date(Date.parse(t.at) + 3_600_000).toISOString() }, { now: NOW });
      expect(later.origin).toBeNull();
    }
  });

  it('answers archive_required for a call older than the hot window, and flags one older than 30 days', async () => {
    const t = truth[0]!;
    const old = await engine.traceRaw({ calling: t.calling, called: t.called, at: t.at }, { now: new Date(Date.parse(t.at) + 46 * 86_400_000) });
    expect(old).toMatchObject({ status: 'archive_required', outside_24h_commitment: true });
    const month = await engine.traceRaw({ calling: t.calling, called: t.called, at: t.at }, { now: new Date(Date.parse(t.at) + 31 * 86_400_000) });
    expect(month.outside_24h_commitment).toBe(true);
    expect(month.status).not.toBe('archive_required');
  });

  it('answers a malformed request with the fields at fault instead of failing the batch', async () => {
    const rs = await engine.traceBatch([{ calling: '555', called: '+13125550100', at: 'yesterday' }, { calling: truth[0]!.calling, called: truth[0]!.called, at: truth[0]!.at }], { now: NOW });
    expect(rs[0]!.error?.errors.map((e) => e.path)).toEqual(['calling', 'at']);
    expect(rs[1]!.error).toBeUndefined();
  });
});
