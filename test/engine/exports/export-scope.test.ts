import { describe, expect, it } from 'vitest';
import { isTraceHopError } from '../../../engine/errors.ts';
import { ExportRequestSchema, RELEASED_COLUMNS } from '../../../engine/exports/export-schema.ts';
import { centralInterval, resolveScope } from '../../../engine/exports/export-scope.ts';

const demand = { id: 'LD-20261124-ABC123', target_numbers: ['212-555-1234', '312-555-5678'], date_from: '2026-09-01', date_to: '2026-11-20' };

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (isTraceHopError(e)) return e;
    throw e;
  }
  throw new Error('expected a refusal');
};

describe('the scope of an export', () => {
  it('takes the demand\'s numbers in E.164 and its dates as whole Central days', () => {
    const s = resolveScope(demand, {});
    expect(s.numbers).toEqual(['+12125551234', '+13125555678']);
    expect(s).toMatchObject({ date_from: '09/01/2026', date_to: '11/20/2026', time_zone: 'America/Chicago' });
    // 09/01 00:00 CDT (UTC-5) to 11/21 00:00 CST (UTC-6), half-open
    expect([s.from, s.to]).toEqual(['2026-09-01T05:00:00.000Z', '2026-11-21T06:00:00.000Z']);
  });

  it('applies daylight saving by date: the day clocks fall back lasts 25 hours, the day they spring forward 23', () => {
    const fallBack = centralInterval('2026-11-01', '2026-11-01');
    expect([fallBack.from, fallBack.to]).toEqual(['2026-11-01T05:00:00.000Z', '2026-11-02T06:00:00.000Z']);
    const spring = centralInterval('2026-03-08', '2026-03-08');
    expect(Date.parse(spring.to) - Date.parse(spring.from)).toBe(23 * 3_600_000);
  });

  it('narrows to fewer numbers, fewer days and fewer columns', () => {
    const s = resolveScope(demand, { numbers: ['312-555-5678'], date_from: '10/01/2026', date_to: '10/31/2026', columns: ['start_time', 'call_id', 'calling_number'] });
    expect(s.numbers).toEqual(['+13125555678']);
    expect([s.from, s.to]).toEqual(['2026-10-01T05:00:00.000Z', '2026-11-01T05:00:00.000Z']);
    // columns keep the canonical order whatever order they were asked in
    expect(s.columns).toEqual(['call_id', 'start_time', 'calling_number']);
  });

  it('refuses numbers outside the demand with TH_EXPORT_SCOPE, naming each of them', () => {
    const e = refusal(() => resolveScope(demand, { numbers: ['212-555-1234', '415-555-0100', '646-555-0199'] }));
    expect(e.code).toBe('TH_EXPORT_SCOPE');
    expect(e.status).toBe(422);
    expect(e.details).toEqual([expect.objectContaining({ path: 'numbers', outside: ['415-555-0100', '646-555-0199'] })]);
    expect(e.message).toContain('415-555-0100, 646-555-0199');
  });

  it('refuses days before or after the demand\'s range, naming the dates and the demand\'s bounds', () => {
    const e = refusal(() => resolveScope(demand, { date_from: '08/31/2026', date_to: '11/21/2026' }));
    expect(e.code).toBe('TH_EXPORT_SCOPE');
    expect(e.details).toEqual([
      expect.objectContaining({ path: 'date_from', value: '08/31/2026', demand_date_from: '09/01/2026' }),
      expect.objectContaining({ path: 'date_to', value: '11/21/2026', demand_date_to: '11/20/2026' }),
    ]);
  });

  it('refuses a narrowed range that ends before it starts once combined with the demand\'s', () => {
    expect(refusal(() => resolveScope(demand, { date_from: '11/20/2026', date_to: '10/01/2026' })).code).toBe('TH_EXPORT_SCOPE');
  });

  it('never releases the raw Identity header: it is not a column a request can name', () => {
    expect(RELEASED_COLUMNS).not.toContain('identity');
    expect(resolveScope(demand, {}).columns).not.toContain('identity');
    const r = ExportRequestSchema.safeParse({ demand_id: demand.id, columns: ['identity'] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['columns', 0]);
  });

  it('rejects a request whose own dates are reversed as malformed, naming date_from', () => {
    const r = ExportRequestSchema.safeParse({ demand_id: demand.id, date_from: '10/31/2026', date_to: '10/01/2026' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['date_from']);
  });
});
