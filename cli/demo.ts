// `npm run demo`: generate a small multi-provider corpus, ingest it the way a carrier
// would (each switch file with its own options), print what landed, then trace calls.
import { existsSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { withDuck, all } from '../engine/db/duckdb.ts';
import { allFiles } from '../engine/storage/catalog.ts';
import { dataLayout } from '../engine/storage/layout.ts';
import { ingestFile, type IngestSummary } from '../ingest/pipeline/ingest-file.ts';
import type { FormatName } from '../ingest/readers/reader.ts';
import { main } from './main.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.join(repo, 'demo-data');
const corpus = path.join(root, 'corpus');
const data = path.join(root, 'data');

interface ManifestFile {
  path: string;
  format: FormatName;
  provider?: string;
  switch?: string;
  tz?: string;
  trunk_map?: string;
}

const out = (s = ''): void => {
  process.stdout.write(s + '\n');
};

function table(rows: Record<string, unknown>[]): void {
  if (rows.length === 0) return out('  (none)');
  const cols = Object.keys(rows[0]!);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)));
  const line = (vals: string[]): string => '  ' + vals.map((v, i) => v.padEnd(width[i]!)).join('  ');
  out(line(cols));
  out(line(width.map((w) => '-'.repeat(w))));
  for (const r of rows) out(line(cols.map((c) => String(r[c] ?? ''))));
}

async function run(): Promise<number> {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const t0 = Date.now();

  let files: { file: string; opts: Omit<ManifestFile, 'path'> }[];
  const hasGenerator = existsSync(path.join(repo, 'cli/commands/generate.ts'));
  if (hasGenerator) {
    out('1. generating a synthetic multi-provider network (seed 7) ...');
    const code = await main(['generate', '--out', corpus, '--calls', '3000', '--providers', '8', '--seed', '7']);
    if (code !== 0) throw new Error(`generate exited ${code}`);
    const manifest = JSON.parse(readFileSync(path.join(corpus, 'manifest.json'), 'utf8')) as { files: ManifestFile[] };
    files = manifest.files.map(({ path: p, ...opts }) => ({ file: path.join(corpus, p), opts }));
  } else {
    out('1. no generator in this build: ingesting the bundled samples (data-samples/)');
    files = [
      { file: path.join(repo, 'data-samples/canonical/transit-sw1.csv'), opts: { format: 'canonical' } },
      { file: path.join(repo, 'data-samples/ndjson/term-core.ndjson'), opts: { format: 'ndjson' } },
    ];
  }

  out(`\n2. ingesting ${files.length} switch files into ${path.relative(repo, data)}/ ...`);
  const results: IngestSummary[] = [];
  for (const { file, opts } of files) {
    results.push(
      await ingestFile(file, {
        data,
        format: opts.format,
        ...(opts.provider ? { provider: opts.provider } : {}),
        ...(opts.switch ? { switch: opts.switch } : {}),
        ...(opts.tz ? { tz: opts.tz } : {}),
        ...(opts.trunk_map ? { trunkMap: path.join(path.dirname(file), path.relative(path.dirname(file), path.resolve(corpus, opts.trunk_map))) } : {}),
      }),
    );
  }
  table(
    results.map((r) => ({
      file: path.relative(root, r.file),
      format: r.format ?? '',
      status: r.status,
      rows_in: r.rows_in,
      stored: r.rows_stored,
      rejected: r.rows_rejected,
      ms: r.elapsed_ms,
    })),
  );

  out('\n3. what landed (rows per day and provider, read back from the Parquet files):');
  const parquet = allFiles(dataLayout(data));
  const landed = await withDuck({}, (con) =>
    all(
      con,
      `SELECT "day"::VARCHAR AS "day", provider_id, count(*)::INTEGER AS rows, count(DISTINCT switch_id)::INTEGER AS switches,
              sum(CASE WHEN attestation <> '' THEN 1 ELSE 0 END)::INTEGER AS signed
       FROM read_parquet($files::VARCHAR[], hive_partitioning = false) GROUP BY ALL ORDER BY 1, 2`,
      { files: JSON.stringify(parquet) },
    ),
  );
  table(landed);
  const rejected = results.reduce((a, r) => a + r.rows_rejected, 0);
  const refused = results.filter((r) => r.status === 'refused');
  out(`\n   rejects: ${rejected} rows (reasons in ${path.relative(repo, dataLayout(data).rejectsDir)}/), refused files: ${refused.length}`);
  for (const r of results.filter((x) => x.reject_reasons)) out(`   ${path.basename(r.file)}: ${JSON.stringify(r.reject_reasons)}`);

  const traceDemo = path.join(repo, 'cli/demo-trace.ts');
  if (hasGenerator && existsSync(traceDemo)) {
    out('\n4. tracing calls back to their origin:');
    const mod = (await import(pathToFileURL(traceDemo).href)) as { runDemoTraces: (d: string, c: string) => Promise<void> };
    await mod.runDemoTraces(data, corpus);
  }
  const stored = results.reduce((a, r) => a + r.rows_stored, 0);
  out(`\n${JSON.stringify({ ok: true, files: results.length, rows_stored: stored, rows_rejected: rejected, refused: refused.length, elapsed_ms: Date.now() - t0, data })}`);
  return 0;
}

process.exitCode = await run();
