import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import ExcelJS from 'exceljs';
import { startServer, type TestServer } from '../support/api-server.ts';
import { demandBody } from '../support/demand-body.ts';

// Tuesday 24 November 2026, 10:00 Central: a business day before Thanksgiving
const NOW = new Date('2026-11-24T16:00:00Z');

describe('legal demand intake enforces the carrier’s policy, one rule and one code at a time', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ now: () => NOW });
  });
  afterAll(() => s.close());
  const post = (body: unknown) => s.call('POST', '/v1/demands', { role: 'legal', body });

  it('accepts a valid demand with a case number, the rules it passed and a due time in business hours', async () => {
    const r = await post(demandBody());
    expect(r.status).toBe(201);
    expect(r.json.case_number).toMatch(/^LD-20261124-[0-9A-F]{6}$/);
    expect(r.json.rules_passed).toEqual(['written_request', 'one_legal_document', 'numbers_inline_under_10', 'date_range', 'document_not_seen_before']);
    // 40 business hours from Tue 10:00 CT: Tue 7h, Wed 9h, (Thu Thanksgiving), Fri 9h, Mon 9h, Tue 6h -> Tue 1 Dec 14:00 CT
    expect(r.json.due_at).toBe('2026-12-01T20:00:00.000Z');
    expect(r.json.exigent).toBe(false);
  });

  it('makes a demand exigent from the subject or the flag, due within hours and listed first', async () => {
    const a = await post(demandBody({ subject: 'EXIGENT - kidnapping in progress' }));
    expect(a.json).toMatchObject({ exigent: true, due_at: '2026-11-24T20:00:00.000Z' });
    const b = await post(demandBody({ exigent: true }));
    expect(b.json.exigent).toBe(true);
    const list = await s.call('GET', '/v1/demands', { role: 'legal' });
    expect(list.json.demands[0].exigent).toBe(true);
  });

  it.each([
    ['fax', { received_via: 'fax' }, 422, 'TH_DEMAND_FAX_REFUSED'],
    ['a verbal request', { received_via: 'phone' }, 422, 'TH_DEMAND_VERBAL_REFUSED'],
    ['a verbal exigent request', { received_via: 'phone', exigent: true, subject: 'Exigent' }, 422, 'TH_DEMAND_VERBAL_REFUSED'],
    ['no legal document', { documents: [] }, 422, 'TH_DEMAND_DOCUMENT_COUNT'],
    ['two legal documents', { documents: [demandBody().documents as unknown[], demandBody().documents as unknown[]].flat() }, 422, 'TH_DEMAND_DOCUMENT_COUNT'],
    ['10 numbers inline', { target_numbers: Array.from({ length: 10 }, (_, i) => `212-555-01${String(i).padStart(2, '0')}`) }, 422, 'TH_DEMAND_LIST_REQUIRED'],
    ['no numbers at all', { target_numbers: [] }, 422, 'TH_DEMAND_NO_NUMBERS'],
    ['a reversed date range', { date_from: '10/31/2026', date_to: '10/01/2026' }, 400, 'TH_DEMAND_DATE_RANGE'],
    ['a date range in the future', { date_to: '12/31/2026' }, 400, 'TH_DEMAND_DATE_RANGE'],
  ])('refuses %s with its own code', async (_name, over, status, code) => {
    const r = await post(demandBody(over));
    expect(r.status).toBe(status);
    expect(r.json.error.code).toBe(code);
  });

  it('accepts 10 or more numbers as an attached list (txt and xlsx), one per line', async () => {
    const nums = Array.from({ length: 12 }, (_, i) => `312-555-02${String(i).padStart(2, '0')}`);
    const txt = await post(demandBody({ target_numbers: undefined, numbers_attachment: { filename: 'numbers.txt', media_type: 'text/plain', content: Buffer.from(nums.join('\n')).toString('base64') } }));
    expect(txt.status).toBe(201);
    expect(txt.json.target_numbers).toHaveLength(12);
    expect(txt.json.rules_passed).toContain('numbers_as_attachment');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('numbers');
    nums.forEach((n) => ws.addRow([n]));
    const xlsx = await post(demandBody({ target_numbers: undefined, numbers_attachment: { filename: 'numbers.xlsx', media_type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', content: Buffer.from(await wb.xlsx.writeBuffer()).toString('base64') } }));
    expect(xlsx.status).toBe(201);
    expect(xlsx.json.target_numbers).toEqual(nums);
    const bad = await post(demandBody({ target_numbers: undefined, numbers_attachment: { filename: 'numbers.csv', media_type: 'text/csv', content: Buffer.from('212-555-1234\nnot a number\n').toString('base64') } }));
    expect(bad.json.error.code).toBe('TH_DEMAND_ATTACHMENT');
  });

  it('answers 409 when the same legal document is submitted twice', async () => {
    const body = demandBody();
    expect((await post(body)).status).toBe(201);
    const again = await post({ ...body, subject: 'Resent' });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('TH_DEMAND_DUPLICATE_DOCUMENT');
  });

  it('names every malformed field (400): missing fields, bad formats, 02/30/2026, letters in numbers, unknown fields', async () => {
    const r = await post({ ...demandBody(), agency: { name: 'X' }, target_numbers: ['212-555-12AB'], date_from: '02/30/2026', colour: 'blue' });
    expect(r.status).toBe(400);
    const paths = r.json.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.agency.name', 'body.agency.address', 'body.agency.email', 'body.agency.phone', 'body.target_numbers.0', 'body.date_from']));
    expect(r.json.error.details.some((d: { message: string }) => /colour/.test(d.message))).toBe(true);
  });

  it('follows the status workflow, audited: received -> in_review -> fulfilled; rejected needs a reason; only the submitter withdraws', async () => {
    const d = (await post(demandBody())).json;
    const patch = (body: unknown, token?: string) => s.call('PATCH', `/v1/demands/${d.id}`, token ? { token, body } : { role: 'legal', body });
    expect((await patch({ status: 'fulfilled' })).json.error.code).toBe('TH_DEMAND_TRANSITION');
    expect((await patch({ status: 'in_review' })).json.status).toBe('in_review');
    expect((await patch({ status: 'rejected' })).status).toBe(400);
    const other = await s.addAccount({ user: 'legal-2', role: 'legal' });
    expect((await patch({ status: 'withdrawn' }, other)).json.error.code).toBe('TH_DEMAND_NOT_SUBMITTER');
    expect((await patch({ status: 'fulfilled' })).json.status).toBe('fulfilled');
    const audit = await s.call('GET', `/v1/audit?limit=1000`, { role: 'auditor' });
    const mine = audit.json.entries.filter((e: { resource_ids: string[] }) => e.resource_ids.includes(d.id));
    expect(mine.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['create', 'update']));
    expect(mine.some((e: { outcome: string }) => e.outcome === 'refused')).toBe(true);
  });

  it('never answers 500, whatever the body (property)', async () => {
    const valueish = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }));
    const body = fc.oneof(
      fc.anything(),
      fc.record({ agency: fc.oneof(valueish, fc.record({ name: valueish, address: valueish, email: valueish, phone: valueish })), legal_process: valueish, received_via: fc.constantFrom('email', 'fax', 'phone', 'x'), date_from: valueish, date_to: valueish, documents: fc.oneof(valueish, fc.constant([])), target_numbers: valueish }, { requiredKeys: [] }),
      fc.record({ over: fc.dictionary(fc.constantFrom('subject', 'exigent', 'date_to', 'target_numbers', 'received_via', 'documents', 'legal_process'), valueish) }).map(({ over }) => demandBody(over)),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const r = await post(b);
        expect(r.status).toBeLessThan(500);
        expect(r.status === 201 || typeof r.json?.error?.code === 'string').toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
