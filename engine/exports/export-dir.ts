import path from 'node:path';
import { thError } from '../errors.ts';
import type { DataLayout } from '../storage/layout.ts';
import { EXPORT_FILE_NAME_RE, EXPORT_ID_RE } from './export-schema.ts';

/**
 * Where a production lives: data/exports/<id>/. Ids and file names come from requests, so
 * both are checked against their patterns and the result must stay under data/exports/
 * (no path from a request reaches the file system unchecked).
 */
export const exportsRoot = (layout: DataLayout): string => path.join(layout.root, 'exports');

export function exportDir(layout: DataLayout, id: string): string {
  if (!EXPORT_ID_RE.test(id)) throw thError('TH_BAD_REQUEST', `not an export id: ${id}`, { details: [{ path: 'params.id' }] });
  return underRoot(exportsRoot(layout), id);
}

export function exportFilePath(layout: DataLayout, id: string, name: string): string {
  if (!EXPORT_FILE_NAME_RE.test(name)) throw thError('TH_BAD_REQUEST', `not an export file name: ${name}`, { details: [{ path: 'params.name' }] });
  return underRoot(exportDir(layout, id), name);
}

function underRoot(root: string, name: string): string {
  const p = path.resolve(root, name);
  const rel = path.relative(root, p);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel) || rel.includes(path.sep)) throw thError('TH_BAD_REQUEST', `${name} leaves ${root}`);
  return p;
}
