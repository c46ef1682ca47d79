import { readFileSync } from 'node:fs';
import { sqlString } from '../../engine/sql/sql-literal.ts';
import { z } from 'zod';
import { CANONICAL_COLUMN_NAMES } from '../../engine/cdr/schema.ts';
import { thError } from '../../engine/errors.ts';
import { col, planFixedLayout, type FixedLayout } from './fixed-columns.ts';
import { asteriskDispositionToSip, freeswitchCauseToSip } from './hangup-cause.ts';
import { FORMATS, type CdrReader } from './reader.ts';

/**
 * A mapping file (`--mapping FILE`, JSON) describes a custom switch layout: a FreeSWITCH
 * mod_cdr_csv template other than `example` (one adding ${sip_h_P-Asserted-Identity},
 * ${sip_term_status}, ${sip_h_Identity}...), an Asterisk cdr_custom mapping, any CSV.
 *
 *   { "name": "fs-stir", "format": "freeswitch", "delimiter": ",", "header": false,
 *     "local_time": true,
 *     "columns": ["caller_id_number", "destination_number", "start_stamp", ...],
 *     "map": { "calling_number": "caller_id_number",
 *              "sip_code": { "column": "hangup_cause", "transform": "freeswitch_hangup_cause", "answered_column": "answer_stamp" },
 *              "ingress_type": { "const": "carrier" } } }
 */
const canonicalName = z.enum(CANONICAL_COLUMN_NAMES as unknown as [string, ...string[]]);
const sourceName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, 'a source column name: letters, digits, _ and -');

const MapValue = z.union([
  sourceName,
  z.strictObject({ const: z.string().max(256) }),
  z.strictObject({
    column: sourceName,
    transform: z.enum(['freeswitch_hangup_cause', 'asterisk_disposition', 'channel_peer', 'sip_status']),
    answered_column: sourceName.optional(),
  }),
]);

export const MappingFileSchema = z
  .strictObject({
    name: z.string().min(1).max(64),
    format: z.enum(FORMATS),
    delimiter: z.enum([',', ';', '\t', '|']).default(','),
    header: z.boolean().default(false),
    local_time: z.boolean(),
    columns: z.array(sourceName).min(1).max(256),
    map: z.partialRecord(canonicalName, MapValue),
  })
  .superRefine((m, ctx) => {
    const cols = new Set(m.columns);
    if (cols.size !== m.columns.length) ctx.addIssue({ code: 'custom', path: ['columns'], message: 'a source column is named twice' });
    for (const [k, v] of Object.entries(m.map)) {
      if (v === undefined) continue;
      const used = typeof v === 'string' ? [v] : 'column' in v ? [v.column, ...(v.answered_column ? [v.answered_column] : [])] : [];
      for (const u of used) if (!cols.has(u)) ctx.addIssue({ code: 'custom', path: ['map', k], message: `source column '${u}' is not in columns` });
    }
    for (const need of ['call_id', 'start_time', 'called_number']) {
      if (!(need in m.map)) ctx.addIssue({ code: 'custom', path: ['map', need], message: `${need} must be mapped` });
    }
  });
export type MappingFile = z.infer<typeof MappingFileSchema>;

export function readMappingFile(file: string): MappingFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw thError('TH_INPUT_MAPPING', `mapping file ${file}: ${(e as Error).message}`, { cause: e });
  }
  const r = MappingFileSchema.safeParse(json);
  if (!r.success) {
    throw thError('TH_INPUT_MAPPING', `mapping file ${file}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`, {
      details: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return r.data;
}


export function mappingLayout(m: MappingFile): FixedLayout {
  const map: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.map)) {
    if (v === undefined) continue;
    if (typeof v === 'string') map[k] = col(v);
    else if ('const' in v) map[k] = sqlString(v.const);
    else {
      const c = col(v.column);
      const answered = v.answered_column ? `coalesce(trim(${col(v.answered_column)}), '') <> ''` : 'false';
      map[k] =
        v.transform === 'freeswitch_hangup_cause'
          ? freeswitchCauseToSip(c, answered)
          : v.transform === 'asterisk_disposition'
            ? asteriskDispositionToSip(c)
            : v.transform === 'channel_peer'
              ? `nullif(regexp_extract(${c}, '^[A-Za-z0-9_]+/(.+?)(-[0-9a-fA-F]+)?(;[0-9]+)?$', 1), '')`
              : `regexp_extract(${c}, '(\\d{3})', 1)`; // sip_status: "486 Busy Here" -> 486
    }
  }
  return { columns: m.columns, delimiter: m.delimiter, header: m.header, localTime: m.local_time, map };
}

/** A reader for one mapping file; its `format` is the mapping's base format (for the ledger). */
export function mappingReader(m: MappingFile): CdrReader {
  const layout = mappingLayout(m);
  return {
    format: m.format,
    sniff: () => true,
    plan: async (ctx) => planFixedLayout(ctx, layout),
  };
}
