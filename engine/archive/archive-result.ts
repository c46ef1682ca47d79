import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { storedCdrDdl } from '../cdr/schema.ts';
import { exec, one, withDuck } from '../db/duckdb.ts';
import { queryFile, queryTemplate } from '../sql/query-file.ts';
import { publishFile } from '../storage/atomic-file.ts';
import type { DataLayout } from '../storage/layout.ts';
import { archiveJobDir, archiveResultFile } from './archive-paths.ts';
import { sqlString } from '../sql/sql-literal.ts';

/**
 * Assemble a job's result set (Parquet and CSV) from its finished months. Both files are
 * written under temporary names and renamed into place, so a crash here is redone whole
 * on the next run and a reader never sees a partial result.
 */
const PART_RE = /^parts\/\d{4}-\d{2}\.parquet$/;

export async function assembleArchiveResult(layout: DataLayout, jobId: string, partFiles: readonly string[]): Promise<{ rows: number }> {
  const dir = archiveJobDir(layout, jobId);
  const files = partFiles.filter((f) => f !== '').map((f) => {
    if (!PART_RE.test(f)) throw new Error(`unexpected part file ${f}`);
    return path.join(dir, f);
  });
  mkdirSync(dir, { recursive: true });
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmpParquet = path.join(dir, `.tmp-result-${tag}.parquet`);
  const tmpCsv = path.join(dir, `.tmp-result-${tag}.csv`);
  try {
    const rows = await withDuck({ memoryLimit: '500MB', tempDirectory: layout.tmpDir }, async (con) => {
      // no month held data: the result is still a file with every stored column
      if (files.length > 0) await exec(con, queryFile('archive/result-from-parts'), { files: JSON.stringify(files) });
      else await exec(con, storedCdrDdl('th_result'));
      await exec(con, queryTemplate('archive/result-parquet', { file: sqlString(tmpParquet) }));
      await exec(con, queryTemplate('archive/result-csv', { file: sqlString(tmpCsv) }));
      return Number((await one<{ n: number | string }>(con, queryFile('archive/result-rows')))?.n ?? 0);
    });
    publishFile(tmpParquet, archiveResultFile(layout, jobId, 'parquet'));
    publishFile(tmpCsv, archiveResultFile(layout, jobId, 'csv'));
    return { rows };
  } finally {
    rmSync(tmpParquet, { force: true });
    rmSync(tmpCsv, { force: true });
  }
}
