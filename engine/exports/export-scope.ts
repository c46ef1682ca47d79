import { thError } from '../errors.ts';
import { toE164 } from '../phone/normalize-e164.ts';
import { CENTRAL_ZONE, centralDayRange, isoDateToUs as isoToUs, usDateToIso as usToIso } from '../time/central-days.ts';
import { RELEASED_COLUMNS, type ExportRequest, type ExportScope } from './export-schema.ts';

/**
 * The scope of an export: the demand's numbers and dates, narrowed by the request, never
 * widened (carrier policy: "CDRs leave only through an export tied to an approved demand,
 * inside its numbers and dates").
 *
 * A demand's dates (MM/DD/YYYY) are whole days in US Central time (America/Chicago), not
 * UTC: the legal desk that receives, reviews and answers demands works on Central time
 * (the policy's business hours and the look-up portal's daily quota are Central days), and
 * an agency writing "10/31/2026" means that calendar day, not a day that ends at 7 pm
 * Central. UTC days would release an evening's calls the demand did not name and withhold
 * the last evening it did. The interval is half-open: [00:00 Central on date_from,
 * 00:00 Central on the day after date_to), daylight saving applied; the same reading as
 * preservation holds (engine/time/central-days.ts).
 */
export const SCOPE_TIME_ZONE = CENTRAL_ZONE;

/** [from, to) instants of the Central days fromDay..toDay (inclusive, YYYY-MM-DD). */
export const centralInterval = (fromDay: string, toDay: string): { from: string; to: string } => {
  const r = centralDayRange(fromDay, toDay);
  return { from: r.starts_at, to: r.ends_at };
};

/** A demand number XXX-XXX-XXXX in E.164, +1XXXXXXXXXX (DESIGN.md "Canonical CDR"). */
export const demandNumberToE164 = (n: string): string => {
  const e = toE164(n);
  if (!e) throw thError('TH_BAD_REQUEST', `${n} is not a NANP number`);
  return e;
};

export interface DemandScope {
  readonly id: string;
  /** XXX-XXX-XXXX, as the demand lists them */
  readonly target_numbers: readonly string[];
  /** YYYY-MM-DD, as the demand store keeps them */
  readonly date_from: string;
  readonly date_to: string;
}

type Narrowing = Pick<ExportRequest, 'numbers' | 'date_from' | 'date_to' | 'columns'>;

/** The demand's scope narrowed by the request; any widening is TH_EXPORT_SCOPE naming what lies outside. */
export function resolveScope(demand: DemandScope, req: Narrowing): ExportScope {
  const allowed = new Set(demand.target_numbers.map(demandNumberToE164));
  const asked = req.numbers ? [...new Set(req.numbers)] : null;
  const outside = (asked ?? []).filter((n) => !allowed.has(demandNumberToE164(n)));
  const from = req.date_from ? usToIso(req.date_from) : demand.date_from;
  const to = req.date_to ? usToIso(req.date_to) : demand.date_to;
  const details: Record<string, unknown>[] = [];
  if (outside.length > 0) details.push({ path: 'numbers', outside, message: `not among demand ${demand.id}'s target numbers` });
  if (from < demand.date_from) details.push({ path: 'date_from', value: req.date_from, demand_date_from: isoToUs(demand.date_from), message: 'before the demand\'s first day' });
  if (to > demand.date_to) details.push({ path: 'date_to', value: req.date_to, demand_date_to: isoToUs(demand.date_to), message: 'after the demand\'s last day' });
  if (from > to) details.push({ path: 'date_from', value: isoToUs(from), date_to: isoToUs(to), message: 'the narrowed range is empty' });
  if (details.length > 0) {
    const what = [outside.length > 0 ? `numbers ${outside.join(', ')}` : '', details.some((d) => d['path'] !== 'numbers') ? `dates ${isoToUs(from)}-${isoToUs(to)}` : ''].filter(Boolean).join(' and ');
    throw thError('TH_EXPORT_SCOPE', `${what} lie outside demand ${demand.id} (${demand.target_numbers.length} numbers, ${isoToUs(demand.date_from)}-${isoToUs(demand.date_to)}): an export may narrow its demand, never widen it`, { details });
  }
  const numbers = asked ? asked.map(demandNumberToE164) : [...allowed];
  const columns = req.columns ? RELEASED_COLUMNS.filter((c) => req.columns!.includes(c)) : [...RELEASED_COLUMNS];
  return { numbers: [...new Set(numbers)].sort(), date_from: isoToUs(from), date_to: isoToUs(to), time_zone: SCOPE_TIME_ZONE, ...centralInterval(from, to), columns };
}

/** UTC days whose files can hold calls of the scope (catalog files are keyed by UTC day). */
export const scopeUtcDays = (s: Pick<ExportScope, 'from' | 'to'>): { fromDay: string; toDay: string } => ({
  fromDay: s.from.slice(0, 10),
  toDay: new Date(Date.parse(s.to) - 1).toISOString().slice(0, 10),
});
