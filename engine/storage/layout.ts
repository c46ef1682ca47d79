import path from 'node:path';

/**
 * Where everything lives under a data directory (DESIGN.md "Storage rules"). Paths are
 * plain Hive layout so DuckDB, Spark, Trino or pandas read them unchanged.
 *
 *   cdr/hot/day=YYYY-MM-DD/<file>.parquet      45-day hot tier
 *   cdr/cold/month=YYYY-MM/<file>.parquet      cold archive
 *   cdr/catalog.json                           the live file set (see catalog.ts)
 *   rejects/<ingest-id>.ndjson                 rejected rows with line and reason
 *   state.duckdb                               ledger, accounts, demands, audit log
 *   tmp/                                       work area; never read by readers
 */
export interface DataLayout {
  readonly root: string;
  readonly cdrDir: string;
  readonly hotDir: string;
  readonly coldDir: string;
  readonly catalogFile: string;
  readonly rejectsDir: string;
  readonly tmpDir: string;
  readonly stateFile: string;
  readonly keysDir: string;
  readonly locksDir: string;
}

export function dataLayout(root: string): DataLayout {
  const abs = path.resolve(root);
  const cdrDir = path.join(abs, 'cdr');
  return {
    root: abs,
    cdrDir,
    hotDir: path.join(cdrDir, 'hot'),
    coldDir: path.join(cdrDir, 'cold'),
    catalogFile: path.join(cdrDir, 'catalog.json'),
    rejectsDir: path.join(abs, 'rejects'),
    tmpDir: path.join(abs, 'tmp'),
    stateFile: path.join(abs, 'state.duckdb'),
    keysDir: path.join(abs, 'keys'),
    locksDir: path.join(abs, 'locks'),
  };
}

export const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
export const MONTH_RE = /^\d{4}-\d{2}$/;

export const hotPartitionDir = (layout: DataLayout, day: string): string => {
  if (!DAY_RE.test(day)) throw new Error(`bad day ${day}`);
  return path.join(layout.hotDir, `day=${day}`);
};

export const coldPartitionDir = (layout: DataLayout, month: string): string => {
  if (!MONTH_RE.test(month)) throw new Error(`bad month ${month}`);
  return path.join(layout.coldDir, `month=${month}`);
};

/** Ingest ids are derived from the input's SHA-256, so a re-run writes the same names. */
export const INGEST_ID_RE = /^i[0-9a-f]{16}$/;
export const ingestIdFor = (sha256: string): string => `i${sha256.slice(0, 16)}`;
