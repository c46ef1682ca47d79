import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CANONICAL_COLUMN_NAMES } from '../../engine/cdr/schema.ts';
import { withDuck, all } from '../../engine/db/duckdb.ts';
import { allFiles } from '../../engine/storage/catalog.ts';
import { dataLayout } from '../../engine/storage/layout.ts';

/** A temp directory for one test. */
export const tempDir = (prefix = 'tracehop-'): string => mkdtempSync(path.join(os.tmpdir(), prefix));

export type Row = Record<(typeof CANONICAL_COLUMN_NAMES)[number], string>;

/** A valid canonical row; `i` varies the call id and numbers, `over` replaces fields. */
export function cdrRow(i: number, over: Partial<Row> = {}): Row {
  const start = new Date(Date.UTC(2026, 10, 20, 12, 0, 0) + i * 1000);
  return {
    provider_id: 'P1',
    switch_id: 'sw1',
    call_id: `call-${i}`,
    start_time: start.toISOString(),
    answer_time: new Date(start.getTime() + 3000).toISOString(),
    end_time: new Date(start.getTime() + 48_000).toISOString(),
    duration_s: '45',
    calling_number: `+1212555${String(1000 + (i % 9000)).padStart(4, '0')}`,
    called_number: `312-555-${String(1000 + ((i * 7) % 9000)).padStart(4, '0')}`,
    pai_number: '',
    ingress_type: 'subscriber',
    ingress_carrier: '',
    ingress_trunk: `acct-${i % 5}`,
    ingress_ip: '192.0.2.10',
    egress_type: 'carrier',
    egress_carrier: 'P2',
    egress_trunk: 'tg-p2',
    sip_code: '200',
    attestation: 'A',
    origid: '',
    identity: '',
    ...over,
  };
}

const csvField = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

export function csvText(rows: readonly Row[], opts: { columns?: readonly string[]; eol?: string; delimiter?: string } = {}): string {
  const cols = opts.columns ?? CANONICAL_COLUMN_NAMES;
  const eol = opts.eol ?? '\n';
  const d = opts.delimiter ?? ',';
  return [cols.join(d), ...rows.map((r) => cols.map((c) => csvField(r[c as keyof Row] ?? '')).join(d))].join(eol) + eol;
}

export function writeCsv(dir: string, name: string, rows: readonly Row[], opts?: Parameters<typeof csvText>[1]): string {
  const f = path.join(dir, name);
  writeFileSync(f, csvText(rows, opts));
  return f;
}

/** Every stored row, read the way tracehop's readers read: the catalog's files. */
export async function storedRows(data: string): Promise<Record<string, unknown>[]> {
  const files = allFiles(dataLayout(data));
  if (files.length === 0) return [];
  return withDuck({}, (con) =>
    all(con, `SELECT * EXCLUDE ("identity"), "identity" FROM read_parquet($files::VARCHAR[], hive_partitioning = false) ORDER BY provider_id, switch_id, call_id`, {
      files: JSON.stringify(files),
    }),
  );
}
