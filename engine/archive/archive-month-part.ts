import { mkdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { storedSelectList } from '../cdr/schema.ts';
import { exec, one, withDuck } from '../db/duckdb.ts';
import { queryFile, queryTemplate } from '../sql/query-file.ts';
import { publishFile } from '../storage/atomic-file.ts';
import { filesForDays } from '../storage/catalog.ts';
import type { DataLayout } from '../storage/layout.ts';
import type { MonthSlice } from './archive-months.ts';
import { archiveJobDir, archivePartFile } from './archive-paths.ts';
import { sqlString } from '../sql/sql-literal.ts';

/**
 * Write one month of an archive job: the CDRs of the job's numbers in the month's days,
 * read from the files the catalog lists for those days (cold and, at the range's recent
 * end, hot). The part is written under a temporary name and renamed into place
 * (DESIGN.md "Storage rules": a crash leaves nothing half written); writing the same month
 * again after a crash gives the same file under the same name.
 */
export interface MonthPart {
  readonly rows: number;
  /** relative to the job's directory; '' when no file held data for the month */
  readonly file: string;
  /** how many catalog files were read */
  readonly filesRead: number;
}

export async function writeMonthPart(layout: DataLayout, jobId: string, numbers: readonly string[], slice: MonthSlice): Promise<MonthPart> {
  const files = filesForDays(layout, slice.from, slice.to);
  if (files.length === 0) return { rows: 0, file: '', filesRead: 0 };
  const final = archivePartFile(layout, jobId, slice.month);
  mkdirSync(path.dirname(final), { recursive: true });
  const tmp = path.join(path.dirname(final), `.tmp-${slice.month}-${process.pid}-${randomBytes(4).toString('hex')}.parquet`);
  mkdirSync(layout.tmpDir, { recursive: true });
  try {
    const rows = await withDuck({ memoryLimit: '500MB', tempDirectory: layout.tmpDir }, async (con) => {
      await exec(con, queryTemplate('archive/month-part', { columns: storedSelectList(), file: sqlString(tmp) }), {
        files: JSON.stringify(files),
        from_day: slice.from,
        to_day: slice.to,
        numbers: JSON.stringify(numbers),
      });
      return Number((await one<{ n: number | string }>(con, queryFile('archive/count-rows'), { file: tmp }))?.n ?? 0);
    });
    publishFile(tmp, final);
    return { rows, file: path.relative(archiveJobDir(layout, jobId), final), filesRead: files.length };
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
