import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createArchiveJob } from '../../../engine/archive/archive-intake.ts';
import { getArchiveJob } from '../../../engine/archive/archive-job-store.ts';
import { archiveResultFile } from '../../../engine/archive/archive-paths.ts';
import { runArchiveWorker } from '../../../engine/archive/archive-worker.ts';
import { withState } from '../../../engine/state/state-store.ts';
import { readCatalog } from '../../../engine/storage/catalog.ts';
import { dataLayout } from '../../../engine/storage/layout.ts';
import { ingestFile } from '../../../ingest/pipeline/ingest-file.ts';
import { cdrRow, tempDir, writeCsv } from '../../support/cdr-fixtures.ts';
import { accountFor, directQuery, parquetRows, TARGET } from './archive-fixtures.ts';

// Tuesday 24 November 2026: the 45-day hot window starts on 10 October (ingest's rule)
const NOW = new Date('2026-11-24T16:00:00Z');

describe('taking an archive job', () => {
  it('refuses a range starting on the first hot day and accepts one starting the day before', async () => {
    const layout = dataLayout(path.join(tempDir('arch-in-'), 'data'));
    await withState(layout, async (state) => {
      const analyst = await accountFor(state, 'ana', 'analyst');
      await expect(createArchiveJob(state, layout, { numbers: [TARGET], date_from: '2026-10-10', date_to: '2026-10-20' }, analyst, NOW)).rejects.toMatchObject({
        code: 'TH_ARCHIVE_HOT_RANGE',
        status: 422,
        details: [{ path: 'body.date_from', hot_window_from: '2026-10-10' }],
      });
      const ok = await createArchiveJob(state, layout, { numbers: [TARGET], date_from: '2026-10-09', date_to: '2026-10-20' }, analyst, NOW);
      expect(ok).toMatchObject({ state: 'queued', quote: { months: 1 }, date_from: '2026-10-09' });
    });
  });

  it('refuses a trace tuple at most 45 days old, like the trace engine', async () => {
    const layout = dataLayout(path.join(tempDir('arch-in-'), 'data'));
    await withState(layout, async (state) => {
      const analyst = await accountFor(state, 'ana', 'analyst');
      const trace = (at: string) => createArchiveJob(state, layout, { trace: { calling: TARGET, called: '312-555-1000', at } }, analyst, NOW);
      await expect(trace('2026-10-10T16:00:00Z')).rejects.toMatchObject({ code: 'TH_ARCHIVE_HOT_RANGE' });
      expect(await trace('2026-10-10T15:59:00Z')).toMatchObject({ kind: 'traceback', numbers: [TARGET, '+13125551000'], date_from: '2026-10-10', date_to: '2026-10-10' });
    });
  });

  it('answers a range across the hot/cold boundary from both tiers, equal to a direct query', async () => {
    const dir = tempDir('arch-in-');
    const data = path.join(dir, 'data');
    const layout = dataLayout(data);
    const at = (day: string, i: number) => ({ call_id: `b-${i}`, calling_number: TARGET, start_time: `${day}T12:00:0${i}Z`, answer_time: '', end_time: `${day}T12:00:3${i}Z`, duration_s: '0', sip_code: '486' });
    await ingestFile(writeCsv(dir, 'b.csv', [cdrRow(1, at('2026-10-01', 1)), cdrRow(2, at('2026-10-15', 2)), cdrRow(3, at('2026-10-25', 3))]), { data, now: NOW });
    expect(readCatalog(layout).files.map((f) => f.tier).sort()).toEqual(['cold', 'hot', 'hot']);
    await withState(layout, async (state) => {
      const job = await createArchiveJob(state, layout, { numbers: [TARGET], date_from: '2026-09-25', date_to: '2026-10-20' }, await accountFor(state, 'ana', 'analyst'), NOW);
      await runArchiveWorker(layout, state, { once: true, now: () => NOW });
      const rows = await parquetRows(archiveResultFile(layout, job.id, 'parquet'));
      expect(rows.map((r) => r['call_id'])).toEqual(['b-1', 'b-2']);
      expect(rows).toEqual(await directQuery(data, [TARGET], '2026-09-25', '2026-10-20'));
      expect((await getArchiveJob(state, job.id))!.progress.months.map((m) => [m.month, m.rows])).toEqual([
        ['2026-09', 0],
        ['2026-10', 2],
      ]);
    });
  });
});
