import { writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/api-server.ts';
import { tempDir } from '../support/cdr-fixtures.ts';
import { runCli } from '../support/run-cli.ts';

describe('the number look-up portal', () => {
  let s: TestServer;
  let clock = new Date('2026-11-24T15:00:00Z');
  beforeAll(async () => {
    const data = path.join(tempDir('lookup-'), 'data');
    const inv = path.join(tempDir(), 'inventory.csv');
    writeFileSync(
      inv,
      [
        'number,customer,calea_contact,in_service_date,active,cpni_consent',
        '212-555-1001,Acme Dental LLC,calea@acme.example,2019-04-01,true,true',
        '212-555-1002,Quiet Co,calea@quiet.example,2020-01-01,true,false',
        '212-555-1003,Gone Inc,calea@gone.example,2015-06-01,false,true',
        'not-a-number,X,Y,2020-01-01,true,true',
      ].join('\n'),
    );
    const imported = await runCli(['inventory', 'import', inv, '--data', data]);
    expect(imported.json).toMatchObject({ rows: 3, rejected: [{ line: 5 }] });
    s = await startServer({ data, now: () => clock });
  });
  afterAll(() => s.close());
  const look = (numbers: string[], token?: string) => s.call('POST', '/v1/tn-lookups', token ? { token, body: { numbers } } : { role: 'le_officer', body: { numbers } });

  it('answers for an active, consenting number, and the same "serve a legal demand" for any other', async () => {
    const r = await look(['212-555-1001', '212-555-1002', '212-555-1003', '212-555-9999']);
    expect(r.status).toBe(201);
    expect(r.json.results[0]).toMatchObject({ result: 'found', customer: 'Acme Dental LLC', calea_contact: 'calea@acme.example', in_service_date: '2019-04-01' });
    const others = r.json.results.slice(1);
    // no way to tell an unknown number from a withheld one
    expect(new Set(others.map((o: object) => JSON.stringify({ ...o, number: '' }))).size).toBe(1);
    expect(others[0]).toMatchObject({ result: 'serve_legal_demand' });
    expect(r.json.remaining_today).toBe(21);
  });

  it('exports a look-up as csv and xlsx', async () => {
    const r = await look(['212-555-1001']);
    const csv = await s.call('GET', `/v1/tn-lookups/${r.json.id}?format=csv`, { role: 'le_officer' });
    expect(csv.text.split('\n')[1]).toContain('Acme Dental LLC');
    const res = await fetch(`${s.base}/v1/tn-lookups/${r.json.id}?format=xlsx`, { headers: { authorization: `Bearer ${s.tokens.le_officer}` } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets[0]!.getRow(2).getCell(3).text).toBe('Acme Dental LLC');
  });

  it('refuses the 26th number of the (Central) day with 429 and what is left, and resets the next day', async () => {
    const token = await s.addAccount({ user: 'officer-2', role: 'le_officer', agency: 'Ottawa Police Service', country: 'CA', badge: 'E-77', email: 'o2@ops.example', supervisor_email: 'sgt@ops.example' });
    expect((await look(Array.from({ length: 20 }, () => '212-555-1001'), token)).status).toBe(201);
    expect((await look(Array.from({ length: 5 }, () => '212-555-1002'), token)).json.remaining_today).toBe(0);
    const over = await look(['212-555-1001'], token);
    expect(over.status).toBe(429);
    expect(over.json.error).toMatchObject({ code: 'TH_LOOKUP_QUOTA', details: [{ remaining_today: 0, limit: 25 }] });
    // 05:59 UTC on the 25th is still the 24th in Chicago; 06:00 is the 25th
    clock = new Date('2026-11-25T05:59:00Z');
    expect((await look(['212-555-1001'], token)).status).toBe(429);
    clock = new Date('2026-11-25T06:00:00Z');
    expect((await look(['212-555-1001'], token)).status).toBe(201);
    const audit = await s.call('GET', '/v1/audit?resource=tn-lookup&outcome=refused', { role: 'auditor' });
    expect(audit.json.entries.some((e: { actor: string; status: number }) => e.actor === 'officer-2' && e.status === 429)).toBe(true);
  });

  it('keeps the 25-number quota when one officer sends look-ups at the same time', async () => {
    const token = await s.addAccount({ user: 'officer-3', role: 'le_officer', agency: 'Springfield PD', country: 'US', badge: 'B-3003', email: 'o3@spd.example', supervisor_email: 'chief3@spd.example' });
    const five = ['212-555-1001', '212-555-1002', '212-555-1003', '212-555-1004', '212-555-1005'];
    const all = await Promise.all(Array.from({ length: 7 }, () => look(five, token)));
    expect(all.map((r) => r.status).sort()).toEqual([201, 201, 201, 201, 201, 429, 429]);
    expect(all.filter((r) => r.status === 201).map((r) => r.json.remaining_today as number).sort((a, b) => a - b)).toEqual([0, 5, 10, 15, 20]);
  });

  it('refuses more than 25 numbers in one request (400), and numbers with letters', async () => {
    expect((await look(Array.from({ length: 26 }, () => '212-555-1001'))).status).toBe(400);
    const r = await look(['212-555-10O1']);
    expect(r.status).toBe(400);
    expect(r.json.error.details[0].path).toBe('body.numbers.0');
  });

  it('creates law-enforcement accounts only for individual officers of US or Canadian agencies', async () => {
    const bad = await s.call('POST', '/v1/accounts', { role: 'admin', body: { user: 'shared-desk', role: 'le_officer', agency: 'Interpol', country: 'FR', badge: '1', email: 'a@b.example', supervisor_email: 'c@d.example' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.some((d: { path: string }) => d.path === 'body.country')).toBe(true);
    const missing = await s.call('POST', '/v1/accounts', { role: 'admin', body: { user: 'no-badge', role: 'le_officer', agency: 'Springfield PD', country: 'US', email: 'a@b.example', supervisor_email: 'c@d.example' } });
    expect(missing.json.error.details.some((d: { path: string }) => d.path === 'body.badge')).toBe(true);
  });
});
