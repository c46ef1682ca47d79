import { queryFile } from '../sql/query-file.ts';
import type { StateStore } from '../state/state-store.ts';
import { ExportFileSchema, ExportScopeSchema, FeeEstimateSchema, ManifestSchema, type ExportFile, type ExportFormat, type ExportScope, type ExportStatus, type FeeEstimate, type Manifest } from './export-schema.ts';

/** Export rows in the state store and the view the API shows (JSON columns parsed by their schemas). */
export interface ExportRow {
  readonly id: string;
  readonly demand_id: string;
  readonly legal_process: string;
  readonly status: ExportStatus;
  readonly scope: string;
  readonly formats: string;
  readonly note: string;
  readonly estimated_rows: string;
  readonly fee_estimate: string;
  readonly requested_by: string;
  readonly requested_at: string;
  readonly decided_by: string;
  readonly decided_at: string | null;
  readonly decision_reason: string;
  readonly produced_at: string | null;
  readonly download_expires_at: string | null;
  readonly rows_exported: string | null;
  readonly files: string;
  readonly manifest: string;
}

export interface ExportView {
  readonly id: string;
  readonly demand_id: string;
  readonly legal_process: string;
  readonly status: ExportStatus;
  readonly scope: ExportScope;
  readonly formats: ExportFormat[];
  readonly note: string | null;
  readonly estimated_rows: number;
  readonly fee_estimate: FeeEstimate;
  readonly requested_by: string;
  readonly requested_at: string;
  readonly approved_by: string | null;
  readonly approved_at: string | null;
  readonly denied_by: string | null;
  readonly denied_at: string | null;
  readonly denial_reason: string | null;
  readonly produced_at: string | null;
  readonly download_expires_at: string | null;
  readonly download_expired: boolean;
  readonly rows: number | null;
  readonly files: (ExportFile & { url: string })[];
  readonly manifest: Manifest | null;
}

export const viewOf = (r: ExportRow, now: Date): ExportView => {
  const approved = r.status === 'approved' || r.status === 'produced';
  const denied = r.status === 'denied';
  const files = ExportFileSchema.array().parse(JSON.parse(r.files));
  return {
    id: r.id,
    demand_id: r.demand_id,
    legal_process: r.legal_process,
    status: r.status,
    scope: ExportScopeSchema.parse(JSON.parse(r.scope)),
    formats: JSON.parse(r.formats) as ExportFormat[],
    note: r.note || null,
    estimated_rows: Number(r.estimated_rows),
    fee_estimate: FeeEstimateSchema.parse(JSON.parse(r.fee_estimate)),
    requested_by: r.requested_by,
    requested_at: r.requested_at,
    approved_by: approved ? r.decided_by : null,
    approved_at: approved ? r.decided_at : null,
    denied_by: denied ? r.decided_by : null,
    denied_at: denied ? r.decided_at : null,
    denial_reason: denied ? r.decision_reason : null,
    produced_at: r.produced_at,
    download_expires_at: r.download_expires_at,
    download_expired: r.download_expires_at !== null && now.getTime() > Date.parse(r.download_expires_at),
    rows: r.rows_exported === null ? null : Number(r.rows_exported),
    files: files.map((f) => ({ ...f, url: `/v1/exports/${r.id}/files/${f.name}` })),
    manifest: r.manifest ? ManifestSchema.parse(JSON.parse(r.manifest)) : null,
  };
};

export async function selectExports(state: StateStore, q: { id?: string; demand_id?: string; status?: string } = {}): Promise<ExportRow[]> {
  return state.all<ExportRow>(queryFile('exports/select-exports'), { id: q.id ?? '', demand_id: q.demand_id ?? '', status: q.status ?? '' });
}

export async function selectExport(state: StateStore, id: string): Promise<ExportRow | undefined> {
  return (await selectExports(state, { id }))[0];
}
