// npm run bench:ingest -> bench/results/ingest.json
// tracehop's ingest of a canonical CSV (validate, normalize, sort, publish, ledger) beside,
// in the same run, the raw DuckDB ceiling named in issue 3 (read_csv with an explicit column
// list -> partitioned Parquet), the same ceiling with the sort tracehop does, and parquetjs.
// Sizes: BENCH_ROWS (default "1000000,10000000"); parquetjs runs on PARQUETJS_ROWS rows (default 200000).
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCanonicalCsv } from './support/canonical-csv-file.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const sizes = (process.env['BENCH_ROWS'] ?? '1000000,10000000').split(',').map(Number);
const pjsRows = Number(process.env['PARQUETJS_ROWS'] ?? 200_000);
const work = process.env['BENCH_DIR'] ?? path.join(os.tmpdir(), 'tracehop-bench-ingest');
mkdirSync(work, { recursive: true });

type Run = { mode: string; rows: number; seconds: number; rows_per_s: number; max_rss_mb: number };
const measure = (mode: string, file: string, rows?: number): Run => {
  const out = path.join(work, `out-${mode}`);
  rmSync(out, { recursive: true, force: true });
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'support/measure-ingest.ts'), mode, file, out, ...(rows ? [String(rows)] : [])], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
  rmSync(out, { recursive: true, force: true });
  const run = JSON.parse(r.stdout.trim().split('\n').pop()!) as Run;
  process.stderr.write(`  ${JSON.stringify(run)}\n`);
  return run;
};

const results: Record<string, unknown>[] = [];
for (const n of sizes) {
  const file = path.join(work, `canonical-${n}.csv`);
  if (!existsSync(file)) await writeCanonicalCsv(file, n);
  const ceiling = measure('ceiling', file);
  const ceilingSorted = measure('ceiling-sorted', file);
  const tracehop = measure('tracehop', file);
  const pjs = measure('parquetjs', file, Math.min(n, pjsRows));
  const entry = {
    rows: n,
    csv_bytes: statSync(file).size,
    tracehop,
    duckdb_ceiling: ceiling,
    duckdb_ceiling_sorted: ceilingSorted,
    parquetjs: pjs,
    ratio_vs_ceiling: +(tracehop.rows_per_s / ceiling.rows_per_s).toFixed(3),
    ratio_vs_sorted_ceiling: +(tracehop.rows_per_s / ceilingSorted.rows_per_s).toFixed(3),
    ratio_vs_parquetjs: +(tracehop.rows_per_s / pjs.rows_per_s).toFixed(1),
    targets: { vs_ceiling: 0.8, vs_parquetjs: 10, max_rss_mb: 1024 },
  };
  results.push(entry);
  process.stderr.write(JSON.stringify(entry) + '\n');
}
mkdirSync(path.join(here, 'results'), { recursive: true });
const report = { bench: 'ingest', machine: { cpus: os.cpus().length, node: process.version }, at: new Date().toISOString(), results };
writeFileSync(path.join(here, 'results', 'ingest.json'), JSON.stringify(report, null, 2) + '\n');
process.stdout.write(JSON.stringify({ ok: true, file: 'bench/results/ingest.json', results: results.length }) + '\n');
