import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../engine/accounts/roles.ts';
import { startServer, type TestServer } from '../support/api-server.ts';

describe('the authorization matrix over every route and every role', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  const concrete = (url: string) => url.replace(':id', '00000000-0000-4000-8000-000000000000').replace(':user', 'nobody');

  it('lists routes, each declaring its roles', () => {
    expect(s.app.tracehopRoutes.length).toBeGreaterThanOrEqual(10);
    for (const r of s.app.tracehopRoutes) expect(r.roles.length).toBeGreaterThan(0);
  });

  it('answers 401 without a token and with an unknown one, on every route', async () => {
    for (const r of s.app.tracehopRoutes) {
      expect((await s.call(r.method, concrete(r.url))).status, `${r.method} ${r.url}`).toBe(401);
      expect((await s.call(r.method, concrete(r.url), { token: 'th_not-a-real-token' })).status).toBe(401);
    }
  });

  it('answers 403 for every role a route does not admit, and lets the admitted roles past authorization', async () => {
    for (const r of s.app.tracehopRoutes) {
      for (const role of ROLES) {
        const res = await s.call(r.method, concrete(r.url), { role, ...(r.method === 'GET' ? {} : { body: {} }) });
        if (r.roles.includes(role)) expect([401, 403], `${role} ${r.method} ${r.url}`).not.toContain(res.status);
        else expect(res.status, `${role} ${r.method} ${r.url}`).toBe(403);
        expect(res.json?.error?.code ?? 'ok').not.toBe('TH_INTERNAL');
      }
    }
  });

  it('refuses a disabled account', async () => {
    const token = await s.addAccount({ user: 'temp-analyst', role: 'analyst' });
    expect((await s.call('GET', '/v1/tracebacks/00000000-0000-4000-8000-000000000000', { token })).status).toBe(404);
    expect((await s.call('PATCH', '/v1/accounts/temp-analyst', { role: 'admin', body: { disabled: true } })).status).toBe(200);
    expect((await s.call('GET', '/v1/tracebacks/00000000-0000-4000-8000-000000000000', { token })).status).toBe(401);
  });

  it('writes refusals to the audit log', async () => {
    await s.call('GET', '/v1/audit', { role: 'analyst' });
    const log = await s.call('GET', '/v1/audit?outcome=refused&limit=50', { role: 'auditor' });
    expect(log.status).toBe(200);
    expect(log.json.entries.some((e: { actor: string; status: number }) => e.actor === 'u-analyst' && e.status === 403)).toBe(true);
    expect(log.json.entries.some((e: { actor: string; status: number }) => e.actor === '(anonymous)' && e.status === 401)).toBe(true);
  });

  it('serves health, metrics to admin, and the OpenAPI document', async () => {
    expect((await s.call('GET', '/healthz')).json).toEqual({ ok: true });
    const m = await s.call('GET', '/metrics', { role: 'admin' });
    expect(m.text).toContain('tracehop_http_request_duration_seconds');
    const doc = await s.call('GET', '/docs/json');
    expect(doc.json.openapi).toBe('3.1.0');
    expect(Object.keys(doc.json.paths)).toEqual(expect.arrayContaining(['/v1/demands', '/v1/tracebacks', '/v1/tn-lookups', '/v1/audit', '/v1/preservations', '/v1/archive-jobs', '/v1/exports', '/v1/lifecycle/runs', '/v1/intercepts']));
  });
});
