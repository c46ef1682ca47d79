import { randomUUID } from 'node:crypto';
import type { Account } from '../accounts/accounts.ts';
import { addBusinessDays } from '../business-hours/business-hours.ts';
import { thError } from '../errors.ts';
import { toE164 } from '../phone/normalize-e164.ts';
import { queryFile } from '../sql/query-file.ts';
import type { StateStore } from '../state/state-store.ts';
import type { DataLayout } from '../storage/layout.ts';
import { DEFAULT_TRACE_CONFIG } from '../trace/trace-config.ts';
import { parseTraceRequest, type TraceRequestInput } from '../trace/trace-request.ts';
import { TraceResultSchema } from '../trace/trace-result.ts';
import { loadArchiveFees, quoteArchiveJob } from './archive-fees.ts';
import type { ArchiveJob, ArchiveJobInput } from './archive-job-schema.ts';
import { getArchiveJob } from './archive-job-store.ts';
import { monthsOf } from './archive-months.ts';

/**
 * Taking an archive retrieval job (carrier policy, DESIGN.md "Rules": trace-back requests
 * within 30 days are answered from hot data; older ones are an archive retrieval job, at
 * least 15 business days, fee quoted). A range that lies entirely inside the hot window is
 * refused (TH_ARCHIVE_HOT_RANGE): it is answered directly, without a fee.
 */
export interface ArchiveIntakeOptions {
  /** the hot window in days (carrier policy: 45) */
  readonly hotDays?: number;
}

/** Longest range one job may name: the cold archive keeps 18 months by default (47 CFR 42.6). */
const MAX_MONTHS = 120;
const DAY_MS = 86_400_000;
const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

interface Scope {
  kind: 'numbers' | 'traceback';
  numbers: string[];
  dateFrom: string;
  dateTo: string;
  tracebackId: string;
  tracebackIndex: number;
  traceInput: TraceRequestInput | null;
}

/** The trace tuple of a stored trace-back result (its windows are exact instants). */
async function traceInputOfTraceback(state: StateStore, id: string, index: number): Promise<TraceRequestInput> {
  const row = await state.one<{ result: string }>(queryFile('archive/traceback-result'), { id, i: index });
  if (!row) throw thError('TH_NOT_FOUND', `no trace-back request ${id} with a result at index ${index}`, { details: [{ path: 'body.traceback_id', message: 'not found' }] });
  const result = TraceResultSchema.parse(JSON.parse(row.result));
  if (result.status !== 'archive_required') {
    throw thError('TH_ARCHIVE_HOT_RANGE', `trace-back ${id}#${index} was answered from hot data (${result.status}); it needs no archive retrieval`, { details: [{ path: 'body.traceback_id', status: result.status }] });
  }
  const w = result.request.windows[0];
  if (!w) throw thError('TH_BAD_REQUEST', `trace-back ${id}#${index} holds no call time`, { details: [{ path: 'body.traceback_id', message: 'no call time' }] });
  // a request given to the minute searched the whole minute: keep that precision
  const minute = Date.parse(w.to) - Date.parse(w.from) === 60_000;
  return { calling: result.request.calling, called: result.request.called, at: minute ? `${w.from.slice(0, 16)}Z` : w.from };
}

function scopeOfTrace(input: TraceRequestInput, now: Date, hotDays: number, path: string): Omit<Scope, 'tracebackId' | 'tracebackIndex'> {
  const p = parseTraceRequest(input);
  if (!p.ok) {
    const details = p.errors.map((e) => ({ path: `${path}.${e.path}`, message: e.message }));
    throw thError('TH_BAD_REQUEST', `malformed request: ${details.map((d) => d.path).join(', ')}`, { details });
  }
  const first = Math.min(...p.request.windows.map((w) => w.from));
  const last = Math.max(...p.request.windows.map((w) => w.to));
  // same rule as the trace engine: a call at most hotDays old is traced from hot data
  if ((now.getTime() - first) / DAY_MS <= hotDays) {
    throw thError('TH_ARCHIVE_HOT_RANGE', `the call at ${new Date(first).toISOString()} is inside the ${hotDays}-day hot window: trace it directly`, { details: [{ path, hot_days: hotDays }] });
  }
  const tol = DEFAULT_TRACE_CONFIG.clockToleranceMs;
  return {
    kind: 'traceback',
    numbers: [...new Set([p.request.calling, p.request.called])],
    dateFrom: utcDay(first - tol),
    dateTo: utcDay(last + tol),
    traceInput: input,
  };
}

export async function createArchiveJob(state: StateStore, layout: DataLayout, input: ArchiveJobInput, account: Account, now: Date, opts: ArchiveIntakeOptions = {}): Promise<ArchiveJob> {
  const hotDays = opts.hotDays ?? DEFAULT_TRACE_CONFIG.hotDays;
  const fees = loadArchiveFees(layout);
  let scope: Scope;
  if (input.traceback_id !== undefined) {
    const index = input.traceback_index ?? 0;
    const traceInput = await traceInputOfTraceback(state, input.traceback_id, index);
    scope = { ...scopeOfTrace(traceInput, now, hotDays, 'body.traceback_id'), tracebackId: input.traceback_id, tracebackIndex: index };
  } else if (input.trace !== undefined) {
    scope = { ...scopeOfTrace(input.trace, now, hotDays, 'body.trace'), tracebackId: '', tracebackIndex: 0 };
  } else {
    const numbers = [...new Set((input.numbers ?? []).map((n) => toE164(n)).filter((n): n is string => n !== null))];
    const dateFrom = input.date_from!;
    const dateTo = input.date_to!;
    const today = utcDay(now.getTime());
    if (dateTo > today) throw thError('TH_BAD_REQUEST', `date_to ${dateTo} is in the future`, { details: [{ path: 'body.date_to', message: `after today (${today})` }] });
    // carrier policy: the hot window is the last 45 days (ingest: rows before this day are cold)
    const hotFrom = utcDay(Date.parse(`${today}T00:00:00Z`) - hotDays * DAY_MS);
    if (dateFrom >= hotFrom) {
      throw thError('TH_ARCHIVE_HOT_RANGE', `${dateFrom}..${dateTo} lies inside the hot window (from ${hotFrom}): query it directly`, { details: [{ path: 'body.date_from', hot_window_from: hotFrom }] });
    }
    scope = { kind: 'numbers', numbers, dateFrom, dateTo, tracebackId: '', tracebackIndex: 0, traceInput: null };
  }
  const months = monthsOf(scope.dateFrom, scope.dateTo);
  if (months.length > MAX_MONTHS) throw thError('TH_BAD_REQUEST', `a job searches at most ${MAX_MONTHS} months`, { details: [{ path: 'body.date_from', message: `${months.length} months` }] });
  const quote = quoteArchiveJob(months.length, fees);
  // carrier policy: at least 15 business days (Mon-Fri, Central time, federal holidays excluded)
  const due = addBusinessDays(now, fees.due_business_days);
  const id = randomUUID();
  await state.exec(queryFile('archive/insert-job'), {
    id,
    kind: scope.kind,
    at: now.toISOString(),
    by: account.id,
    by_user: account.user,
    numbers: JSON.stringify(scope.numbers),
    date_from: scope.dateFrom,
    date_to: scope.dateTo,
    traceback_id: scope.tracebackId,
    traceback_index: scope.tracebackIndex,
    trace_input: scope.traceInput ? JSON.stringify(scope.traceInput) : '',
    note: input.note ?? '',
    quote: JSON.stringify(quote),
    due: due.toISOString(),
    months_total: months.length,
  });
  return (await getArchiveJob(state, id))!;
}
