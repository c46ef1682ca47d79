import { randomUUID } from 'node:crypto';
import { thError } from '../errors.ts';
import { queryFile } from '../sql/query-file.ts';
import type { StateStore } from '../state/state-store.ts';
import { withLock } from '../storage/file-lock.ts';
import type { DataLayout } from '../storage/layout.ts';
import { countInScope } from './count-in-scope.ts';
import { loadExportConfig } from './export-config.ts';
import { produceFiles, type SigningKeyLike } from './export-production.ts';
import { resolveScope, type DemandScope } from './export-scope.ts';
import { type ExportRequest } from './export-schema.ts';
import { selectExport, viewOf, type ExportRow, type ExportView } from './export-store.ts';
import { feeEstimate } from './fee-estimate.ts';
import { checkRelease, type DemandFacts, type ReleaseRule } from './release-rules.ts';
import { XLSX_MAX_DATA_ROWS } from './write-export.ts';

/**
 * The export workflow (carrier policy: "CDRs leave only through an export tied to an
 * approved demand, inside its numbers and dates, approved by the CPNI officer"; 47 U.S.C.
 * 222, 47 CFR 64.2010 safeguards on CPNI disclosure):
 *
 *   requested ──approve (a CPNI officer, not the requester)──► approved ──► produced
 *       └──────deny (with a reason)──────► denied
 *
 * Production runs synchronously at approval: the approving officer's response carries
 * the manifest (fine at the sizes demands ask for: 1M rows take seconds). If production
 * fails the export stays approved and POST /v1/exports/:id/produce retries it. Every rule
 * is checked again at approval and production: a demand may have been withdrawn or its
 * protective order may be missing by then.
 */
export interface Actor {
  readonly user: string;
  readonly role: string;
}

interface DemandRow {
  id: string;
  status: string;
  legal_process: string;
  target_numbers: string;
  date_from: string;
  date_to: string;
  protective_order_on_file: boolean;
}

async function loadDemand(state: StateStore, id: string): Promise<DemandFacts & DemandScope> {
  const d = await state.one<DemandRow>(queryFile('exports/demand-for-export'), { id });
  if (!d) throw thError('TH_NOT_FOUND', `no demand ${id}`, { details: [{ path: 'demand_id', value: id }] });
  return { ...d, target_numbers: JSON.parse(d.target_numbers) as string[] };
}

/** The demand still allows this export: open, a releasing process, protective order, scope inside. */
async function recheck(state: StateStore, x: ExportView): Promise<ReleaseRule> {
  const demand = await loadDemand(state, x.demand_id);
  const rule = checkRelease(demand);
  resolveScope(demand, { numbers: x.scope.numbers, date_from: x.scope.date_from, date_to: x.scope.date_to, columns: x.scope.columns });
  return rule;
}

async function mustGet(state: StateStore, id: string, now: Date): Promise<ExportView> {
  const r = await selectExport(state, id);
  if (!r) throw thError('TH_NOT_FOUND', `no export ${id}`);
  return viewOf(r, now);
}

export async function requestExport(state: StateStore, layout: DataLayout, input: ExportRequest, by: Actor, now: Date): Promise<ExportView> {
  const demand = await loadDemand(state, input.demand_id);
  checkRelease(demand);
  const scope = resolveScope(demand, input);
  const rows = await countInScope(layout, scope);
  if (input.formats.includes('xlsx') && rows > XLSX_MAX_DATA_ROWS) {
    throw thError('TH_EXPORT_FORMAT_LIMIT', `${rows.toLocaleString('en-US')} calls in scope do not fit in xlsx (at most ${XLSX_MAX_DATA_ROWS.toLocaleString('en-US')} data rows a sheet): ask for csv or parquet, or narrow the scope`, {
      details: [{ path: 'formats', rows, xlsx_max_rows: XLSX_MAX_DATA_ROWS }],
    });
  }
  const fee = feeEstimate(rows, demand.legal_process, loadExportConfig(layout).fees);
  const id = `EX-${randomUUID()}`;
  await state.exec(queryFile('exports/insert-export'), {
    id,
    demand_id: demand.id,
    legal_process: demand.legal_process,
    scope: JSON.stringify(scope),
    formats: JSON.stringify([...new Set(input.formats)]),
    note: input.note ?? '',
    estimated_rows: rows,
    fee_estimate: JSON.stringify(fee),
    requested_by: by.user,
    at: now.toISOString(),
  });
  return mustGet(state, id, now);
}

async function decide(state: StateStore, id: string, status: 'approved' | 'denied', reason: string, by: Actor, now: Date): Promise<void> {
  await state.transaction(async (tx) => {
    const r = await tx.one<ExportRow>(queryFile('exports/select-exports'), { id, demand_id: '', status: '' });
    if (!r) throw thError('TH_NOT_FOUND', `no export ${id}`);
    if (r.status !== 'requested') throw thError('TH_EXPORT_STATE', `export ${id} is ${r.status}; only a requested export is ${status}`, { details: [{ status: r.status }] });
    await tx.exec(queryFile('exports/update-export-decision'), { id, status, by: by.user, at: now.toISOString(), reason });
  });
}

export async function approveExport(state: StateStore, layout: DataLayout, key: SigningKeyLike, id: string, by: Actor, now: Date, note = ''): Promise<ExportView> {
  const x = await mustGet(state, id, now);
  if (x.status !== 'requested') throw thError('TH_EXPORT_STATE', `export ${id} is ${x.status}; only a requested export is approved`, { details: [{ status: x.status }] });
  // carrier policy: two different people, the requester and the approving CPNI officer (two-person rule)
  if (x.requested_by === by.user) throw thError('TH_EXPORT_SELF_APPROVAL', `${by.user} requested export ${id} and cannot approve it: another CPNI officer must`, { details: [{ requested_by: x.requested_by }] });
  await recheck(state, x);
  await decide(state, id, 'approved', note, by, now);
  return produceExport(state, layout, key, id, now);
}

export async function denyExport(state: StateStore, id: string, reason: string, by: Actor, now: Date): Promise<ExportView> {
  await mustGet(state, id, now);
  await decide(state, id, 'denied', reason, by, now);
  return mustGet(state, id, now);
}

/** Write the files of an approved export (at approval, or again after a failed attempt). */
export async function produceExport(state: StateStore, layout: DataLayout, key: SigningKeyLike, id: string, now: Date): Promise<ExportView> {
  return withLock(layout.locksDir, `export-${id}`, async () => {
    const x = await mustGet(state, id, now);
    // nothing leaves before a CPNI officer approves
    if (x.status === 'requested' || x.status === 'denied') throw thError('TH_EXPORT_NOT_APPROVED', `export ${id} is ${x.status}: nothing is produced before a CPNI officer approves it`, { details: [{ status: x.status }] });
    if (x.status === 'produced') throw thError('TH_EXPORT_STATE', `export ${id} is already produced`, { details: [{ status: x.status }] });
    const rule = await recheck(state, x);
    const cfg = loadExportConfig(layout);
    const m = await produceFiles(
      layout,
      key,
      { ...x, legal_basis: rule.basis, approved_by: x.approved_by!, approved_at: x.approved_at! },
      now,
      cfg.download_days,
    );
    await state.exec(queryFile('exports/update-export-produced'), { id, at: m.produced_at, expires: m.download_expires_at, rows: m.rows, files: JSON.stringify(m.files), manifest: JSON.stringify(m) });
    return mustGet(state, id, now);
  });
}

export async function getExport(state: StateStore, id: string, now: Date): Promise<ExportView | null> {
  const r = await selectExport(state, id);
  return r ? viewOf(r, now) : null;
}
