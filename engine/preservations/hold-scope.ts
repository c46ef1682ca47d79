import { instantsOf } from '../time/wall-time.ts';

/**
 * What a preservation hold freezes: records touching any of its numbers (as calling,
 * called or P-Asserted-Identity number) whose call started inside [starts_at, ends_at).
 * A demand's dates are whole days in the carrier's business time zone (US Central, as
 * its policy states business hours), so the instants are Central midnights: a call at
 * 23:30 CT on the last day is held although its UTC day is the next one.
 */
export interface HoldScope {
  readonly id: string;
  /** E.164 */
  readonly numbers: readonly string[];
  /** ISO instant, inclusive */
  readonly starts_at: string;
  /** ISO instant, exclusive */
  readonly ends_at: string;
}

export const CENTRAL = 'America/Chicago';

/** The instant a Central calendar day (YYYY-MM-DD) begins (midnight always exists: US DST shifts at 02:00). */
export function centralMidnight(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const at = instantsOf({ year: y, month: m, day: d, hour: 0, minute: 0, second: 0 }, CENTRAL)[0];
  if (at === undefined) throw new Error(`no Central midnight on ${day}`);
  return new Date(at);
}

/** The day after YYYY-MM-DD. */
export const nextDay = (day: string): string => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
};

/** [from 00:00 CT, the day after `to` 00:00 CT) for Central days from..to. */
export const centralDayRange = (from: string, to: string): { starts_at: string; ends_at: string } => ({
  starts_at: centralMidnight(from).toISOString(),
  ends_at: centralMidnight(nextDay(to)).toISOString(),
});
