import { cpSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { runLifecycle } from '../../../engine/lifecycle/lifecycle-run.ts';
import { withState } from '../../../engine/state/state-store.ts';
import { readCatalog } from '../../../engine/storage/catalog.ts';
import { acquireLock } from '../../../engine/storage/file-lock.ts';
import { dataLayout } from '../../../engine/storage/layout.ts';
import { tempDir } from '../../support/cdr-fixtures.ts';
import { callKey, heldBy, ingestCorpus, placeHold, tierCounts, visibleCalls } from '../../support/lifecycle-fixtures.ts';
import { runCli, spawnCli } from '../../support/run-cli.ts';

/**
 * Issue 7: "A crash at any point loses nothing and leaves no row visible twice (test it
 * with SIGKILL at random points, as the ingest does)". Each case copies one prepared data
 * directory, kills `tracehop lifecycle run` (at a named point in the code via
 * TRACEHOP_CRASH_AT, or after a random delay), checks what a reader sees, re-runs, and
 * checks the end state.
 */
let base = '';
let allKeys: string[] = [];
let heldKeys: string[] = [];
const TIER_NOW = '2026-03-31T00:00:00Z';
const RETAIN_NOW = '2027-08-15T00:00:00Z';
const env = { TRACEHOP_HOT_DAYS: '45' };

beforeAll(async () => {
  const dir = tempDir('lc-crash-');
  base = path.join(dir, 'base');
  const rows = await ingestCorpus(dir, base);
  allKeys = rows.map(callKey).sort();
  await placeHold(base, ['212-555-1003'], '01/11/2026', '01/12/2026', new Date('2027-06-20T15:00:00Z'));
  heldKeys = heldBy(rows, ['+12125551003'], '01/11/2026', '01/12/2026').map(callKey).sort();
  expect(heldKeys.length).toBeGreaterThan(10);
}, 60_000);

let n = 0;
const copyOf = (from: string): string => {
  const to = path.join(path.dirname(base), `case-${(n += 1)}`);
  cpSync(from, to, { recursive: true });
  return to;
};

/** The files under cdr/cold and cdr/hot are exactly the catalog's live and retired ones. */
function noOrphans(data: string): void {
  const layout = dataLayout(data);
  const cat = readCatalog(layout);
  const known = new Set([...cat.files.map((f) => f.path), ...cat.retired.map((r) => r.path)]);
  for (const tier of ['hot', 'cold']) {
    const dir = path.join(layout.cdrDir, tier);
    if (!existsSync(dir)) continue;
    for (const part of readdirSync(dir)) for (const f of readdirSync(path.join(dir, part))) expect(known.has(path.join(tier, part, f)), `orphan ${tier}/${part}/${f}`).toBe(true);
  }
}

const killedAt = async (data: string, now: string, point: string) => {
  const r = await runCli(['lifecycle', 'run', '--data', data, '--now', now], { ...env, TRACEHOP_CRASH_AT: point });
  expect(r.signal, `${point}: ${r.stderr}`).toBe('SIGKILL');
};

describe('a lifecycle run killed with SIGKILL', () => {
  it.each(['run:purged', 'tier:written', 'tier:published', 'tier:swapped', 'run:tiered'])('at %s loses no row, shows none twice, and a re-run finishes the tiering', async (point) => {
    const data = copyOf(base);
    await killedAt(data, TIER_NOW, point);
    expect(await visibleCalls(data)).toEqual(allKeys);
    const c = tierCounts(data);
    expect(c.hot + c.cold).toBe(allKeys.length);
    // the lock file of the dead run is stale: the re-run takes it over without waiting
    const rerun = await runCli(['lifecycle', 'run', '--data', data, '--now', TIER_NOW], env);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect((rerun.json as any).run.interrupted_runs).toHaveLength(1);
    expect(tierCounts(data)).toEqual({ hot: 0, cold: allKeys.length });
    expect(await visibleCalls(data)).toEqual(allKeys);
    noOrphans(data);
  }, 60_000);

  it.each(['retention:published', 'retention:swapped'])('at %s deletes no held row, shows none twice, and a re-run finishes retention', async (point) => {
    const cold = copyOf(base);
    expect((await runCli(['lifecycle', 'run', '--data', cold, '--now', TIER_NOW], env)).code).toBe(0);
    const data = copyOf(cold);
    await killedAt(data, RETAIN_NOW, point);
    const seen = await visibleCalls(data);
    expect(seen).toEqual(expect.arrayContaining(heldKeys));
    expect(allKeys).toEqual(expect.arrayContaining(seen));
    expect((await runCli(['lifecycle', 'run', '--data', data, '--now', RETAIN_NOW], env)).code).toBe(0);
    expect(await visibleCalls(data)).toEqual(heldKeys);
    noOrphans(data);
  }, 60_000);

  it('at random moments of a run that tiers and then applies retention keeps the same guarantees', async () => {
    const delays = fc.sample(fc.integer({ min: 600, max: 3500 }), { numRuns: 5, seed: 11 });
    for (const delay of delays) {
      const data = copyOf(base);
      const child = spawnCli(['lifecycle', 'run', '--data', data, '--now', RETAIN_NOW], env);
      const closed = new Promise((r) => child.on('close', r));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await closed;
      const seen = await visibleCalls(data);
      expect(seen).toEqual(expect.arrayContaining(heldKeys));
      expect(allKeys).toEqual(expect.arrayContaining(seen));
      const rerun = await runCli(['lifecycle', 'run', '--data', data, '--now', RETAIN_NOW], env);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(await visibleCalls(data)).toEqual(heldKeys);
      noOrphans(data);
    }
  }, 180_000);

  it('never runs twice at once: a second run while the lock is held is refused', async () => {
    const data = copyOf(base);
    const lock = await acquireLock(dataLayout(data).locksDir, 'lifecycle');
    try {
      await expect(withState(dataLayout(data), (state) => runLifecycle(dataLayout(data), state, { now: new Date(TIER_NOW) }))).rejects.toMatchObject({ code: 'TH_STORAGE_LOCKED' });
    } finally {
      lock.release();
    }
    // a lock left by a process that no longer exists is taken over
    writeFileSync(path.join(dataLayout(data).locksDir, 'lifecycle.lock'), '999999');
    const r = await withState(dataLayout(data), (state) => runLifecycle(dataLayout(data), state, { now: new Date(TIER_NOW) }));
    expect(r.status).toBe('done');
  }, 60_000);
});
