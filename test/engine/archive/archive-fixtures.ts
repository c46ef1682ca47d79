import path from 'node:path';
import { createAccount, type Account } from '../../../engine/accounts/accounts.ts';
import { all, withDuck } from '../../../engine/db/duckdb.ts';
import type { StateStore } from '../../../engine/state/state-store.ts';
import { allFiles } from '../../../engine/storage/catalog.ts';
import { dataLayout } from '../../../engine/storage/layout.ts';
import { ingestFile } from '../../../ingest/pipeline/ingest-file.ts';
import { cdrRow, writeCsv, type Row } from '../../support/cdr-fixtures.ts';

/** The numbers the archive tests search for, and a corpus where they appear in every role. */
export const TARGET = '+12125550100';
export const OTHER_TARGET = '+13125550199';

/**
 * `perMonth` calls on each of the months given (UTC, day 3..28): one in three from TARGET,
 * one in five to OTHER_TARGET, one in seven asserting TARGET as P-Asserted-Identity, the
 * rest to and from numbers nobody asked for. Ingested with `now`, so old months land cold.
 */
export function archiveCorpusRows(months: readonly string[], perMonth: number): Row[] {
  const rows: Row[] = [];
  let i = 0;
  for (const month of months) {
    for (let k = 0; k < perMonth; k++, i++) {
      const start = new Date(Date.parse(`${month}-${String(3 + (k % 26)).padStart(2, '0')}T10:00:00Z`) + k * 61_000);
      const over: Partial<Row> = {
        call_id: `arch-${i}`,
        start_time: start.toISOString(),
        answer_time: new Date(start.getTime() + 2000).toISOString(),
        end_time: new Date(start.getTime() + 47_000).toISOString(),
      };
      if (i % 3 === 0) over.calling_number = TARGET;
      if (i % 5 === 0) over.called_number = OTHER_TARGET;
      if (i % 7 === 0) over.pai_number = TARGET;
      rows.push(cdrRow(i, over));
    }
  }
  return rows;
}

export async function ingestArchiveCorpus(dir: string, data: string, months: readonly string[], perMonth: number, now: Date): Promise<number> {
  const rows = archiveCorpusRows(months, perMonth);
  const r = await ingestFile(writeCsv(dir, 'archive-corpus.csv', rows), { data: path.resolve(data), now });
  if (r.rows_stored !== rows.length) throw new Error(`fixture ingest stored ${r.rows_stored} of ${rows.length}: ${JSON.stringify(r.error ?? r.reject_reasons)}`);
  return rows.length;
}

/** The answer a job must equal: the same question asked directly of every live file. */
export async function directQuery(data: string, numbers: readonly string[], from: string, to: string): Promise<Record<string, unknown>[]> {
  const files = allFiles(dataLayout(data));
  return withDuck({}, (con) =>
    all(
      con,
      `SELECT * FROM read_parquet($files::VARCHAR[], hive_partitioning = false)
       WHERE "day" BETWEEN $from::DATE AND $to::DATE
         AND (calling_number IN (SELECT unnest($n::VARCHAR[])) OR called_number IN (SELECT unnest($n::VARCHAR[])) OR pai_number IN (SELECT unnest($n::VARCHAR[])))
       ORDER BY start_time, provider_id, switch_id, call_id`,
      { files: JSON.stringify(files), from, to, n: JSON.stringify(numbers) },
    ),
  );
}

/** Every row of a result Parquet file, in file order. */
export async function parquetRows(file: string): Promise<Record<string, unknown>[]> {
  return withDuck({}, (con) => all(con, 'SELECT * EXCLUDE (file_row_number) FROM read_parquet($f, file_row_number = true) ORDER BY file_row_number', { f: file }));
}

export async function accountFor(state: StateStore, user: string, role: Account['role']): Promise<Account> {
  return (await createAccount(state, { user, role })).account;
}
