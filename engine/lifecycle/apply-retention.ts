import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { all, exec } from '../db/duckdb.ts';
import { thError } from '../errors.ts';
import type { HoldScope } from '../preservations/hold-scope.ts';
import { queryFile, queryTemplate } from '../sql/query-file.ts';
import { sqlString } from '../sql/sql-literal.ts';
import { publishFile } from '../storage/atomic-file.ts';
import { readCatalog, updateCatalog, type CatalogFile } from '../storage/catalog.ts';
import type { DataLayout } from '../storage/layout.ts';
import { crashPoint } from './crash-point.ts';
import { rowChecksum } from './file-checksum.ts';
import { retainFromDay, type LifecycleConfig } from './lifecycle-config.ts';

/**
 * Retention (issue 7 item 1): cold rows older than the retention period (18 months by
 * default, 47 CFR 42.6) are deleted unless a preservation hold covers them (18 U.S.C.
 * 2703(f): a held record is never deleted). Per cold file with rows past the cut-off:
 *   - none expired, or every expired row held: the file stays as it is;
 *   - every row expired and none held: the file leaves the catalog (retired, then deleted);
 *   - otherwise: the file is rewritten without the deletable rows, verified (count and
 *     checksum of exactly the kept rows), and swapped in by one catalog update.
 */
export interface RetentionOutcome {
  readonly file: string;
  readonly action: 'deleted' | 'rewritten' | 'kept_by_hold';
  readonly rows_before: number;
  readonly rows_deleted: number;
  /** rows past retention that a hold kept */
  readonly rows_held: number;
  readonly output?: string;
  readonly holds?: string[];
}

export async function applyRetention(con: DuckDBConnection, layout: DataLayout, cfg: LifecycleConfig, now: Date, holds: readonly HoldScope[]): Promise<RetentionOutcome[]> {
  const cutoff = retainFromDay(now, cfg.retentionMonths);
  const holdsJson = JSON.stringify(holds.map((h) => ({ numbers: h.numbers, from: h.starts_at, to: h.ends_at })));
  const due = readCatalog(layout).files.filter((f) => f.tier === 'cold' && f.min_day < cutoff);
  const out: RetentionOutcome[] = [];
  for (const f of due.sort((a, b) => a.path.localeCompare(b.path))) {
    const abs = path.join(layout.cdrDir, f.path);
    const c = (await all<{ total: string; expired: string; held: string; kept_checksum: string }>(con, queryFile('lifecycle/retention-counts'), { files: JSON.stringify([abs]), cutoff, holds: holdsJson }))[0]!;
    const total = Number(c.total);
    const expired = Number(c.expired);
    const held = Number(c.held);
    const deletable = expired - held;
    const holdIds = held > 0 ? holds.filter((h) => h.starts_at.slice(0, 10) <= f.max_day && h.ends_at.slice(0, 10) >= f.min_day).map((h) => h.id) : [];
    if (deletable === 0) {
      if (held > 0) out.push({ file: f.path, action: 'kept_by_hold', rows_before: total, rows_deleted: 0, rows_held: held, holds: holdIds });
      continue;
    }
    if (deletable === total) {
      const gone = await swap(layout, f, null);
      if (gone) out.push({ file: f.path, action: 'deleted', rows_before: total, rows_deleted: total, rows_held: 0 });
      crashPoint('retention:swapped');
      continue;
    }
    const kept = total - deletable;
    const name = `r${createHash('sha256').update(`${f.path}\n${cutoff}\n${holdsJson}`).digest('hex').slice(0, 16)}-${f.min_day}.parquet`;
    const work = path.join(layout.tmpDir, `retain-${name}`);
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    try {
      const tmp = path.join(work, name);
      await exec(con, queryTemplate('lifecycle/write-retained-rows', { out: sqlString(tmp), level: String(cfg.coldZstdLevel) }), { files: JSON.stringify([abs]), cutoff, holds: holdsJson });
      const after = await rowChecksum(con, [tmp]);
      if (after.rows !== kept || after.checksum !== c.kept_checksum) {
        throw thError('TH_LIFECYCLE_VERIFY', `retention rewrite of ${f.path}: ${after.rows} rows / ${after.checksum}, expected ${kept} / ${c.kept_checksum}; file kept whole`);
      }
      const final = path.join(path.dirname(abs), name);
      publishFile(tmp, final);
      crashPoint('retention:published');
      const minDay = (await all<{ lo: string; hi: string }>(con, `SELECT min("day")::VARCHAR AS lo, max("day")::VARCHAR AS hi FROM read_parquet($f)`, { f: final }))[0]!;
      const entry: CatalogFile = { ...f, path: path.relative(layout.cdrDir, final), min_day: minDay.lo, max_day: minDay.hi, rows: after.rows, bytes: statSync(final).size, created_at: new Date().toISOString() };
      const swapped = await swap(layout, f, entry);
      if (!swapped) rmSync(final, { force: true });
      else out.push({ file: f.path, action: 'rewritten', rows_before: total, rows_deleted: deletable, rows_held: held, output: entry.path, ...(held > 0 ? { holds: holdIds } : {}) });
      crashPoint('retention:swapped');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return out;
}

/** Replace `old` by `entry` (or by nothing) in one catalog update, if `old` is still live. */
async function swap(layout: DataLayout, old: CatalogFile, entry: CatalogFile | null): Promise<boolean> {
  let swapped = false;
  await updateCatalog(
    layout,
    (files) => {
      if (!files.some((x) => x.path === old.path)) return [...files];
      swapped = true;
      return [...files.filter((x) => x.path !== old.path && x.path !== entry?.path), ...(entry ? [entry] : [])];
    },
    { retire: () => (swapped ? [old.path] : []) },
  );
  return swapped;
}
