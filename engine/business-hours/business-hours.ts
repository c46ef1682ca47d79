import { instantsOf, wallAt } from '../time/wall-time.ts';

/**
 * Business time of the carrier's legal desk: Monday-Friday 8:00-17:00 Central (America/
 * Chicago), US federal holidays excluded (5 U.S.C. 6103: observed on the Friday before a
 * Saturday holiday and the Monday after a Sunday one).
 */
const ZONE = 'America/Chicago';
const OPEN = 8;
const CLOSE = 17;

const nthWeekday = (y: number, m: number, weekday: number, n: number): number => {
  const first = new Date(Date.UTC(y, m - 1, 1)).getUTCDay();
  return 1 + ((weekday - first + 7) % 7) + (n - 1) * 7;
};
const lastWeekday = (y: number, m: number, weekday: number): number => {
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const last = new Date(Date.UTC(y, m - 1, days)).getUTCDay();
  return days - ((last - weekday + 7) % 7);
};
const iso = (y: number, m: number, d: number): string => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);
const observed = (y: number, m: number, d: number): string => {
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return wd === 6 ? iso(y, m, d - 1) : wd === 0 ? iso(y, m, d + 1) : iso(y, m, d);
};

const cache = new Map<number, Set<string>>();
export function federalHolidays(year: number): Set<string> {
  let s = cache.get(year);
  if (!s) {
    s = new Set([
      observed(year, 1, 1),
      iso(year, 1, nthWeekday(year, 1, 1, 3)), // Martin Luther King Jr. Day
      iso(year, 2, nthWeekday(year, 2, 1, 3)), // Washington's Birthday
      iso(year, 5, lastWeekday(year, 5, 1)), // Memorial Day
      observed(year, 6, 19), // Juneteenth
      observed(year, 7, 4),
      iso(year, 9, nthWeekday(year, 9, 1, 1)), // Labor Day
      iso(year, 10, nthWeekday(year, 10, 1, 2)), // Columbus Day
      observed(year, 11, 11), // Veterans Day
      iso(year, 11, nthWeekday(year, 11, 4, 4)), // Thanksgiving
      observed(year, 12, 25),
      observed(year + 1, 1, 1), // New Year's Day of next year observed on Dec 31
    ]);
    cache.set(year, s);
  }
  return s;
}

/** The Central calendar day of an instant, YYYY-MM-DD. */
export const centralDay = (d: Date): string => {
  const w = wallAt(d.getTime(), ZONE);
  return iso(w.year, w.month, w.day);
};

export function isBusinessDay(day: string): boolean {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return wd !== 0 && wd !== 6 && !federalHolidays(y).has(day);
}

export function isBusinessTime(d: Date): boolean {
  const w = wallAt(d.getTime(), ZONE);
  return isBusinessDay(iso(w.year, w.month, w.day)) && w.hour >= OPEN && w.hour < CLOSE;
}

const at = (day: string, hour: number): number => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return instantsOf({ year: y, month: m, day: d, hour, minute: 0, second: 0 }, ZONE)[0]!;
};
const nextDay = (day: string): string => new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** `hours` business hours after `from` (work starts at the next opening when outside hours). */
export function addBusinessHours(from: Date, hours: number): Date {
  let remaining = hours * 3_600_000;
  let day = centralDay(from);
  let cursor = from.getTime();
  for (let guard = 0; guard < 3660; guard++) {
    if (isBusinessDay(day)) {
      const open = at(day, OPEN);
      const close = at(day, CLOSE);
      const start = Math.max(cursor, open);
      if (start < close) {
        if (start + remaining <= close) return new Date(start + remaining);
        remaining -= close - start;
      }
    }
    day = nextDay(day);
    cursor = at(day, 0);
  }
  throw new Error('addBusinessHours: no business time within ten years');
}

/** The end of the `days`-th business day after `from` (17:00 Central). */
export function addBusinessDays(from: Date, days: number): Date {
  let day = centralDay(from);
  let n = 0;
  while (n < days) {
    day = nextDay(day);
    if (isBusinessDay(day)) n++;
  }
  return new Date(at(day, CLOSE));
}
