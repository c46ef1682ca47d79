import { randomBytes } from 'node:crypto';
import { getDemand } from '../demands/intake.ts';
import { thError } from '../errors.ts';
import { formatNanpDashed, toE164 } from '../phone/normalize-e164.ts';
import type { StateStore } from '../state/state-store.ts';
import { centralDayRange, isoDateToUs as isoToUs, usDateToIso as usToIso } from '../time/central-days.ts';
import type { HoldScope } from './hold-scope.ts';
import { HOLD_DAYS, type PreservationInput } from './preservation-schema.ts';

/**
 * Preservation holds (issue 7 item 2; 18 U.S.C. 2703(f)): a provider "shall take all
 * necessary steps to preserve records ... pending the issuance of a court order or other
 * legal process" for 90 days, extended once by 90 days on a renewed request. A hold is
 * tied to a demand of type preservation_request, covers only that demand's numbers and
 * dates, and while active blocks retention from deleting what it covers.
 */
export interface Preservation {
  readonly id: string;
  readonly demand_id: string;
  readonly numbers: string[];
  readonly date_from: string;
  readonly date_to: string;
  readonly starts_at: string;
  readonly ends_at: string;
  readonly status: 'active' | 'expired' | 'released';
  readonly created_at: string;
  readonly created_by: string;
  readonly expires_at: string;
  readonly extended: boolean;
  readonly extended_at: string | null;
  readonly released_at: string | null;
  readonly release_reason: string | null;
  readonly expiring_soon: boolean;
  readonly reminded_at: string | null;
  readonly note: string;
}

interface Row {
  id: string;
  demand_id: string;
  numbers: string;
  day_from: string;
  day_to: string;
  status: string;
  created_at: string;
  created_by: string;
  expires_at: string;
  extended_at: string | null;
  released_at: string | null;
  release_reason: string | null;
  reminded_at: string | null;
  note: string;
}

const SELECT = `SELECT id, demand_id, numbers, day_from::VARCHAR AS day_from, day_to::VARCHAR AS day_to, status,
  created_at::VARCHAR AS created_at, created_by, expires_at::VARCHAR AS expires_at, extended_at::VARCHAR AS extended_at,
  released_at::VARCHAR AS released_at, release_reason, reminded_at::VARCHAR AS reminded_at, note FROM preservations`;

