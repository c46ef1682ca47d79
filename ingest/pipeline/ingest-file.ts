import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { all, exec, withDuck } from '../../engine/db/duckdb.ts';
import { isTraceHopError, thError, type ErrorCode } from '../../engine/errors.ts';
import { queryFile, queryTemplate } from '../../engine/sql/query-file.ts';
import { withState } from '../../engine/state/state-store.ts';
import { publishFile, fsyncDir } from '../../engine/storage/atomic-file.ts';
import { filesForDays, readCatalog, updateCatalog, type CatalogFile } from '../../engine/storage/catalog.ts';
import { coldPartitionDir, dataLayout, hotPartitionDir, ingestIdFor, type DataLayout } from '../../engine/storage/layout.ts';
import { chooseReader } from '../readers/detect-format.ts';
import { mappingReader, readMappingFile } from '../readers/mapping-file.ts';
import { IngestOptionsSchema, type FormatName, type IngestOptions } from '../readers/reader.ts';
import { inspectInput } from './inspect-input.ts';
import { hotWindowDays, ingestMemoryLimit } from './ingest-config.ts';
import { resolveSwitchZone } from './switch-zone.ts';
import { writeRejectsFile } from './rejects-file.ts';
import { verifyStagedIdentities } from '../../engine/stir/verify-at-ingest.ts';
import { stirCacheDir } from '../../engine/stir/stir-cache-dir.ts';
import { loadTrunkMap, readTrunkMap } from './trunk-map.ts';

/**
 * Ingest one CDR file: inspect -> read (reader relation) -> normalize and validate in
 * SQL -> sorted Parquet per day in the work area -> publish by rename -> one atomic
 * catalog update -> ledger row. Exactly once: the ledger is keyed by the file's
 * SHA-256, and every name written derives from it, so a re-run after a crash at any
 * point rewrites the same files and the same catalog entries (DESIGN.md "Storage rules").
 */
export interface IngestSummary {
  readonly ok: boolean;
  readonly status: 'ingested' | 'already_ingested' | 'refused';
  readonly file: string;
  readonly sha256?: string;
  readonly ingest_id?: string;
  readonly format?: FormatName;
  readonly rows_in: number;
  readonly rows_stored: number;
  readonly rows_rejected: number;
  readonly files: readonly string[];
  readonly days: readonly { day: string; rows: number }[];
  readonly cold_rows?: number;
  readonly rejects_file?: string;
  readonly reject_reasons?: Readonly<Record<string, number>>;
  readonly identity?: { checked: number; passed: number; failed: number };
  readonly notes?: readonly string[];
  readonly elapsed_ms: number;
  readonly error?: { code: ErrorCode; message: string; details: readonly unknown[] };
}

export type IngestRequest = { data: string; now?: Date; hotDays?: number } & Partial<IngestOptions>;

interface LedgerRow {
  ingest_id: string;
  format: string;
  rows_in: string;
  rows_stored: string;
  rows_rejected: string;
}

export async function ingestFile(file: string, req: IngestRequest): Promise<IngestSummary> {
  const started = Date.now();
  const abs = path.resolve(file);
  try {
    return await ingestChecked(abs, req, started);
  } catch (e) {
    if (!isTraceHopError(e) || e.status >= 500 || e.code === 'TH_STORAGE_LOCKED' || e.code === 'TH_STATE_LOCKED') throw e;
    // A refused file: nothing was stored; the reason names the field, line or cause.
    return {
      ok: false,
      status: 'refused',
      file: abs,
      rows_in: 0,
      rows_stored: 0,
      rows_rejected: 0,
      files: [],
      days: [],
      elapsed_ms: Date.now() - started,
      error: e.toJSON(),
    };
  }
}

