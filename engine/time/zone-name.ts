import { thError } from '../errors.ts';

/**
 * Zones as trace-back requests and switch configs write them. US abbreviations name the
 * zone, not a fixed offset: `ET` is America/New_York with daylight saving by date
 * (the industry traceback group writes "ET" all year).
 */
const ALIASES: Record<string, string> = {
  ET: 'America/New_York',
  EST: 'America/New_York',
  EDT: 'America/New_York',
  EASTERN: 'America/New_York',
  CT: 'America/Chicago',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  CENTRAL: 'America/Chicago',
  MT: 'America/Denver',
  MST: 'America/Denver',
  MDT: 'America/Denver',
  MOUNTAIN: 'America/Denver',
  PT: 'America/Los_Angeles',
  PST: 'America/Los_Angeles',
  PDT: 'America/Los_Angeles',
  PACIFIC: 'America/Los_Angeles',
  AKT: 'America/Anchorage',
  HT: 'Pacific/Honolulu',
  UTC: 'UTC',
  GMT: 'UTC',
  Z: 'UTC',
};

export function resolveZone(name: string): string {
  const zone = ALIASES[name.trim().toUpperCase()] ?? name.trim();
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch (e) {
    throw thError('TH_USAGE', `'${name}' is not a time zone (use ET, CT, MT, PT, UTC or an IANA name like America/Chicago)`, { cause: e });
  }
  return zone;
}
