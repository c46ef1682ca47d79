import type { DuckDBConnection } from '@duckdb/node-api';
import { CANONICAL_COLUMN_NAMES, quoteIdent } from '../../engine/cdr/schema.ts';
import { all, exec } from '../../engine/db/duckdb.ts';

/**
 * Records DuckDB's CSV reader could not parse (wrong column count, unterminated quote,
 * over-long line) land in its rejects table with their line number and text; these
 * helpers turn them into source rows with a parse_error, and give good rows their line
 * numbers: a temp table's rowid follows file order, and every rejected record before a
 * good row shifts its line by one.
 */
export interface CsvReject {
  readonly line: number;
}

const REASONS: Record<string, string> = {
  'TOO MANY COLUMNS': 'column_count',
  'TOO FEW COLUMNS': 'column_count',
  'MISSING COLUMNS': 'column_count',
  'UNQUOTED VALUE': 'csv_quote',
  'UNTERMINATED QUOTES': 'csv_quote',
  'LINE SIZE OVER MAXIMUM': 'line_too_long',
  'INVALID ENCODING': 'encoding',
  'INVALID UNICODE': 'encoding',
  'CAST ERROR': 'csv_cast',
  'MISSING QUOTES': 'csv_quote',
};

export async function loadCsvRejects(con: DuckDBConnection, headerLines: number): Promise<CsvReject[]> {
  const cases = Object.entries(REASONS)
    .map(([k, v]) => `WHEN '${k}' THEN '${v}'`)
    .join(' ');
  await exec(
    con,
    `CREATE OR REPLACE TEMP TABLE th_src_rejects AS
       SELECT line::BIGINT AS line, any_value(csv_line) AS csv_line,
              any_value(CASE error_type::VARCHAR ${cases} ELSE 'csv_parse' END) AS reason,
              any_value(error_message) AS message
       FROM th_reject_errors GROUP BY line ORDER BY line`,
  );
  const rows = await all<{ line: string }>(con, 'SELECT line FROM th_src_rejects ORDER BY line');
  if (rows.length > 0) {
    // t = index of the first good row after the j-th rejected record; n = rejects up to it.
    await exec(
      con,
      `CREATE OR REPLACE TEMP TABLE th_src_adj AS
         SELECT t, max(n) AS n FROM (
           SELECT (line - ${headerLines + 1} - (row_number() OVER (ORDER BY line) - 1))::BIGINT AS t,
                  (row_number() OVER (ORDER BY line))::BIGINT AS n
           FROM th_src_rejects) GROUP BY t`,
    );
  }
  return rows.map((r) => ({ line: Number(r.line) }));
}

export const goodRowLineExpr = (hasRejects: boolean, headerLines: number): string =>
  `(s.rowid + ${headerLines + 1} ${hasRejects ? '+ coalesce(adj.n, 0)' : ''})::BIGINT`;

export const csvRejectsRelation = (): string =>
  `SELECT line AS src_line, csv_line AS src_raw, reason || ': ' || regexp_replace(message, '\\s+', ' ', 'g') AS parse_error,
     ${CANONICAL_COLUMN_NAMES.map((c) => `NULL::VARCHAR AS ${quoteIdent(c)}`).join(', ')}
   FROM th_src_rejects`;
