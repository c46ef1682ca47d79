// One measured run in its own process (so peak RSS is this run's alone):
//   tsx bench/support/measure-ingest.ts tracehop|ceiling|ceiling-sorted|parquetjs FILE OUTDIR [ROWS_LIMIT]
// prints {"mode","rows","seconds","rows_per_s","max_rss_mb"}.
import { mkdirSync, createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { CANONICAL_COLUMN_NAMES, varcharColumnsArg } from '../../engine/cdr/schema.ts';
import { withDuck, all, exec } from '../../engine/db/duckdb.ts';
import { ingestFile } from '../../ingest/pipeline/ingest-file.ts';

const [mode, file, outDir, limitArg] = process.argv.slice(2);
if (!mode || !file || !outDir) throw new Error('usage: measure-ingest MODE FILE OUTDIR [ROWS]');
mkdirSync(outDir, { recursive: true });
const t0 = performance.now();
let rows = 0;

const ceilingSelect = `SELECT provider_id, switch_id, call_id, start_time::TIMESTAMPTZ AS start_time, answer_time::TIMESTAMPTZ AS answer_time,
  end_time::TIMESTAMPTZ AS end_time, duration_s::INTEGER AS duration_s, calling_number, called_number, pai_number, ingress_type, ingress_carrier,
  ingress_trunk, ingress_ip, egress_type, egress_carrier, egress_trunk, sip_code::INTEGER AS sip_code, attestation, origid, "identity",
  (start_time::TIMESTAMPTZ)::DATE AS "day"
  FROM read_csv('${file}', header = true, auto_detect = false, columns = ${varcharColumnsArg(CANONICAL_COLUMN_NAMES)})`;

if (mode === 'tracehop') {
  const r = await ingestFile(file, { data: outDir, now: new Date('2026-11-24T00:00:00Z') });
  if (r.status !== 'ingested') throw new Error(JSON.stringify(r));
  rows = r.rows_in;
} else if (mode === 'ceiling' || mode === 'ceiling-sorted') {
  // The raw DuckDB ceiling from the issue: read_csv with an explicit column list to partitioned Parquet.
  await withDuck({ memoryLimit: '600MB', tempDirectory: path.join(outDir, 'duck'), threads: 2 }, async (con) => {
    await exec(
      con,
      `COPY (${ceilingSelect} ${mode === 'ceiling-sorted' ? 'ORDER BY "day", called_number, start_time' : ''}) TO '${path.join(outDir, 'out')}'
       (FORMAT parquet, COMPRESSION zstd, PARTITION_BY ("day"), OVERWRITE_OR_IGNORE true)`,
    );
    rows = Number((await all<{ n: string }>(con, `SELECT count(*)::VARCHAR AS n FROM read_parquet('${path.join(outDir, 'out')}/*/*.parquet')`))[0]!.n);
  });
} else if (mode === 'parquetjs') {
  const mod = (await import('parquetjs')) as unknown as { default?: unknown };
  const parquet = (mod.default ?? mod) as {
    ParquetSchema: new (s: Record<string, unknown>) => unknown;
    ParquetWriter: { openFile(schema: unknown, file: string): Promise<{ appendRow(r: Record<string, unknown>): Promise<void>; close(): Promise<void> }> };
  };
  const fields: Record<string, unknown> = {};
  for (const c of CANONICAL_COLUMN_NAMES) fields[c] = { type: c === 'duration_s' || c === 'sip_code' ? 'INT32' : 'UTF8', optional: true };
  const writer = await parquet.ParquetWriter.openFile(new parquet.ParquetSchema(fields), path.join(outDir, 'parquetjs.parquet'));
  const limit = Number(limitArg ?? Infinity);
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let header = true;
  for await (const line of rl) {
    if (header) {
      header = false;
      continue;
    }
    if (rows >= limit) break;
    const v = line.split(',');
    const row: Record<string, unknown> = {};
    CANONICAL_COLUMN_NAMES.forEach((c, i) => {
      const x = v[i] ?? '';
      if (x !== '') row[c] = c === 'duration_s' || c === 'sip_code' ? Number(x) : x;
    });
    await writer.appendRow(row);
    rows++;
  }
  await writer.close();
} else throw new Error(`unknown mode ${mode}`);

const seconds = (performance.now() - t0) / 1000;
process.stdout.write(JSON.stringify({ mode, rows, seconds: +seconds.toFixed(3), rows_per_s: Math.round(rows / seconds), max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) }) + '\n');