async function ingestChecked(abs: string, req: IngestRequest, started: number): Promise<IngestSummary> {
  const { data, now: nowOpt, hotDays: hotOpt, ...rest } = req;
  const options = IngestOptionsSchema.parse(rest);
  const layout = dataLayout(data);
  const insp = await inspectInput(abs);
  const ingestId = ingestIdFor(insp.sha256);

  const prior = await withState(layout, (s) => s.one<LedgerRow>('SELECT ingest_id, format, rows_in::VARCHAR AS rows_in, rows_stored::VARCHAR AS rows_stored, rows_rejected::VARCHAR AS rows_rejected FROM ingest_ledger WHERE sha256 = $sha', { sha: insp.sha256 }));
  if (prior) {
    return {
      ok: true,
      status: 'already_ingested',
      file: abs,
      sha256: insp.sha256,
      ingest_id: prior.ingest_id,
      format: prior.format as FormatName,
      rows_in: Number(prior.rows_in),
      rows_stored: 0,
      rows_rejected: 0,
      files: [],
      days: [],
      notes: [`already ingested as ${prior.ingest_id} (${prior.rows_stored} rows stored, ${prior.rows_rejected} rejected); nothing added`],
      elapsed_ms: Date.now() - started,
    };
  }

  // Published but not in the ledger: a crash hit between the catalog swap and the ledger
  // row (and compaction may since have merged the files). Record it now; never write twice.
  const recovered = await recoverPublished(layout, insp.sha256, ingestId, abs, started);
  if (recovered) return recovered;

  const reader = options.mapping ? mappingReader(readMappingFile(options.mapping)) : chooseReader(options.format, insp.head, abs);
  const tz = options.tz ? resolveSwitchZone(options.tz) : '';
  const trunkMap = options.trunkMap ? readTrunkMap(options.trunkMap) : [];
  const now = nowOpt ?? new Date();
  const hotFrom = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (hotOpt ?? hotWindowDays()) * 86_400_000)
    .toISOString()
    .slice(0, 10);

  const work = path.join(layout.tmpDir, ingestId);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(path.join(work, 'duck'), { recursive: true });

  try {
    // An in-memory work database whose buffers spill to work/duck past the memory limit
    // (DUCKDB-NOTES.md); measured faster than a file-backed one (bench/results/ingest.json).
    const staged = await withDuck({ memoryLimit: ingestMemoryLimit(), tempDirectory: path.join(work, 'duck'), threads: 2 }, async (con) => {
      await loadTrunkMap(con, trunkMap);
      const plan = await reader.plan({ file: abs, head: insp.head, compression: insp.gzip ? 'gzip' : 'none', options, con });
      if (plan.localTime && tz === '') {
        throw thError('TH_INPUT_TZ_REQUIRED', `${path.basename(abs)} is ${reader.format}, which logs local time without a zone: give --tz (e.g. --tz America/Chicago); tracehop does not guess`);
      }
      const slots = trunkSlots(trunkMap.length > 0);
      // Staging keeps file order only when line numbers come from it (CSV readers); otherwise
      // DuckDB may stream without the order buffers, which bounds memory on large files.
      if (!plan.linesFromRowid) await exec(con, 'SET preserve_insertion_order = false');
      await exec(con, `CREATE TEMP TABLE th_stage AS ${queryTemplate('ingest/normalize-cdr', { source: plan.relation, ...slots })}`, {
        ...plan.params,
        tz,
        ingest_id: ingestId,
      });
      const later = plan.afterScan ? await plan.afterScan() : null;
      if (later) {
        await exec(con, `INSERT INTO th_stage ${queryTemplate('ingest/normalize-cdr', { source: later.relation, ...slots })}`, { ...later.params, tz, ingest_id: ingestId });
      }
      const total = await all<{ n: string }>(con, 'SELECT count(*)::VARCHAR AS n FROM th_stage');
      const rowsIn = Number(total[0]?.n ?? 0);
      if (rowsIn === 0) {
        throw thError('TH_INPUT_NO_ROWS', `${path.basename(abs)}: ${reader.format === 'canonical' ? 'a header and no rows' : 'no records'}; nothing to ingest`);
      }
      if (plan.recordsIn !== undefined && rowsIn !== plan.recordsIn) {
        throw thError('TH_INTERNAL', `row accounting mismatch: reader saw ${plan.recordsIn} records, staging holds ${rowsIn}`);
      }
      if (plan.dedupeStored) await markStoredDuplicates(con, layout);
      if (plan.linesFromRowid) await fillLineNumbers(con, plan.linesFromRowid.headerLines, Boolean(later));
      const counts = await all<{ rejected: string }>(con, 'SELECT count(reject_reason)::VARCHAR AS rejected FROM th_stage');
      // The outputs are sorted explicitly: no insertion order to keep from here on.
      await exec(con, 'SET preserve_insertion_order = false');
      let identity: IngestSummary['identity'];
      if (options.trust) identity = await verifyIdentities(con, layout, options.trust);
      return { rowsIn, rejected: Number(counts[0]?.rejected ?? 0), identity, notes: plan.notes ?? [], out: await writeOutputs(con, work, abs, insp.gzip, hotFrom) };
    });

    // Publish: files by rename, then the catalog in one atomic swap, then the ledger.
    const published = await publish(layout, ingestId, work, staged.out.hotFiles, staged.out.coldFiles);
    let rejectsFile: string | undefined;
    if (staged.rejected > 0) {
      rejectsFile = path.join(layout.rejectsDir, `${ingestId}.ndjson`);
      publishFile(path.join(work, 'rejects.ndjson'), rejectsFile);
    }
    await updateCatalog(layout, (files) => [...files.filter((f) => !f.ingest_ids.includes(ingestId) || f.ingest_ids.length > 1), ...published]);
    const rowsStored = staged.rowsIn - staged.rejected;
    const days = staged.out.days;
    await withState(layout, (s) =>
      s.exec(
        `INSERT INTO ingest_ledger (sha256, ingest_id, source_name, format, provider_id, switch_id, rows_in, rows_stored, rows_rejected, files_written, min_day, max_day, started_at, finished_at)
         VALUES ($sha, $id, $name, $format, $provider, $switch, $rows_in, $stored, $rejected, $files, $min_day, $max_day, $started, now())
         ON CONFLICT DO NOTHING`,
        {
          sha: insp.sha256,
          id: ingestId,
          name: path.basename(abs),
          format: reader.format,
          provider: options.provider ?? '',
          switch: options.switch ?? '',
          rows_in: staged.rowsIn,
          stored: rowsStored,
          rejected: staged.rejected,
          files: published.length,
          min_day: days[0]?.day ?? '',
          max_day: days[days.length - 1]?.day ?? '',
          started: new Date(started).toISOString(),
        },
      ),
    );
    return {
      ok: staged.rejected === 0,
      status: 'ingested',
      file: abs,
      sha256: insp.sha256,
      ingest_id: ingestId,
      format: reader.format,
      rows_in: staged.rowsIn,
      rows_stored: rowsStored,
      rows_rejected: staged.rejected,
      files: published.map((f) => f.path),
      days,
      cold_rows: staged.out.coldRows,
      ...(rejectsFile ? { rejects_file: rejectsFile, reject_reasons: staged.out.reasons } : {}),
      ...(staged.identity ? { identity: staged.identity } : {}),
      ...(staged.notes.length ? { notes: staged.notes } : {}),
      elapsed_ms: Date.now() - started,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

interface Outputs {
  hotFiles: string[];
  coldFiles: string[];
  days: { day: string; rows: number }[];
  coldRows: number;
  reasons: Record<string, number>;
}

async function writeOutputs(con: DuckDBConnection, work: string, file: string, gzip: boolean, hotFrom: string): Promise<Outputs> {
  const hotDir = path.join(work, 'hot');
  const coldDir = path.join(work, 'cold');
  const params = { hot_from: hotFrom };
  const dayRows = await all<{ day: string; rows: string; cold: boolean }>(
    con,
    `SELECT "day"::VARCHAR AS "day", count(*)::VARCHAR AS rows, "day" < $hot_from::DATE AS cold FROM th_stage WHERE reject_reason IS NULL GROUP BY ALL ORDER BY 1`,
    params,
  );
  const anyHot = dayRows.some((d) => !d.cold);
  const anyCold = dayRows.some((d) => d.cold);
  // Sorted by (called_number, start_time) inside each day, 16k-row groups: a trace
  // look-up reads one small row group (DUCKDB-NOTES.md: 8 ms vs 24 ms at 10M rows).
  const DAYS_PER_COPY = 8;
  const batches = (ds: string[]): [string, string][] => {
    const out: [string, string][] = [];
    for (let i = 0; i < ds.length; i += DAYS_PER_COPY) out.push([ds[i]!, ds[Math.min(i + DAYS_PER_COPY, ds.length) - 1]!]);
    return out;
  };
  if (anyHot) {
    for (const [k, [d1, d2]] of batches(dayRows.filter((d) => !d.cold).map((d) => d.day)).entries()) {
      await exec(con, queryTemplate('ingest/copy-hot', { dir: sqlPath(hotDir), pattern: `part_b${k}_{i}` }), { ...params, d1, d2 });
    }
  }
  if (anyCold) {
    // cold partitions are months: batch by day too, the month directories simply fill up
    // one file name per batch: batches of one month must not overwrite each other
    for (const [k, [d1, d2]] of batches(dayRows.filter((d) => d.cold).map((d) => d.day)).entries()) {
      await exec(con, queryTemplate('ingest/copy-cold', { dir: sqlPath(coldDir), pattern: `part_b${k}_{i}` }), { ...params, d1, d2 });
    }
  }
  const reasons: Record<string, number> = {};
  const rej = await all<{ reason: string; n: string }>(con, 'SELECT reject_reason AS reason, count(*)::VARCHAR AS n FROM th_stage WHERE reject_reason IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1');
  for (const r of rej) reasons[r.reason] = Number(r.n);
  if (rej.length > 0) await writeRejectsFile(con, file, gzip, path.join(work, 'rejects.ndjson'));
  return {
    hotFiles: listParquet(hotDir),
    coldFiles: listParquet(coldDir),
    days: dayRows.map((d) => ({ day: d.day, rows: Number(d.rows) })),
    coldRows: dayRows.filter((d) => d.cold).reduce((a, d) => a + Number(d.rows), 0),
    reasons,
  };
}

/** COPY targets are paths tracehop builds itself (never from a request); refuse anything odd. */
const sqlPath = (p: string): string => {
  if (/['\0\n]/.test(p)) throw thError('TH_CONFIG', `unsupported character in path ${p}`);
  return `'${p}'`;
};

const listParquet = (dir: string): string[] => {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const part of readdirSync(dir).sort()) {
    const sub = path.join(dir, part);
    if (!statSync(sub).isDirectory()) continue;
    for (const f of readdirSync(sub).sort()) if (f.endsWith('.parquet')) out.push(path.join(sub, f));
  }
  return out;
};

async function publish(layout: DataLayout, ingestId: string, work: string, hotFiles: string[], coldFiles: string[]): Promise<CatalogFile[]> {
  removeOrphans(layout, ingestId);
  const all_ = [...hotFiles.map((f) => ({ f, tier: 'hot' as const })), ...coldFiles.map((f) => ({ f, tier: 'cold' as const }))];
  if (all_.length === 0) return [];
  const stats = await withDuck({ threads: 1 }, (con) =>
    all<{ file: string; rows: string; min_day: string; max_day: string }>(
      con,
      `SELECT filename AS file, count(*)::VARCHAR AS rows, min("day")::VARCHAR AS min_day, max("day")::VARCHAR AS max_day
       FROM read_parquet($files::VARCHAR[], filename = true, hive_partitioning = false) GROUP BY filename`,
      { files: `[${all_.map((x) => JSON.stringify(x.f).replaceAll("'", "''")).join(',')}]` },
    ),
  );
  const byFile = new Map(stats.map((s) => [s.file, s]));
  const createdAt = new Date().toISOString();
  const counters = new Map<string, number>();
  const out: CatalogFile[] = [];
  for (const { f, tier } of all_) {
    const st = byFile.get(f);
    if (!st) throw thError('TH_INTERNAL', `written file ${f} has no rows`);
    const part = path.basename(path.dirname(f)); // day=YYYY-MM-DD or month=YYYY-MM
    const value = part.split('=')[1] ?? '';
    const dir = tier === 'hot' ? hotPartitionDir(layout, value) : coldPartitionDir(layout, value);
    const k = counters.get(dir) ?? 0;
    counters.set(dir, k + 1);
    const final = path.join(dir, `${ingestId}-${k}.parquet`);
    publishFile(f, final);
    out.push({
      path: path.relative(layout.cdrDir, final),
      tier,
      min_day: st.min_day,
      max_day: st.max_day,
      rows: Number(st.rows),
      bytes: statSync(final).size,
      ingest_ids: [ingestId],
      created_at: createdAt,
    });
  }
  void work;
  return out;
}

/** Files a crashed earlier attempt of this ingest published but never put in the catalog. */
function removeOrphans(layout: DataLayout, ingestId: string): void {
  const listed = new Set(readCatalog(layout).files.map((f) => path.join(layout.cdrDir, f.path)));
  for (const tierDir of [layout.hotDir, layout.coldDir]) {
    if (!existsSync(tierDir)) continue;
    for (const part of readdirSync(tierDir)) {
      const dir = path.join(tierDir, part);
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const n of names) {
        const full = path.join(dir, n);
        if (n.startsWith(`${ingestId}-`) && !listed.has(full)) rmSync(full, { force: true });
      }
      fsyncDir(dir);
    }
  }
}

async function recoverPublished(layout: DataLayout, sha: string, ingestId: string, abs: string, started: number): Promise<IngestSummary | null> {
  const files = readCatalog(layout).files.filter((f) => f.ingest_ids.includes(ingestId));
  if (files.length === 0) return null;
  const stats = await withDuck({ threads: 1 }, (con) =>
    all<{ rows: string; min_day: string; max_day: string }>(
      con,
      `SELECT count(*)::VARCHAR AS rows, min("day")::VARCHAR AS min_day, max("day")::VARCHAR AS max_day
       FROM read_parquet($files::VARCHAR[], hive_partitioning = false) WHERE ingest_id = $id`,
      { files: JSON.stringify(files.map((f) => path.join(layout.cdrDir, f.path))), id: ingestId },
    ),
  );
  const stored = Number(stats[0]?.rows ?? 0);
  const rejectsFile = path.join(layout.rejectsDir, `${ingestId}.ndjson`);
  const rejected = existsSync(rejectsFile) ? readFileSync(rejectsFile, 'utf8').split('\n').filter((l) => l.trim() !== '').length : 0;
  await withState(layout, (s) =>
    s.exec(
      `INSERT INTO ingest_ledger (sha256, ingest_id, source_name, format, provider_id, switch_id, rows_in, rows_stored, rows_rejected, files_written, min_day, max_day, started_at, finished_at)
       VALUES ($sha, $id, $name, 'recovered', '', '', $rows_in, $stored, $rejected, $files, $min_day, $max_day, $started, now()) ON CONFLICT DO NOTHING`,
      {
        sha,
        id: ingestId,
        name: path.basename(abs),
        rows_in: stored + rejected,
        stored,
        rejected,
        files: files.length,
        min_day: stats[0]?.min_day ?? '',
        max_day: stats[0]?.max_day ?? '',
        started: new Date(started).toISOString(),
      },
    ),
  );
  return {
    ok: true,
    status: 'already_ingested',
    file: abs,
    sha256: sha,
    ingest_id: ingestId,
    rows_in: stored + rejected,
    rows_stored: 0,
    rows_rejected: 0,
    files: [],
    days: [],
    notes: [`published by an earlier run that stopped before its ledger entry (${stored} rows stored); ledger completed, nothing added`],
    elapsed_ms: Date.now() - started,
  };
}

const trunkSlots = (withMap: boolean): Record<string, string> =>
  withMap
    ? {
        in_carrier: 'tin.carrier',
        out_carrier: 'tout.carrier',
        trunk_joins: 'LEFT JOIN th_trunk_map tin ON tin.trunk = tm._in_trunk LEFT JOIN th_trunk_map tout ON tout.trunk = tm._out_trunk',
      }
    : { in_carrier: 'NULL', out_carrier: 'NULL', trunk_joins: '' };

/** Rows already stored by an earlier ingest under the same natural key (see SourcePlan.dedupeStored). */
async function markStoredDuplicates(con: DuckDBConnection, layout: DataLayout): Promise<void> {
  const range = await all<{ lo: string | null; hi: string | null }>(con, 'SELECT min("day")::VARCHAR AS lo, max("day")::VARCHAR AS hi FROM th_stage WHERE reject_reason IS NULL');
  const lo = range[0]?.lo;
  const hi = range[0]?.hi;
  if (!lo || !hi) return;
  const files = filesForDays(layout, lo, hi);
  if (files.length === 0) return;
  await exec(
    con,
    `UPDATE th_stage SET reject_reason = 'duplicate_cdr',
       reject_detail = 'call ' || th_stage.call_id || ' of ' || th_stage.provider_id || '/' || th_stage.switch_id || ' is already stored (ingest ' || d.ingest_id || ')'
     FROM (SELECT provider_id, switch_id, call_id, any_value(ingest_id) AS ingest_id
           FROM read_parquet($files::VARCHAR[], hive_partitioning = false) GROUP BY ALL) d
     WHERE th_stage.reject_reason IS NULL AND th_stage.provider_id = d.provider_id
       AND th_stage.switch_id = d.switch_id AND th_stage.call_id = d.call_id`,
    { files: JSON.stringify(files) },
  );
}

/** Line numbers of rejected rows whose reader left them to the staging rowid (see SourcePlan). */
async function fillLineNumbers(con: DuckDBConnection, headerLines: number, shifted: boolean): Promise<void> {
  await exec(
    con,
    `UPDATE th_stage SET src_line = x.line FROM (
       SELECT s.rowid AS rid, (s.rowid + ${headerLines + 1} ${shifted ? '+ coalesce(adj.n, 0)' : ''})::BIGINT AS line
       FROM th_stage s ${shifted ? 'ASOF LEFT JOIN th_src_adj adj ON s.rowid >= adj.t' : ''}
       WHERE s.src_line IS NULL AND s.reject_reason IS NOT NULL) x
     WHERE th_stage.rowid = x.rid`,
  );
}

async function verifyIdentities(con: DuckDBConnection, layout: DataLayout, trustDir: string): Promise<IngestSummary['identity']> {
  // engine/stir verifies offline with each call's start time as the reference time.
  return verifyStagedIdentities(con, { table: 'th_stage', trustDir: path.resolve(trustDir), cacheDir: stirCacheDir(layout) });
}

void queryFile;
void renameSync;
