import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import { COLUMNS, quoteIdent } from '../cdr/schema.ts';
import { all, exec, withDuck } from '../db/duckdb.ts';
import { thError } from '../errors.ts';
import { sqlString } from '../sql/sql-literal.ts';
import { queryFile, queryTemplate } from '../sql/query-file.ts';
import { filesForDays } from '../storage/catalog.ts';
import type { DataLayout } from '../storage/layout.ts';
import { scopeUtcDays } from './export-scope.ts';
import { dataFileName, EXPORT_FORMATS, type ExportFile, type ExportFormat, type ExportScope } from './export-schema.ts';

/**
 * Write the rows of a scope as files in `outDir`: one scan of the catalog's files (hot AND
 * cold tiers) into a staging table, then DuckDB COPY to Parquet and CSV, and exceljs's
 * streaming writer for xlsx (only when asked). A plain engine function with no state or
 * policy: the export workflow calls it on an approved export, the lifecycle benchmark on
 * 1M rows. The caller makes the directory visible atomically (export-production.ts).
 */
export const XLSX_MAX_DATA_ROWS = 1_048_575; // Excel's 1,048,576 rows a sheet, less the header

export interface WrittenExport {
  readonly rows: number;
  readonly files: readonly ExportFile[];
}

export interface WriteExportOptions {
  /** DuckDB memory for the staging table; it spills to a temp directory beyond this */
  readonly memoryLimit?: string;
}

const TIMESTAMP_COLUMNS = new Set<string>(COLUMNS.filter((c) => c.duckdb === 'TIMESTAMPTZ').map((c) => c.name));

/** Text projection: times as ISO-8601 UTC with milliseconds, the rest as stored. */
const textColumns = (columns: readonly string[]): string =>
  columns.map((c) => (TIMESTAMP_COLUMNS.has(c) ? `strftime(${quoteIdent(c)}, '%Y-%m-%dT%H:%M:%S.%gZ') AS ${quoteIdent(c)}` : quoteIdent(c))).join(', ');


export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

async function writeXlsx(con: DuckDBConnection, columns: readonly string[], file: string): Promise<void> {
  // streaming writer: rows are committed as they come, the workbook is never held in memory
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: false, useSharedStrings: false });
  const ws = wb.addWorksheet('cdrs');
  ws.addRow([...columns]).commit();
  const result = await con.stream(queryTemplate('exports/staged-rows-as-text', { text_columns: textColumns(columns) }));
  for await (const rows of result.yieldRowsJson()) {
    for (const r of rows) ws.addRow(r.map((v) => (v === null ? '' : v))).commit();
  }
  ws.commit();
  await wb.commit();
}

export async function writeExport(layout: DataLayout, scope: ExportScope, outDir: string, formats: readonly ExportFormat[], opts: WriteExportOptions = {}): Promise<WrittenExport> {
  const wanted = EXPORT_FORMATS.filter((f) => formats.includes(f));
  if (wanted.length === 0) throw thError('TH_USAGE', 'writeExport: no format asked for');
  const { fromDay, toDay } = scopeUtcDays(scope);
  const files = filesForDays(layout, fromDay, toDay);
  mkdirSync(outDir, { recursive: true });
  const spill = path.join(layout.tmpDir, `export-spill-${randomBytes(6).toString('hex')}`);
  mkdirSync(spill, { recursive: true });
  try {
    const rows = await withDuck({ memoryLimit: opts.memoryLimit ?? '500MB', tempDirectory: spill, threads: 2 }, async (con) => {
      const columns = scope.columns.map(quoteIdent).join(', ');
      if (files.length === 0) {
        // nothing stored for these days: the same columns, no rows
        await exec(con, queryTemplate('exports/stage-no-rows', { typed_nulls: scope.columns.map((c) => `NULL::${COLUMNS.find((d) => d.name === c)!.duckdb} AS ${quoteIdent(c)}`).join(', ') }));
      } else {
        await exec(con, queryTemplate('exports/stage-rows-in-scope', { columns }), { files: JSON.stringify(files), numbers: JSON.stringify(scope.numbers), from: scope.from, to: scope.to });
      }
      const n = Number((await all<{ n: string }>(con, queryFile('exports/count-staged')))[0]?.n ?? 0);
      if (wanted.includes('xlsx') && n > XLSX_MAX_DATA_ROWS) {
        throw thError('TH_EXPORT_FORMAT_LIMIT', `${n.toLocaleString('en-US')} rows do not fit in xlsx (at most ${XLSX_MAX_DATA_ROWS.toLocaleString('en-US')} data rows a sheet): ask for csv or parquet, or narrow the scope`, {
          details: [{ path: 'formats', rows: n, xlsx_max_rows: XLSX_MAX_DATA_ROWS }],
        });
      }
      for (const f of wanted) {
        const file = path.join(outDir, dataFileName(f));
        if (f === 'parquet') await exec(con, queryTemplate('exports/copy-parquet', { file: sqlString(file) }));
        else if (f === 'csv') await exec(con, queryTemplate('exports/copy-csv', { file: sqlString(file), text_columns: textColumns(scope.columns) }));
        else await writeXlsx(con, scope.columns, file);
      }
      return n;
    });
    const out: ExportFile[] = [];
    for (const f of wanted) {
      const file = path.join(outDir, dataFileName(f));
      out.push({ name: dataFileName(f), sha256: await sha256File(file), bytes: statSync(file).size, rows });
    }
    return { rows, files: out };
  } finally {
    rmSync(spill, { recursive: true, force: true });
  }
}
