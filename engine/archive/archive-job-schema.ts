import { z } from 'zod';
import { normalizeE164 } from '../phone/normalize-e164.ts';
import { TraceRequestInputSchema } from '../trace/trace-request.ts';
import { TraceResultSchema } from '../trace/trace-result.ts';
import { ArchiveQuoteSchema } from './archive-fees.ts';

/**
 * An archive retrieval job (issue 7 item 3): either numbers and a date range outside the
 * hot window, or a trace-back whose answer was `archive_required` (named by the
 * trace-back request id, or given directly as the trace tuple).
 */
export const ARCHIVE_JOB_STATES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type ArchiveJobState = (typeof ARCHIVE_JOB_STATES)[number];
export const ARCHIVE_JOB_KINDS = ['numbers', 'traceback'] as const;

/** Job ids are UUIDs: checked before any id becomes part of a path under the data dir. */
export const ARCHIVE_JOB_ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The result files of a done job, by the name used in the download URL. */
export const ARCHIVE_FILE_NAMES = ['parquet', 'csv'] as const;
export type ArchiveFileName = (typeof ARCHIVE_FILE_NAMES)[number];

const number = z.string().min(1).max(64);

export const ArchiveJobInputSchema = z
  .strictObject({
    /** E.164 or NANP numbers (XXX-XXX-XXXX), matched as calling, called or P-Asserted-Identity */
    numbers: z.array(number).min(1).max(100).optional(),
    /** first and last UTC day searched, ISO dates */
    date_from: z.iso.date().optional(),
    date_to: z.iso.date().optional(),
    /** a trace-back request whose result was archive_required */
    traceback_id: z.uuid().optional(),
    /** which request of a batch (0 for a single tuple) */
    traceback_index: z.number().int().min(0).max(9_999).optional(),
    /** the trace tuple itself */
    trace: z.strictObject(TraceRequestInputSchema.shape).optional(),
    note: z.string().max(1000).optional(),
  })
  .superRefine((b, ctx) => {
    const byNumbers = b.numbers !== undefined || b.date_from !== undefined || b.date_to !== undefined;
    const ways = [byNumbers, b.traceback_id !== undefined, b.trace !== undefined].filter(Boolean).length;
    if (ways !== 1) {
      ctx.addIssue({ code: 'custom', path: ['numbers'], message: 'give numbers with date_from and date_to, or traceback_id, or trace (exactly one)' });
      return;
    }
    if (b.traceback_index !== undefined && b.traceback_id === undefined) ctx.addIssue({ code: 'custom', path: ['traceback_index'], message: 'only with traceback_id' });
    if (!byNumbers) return;
    if (b.numbers === undefined) ctx.addIssue({ code: 'custom', path: ['numbers'], message: 'required with a date range' });
    if (b.date_from === undefined) ctx.addIssue({ code: 'custom', path: ['date_from'], message: 'required with numbers' });
    if (b.date_to === undefined) ctx.addIssue({ code: 'custom', path: ['date_to'], message: 'required with numbers' });
    for (const [i, n] of (b.numbers ?? []).entries()) {
      if (!normalizeE164(n).ok) ctx.addIssue({ code: 'custom', path: ['numbers', i], message: `'${n}' is not a telephone number (E.164 or XXX-XXX-XXXX)` });
    }
    if (b.date_from !== undefined && b.date_to !== undefined && b.date_from > b.date_to) ctx.addIssue({ code: 'custom', path: ['date_to'], message: 'date_to is before date_from' });
  });
export type ArchiveJobInput = z.infer<typeof ArchiveJobInputSchema>;

export const ArchiveJobSchema = z.object({
  id: z.string(),
  kind: z.enum(ARCHIVE_JOB_KINDS),
  state: z.enum(ARCHIVE_JOB_STATES),
  requested_by: z.string(),
  received_at: z.string(),
  due_at: z.string(),
  numbers: z.array(z.string()),
  date_from: z.string(),
  date_to: z.string(),
  traceback: z.object({ id: z.string(), index: z.number() }).nullable(),
  trace: TraceRequestInputSchema.nullable(),
  note: z.string(),
  quote: ArchiveQuoteSchema,
  progress: z.object({
    months_done: z.number(),
    months_total: z.number(),
    /** months done / months total, 0..1 */
    fraction: z.number(),
    months: z.array(z.object({ month: z.string(), done: z.boolean(), rows: z.number().nullable() })),
  }),
  runs: z.number(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  result: z
    .object({
      rows: z.number(),
      files: z.array(z.object({ name: z.enum(ARCHIVE_FILE_NAMES), path: z.string() })),
      trace: TraceResultSchema.nullable(),
    })
    .nullable(),
  error: z.string().nullable(),
  cancelled_by: z.string().nullable(),
});
export type ArchiveJob = z.infer<typeof ArchiveJobSchema>;