const iso = (ts: string | null): string | null => (ts ? new Date(ts.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString() : null);
export const REMINDER_DAYS = 14;

function view(r: Row, now: Date): Preservation {
  const expires = iso(r.expires_at)!;
  const status = r.status === 'released' ? 'released' : Date.parse(expires) <= now.getTime() ? 'expired' : 'active';
  return {
    id: r.id,
    demand_id: r.demand_id,
    numbers: (JSON.parse(r.numbers) as string[]).map((n) => formatNanpDashed(n) ?? n),
    date_from: isoToUs(r.day_from),
    date_to: isoToUs(r.day_to),
    ...centralDayRange(r.day_from, r.day_to),
    status,
    created_at: iso(r.created_at)!,
    created_by: r.created_by,
    expires_at: expires,
    extended: r.extended_at !== null,
    extended_at: iso(r.extended_at),
    released_at: iso(r.released_at),
    release_reason: r.release_reason,
    expiring_soon: status === 'active' && Date.parse(expires) - now.getTime() <= REMINDER_DAYS * 86_400_000,
    reminded_at: iso(r.reminded_at),
    note: r.note,
  };
}

export async function createPreservation(state: StateStore, input: PreservationInput, by: { id: string; user: string }, now: Date): Promise<Preservation> {
  const demand = await getDemand(state, input.demand_id);
  if (!demand) throw thError('TH_NOT_FOUND', `no demand ${input.demand_id}`, { details: [{ path: 'demand_id' }] });
  if (demand['legal_process'] !== 'preservation_request') {
    throw thError('TH_PRESERVATION_DEMAND', `demand ${input.demand_id} is a ${String(demand['legal_process'])}, not a preservation_request`, { details: [{ path: 'demand_id', legal_process: demand['legal_process'] }] });
  }
  if (['rejected', 'withdrawn'].includes(String(demand['status']))) {
    throw thError('TH_PRESERVATION_DEMAND', `demand ${input.demand_id} is ${String(demand['status'])}`, { details: [{ path: 'demand_id', status: demand['status'] }] });
  }
  const allowed = new Set(demand['target_numbers'] as string[]);
  const numbers = input.numbers ?? [...allowed];
  const outside = numbers.filter((n) => !allowed.has(n));
  // the demand stores its range as ISO days (engine/demands/intake.ts)
  const dFrom = String(demand['date_from']);
  const dTo = String(demand['date_to']);
  const from = input.date_from ? usToIso(input.date_from) : dFrom;
  const to = input.date_to ? usToIso(input.date_to) : dTo;
  const range = [isoToUs(dFrom), isoToUs(dTo)];
  const details: unknown[] = [];
  if (outside.length > 0) details.push({ path: 'numbers', outside_demand: outside });
  if (from < dFrom || from > dTo) details.push({ path: 'date_from', demand_range: range });
  if (to > dTo || to < dFrom) details.push({ path: 'date_to', demand_range: range });
  if (from > to) details.push({ path: 'date_to', message: 'before date_from' });
  if (details.length > 0) throw thError('TH_PRESERVATION_SCOPE', `the hold reaches outside demand ${input.demand_id}'s numbers or dates`, { details });
  const e164 = [...new Set(numbers.map((n) => toE164(n)!))].sort();
  const id = `PH-${randomBytes(6).toString('hex').toUpperCase()}`;
  await state.exec(
    `INSERT INTO preservations (id, demand_id, numbers, day_from, day_to, status, created_at, created_by, expires_at, note)
     VALUES ($id, $demand, $numbers, $from::DATE, $to::DATE, 'active', $now::TIMESTAMPTZ, $by, $exp::TIMESTAMPTZ, $note)`,
    { id, demand: input.demand_id, numbers: JSON.stringify(e164), from, to, now: now.toISOString(), by: by.id, exp: new Date(now.getTime() + HOLD_DAYS * 86_400_000).toISOString(), note: input.note ?? '' },
  );
  return (await getPreservation(state, id, now))!;
}

export async function getPreservation(state: StateStore, id: string, now: Date): Promise<Preservation | null> {
  const r = await state.one<Row>(`${SELECT} WHERE id = $id`, { id });
  return r ? view(r, now) : null;
}

export async function listPreservations(state: StateStore, now: Date, q: { status?: string; demand_id?: string } = {}): Promise<Preservation[]> {
  const rows = await state.all<Row>(`${SELECT} WHERE ($demand = '' OR demand_id = $demand) ORDER BY expires_at`, { demand: q.demand_id ?? '' });
  return rows.map((r) => view(r, now)).filter((p) => !q.status || p.status === q.status);
}

/** One extension by 90 days from the current expiry (18 U.S.C. 2703(f)(2)), while still active. */
export async function extendPreservation(state: StateStore, id: string, by: { id: string }, now: Date, note?: string): Promise<Preservation> {
  const p = await getPreservation(state, id, now);
  if (!p) throw thError('TH_NOT_FOUND', `no preservation hold ${id}`);
  if (p.status !== 'active') throw thError('TH_PRESERVATION_EXPIRED', `hold ${id} is ${p.status}: a new preservation request is needed`);
  if (p.extended) throw thError('TH_PRESERVATION_EXTENDED', `hold ${id} was already extended on ${p.extended_at}`);
  await state.exec(
    `UPDATE preservations SET expires_at = expires_at + INTERVAL ${HOLD_DAYS} DAY, extended_at = $now::TIMESTAMPTZ, extended_by = $by,
       note = CASE WHEN $note = '' THEN note ELSE note || CASE WHEN note = '' THEN '' ELSE E'\\n' END || $note END, reminded_at = NULL
     WHERE id = $id AND extended_at IS NULL`,
    { id, now: now.toISOString(), by: by.id, note: note ?? '' },
  );
  return (await getPreservation(state, id, now))!;
}

export async function releasePreservation(state: StateStore, id: string, by: { id: string }, now: Date, reason: string): Promise<Preservation> {
  const p = await getPreservation(state, id, now);
  if (!p) throw thError('TH_NOT_FOUND', `no preservation hold ${id}`);
  if (p.status !== 'active') throw thError('TH_PRESERVATION_EXPIRED', `hold ${id} is already ${p.status}`);
  await state.exec(`UPDATE preservations SET status = 'released', released_at = $now::TIMESTAMPTZ, released_by = $by, release_reason = $reason WHERE id = $id`, {
    id,
    now: now.toISOString(),
    by: by.id,
    reason,
  });
  return (await getPreservation(state, id, now))!;
}

/** The scopes retention must not delete at `now`: every hold neither released nor expired. */
export async function activeHoldScopes(state: StateStore, now: Date): Promise<HoldScope[]> {
  return (await listPreservations(state, now, { status: 'active' })).map((p) => ({ id: p.id, numbers: p.numbers.map((n) => toE164(n)!), starts_at: p.starts_at, ends_at: p.ends_at }));
}

/**
 * Expiry reminders: active holds that end within REMINDER_DAYS and were not yet reminded
 * (or were extended since) are marked and returned, for the run log and the legal team.
 */
export async function holdReminders(state: StateStore, now: Date): Promise<Preservation[]> {
  const due = (await listPreservations(state, now, { status: 'active' })).filter((p) => p.expiring_soon && p.reminded_at === null);
  for (const p of due) await state.exec('UPDATE preservations SET reminded_at = $now::TIMESTAMPTZ WHERE id = $id', { id: p.id, now: now.toISOString() });
  return due.map((p) => ({ ...p, reminded_at: now.toISOString() }));
}
