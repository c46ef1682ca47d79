import type { DuckDBConnection } from '@duckdb/node-api';
import { all } from '../db/duckdb.ts';
import { queryFile } from '../sql/query-file.ts';

/** Row count and order-independent checksum of every column of the rows in `files`. */
export interface RowChecksum {
  readonly rows: number;
  readonly checksum: string;
}

export async function rowChecksum(con: DuckDBConnection, files: readonly string[]): Promise<RowChecksum> {
  if (files.length === 0) return { rows: 0, checksum: '0' };
  const r = await all<{ n: string; checksum: string }>(con, queryFile('lifecycle/file-checksum'), { files: JSON.stringify(files) });
  return { rows: Number(r[0]?.n ?? 0), checksum: String(r[0]?.checksum ?? '0') };
}
