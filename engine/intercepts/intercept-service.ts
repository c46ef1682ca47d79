import { randomUUID, type KeyObject } from 'node:crypto';
import { storeDocument } from '../documents/document-store.ts';
import { thError } from '../errors.ts';
import { toE164 } from '../phone/normalize-e164.ts';
import type { StateStore } from '../state/state-store.ts';
import type { DataLayout } from '../storage/layout.ts';
import { appendEntry, readChain, type ChainEntry, type StoredEntry } from './intercept-chain.ts';
import { MAX_DAYS, type InterceptInput } from './intercept-schema.ts';

/**
 * Intercept records and their lifecycle (47 CFR 1.20003, 1.20004): created `pending`;
 * `active` only when a senior officer other than the creator approves (the affirmative
 * intervention of a carrier officer, 1.20003(a)); `extended` with a new attached
 * authorization; `terminated` at or before the authorization's end; compromises reported
 * (1.20003(b)) with a notification to the agency. State is always folded from the chain.
 */
export interface Actor {
  readonly user: string;
  readonly role: string;
}
export interface ChainKey {
  readonly privateKey: KeyObject;
  readonly kid: string;
}

export interface InterceptView {
  id: string;
  status: 'pending' | 'active' | 'terminated';
  type: string;
  targets: string[];
  circuit_ids: string[];
  start_at: string;
  le_officer: Record<string, string>;
  authorization: { signed_by: string; issuer: string; docket: string; starts: string; ends: string; document_sha256: string }[];
  authorized_until: string;
  responsible_employee: string;
  demand_id: string;
  vendor: string;
  created_by: string;
  approved_by: string | null;
  approved_at: string | null;
  extended: number;
  terminated: { at: string; by: string; reason: string } | null;
  compromises: { description: string; discovered_at: string; reported_by: string; notification: unknown }[];
  annotations: { at: string; by: string; note: string }[];
  not_served: { numbers: string[]; reason: string } | null;
  expiry_warning: boolean;
  overdue: boolean;
  /** an interception still active past its authorization: shown everywhere */
  violation: boolean;
  entries: number;
}

const checkDuration = (type: keyof typeof MAX_DAYS, starts: string, ends: string): void => {
  const days = (Date.parse(ends) - Date.parse(starts)) / 86_400_000;
  if (days <= 0) throw thError('TH_BAD_REQUEST', 'authorization.ends is not after authorization.starts', { details: [{ path: 'authorization.ends' }] });
  const max = MAX_DAYS[type];
  if (max !== null && days > max) {
    throw thError('TH_POLICY', `a ${type} authorization may run at most ${max} days (${type === 'title_iii' ? '18 U.S.C. 2518(5)' : '18 U.S.C. 3123(c)(1)'}); this one runs ${days.toFixed(1)}`, {
      details: [{ path: 'authorization.ends', max_days: max }],
    });
  }
};

export function fold(entries: readonly ChainEntry[], now: Date): InterceptView | null {
  if (entries.length === 0) return null;
  const c = entries[0]!;
  if (c.event !== 'create') return null;
  const d = c.data as Record<string, any>;
  const v: InterceptView = {
    id: c.intercept_id,
    status: 'pending',
    type: d['type'],
    targets: d['targets'],
    circuit_ids: d['circuit_ids'],
    start_at: d['start_at'],
    le_officer: d['le_officer'],
    authorization: [d['authorization']],
    authorized_until: d['authorization'].ends,
    responsible_employee: d['responsible_employee'],
    demand_id: d['demand_id'],
    vendor: d['vendor'],
    created_by: c.actor,
    approved_by: null,
    approved_at: null,
    extended: 0,
    terminated: null,
    compromises: [],
    annotations: [],
    not_served: d['not_served'] ?? null,
    expiry_warning: false,
    overdue: false,
    violation: false,
    entries: entries.length,
  };
  for (const e of entries.slice(1)) {
    const x = e.data as Record<string, any>;
    if (e.event === 'approve') {
      v.status = 'active';
      v.approved_by = e.actor;
      v.approved_at = e.at;
    } else if (e.event === 'extend') {
      v.authorization.push(x['authorization']);
      v.authorized_until = x['authorization'].ends;
      v.extended++;
    } else if (e.event === 'terminate') {
      v.status = 'terminated';
      v.terminated = { at: e.at, by: e.actor, reason: x['reason'] };
    } else if (e.event === 'compromise') v.compromises.push({ description: x['description'], discovered_at: x['discovered_at'], reported_by: e.actor, notification: x['notification'] });
    else if (e.event === 'annotate') v.annotations.push({ at: e.at, by: e.actor, note: x['note'] });
    else if (e.event === 'expiry_warning') v.expiry_warning = true;
    else if (e.event === 'overdue') v.overdue = true;
  }
  v.violation = v.status === 'active' && now.getTime() > Date.parse(v.authorized_until);
  return v;
}

