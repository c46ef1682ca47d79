import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/api-server.ts';
import { demandBody } from '../support/demand-body.ts';

// Tuesday 24 November 2026, 10:00 Central
let now = new Date('2026-11-24T16:00:00Z');

describe('preservation holds (18 U.S.C. 2703(f)) through the API', () => {
  let s: TestServer;
  let demand = '';
  beforeAll(async () => {
    s = await startServer({ now: () => now });
    const d = await s.call('POST', '/v1/demands', { role: 'legal', body: demandBody({ legal_process: 'preservation_request', subject: 'Preservation request', target_numbers: ['212-555-1234', '312-555-5678'], date_from: '10/01/2026', date_to: '10/31/2026' }) });
    expect(d.status).toBe(201);
    demand = d.json.case_number;
  });
  afterAll(() => s.close());
  const post = (body: unknown) => s.call('POST', '/v1/preservations', { role: 'legal', body });

  it('creates a 90-day hold on the demand’s numbers and dates', async () => {
    const r = await post({ demand_id: demand });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ demand_id: demand, numbers: ['212-555-1234', '312-555-5678'], date_from: '10/01/2026', date_to: '10/31/2026', status: 'active', extended: false, expires_at: '2027-02-22T16:00:00.000Z' });
    expect(r.json.id).toMatch(/^PH-[0-9A-F]{12}$/);
    // whole Central days: 10/01 00:00 CDT to 11/01 00:00 CDT
    expect(r.json.starts_at).toBe('2026-10-01T05:00:00.000Z');
    expect(r.json.ends_at).toBe('2026-11-01T05:00:00.000Z');
  });

  it('may narrow the demand’s scope but never widen it', async () => {
    expect((await post({ demand_id: demand, numbers: ['212-555-1234'], date_from: '10/05/2026', date_to: '10/06/2026' })).status).toBe(201);
    const wide = await post({ demand_id: demand, numbers: ['212-555-1234', '646-555-0000'], date_from: '09/30/2026' });
    expect(wide.status).toBe(422);
    expect(wide.json.error.code).toBe('TH_PRESERVATION_SCOPE');
    expect(wide.json.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'numbers', outside_demand: ['646-555-0000'] }), expect.objectContaining({ path: 'date_from' })]));
  });

  it('refuses a hold on a demand that is not a preservation request', async () => {
    const other = await s.call('POST', '/v1/demands', { role: 'legal', body: demandBody() });
    const r = await post({ demand_id: other.json.case_number });
    expect(r.status).toBe(422);
    expect(r.json.error.code).toBe('TH_PRESERVATION_DEMAND');
    expect((await post({ demand_id: 'LD-20260101-ABCDEF' })).status).toBe(404);
  });

  it('answers malformed bodies 400 with the paths at fault', async () => {
    const r = await post({ demand_id: 'nope', numbers: ['2125551234'], date_to: '02/30/2026', extra: 1 });
    expect(r.status).toBe(400);
    const paths = r.json.error.details.map((d: { path: string }) => d.path).join(' ');
    for (const p of ['demand_id', 'numbers', 'date_to']) expect(paths).toContain(p);
  });

  it('extends a hold once by 90 days, refuses a second extension, and ends at a release', async () => {
    const h = (await post({ demand_id: demand })).json;
    now = new Date('2027-02-01T16:00:00Z');
    const ext = await s.call('POST', `/v1/preservations/${h.id}/extend`, { role: 'legal', body: { note: 'renewed request received 02/01/2027' } });
    expect(ext.status).toBe(200);
    expect(ext.json).toMatchObject({ extended: true, expires_at: '2027-05-23T16:00:00.000Z' });
    const again = await s.call('POST', `/v1/preservations/${h.id}/extend`, { role: 'legal', body: {} });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('TH_PRESERVATION_EXTENDED');
    const rel = await s.call('POST', `/v1/preservations/${h.id}/release`, { role: 'legal', body: { reason: 'court order served; records produced' } });
    expect(rel.json.status).toBe('released');
    expect((await s.call('POST', `/v1/preservations/${h.id}/extend`, { role: 'legal', body: {} })).json.error.code).toBe('TH_PRESERVATION_EXPIRED');
    now = new Date('2026-11-24T16:00:00Z');
  });

  it('shows a hold as expired after 90 days, and flags one nearing its end', async () => {
    const h = (await post({ demand_id: demand })).json;
    now = new Date('2027-02-15T16:00:00Z');
    expect((await s.call('GET', `/v1/preservations/${h.id}`, { role: 'legal' })).json).toMatchObject({ status: 'active', expiring_soon: true });
    now = new Date('2027-02-23T16:00:00Z');
    expect((await s.call('GET', `/v1/preservations/${h.id}`, { role: 'legal' })).json.status).toBe('expired');
    const expired = await s.call('GET', '/v1/preservations?status=expired', { role: 'legal' });
    expect(expired.json.preservations.map((p: { id: string }) => p.id)).toContain(h.id);
    expect((await s.call('POST', `/v1/preservations/${h.id}/extend`, { role: 'legal', body: {} })).json.error.code).toBe('TH_PRESERVATION_EXPIRED');
    now = new Date('2026-11-24T16:00:00Z');
  });

  it('writes every create, read, extension and refusal to the audit log', async () => {
    const log = await s.call('GET', '/v1/audit?resource=preservation&limit=200', { role: 'auditor' });
    expect(log.status).toBe(200);
    const actions = new Set(log.json.entries.map((e: { action: string; outcome: string }) => `${e.action}:${e.outcome}`));
    for (const a of ['create:ok', 'read:ok', 'extend:ok', 'release:ok']) expect(actions).toContain(a);
    const refused = await s.call('GET', '/v1/audit?outcome=refused&limit=500', { role: 'auditor' });
    expect(refused.json.entries.some((e: { resource: string; status: number; detail: { code?: string } }) => e.resource === '/v1/preservations' && e.status === 422 && e.detail?.code === 'TH_PRESERVATION_SCOPE')).toBe(true);
    expect(log.json.entries.find((e: { action: string }) => e.action === 'create').numbers).toEqual(expect.arrayContaining(['212-555-1234']));
  });
});

describe('the lifecycle run log through the API', () => {
  it('shows admins and auditors what each run tiered, deleted and kept under a hold', async () => {
    const { runLifecycle } = await import('../../engine/lifecycle/lifecycle-run.ts');
    const { dataLayout } = await import('../../engine/storage/layout.ts');
    const { openState } = await import('../../engine/state/state-store.ts');
    const s = await startServer({ now: () => new Date('2026-11-24T16:00:00Z') });
    try {
      const state = await openState(dataLayout(s.data));
      const run = await runLifecycle(dataLayout(s.data), state, { now: new Date('2026-11-24T16:00:00Z'), trigger: 'test' });
      state.close();
      const r = await s.call('GET', '/v1/lifecycle/runs?limit=5', { role: 'auditor' });
      expect(r.status).toBe(200);
      expect(r.json.runs[0]).toMatchObject({ id: run.id, status: 'done', trigger: 'test', tiered: [], retained: [] });
      expect((await s.call('GET', '/v1/lifecycle/runs', { role: 'legal' })).status).toBe(403);
      expect((await s.call('GET', '/v1/lifecycle/runs?limit=0', { role: 'admin' })).status).toBe(400);
    } finally {
      await s.close();
    }
  });
});
