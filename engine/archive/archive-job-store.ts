import { queryFile } from '../sql/query-file.ts';
import type { StateStore } from '../state/state-store.ts';
import type { TraceRequestInput } from '../trace/trace-request.ts';
import type { TraceResult } from '../trace/trace-result.ts';
import type { ArchiveQuote } from './archive-fees.ts';
import { ARCHIVE_FILE_NAMES, ArchiveJobSchema, type ArchiveJob, type ArchiveJobState } from './archive-job-schema.ts';
import { monthsOf } from './archive-months.ts';

/** Reading archive jobs from the state store into their one schema (archive-job-schema.ts). */
interface JobRow {
  id: string;
  kind: string;
  state: string;
  created_by: string;
  created_by_user: string;
  numbers: string;
  date_from: string;
  date_to: string;
  traceback_id: string;
  traceback_index: number | string;
  trace_input: string;
  note: string;
  quote: string;
  months_total: number | string;
  runs: number | string;
  result_rows: number | string | null;
  trace_result: string | null;
  error: string | null;
  cancelled_by: string | null;
  created_at: string;
  due_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface PartRow {
  month: string;
  rows: number | string;
  file: string;
  worker: string;
}

/** The stored row behind a job, for the worker and for permission checks. */
export interface ArchiveJobRecord {
  readonly id: string;
  readonly state: ArchiveJobState;
  readonly createdBy: string;
  readonly numbers: readonly string[];
  readonly dateFrom: string;
  readonly dateTo: string;
  readonly traceInput: TraceRequestInput | null;
}

export async function getArchiveJobRecord(state: StateStore, id: string): Promise<ArchiveJobRecord | undefined> {
  const r = await state.one<JobRow>(queryFile('archive/job-by-id'), { id });
  if (!r) return undefined;
  return {
    id: r.id,
    state: r.state as ArchiveJobState,
    createdBy: r.created_by,
    numbers: JSON.parse(r.numbers) as string[],
    dateFrom: r.date_from,
    dateTo: r.date_to,
    traceInput: r.trace_input ? (JSON.parse(r.trace_input) as TraceRequestInput) : null,
  };
}

export async function partsOf(state: StateStore, id: string): Promise<PartRow[]> {
  return state.all<PartRow>(queryFile('archive/parts-of-job'), { id });
}

export async function getArchiveJob(state: StateStore, id: string): Promise<ArchiveJob | undefined> {
  const r = await state.one<JobRow>(queryFile('archive/job-by-id'), { id });
  if (!r) return undefined;
  const parts = new Map((await partsOf(state, id)).map((p) => [p.month, Number(p.rows)]));
  const months = monthsOf(r.date_from, r.date_to).map((m) => ({ month: m.month, done: parts.has(m.month), rows: parts.get(m.month) ?? null }));
  const total = Number(r.months_total);
  const done = months.filter((m) => m.done).length;
  const job: ArchiveJob = {
    id: r.id,
    kind: r.kind as ArchiveJob['kind'],
    state: r.state as ArchiveJobState,
    requested_by: r.created_by_user,
    received_at: r.created_at,
    due_at: r.due_at,
    numbers: JSON.parse(r.numbers) as string[],
    date_from: r.date_from,
    date_to: r.date_to,
    traceback: r.traceback_id ? { id: r.traceback_id, index: Number(r.traceback_index) } : null,
    trace: r.trace_input ? (JSON.parse(r.trace_input) as TraceRequestInput) : null,
    note: r.note,
    quote: JSON.parse(r.quote) as ArchiveQuote,
    progress: { months_done: done, months_total: total, fraction: total === 0 ? 1 : done / total, months },
    runs: Number(r.runs),
    started_at: r.started_at,
    finished_at: r.finished_at,
    result:
      r.state === 'done'
        ? {
            rows: Number(r.result_rows ?? 0),
            files: ARCHIVE_FILE_NAMES.map((name) => ({ name, path: `/v1/archive-jobs/${r.id}/files/${name}` })),
            trace: r.trace_result ? (JSON.parse(r.trace_result) as TraceResult) : null,
          }
        : null,
    error: r.error,
    cancelled_by: r.cancelled_by,
  };
  return ArchiveJobSchema.parse(job);
}

export async function listArchiveJobs(state: StateStore, q: { state?: ArchiveJobState; limit?: number } = {}): Promise<ArchiveJob[]> {
  const ids = await state.all<{ id: string }>(queryFile('archive/list-jobs'), { state: q.state ?? '', limit: q.limit ?? 100 });
  const jobs: ArchiveJob[] = [];
  for (const { id } of ids) {
    const j = await getArchiveJob(state, id);
    if (j) jobs.push(j);
  }
  return jobs;
}
