import { z } from 'zod';
import { toE164 } from '../phone/normalize-e164.ts';
import { instantsOf } from '../time/wall-time.ts';
import { resolveZone } from '../time/zone-name.ts';

/**
 * A trace-back request as analysts and the industry traceback group write it
 * (DESIGN.md "Trace-back contract"): calling and called number in any usual NANP form,
 * `at` as ISO-8601 with an offset, or `date` MM/DD/YYYY + `time` (12:23 pm, 12:23:41 pm,
 * or 24-hour) + `tz`; optional duration, origid and campaign. A time given to the minute
 * means any second of that minute; an ambiguous wall time (the November repeated hour)
 * yields both instants. Parsing never throws: a bad request is an error with the fields at fault.
 */
export const TraceRequestInputSchema = z
  .object({
    id: z.union([z.string().max(128), z.number()]).optional(),
    calling: z.string().min(1).max(64),
    called: z.string().min(1).max(64),
    at: z.string().max(64).optional(),
    date: z.string().max(16).optional(),
    time: z.string().max(16).optional(),
    tz: z.string().max(64).optional(),
    duration_s: z.union([z.number(), z.string().max(12)]).optional(),
    origid: z.string().max(64).optional(),
    campaign: z.string().max(128).optional(),
  })
  .strip();
export type TraceRequestInput = z.infer<typeof TraceRequestInputSchema>;

/** One window of instants [from, to) that the call may have started in (ms since epoch). */
export interface TimeWindow {
  readonly from: number;
  readonly to: number;
}

export interface TraceRequest {
  readonly id?: string;
  readonly calling: string;
  readonly called: string;
  /** usually one; two for the repeated November hour */
  readonly windows: readonly TimeWindow[];
  readonly precision: 'second' | 'minute';
  readonly duration_s?: number;
  readonly origid?: string;
  readonly campaign?: string;
  /** the request's time as given, for the response file */
  readonly at_text: string;
}

export type ParsedRequest = { ok: true; request: TraceRequest } | { ok: false; id?: string; errors: { path: string; message: string }[] };

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})$/i;
const DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const validDate = (y: number, m: number, d: number): boolean => {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
};

export function parseTraceRequest(raw: unknown): ParsedRequest {
  const shape = TraceRequestInputSchema.safeParse(raw);
  const idOf = (v: unknown): string | undefined => (v && typeof v === 'object' && 'id' in v && v.id !== undefined && v.id !== null ? String(v.id) : undefined);
  if (!shape.success) {
    const id = idOf(raw);
    return { ok: false, ...(id ? { id } : {}), errors: shape.error.issues.map((i) => ({ path: i.path.join('.') || '(request)', message: i.message })) };
  }
  const input = shape.data;
  const id = input.id === undefined ? undefined : String(input.id);
  const errors: { path: string; message: string }[] = [];
  const calling = toE164(input.calling);
  if (!calling) errors.push({ path: 'calling', message: `'${input.calling}' is not a valid number (NANP NPA-NXX-XXXX or international with + or 011)` });
  const called = toE164(input.called);
  if (!called) errors.push({ path: 'called', message: `'${input.called}' is not a valid number (NANP NPA-NXX-XXXX or international with + or 011)` });

  let windows: TimeWindow[] = [];
  let precision: 'second' | 'minute' = 'second';
  let atText = '';
  if (input.at !== undefined && input.at.trim() !== '') {
    atText = input.at.trim();
    const m = ISO.exec(atText);
    if (!m) errors.push({ path: 'at', message: `'${input.at}' is not ISO-8601 with an offset (e.g. 2026-11-02T12:23:41-05:00)` });
    else if (!validDate(Number(m[1]), Number(m[2]), Number(m[3])) || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59) {
      errors.push({ path: 'at', message: `'${input.at}' is not a real date and time` });
    } else {
      precision = m[6] === undefined ? 'minute' : 'second';
      const t = Date.parse(atText.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
      if (Number.isNaN(t)) errors.push({ path: 'at', message: `'${input.at}' is not a valid time` });
      else {
        const from = Math.floor(t / 1000) * 1000;
        windows = [{ from, to: from + (precision === 'minute' ? 60_000 : 1000) }];
      }
    }
  } else if (input.date !== undefined || input.time !== undefined) {
    atText = `${input.date ?? ''} ${input.time ?? ''} ${input.tz ?? ''}`.trim();
    const d = DATE.exec((input.date ?? '').trim());
    const t = TIME.exec((input.time ?? '').trim());
    const dateOk = d !== null && validDate(Number(d[3]), Number(d[1]), Number(d[2]));
    if (!dateOk) errors.push({ path: 'date', message: `'${input.date ?? ''}' is not a date MM/DD/YYYY` });
    const hourOk = t && (t[4] ? Number(t[1]) >= 1 && Number(t[1]) <= 12 : Number(t[1]) <= 23) && Number(t[2]) <= 59 && Number(t[3] ?? 0) <= 59;
    if (!t || !hourOk) errors.push({ path: 'time', message: `'${input.time ?? ''}' is not a time like 12:23 pm, 12:23:41 pm or 14:05` });
    let zone: string | undefined;
    if (!input.tz) errors.push({ path: 'tz', message: 'a date and time need a zone (ET, CT, MT, PT, UTC or an IANA name)' });
    else {
      try {
        zone = resolveZone(input.tz);
      } catch (e) {
        errors.push({ path: 'tz', message: (e as Error).message });
      }
    }
    if (d && dateOk && t && hourOk && zone) {
      let hour = Number(t[1]);
      const mer = t[4]?.toLowerCase().replaceAll('.', '');
      if (mer) hour = (hour % 12) + (mer === 'pm' ? 12 : 0);
      const minute = Number(t[2]);
      const second = t[3] === undefined ? 0 : Number(t[3]);
      {
        precision = t[3] === undefined ? 'minute' : 'second';
        const instants = instantsOf({ year: Number(d[3]), month: Number(d[1]), day: Number(d[2]), hour, minute, second }, zone);
        if (instants.length === 0) errors.push({ path: 'time', message: `${input.date} ${input.time} does not exist in ${zone} (the clocks skip that hour)` });
        windows = instants.map((from) => ({ from, to: from + (precision === 'minute' ? 60_000 : 1000) }));
      }
    }
  } else {
    errors.push({ path: 'at', message: 'give at (ISO-8601 with offset) or date + time + tz' });
  }

  let duration: number | undefined;
  if (input.duration_s !== undefined && String(input.duration_s).trim() !== '') {
    duration = Number(input.duration_s);
    if (!Number.isInteger(duration) || duration < 0 || duration > 86_400) errors.push({ path: 'duration_s', message: `'${input.duration_s}' is not a whole number of seconds` });
  }
  const origid = input.origid?.trim() ? input.origid.trim().toLowerCase() : undefined;
  if (origid && !UUID.test(origid)) errors.push({ path: 'origid', message: `'${input.origid}' is not a UUID` });

  if (errors.length > 0 || !calling || !called) return { ok: false, ...(id ? { id } : {}), errors };
  return {
    ok: true,
    request: {
      ...(id ? { id } : {}),
      calling,
      called,
      windows,
      precision,
      ...(duration !== undefined ? { duration_s: duration } : {}),
      ...(origid ? { origid } : {}),
      ...(input.campaign ? { campaign: input.campaign } : {}),
      at_text: atText,
    },
  };
}
