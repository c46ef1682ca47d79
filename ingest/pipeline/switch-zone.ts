import { thError } from '../../engine/errors.ts';

/**
 * The zone a switch logs local time in (`--tz`). US abbreviations name the zone, not a
 * fixed offset: `ET` is America/New_York with daylight saving applied by date.
 */
const ALIASES: Record<string, string> = {
  ET: 'America/New_York',
  EST: 'America/New_York',
  EDT: 'America/New_York',
  CT: 'America/Chicago',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  MT: 'America/Denver',
  MST: 'America/Denver',
  MDT: 'America/Denver',
  PT: 'America/Los_Angeles',
  PST: 'America/Los_Angeles',
  PDT: 'America/Los_Angeles',
  AKT: 'America/Anchorage',
  HT: 'Pacific/Honolulu',
  UTC: 'UTC',
  Z: 'UTC',
  GMT: 'UTC',
};

export function resolveSwitchZone(tz: string): string {
  const zone = ALIASES[tz.trim().toUpperCase()] ?? tz.trim();
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch (e) {
    throw thError('TH_USAGE', `--tz '${tz}' is not a time zone (use an IANA name like America/Chicago, or ET, CT, MT, PT, UTC)`, { cause: e });
  }
  return zone;
}
