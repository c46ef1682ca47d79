import { ingestFile, type IngestSummary } from '../../ingest/pipeline/ingest-file.ts';
import { FORMATS } from '../../ingest/readers/reader.ts';
import { parseCommandArgs, printResult, requireOption, say, UsageError } from '../output.ts';

/**
 * tracehop ingest FILE... --data DIR [--format auto|canonical|ndjson|freeswitch|asterisk|kamailio]
 *   [--provider ID] [--switch ID] [--tz ZONE] [--trunk-map FILE] [--mapping FILE] [--trust DIR]
 * Exit 0 when every row was stored, 1 when anything was rejected or a file refused.
 */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    data: { type: 'string' },
    format: { type: 'string', default: 'auto' },
    provider: { type: 'string' },
    switch: { type: 'string' },
    tz: { type: 'string' },
    'trunk-map': { type: 'string' },
    mapping: { type: 'string' },
    trust: { type: 'string' },
    now: { type: 'string' },
  });
  const data = requireOption(values.data, 'data');
  if (positionals.length === 0) throw new UsageError('give at least one FILE to ingest');
  const format = values.format ?? 'auto';
  if (format !== 'auto' && !(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be auto or one of ${FORMATS.join(', ')}`);
  }
  const now = values.now ? new Date(values.now) : undefined;
  if (now && Number.isNaN(now.getTime())) throw new UsageError(`--now '${values.now}' is not an ISO-8601 time`);
  const results: IngestSummary[] = [];
  for (const file of positionals) {
    const r = await ingestFile(file, {
      data,
      format: format as (typeof FORMATS)[number] | 'auto',
      ...(values.provider ? { provider: values.provider } : {}),
      ...(values.switch ? { switch: values.switch } : {}),
      ...(values.tz ? { tz: values.tz } : {}),
      ...(values['trunk-map'] ? { trunkMap: values['trunk-map'] } : {}),
      ...(values.mapping ? { mapping: values.mapping } : {}),
      ...(values.trust ? { trust: values.trust } : {}),
      ...(now ? { now } : {}),
    });
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
