import { describe, expect, it } from 'vitest';
import { LEGAL_PROCESSES } from '../../../engine/demands/demand-schema.ts';
import { ExportConfigSchema } from '../../../engine/exports/export-config.ts';
import { feeEstimate } from '../../../engine/exports/fee-estimate.ts';
import { checkRelease, RELEASE_RULES } from '../../../engine/exports/release-rules.ts';

const demand = (over: Partial<Parameters<typeof checkRelease>[0]> = {}) => ({ id: 'LD-20261124-ABC123', status: 'in_review', legal_process: 'grand_jury_subpoena', protective_order_on_file: false, ...over });
const codeOf = (fn: () => unknown): string | null => {
  try {
    fn();
    return null;
  } catch (e) {
    return (e as { code: string }).code;
  }
};

describe('what a legal process releases', () => {
  it('has a rule, with its legal basis, for every legal process a demand can name', () => {
    expect(Object.keys(RELEASE_RULES).sort()).toEqual([...LEGAL_PROCESSES].sort());
    for (const r of Object.values(RELEASE_RULES)) expect(r.basis).toMatch(/U\.S\.C\.|CFR/);
  });

  it.each(['grand_jury_subpoena', 'administrative_subpoena', 'court_order_2703d', 'search_warrant', 'emergency_disclosure'])('releases call records for a %s', (p) => {
    expect(codeOf(() => checkRelease(demand({ legal_process: p })))).toBeNull();
  });

  it.each(['preservation_request', 'pen_register', 'trap_and_trace', 'title_iii', 'fisa'])('releases nothing for a %s (TH_EXPORT_PROCESS)', (p) => {
    expect(codeOf(() => checkRelease(demand({ legal_process: p })))).toBe('TH_EXPORT_PROCESS');
  });

  it('releases records for a civil subpoena only once a protective order is on file', () => {
    expect(codeOf(() => checkRelease(demand({ legal_process: 'civil_subpoena' })))).toBe('TH_EXPORT_PROTECTIVE_ORDER');
    expect(codeOf(() => checkRelease(demand({ legal_process: 'civil_subpoena', protective_order_on_file: true })))).toBeNull();
  });

  it.each(['rejected', 'withdrawn', 'fulfilled'])('releases nothing for a %s demand (TH_EXPORT_DEMAND_STATUS)', (status) => {
    expect(codeOf(() => checkRelease(demand({ status })))).toBe('TH_EXPORT_DEMAND_STATUS');
  });
});

describe('the fee estimate', () => {
  const fees = ExportConfigSchema.parse({}).fees;

  it('charges government process nothing unless the production is unusually voluminous (18 U.S.C. 2706(c))', () => {
    expect(feeEstimate(100_000, 'grand_jury_subpoena', fees)).toMatchObject({ voluminous: false, fee_applies: false, amount_usd: 0 });
    // 250,001 rows: base 50 + 241 started thousands above the 10,000 included at 2 USD
    expect(feeEstimate(250_001, 'search_warrant', fees)).toMatchObject({ voluminous: true, fee_applies: true, amount_usd: 50 + 241 * 2 });
  });

  it('charges a civil litigant the costs whatever the size', () => {
    expect(feeEstimate(12, 'civil_subpoena', fees)).toMatchObject({ voluminous: false, fee_applies: true, amount_usd: 50 });
  });

  it('follows a configured table', () => {
    const custom = ExportConfigSchema.parse({ fees: { voluminous_rows: 10, base_usd: 5, included_rows: 0, per_1000_rows_usd: 1.25 } }).fees;
    expect(feeEstimate(2_500, 'grand_jury_subpoena', custom)).toMatchObject({ voluminous: true, amount_usd: 5 + 3 * 1.25 });
  });
});
