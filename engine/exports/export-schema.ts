import { z } from 'zod';
import { CANONICAL_COLUMN_NAMES, type CanonicalColumn } from '../cdr/schema.ts';
import { DemandInputSchema } from '../demands/demand-schema.ts';
import { usDateToIso } from '../time/central-days.ts';

/**
 * CPNI-gated exports (issue 7 item 4; 47 U.S.C. 222, 18 U.S.C. 2703): the request, the
 * decisions, the stored scope and the signed manifest, each defined once here.
 */

/**
 * Columns that may leave: the canonical connection-record columns (18 U.S.C. 2703(c)(2)(C):
 * "records of session times and durations", numbers, trunks, carriers). `identity` is
 * withheld: it is another carrier's signed PASSporT (certificate URL, signature), up to
 * 16 KB a row, and everything it attests that is a record of the call (numbers, attestation
 * level, origid) is already released in its own column; releasing only what the process
 * calls for is the CPNI rule (47 U.S.C. 222(c)(1): disclosed "as required by law", no more). Stored extras (day,
 * ingest_id, verstat, signer_spc, verify_reason) are the carrier's own analysis, not records.
 */
export const WITHHELD_COLUMNS = ['identity'] as const satisfies readonly CanonicalColumn[];
export const RELEASED_COLUMNS = CANONICAL_COLUMN_NAMES.filter((c) => !(WITHHELD_COLUMNS as readonly string[]).includes(c)) as unknown as readonly [
  Exclude<CanonicalColumn, (typeof WITHHELD_COLUMNS)[number]>,
  ...Exclude<CanonicalColumn, (typeof WITHHELD_COLUMNS)[number]>[],
];
export type ReleasedColumn = (typeof RELEASED_COLUMNS)[number];

/** A number matches when it is the calling, the called or the asserted (PAI) number of a call. */
export const MATCH_COLUMNS = ['calling_number', 'called_number', 'pai_number'] as const;

export const EXPORT_FORMATS = ['csv', 'xlsx', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_STATUSES = ['requested', 'approved', 'denied', 'produced'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** The same forms a demand uses: numbers XXX-XXX-XXXX, dates MM/DD/YYYY (DESIGN.md "Rules"). */
const demandNumber = DemandInputSchema.shape.target_numbers.unwrap().element;
const usDate = DemandInputSchema.shape.date_from;

export const EXPORT_ID_RE = /^EX-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const DEMAND_ID_RE = /^LD-\d{8}-[0-9A-F]{6}$/;

/** POST /v1/exports: names a demand; may narrow its numbers, dates and columns, never widen. */
export const ExportRequestSchema = z
  .strictObject({
    demand_id: z.string().regex(DEMAND_ID_RE, 'a demand id LD-YYYYMMDD-XXXXXX'),
    numbers: z.array(demandNumber).min(1).max(10_000).optional(),
    date_from: usDate.optional(),
    date_to: usDate.optional(),
    columns: z.array(z.enum(RELEASED_COLUMNS)).min(1).optional(),
    formats: z.array(z.enum(EXPORT_FORMATS)).min(1).max(3).default(['csv']),
    note: z.string().min(1).max(2000).optional(),
  })
  .refine((r) => !(r.date_from && r.date_to && usDateToIso(r.date_from) > usDateToIso(r.date_to)), { path: ['date_from'], message: 'date_from is after date_to' });
export type ExportRequest = z.infer<typeof ExportRequestSchema>;

export const ApproveSchema = z.strictObject({ note: z.string().min(1).max(2000).optional() });
export const DenySchema = z.strictObject({ reason: z.string().min(1).max(2000) });

/**
 * The resolved scope of an export: E.164 numbers and a half-open instant interval
 * [from, to), with the demand-style dates it came from. What writeExport reads.
 */
export const ExportScopeSchema = z.strictObject({
  numbers: z.array(z.string().regex(/^\+1[2-9]\d{2}[2-9]\d{6}$/)).min(1),
  date_from: z.string(),
  date_to: z.string(),
  time_zone: z.string(),
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  columns: z.array(z.enum(RELEASED_COLUMNS)).min(1),
});
export type ExportScope = z.infer<typeof ExportScopeSchema>;

export const ExportFileSchema = z.strictObject({
  name: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
});
export type ExportFile = z.infer<typeof ExportFileSchema>;

export const FeeEstimateSchema = z.strictObject({
  rows: z.number().int().nonnegative(),
  voluminous: z.boolean(),
  fee_applies: z.boolean(),
  amount_usd: z.number().nonnegative(),
  basis: z.string(),
});
export type FeeEstimate = z.infer<typeof FeeEstimateSchema>;

/** The manifest that travels with the files; its exact bytes are signed (manifest.jws). */
export const ManifestSchema = z.strictObject({
  manifest_version: z.literal(1),
  export_id: z.string().regex(EXPORT_ID_RE),
  demand: z.strictObject({ id: z.string(), legal_process: z.string(), legal_basis: z.string() }),
  scope: ExportScopeSchema.extend({ matched_on: z.array(z.string()) }),
  rows: z.number().int().nonnegative(),
  files: z.array(ExportFileSchema),
  requested_by: z.string(),
  requested_at: z.iso.datetime({ offset: true }),
  approved_by: z.string(),
  approved_at: z.iso.datetime({ offset: true }),
  produced_at: z.iso.datetime({ offset: true }),
  download_expires_at: z.iso.datetime({ offset: true }),
  fee_estimate: FeeEstimateSchema,
  signature: z.strictObject({ alg: z.literal('ES256'), kid: z.string(), jws_file: z.string(), public_key_file: z.string() }),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/** Fixed names of the files an export directory holds besides the data files. */
export const MANIFEST_FILE = 'manifest.json';
export const JWS_FILE = 'manifest.jws';
export const PUBLIC_KEY_FILE = 'signing-key.pub.pem';
export const dataFileName = (f: ExportFormat): string => `cdrs.${f}`;
export const EXPORT_FILE_NAME_RE = /^(cdrs\.(csv|xlsx|parquet)|manifest\.json|manifest\.jws|signing-key\.pub\.pem)$/;
