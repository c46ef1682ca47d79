import { rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveFeesFile } from '../../engine/archive/archive-fees.ts';
import { runArchiveWorker, type ArchiveWorkerOptions } from '../../engine/archive/archive-worker.ts';
import { toE164 } from '../../engine/phone/normalize-e164.ts';
import { openState } from '../../engine/state/state-store.ts';
import { dataLayout } from '../../engine/storage/layout.ts';
import { startServer, type TestServer } from '../support/api-server.ts';
import { tempDir } from '../support/cdr-fixtures.ts';
import { archiveCorpusRows, directQuery, ingestArchiveCorpus, OTHER_TARGET, parquetRows, TARGET } from '../engine/archive/archive-fixtures.ts';

// Tuesday 24 November 2026, 10:00 Central: two days before Thanksgiving
const BEFORE_THANKSGIVING = new Date('2026-11-24T16:00:00Z');
// Monday 21 December 2026, 9:00 Central: before Christmas and New Year's Day
const BEFORE_CHRISTMAS = new Date('2026-12-21T15:00:00Z');
const MONTHS = ['2026-06', '2026-07', '2026-08'];

describe('archive retrieval jobs over the API', () => {
  let s: TestServer;
  let now = BEFORE_THANKSGIVING;
  const post = (body: unknown, role: 'analyst' | 'legal' = 'analyst') => s.call('POST', '/v1/archive-jobs', { role, body });
  const get = (id: string, role: 'analyst' | 'legal' = 'analyst') => s.call('GET', `/v1/archive-jobs/${id}`, { role });
  /** The worker the server process would run, working the queue once in this process. */
  const work = async (opts: Omit<ArchiveWorkerOptions, 'once' | 'now'> = {}) => {
    const state = await openState(dataLayout(s.data));
    try {
      return await runArchiveWorker(dataLayout(s.data), state, { once: true, now: () => now, ...opts });
    } finally {
      state.close();
    }
  };

  beforeAll(async () => {
    const dir = tempDir('arch-api-');
    const data = path.join(dir, 'data');
    await ingestArchiveCorpus(dir, data, MONTHS, 30, BEFORE_THANKSGIVING);
    s = await startServer({ data, now: () => now });
  }, 60_000);
  afterAll(() => s.close());

  it('quotes base fee plus months searched and sets the due date 15 business days out, skipping Thanksgiving', async () => {
    now = BEFORE_THANKSGIVING;
    const r = await post({ numbers: ['212-555-0100'], date_from: '2026-06-01', date_to: '2026-08-31' });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      kind: 'numbers',
      state: 'queued',
      numbers: [TARGET],
      received_at: '2026-11-24T16:00:00.000Z',
      quote: { currency: 'USD', months: 3, base_cents: 15_000, per_month_cents: 4_000, total_cents: 27_000, individual_case_basis: false, due_business_days: 15 },
      progress: { months_done: 0, months_total: 3, fraction: 0 },
      result: null,
    });
    // Wed 25 (1), Thu 26 Thanksgiving, Fri 27 (2), Nov 30-Dec 4 (3-7), Dec 7-11 (8-12), Mon 14, Tue 15, Wed 16 Dec (15): 17:00 CST
    expect(r.json.due_at).toBe('2026-12-16T23:00:00.000Z');
    const again = await get(r.json.id);
    expect(again.json).toMatchObject({ quote: r.json.quote, due_at: r.json.due_at, state: 'queued' });
    await s.call('POST', `/v1/archive-jobs/${r.json.id}/cancel`, { role: 'analyst', body: {} });
  });

  it('counts business days across Christmas and New Year’s Day', async () => {
    now = BEFORE_CHRISTMAS;
    const r = await post({ numbers: [TARGET], date_from: '2026-06-01', date_to: '2026-06-30' });
    expect(r.status).toBe(201);
    // Dec 22-24 (1-3), Fri 25 Christmas, Dec 28-31 (4-7), Fri 1 Jan New Year, Jan 4-8 (8-12), Mon 11, Tue 12, Wed 13 Jan (15)
    expect(r.json.due_at).toBe('2027-01-13T23:00:00.000Z');
    expect(r.json.quote).toMatchObject({ months: 1, total_cents: 19_000 });
    await s.call('POST', `/v1/archive-jobs/${r.json.id}/cancel`, { role: 'analyst', body: {} });
    now = BEFORE_THANKSGIVING;
  });

  it('quotes a range over 12 months on an individual case basis', async () => {
    const r = await post({ numbers: [TARGET], date_from: '2025-06-01', date_to: '2026-08-31' }, 'legal');
    expect(r.status).toBe(201);
    expect(r.json.quote).toMatchObject({ months: 15, total_cents: null, individual_case_basis: true });
    await s.call('POST', `/v1/archive-jobs/${r.json.id}/cancel`, { role: 'legal', body: {} });
  });

  it('quotes from the carrier’s fee table in data/config/archive-fees.json', async () => {
    const file = archiveFeesFile(dataLayout(s.data));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ base_cents: 25_000, per_month_cents: 5_000, icb_above_months: 2, due_business_days: 20 }));
    try {
      const small = await post({ numbers: [TARGET], date_from: '2026-07-01', date_to: '2026-08-31' });
      expect(small.json.quote).toMatchObject({ months: 2, total_cents: 35_000, individual_case_basis: false, due_business_days: 20 });
      expect(small.json.due_at).toBe('2026-12-23T23:00:00.000Z');
      const large = await post({ numbers: [TARGET], date_from: '2026-06-01', date_to: '2026-08-31' });
      expect(large.json.quote).toMatchObject({ months: 3, total_cents: null, individual_case_basis: true });
      for (const id of [small.json.id, large.json.id]) await s.call('POST', `/v1/archive-jobs/${id}/cancel`, { role: 'legal', body: {} });
    } finally {
      rmSync(file);
    }
  });

  it.each([
    ['a range inside the 45-day hot window', { numbers: [TARGET], date_from: '2026-10-15', date_to: '2026-11-20' }, 422, 'TH_ARCHIVE_HOT_RANGE', 'body.date_from'],
    ['a number that is not one', { numbers: [TARGET, '555-12'], date_from: '2026-06-01', date_to: '2026-06-30' }, 400, 'TH_BAD_REQUEST', 'body.numbers.1'],
    ['a reversed range', { numbers: [TARGET], date_from: '2026-07-01', date_to: '2026-06-30' }, 400, 'TH_BAD_REQUEST', 'body.date_to'],
    ['a range ending in the future', { numbers: [TARGET], date_from: '2026-06-01', date_to: '2026-12-30' }, 400, 'TH_BAD_REQUEST', 'body.date_to'],
    ['numbers without dates', { numbers: [TARGET] }, 400, 'TH_BAD_REQUEST', 'body.date_from'],
    ['numbers and a trace tuple together', { numbers: [TARGET], date_from: '2026-06-01', date_to: '2026-06-30', trace: { calling: TARGET, called: OTHER_TARGET, at: '2026-06-03T10:00:00Z' } }, 400, 'TH_BAD_REQUEST', 'body.numbers'],
    ['a trace tuple of a recent call', { trace: { calling: TARGET, called: OTHER_TARGET, at: '2026-11-20T10:00:00Z' } }, 422, 'TH_ARCHIVE_HOT_RANGE', 'body.trace'],
    ['a trace tuple with a bad time', { trace: { calling: TARGET, called: OTHER_TARGET, at: 'yesterday' } }, 400, 'TH_BAD_REQUEST', 'body.trace.at'],
    ['an unknown field', { numbers: [TARGET], date_from: '2026-06-01', date_to: '2026-06-30', fee: 0 }, 400, 'TH_BAD_REQUEST', 'body'],
  ])('refuses %s', async (_name, body, status, code, at) => {
    const r = await post(body);
    expect(r.status).toBe(status);
    expect(r.json.error.code).toBe(code);
    expect(r.json.error.details.map((d: { path: string }) => d.path)).toContain(at);
  });

  it('admits analysts and legal only', async () => {
    expect((await s.call('POST', '/v1/archive-jobs', { role: 'itg', body: { numbers: [TARGET], date_from: '2026-06-01', date_to: '2026-06-30' } })).status).toBe(403);
    expect((await s.call('GET', '/v1/archive-jobs', { role: 'cpni_officer' })).status).toBe(403);
  });

  it('shows progress month by month, then the result: Parquet and CSV equal to a direct query, every read audited', async () => {
    const created = await post({ numbers: [TARGET, OTHER_TARGET], date_from: '2026-06-10', date_to: '2026-08-20', note: 'campaign 7' });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    expect((await s.call('GET', `/v1/archive-jobs/${id}/files/csv`, { role: 'analyst' })).json.error.code).toBe('TH_ARCHIVE_STATE');
    const seen: unknown[] = [];
    const report = await work({
      onMonth: async (e) => {
        if (e.job === id) seen.push((await get(id)).json);
      },
    });
    expect(report.jobs.find((j) => j.id === id)).toMatchObject({ state: 'done', months_written: 3 });
    expect(seen.map((j: any) => [j.state, j.progress.months_done, j.progress.months_total])).toEqual([
      ['running', 1, 3],
      ['running', 2, 3],
      ['running', 3, 3],
    ]);
    expect((seen[0] as any).progress.months.map((m: { month: string; done: boolean }) => [m.month, m.done])).toEqual([
      ['2026-06', true],
      ['2026-07', false],
      ['2026-08', false],
    ]);

    const done = await get(id, 'legal');
    const direct = await directQuery(s.data, [TARGET, OTHER_TARGET], '2026-06-10', '2026-08-20');
    expect(direct.length).toBeGreaterThan(20);
    expect(done.json).toMatchObject({ state: 'done', runs: 1, progress: { months_done: 3, fraction: 1 }, result: { rows: direct.length, trace: null }, note: 'campaign 7' });
    expect(done.json.result.files.map((f: { path: string }) => f.path)).toEqual([`/v1/archive-jobs/${id}/files/parquet`, `/v1/archive-jobs/${id}/files/csv`]);

    const pq = await fetch(`${s.base}/v1/archive-jobs/${id}/files/parquet`, { headers: { authorization: `Bearer ${s.tokens.analyst}` } });
    expect(pq.status).toBe(200);
    expect(pq.headers.get('content-disposition')).toBe(`attachment; filename="archive-${id}.parquet"`);
    const downloaded = path.join(tempDir('arch-dl-'), 'result.parquet');
    writeFileSync(downloaded, Buffer.from(await pq.arrayBuffer()));
    expect(await parquetRows(downloaded)).toEqual(direct);
    const csv = await s.call('GET', `/v1/archive-jobs/${id}/files/csv`, { role: 'legal' });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines).toHaveLength(direct.length + 1);
    expect(lines.slice(1).map((l) => l.split(',')[2])).toEqual(direct.map((d) => d['call_id']));

    const audit = await s.call('GET', '/v1/audit?resource=archive_job&limit=200', { role: 'auditor' });
    const mine = audit.json.entries.filter((e: { resource_ids: string[] }) => e.resource_ids.includes(id));
    expect(mine.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['create', 'read', 'download']));
    expect(mine.filter((e: { actor: string }) => e.actor === 'archive-worker')).toHaveLength(3);
    expect(mine.every((e: { numbers: string[] }) => e.numbers.includes(TARGET) && e.numbers.includes(OTHER_TARGET))).toBe(true);
    expect(mine.filter((e: { action: string; detail: { file?: string } }) => e.action === 'download').map((e: { detail: { file: string } }) => e.detail.file).sort()).toEqual(['csv', 'parquet']);
  }, 60_000);

  it('turns an archive_required trace-back into a job that traces the call in the cold archive', async () => {
    const row = archiveCorpusRows(MONTHS, 30).find((r, i) => i % 3 === 0 && i % 5 !== 0 && String(r.start_time).startsWith('2026-07'))!;
    const tb = await s.call('POST', '/v1/tracebacks', { role: 'analyst', body: { request: { calling: row.calling_number, called: row.called_number, at: row.start_time } } });
    expect(tb.json.result.status).toBe('archive_required');
    const created = await post({ traceback_id: tb.json.id });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ kind: 'traceback', traceback: { id: tb.json.id, index: 0 }, numbers: [TARGET, toE164(row.called_number)], quote: { months: 1 } });
    expect(created.json.date_from).toBe(String(row.start_time).slice(0, 10));
    await work();
    const done = await get(created.json.id);
    expect(done.json).toMatchObject({ state: 'done', result: { trace: { status: 'origin_found', origin: { provider_id: 'P1', ingress_trunk: row.ingress_trunk }, hops: [{ call_id: row.call_id }] } } });
    expect(done.json.result.rows).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('takes the trace tuple directly, and refuses a trace-back answered from hot data', async () => {
    const row = archiveCorpusRows(MONTHS, 30)[3]!;
    const direct = await post({ trace: { calling: row.calling_number, called: row.called_number, at: row.start_time } }, 'legal');
    expect(direct.status).toBe(201);
    expect(direct.json).toMatchObject({ kind: 'traceback', traceback: null, trace: { calling: row.calling_number } });
    await s.call('POST', `/v1/archive-jobs/${direct.json.id}/cancel`, { role: 'legal', body: {} });
    const recent = await s.call('POST', '/v1/tracebacks', { role: 'analyst', body: { request: { calling: TARGET, called: OTHER_TARGET, at: '2026-11-20T10:00:00Z' } } });
    expect(recent.json.result.status).not.toBe('archive_required');
    const refused = await post({ traceback_id: recent.json.id });
    expect(refused.status).toBe(422);
    expect(refused.json.error.code).toBe('TH_ARCHIVE_HOT_RANGE');
    expect((await post({ traceback_id: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
  });

  it('lets the requester or legal cancel a queued job, nobody else, and only once', async () => {
    const a = await post({ numbers: [TARGET], date_from: '2026-06-01', date_to: '2026-06-30' });
    const other = await s.addAccount({ user: 'second-analyst', role: 'analyst' });
    const byOther = await s.call('POST', `/v1/archive-jobs/${a.json.id}/cancel`, { token: other, body: {} });
    expect(byOther.status).toBe(403);
    const byRequester = await s.call('POST', `/v1/archive-jobs/${a.json.id}/cancel`, { role: 'analyst', body: { reason: 'duplicate' } });
    expect(byRequester.status).toBe(200);
    expect(byRequester.json).toMatchObject({ state: 'cancelled', cancelled_by: 'u-analyst' });
    const twice = await s.call('POST', `/v1/archive-jobs/${a.json.id}/cancel`, { role: 'legal', body: {} });
    expect(twice.status).toBe(409);
    expect(twice.json.error.code).toBe('TH_ARCHIVE_STATE');
    const b = await post({ numbers: [TARGET], date_from: '2026-06-01', date_to: '2026-06-30' });
    const byLegal = await s.call('POST', `/v1/archive-jobs/${b.json.id}/cancel`, { role: 'legal' });
    expect(byLegal.json, byLegal.text).toMatchObject({ state: 'cancelled' });
    const list = await s.call('GET', '/v1/archive-jobs?state=cancelled', { role: 'legal' });
    expect(list.json.jobs.map((j: { id: string }) => j.id)).toEqual(expect.arrayContaining([a.json.id, b.json.id]));
    expect(list.json.jobs.every((j: { state: string }) => j.state === 'cancelled')).toBe(true);
  });
});
