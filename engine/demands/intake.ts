import { createHash, randomBytes } from 'node:crypto';
import { storeDocument } from '../documents/document-store.ts';
import ExcelJS from 'exceljs';
import { addBusinessHours, centralDay } from '../business-hours/business-hours.ts';
import { usDateToIso } from '../time/central-days.ts';
import { thError } from '../errors.ts';
import type { StateStore } from '../state/state-store.ts';
import type { DataLayout } from '../storage/layout.ts';
import type { DemandInput, DemandPatch } from './demand-schema.ts';

/**
 * Legal demand intake: the carrier's policy, one rule and one error code at a time, in the
 * order a clerk would check them. A valid demand gets a case number, the rules it passed
 * and a due time in business hours (Mon-Fri 8-17 Central, federal holidays excluded);
 * an exigent one ("Exigent" in the subject or the flag) is worked at once, due in hours.
 */
export const STANDARD_DUE_BUSINESS_HOURS = 40; // five business days
export const EXIGENT_DUE_HOURS = 4;

export interface Demand {
  readonly id: string;
  readonly status: string;
  readonly exigent: boolean;
  readonly due_at: string;
  readonly received_at: string;
  readonly rules_passed: string[];
  readonly target_numbers: string[];
  readonly legal_process: string;
  readonly protective_order_on_file: boolean;
}

const NUMBER = /^[2-9]\d{2}-[2-9]\d{2}-\d{4}$/;

/** Numbers of an attached list: one per line (txt, csv first column, xlsx first column). */
export async function attachmentNumbers(a: NonNullable<DemandInput['numbers_attachment']>): Promise<string[]> {
  const bytes = Buffer.from(a.content, 'base64');
  let lines: string[];
  if (/\.xlsx$/i.test(a.filename)) {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    } catch (e) {
      throw thError('TH_DEMAND_ATTACHMENT', `numbers_attachment ${a.filename} is not a readable xlsx workbook`, { cause: e, details: [{ path: 'numbers_attachment.content' }] });
    }
    lines = [];
    wb.worksheets[0]?.eachRow((row) => lines.push(String(row.getCell(1).text ?? '').trim()));
  } else {
    lines = bytes.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.split(',')[0]!.trim());
  }
  const numbers = lines.filter((l) => l !== '' && !/^(number|numbers|tn|phone)$/i.test(l));
  const bad = numbers.map((n, i) => ({ n, i })).filter(({ n }) => !NUMBER.test(n));
  if (bad.length > 0) {
    throw thError('TH_DEMAND_ATTACHMENT', `numbers_attachment line(s) ${bad.slice(0, 5).map((b) => `${b.i + 1} ('${b.n}')`).join(', ')} are not numbers XXX-XXX-XXXX`, {
      details: bad.slice(0, 50).map((b) => ({ path: `numbers_attachment[${b.i}]`, value: b.n })),
    });
  }
  return numbers;
}

export async function intakeDemand(state: StateStore, layout: DataLayout, input: DemandInput, by: { id: string }, now: Date): Promise<Demand> {
  const passed: string[] = [];
  // carrier policy: fax is refused
  if (input.received_via === 'fax') throw thError('TH_DEMAND_FAX_REFUSED', undefined, { details: [{ path: 'received_via', value: 'fax' }] });
  // carrier policy: verbal requests are refused, exigent ones included ("written, flagged")
  if (input.received_via === 'phone') throw thError('TH_DEMAND_VERBAL_REFUSED', undefined, { details: [{ path: 'received_via', value: 'phone' }] });
  passed.push('written_request');
  // carrier policy: one legal document per demand
  if (input.documents.length !== 1) throw thError('TH_DEMAND_DOCUMENT_COUNT', `a demand carries exactly one legal document; got ${input.documents.length}`, { details: [{ path: 'documents', count: input.documents.length }] });
  passed.push('one_legal_document');
  // carrier policy: 10 or more numbers come as an attached list, one per line
  const inline = input.target_numbers ?? [];
  if (inline.length >= 10) throw thError('TH_DEMAND_LIST_REQUIRED', `${inline.length} numbers given inline; attach them as a list (numbers_attachment)`, { details: [{ path: 'target_numbers', count: inline.length }] });
  const attached = input.numbers_attachment ? await attachmentNumbers(input.numbers_attachment) : [];
  const numbers = [...new Set([...inline, ...attached])];
  if (numbers.length === 0) throw thError('TH_DEMAND_NO_NUMBERS', undefined, { details: [{ path: 'target_numbers' }] });
  passed.push(attached.length > 0 ? 'numbers_as_attachment' : 'numbers_inline_under_10');
  // date range sane and not in the future
  const from = usDateToIso(input.date_from);
  const to = usDateToIso(input.date_to);
  const today = centralDay(now);
  if (from > to) throw thError('TH_DEMAND_DATE_RANGE', `date_from ${input.date_from} is after date_to ${input.date_to}`, { details: [{ path: 'date_from' }, { path: 'date_to' }] });
  if (to > today) throw thError('TH_DEMAND_DATE_RANGE', `date_to ${input.date_to} is in the future`, { details: [{ path: 'date_to' }] });
  passed.push('date_range');
  const docSha = createHash('sha256').update(Buffer.from(input.documents[0]!.content, 'base64')).digest('hex');
  const duplicateOf = async (tx: StateStore): Promise<void> => {
    const dup = await tx.one<{ id: string }>('SELECT id FROM demands WHERE document_sha256 = $s', { s: docSha });
    if (dup) throw thError('TH_DEMAND_DUPLICATE_DOCUMENT', `this legal document was already submitted as case ${dup.id}`, { details: [{ path: 'documents[0]', case: dup.id }] });
  };
  const exigent = input.exigent || /exigent/i.test(input.subject);
  const due = exigent ? new Date(now.getTime() + EXIGENT_DUE_HOURS * 3_600_000) : addBusinessHours(now, STANDARD_DUE_BUSINESS_HOURS);
  await storeDocument(layout, input.documents[0]!.content);
  const poSha = input.protective_order ? await storeDocument(layout, input.protective_order.content) : null;
  const id = `LD-${today.replaceAll('-', '')}-${randomBytes(3).toString('hex').toUpperCase()}`;
  const body = { ...input, documents: input.documents.map((d) => ({ filename: d.filename, media_type: d.media_type, sha256: docSha })), protective_order: input.protective_order ? { filename: input.protective_order.filename, sha256: poSha } : null, numbers_attachment: input.numbers_attachment ? { filename: input.numbers_attachment.filename, numbers: attached.length } : null };
  // group commit: concurrent intakes share one commit; the duplicate check runs inside
  // it, so two copies of one document sent at once still make one case
  await state.groupTransaction(async (tx) => {
    await duplicateOf(tx);
    await tx.exec(
      `INSERT INTO demands (id, created_at, created_by, status, status_reason, exigent, legal_process, received_via, subject, body, target_numbers, date_from, date_to, document_sha256, protective_order_sha256, due_at, updated_at)
       VALUES ($id, $now, $by, 'received', '', $exigent, $lp, $via, $subject, $body, $numbers, $from, $to, $doc, $po, $due, $now)`,
      { id, now: now.toISOString(), by: by.id, exigent, lp: input.legal_process, via: input.received_via, subject: input.subject, body: JSON.stringify(body), numbers: JSON.stringify(numbers), from, to, doc: docSha, po: poSha ?? '', due: due.toISOString() },
    );
  });
  passed.push('document_not_seen_before');
  return { id, status: 'received', exigent, due_at: due.toISOString(), received_at: now.toISOString(), rules_passed: passed, target_numbers: numbers, legal_process: input.legal_process, protective_order_on_file: poSha !== null };
}

