/**
 * Wall-clock time in a zone -> the instants it names. Usually one; none in the spring
 * gap (02:30 on the second Sunday of March does not exist in US zones); two in the
 * hour that repeats on the first Sunday of November (01:30 ET is both EDT and EST), and
 * a trace-back must then search both.
 */
export interface WallTime {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const fmtCache = new Map<string, Intl.DateTimeFormat>();
const fmt = (zone: string): Intl.DateTimeFormat => {
  let f = fmtCache.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    fmtCache.set(zone, f);
  }
  return f;
};

/** The wall time in `zone` at instant `ms`. */
export function wallAt(ms: number, zone: string): WallTime {
  const parts = Object.fromEntries(fmt(zone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return {
    year: Number(parts['year']),
    month: Number(parts['month']),
    day: Number(parts['day']),
    hour: Number(parts['hour']),
    minute: Number(parts['minute']),
    second: Number(parts['second']),
  };
}

const asUtc = (w: WallTime): number => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
const same = (a: WallTime, b: WallTime): boolean =>
  a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute && a.second === b.second;

/** All instants (ms, ascending) at which the clock in `zone` reads `w`. */
export function instantsOf(w: WallTime, zone: string): number[] {
  const guess = asUtc(w);
  const out = new Set<number>();
  // The zone's offset is at most ±14 h and changes at most once a day around here:
  // try the offsets in force a day before and a day after.
  for (const probe of [guess - 86_400_000, guess - 3_600_000 * 3, guess, guess + 3_600_000 * 3, guess + 86_400_000]) {
    const off = asUtc(wallAt(probe, zone)) - Math.floor(probe / 1000) * 1000;
    const candidate = guess - off;
    if (same(wallAt(candidate, zone), w)) out.add(candidate);
  }
  return [...out].sort((a, b) => a - b);
}
