import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createArchiveJob } from '../../engine/archive/archive-intake.ts';
import { getArchiveJob, partsOf } from '../../engine/archive/archive-job-store.ts';
import { archiveResultFile } from '../../engine/archive/archive-paths.ts';
import { withState } from '../../engine/state/state-store.ts';
import { dataLayout } from '../../engine/storage/layout.ts';
import { tempDir } from '../support/cdr-fixtures.ts';
import { runCli, spawnCli } from '../support/run-cli.ts';
import { accountFor, directQuery, ingestArchiveCorpus, OTHER_TARGET, parquetRows, TARGET } from '../engine/archive/archive-fixtures.ts';

const NOW = new Date('2026-11-24T16:00:00Z');

/** Resolve when the child's stderr has printed a line matching `re` (no timing involved). */
const stderrLine = (child: ReturnType<typeof spawnCli>, re: RegExp): Promise<string> =>
  new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer): void => {
      buf += d.toString();
      const line = buf.split('\n').find((l) => re.test(l));
      if (line) {
        child.stderr!.off('data', onData);
        resolve(line);
      }
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`worker exited (${code ?? signal}) before printing ${re}:\n${buf}`)));
  });

describe('tracehop archive-jobs work, SIGKILLed in the middle of a job', () => {
  it('resumes at the first unfinished month and produces a complete result, nothing doubled, equal to a direct query', async () => {
    const dir = tempDir('arch-crash-');
    const data = path.join(dir, 'data');
    const layout = dataLayout(data);
    await ingestArchiveCorpus(dir, data, ['2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07'], 40, NOW);
    const job = await withState(layout, async (state) => createArchiveJob(state, layout, { numbers: [TARGET, OTHER_TARGET], date_from: '2026-02-01', date_to: '2026-07-31' }, await accountFor(state, 'ana', 'analyst'), NOW));

    // 1. a worker that pauses after each month is killed -9 once the first month is recorded
    const first = spawnCli(['archive-jobs', 'work', '--data', data, '--once'], { TRACEHOP_TEST_ARCHIVE_MONTH_PAUSE_MS: '600000' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => first.once('exit', (_code, signal) => resolve(signal)));
    try {
      await stderrLine(first, /month 2026-02 done \(1\/6\)/);
    } finally {
      first.kill('SIGKILL'); // also when the line never came: no worker outlives the test
    }
    expect(await exited).toBe('SIGKILL');

    const midway = await withState(layout, async (state) => ({ job: await getArchiveJob(state, job.id), parts: await partsOf(state, job.id) }));
    expect(midway.job).toMatchObject({ state: 'running', runs: 1, progress: { months_done: 1, months_total: 6 } });
    expect(midway.parts.map((p) => [p.month, p.worker])).toEqual([
      ['2026-02', `pid ${first.pid}`],
    ]);
    expect(existsSync(archiveResultFile(layout, job.id, 'parquet'))).toBe(false);
    expect(existsSync(path.join(layout.locksDir, 'archive-worker.lock'))).toBe(true); // left behind by the dead worker

    // 2. the next worker takes over the stale lock, skips the recorded month, finishes the job
    const second = await runCli(['archive-jobs', 'work', '--data', data, '--once']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.json).toEqual({ ok: true, jobs: [{ id: job.id, state: 'done', months_written: 5, months_skipped: 1, rows: expect.any(Number) }] });

    const after = await withState(layout, async (state) => ({ job: (await getArchiveJob(state, job.id))!, parts: await partsOf(state, job.id) }));
    expect(after.job).toMatchObject({ state: 'done', runs: 2, progress: { months_done: 6, months_total: 6, fraction: 1 } });
    expect(after.parts.map((p) => p.month)).toEqual(['2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07']);
    expect(after.parts.slice(0, 1).every((p) => p.worker === `pid ${first.pid}`)).toBe(true);
    expect(after.parts.slice(1).every((p) => p.worker !== `pid ${first.pid}`)).toBe(true);

    const direct = await directQuery(data, [TARGET, OTHER_TARGET], '2026-02-01', '2026-07-31');
    const result = await parquetRows(archiveResultFile(layout, job.id, 'parquet'));
    expect(direct.length).toBeGreaterThan(100);
    expect(after.job.result!.rows).toBe(direct.length);
    expect(new Set(result.map((r) => `${r['provider_id']}|${r['switch_id']}|${r['call_id']}`)).size).toBe(result.length);
    expect(result).toEqual(direct);
    expect(existsSync(path.join(layout.locksDir, 'archive-worker.lock'))).toBe(false);
  }, 120_000);
});
