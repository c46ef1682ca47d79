import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { all, withDuck } from '../../engine/db/duckdb.ts';
import { startServer, type TestServer } from '../support/api-server.ts';
import { demandBody } from '../support/demand-body.ts';
import { A, B, DEMAND_FROM, DEMAND_TO, EXPORT_NOW, ingestExportCorpus, RANGE_FROM_UTC, RANGE_TO_UTC, TARGET_A, TARGET_B } from '../support/export-fixtures.ts';

const doc = (name: string) => ({ filename: name, media_type: 'application/pdf', content: Buffer.from(`%PDF-1.4 ${name} ${Math.random()}`).toString('base64') });

describe('CPNI-gated exports over the API', () => {
  let s: TestServer;
  let clock = EXPORT_NOW;
  let cpni2 = '';
  let expected: { call_id: string }[] = [];
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    await ingestExportCorpus(s.data);
    cpni2 = await s.addAccount({ user: 'cpni-2', role: 'cpni_officer' });
    // the rows in scope, asked of DuckDB directly over every Parquet file (hot and cold)
    expected = await withDuck({}, (con) =>
      all<{ call_id: string }>(
        con,
        `SELECT call_id FROM read_parquet($glob, hive_partitioning = false, union_by_name = true)
         WHERE start_time >= $from::TIMESTAMPTZ AND start_time < $to::TIMESTAMPTZ
           AND (calling_number IN ($a, $b) OR called_number IN ($a, $b) OR pai_number IN ($a, $b))
         ORDER BY start_time, call_id`,
        { glob: path.join(s.data, 'cdr', '**', '*.parquet'), from: RANGE_FROM_UTC, to: RANGE_TO_UTC, a: A, b: B },
      ),
    );
  });
  afterAll(() => s.close());

  const demand = async (over: Record<string, unknown> = {}): Promise<string> => {
    const r = await s.call('POST', '/v1/demands', { role: 'legal', body: demandBody({ target_numbers: [TARGET_A, TARGET_B], date_from: DEMAND_FROM, date_to: DEMAND_TO, ...over }) });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    return r.json.id as string;
  };
  const request = (body: Record<string, unknown>, role: 'legal' | 'cpni_officer' = 'legal') => s.call('POST', '/v1/exports', { role, body });
  const approve = (id: string, token?: string) => s.call('POST', `/v1/exports/${id}/approve`, token ? { token, body: {} } : { role: 'cpni_officer', body: {} });
  const patchDemand = (id: string, body: Record<string, unknown>) => s.call('PATCH', `/v1/demands/${id}`, { role: 'legal', body });

  it('estimates rows and fee when legal requests an export of a demand, with the scope in E.164 and Central days', async () => {
    const r = await request({ demand_id: await demand(), formats: ['csv'] });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      status: 'requested',
      legal_process: 'grand_jury_subpoena',
      estimated_rows: expected.length,
      fee_estimate: { rows: expected.length, voluminous: false, fee_applies: false, amount_usd: 0 },
      scope: { numbers: [A, B], date_from: DEMAND_FROM, date_to: DEMAND_TO, time_zone: 'America/Chicago', from: '2026-09-01T05:00:00.000Z', to: '2026-11-21T06:00:00.000Z' },
      requested_by: 'u-legal',
      approved_by: null,
      manifest: null,
      files: [],
    });
    expect(r.json.id).toMatch(/^EX-[0-9a-f-]{36}$/);
  });

  it('refuses an export outside the demand\'s numbers or dates with TH_EXPORT_SCOPE, naming what lies outside', async () => {
    const id = await demand();
    const numbers = await request({ demand_id: id, numbers: [TARGET_A, '415-555-0100'] });
    expect(numbers.status).toBe(422);
    expect(numbers.json.error.code).toBe('TH_EXPORT_SCOPE');
    expect(numbers.json.error.details).toEqual([expect.objectContaining({ path: 'numbers', outside: ['415-555-0100'] })]);
    const dates = await request({ demand_id: id, date_from: '08/15/2026', date_to: '11/21/2026' });
    expect(dates.json.error.code).toBe('TH_EXPORT_SCOPE');
    expect(dates.json.error.details.map((d: { path: string }) => d.path)).toEqual(['date_from', 'date_to']);
    const narrower = await request({ demand_id: id, numbers: [TARGET_B], date_from: '11/01/2026' });
    expect(narrower.status).toBe(201);
    expect(narrower.json.scope).toMatchObject({ numbers: [B], date_from: '11/01/2026', date_to: DEMAND_TO });
  });

  it('refuses a civil subpoena without a protective order, and accepts it, fee applying, once one is on file', async () => {
    const id = await demand({ legal_process: 'civil_subpoena' });
    const refused = await request({ demand_id: id });
    expect(refused.status).toBe(422);
    expect(refused.json.error.code).toBe('TH_EXPORT_PROTECTIVE_ORDER');
    expect((await patchDemand(id, { protective_order: doc('protective-order.pdf') })).status).toBe(200);
    const ok = await request({ demand_id: id });
    expect(ok.status).toBe(201);
    expect(ok.json.fee_estimate).toMatchObject({ fee_applies: true, amount_usd: 50 });
  });

  it.each(['preservation_request', 'pen_register', 'trap_and_trace', 'title_iii', 'fisa'])('refuses an export for a %s with TH_EXPORT_PROCESS', async (legal_process) => {
    const r = await request({ demand_id: await demand({ legal_process }) });
    expect(r.status).toBe(422);
    expect(r.json.error.code).toBe('TH_EXPORT_PROCESS');
    expect(r.json.error.details[0]).toMatchObject({ legal_process, basis: expect.stringMatching(/U\.S\.C\./) });
  });

  it('refuses exports of rejected, withdrawn and fulfilled demands with TH_EXPORT_DEMAND_STATUS', async () => {
    const rejected = await demand();
    await patchDemand(rejected, { status: 'rejected', reason: 'no signature on the subpoena' });
    const withdrawn = await demand();
    await patchDemand(withdrawn, { status: 'withdrawn' });
    const fulfilled = await demand();
    await patchDemand(fulfilled, { status: 'in_review' });
    await patchDemand(fulfilled, { status: 'fulfilled' });
    for (const id of [rejected, withdrawn, fulfilled]) {
      const r = await request({ demand_id: id });
      expect(r.status).toBe(422);
      expect(r.json.error.code).toBe('TH_EXPORT_DEMAND_STATUS');
    }
  });

  it('lets nothing leave before a CPNI officer approves: download and production are refused with TH_EXPORT_NOT_APPROVED', async () => {
    const x = (await request({ demand_id: await demand() })).json;
    const dl = await s.call('GET', `/v1/exports/${x.id}/files/cdrs.csv`, { role: 'legal' });
    expect(dl.status).toBe(422);
    expect(dl.json.error.code).toBe('TH_EXPORT_NOT_APPROVED');
    const produce = await s.call('POST', `/v1/exports/${x.id}/produce`, { role: 'cpni_officer', body: {} });
    expect(produce.json.error.code).toBe('TH_EXPORT_NOT_APPROVED');
    expect(existsSync(path.join(s.data, 'exports', x.id))).toBe(false);
  });

  it('refuses approval by the requester themself (TH_EXPORT_SELF_APPROVAL) and accepts a second CPNI officer\'s', async () => {
    const x = (await request({ demand_id: await demand() }, 'cpni_officer')).json;
    const self = await approve(x.id);
    expect(self.status).toBe(422);
    expect(self.json.error.code).toBe('TH_EXPORT_SELF_APPROVAL');
    const other = await approve(x.id, cpni2);
    expect(other.status).toBe(200);
    expect(other.json).toMatchObject({ status: 'produced', requested_by: 'u-cpni_officer', approved_by: 'cpni-2' });
  });

  it('produces exactly the rows in scope, hot and cold, with a signed manifest; downloads are audited and expire', async () => {
    const x = (await request({ demand_id: await demand(), formats: ['csv', 'parquet', 'xlsx'] })).json;
    const ok = await approve(x.id);
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ status: 'produced', rows: expected.length, approved_by: 'u-cpni_officer', produced_at: EXPORT_NOW.toISOString(), download_expires_at: '2026-12-01T15:00:00.000Z' });
    expect(ok.json.manifest).toMatchObject({ export_id: x.id, rows: expected.length, requested_by: 'u-legal', approved_by: 'u-cpni_officer', demand: { legal_process: 'grand_jury_subpoena' }, signature: { alg: 'ES256' } });
    expect(ok.json.files.map((f: { name: string }) => f.name)).toEqual(['cdrs.csv', 'cdrs.xlsx', 'cdrs.parquet']);
    expect(readdirSync(path.join(s.data, 'exports', x.id)).sort()).toEqual(['cdrs.csv', 'cdrs.parquet', 'cdrs.xlsx', 'manifest.json', 'manifest.jws', 'signing-key.pub.pem']);
    expect(readdirSync(path.join(s.data, 'exports')).filter((n) => n.startsWith('.tmp-'))).toEqual([]);

    const csv = await s.call('GET', `/v1/exports/${x.id}/files/cdrs.csv`, { role: 'legal' });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const listed = ok.json.files.find((f: { name: string }) => f.name === 'cdrs.csv');
    expect(createHash('sha256').update(csv.text).digest('hex')).toBe(listed.sha256);
    expect(csv.headers.get('x-content-sha256')).toBe(listed.sha256);
    const lines = csv.text.trim().split('\n');
    const idCol = lines[0]!.split(',').indexOf('call_id');
    expect(lines[0]).not.toContain('identity');
    expect(lines.slice(1).map((l) => l.split(',')[idCol])).toEqual(expected.map((e) => e.call_id));
    expect((await s.call('GET', `/v1/exports/${x.id}/files/manifest.jws`, { token: cpni2 })).text).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+\n$/);

    const log = await s.call('GET', '/v1/audit?resource=export&limit=50', { role: 'auditor' });
    const download = log.json.entries.find((e: { action: string; actor: string; resource_ids: string[] }) => e.action === 'download' && e.resource_ids[0] === x.id && e.actor === 'u-legal');
    expect(download).toMatchObject({ actor: 'u-legal', outcome: 'ok', numbers: [A, B], detail: { file: 'cdrs.csv', sha256: listed.sha256 } });
    expect(log.json.entries.some((e: { action: string; actor: string; resource_ids: string[] }) => e.action === 'approve' && e.actor === 'u-cpni_officer' && e.resource_ids[0] === x.id)).toBe(true);

    clock = new Date(Date.parse('2026-12-01T15:00:00.000Z') + 60_000);
    try {
      const late = await s.call('GET', `/v1/exports/${x.id}/files/cdrs.csv`, { role: 'legal' });
      expect(late.status).toBe(410);
      expect(late.json.error.code).toBe('TH_EXPORT_EXPIRED');
      expect((await s.call('GET', `/v1/exports/${x.id}`, { role: 'legal' })).json.download_expired).toBe(true);
    } finally {
      clock = EXPORT_NOW;
    }
  });

  it('denies with a reason; a denied export is never produced, downloaded or approved afterwards', async () => {
    const x = (await request({ demand_id: await demand() })).json;
    expect((await s.call('POST', `/v1/exports/${x.id}/deny`, { role: 'cpni_officer', body: {} })).status).toBe(400);
    const denied = await s.call('POST', `/v1/exports/${x.id}/deny`, { role: 'cpni_officer', body: { reason: 'the subpoena names a different carrier' } });
    expect(denied.json).toMatchObject({ status: 'denied', denied_by: 'u-cpni_officer', denial_reason: 'the subpoena names a different carrier' });
    const late = await approve(x.id, cpni2);
    expect(late.status).toBe(409);
    expect(late.json.error.code).toBe('TH_EXPORT_STATE');
    expect((await s.call('GET', `/v1/exports/${x.id}/files/cdrs.csv`, { role: 'legal' })).json.error.code).toBe('TH_EXPORT_NOT_APPROVED');
    expect((await s.call('POST', `/v1/exports/${x.id}/produce`, { role: 'cpni_officer' })).json.error.code).toBe('TH_EXPORT_NOT_APPROVED');
  });

  it('refuses a second approval or production of a produced export with TH_EXPORT_STATE', async () => {
    const x = (await request({ demand_id: await demand() })).json;
    expect((await approve(x.id)).status).toBe(200);
    expect((await approve(x.id, cpni2)).json.error.code).toBe('TH_EXPORT_STATE');
    expect((await s.call('POST', `/v1/exports/${x.id}/produce`, { role: 'cpni_officer' })).json.error.code).toBe('TH_EXPORT_STATE');
  });

  it('checks the demand again at approval: a demand withdrawn after the request releases nothing', async () => {
    const id = await demand();
    const x = (await request({ demand_id: id })).json;
    await patchDemand(id, { status: 'withdrawn' });
    const r = await approve(x.id);
    expect(r.json.error.code).toBe('TH_EXPORT_DEMAND_STATUS');
    expect((await s.call('GET', `/v1/exports/${x.id}`, { role: 'cpni_officer' })).json.status).toBe('requested');
  });

  it('follows the carrier\'s fee table in data/config/exports.json: a voluminous production is quoted a fee', async () => {
    const cfg = path.join(s.data, 'config', 'exports.json');
    mkdirSync(path.dirname(cfg), { recursive: true });
    writeFileSync(cfg, JSON.stringify({ fees: { voluminous_rows: 10, base_usd: 25, included_rows: 0, per_1000_rows_usd: 3 } }));
    try {
      const r = await request({ demand_id: await demand() });
      expect(r.json.fee_estimate).toMatchObject({ rows: expected.length, voluminous: true, fee_applies: true, amount_usd: 25 + Math.ceil(expected.length / 1000) * 3, basis: expect.stringContaining('2706(c)') });
    } finally {
      rmSync(cfg);
    }
  });

  it('lists and reads exports with state, scope, fee estimate and manifest, auditing each read', async () => {
    const id = await demand();
    const x = (await request({ demand_id: id })).json;
    const list = await s.call('GET', `/v1/exports?demand_id=${id}`, { role: 'cpni_officer' });
    expect(list.json.exports.map((e: { id: string }) => e.id)).toEqual([x.id]);
    const one = await s.call('GET', `/v1/exports/${x.id}`, { role: 'legal' });
    expect(one.json).toMatchObject({ id: x.id, status: 'requested', fee_estimate: { rows: expected.length } });
    const log = await s.call('GET', '/v1/audit?resource=export&limit=20', { role: 'auditor' });
    expect(log.json.entries.some((e: { action: string; resource_ids: string[]; numbers: string[] }) => e.action === 'read' && e.resource_ids[0] === x.id && e.numbers.includes(A))).toBe(true);
    expect((await s.call('GET', `/v1/exports/EX-00000000-0000-4000-8000-000000000000`, { role: 'legal' })).status).toBe(404);
  });

  it('answers malformed requests with 400 naming the paths at fault', async () => {
    const paths = async (body: unknown) => {
      const r = await s.call('POST', '/v1/exports', { role: 'legal', body });
      expect(r.status).toBe(400);
      return r.json.error.details.map((d: { path: string }) => d.path) as string[];
    };
    expect(await paths({})).toContain('body.demand_id');
    expect(await paths({ demand_id: 'LD-1', numbers: ['2125551234'], formats: ['pdf'] })).toEqual(expect.arrayContaining(['body.demand_id', 'body.numbers.0', 'body.formats.0']));
    expect(await paths({ demand_id: 'LD-20261124-ABC123', date_from: '10/31/2026', date_to: '10/01/2026' })).toContain('body.date_from');
    expect(await paths({ demand_id: 'LD-20261124-ABC123', columns: ['identity'] })).toContain('body.columns.0');
    expect(await paths({ demand_id: 'LD-20261124-ABC123', scope: 'everything' })).toContain('body');
  });

  it('never reaches the file system with a path from the request', async () => {
    const x = (await request({ demand_id: await demand() })).json;
    expect((await approve(x.id)).status).toBe(200);
    for (const name of ['..%2F..%2Fstate.duckdb', '..%5C..%5Cstate.duckdb', '.env', 'manifest.json%00.csv', 'cdrs.tsv']) {
      const r = await s.call('GET', `/v1/exports/${x.id}/files/${name}`, { role: 'legal' });
      expect([400, 404], name).toContain(r.status);
    }
    expect((await s.call('GET', `/v1/exports/..%2F..%2Fkeys/files/signing-key.pub.pem`, { role: 'legal' })).status).toBe(400);
  });
});
