import type { ExportConfig } from './export-config.ts';
import type { FeeEstimate } from './export-schema.ts';

/**
 * Fee estimate for a production, from a count of the rows in scope at request time.
 * 18 U.S.C. 2706(c): records of a common carrier obtained under 2703 carry no fee
 * "except ... information which is unusually voluminous in nature or otherwise caused an
 * undue burden"; so government process pays only above the voluminous threshold. A civil
 * subpoena is a private party's request (2702(c)(6)): carrier policy charges its costs
 * whatever the size. Amount: base fee, plus a rate per started 1,000 rows above the
 * included rows.
 */
export function feeEstimate(rows: number, legalProcess: string, fees: ExportConfig['fees']): FeeEstimate {
  const voluminous = rows > fees.voluminous_rows;
  const civil = legalProcess === 'civil_subpoena';
  const feeApplies = voluminous || civil;
  const extraThousands = Math.ceil(Math.max(0, rows - fees.included_rows) / 1000);
  const amount = feeApplies ? Math.round((fees.base_usd + extraThousands * fees.per_1000_rows_usd) * 100) / 100 : 0;
  const basis = civil
    ? 'carrier policy: a civil litigant pays the costs of production'
    : voluminous
      ? `18 U.S.C. 2706(c): unusually voluminous (more than ${fees.voluminous_rows.toLocaleString('en-US')} rows)`
      : `18 U.S.C. 2706(c): no fee for toll records under 2703 unless unusually voluminous (${fees.voluminous_rows.toLocaleString('en-US')} rows)`;
  return { rows, voluminous, fee_applies: feeApplies, amount_usd: amount, basis };
}
