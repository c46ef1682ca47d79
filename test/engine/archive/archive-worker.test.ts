import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cancelArchiveJob } from '../../../engine/archive/archive-cancel.ts';
import { createArchiveJob } from '../../../engine/archive/archive-intake.ts';
import { getArchiveJob } from '../../../engine/archive/archive-job-store.ts';
import { archiveJobDir, archiveResultFile } from '../../../engine/archive/archive-paths.ts';
import { runArchiveWorker, startArchiveWorker } from '../../../engine/archive/archive-worker.ts';
import { queryAudit } from '../../../engine/audit/audit-log.ts';
import { withState } from '../../../engine/state/state-store.ts';
import { readCatalog } from '../../../engine/storage/catalog.ts';
import { dataLayout } from '../../../engine/storage/layout.ts';
import { tempDir } from '../../support/cdr-fixtures.ts';
import { accountFor, directQuery, ingestArchiveCorpus, OTHER_TARGET, parquetRows, TARGET } from './archive-fixtures.ts';

const NOW = new Date('2026-11-24T16:00:00Z');

describe('the archive worker', () => {
  it('searches the cold archive month by month and writes a result equal to a direct query', async () => {
    const dir = tempDir('arch-');
    const data = path.join(dir, 'data');
    const layout = dataLayout(data);
    await ingestArchiveCorpus(dir, data, ['2026-03', '2026-04', '2026-05', '2026-06'], 60, NOW);
    await withState(layout, async (state) => {
      const analyst = await accountFor(state, 'ana', 'analyst');
      const job = await createArchiveJob(state, layout, { numbers: ['212-555-0100', OTHER_TARGET], date_from: '2026-03-10', date_to: '2026-05-20' }, analyst, NOW);
      expect(job).toMatchObject({ state: 'queued', numbers: [TARGET, OTHER_TARGET], progress: { months_done: 0, months_total: 3, fraction: 0 } });
      const report = await runArchiveWorker(layout, state, { once: true, now: () => NOW });
      expect(report.jobs).toEqual([{ id: job.id, state: 'done', months_written: 3, months_skipped: 0, rows: expect.any(Number) }]);
      const done = (await getArchiveJob(state, job.id))!;
      expect(done).toMatchObject({ state: 'done', runs: 1, progress: { months_done: 3, months_total: 3, fraction: 1 } });
      const direct = await directQuery(data, [TARGET, OTHER_TARGET], '2026-03-10', '2026-05-20');
      expect(direct.length).toBeGreaterThan(20);
      expect(done.result!.rows).toBe(direct.length);
      expect(await parquetRows(archiveResultFile(layout, job.id, 'parquet'))).toEqual(direct);
      const csv = readFileSync(archiveResultFile(layout, job.id, 'csv'), 'utf8').trim().split('\n');
      expect(csv).toHaveLength(direct.length + 1);
      expect(csv[0]!.split(',').slice(0, 3)).toEqual(['provider_id', 'switch_id', 'call_id']);
      expect(readdirSync(path.join(archiveJobDir(layout, job.id), 'parts')).sort()).toEqual(['2026-03.parquet', '2026-04.parquet', '2026-05.parquet']);
      const reads = await queryAudit(state, { actor: 'archive-worker' });
      expect(reads.map((r) => (r['detail'] as { month: string }).month).sort()).toEqual(['2026-03', '2026-04', '2026-05']);
      expect(reads.every((r) => (r['numbers'] as string[]).includes(TARGET))).toBe(true);
    });
  }, 60_000);

  it('writes an empty result with every column when no file holds the range', async () => {
    const dir = tempDir('arch-');
    const data = path.join(dir, 'data');
    const layout = dataLayout(data);
    await withState(layout, async (state) => {
      const analyst = await accountFor(state, 'ana', 'analyst');
      const job = await createArchiveJob(state, layout, { numbers: [TARGET], date_from: '2026-01-01', date_to: '2026-02-15' }, analyst, NOW);
      await runArchiveWorker(layout, state, { once: true, now: () => NOW });
      expect(await getArchiveJob(state, job.id)).toMatchObject({ state: 'done', result: { rows: 0 }, progress: { months_done: 2, months: [{ month: '2026-01', rows: 0 }, { month: '2026-02', rows: 0 }] } });
      expect(await parquetRows(archiveResultFile(layout, job.id, 'parquet'))).toEqual([]);
      expect(readFileSync(archiveResultFile(layout, job.id, 'csv'), 'utf8').trim().split('\n')).toHaveLength(1);
    });
  });

  it('stops a cancelled job between months and keeps no copy of what it gathered', async () => {
    const dir = tempDir('arch-');
    const data = path.join(dir, 'data');
    const layout = dataLayout(data);
    await ingestArchiveCorpus(dir, data, ['2026-03', '2026-04', '2026-05'], 20, NOW);
    await withState(layout, async (state) => {
      const analyst = await accountFor(state, 'ana', 'analyst');
      const job = await createArchiveJob(state, layout, { numbers: [TARGET], date_from: '2026-03-01', date_to: '2026-05-31' }, analyst, NOW);
      const report = await runArchiveWorker(layout, state, {
        once: true,
        now: () => NOW,
        onMonth: async (e) => {
          if (e.done === 1) await cancelArchiveJob(state, layout, e.job, analyst, NOW);
        },
      });
      expect(report.jobs).toEqual([{ id: job.id, state: 'cancelled', months_written: 1, months_skipped: 0 }]);
      expect(existsSync(archiveJobDir(layout, job.id))).toBe(false);
      expect((await getArchiveJob(state, job.id))!.state).toBe('cancelled');
    });
  });

  it('marks a job failed, with the reason, when a listed archive file cannot be read, and goes on to the next job', async () => {
    const dir = tempDir('arch-');
    const data = path.join(dir, 'data');
    const layout = dataLayout(data);
    await ingestArchiveCorpus(dir, data, ['2026-03'], 10, NOW);
    rmSync(path.join(layout.cdrDir, readCatalog(layout).files[0]!.path));
    await withState(layout, async (state) => {
      const analyst = await accountFor(state, 'ana', 'analyst');
      const broken = await createArchiveJob(state, layout, { numbers: [TARGET], date_from: '2026-03-01', date_to: '2026-03-31' }, analyst, NOW);
      const fine = await createArchiveJob(state, layout, { numbers: [TARGET], date_from: '2026-01-01', date_to: '2026-01-31' }, analyst, new Date(NOW.getTime() + 1000));
      const report = await runArchiveWorker(layout, state, { once: true, now: () => NOW });
      expect(report.jobs.map((j) => [j.id, j.state])).toEqual([
        [broken.id, 'failed'],
        [fine.id, 'done'],
      ]);
      expect((await getArchiveJob(state, broken.id))!.error).toMatch(/No files found|does not exist|IO Error/i);
    });
  });

  it('runs in-process until stopped, taking jobs queued after it started', async () => {
    const dir = tempDir('arch-');
    const data = path.join(dir, 'data');
    const layout = dataLayout(data);
    await ingestArchiveCorpus(dir, data, ['2026-04'], 10, NOW);
    await withState(layout, async (state) => {
      const stop = startArchiveWorker(layout, state, { pollMs: 20, now: () => NOW });
      const job = await createArchiveJob(state, layout, { numbers: [TARGET], date_from: '2026-04-01', date_to: '2026-04-30' }, await accountFor(state, 'ana', 'analyst'), NOW);
      let seen = (await getArchiveJob(state, job.id))!;
      for (let i = 0; i < 500 && seen.state !== 'done'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        seen = (await getArchiveJob(state, job.id))!;
      }
      expect(seen).toMatchObject({ state: 'done', progress: { fraction: 1 } });
      expect(existsSync(path.join(layout.locksDir, 'archive-worker.lock'))).toBe(true);
      await stop();
      expect(existsSync(path.join(layout.locksDir, 'archive-worker.lock'))).toBe(false);
    });
  });
});
