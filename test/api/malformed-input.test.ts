import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/api-server.ts';
import { demandBody } from '../support/demand-body.ts';

describe('malformed input on every route is answered 400 with the paths at fault, never 500', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('wrong types and unknown fields', async () => {
    const r = await s.call('POST', '/v1/tracebacks', { role: 'analyst', body: { request: { calling: 2125551234, called: '312-555-5678', at: '2026-11-20T10:00:00Z', extra: 1 } } });
    expect(r.status).toBe(400);
    expect(r.json.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['body.request.calling']));
    const q = await s.call('GET', '/v1/audit?limit=abc', { role: 'auditor' });
    expect(q.status).toBe(400);
    expect(q.json.error.details[0].path).toBe('querystring.limit');
  });

  it('huge bodies (413) and invalid UTF-8 (400)', async () => {
    const huge = await s.call('POST', '/v1/tracebacks', { role: 'analyst', raw: JSON.stringify({ requests: [{ calling: 'x'.repeat(9 * 1024 * 1024), called: '1', at: '' }] }) });
    expect(huge.status).toBe(413);
    expect(huge.json.error.code).toBe('TH_PAYLOAD_TOO_LARGE');
    const bad = await s.call('POST', '/v1/demands', { role: 'legal', raw: Buffer.concat([Buffer.from('{"subject":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]) });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/UTF-8/);
    const notJson = await s.call('POST', '/v1/demands', { role: 'legal', raw: '{"subject": ' });
    expect(notJson.status).toBe(400);
  });

  it('numbers with letters and impossible dates', async () => {
    const r = await s.call('POST', '/v1/demands', { role: 'legal', body: demandBody({ target_numbers: ['212-555-12a4'], date_to: '02/30/2026' }) });
    expect(r.status).toBe(400);
    expect(r.json.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['body.date_to', 'body.target_numbers.0']);
    const t = await s.call('POST', '/v1/tracebacks', { role: 'itg', body: { request: { calling: '212-555-CALL', called: '312-555-5678', date: '02/30/2026', time: '12:23 pm', tz: 'ET' } } });
    expect(t.status).toBe(201); // accepted request, answered per line with the fields at fault
    expect(t.json.result.error.errors.map((e: { path: string }) => e.path)).toEqual(['calling', 'date']);
  });

  it('never leaks a stack trace', async () => {
    for (const [m, u, b] of [['POST', '/v1/demands', '[]'], ['PATCH', '/v1/demands/LD-20260101-ABCDEF', '{"status": 5}'], ['GET', '/v1/tracebacks/not-a-uuid', undefined]] as const) {
      const r = await s.call(m, u, { role: m === 'GET' ? 'analyst' : 'legal', ...(b ? { raw: b } : {}) });
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.text).not.toMatch(/at .*\.ts:\d+/);
    }
  });
});