interface DemandRow {
  id: string;
  created_at: string;
  created_by: string;
  status: string;
  status_reason: string;
  exigent: boolean;
  legal_process: string;
  received_via: string;
  subject: string;
  target_numbers: string;
  date_from: string;
  date_to: string;
  due_at: string;
  protective_order_sha256: string;
  updated_at: string;
}

export const demandView = (r: DemandRow): Record<string, unknown> => ({
  id: r.id,
  status: r.status,
  status_reason: r.status_reason || null,
  exigent: r.exigent,
  legal_process: r.legal_process,
  received_via: r.received_via,
  subject: r.subject,
  target_numbers: JSON.parse(r.target_numbers) as string[],
  date_from: r.date_from,
  date_to: r.date_to,
  received_at: r.created_at,
  due_at: r.due_at,
  protective_order_on_file: r.protective_order_sha256 !== '',
  updated_at: r.updated_at,
  created_by: r.created_by,
});

const SELECT = `SELECT id, created_at::VARCHAR AS created_at, created_by, status, status_reason, exigent, legal_process, received_via, subject, target_numbers, date_from, date_to, due_at::VARCHAR AS due_at, protective_order_sha256, updated_at::VARCHAR AS updated_at FROM demands`;

export async function getDemand(state: StateStore, id: string): Promise<Record<string, unknown> | null> {
  const r = await state.one<DemandRow>(`${SELECT} WHERE id = $id`, { id });
  return r ? demandView(r) : null;
}

export async function listDemands(state: StateStore, q: { status?: string; exigent?: boolean }): Promise<Record<string, unknown>[]> {
  const rows = await state.all<DemandRow>(`${SELECT} WHERE ($status = '' OR status = $status) AND ($ex = '' OR exigent = ($ex = 'true')) ORDER BY exigent DESC, due_at`, {
    status: q.status ?? '',
    ex: q.exigent === undefined ? '' : String(q.exigent),
  });
  return rows.map(demandView);
}

/** Status workflow: received -> in_review -> fulfilled | rejected (with reason); withdrawn by its submitter. */
const NEXT: Record<string, readonly string[]> = { received: ['in_review', 'rejected', 'withdrawn'], in_review: ['fulfilled', 'rejected', 'withdrawn'] };

export async function patchDemand(state: StateStore, layout: DataLayout, id: string, patch: DemandPatch, by: { id: string }, now: Date): Promise<Record<string, unknown>> {
  const r = await state.one<DemandRow>(`${SELECT} WHERE id = $id`, { id });
  if (!r) throw thError('TH_NOT_FOUND', `no demand ${id}`);
  if (patch.status && patch.status !== r.status) {
    if (!(NEXT[r.status] ?? []).includes(patch.status)) throw thError('TH_DEMAND_TRANSITION', `a ${r.status} demand cannot become ${patch.status}`, { details: [{ path: 'status', from: r.status, to: patch.status }] });
    if (patch.status === 'rejected' && !patch.reason) throw thError('TH_BAD_REQUEST', 'a rejection needs a reason', { details: [{ path: 'reason', message: 'required when rejecting' }] });
    if (patch.status === 'withdrawn' && r.created_by !== by.id) throw thError('TH_DEMAND_NOT_SUBMITTER');
  }
  const po = patch.protective_order ? await storeDocument(layout, patch.protective_order.content) : r.protective_order_sha256;
  await state.exec('UPDATE demands SET status = $s, status_reason = $reason, protective_order_sha256 = $po, updated_at = $now WHERE id = $id', {
    s: patch.status ?? r.status,
    reason: patch.reason ?? r.status_reason,
    po,
    now: now.toISOString(),
    id,
  });
  return (await getDemand(state, id))!;
}
