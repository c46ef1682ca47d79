import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { z } from 'zod';

/**
 * A CDR reader turns one switch's file into the canonical columns, inside DuckDB
 * (vectorized: no per-row JavaScript). Every reader passes the shared contract suite
 * test/ingest/readers/reader-contract.ts.
 *
 * A reader's `plan` may run statements on the ingest's private DuckDB connection
 * (e.g. `CREATE TEMP TABLE ... AS SELECT ... FROM read_csv(...)`) and returns a
 * relation (a SELECT) with exactly these columns:
 *   src_line     BIGINT   line (record) number in the input file, 1-based
 *   src_raw      VARCHAR  the input line as read, or NULL: the pipeline then reads the line
 *                         from the file for rejected rows only (cheaper than carrying it)
 *   parse_error  VARCHAR  NULL, or `<reason_code>: <message>` when the record could not be parsed
 *   <every canonical column of engine/cdr/schema.ts> VARCHAR (NULL when the format lacks it)
 * The ingest pipeline then normalizes numbers and times, applies the trunk map and
 * validates every row in SQL (queries/ingest/normalize-cdr.sql).
 */
export const FORMATS = ['canonical', 'ndjson', 'freeswitch', 'asterisk', 'kamailio'] as const;
export type FormatName = (typeof FORMATS)[number];

export const IngestOptionsSchema = z.object({
  format: z.enum(['auto', ...FORMATS]).default('auto'),
  provider: z.string().min(1).max(64).optional(),
  switch: z.string().min(1).max(128).optional(),
  /** IANA zone (or ET/CT/MT/PT/UTC) for formats that log local time without an offset */
  tz: z.string().optional(),
  /** `trunk,carrier` CSV: fills ingress_carrier / egress_carrier from trunk names */
  trunkMap: z.string().optional(),
  /** JSON mapping file for custom templates (FreeSWITCH templates, other layouts) */
  mapping: z.string().optional(),
  /** STI-CA trust anchors directory: verify Identity headers at ingest */
  trust: z.string().optional(),
});
export type IngestOptions = z.infer<typeof IngestOptionsSchema>;

export interface ReaderContext {
  /** absolute path of the input; DuckDB reads `.gz` directly */
  readonly file: string;
  /** pass to read_csv as `compression = $compression`: gzip is detected from the bytes, not the name */
  readonly compression: 'gzip' | 'none';
  /** the first bytes of the (decompressed) input, decoded, BOM removed */
  readonly head: string;
  readonly options: IngestOptions;
  /** the ingest's private DuckDB connection (UTC, th_* macros loaded) */
  readonly con: DuckDBConnection;
}

export interface SourcePlan {
  /** SELECT yielding src_line, src_raw, parse_error and the canonical columns as VARCHAR */
  readonly relation: string;
  readonly params: Record<string, DuckDBValue>;
  /** times without an offset are wall-clock time in options.tz (FreeSWITCH, Asterisk) */
  readonly localTime: boolean;
  /** number of records the reader saw (parsed + unparseable), when known before the scan */
  readonly recordsIn?: number;
  /**
   * Rows only known after `relation` has been scanned (a CSV reader's parse rejects,
   * which DuckDB records during the scan). Same columns as `relation`.
   */
  readonly afterScan?: () => Promise<{ readonly relation: string; readonly params: Record<string, DuckDBValue> } | null>;
  /**
   * `relation` leaves src_line NULL for speed; the line of the k-th row (k = 0-based staging
   * rowid) is `k + headerLines + 1`, shifted by the rejected records before it
   * (table th_src_adj, see csv-rejects.ts). Only rejected rows ever need it.
   */
  readonly linesFromRowid?: { readonly headerLines: number };
  /**
   * Drop (as `duplicate_cdr`) rows whose (provider_id, switch_id, call_id) is already
   * stored: for formats that may log one call in two files (Kamailio acc + missed_calls).
   */
  readonly dedupeStored?: boolean;
  /** human-readable notes (e.g. "header delimiter ';'") for the ingest summary */
  readonly notes?: readonly string[];
}

export interface CdrReader {
  readonly format: FormatName;
  /** Does the head of a file look like this format? Used by `--format auto`. */
  sniff(head: string, fileName: string): boolean;
  plan(ctx: ReaderContext): Promise<SourcePlan>;
}

/** Options a format needs that the file does not carry. */
export interface FormatRequirements {
  readonly needsProvider: boolean;
  readonly needsTz: boolean;
}
