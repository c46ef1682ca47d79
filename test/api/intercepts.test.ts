import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkExpiries } from '../../engine/intercepts/intercept-service.ts';
import { loadSigningKey } from '../../engine/keys/signing-key.ts';
import { openState } from '../../engine/state/state-store.ts';
import { dataLayout } from '../../engine/storage/layout.ts';
import { ROLES } from '../../engine/accounts/roles.ts';
import { startServer, type TestServer } from '../support/api-server.ts';
import { interceptBody } from '../support/intercept-body.ts';

describe('intercept-audit records over the API (47 CFR 1.20004)', () => {
  let s: TestServer;
  let clock = new Date('2026-11-21T15:00:00Z');
  let senior2 = '';
  const hooks: unknown[] = [];
  let hookUrl = '';
  let hookServer: http.Server;
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    const state = await openState(dataLayout(s.data));
    await state.exec("INSERT INTO inventory VALUES ('+12125551001', 'Acme', 'calea@acme.example', '2019-01-01', TRUE, TRUE)");
    state.close();
    senior2 = await s.addAccount({ user: 'senior-2', role: 'senior_officer' });
    hookServer = http.createServer((req, res) => {
      let b = '';
      req.on('data', (c) => (b += c));
      req.on('end', () => {
        hooks.push(JSON.parse(b));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', () => r()));
    hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/notify`;
  });
  afterAll(async () => {
    hookServer.close();
    await s.close();
  });
  const create = (over: Record<string, unknown> = {}, role: 'legal' | 'senior_officer' = 'legal') => s.call('POST', '/v1/intercepts', { role, body: interceptBody(over) });

  it.each(['targets', 'type', 'start_at', 'le_officer', 'authorization', 'responsible_employee', 'demand_id', 'vendor'])('refuses a record without %s, naming it', async (field) => {
    const body = interceptBody();
    delete body[field];
    if (field === 'targets') body['circuit_ids'] = [];
    const r = await s.call('POST', '/v1/intercepts', { role: 'legal', body });
    expect(r.status).toBe(400);
    expect(r.json.error.details.map((d: { path: string }) => d.path).join(' ')).toContain(`body.${field}`);
  });

  it('refuses authorizations longer than the legal maximum by type', async () => {
    const t3 = await create({ type: 'title_iii', authorization: { ...(interceptBody().authorization as object), starts: '2026-11-20T00:00:00Z', ends: '2026-12-21T00:00:00Z' } });
    expect(t3.status).toBe(422);
    expect(t3.json.error.message).toMatch(/30 days .*2518\(5\)/);
    const pen = await create({ authorization: { ...(interceptBody().authorization as object), ends: '2027-01-20T00:00:00Z' } });
    expect(pen.status).toBe(422);
    expect((await create({ type: 'fisa', authorization: { ...(interceptBody().authorization as object), ends: '2027-11-20T00:00:00Z' } })).status).toBe(201);
  });

  it('requires a reason for numbers the carrier does not serve', async () => {
    const r = await create({ targets: ['312-555-0000'] });
    expect(r.status).toBe(422);
    const ok = await create({ targets: ['312-555-0000'], not_served_reason: 'ported out on 11/01/2026; order names it' });
    expect(ok.json.not_served).toMatchObject({ numbers: ['+13125550000'] });
  });

  it('activates only on approval by a senior officer other than the creator, then extends and terminates', async () => {
    const c = await create({}, 'senior_officer');
    expect(c.json.status).toBe('pending');
    const self = await s.call('POST', `/v1/intercepts/${c.json.id}/approve`, { role: 'senior_officer' });
    expect(self.status).toBe(422);
    const ok = await s.call('POST', `/v1/intercepts/${c.json.id}/approve`, { token: senior2 });
    expect(ok.json).toMatchObject({ status: 'active', approved_by: 'senior-2' });
    const ext = await s.call('POST', `/v1/intercepts/${c.json.id}/extend`, { role: 'legal', body: { authorization: { ...(interceptBody().authorization as object), starts: '2027-01-15T00:00:00Z', ends: '2027-03-10T00:00:00Z', docket: '1:26-mj-00417-ext1' } } });
    expect(ext.json).toMatchObject({ extended: 1, authorized_until: '2027-03-10T00:00:00Z' });
    expect(ext.json.authorization[1].document_sha256).toMatch(/^[0-9a-f]{64}$/);
    const term = await s.call('POST', `/v1/intercepts/${c.json.id}/terminate`, { role: 'legal', body: { reason: 'investigation closed' } });
    expect(term.json.status).toBe('terminated');
  });

  it('warns before expiry and marks overdue at a set clock; a past-due active record is a violation', async () => {
    const c = await create({ authorization: { ...(interceptBody().authorization as object), starts: '2026-11-20T00:00:00Z', ends: '2026-11-25T00:00:00Z' } });
    await s.call('POST', `/v1/intercepts/${c.json.id}/approve`, { role: 'senior_officer' });
    const state = await openState(dataLayout(s.data));
    const key = await loadSigningKey(dataLayout(s.data));
    const warn = await checkExpiries(state, key, new Date('2026-11-23T00:00:00Z'));
    expect(warn.warned).toContain(c.json.id);
    const late = await checkExpiries(state, key, new Date('2026-11-26T00:00:00Z'));
    expect(late.overdue).toContain(c.json.id);
    state.close();
    clock = new Date('2026-11-26T00:00:00Z');
    const v = await s.call('GET', `/v1/intercepts/${c.json.id}`, { role: 'auditor' });
    expect(v.json).toMatchObject({ violation: true, overdue: true, expiry_warning: true });
    const rep = await s.call('GET', '/v1/intercepts/reports/summary?from=2026-11-01&to=2026-11-30', { role: 'auditor' });
    expect(rep.json.violations).toContain(c.json.id);
    clock = new Date('2026-11-21T15:00:00Z');
  });

  it('records a compromise and notifies the agency by webhook', async () => {
    const c = await create({ notify_webhook: hookUrl });
    const r = await s.call('POST', `/v1/intercepts/${c.json.id}/compromise`, { role: 'legal', body: { description: 'vendor credentials leaked', discovered_at: '2026-11-21T14:00:00Z' } });
    expect(r.json.compromises[0].notification).toMatchObject({ channel: 'webhook', status: 'delivered' });
    expect(hooks).toContainEqual(expect.objectContaining({ intercept_id: c.json.id, agency: 'FBI Chicago' }));
  });

  it('reports delivery timing against the 95% within 8 seconds expectation', async () => {
    const c = await create();
    const lines = ['event_time,delivered_time', ...Array.from({ length: 100 }, (_, i) => `2026-11-21T10:00:${String(i % 60).padStart(2, '0')}Z,2026-11-21T10:0${i < 10 ? 1 : 0}:${String(i % 60).padStart(2, '0')}Z`)];
    const r = await s.call('POST', `/v1/intercepts/${c.json.id}/delivery-log`, { role: 'legal', body: { csv: lines.join('\n') } });
    expect(r.json).toMatchObject({ messages: 100, within_8s: 90, meets_95_percent: false, flag: 'under the 95% within 8 seconds expectation' });
  });

  it('audits every read, and answers 403 to roles other than legal, senior_officer and auditor', async () => {
    const c = await create();
    await s.call('GET', `/v1/intercepts/${c.json.id}`, { role: 'auditor' });
    const a = await s.call('GET', `/v1/audit?resource=intercept&limit=100`, { role: 'auditor' });
    expect(a.json.entries.some((e: { action: string; resource_ids: string[]; actor: string }) => e.action === 'read' && e.actor === 'u-auditor' && e.resource_ids.includes(c.json.id))).toBe(true);
    for (const role of ROLES.filter((x) => !['legal', 'senior_officer', 'auditor'].includes(x))) {
      expect((await s.call('GET', `/v1/intercepts/${c.json.id}`, { role })).status).toBe(403);
      expect((await s.call('POST', '/v1/intercepts', { role, body: interceptBody() })).status).toBe(403);
    }
    expect((await s.call('POST', '/v1/intercepts', { role: 'auditor', body: interceptBody() })).status).toBe(403);
  });

  it('exports the records of a period, signed, as JSON with the chain and as CSV', async () => {
    const x = await s.call('GET', '/v1/intercepts/reports/export?from=2026-11-01&to=2026-11-30', { role: 'auditor' });
    expect(x.json.signature.split('.')).toHaveLength(3);
    expect(x.json.chain.length).toBeGreaterThan(x.json.records.length);
    const csv = await s.call('GET', '/v1/intercepts/reports/export?from=2026-11-01&to=2026-11-30&format=csv', { role: 'auditor' });
    expect(csv.text.split('\n')[0]).toMatch(/^id,type,status,targets/);
  });
});
