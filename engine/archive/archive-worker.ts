import { rmSync } from 'node:fs';
import { appendAudit } from '../audit/audit-log.ts';
import { isTraceHopError } from '../errors.ts';
import { queryFile } from '../sql/query-file.ts';
import type { StateStore } from '../state/state-store.ts';
import { acquireLock, type FileLock } from '../storage/file-lock.ts';
import type { DataLayout } from '../storage/layout.ts';
import { openTraceEngine } from '../trace/trace-engine.ts';
import type { TraceResult } from '../trace/trace-result.ts';
import type { ArchiveJobState } from './archive-job-schema.ts';
import { getArchiveJobRecord, partsOf } from './archive-job-store.ts';
import { writeMonthPart } from './archive-month-part.ts';
import { monthsOf } from './archive-months.ts';
import { archiveJobDir } from './archive-paths.ts';
import { assembleArchiveResult } from './archive-result.ts';

/**
 * The archive retrieval worker: one at a time per data directory (a file lock that a
 * crashed worker's successor takes over), it takes the oldest queued job, or the running
 * one whose worker died, and works it one month at a time. Each finished month is renamed
 * into place and then recorded in the state store, so a worker killed at any point
 * resumes at the first month not recorded: nothing is skipped and nothing is counted twice.
 * A trace-back job finally runs the trace with cold data allowed; then the result set is
 * assembled and the job is done.
 */
export interface ArchiveWorkerOptions {
  /** work until no job is waiting, then return (otherwise poll until `signal` aborts) */
  readonly once?: boolean;
  readonly now?: () => Date;
  readonly signal?: AbortSignal;
  /** how often an idle worker looks for new jobs */
  readonly pollMs?: number;
  /** after each month is recorded (progress lines; the crash test pauses here) */
  readonly onMonth?: (e: { job: string; month: string; rows: number; done: number; total: number }) => Promise<void> | void;
}

export interface ArchiveJobRun {
  readonly id: string;
  readonly state: ArchiveJobState | 'interrupted';
  readonly months_written: number;
  readonly months_skipped: number;
  readonly rows?: number;
  readonly error?: string;
}

export interface ArchiveWorkerReport {
  readonly jobs: ArchiveJobRun[];
}

const WORKER_ID = `pid ${process.pid}`;

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

async function lockWorker(layout: DataLayout, opts: ArchiveWorkerOptions): Promise<FileLock | null> {
  for (;;) {
    try {
      // a stale lock (its pid is dead: a SIGKILLed worker) is taken over within a few ms
      return await acquireLock(layout.locksDir, 'archive-worker', opts.once ? 5000 : 1000);
    } catch (e) {
      if (!isTraceHopError(e) || e.code !== 'TH_STORAGE_LOCKED' || opts.once) throw e;
      if (opts.signal?.aborted) return null;
      await sleep(opts.pollMs ?? 2000, opts.signal);
    }
  }
}

export async function runArchiveWorker(layout: DataLayout, state: StateStore, opts: ArchiveWorkerOptions = {}): Promise<ArchiveWorkerReport> {
  const now = opts.now ?? (() => new Date());
  const jobs: ArchiveJobRun[] = [];
  const lock = await lockWorker(layout, opts);
  if (!lock) return { jobs };
  try {
    while (!opts.signal?.aborted) {
      const next = await state.one<{ id: string }>(queryFile('archive/next-job'));
      if (!next) {
        if (opts.once) break;
        await sleep(opts.pollMs ?? 2000, opts.signal);
        continue;
      }
      const run = await workJob(layout, state, next.id, now, opts);
      jobs.push(run);
      if (run.state === 'interrupted') break;
    }
  } finally {
    lock.release();
  }
  return { jobs };
}

