import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { all, withDuck } from '../../../engine/db/duckdb.ts';
import { runLifecycle } from '../../../engine/lifecycle/lifecycle-run.ts';
import { withState } from '../../../engine/state/state-store.ts';
import { readCatalog } from '../../../engine/storage/catalog.ts';
import { dataLayout } from '../../../engine/storage/layout.ts';
import { openTraceEngine } from '../../../engine/trace/trace-engine.ts';
import { storedRows, tempDir } from '../../support/cdr-fixtures.ts';
import { CORPUS_DAYS, ingestCorpus, ROWS_PER_DAY, tierCounts, visibleCalls } from '../../support/lifecycle-fixtures.ts';
import { runCli } from '../../support/run-cli.ts';
import { existsSync } from 'node:fs';

const run = (data: string, now: string, config = {}) => withState(dataLayout(data), (state) => runLifecycle(dataLayout(data), state, { now: new Date(now), trigger: 'test', config: { retireGraceMs: 0, ...config } }));

describe('hot-to-cold tiering', () => {
  it('keeps a day hot on day 45 and moves it to cold/month=YYYY-MM on day 46, verified', async () => {
    const dir = tempDir('tier-');
    const data = path.join(dir, 'data');
    const rows = await ingestCorpus(dir, data);
    const before = await storedRows(data);
    // 2026-01-10 + 45 days = 2026-02-24: still inside the hot window
    expect((await run(data, '2026-02-24T12:00:00Z')).tiered).toEqual([]);
    const r = await run(data, '2026-02-25T00:30:00Z');
    expect(r.status).toBe('done');
    expect(r.tiered.map((t) => t.day)).toEqual(['2026-01-10']);
    expect(r.tiered[0]!.hot_files).toHaveLength(2);
    expect(r.tiered[0]!.rows).toBe(ROWS_PER_DAY);
    expect(r.tiered[0]!.cold_file).toMatch(/^cold\/month=2026-01\/t[0-9a-f]{16}-2026-01-10\.parquet$/);
    const cat = readCatalog(dataLayout(data));
    expect(cat.files.filter((f) => f.tier === 'hot' && f.min_day === '2026-01-10')).toEqual([]);
    expect(tierCounts(data)).toEqual({ hot: rows.length - ROWS_PER_DAY, cold: ROWS_PER_DAY });
    // every row, every column, unchanged
    expect(await storedRows(data)).toEqual(before);
    // the hot copies are retired, not deleted at once (a reader may hold the old catalog);
    // the next run deletes them once the grace period (0 here) is over
    for (const f of r.tiered[0]!.hot_files) expect(existsSync(path.join(data, 'cdr', f))).toBe(true);
    expect((await run(data, '2026-02-25T00:30:00Z')).purged.sort()).toEqual([...r.tiered[0]!.hot_files].sort());
    for (const f of r.tiered[0]!.hot_files) expect(existsSync(path.join(data, 'cdr', f))).toBe(false);
    expect(await storedRows(data)).toEqual(before);
    const codecs = await withDuck({}, (con) => all<{ c: string }>(con, `SELECT DISTINCT compression AS c FROM parquet_metadata($f)`, { f: path.join(data, 'cdr', r.tiered[0]!.cold_file) }));
    expect(codecs.map((c) => c.c)).toEqual(['ZSTD']);
  }, 60_000);

  it('moves every old day, and count before = hot + cold after; a re-run moves nothing', async () => {
    const dir = tempDir('tier-');
    const data = path.join(dir, 'data');
    const rows = await ingestCorpus(dir, data);
    const keys = await visibleCalls(data);
    const r = await run(data, '2026-03-31T00:00:00Z');
    expect(r.tiered.map((t) => t.day)).toEqual(CORPUS_DAYS);
    const c = tierCounts(data);
    expect(c.hot + c.cold).toBe(rows.length);
    expect(c).toEqual({ hot: 0, cold: rows.length });
    expect(await visibleCalls(data)).toEqual(keys);
    const again = await run(data, '2026-03-31T00:00:00Z');
    expect(again.tiered).toEqual([]);
    expect(again.retained).toEqual([]);
    expect(await visibleCalls(data)).toEqual(keys);
  }, 60_000);

  it('leaves trace-back answering from cold data the same as from hot, where an archive retrieval allows it', async () => {
    const dir = tempDir('tier-');
    const data = path.join(dir, 'data');
    const rows = await ingestCorpus(dir, data);
    const call = rows[300]!; // 2026-01-11
    const req = { calling: call.calling_number, called: call.called_number, at: call.start_time };
    // the archive path reads past the hot window (hotDays very large)
    const traceOnce = async () => {
      const engine = await openTraceEngine(data, { hotDays: 100_000, commitmentDays: 100_000 });
      try {
        const t = await engine.traceRaw(req, { now: new Date('2027-01-01T00:00:00Z') });
        return { status: t.status, hops: t.hops.map((h) => [h.provider_id, h.call_id]) };
      } finally {
        engine.close();
      }
    };
    const hot = await traceOnce();
    expect(hot.hops.length).toBeGreaterThan(0);
    await run(data, '2026-03-31T00:00:00Z');
    expect(tierCounts(data).hot).toBe(0);
    expect(await traceOnce()).toEqual(hot);
  }, 60_000);

  it('runs once from the CLI with --now and logs the run', async () => {
    const dir = tempDir('tier-');
    const data = path.join(dir, 'data');
    await ingestCorpus(dir, data);
    const r = await runCli(['lifecycle', 'run', '--data', data, '--now', '2026-02-26T00:00:00Z']);
    expect(r.code, r.stderr).toBe(0);
    expect((r.json as any).run.tiered.map((t: { day: string }) => t.day)).toEqual(['2026-01-10', '2026-01-11']);
    const log = await runCli(['lifecycle', 'runs', '--data', data]);
    expect((log.json as any).runs[0].status).toBe('done');
    expect((log.json as any).runs[0].tiered).toHaveLength(2);
    expect((await runCli(['lifecycle', 'run', '--data', data, '--now', 'yesterday'])).code).toBe(2);
  }, 60_000);
});
