import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { instantsOf, wallAt } from '../../../engine/time/wall-time.ts';
import { resolveZone } from '../../../engine/time/zone-name.ts';

const w = (year: number, month: number, day: number, hour: number, minute = 0, second = 0) => ({ year, month, day, hour, minute, second });

describe('wall time in a zone', () => {
  it('names two instants for 01:30 ET on the first Sunday of November 2026 (EDT, then EST an hour later)', () => {
    expect(instantsOf(w(2026, 11, 1, 1, 30), 'America/New_York').map((ms) => new Date(ms).toISOString())).toEqual([
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T06:30:00.000Z',
    ]);
  });

  it('names no instant for 02:30 CT on the second Sunday of March 2026 (the skipped hour)', () => {
    expect(instantsOf(w(2026, 3, 8, 2, 30), 'America/Chicago')).toEqual([]);
  });

  it('applies daylight saving by date: 12:23 PT is UTC-7 in July and UTC-8 in January', () => {
    expect(instantsOf(w(2026, 7, 15, 12, 23), 'America/Los_Angeles')).toEqual([Date.UTC(2026, 6, 15, 19, 23)]);
    expect(instantsOf(w(2026, 1, 15, 12, 23), 'America/Los_Angeles')).toEqual([Date.UTC(2026, 0, 15, 20, 23)]);
  });

  it('reads back, for any instant and US zone, a wall time whose instants include it (property)', () => {
    const zones = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'UTC'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1) / 1000, max: Date.UTC(2030, 0, 1) / 1000 }),
        fc.constantFrom(...zones),
        (sec, zone) => {
          const ms = sec * 1000;
          expect(instantsOf(wallAt(ms, zone), zone)).toContain(ms);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('zone names', () => {
  it('maps the US abbreviations to zones with daylight saving, not fixed offsets', () => {
    expect(resolveZone('ET')).toBe('America/New_York');
    expect(resolveZone('ct')).toBe('America/Chicago');
    expect(resolveZone('MT')).toBe('America/Denver');
    expect(resolveZone('PT')).toBe('America/Los_Angeles');
    expect(resolveZone('UTC')).toBe('UTC');
    expect(resolveZone('America/Phoenix')).toBe('America/Phoenix');
  });

  it('refuses a name that is not a zone with TH_USAGE', () => {
    expect(() => resolveZone('Mars/Olympus')).toThrow(expect.objectContaining({ code: 'TH_USAGE' }));
  });
});
