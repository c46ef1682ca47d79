import path from 'node:path';
import { MONTH_RE, type DataLayout } from '../storage/layout.ts';
import { ARCHIVE_JOB_ID_RE, type ArchiveFileName } from './archive-job-schema.ts';

/**
 * Where an archive job's files live (no path from a request reaches the file system
 * unchecked: the id must be a UUID and the month YYYY-MM, and the result stays under the
 * data directory):
 *
 *   archive-jobs/<id>/parts/<YYYY-MM>.parquet   one finished month (written by rename)
 *   archive-jobs/<id>/result.parquet|csv        the assembled result set
 */
export const archiveJobsDir = (layout: DataLayout): string => path.join(layout.root, 'archive-jobs');

export function archiveJobDir(layout: DataLayout, id: string): string {
  if (!ARCHIVE_JOB_ID_RE.test(id)) throw new Error(`bad archive job id ${JSON.stringify(id)}`);
  const dir = path.resolve(archiveJobsDir(layout), id);
  if (path.dirname(dir) !== archiveJobsDir(layout)) throw new Error(`archive job dir escapes the data dir: ${dir}`);
  return dir;
}

export function archivePartFile(layout: DataLayout, id: string, month: string): string {
  if (!MONTH_RE.test(month)) throw new Error(`bad month ${month}`);
  return path.join(archiveJobDir(layout, id), 'parts', `${month}.parquet`);
}

export const archiveResultFile = (layout: DataLayout, id: string, name: ArchiveFileName): string =>
  path.join(archiveJobDir(layout, id), name === 'parquet' ? 'result.parquet' : 'result.csv');
