import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { all, exec, withDuck } from '../db/duckdb.ts';
import { sqlString } from '../sql/sql-literal.ts';
import { publishFile } from './atomic-file.ts';
import { readCatalog, updateCatalog, type CatalogFile } from './catalog.ts';
import { withLock } from './file-lock.ts';
import { hotPartitionDir, type DataLayout } from './layout.ts';

/**
 * Small-file compaction (issue 3 item 6): many small ingests into one hot day are merged
 * into one file, sorted by (called_number, start_time) like every hot file. The swap is
 * one catalog update that replaces exactly the merged inputs by the new file, so a
 * reader sees either the old files or the new one, never both and never neither. The
 * inputs are retired, not deleted at once: a reader holding the previous catalog may
 * still be reading them; they are deleted by a later run after RETIRE_GRACE_MS.
 */
export interface CompactionOptions {
  /** compact a day once it has at least this many files */
  readonly minFiles?: number;
  /** ...and only files smaller than this (bytes); big files are left as they are */
  readonly smallBytes?: number;
  readonly now?: Date;
}

export interface CompactionResult {
  readonly day: string;
  readonly inputs: number;
  readonly rows: number;
  readonly output: string;
}

export const RETIRE_GRACE_MS = 5 * 60_000;

export async function compactHotDays(layout: DataLayout, opts: CompactionOptions = {}): Promise<{ compacted: CompactionResult[]; deleted: string[] }> {
  return withLock(layout.locksDir, 'compaction', async () => {
    const deleted = await deleteRetired(layout, opts.now ?? new Date());
    const minFiles = opts.minFiles ?? 4;
    const smallBytes = opts.smallBytes ?? 64 * 1024 * 1024;
    const byDay = new Map<string, CatalogFile[]>();
    for (const f of readCatalog(layout).files) {
      if (f.tier !== 'hot' || f.min_day !== f.max_day || f.bytes >= smallBytes) continue;
      byDay.set(f.min_day, [...(byDay.get(f.min_day) ?? []), f]);
    }
    const compacted: CompactionResult[] = [];
    for (const [day, files] of [...byDay.entries()].sort()) {
      if (files.length < minFiles) continue;
      const r = await compactOneDay(layout, day, files);
      if (r) compacted.push(r);
    }
    return { compacted, deleted };
  });
}

async function compactOneDay(layout: DataLayout, day: string, inputs: CatalogFile[]): Promise<CompactionResult | null> {
  const abs = inputs.map((f) => path.join(layout.cdrDir, f.path));
  const expected = inputs.reduce((a, f) => a + f.rows, 0);
  const id = createHash('sha256').update(inputs.map((f) => f.path).sort().join('\n')).digest('hex').slice(0, 16);
  const work = path.join(layout.tmpDir, `compact-${id}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const tmpFile = path.join(work, 'merged.parquet');
  try {
    const rows = await withDuck({ memoryLimit: '600MB', tempDirectory: work, threads: 2 }, async (con) => {
      await exec(
        con,
        `COPY (SELECT * FROM read_parquet($files::VARCHAR[], hive_partitioning = false) ORDER BY called_number, start_time)
         TO ${sqlString(tmpFile)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 16384)`,
        { files: JSON.stringify(abs) },
      );
      const n = await all<{ n: string }>(con, `SELECT count(*)::VARCHAR AS n FROM read_parquet($f)`, { f: tmpFile });
      return Number(n[0]?.n ?? -1);
    });
    if (rows !== expected) throw new Error(`compaction of ${day}: wrote ${rows} rows, expected ${expected}; inputs kept`);
    const final = path.join(hotPartitionDir(layout, day), `c${id}-0.parquet`);
    publishFile(tmpFile, final);
    const entry: CatalogFile = {
      path: path.relative(layout.cdrDir, final),
      tier: 'hot',
      min_day: day,
      max_day: day,
      rows,
      bytes: statSync(final).size,
      ingest_ids: [...new Set(inputs.flatMap((f) => f.ingest_ids))].sort(),
      created_at: new Date().toISOString(),
    };
    let swapped = false;
    const inputPaths = new Set(inputs.map((f) => f.path));
    await updateCatalog(layout, (files) => {
      // Swap only if every input is still live (a concurrent job may have moved them).
      const live = files.filter((f) => inputPaths.has(f.path));
      if (live.length !== inputs.length) return [...files];
      swapped = true;
      return [...files.filter((f) => !inputPaths.has(f.path)), entry];
    }, { retire: () => (swapped ? [...inputPaths] : []) });
    if (!swapped) {
      rmSync(final, { force: true });
      return null;
    }
    return { day, inputs: inputs.length, rows, output: entry.path };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Delete files retired longer than the grace period ago, and forget them. */
export async function deleteRetired(layout: DataLayout, now: Date, graceMs = RETIRE_GRACE_MS): Promise<string[]> {
  const cat = readCatalog(layout);
  const live = new Set(cat.files.map((f) => f.path));
  const due = cat.retired.filter((r) => now.getTime() - Date.parse(r.at) >= graceMs && !live.has(r.path));
  for (const r of due) {
    const f = path.join(layout.cdrDir, r.path);
    if (existsSync(f)) rmSync(f, { force: true });
  }
  if (due.length > 0) await updateCatalog(layout, (files) => [...files], { forget: due.map((r) => r.path) });
  return due.map((r) => r.path);
}
