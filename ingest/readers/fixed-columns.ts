import { CANONICAL_COLUMN_NAMES, quoteIdent, varcharColumnsArg } from '../../engine/cdr/schema.ts';
import { thError } from '../../engine/errors.ts';
import { csvRejectsRelation, loadCsvRejects } from './csv-rejects.ts';
import type { ReaderContext, SourcePlan } from './reader.ts';

/**
 * Shared by the headerless switch formats (FreeSWITCH mod_cdr_csv, Asterisk cdr_csv,
 * custom templates through a mapping file): DuckDB's read_csv with the format's own
 * column list, and one SQL expression per canonical column over those source columns.
 */
export interface FixedLayout {
  /** source column names, in file order */
  readonly columns: readonly string[];
  /** how many trailing columns may be absent (Asterisk's optional uniqueid/userfield) */
  readonly optionalTrailing?: number;
  readonly delimiter?: string;
  readonly header?: boolean;
  /** canonical column -> SQL expression over `s."<source column>"` (VARCHAR); missing = NULL */
  readonly map: Readonly<Partial<Record<(typeof CANONICAL_COLUMN_NAMES)[number], string>>>;
  /** true when times are wall-clock local time (needs --tz) */
  readonly localTime: boolean;
}

const MAX_LINE = 1_048_576;

export function requireProviderSwitch(ctx: ReaderContext, format: string): { provider: string; switch: string } {
  if (!ctx.options.provider || !ctx.options.switch) {
    throw thError('TH_INPUT_PROVIDER_REQUIRED', `${format} records carry no provider or switch id: give --provider and --switch`);
  }
  return { provider: ctx.options.provider, switch: ctx.options.switch };
}

export function planFixedLayout(ctx: ReaderContext, layout: FixedLayout): SourcePlan {
  const ids = requireProviderSwitch(ctx, 'this format');
  const opt = layout.optionalTrailing ?? 0;
  const source = `read_csv($file, columns = ${varcharColumnsArg(layout.columns)}, header = ${layout.header ? 'true' : 'false'},
      delim = $delim, quote = '"', escape = '"', auto_detect = false, compression = $compression, strict_mode = true,
      null_padding = ${opt > 0 ? 'true' : 'false'}, store_rejects = true, ignore_errors = true, max_line_size = ${MAX_LINE},
      rejects_table = 'th_reject_errors', rejects_scan = 'th_reject_scans')`;
  const expr = (c: (typeof CANONICAL_COLUMN_NAMES)[number]): string => {
    if (c === 'provider_id') return '$provider';
    if (c === 'switch_id') return '$switch';
    return layout.map[c] ?? 'NULL::VARCHAR';
  };
  // With null padding, a record short of its required columns is still malformed.
  const required = layout.columns.length - opt;
  const tooShort = opt > 0 ? `CASE WHEN s.${quoteIdent(layout.columns[required - 1]!)} IS NULL THEN 'column_count: fewer than ${required} fields' END` : 'NULL::VARCHAR';
  return {
    relation: `SELECT NULL::BIGINT AS src_line, NULL::VARCHAR AS src_raw, ${tooShort} AS parse_error,
        ${CANONICAL_COLUMN_NAMES.map((c) => `${expr(c)} AS ${quoteIdent(c)}`).join(', ')}
      FROM ${source} s`,
    params: { file: ctx.file, delim: layout.delimiter ?? ',', compression: ctx.compression, provider: ids.provider, switch: ids.switch },
    localTime: layout.localTime,
    linesFromRowid: { headerLines: layout.header ? 1 : 0 },
    afterScan: async () => ((await loadCsvRejects(ctx.con, layout.header ? 1 : 0)).length > 0 ? { relation: csvRejectsRelation(), params: {} } : null),
  };
}

/** `s."<col>"` */
export const col = (name: string): string => `s.${quoteIdent(name)}`;

/** Split a first line of a headerless, quoted CSV into fields (for sniffing). */
export function quotedFields(line: string): string[] | null {
  const m = line.trim().match(/^"((?:[^"]|"")*)"(,"((?:[^"]|"")*)")*$/);
  if (!m) return null;
  return line.trim().slice(1, -1).split('","');
}
