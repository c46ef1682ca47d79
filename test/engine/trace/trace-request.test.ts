import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseTraceRequest } from '../../../engine/trace/trace-request.ts';
import { instantsOf } from '../../../engine/time/wall-time.ts';

const ok = (raw: unknown) => {
  const p = parseTraceRequest(raw);
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  return p.request;
};

describe('parseTraceRequest', () => {
  it('reads the traceback group’s form: 11/02/2026 12:23 pm ET, 45 seconds', () => {
    const r = ok({ calling: '212-555-1234', called: '312-555-5678', date: '11/02/2026', time: '12:23 pm', tz: 'ET', duration_s: 45 });
    expect(r).toMatchObject({ calling: '+12125551234', called: '+13125555678', precision: 'minute', duration_s: 45 });
    // 12:23 EST (UTC-5, after the 1 November change) = 17:23Z; any second of that minute
    expect(r.windows).toEqual([{ from: Date.parse('2026-11-02T17:23:00Z'), to: Date.parse('2026-11-02T17:24:00Z') }]);
  });

  it('applies daylight saving by date, and reads seconds as second precision', () => {
    const summer = ok({ calling: '2125551234', called: '3125555678', date: '07/04/2026', time: '12:23:41 pm', tz: 'CT' });
    expect(summer.precision).toBe('second');
    expect(summer.windows[0]!.from).toBe(Date.parse('2026-07-04T17:23:41Z')); // CDT = UTC-5
    expect(ok({ calling: '2125551234', called: '3125555678', date: '12/04/2026', time: '00:05', tz: 'America/Los_Angeles' }).windows[0]!.from).toBe(Date.parse('2026-12-04T08:05:00Z'));
  });

  it('gives both instants of the repeated November hour and refuses the skipped March hour', () => {
    expect(ok({ calling: '2125551234', called: '3125555678', date: '11/01/2026', time: '1:30 am', tz: 'ET' }).windows.map((w) => new Date(w.from).toISOString())).toEqual([
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T06:30:00.000Z',
    ]);
    const gap = parseTraceRequest({ calling: '2125551234', called: '3125555678', date: '03/08/2026', time: '2:30 am', tz: 'ET' });
    expect(gap.ok).toBe(false);
    expect(!gap.ok && gap.errors[0]!.message).toMatch(/does not exist/);
  });

  it('names every field at fault', () => {
    const p = parseTraceRequest({ id: 'r9', calling: '555-1234', called: '1-800-FLOWERS', date: '02/30/2026', time: '25:00', tz: 'Mars/Olympus', duration_s: -3, origid: 'nope' });
    expect(p.ok).toBe(false);
    expect(!p.ok && p.id).toBe('r9');
    expect(!p.ok && p.errors.map((e) => e.path).sort()).toEqual(['called', 'calling', 'date', 'duration_s', 'origid', 'time', 'tz']);
    expect(parseTraceRequest({ calling: '2125551234', called: '3125555678', at: '2026-11-02T12:23:41' }).ok).toBe(false); // no offset: ambiguous
  });

  it('never throws, whatever it is given (property)', () => {
    fc.assert(
      fc.property(fc.anything(), (raw) => {
        const p = parseTraceRequest(raw);
        expect(typeof p.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.record({ calling: fc.string(), called: fc.string(), date: fc.string(), time: fc.string(), tz: fc.string(), at: fc.string(), duration_s: fc.string() }, { requiredKeys: [] }), (raw) => {
        parseTraceRequest(raw);
      }),
      { numRuns: 2000 },
    );
  });

  it('maps any ISO instant back to a window holding it, at any offset (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2020-01-01'), max: Date.parse('2030-01-01') }), fc.integer({ min: -12 * 60, max: 14 * 60 }), (ms, offMin) => {
        const t = Math.floor(ms / 1000) * 1000;
        const local = new Date(t + offMin * 60_000).toISOString().slice(0, 19);
        const sign = offMin < 0 ? '-' : '+';
        const a = Math.abs(offMin);
        const at = `${local}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
        const r = ok({ calling: '2125551234', called: '3125555678', at });
        expect(r.windows).toEqual([{ from: t, to: t + 1000 }]);
      }),
      { numRuns: 500 },
    );
  });

  it('finds the instant of any wall time in a US zone, round trip (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2020-01-01'), max: Date.parse('2030-01-01') }), fc.constantFrom('America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles'), (ms, zone) => {
        const t = Math.floor(ms / 1000) * 1000;
        const p = Object.fromEntries(
          new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
            .formatToParts(new Date(t))
            .map((x) => [x.type, Number(x.value)]),
        ) as Record<string, number>;
        const instants = instantsOf({ year: p['year']!, month: p['month']!, day: p['day']!, hour: p['hour']!, minute: p['minute']!, second: p['second']! }, zone);
        expect(instants).toContain(t);
      }),
      { numRuns: 500 },
    );
  });
});
