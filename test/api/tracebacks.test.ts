import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus, type TruthLine } from '../../engine/generate/generate-corpus.ts';
import { ingestFile } from '../../ingest/pipeline/ingest-file.ts';
import { startServer, type TestServer } from '../support/api-server.ts';
import { tempDir } from '../support/cdr-fixtures.ts';

describe('trace-back requests over the API', () => {
  let s: TestServer;
  let truth: TruthLine[];
  beforeAll(async () => {
    const dir = tempDir('tb-');
    const corpus = path.join(dir, 'corpus');
    const data = path.join(dir, 'data');
    await generateCorpus({ out: corpus, calls: 400, providers: 8, seed: 8, days: 1, end: '2026-11-20' });
    const manifest = JSON.parse(readFileSync(path.join(corpus, 'manifest.json'), 'utf8')) as { files: { path: string; format: 'canonical' | 'ndjson' }[] };
    for (const f of manifest.files) await ingestFile(path.join(corpus, f.path), { data, format: f.format, now: new Date('2026-11-21T00:00:00Z') });
    truth = readFileSync(path.join(corpus, 'truth.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TruthLine);
    s = await startServer({ data, now: () => new Date('2026-11-21T12:00:00Z') });
  }, 120_000);
  afterAll(() => s.close());

  it('answers one tuple at once, with the 24-hour due time', async () => {
    const t = truth.find((x) => x.origin)!;
    const r = await s.call('POST', '/v1/tracebacks', { role: 'itg', body: { request: { calling: t.calling, called: t.called, at: t.at } } });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ status: 'done', due_at: '2026-11-22T12:00:00.000Z', result: { status: 'origin_found', origin: { provider_id: t.origin!.provider_id } } });
  });

  it('traces a batch in the background, then serves results, campaign summary and the response file', async () => {
    const reqs = truth.slice(0, 60).map((t, i) => ({ id: `c${i}`, calling: t.calling, called: t.called, at: t.at }));
    reqs.push({ id: 'old', calling: truth[0]!.calling, called: truth[0]!.called, at: '2026-09-01T10:00:00Z' });
    const r = await s.call('POST', '/v1/tracebacks', { role: 'analyst', body: { requests: reqs, campaign: 'test campaign' } });
    expect(r.status).toBe(202);
    let got: any;
    for (let i = 0; i < 100; i++) {
      got = (await s.call('GET', `/v1/tracebacks/${r.json.id}`, { role: 'analyst' })).json;
      if (got.status === 'done') break;
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(got).toMatchObject({ status: 'done', progress: { done: 61, total: 61 }, archive_required: 1, outside_24h_commitment: 1 });
    expect(got.results.slice(0, 60).every((x: { status: string }) => x.status === 'origin_found' || x.status === 'left_corpus')).toBe(true);
    expect(got.summary.calls).toBe(61);
    const csv = await s.call('GET', `/v1/tracebacks/${r.json.id}?format=csv`, { role: 'analyst' });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.text.trim().split('\n')).toHaveLength(62);
    const audit = await s.call('GET', `/v1/audit?resource=traceback&limit=500`, { role: 'auditor' });
    expect(audit.json.entries.filter((e: { resource_ids: string[] }) => e.resource_ids.includes(r.json.id)).map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['create', 'read']));
  });

  it('refuses a batch over 10,000 requests', async () => {
    const one = { calling: '212-555-1234', called: '312-555-5678', at: '2026-11-20T10:00:00Z' };
    const r = await s.call('POST', '/v1/tracebacks', { role: 'analyst', body: { requests: Array.from({ length: 10_001 }, () => one) } });
    expect(r.status).toBe(400);
  });
});
