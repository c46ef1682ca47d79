import { ingestFile, type IngestSummary } from '../../ingest/pipeline/ingest-file.ts';
import { INGEST_OPTION_SPEC, ingestRequestFrom } from '../ingest-options.ts';
import { parseCommandArgs, printResult, requireOption, say, UsageError } from '../output.ts';

/**
 * tracehop ingest FILE... --data DIR [--format auto|canonical|ndjson|freeswitch|asterisk|kamailio]
 *   [--provider ID] [--switch ID] [--tz ZONE] [--trunk-map FILE] [--mapping FILE] [--trust DIR]
 * Exit 0 when every row was stored, 1 when anything was rejected or a file refused.
 */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...INGEST_OPTION_SPEC, now: { type: 'string' } });
  const data = requireOption(values.data, 'data');
  if (positionals.length === 0) throw new UsageError('give at least one FILE to ingest');
  const request = ingestRequestFrom(values, data);
  const now = values.now ? new Date(values.now) : undefined;
  if (now && Number.isNaN(now.getTime())) throw new UsageError(`--now '${values.now}' is not an ISO-8601 time`);
  const results: IngestSummary[] = [];
  for (const file of positionals) {
    const r = await ingestFile(file, { ...request, ...(now ? { now } : {}) });
    results.push(r);
    if (r.status === 'refused') say(`${file}: refused: ${r.error?.code}: ${r.error?.message}`);
    else if (r.status === 'already_ingested') say(`${file}: ${r.notes?.[0] ?? 'already ingested'}`);
    else say(`${file}: ${r.format}: ${r.rows_in} rows in, ${r.rows_stored} stored, ${r.rows_rejected} rejected${r.rejects_file ? ` (see ${r.rejects_file})` : ''} in ${r.elapsed_ms} ms`);
  }
  const totals = results.reduce(
    (t, r) => ({ rows_in: t.rows_in + r.rows_in, rows_stored: t.rows_stored + r.rows_stored, rows_rejected: t.rows_rejected + r.rows_rejected }),
    { rows_in: 0, rows_stored: 0, rows_rejected: 0 },
  );
  const ok = results.every((r) => r.ok);
  printResult({ ok, ...totals, files: results });
  return ok ? 0 : 1;
}
