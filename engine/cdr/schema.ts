import { z } from 'zod';

/**
 * The canonical CDR, defined once (DESIGN.md "Canonical CDR"). The zod schema, the
 * DuckDB DDL and the Parquet column list are all derived from COLUMNS below; nothing
 * else in tracehop lists these columns by hand.
 */
const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'E.164 number (+ and 7 to 15 digits)');
const e164OrEmpty = z.union([e164, z.literal('')]);
const isoInstant = z.iso.datetime({ offset: true });

export const INGRESS_TYPES = ['subscriber', 'carrier', 'internal'] as const;
export const EGRESS_TYPES = ['carrier', 'subscriber', 'internal'] as const;
export const ATTESTATIONS = ['A', 'B', 'C'] as const;
export const VERSTATS = ['TN-Validation-Passed', 'TN-Validation-Failed', 'No-TN-Validation'] as const;

interface ColumnDef {
  readonly name: string;
  readonly duckdb: 'VARCHAR' | 'TIMESTAMPTZ' | 'INTEGER' | 'DATE';
  readonly zod: z.ZodType;
  readonly required: boolean;
  readonly meaning: string;
}

const col = (name: string, duckdb: ColumnDef['duckdb'], zod: z.ZodType, required: boolean, meaning: string): ColumnDef =>
  ({ name, duckdb, zod, required, meaning }) as const;

/** The interchange columns, in DESIGN.md order. */
export const COLUMNS = [
  col('provider_id', 'VARCHAR', z.string().min(1).max(64), true, 'provider whose switch wrote the record (OCN-like id)'),
  col('switch_id', 'VARCHAR', z.string().min(1).max(128), true, 'switch inside that provider'),
  col('call_id', 'VARCHAR', z.string().min(1).max(512), true, "the switch's own call id"),
  col('start_time', 'TIMESTAMPTZ', isoInstant, true, 'call attempt (INVITE) time'),
  col('answer_time', 'TIMESTAMPTZ', z.union([isoInstant, z.literal('')]), false, 'answer time; empty when unanswered'),
  col('end_time', 'TIMESTAMPTZ', isoInstant, true, 'release time'),
  col('duration_s', 'INTEGER', z.number().int().min(0).max(86_400 * 7), true, 'billed seconds (0 when unanswered)'),
  col('calling_number', 'VARCHAR', e164OrEmpty, true, 'From / CLI as presented, E.164 (empty when withheld)'),
  col('called_number', 'VARCHAR', e164, true, 'dialed number, E.164'),
  col('pai_number', 'VARCHAR', e164OrEmpty, false, 'P-Asserted-Identity, E.164'),
  col('ingress_type', 'VARCHAR', z.enum(INGRESS_TYPES), true, 'where the call entered this switch'),
  col('ingress_carrier', 'VARCHAR', z.string().max(64), false, 'upstream provider id (empty for subscriber)'),
  col('ingress_trunk', 'VARCHAR', z.string().max(128), false, 'trunk group or customer account it came in on'),
  col('ingress_ip', 'VARCHAR', z.string().max(64), false, 'signalling peer address'),
  col('egress_type', 'VARCHAR', z.enum(EGRESS_TYPES), true, 'where it left'),
  col('egress_carrier', 'VARCHAR', z.string().max(64), false, 'downstream provider id'),
  col('egress_trunk', 'VARCHAR', z.string().max(128), false, 'trunk group it left on'),
  col('sip_code', 'INTEGER', z.number().int().min(100).max(699), true, 'final SIP response'),
  col('attestation', 'VARCHAR', z.union([z.enum(ATTESTATIONS), z.literal('')]), false, 'from the PASSporT as received'),
  col('origid', 'VARCHAR', z.union([z.uuid(), z.literal('')]), false, 'PASSporT origid'),
  col('identity', 'VARCHAR', z.string().max(16_384), false, 'raw SIP Identity header as received'),
] as const satisfies readonly ColumnDef[];

/** Columns a stored Parquet file adds (DESIGN.md: day, ingest_id, verstat; STIR issue: signer and reason). */
export const STORED_EXTRA_COLUMNS = [
  col('day', 'DATE', z.iso.date(), true, 'UTC day of start_time (partition)'),
  col('ingest_id', 'VARCHAR', z.string(), true, 'ingest that wrote the row'),
  col('verstat', 'VARCHAR', z.union([z.enum(VERSTATS), z.literal('')]), false, 'STIR/SHAKEN verification status at ingest'),
  col('signer_spc', 'VARCHAR', z.string(), false, 'SPC of the certificate that signed the PASSporT'),
  col('verify_reason', 'VARCHAR', z.string(), false, 'why verification passed or failed'),
] as const satisfies readonly ColumnDef[];

export type CanonicalColumn = (typeof COLUMNS)[number]['name'];
export type StoredColumn = CanonicalColumn | (typeof STORED_EXTRA_COLUMNS)[number]['name'];

export const CANONICAL_COLUMN_NAMES: readonly CanonicalColumn[] = COLUMNS.map((c) => c.name);
export const STORED_COLUMNS: readonly ColumnDef[] = [...COLUMNS, ...STORED_EXTRA_COLUMNS];
export const STORED_COLUMN_NAMES: readonly StoredColumn[] = STORED_COLUMNS.map((c) => c.name as StoredColumn);
export const REQUIRED_COLUMN_NAMES: readonly CanonicalColumn[] = COLUMNS.filter((c) => c.required).map((c) => c.name);

const shapeOf = <T extends readonly ColumnDef[]>(cols: T) =>
  Object.fromEntries(cols.map((c) => [c.name, c.zod])) as { [K in T[number] as K['name']]: K['zod'] };

/** One canonical CDR in its interchange form (times as ISO-8601 strings). */
export const CdrSchema = z.strictObject(shapeOf(COLUMNS));
export type Cdr = z.infer<typeof CdrSchema>;

/** One stored CDR row as read back from Parquet. */
export const StoredCdrSchema = z.strictObject(shapeOf(STORED_COLUMNS));
export type StoredCdr = z.infer<typeof StoredCdrSchema>;

/** `"identity"` and `"day"` are DuckDB keywords (DUCKDB-NOTES.md): always quote. */
export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** DuckDB DDL body for a table holding stored CDRs. */
export const storedCdrDdl = (table: string): string =>
  `CREATE TABLE IF NOT EXISTS ${quoteIdent(table)} (\n  ${STORED_COLUMNS.map((c) => `${quoteIdent(c.name)} ${c.duckdb}`).join(',\n  ')}\n)`;

/** `columns={...}` argument for read_csv / read_json with every canonical column as VARCHAR. */
export const varcharColumnsArg = (names: readonly string[]): string =>
  `{${names.map((n) => `'${n.replaceAll("'", "''")}': 'VARCHAR'`).join(', ')}}`;

/** The SELECT list that projects stored columns in schema order. */
export const storedSelectList = (alias?: string): string =>
  STORED_COLUMNS.map((c) => (alias ? `${alias}.${quoteIdent(c.name)}` : quoteIdent(c.name))).join(', ');
