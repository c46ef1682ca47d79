import { CANONICAL_COLUMN_NAMES, quoteIdent, varcharColumnsArg } from '../../engine/cdr/schema.ts';
import { thError } from '../../engine/errors.ts';
import { detectHeader, firstLine } from './csv-header.ts';
import { csvRejectsRelation, loadCsvRejects } from './csv-rejects.ts';
import type { CdrReader, ReaderContext, SourcePlan } from './reader.ts';

/**
 * Canonical CSV: a header naming canonical columns (DESIGN.md), in any order. Parsed
 * by DuckDB's read_csv with an explicit column list (DUCKDB-NOTES.md: always pass
 * `columns=`, it is also faster); records that do not parse become rows with a
 * parse_error taken from DuckDB's reject table, so nothing is dropped.
 */
const MAX_LINE = 1_048_576; // 1 MiB: a CDR record is a few hundred bytes; longer is garbage

/**
 * Columns a header must name. The other required values can be derived per row:
 * end_time from answer_time + duration_s (or the reverse), ingress/egress type from a
 * carrier known through the trunk map; a row where they cannot be is rejected.
 */
const HEADER_REQUIRED = ['provider_id', 'switch_id', 'call_id', 'start_time', 'calling_number', 'called_number', 'sip_code'] as const;

export const canonicalCsvReader: CdrReader = {
  format: 'canonical',
  sniff(head) {
    const { names } = detectHeader(head, CANONICAL_COLUMN_NAMES);
    return names.filter((n) => (CANONICAL_COLUMN_NAMES as readonly string[]).includes(n)).length >= 3;
  },
  async plan(ctx: ReaderContext): Promise<SourcePlan> {
    const { delimiter, names } = detectHeader(ctx.head, CANONICAL_COLUMN_NAMES);
    const known = new Set<string>(CANONICAL_COLUMN_NAMES);
    const unknown = names.filter((n) => !known.has(n));
    if (names.length <= 1 && unknown.length === 1) {
      throw thError('TH_INPUT_HEADER', `header line 1 "${firstLine(ctx.head).slice(0, 120)}" is not a list of canonical column names separated by , ; TAB or |`, {
        details: [{ line: 1, known_columns: CANONICAL_COLUMN_NAMES }],
      });
    }
    if (unknown.length > 0) {
      throw thError('TH_INPUT_UNKNOWN_COLUMN', `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `'${u}'`).join(', ')} in the header (line 1); canonical columns are: ${CANONICAL_COLUMN_NAMES.join(', ')}`, {
        details: unknown.map((column) => ({ line: 1, column })),
      });
    }
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) throw thError('TH_INPUT_HEADER', `column '${dup}' appears twice in the header (line 1)`, { details: [{ line: 1, column: dup }] });
    const supplied = new Set(names);
    if (ctx.options.provider) supplied.add('provider_id');
    if (ctx.options.switch) supplied.add('switch_id');
    const missing = HEADER_REQUIRED.filter((c) => !supplied.has(c));
    if (missing.length > 0) {
      throw thError('TH_INPUT_MISSING_COLUMN', `required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} missing from the header (line 1)`, {
        details: missing.map((column) => ({ line: 1, column })),
      });
    }

    // Read straight into the staging query (no intermediate table): the pipeline's
    // CREATE TABLE keeps file order, so a row's staging rowid gives its line.
    const source = `read_csv($file, columns = ${varcharColumnsArg(names)},
         header = true, delim = $delim, quote = '"', escape = '"', auto_detect = false, compression = $compression, strict_mode = true,
         null_padding = false, store_rejects = true, ignore_errors = true, max_line_size = ${MAX_LINE},
         rejects_table = 'th_reject_errors', rejects_scan = 'th_reject_scans')`;
    const colExpr = (c: string): string => {
      if (supplied.has(c) && names.includes(c)) {
        // Required in canonical files: an empty type is rejected, never guessed.
        if (c === 'ingress_type' || c === 'egress_type') return `coalesce(s.${quoteIdent(c)}, '')`;
        if (c === 'provider_id' && ctx.options.provider) return `coalesce(s.${quoteIdent(c)}, $provider)`;
        if (c === 'switch_id' && ctx.options.switch) return `coalesce(s.${quoteIdent(c)}, $switch)`;
        return `s.${quoteIdent(c)}`;
      }
      if (c === 'provider_id' && ctx.options.provider) return '$provider';
      if (c === 'switch_id' && ctx.options.switch) return '$switch';
      return 'NULL::VARCHAR';
    };
    const params: Record<string, string> = { file: ctx.file, delim: delimiter, compression: ctx.compression };
    if (ctx.options.provider) params['provider'] = ctx.options.provider;
    if (ctx.options.switch) params['switch'] = ctx.options.switch;
    return {
      relation: `SELECT NULL::BIGINT AS src_line, NULL::VARCHAR AS src_raw, NULL::VARCHAR AS parse_error,
        ${CANONICAL_COLUMN_NAMES.map((c) => `${colExpr(c)} AS ${quoteIdent(c)}`).join(', ')}
      FROM ${source} s`,
      params,
      localTime: false,
      linesFromRowid: { headerLines: 1 },
      afterScan: async () => ((await loadCsvRejects(ctx.con, 1)).length > 0 ? { relation: csvRejectsRelation(), params: {} } : null),
      notes: delimiter === ',' ? [] : [`header delimiter ${JSON.stringify(delimiter)}`],
    };
  },
};
