/**
 * The one registry of tracehop errors (after fastify's lib/errors.js): every code is
 * defined once with its message and HTTP status; the API maps them in one place and
 * the CLI prints `code` in its JSON summary. Codes are stable: never rename one.
 */
export const ERRORS = {
  // usage and configuration
  TH_USAGE: { status: 400, message: 'Bad usage' },
  TH_CONFIG: { status: 500, message: 'Configuration error' },
  TH_INTERNAL: { status: 500, message: 'Internal error' },
  // input files
  TH_INPUT_NOT_FOUND: { status: 404, message: 'Input file not found' },
  TH_INPUT_EMPTY: { status: 400, message: 'Input file is empty' },
  TH_INPUT_NO_ROWS: { status: 400, message: 'Input file has a header but no rows' },
  TH_INPUT_BINARY: { status: 400, message: 'Input file is not text' },
  TH_INPUT_GZIP: { status: 400, message: 'Input gzip stream is corrupt or truncated' },
  TH_INPUT_ENCODING: { status: 400, message: 'Input file is not valid UTF-8' },
  TH_INPUT_HEADER: { status: 400, message: 'Input header is not usable' },
  TH_INPUT_UNKNOWN_COLUMN: { status: 400, message: 'Input header names an unknown column' },
  TH_INPUT_MISSING_COLUMN: { status: 400, message: 'Input header lacks a required column' },
  TH_INPUT_FORMAT: { status: 400, message: 'Input format could not be determined' },
  TH_INPUT_TZ_REQUIRED: { status: 400, message: 'This format logs local time: --tz is required' },
  TH_INPUT_PROVIDER_REQUIRED: { status: 400, message: 'This format has no provider or switch field: --provider and --switch are required' },
  TH_INPUT_MAPPING: { status: 400, message: 'Mapping file is not valid' },
  TH_INPUT_TRUNK_MAP: { status: 400, message: 'Trunk map file is not valid' },
  // storage
  TH_STORAGE_LOCKED: { status: 409, message: 'Another tracehop process holds the lock' },
  TH_STATE_LOCKED: { status: 409, message: 'The state store is open in another tracehop process' },
  TH_STORAGE_IO: { status: 500, message: 'Storage I/O error' },
  // generic API
  TH_BAD_REQUEST: { status: 400, message: 'Malformed request' },
  TH_UNAUTHENTICATED: { status: 401, message: 'Missing or invalid bearer token' },
  TH_FORBIDDEN: { status: 403, message: 'Role not allowed for this resource' },
  TH_NOT_FOUND: { status: 404, message: 'Not found' },
  TH_CONFLICT: { status: 409, message: 'Conflict' },
  TH_POLICY: { status: 422, message: 'Rule of policy broken' },
  TH_QUOTA: { status: 429, message: 'Quota exhausted' },
  TH_PAYLOAD_TOO_LARGE: { status: 413, message: 'Request body too large' },
  // legal demand intake: one code per rule of the carrier's policy
  TH_DEMAND_FAX_REFUSED: { status: 422, message: 'Demands by fax are refused: serve by email, portal or mail' },
  TH_DEMAND_VERBAL_REFUSED: { status: 422, message: 'Verbal demands are refused, exigent ones included: send it in writing' },
  TH_DEMAND_DOCUMENT_COUNT: { status: 422, message: 'A demand carries exactly one legal document' },
  TH_DEMAND_LIST_REQUIRED: { status: 422, message: '10 or more numbers must come as an attached list, one per line' },
  TH_DEMAND_NO_NUMBERS: { status: 422, message: 'A demand names its target numbers' },
  TH_DEMAND_ATTACHMENT: { status: 400, message: 'The numbers attachment is not a list of numbers XXX-XXX-XXXX, one per line' },
  TH_DEMAND_DATE_RANGE: { status: 400, message: 'The date range is reversed or in the future' },
  TH_DEMAND_DUPLICATE_DOCUMENT: { status: 409, message: 'This legal document was already submitted' },
  TH_DEMAND_TRANSITION: { status: 409, message: 'This status change is not allowed' },
  TH_DEMAND_NOT_SUBMITTER: { status: 403, message: 'Only the submitter may withdraw a demand' },
  // look-up portal
  TH_LOOKUP_QUOTA: { status: 429, message: 'Look-up quota for today is used up (25 numbers per officer per day)' },
  // data lifecycle (issue 7)
  TH_LIFECYCLE_VERIFY: { status: 500, message: 'A tiered file did not verify (row count or checksum); the hot copy was kept' },
  // preservation holds (18 U.S.C. 2703(f))
  TH_PRESERVATION_DEMAND: { status: 422, message: 'A preservation hold needs a demand of type preservation_request that is still open' },
  TH_PRESERVATION_SCOPE: { status: 422, message: 'A hold covers only the numbers and dates of its preservation request' },
  TH_PRESERVATION_EXTENDED: { status: 409, message: 'A preservation hold is extended once only (90 days + 90 days)' },
  TH_PRESERVATION_EXPIRED: { status: 409, message: 'This preservation hold has expired or was released' },
  // archive retrieval jobs
  TH_ARCHIVE_HOT_RANGE: { status: 422, message: 'The range is inside the hot window: query it directly, no archive retrieval needed' },
  TH_ARCHIVE_STATE: { status: 409, message: 'This archive job cannot change state that way' },
  // CPNI-gated exports (47 U.S.C. 222, 18 U.S.C. 2703)
  TH_EXPORT_SCOPE: { status: 422, message: 'An export is limited to its demand\'s numbers and dates' },
  TH_EXPORT_PROCESS: { status: 422, message: 'This legal process does not permit the release of call records' },
  TH_EXPORT_PROTECTIVE_ORDER: { status: 422, message: 'A civil subpoena needs a protective order on file before records are released' },
  TH_EXPORT_DEMAND_STATUS: { status: 422, message: 'The demand is not open (rejected, withdrawn or fulfilled)' },
  TH_EXPORT_NOT_APPROVED: { status: 422, message: 'Nothing leaves before a CPNI officer approves the export' },
  TH_EXPORT_SELF_APPROVAL: { status: 422, message: 'The requester of an export cannot approve it: two different people' },
  TH_EXPORT_STATE: { status: 409, message: 'This export cannot change state that way' },
  TH_EXPORT_EXPIRED: { status: 410, message: 'The download link of this export has expired' },
  TH_EXPORT_VERIFY: { status: 400, message: 'The export does not verify against its signed manifest' },
  TH_EXPORT_FORMAT_LIMIT: { status: 422, message: 'xlsx holds at most 1,048,575 data rows a sheet: ask for csv or parquet, or narrow the scope' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** A tracehop error: stable `code`, HTTP `status`, structured `details`, and the `cause` kept. */
export class TraceHopError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: readonly unknown[];

  constructor(code: ErrorCode, message?: string, options?: { details?: readonly unknown[]; cause?: unknown }) {
    super(message ?? ERRORS[code].message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TraceHopError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = options?.details ?? [];
  }

  toJSON(): { code: ErrorCode; message: string; details: readonly unknown[] } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export const thError = (code: ErrorCode, message?: string, options?: { details?: readonly unknown[]; cause?: unknown }): TraceHopError =>
  new TraceHopError(code, message, options);

export const isTraceHopError = (e: unknown): e is TraceHopError => e instanceof TraceHopError;
