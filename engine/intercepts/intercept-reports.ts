import { createHash } from 'node:crypto';
import { CompactSign } from 'jose';
import type { StateStore } from '../state/state-store.ts';
import { canonicalJson } from './canonical-json.ts';
import { readChain } from './intercept-chain.ts';
import { listIntercepts, type ChainKey, type InterceptView } from './intercept-service.ts';

/** Reports over intercept records (issue 8 item 5): counts, active and expiring, and a signed export. */
export async function interceptReport(state: StateStore, from: string, to: string, now: Date): Promise<Record<string, unknown>> {
  const all = (await listIntercepts(state, now)).filter((v) => v.start_at.slice(0, 10) <= to && v.authorized_until.slice(0, 10) >= from);
  const count = (f: (v: InterceptView) => string) => all.reduce<Record<string, number>>((m, v) => ({ ...m, [f(v)]: (m[f(v)] ?? 0) + 1 }), {});
  const week = now.getTime() + 7 * 86_400_000;
  return {
    from,
    to,
    records: all.length,
    by_type: count((v) => v.type),
    by_agency: count((v) => v.le_officer['agency'] ?? ''),
    active: all.filter((v) => v.status === 'active').map((v) => v.id),
    expiring_within_7_days: all.filter((v) => v.status === 'active' && Date.parse(v.authorized_until) <= week && Date.parse(v.authorized_until) >= now.getTime()).map((v) => v.id),
    violations: all.filter((v) => v.violation).map((v) => v.id),
    compromised: all.filter((v) => v.compromises.length > 0).map((v) => v.id),
  };
}

/** The records of a period with their chain entries, signed (JWS ES256 over the SHA-256 of the canonical JSON). */
export async function signedExport(state: StateStore, key: ChainKey, from: string, to: string, now: Date): Promise<{ json: Record<string, unknown>; csv: string }> {
  const records = (await listIntercepts(state, now)).filter((v) => v.start_at.slice(0, 10) <= to && v.authorized_until.slice(0, 10) >= from);
  const ids = new Set(records.map((r) => r.id));
  const chain = (await readChain(state)).filter((s) => ids.has(s.entry.intercept_id));
  const body = { period: { from, to }, exported_at: now.toISOString(), records, chain };
  const digest = createHash('sha256').update(canonicalJson(body)).digest('hex');
  const signature = await new CompactSign(new TextEncoder().encode(digest)).setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'intercept-export' }).sign(key.privateKey);
  const cols = ['id', 'type', 'status', 'targets', 'circuit_ids', 'start_at', 'authorized_until', 'officer', 'agency', 'signed_by', 'issuer', 'responsible_employee', 'approved_by', 'vendor', 'violation', 'compromises'];
  const esc = (v: unknown) => (/[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
  const rows = records.map((r) => [r.id, r.type, r.status, r.targets.join(' '), r.circuit_ids.join(' '), r.start_at, r.authorized_until, r.le_officer['name'], r.le_officer['agency'], r.authorization[0]?.signed_by ?? '', r.authorization[0]?.issuer ?? '', r.responsible_employee, r.approved_by ?? '', r.vendor, r.violation, r.compromises.length].map(esc).join(','));
  return { json: { ...body, sha256: digest, signature }, csv: [cols.join(','), ...rows].join('\n') + '\n' };
}

/**
 * Delivery timing of call-identifying messages (the vendor's log): the share delivered
 * within 8 seconds of the event — the 95% expectation of the CALEA capability rules —
 * and timestamp accuracy (deliveries stamped before their event are clock errors).
 */
export function deliveryTiming(csv: string): { messages: number; within_8s: number; share_within_8s: number; meets_95_percent: boolean; clock_errors: number; max_delay_s: number; median_delay_s: number; bad_lines: number[] } {
  const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const start = /event/i.test(lines[0] ?? '') ? 1 : 0;
  const delays: number[] = [];
  const bad: number[] = [];
  let clock = 0;
  lines.slice(start).forEach((l, i) => {
    const [a, b] = l.split(',').map((x) => x.trim());
    const e = Date.parse(a ?? '');
    const d = Date.parse(b ?? '');
    if (Number.isNaN(e) || Number.isNaN(d)) return void bad.push(i + 1 + start);
    if (d < e) clock++;
    delays.push((d - e) / 1000);
  });
  const within = delays.filter((x) => x >= 0 && x <= 8).length;
  const sorted = [...delays].sort((x, y) => x - y);
  const share = delays.length ? within / delays.length : 0;
  return { messages: delays.length, within_8s: within, share_within_8s: +share.toFixed(4), meets_95_percent: share >= 0.95, clock_errors: clock, max_delay_s: sorted[sorted.length - 1] ?? 0, median_delay_s: sorted[Math.floor(sorted.length / 2)] ?? 0, bad_lines: bad };
}
