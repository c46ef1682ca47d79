import { instantsOf } from './wall-time.ts';

/**
 * Whole calendar days in US Central time, the carrier's business time zone: its policy's
 * business hours, the look-up quota's day, and the dates of a legal demand (MM/DD/YYYY,
 * "10/31/2026" means that Central day, not a UTC day that ends at 7 pm Central). Used by
 * preservation holds and exports alike, so both read a demand's dates the same way.
 */
export const CENTRAL_ZONE = 'America/Chicago';

/** The instant 00:00 Central on `day` (YYYY-MM-DD); midnight exists every US day (DST shifts at 02:00). */
export function centralMidnight(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const at = instantsOf({ year: y, month: m, day: d, hour: 0, minute: 0, second: 0 }, CENTRAL_ZONE)[0];
  if (at === undefined) throw new Error(`no midnight on ${day} in ${CENTRAL_ZONE}`);
  return new Date(at);
}

/** The calendar day after YYYY-MM-DD. */
export const nextDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** [00:00 Central on fromDay, 00:00 Central the day after toDay), as ISO instants. */
export const centralDayRange = (fromDay: string, toDay: string): { starts_at: string; ends_at: string } => ({
  starts_at: centralMidnight(fromDay).toISOString(),
  ends_at: centralMidnight(nextDay(toDay)).toISOString(),
});

/** MM/DD/YYYY (a demand's dates) <-> YYYY-MM-DD. */
export const usDateToIso = (d: string): string => `${d.slice(6, 10)}-${d.slice(0, 2)}-${d.slice(3, 5)}`;
export const isoDateToUs = (d: string): string => `${d.slice(5, 7)}/${d.slice(8, 10)}/${d.slice(0, 4)}`;
