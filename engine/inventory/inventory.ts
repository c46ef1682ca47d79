import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { centralDay } from '../business-hours/business-hours.ts';
import { thError } from '../errors.ts';
import { toE164 } from '../phone/normalize-e164.ts';
import { keyedMutex } from '../state/keyed-mutex.ts';
import type { StateStore } from '../state/state-store.ts';
import { splitCsvLine } from '../text/csv-line.ts';

/**
 * The number inventory and the law-enforcement look-up portal (carrier policy): individual
 * officer accounts, at most 25 numbers per account per calendar day (Central); data only for
 * an active number whose customer consented; for any other number the same answer, "serve a
 * legal demand", so the portal never reveals whether a number exists.
 */
export const DAILY_LOOKUP_LIMIT = 25;
const HEADER = ['number', 'customer', 'calea_contact', 'in_service_date', 'active', 'cpni_consent'];

export async function importInventory(state: StateStore, file: string): Promise<{ rows: number; rejected: { line: number; reason: string }[] }> {
  const lines = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  const head = splitCsvLine(lines[0] ?? '', ',').map((h) => h.trim().toLowerCase());
  if (head.join(',') !== HEADER.join(',')) throw thError('TH_INPUT_HEADER', `inventory header must be ${HEADER.join(',')}; got ${lines[0]}`);
  const rejected: { line: number; reason: string }[] = [];
  const rows: [string, string, string, string, boolean, boolean][] = [];
  lines.slice(1).forEach((l, i) => {
    if (l.trim() === '') return;
    const f = splitCsvLine(l, ',').map((x) => x.trim());
    const line = i + 2;
    if (f.length !== 6) return void rejected.push({ line, reason: `expected 6 fields, got ${f.length}` });
    const n = toE164(f[0]!);
    if (!n) return void rejected.push({ line, reason: `number '${f[0]}' is not valid` });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(f[3]!) && !/^\d{2}\/\d{2}\/\d{4}$/.test(f[3]!)) return void rejected.push({ line, reason: `in_service_date '${f[3]}' is not a date` });
    const bool = (v: string) => (v.toLowerCase() === 'true' ? true : v.toLowerCase() === 'false' ? false : null);
    const active = bool(f[4]!);
    const consent = bool(f[5]!);
    if (active === null || consent === null) return void rejected.push({ line, reason: 'active and cpni_consent are true or false' });
    rows.push([n, f[1]!, f[2]!, f[3]!, active, consent]);
  });
  await state.transaction(async (tx) => {
    for (const r of rows) {
      await tx.exec(
        `INSERT INTO inventory (number, customer, calea_contact, in_service_date, active, cpni_consent) VALUES ($n, $c, $k, $d, $a, $p)
         ON CONFLICT (number) DO UPDATE SET customer = excluded.customer, calea_contact = excluded.calea_contact, in_service_date = excluded.in_service_date, active = excluded.active, cpni_consent = excluded.cpni_consent`,
        { n: r[0], c: r[1], k: r[2], d: r[3], a: r[4], p: r[5] },
      );
    }
  });
  return { rows: rows.length, rejected };
}

export interface LookupAnswer {
  readonly number: string;
  readonly result: 'found' | 'serve_legal_demand';
  readonly customer?: string;
  readonly calea_contact?: string;
  readonly in_service_date?: string;
  readonly message?: string;
}

export async function usedToday(state: StateStore, accountId: string, now: Date): Promise<number> {
  const r = await state.one<{ n: string }>('SELECT coalesce(sum(count), 0)::VARCHAR AS n FROM tn_lookups WHERE account_id = $a AND day_central = $d', { a: accountId, d: centralDay(now) });
  return Number(r?.n ?? 0);
}

const perAccount = keyedMutex();

export async function lookupNumbers(state: StateStore, accountId: string, numbers: readonly string[], now: Date): Promise<{ id: string; answers: LookupAnswer[]; remaining_today: number }> {
  // One look-up per account at a time (the quota check and the record stay atomic); the
  // reads go to reader connections and only the record joins the group commit.
  return perAccount(accountId, async () => {
    const used = await usedToday(state, accountId, now);
    if (used + numbers.length > DAILY_LOOKUP_LIMIT) {
      throw thError('TH_LOOKUP_QUOTA', `${numbers.length} number(s) asked, ${Math.max(0, DAILY_LOOKUP_LIMIT - used)} left today (Central time)`, {
        details: [{ limit: DAILY_LOOKUP_LIMIT, used_today: used, remaining_today: Math.max(0, DAILY_LOOKUP_LIMIT - used) }],
      });
    }
    const answers: LookupAnswer[] = [];
    const e164 = numbers.map((raw) => toE164(raw));
    const known = new Map(
      (
        await state.all<{ number: string; customer: string; calea_contact: string; in_service_date: string; active: boolean; cpni_consent: boolean }>(
          'SELECT number, customer, calea_contact, in_service_date, active, cpni_consent FROM inventory WHERE number IN (SELECT unnest($ns::VARCHAR[]))',
          { ns: JSON.stringify(e164.filter((n): n is string => n !== null)) },
        )
      ).map((r) => [r.number, r]),
    );
    for (const [i, raw] of numbers.entries()) {
      const n = e164[i];
      const r = n ? known.get(n) : undefined;
      if (r && r.active && r.cpni_consent) answers.push({ number: raw, result: 'found', customer: r.customer, calea_contact: r.calea_contact, in_service_date: r.in_service_date });
      else answers.push({ number: raw, result: 'serve_legal_demand', message: 'No information can be released for this number through the portal; serve a legal demand.' });
    }
    const id = randomUUID();
    await state.groupTransaction((tx) =>
      tx.exec('INSERT INTO tn_lookups (id, account_id, occurred_at, day_central, count, results) VALUES ($id, $a, $at, $d, $c, $r)', {
        id,
        a: accountId,
        at: now.toISOString(),
        d: centralDay(now),
        c: numbers.length,
        r: JSON.stringify(answers),
      }),
    );
    return { id, answers, remaining_today: DAILY_LOOKUP_LIMIT - used - numbers.length };
  });
}

export async function getLookup(state: StateStore, id: string, accountId: string): Promise<LookupAnswer[] | null> {
  const r = await state.one<{ results: string }>('SELECT results FROM tn_lookups WHERE id = $id AND account_id = $a', { id, a: accountId });
  return r ? (JSON.parse(r.results) as LookupAnswer[]) : null;
}