export async function entriesOf(state: StateStore, id: string): Promise<ChainEntry[]> {
  const rows = await state.all<{ entry: string }>('SELECT entry FROM intercept_entries WHERE intercept_id = $id ORDER BY seq', { id });
  return rows.map((r) => JSON.parse(r.entry) as ChainEntry);
}

export async function getIntercept(state: StateStore, id: string, now: Date): Promise<InterceptView | null> {
  return fold(await entriesOf(state, id), now);
}

export async function listIntercepts(state: StateStore, now: Date): Promise<InterceptView[]> {
  const byId = new Map<string, ChainEntry[]>();
  for (const s of await readChain(state)) byId.set(s.entry.intercept_id, [...(byId.get(s.entry.intercept_id) ?? []), s.entry]);
  return [...byId.values()].map((es) => fold(es, now)).filter((v): v is InterceptView => v !== null);
}

export async function createIntercept(state: StateStore, layout: DataLayout, key: ChainKey, input: InterceptInput, by: Actor, now: Date): Promise<{ view: InterceptView; entry: StoredEntry }> {
  checkDuration(input.type, input.authorization.starts, input.authorization.ends);
  const targets = input.targets.map((t) => toE164(t)!).filter(Boolean);
  // numbers the carrier serves (the inventory), or the record says why not
  const served = new Set((await state.all<{ number: string }>('SELECT number FROM inventory WHERE active')).map((r) => r.number));
  const notServed = targets.filter((t) => !served.has(t));
  if (notServed.length > 0 && !input.not_served_reason) {
    throw thError('TH_POLICY', `targets ${notServed.join(', ')} are not active numbers in the carrier's inventory: give not_served_reason`, { details: notServed.map((n) => ({ path: 'targets', number: n })) });
  }
  const docSha = await storeDocument(layout, input.authorization.document.content);
  const id = `IC-${randomUUID()}`;
  const { document: _doc, ...auth } = input.authorization;
  const entry = await appendEntry(state, key, {
    intercept_id: id,
    event: 'create',
    at: now.toISOString(),
    actor: by.user,
    role: by.role,
    data: {
      targets,
      circuit_ids: input.circuit_ids,
      type: input.type,
      start_at: input.start_at,
      le_officer: input.le_officer,
      authorization: { ...auth, document_sha256: docSha, document_name: input.authorization.document.filename },
      responsible_employee: input.responsible_employee,
      demand_id: input.demand_id,
      vendor: input.vendor,
      not_served: notServed.length > 0 ? { numbers: notServed, reason: input.not_served_reason } : null,
      notify_webhook: input.notify_webhook ?? null,
    },
  });
  return { view: fold([entry.entry], now)!, entry };
}

async function mustGet(state: StateStore, id: string, now: Date): Promise<{ view: InterceptView; create: ChainEntry }> {
  const es = await entriesOf(state, id);
  const view = fold(es, now);
  if (!view) throw thError('TH_NOT_FOUND', `no intercept record ${id}`);
  return { view, create: es[0]! };
}

export async function approveIntercept(state: StateStore, key: ChainKey, id: string, by: Actor, now: Date): Promise<InterceptView> {
  const { view } = await mustGet(state, id, now);
  if (by.role !== 'senior_officer') throw thError('TH_FORBIDDEN', 'only a senior officer approves an interception (47 CFR 1.20003)');
  if (view.status !== 'pending') throw thError('TH_CONFLICT', `the record is ${view.status}, not pending`);
  if (by.user === view.created_by) throw thError('TH_POLICY', 'the creator of a record may not approve it: a second officer must intervene (47 CFR 1.20003(a))');
  await appendEntry(state, key, { intercept_id: id, event: 'approve', at: now.toISOString(), actor: by.user, role: by.role, data: {} });
  return (await getIntercept(state, id, now))!;
}

