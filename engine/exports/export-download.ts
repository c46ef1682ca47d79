import { existsSync, statSync } from 'node:fs';
import { thError } from '../errors.ts';
import type { StateStore } from '../state/state-store.ts';
import type { DataLayout } from '../storage/layout.ts';
import { exportFilePath } from './export-dir.ts';
import { JWS_FILE, MANIFEST_FILE, PUBLIC_KEY_FILE } from './export-schema.ts';
import { selectExport, viewOf, type ExportView } from './export-store.ts';

/**
 * A file of a produced export, for download: refused before approval (nothing leaves
 * before a CPNI officer approves), before production, and after the download window
 * (carrier policy: links expire, default 7 days after production). The route audits each
 * download with the numbers it touches.
 */
const MEDIA_TYPES: Readonly<Record<string, string>> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  parquet: 'application/vnd.apache.parquet',
  json: 'application/json',
  jws: 'application/jose',
  pem: 'application/x-pem-file',
};

export interface DownloadableFile {
  readonly path: string;
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string | null;
  readonly media_type: string;
  readonly export: ExportView;
}

export async function openExportFile(state: StateStore, layout: DataLayout, id: string, name: string, now: Date): Promise<DownloadableFile> {
  const file = exportFilePath(layout, id, name);
  const r = await selectExport(state, id);
  if (!r) throw thError('TH_NOT_FOUND', `no export ${id}`);
  const x = viewOf(r, now);
  if (x.status === 'requested' || x.status === 'denied') throw thError('TH_EXPORT_NOT_APPROVED', `export ${id} is ${x.status}: nothing leaves before a CPNI officer approves it`, { details: [{ status: x.status }] });
  if (x.status !== 'produced') throw thError('TH_EXPORT_STATE', `export ${id} is approved but not produced yet: POST /v1/exports/${id}/produce`, { details: [{ status: x.status }] });
  if (x.download_expired) throw thError('TH_EXPORT_EXPIRED', `the downloads of export ${id} expired at ${x.download_expires_at}`, { details: [{ download_expires_at: x.download_expires_at }] });
  const listed = x.files.find((f) => f.name === name);
  if (!listed && ![MANIFEST_FILE, JWS_FILE, PUBLIC_KEY_FILE].includes(name)) throw thError('TH_NOT_FOUND', `export ${id} has no file ${name}`, { details: [{ path: 'params.name', files: x.files.map((f) => f.name) }] });
  if (!existsSync(file)) throw thError('TH_STORAGE_IO', `file ${name} of export ${id} is missing from the data directory`);
  return { path: file, name, bytes: statSync(file).size, sha256: listed?.sha256 ?? null, media_type: MEDIA_TYPES[name.split('.').pop()!] ?? 'application/octet-stream', export: x };
}
