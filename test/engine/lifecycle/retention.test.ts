import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLifecycle } from '../../../engine/lifecycle/lifecycle-run.ts';
import { extendPreservation, releasePreservation } from '../../../engine/preservations/preservation-service.ts';
import { withState } from '../../../engine/state/state-store.ts';
import { readCatalog } from '../../../engine/storage/catalog.ts';
import { dataLayout } from '../../../engine/storage/layout.ts';
import { tempDir } from '../../support/cdr-fixtures.ts';
import { callKey, heldBy, ingestCorpus, LEGAL, placeHold, tierCounts, visibleCalls } from '../../support/lifecycle-fixtures.ts';

const run = (data: string, now: string, config = {}) => withState(dataLayout(data), (state) => runLifecycle(dataLayout(data), state, { now: new Date(now), trigger: 'test', config: { retireGraceMs: 0, ...config } }));

/** The five-day corpus ingested; with `cold`, already tiered (a run on 2026-03-31). */
async function corpus(opts: { cold: boolean }) {
  const dir = tempDir('ret-');
  const data = path.join(dir, 'data');
  const rows = await ingestCorpus(dir, data);
  if (opts.cold) await run(data, '2026-03-31T00:00:00Z');
  return { data, rows };
}

describe('retention of the cold archive (47 CFR 42.6, 18 months by default)', () => {
  it('keeps a day through month 18 and deletes it in month 19', async () => {
    const { data, rows } = await corpus({ cold: true });
    // 2026-01-10 + 18 months = 2027-07-10: still kept that day
    expect((await run(data, '2027-07-10T12:00:00Z')).retained).toEqual([]);
    const r = await run(data, '2027-07-11T12:00:00Z');
    expect(r.retained).toEqual([expect.objectContaining({ action: 'deleted', rows_deleted: 240, rows_held: 0 })]);
    expect(readCatalog(dataLayout(data)).files.some((f) => f.min_day === '2026-01-10')).toBe(false);
    expect(tierCounts(data).cold).toBe(rows.length - 240);
    const all = await run(data, '2027-08-15T00:00:00Z');
    expect(all.retained.map((x) => x.action)).toEqual(['deleted', 'deleted', 'deleted', 'deleted']);
    expect(await visibleCalls(data)).toEqual([]);
  }, 60_000);

  it('honours a configured retention period', async () => {
    const { data } = await corpus({ cold: false });
    const r = await run(data, '2026-12-01T00:00:00Z', { retentionMonths: 10 });
    expect(r.tiered).toHaveLength(5);
    expect(r.retained.map((x) => x.action)).toEqual(['deleted', 'deleted', 'deleted', 'deleted', 'deleted']);
  }, 60_000);

  it('never deletes a row a preservation hold covers, and deletes exactly the rest', async () => {
    const { data, rows } = await corpus({ cold: true });
    const hold = await placeHold(data, ['212-555-1003', '312-555-2005'], '01/11/2026', '01/12/2026', new Date('2027-06-20T15:00:00Z'));
    expect(hold.expires_at).toBe('2027-09-18T15:00:00.000Z'); // 90 days
    // what the hold covers, computed from the input rows: calls started from 01/11/2026 00:00 CT to 01/13/2026 00:00 CT
    const held = heldBy(rows, ['+12125551003', '+13125552005'], '01/11/2026', '01/12/2026');
    expect(held.length).toBeGreaterThan(20);
    expect(held.some((r) => r.start_time!.startsWith('2026-01-13'))).toBe(true); // Central evening of the 12th
    const r = await run(data, '2027-08-15T00:00:00Z');
    expect(r.retained.reduce((a, x) => a + x.rows_held, 0)).toBe(held.length);
    expect(r.retained.filter((x) => x.rows_held > 0).every((x) => x.holds?.includes(hold.id))).toBe(true);
    expect(await visibleCalls(data)).toEqual(held.map(callKey).sort());
    // the run is in the audit log with what it deleted and what the hold kept
    const { queryAudit } = await import('../../../engine/audit/audit-log.ts');
    const entries = await withState(dataLayout(data), (state) => queryAudit(state, { actor: 'tracehop-lifecycle' }));
    expect(entries[0]).toMatchObject({ action: 'lifecycle_run', resource: 'cdr', outcome: 'ok', detail: { rows_kept_by_holds: held.length, rows_deleted: rows.length - held.length, holds: [hold.id] } });
    // a later run changes nothing while the hold lasts
    const again = await run(data, '2027-09-01T00:00:00Z');
    expect(again.retained.every((x) => x.action === 'kept_by_hold')).toBe(true);
    expect(await visibleCalls(data)).toEqual(held.map(callKey).sort());
    // the hold expires on 2027-09-18: the next run deletes what it kept
    await run(data, '2027-09-19T00:00:00Z');
    expect(await visibleCalls(data)).toEqual([]);
  }, 90_000);

  it('keeps held rows through one 90-day extension, and stops at a release', async () => {
    const { data, rows } = await corpus({ cold: true });
    const hold = await placeHold(data, ['212-555-1000'], '01/10/2026', '01/14/2026', new Date('2027-06-20T15:00:00Z'));
    await withState(dataLayout(data), async (state) => {
      const ext = await extendPreservation(state, hold.id, LEGAL, new Date('2027-09-01T00:00:00Z'));
      expect(ext.expires_at).toBe('2027-12-17T15:00:00.000Z');
      await expect(extendPreservation(state, hold.id, LEGAL, new Date('2027-09-02T00:00:00Z'))).rejects.toMatchObject({ code: 'TH_PRESERVATION_EXTENDED' });
    });
    await run(data, '2027-11-01T00:00:00Z');
    // calling +12125551000 is every 12th row; the first hours of 01/10 UTC are 01/09 in Central time
    const expected = heldBy(rows, ['+12125551000'], '01/10/2026', '01/14/2026').map(callKey).sort();
    expect(expected.length).toBe(95);
    expect(await visibleCalls(data)).toEqual(expected);
    await withState(dataLayout(data), (state) => releasePreservation(state, hold.id, LEGAL, new Date('2027-11-02T00:00:00Z'), 'grand jury subpoena served; records produced'));
    await run(data, '2027-11-03T00:00:00Z');
    expect(await visibleCalls(data)).toEqual([]);
  }, 90_000);

  it('reminds the legal team once when a hold nears its end', async () => {
    const { data } = await corpus({ cold: false });
    const hold = await placeHold(data, ['212-555-1000'], '01/10/2026', '01/14/2026', new Date('2026-02-01T15:00:00Z'));
    expect((await run(data, '2026-04-01T00:00:00Z')).reminders).toEqual([]);
    expect((await run(data, '2026-04-20T00:00:00Z')).reminders.map((h) => h.id)).toEqual([hold.id]);
    expect((await run(data, '2026-04-21T00:00:00Z')).reminders).toEqual([]);
  }, 60_000);
});