export async function extendIntercept(state: StateStore, layout: DataLayout, key: ChainKey, id: string, authorization: InterceptInput['authorization'], by: Actor, now: Date): Promise<InterceptView> {
  const { view } = await mustGet(state, id, now);
  if (view.status !== 'active') throw thError('TH_CONFLICT', `only an active interception is extended; this one is ${view.status}`);
  checkDuration(view.type as keyof typeof MAX_DAYS, authorization.starts, authorization.ends);
  const sha = await storeDocument(layout, authorization.document.content);
  const { document: _d, ...auth } = authorization;
  await appendEntry(state, key, { intercept_id: id, event: 'extend', at: now.toISOString(), actor: by.user, role: by.role, data: { authorization: { ...auth, document_sha256: sha, document_name: authorization.document.filename } } });
  return (await getIntercept(state, id, now))!;
}

export async function terminateIntercept(state: StateStore, key: ChainKey, id: string, reason: string, by: Actor, now: Date): Promise<InterceptView> {
  const { view } = await mustGet(state, id, now);
  if (view.status === 'terminated') throw thError('TH_CONFLICT', 'already terminated');
  await appendEntry(state, key, { intercept_id: id, event: 'terminate', at: now.toISOString(), actor: by.user, role: by.role, data: { reason } });
  return (await getIntercept(state, id, now))!;
}

export async function annotateIntercept(state: StateStore, key: ChainKey, id: string, note: string, by: Actor, now: Date): Promise<InterceptView> {
  await mustGet(state, id, now);
  await appendEntry(state, key, { intercept_id: id, event: 'annotate', at: now.toISOString(), actor: by.user, role: by.role, data: { note } });
  return (await getIntercept(state, id, now))!;
}

/** 47 CFR 1.20003(b): record a compromise and notify the affected agency (webhook when configured). */
export async function reportCompromise(state: StateStore, key: ChainKey, id: string, c: { description: string; discovered_at: string }, by: Actor, now: Date, post: (url: string, body: unknown) => Promise<number> = postJson): Promise<InterceptView> {
  const { view, create } = await mustGet(state, id, now);
  const webhook = (create.data as { notify_webhook?: string | null }).notify_webhook ?? null;
  const message = { intercept_id: id, agency: view.le_officer['agency'], description: c.description, discovered_at: c.discovered_at, reported_at: now.toISOString() };
  let notification: Record<string, unknown> = { channel: 'email', to: view.le_officer['agency'], status: 'queued', message };
  if (webhook) {
    try {
      const status = await post(webhook, message);
      notification = { channel: 'webhook', to: webhook, status: status >= 200 && status < 300 ? 'delivered' : `http ${status}`, message };
    } catch (e) {
      notification = { channel: 'webhook', to: webhook, status: `failed: ${(e as Error).message}`, message };
    }
  }
  await appendEntry(state, key, { intercept_id: id, event: 'compromise', at: now.toISOString(), actor: by.user, role: by.role, data: { ...c, notification } });
  return (await getIntercept(state, id, now))!;
}

async function postJson(url: string, body: unknown): Promise<number> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(5000), redirect: 'error' });
  return r.status;
}

/** The expiry job: warns 3 days before an authorization ends, marks an active one past its end overdue. */
export async function checkExpiries(state: StateStore, key: ChainKey, now: Date, warnDays = 3): Promise<{ warned: string[]; overdue: string[] }> {
  const warned: string[] = [];
  const overdue: string[] = [];
  for (const v of await listIntercepts(state, now)) {
    if (v.status !== 'active') continue;
    const left = Date.parse(v.authorized_until) - now.getTime();
    if (left < 0 && !v.overdue) {
      await appendEntry(state, key, { intercept_id: v.id, event: 'overdue', at: now.toISOString(), actor: 'system', role: 'system', data: { authorized_until: v.authorized_until } });
      overdue.push(v.id);
    } else if (left >= 0 && left <= warnDays * 86_400_000 && !v.expiry_warning) {
      await appendEntry(state, key, { intercept_id: v.id, event: 'expiry_warning', at: now.toISOString(), actor: 'system', role: 'system', data: { authorized_until: v.authorized_until } });
      warned.push(v.id);
    }
  }
  return { warned, overdue };
}