/** The in-process worker of `tracehop serve`: returns a function that stops it. */
export function startArchiveWorker(layout: DataLayout, state: StateStore, opts: Omit<ArchiveWorkerOptions, 'once' | 'signal'> & { onError?: (e: unknown) => void } = {}): () => Promise<void> {
  const ac = new AbortController();
  const done = runArchiveWorker(layout, state, { ...opts, signal: ac.signal }).catch((e: unknown) => opts.onError?.(e));
  return async () => {
    ac.abort();
    await done;
  };
}

const stateOf = async (state: StateStore, id: string): Promise<string | undefined> => (await state.one<{ state: string }>(queryFile('archive/job-state'), { id }))?.state;

async function workJob(layout: DataLayout, state: StateStore, id: string, now: () => Date, opts: ArchiveWorkerOptions): Promise<ArchiveJobRun> {
  await state.exec(queryFile('archive/claim-job'), { id, at: now().toISOString() });
  const job = (await getArchiveJobRecord(state, id))!;
  const months = monthsOf(job.dateFrom, job.dateTo);
  let written = 0;
  let skipped = 0;
  const stopped = async (): Promise<ArchiveJobRun | null> => {
    if (opts.signal?.aborted) return { id, state: 'interrupted', months_written: written, months_skipped: skipped };
    if ((await stateOf(state, id)) === 'cancelled') {
      // a cancelled job keeps no copy of the call records it had gathered
      rmSync(archiveJobDir(layout, id), { recursive: true, force: true });
      return { id, state: 'cancelled', months_written: written, months_skipped: skipped };
    }
    return null;
  };
  try {
    const finished = new Set((await partsOf(state, id)).map((p) => p.month));
    for (const slice of months) {
      if (finished.has(slice.month)) {
        skipped++;
        continue;
      }
      const stop = await stopped();
      if (stop) return stop;
      const part = await writeMonthPart(layout, id, job.numbers, slice);
      // carrier policy: every access to call records is in the audit log, the worker's too
      await appendAudit(state, {
        actor: 'archive-worker',
        role: 'system',
        action: 'read',
        resource: 'archive_job',
        resource_ids: [id],
        numbers: job.numbers,
        outcome: 'ok',
        detail: { month: slice.month, from: slice.from, to: slice.to, rows: part.rows, files_read: part.filesRead },
        at: now(),
      });
      await state.exec(queryFile('archive/insert-part'), { id, month: slice.month, rows: part.rows, file: part.file, worker: WORKER_ID, at: now().toISOString() });
      written++;
      finished.add(slice.month);
      await opts.onMonth?.({ job: id, month: slice.month, rows: part.rows, done: finished.size, total: months.length });
    }
    const stop = await stopped();
    if (stop) return stop;
    let trace: TraceResult | null = null;
    if (job.traceInput) {
      // the archive job is where an old call may be traced: cold data allowed
      const engine = await openTraceEngine(layout.root, { hotDays: Infinity });
      try {
        trace = await engine.traceRaw(job.traceInput, { now: now() });
      } finally {
        engine.close();
      }
      await appendAudit(state, { actor: 'archive-worker', role: 'system', action: 'trace', resource: 'archive_job', resource_ids: [id], numbers: job.numbers, outcome: 'ok', detail: { status: trace.status, hops: trace.hops.length }, at: now() });
    }
    const parts = await partsOf(state, id);
    const { rows } = await assembleArchiveResult(layout, id, parts.map((p) => p.file));
    await state.exec(queryFile('archive/finish-job'), { id, rows, trace_result: trace ? JSON.stringify(trace) : null, at: now().toISOString() });
    const final = (await stateOf(state, id)) as ArchiveJobState;
    if (final === 'cancelled') return (await stopped()) ?? { id, state: final, months_written: written, months_skipped: skipped };
    return { id, state: final, months_written: written, months_skipped: skipped, rows };
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    await state.exec(queryFile('archive/fail-job'), { id, error, at: now().toISOString() });
    return { id, state: 'failed', months_written: written, months_skipped: skipped, error };
  }
}
