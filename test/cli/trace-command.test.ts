import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TruthLine } from '../../engine/generate/generate-corpus.ts';
import { tempDir } from '../support/cdr-fixtures.ts';
import { runCli } from '../support/run-cli.ts';

describe('tracehop trace', () => {
  let dir: string;
  let data: string;
  let truth: TruthLine[];
  beforeAll(async () => {
    dir = tempDir();
    const corpus = path.join(dir, 'corpus');
    data = path.join(dir, 'data');
    await runCli(['generate', '--out', corpus, '--calls', '400', '--providers', '8', '--seed', '3', '--days', '1', '--end', '2026-11-20']);
    const manifest = JSON.parse(readFileSync(path.join(corpus, 'manifest.json'), 'utf8')) as { files: { path: string }[] };
    const r = await runCli(['ingest', ...manifest.files.map((f) => path.join(corpus, f.path)), '--data', data]);
    expect(r.code).toBe(0);
    truth = readFileSync(path.join(corpus, 'truth.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TruthLine);
  }, 120_000);

  it('traces one call and prints the result JSON as its last line, or a table with --format table --explain', async () => {
    const t = truth.find((x) => x.origin)!;
    const r = await runCli(['trace', '--data', data, '--calling', t.calling, '--called', t.called, '--at', t.at, '--now', '2026-11-21T00:00:00Z']);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ status: 'origin_found', origin: { provider_id: t.origin!.provider_id } });
    const table = await runCli(['trace', '--data', data, '--calling', t.calling, '--called', t.called, '--at', t.at, '--format', 'table', '--explain', '--now', '2026-11-21T00:00:00Z']);
    expect(table.stdout).toContain('ORIGIN_FOUND');
    expect(table.stdout).toMatch(/hop 1 \(\(terminating\)\): \d+ candidate/);
  });

  it('runs a CSV batch with date, time and zone, writing results, a summary and the response file', async () => {
    const rows = truth.slice(0, 30);
    const et = (iso: string) => {
      const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit', hour: 'numeric', minute: '2-digit', second: '2-digit', hour12: true }).formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
      return [`${p['month']}/${p['day']}/${p['year']}`, `${p['hour']}:${p['minute']}:${p['second']} ${String(p['dayPeriod']).toLowerCase()}`];
    };
    const csv = ['id,calling,called,date,time,tz,duration_s', ...rows.map((t, i) => [`r${i}`, t.calling, t.called, ...et(t.at), 'ET', String(t.duration_s)].join(',')), 'bad,12,34,13/45/2026,99:99,ET,'].join('\n');
    const batch = path.join(dir, 'batch.csv');
    writeFileSync(batch, csv + '\n');
    const out = path.join(dir, 'results.ndjson');
    const r = await runCli(['trace', '--data', data, '--batch', batch, '--out', out, '--now', '2026-11-21T00:00:00Z']);
    expect(r.code).toBe(1); // one malformed line, reported, the rest traced
    const results = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; status: string; error?: unknown });
    expect(results).toHaveLength(31);
    expect(results.filter((x) => x.status === 'origin_found' || x.status === 'left_corpus')).toHaveLength(30);
    expect(results[30]).toMatchObject({ id: 'bad', error: { code: 'TH_BAD_REQUEST' } });
    const summary = JSON.parse(readFileSync(path.join(dir, 'results.summary.json'), 'utf8')) as { calls: number; by_origin: unknown[] };
    expect(summary.calls).toBe(31);
    expect(summary.by_origin.length).toBeGreaterThan(0);
    const response = readFileSync(path.join(dir, 'results.response.csv'), 'utf8').trim().split('\n');
    expect(response[0]).toBe('id,date_time,calling,called,status,upstream_or_originating_provider,customer,attestation,note');
    expect(response).toHaveLength(32);
  });
});
