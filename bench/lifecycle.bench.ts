// npm run bench:lifecycle -> bench/results/lifecycle.json
// Hot-to-cold tiering of a generated corpus (LIFECYCLE_ROWS, default 10M rows over 45
// days: every day tiered, verified, swapped) and a CPNI export of ~1M rows (csv + parquet),
// each beside a raw DuckDB COPY of the same rows in the same run (no sort, no
// verification, no catalog, no hashing): the ratio is what the guarantees cost.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { all, exec, withDuck } from '../engine/db/duckdb.ts';
import { RELEASED_COLUMNS } from '../engine/exports/export-schema.ts';
import { writeExport } from '../engine/exports/write-export.ts';
import { generateCorpus } from '../engine/generate/generate-corpus.ts';
import { runLifecycle } from '../engine/lifecycle/lifecycle-run.ts';
import { sqlString } from '../engine/sql/sql-literal.ts';
import { withState } from '../engine/state/state-store.ts';
import { allFiles, readCatalog } from '../engine/storage/catalog.ts';
import { compactHotDays } from '../engine/storage/compact-day.ts';
import { dataLayout } from '../engine/storage/layout.ts';
import { ingestFile } from '../ingest/pipeline/ingest-file.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const rowsWanted = Number(process.env['LIFECYCLE_ROWS'] ?? 10_000_000);
const exportWanted = Number(process.env['EXPORT_ROWS'] ?? 1_000_000);
const work = process.env['BENCH_DIR'] ?? path.join(os.tmpdir(), 'tracehop-bench-lifecycle');
const END = '2026-11-20';
const NOW = new Date('2026-11-21T00:00:00Z');
const dir = path.join(work, `rows-${rowsWanted}`);
const corpus = path.join(dir, 'corpus');
const pristine = path.join(dir, 'data');
const rate = (rows: number, ms: number): number => Math.round(rows / (ms / 1000));
const log = (o: unknown) => process.stderr.write(JSON.stringify(o) + '\n');

// 1. build (or reuse) a hot-only data directory
const t0 = Date.now();
if (!existsSync(path.join(dir, 'ready'))) {
  if (!existsSync(path.join(corpus, 'manifest.json'))) await generateCorpus({ out: corpus, calls: Math.round(rowsWanted / 3.6), providers: 10, seed: 3, days: 45, end: END });
  const manifest = JSON.parse(readFileSync(path.join(corpus, 'manifest.json'), 'utf8')) as { files: { path: string; format: 'canonical' | 'ndjson' }[] };
  for (const f of manifest.files) await ingestFile(path.join(corpus, f.path), { data: pristine, format: f.format, now: NOW });
  await compactHotDays(dataLayout(pristine), { minFiles: 2, smallBytes: Number.MAX_SAFE_INTEGER });
  writeFileSync(path.join(dir, 'ready'), '');
}
log({ build_s: (Date.now() - t0) / 1000 });

// 2. tiering: a copy of the data directory, every day past the hot window
const data = path.join(dir, 'run');
rmSync(data, { recursive: true, force: true });
cpSync(pristine, data, { recursive: true });
const layout = dataLayout(data);
const pristineLayout = dataLayout(pristine);
const hotFiles = allFiles(layout, ['hot']);
// (a few rows already older than the hot window at ingest went straight to cold: not counted)
const hotRows = readCatalog(layout).files.filter((f) => f.tier === 'hot').reduce((a, f) => a + f.rows, 0);
const hotBytes = readCatalog(layout).files.filter((f) => f.tier === 'hot').reduce((a, f) => a + f.bytes, 0);
// baseline: one raw COPY of the same rows to one zstd file, same level
const rawOut = path.join(dir, 'raw-copy.parquet');
let t = performance.now();
await withDuck({ memoryLimit: '600MB', threads: 2, tempDirectory: path.join(dir, 'spill') }, (con) =>
  exec(con, `COPY (SELECT * FROM read_parquet($files::VARCHAR[], hive_partitioning = false)) TO ${sqlString(rawOut)} (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 9)`, { files: JSON.stringify(hotFiles) }),
);
const rawTierMs = performance.now() - t;
rmSync(rawOut, { force: true });
t = performance.now();
const run = await withState(layout, (state) => runLifecycle(layout, state, { now: new Date('2027-03-01T00:00:00Z'), trigger: 'cli', config: { retentionMonths: 1200 } }));
const tierMs = performance.now() - t;
if (run.status !== 'done') throw new Error(JSON.stringify(run.error));
const cold = readCatalog(layout).files;
const tiering = {
  rows: hotRows,
  days: run.tiered.length,
  seconds: +(tierMs / 1000).toFixed(2),
  rows_per_s: rate(hotRows, tierMs),
  hot_bytes: hotBytes,
  cold_bytes: cold.filter((f) => run.tiered.some((t) => t.cold_file === f.path)).reduce((a, f) => a + f.bytes, 0),
  zstd_level: 9,
  verified_rows: run.tiered.reduce((a, d) => a + d.rows, 0),
  rows_after_equal_before: readCatalog(layout).files.reduce((a, f) => a + f.rows, 0) === readCatalog(pristineLayout).files.reduce((a, f) => a + f.rows, 0),
  baseline_raw_copy: { seconds: +(rawTierMs / 1000).toFixed(2), rows_per_s: rate(hotRows, rawTierMs) },
  ratio_vs_raw_copy: +(rawTierMs / tierMs).toFixed(2),
};
log({ tiering });

