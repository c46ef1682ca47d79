// npm run bench:trace -> bench/results/trace.json
// Single warm trace latency (p50/p95/p99, in-process), a 1,000-request campaign, and in the
// same run the same hop-by-hop look-ups done by a plain DuckDB query over all the Parquet
// files (glob, no day filter, no catalog, a fresh statement each time) as the baseline.
// Sizes: TRACE_ROWS (default "1000000,10000000") rows over 45 days.
import { createReadStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { all, connect, openDuck } from '../engine/db/duckdb.ts';
import { generateCorpus, type TruthLine } from '../engine/generate/generate-corpus.ts';
import { compactHotDays } from '../engine/storage/compact-day.ts';
import { dataLayout } from '../engine/storage/layout.ts';
import { openTraceEngine } from '../engine/trace/trace-engine.ts';
import { ingestFile } from '../ingest/pipeline/ingest-file.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const sizes = (process.env['TRACE_ROWS'] ?? '1000000,10000000').split(',').map(Number);
const work = process.env['BENCH_DIR'] ?? path.join(os.tmpdir(), 'tracehop-bench-trace');
const END = '2026-11-20';
const NOW = new Date('2026-11-21T00:00:00Z');

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return +(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0).toFixed(2);
};

const results: Record<string, unknown>[] = [];
for (const rows of sizes) {
  const dir = path.join(work, `rows-${rows}`);
  const corpus = path.join(dir, 'corpus');
  const data = path.join(dir, 'data');
  const t0 = Date.now();
  if (!existsSync(path.join(dir, 'ready'))) {
    // a corpus already generated is reused (ingest is exactly-once, so a resumed build adds nothing twice)
    const gen = existsSync(path.join(corpus, 'manifest.json'))
      ? (JSON.parse(readFileSync(path.join(corpus, 'manifest.json'), 'utf8')) as { rows: number; calls: number })
      : await generateCorpus({ out: corpus, calls: Math.round(rows / 3.6), providers: 10, seed: 1, days: 45, end: END });
    const manifest = JSON.parse(readFileSync(path.join(corpus, 'manifest.json'), 'utf8')) as { files: { path: string; format: 'canonical' | 'ndjson' }[] };
    for (const f of manifest.files) await ingestFile(path.join(corpus, f.path), { data, format: f.format, now: NOW });
    await compactHotDays(dataLayout(data), { minFiles: 2, smallBytes: Number.MAX_SAFE_INTEGER });
    writeFileSync(path.join(dir, 'ready'), JSON.stringify({ rows: gen.rows, calls: gen.calls }));
  }
  const built = JSON.parse(readFileSync(path.join(dir, 'ready'), 'utf8')) as { rows: number; calls: number };
  const buildS = (Date.now() - t0) / 1000;
  // truth.ndjson of a 10M-row corpus exceeds a JS string: stream it, keeping every 50th call
  const truth: TruthLine[] = [];
  let k = 0;
  for await (const line of createInterface({ input: createReadStream(path.join(corpus, 'truth.ndjson')), crlfDelay: Infinity })) {
    if (line.trim() !== '' && k++ % 50 === 0) truth.push(JSON.parse(line) as TruthLine);
  }
  const fourHop = truth.filter((t) => t.path.length >= 4 && t.origin);
  const sample = (n: number, from: TruthLine[]) => Array.from({ length: n }, (_, i) => from[Math.floor((i * 7919) % from.length)]!);

  const engine = await openTraceEngine(data);
  for (const t of sample(20, fourHop)) await engine.traceRaw({ calling: t.calling, called: t.called, at: t.at }, { now: NOW }); // warm
  const lat: number[] = [];
  let correct = 0;
  for (const t of sample(300, fourHop)) {
    const s = performance.now();
    const r = await engine.traceRaw({ calling: t.calling, called: t.called, at: t.at, duration_s: t.duration_s }, { now: NOW });
    lat.push(performance.now() - s);
    if (r.status === 'origin_found' && r.origin?.provider_id === t.origin?.provider_id) correct++;
  }
  const batch = sample(1000, truth).map((t, i) => ({ id: `b${i}`, calling: t.calling, called: t.called, at: t.at }));
  const b0 = performance.now();
  const br = await engine.traceBatch(batch, { now: NOW });
  const batchMs = performance.now() - b0;
  engine.close();

  // baseline: the same hops looked up by a plain query over every file (glob, no day filter)
  const inst = await openDuck(':memory:', { threads: 2 });
  const con = await connect(inst);
  const glob = path.join(data, 'cdr', 'hot', '*', '*.parquet');
  const baseLat: number[] = [];
  for (const t of sample(30, fourHop)) {
    const s = performance.now();
    for (const h of t.path) {
      const at = Date.parse(t.at);
      await all(
        con,
        `SELECT * FROM read_parquet('${glob}', hive_partitioning = false) WHERE called_number = '${t.called}' AND provider_id = '${h.provider_id}'
         AND start_time BETWEEN '${new Date(at - 10_000).toISOString()}'::TIMESTAMPTZ AND '${new Date(at + 10_000).toISOString()}'::TIMESTAMPTZ`,
      );
    }
    baseLat.push(performance.now() - s);
  }
  con.closeSync();
  inst.closeSync();

  const entry = {
    rows: built.rows,
    calls: built.calls,
    days: 45,
    build_s: +buildS.toFixed(1),
    single_trace_ms: { p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99), n: lat.length, hops_min: 4, correct_origin: correct },
    campaign_1000: { seconds: +(batchMs / 1000).toFixed(2), resolved: br.filter((r) => r.status === 'origin_found' || r.status === 'left_corpus').length },
    baseline_plain_query_per_trace_ms: { p50: pct(baseLat, 50), p95: pct(baseLat, 95), n: baseLat.length },
    speedup_p50_vs_baseline: +(pct(baseLat, 50) / pct(lat, 50)).toFixed(1),
    max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    targets: { p95_ms: 100, campaign_1000_s: 10, speedup: 3, max_rss_mb: 2048 },
  };
  results.push(entry);
  process.stderr.write(JSON.stringify(entry) + '\n');
}
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results', 'trace.json'), JSON.stringify({ bench: 'trace', machine: { cpus: os.cpus().length, node: process.version }, at: new Date().toISOString(), results }, null, 2) + '\n');
process.stdout.write(JSON.stringify({ ok: true, file: 'bench/results/trace.json', results: results.length }) + '\n');
