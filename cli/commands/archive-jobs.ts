import { getArchiveJob, listArchiveJobs } from '../../engine/archive/archive-job-store.ts';
import { runArchiveWorker } from '../../engine/archive/archive-worker.ts';
import { withState } from '../../engine/state/state-store.ts';
import { dataLayout } from '../../engine/storage/layout.ts';
import { parseCommandArgs, printResult, requireOption, say, UsageError } from '../output.ts';

/**
 * tracehop archive-jobs work --data DIR [--once] [--now ISO]   # the archive retrieval worker
 * tracehop archive-jobs show --data DIR --id ID                 # state, progress, quote, due date
 * tracehop archive-jobs list --data DIR
 *
 * `work` opens the state store itself, so it cannot run while `tracehop serve` holds the
 * same data directory (serve runs its own worker). --once works until no job is waiting.
 * TRACEHOP_TEST_ARCHIVE_MONTH_PAUSE_MS (tests only): pause after each recorded month, so a
 * test can SIGKILL the worker in the middle of a job.
 */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values } = parseCommandArgs(rest, { data: { type: 'string' }, once: { type: 'boolean', default: false }, now: { type: 'string' }, id: { type: 'string' } }, false);
  const layout = dataLayout(requireOption(values.data, 'data'));
  if (sub === 'work') {
    let now: (() => Date) | undefined;
    if (values.now !== undefined) {
      const at = new Date(values.now);
      if (Number.isNaN(at.getTime())) throw new UsageError('--now takes an ISO-8601 instant');
      now = () => at;
    }
    const pause = Number(process.env['TRACEHOP_TEST_ARCHIVE_MONTH_PAUSE_MS'] ?? 0);
    const ac = new AbortController();
    const stop = (): void => ac.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      const report = await withState(layout, (state) =>
        runArchiveWorker(layout, state, {
          once: values.once,
          signal: ac.signal,
          ...(now ? { now } : {}),
          onMonth: async (e) => {
            say(`archive job ${e.job}: month ${e.month} done (${e.done}/${e.total}), ${e.rows} rows`);
            if (pause > 0) await new Promise((r) => setTimeout(r, pause));
          },
        }),
      );
      for (const j of report.jobs) say(`archive job ${j.id}: ${j.state}${j.rows !== undefined ? `, ${j.rows} rows` : ''}${j.error ? `: ${j.error}` : ''}`);
      const failed = report.jobs.some((j) => j.state === 'failed');
      printResult({ ok: !failed, jobs: report.jobs });
      return failed ? 1 : 0;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  }
  if (sub === 'show') {
    const id = requireOption(values.id, 'id');
    const job = await withState(layout, (state) => getArchiveJob(state, id));
    printResult(job ? { ok: true, job } : { ok: false, error: { code: 'TH_NOT_FOUND', message: `no archive job ${id}`, details: [] } });
    return job ? 0 : 1;
  }
  if (sub === 'list') {
    printResult({ ok: true, jobs: await withState(layout, (state) => listArchiveJobs(state)) });
    return 0;
  }
  throw new UsageError('archive-jobs work | show | list');
}
