import { CANONICAL_COLUMN_NAMES, quoteIdent } from '../../engine/cdr/schema.ts';
import { all, exec } from '../../engine/db/duckdb.ts';
import { csvRejectsRelation, goodRowLineExpr, loadCsvRejects } from './csv-rejects.ts';
import type { CdrReader, ReaderContext, SourcePlan } from './reader.ts';

/**
 * NDJSON: one JSON object per line, keys = canonical column names. The file is read as
 * lines (one VARCHAR column) so every line keeps its number and its exact text, and
 * JSON is taken apart with DuckDB's json functions, vectorized. A line that is not a
 * JSON object, or that carries a key tracehop does not know, is rejected with its line
 * number rather than silently skipped (read_json's ignore_errors would drop it).
 */
const MAX_LINE = 1_048_576;

export const ndjsonReader: CdrReader = {
  format: 'ndjson',
  sniff(head) {
    const line = head.split('\n').find((l) => l.trim() !== '');
    return line !== undefined && line.trimStart().startsWith('{');
  },
  async plan(ctx: ReaderContext): Promise<SourcePlan> {
    // Delimiter \x1F (unit separator) and no quoting: each physical line is one value.
    await exec(
      ctx.con,
      `CREATE OR REPLACE TEMP TABLE th_src AS SELECT raw FROM read_csv($file, columns = {'raw': 'VARCHAR'}, header = false,
         delim = '\x1F', quote = '', escape = '', auto_detect = false, compression = $compression, strict_mode = false, null_padding = true,
         store_rejects = true, ignore_errors = true, max_line_size = ${MAX_LINE},
         rejects_table = 'th_reject_errors', rejects_scan = 'th_reject_scans')`,
      { file: ctx.file, compression: ctx.compression },
    );
    const rejects = await loadCsvRejects(ctx.con, 0);
    const hasLong = rejects.length > 0;
    const known = `[${CANONICAL_COLUMN_NAMES.map((c) => `'${c}'`).join(', ')}]`;
    // One JSON parse per line: every canonical path extracted at once, as a list.
    const paths = `[${CANONICAL_COLUMN_NAMES.map((c) => `'$."${c}"'`).join(', ')}]`;
    const field = (c: string, i: number): string => {
      const v = `v[${i + 1}]`;
      if (c === 'ingress_type' || c === 'egress_type') return `coalesce(${v}, '')`; // required: never guessed
      if (c === 'provider_id' && ctx.options.provider) return `coalesce(${v}, $provider)`;
      if (c === 'switch_id' && ctx.options.switch) return `coalesce(${v}, $switch)`;
      return v;
    };
    const unknownKeys = `list_filter(json_keys(raw), k -> NOT list_contains(${known}, k))`;
    const good = `SELECT ${goodRowLineExpr(hasLong, 0)} AS src_line, raw AS src_raw,
        CASE WHEN NOT ok THEN 'json_invalid: line is not valid JSON'
             WHEN t <> 'OBJECT' THEN 'json_not_object: line is JSON ' || lower(t) || ', expected an object'
             WHEN len(${unknownKeys}) > 0 THEN 'unknown_field: field ' || ${unknownKeys}[1] || ' is not a canonical column'
        END AS parse_error,
        ${CANONICAL_COLUMN_NAMES.map((c, i) => `${field(c, i)} AS ${quoteIdent(c)}`).join(', ')}
      FROM (SELECT rowid, raw, ok, t, CASE WHEN t = 'OBJECT' THEN json_extract_string(raw, ${paths}) END AS v
            FROM (SELECT rowid, raw, json_valid(raw) AS ok, CASE WHEN json_valid(raw) THEN json_type(raw) END AS t FROM th_src
                  WHERE raw IS NOT NULL AND trim(raw) <> '')) s
      ${hasLong ? 'ASOF LEFT JOIN th_src_adj adj ON s.rowid >= adj.t' : ''}`;
    const rel = hasLong ? `${good} UNION ALL ${csvRejectsRelation()}` : good;
    const params: Record<string, string> = {};
    if (ctx.options.provider) params['provider'] = ctx.options.provider;
    if (ctx.options.switch) params['switch'] = ctx.options.switch;
    const n = await all<{ n: string }>(ctx.con, "SELECT count(*)::BIGINT AS n FROM th_src WHERE raw IS NOT NULL AND trim(raw) <> ''");
    return {
      relation: rel,
      params,
      localTime: false,
      recordsIn: Number(n[0]?.n ?? 0) + rejects.length,
    };
  },
};