// 3. export: the heaviest calling numbers until ~EXPORT_ROWS rows, all days (now read from cold)
const coldFiles = allFiles(layout);
const numbers = await withDuck({ threads: 2 }, async (con) => {
  const top = await all<{ n: string; c: string }>(con, `SELECT calling_number AS n, count(*)::VARCHAR AS c FROM read_parquet($files::VARCHAR[], hive_partitioning = false) WHERE calling_number LIKE '+1%' GROUP BY 1 ORDER BY count(*) DESC`, { files: JSON.stringify(coldFiles) });
  const pick: string[] = [];
  let sum = 0;
  for (const r of top) {
    if (sum >= exportWanted) break;
    if (!/^\+1[2-9]\d{2}[2-9]\d{6}$/.test(r.n)) continue;
    pick.push(r.n);
    sum += Number(r.c);
  }
  return pick;
});
const scope = { numbers, date_from: '10/01/2026', date_to: '11/20/2026', time_zone: 'America/Chicago', from: '2026-09-01T00:00:00.000Z', to: '2026-11-22T00:00:00.000Z', columns: [...RELEASED_COLUMNS] };
const outDir = path.join(dir, 'export');
rmSync(outDir, { recursive: true, force: true });
t = performance.now();
const ex = await writeExport(layout, scope, outDir, ['csv', 'parquet']);
const exportMs = performance.now() - t;
// baseline: the same WHERE, straight to the same two files, no staging, no hashing
const rawDir = path.join(dir, 'export-raw');
mkdirSync(rawDir, { recursive: true });
t = performance.now();
const rawRows = await withDuck({ memoryLimit: '500MB', threads: 2, tempDirectory: path.join(dir, 'spill') }, async (con) => {
  const where = `FROM read_parquet($files::VARCHAR[], hive_partitioning = false) WHERE start_time >= $from::TIMESTAMPTZ AND start_time < $to::TIMESTAMPTZ
    AND (calling_number IN (SELECT unnest($numbers::VARCHAR[])) OR called_number IN (SELECT unnest($numbers::VARCHAR[])) OR pai_number IN (SELECT unnest($numbers::VARCHAR[])))`;
  const p = { files: JSON.stringify(coldFiles), from: scope.from, to: scope.to, numbers: JSON.stringify(numbers) };
  await exec(con, `COPY (SELECT ${RELEASED_COLUMNS.map((c) => `"${c}"`).join(', ')} ${where}) TO ${sqlString(path.join(rawDir, 'raw.parquet'))} (FORMAT parquet, COMPRESSION zstd)`, p);
  await exec(con, `COPY (SELECT ${RELEASED_COLUMNS.map((c) => `"${c}"`).join(', ')} ${where}) TO ${sqlString(path.join(rawDir, 'raw.csv'))} (FORMAT csv, HEADER true)`, p);
  return Number((await all<{ n: string }>(con, `SELECT count(*)::VARCHAR AS n FROM read_parquet($f)`, { f: path.join(rawDir, 'raw.parquet') }))[0]!.n);
});
const rawExportMs = performance.now() - t;
const exportResult = {
  rows: ex.rows,
  numbers: numbers.length,
  formats: ex.files.map((f) => ({ name: f.name, bytes: f.bytes })),
  seconds: +(exportMs / 1000).toFixed(2),
  rows_per_s: rate(ex.rows, exportMs),
  baseline_raw_copy: { rows: rawRows, seconds: +(rawExportMs / 1000).toFixed(2), rows_per_s: rate(rawRows, rawExportMs) },
  ratio_vs_raw_copy: +(rawExportMs / exportMs).toFixed(2),
  same_rows_as_baseline: rawRows === ex.rows,
};
log({ export: exportResult });

const result = { bench: 'lifecycle', machine: { cpus: os.cpus().length, node: process.version }, at: new Date().toISOString(), corpus_rows: hotRows, build_s: +((Date.now() - t0) / 1000 - (tierMs + exportMs + rawTierMs + rawExportMs) / 1000).toFixed(1), tiering, export: exportResult, max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) };
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results', 'lifecycle.json'), JSON.stringify(result, null, 2) + '\n');
rmSync(data, { recursive: true, force: true });
rmSync(rawDir, { recursive: true, force: true });
process.stdout.write(JSON.stringify({ ok: true, file: 'bench/results/lifecycle.json' }) + '\n');
