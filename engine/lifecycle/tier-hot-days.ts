import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { exec } from '../db/duckdb.ts';
import { thError } from '../errors.ts';
import { queryTemplate } from '../sql/query-file.ts';
import { sqlString } from '../sql/sql-literal.ts';
import { publishFile } from '../storage/atomic-file.ts';
import { readCatalog, updateCatalog, type CatalogFile } from '../storage/catalog.ts';
import { coldPartitionDir, type DataLayout } from '../storage/layout.ts';
import { rowChecksum } from './file-checksum.ts';
import { hotFromDay, type LifecycleConfig } from './lifecycle-config.ts';
import { crashPoint } from './crash-point.ts';

/**
 * Hot-to-cold tiering (issue 7 item 1; carrier policy: hot 45 days, then the cold
 * archive). Each hot day older than the hot window is rewritten into one file under
 * cdr/cold/month=YYYY-MM/ with stronger compression, and the new file is verified against
 * the hot files (row count and checksum over every column of every row) before one
 * catalog swap takes the hot files out and puts the cold file in. Crash at any point:
 *   - before the swap, the hot files are still the live copy and the cold file (if it was
 *     published) is an orphan no tracehop reader lists; the next run rewrites it under the
 *     same name (the name is derived from the hot file set) or sweeps it;
 *   - after the swap, the hot files are retired: deleted after a grace period.
 * So no row is ever lost, and none is visible twice.
 */
export interface TieredDay {
  readonly day: string;
  readonly hot_files: string[];
  readonly cold_file: string;
  readonly rows: number;
  readonly checksum: string;
  readonly hot_bytes: number;
  readonly cold_bytes: number;
}

export const TIER_PREFIX = 't';

const tierName = (day: string, inputs: readonly CatalogFile[]): string =>
  `${TIER_PREFIX}${createHash('sha256').update(inputs.map((f) => f.path).sort().join('\n')).digest('hex').slice(0, 16)}-${day}.parquet`;

export async function tierHotDays(con: DuckDBConnection, layout: DataLayout, cfg: LifecycleConfig, now: Date): Promise<TieredDay[]> {
  const hotFrom = hotFromDay(now, cfg.hotDays);
  const byDay = new Map<string, CatalogFile[]>();
  for (const f of readCatalog(layout).files) {
    if (f.tier !== 'hot' || f.max_day >= hotFrom) continue;
    // hot files hold one UTC day each (ingest partitions by day; compaction keeps it)
    byDay.set(f.min_day, [...(byDay.get(f.min_day) ?? []), f]);
  }
  const out: TieredDay[] = [];
  for (const [day, inputs] of [...byDay.entries()].sort()) out.push(await tierOneDay(con, layout, cfg, day, inputs));
  return out;
}

async function tierOneDay(con: DuckDBConnection, layout: DataLayout, cfg: LifecycleConfig, day: string, inputs: CatalogFile[]): Promise<TieredDay> {
  const abs = inputs.map((f) => path.join(layout.cdrDir, f.path));
  const before = await rowChecksum(con, abs);
  const expectedRows = inputs.reduce((a, f) => a + f.rows, 0);
  if (before.rows !== expectedRows) throw thError('TH_LIFECYCLE_VERIFY', `hot day ${day}: files hold ${before.rows} rows, the catalog says ${expectedRows}; left hot`);
  const name = tierName(day, inputs);
  const work = path.join(layout.tmpDir, `tier-${day}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    const tmp = path.join(work, name);
    await exec(con, queryTemplate('lifecycle/write-cold-day', { out: sqlString(tmp), level: String(cfg.coldZstdLevel) }), { files: JSON.stringify(abs) });
    crashPoint('tier:written');
    const after = await rowChecksum(con, [tmp]);
    if (after.rows !== before.rows || after.checksum !== before.checksum) {
      throw thError('TH_LIFECYCLE_VERIFY', `cold copy of ${day} does not verify: ${after.rows} rows / checksum ${after.checksum}, hot ${before.rows} / ${before.checksum}; hot copy kept`);
    }
    const final = path.join(coldPartitionDir(layout, day.slice(0, 7)), name);
    publishFile(tmp, final);
    crashPoint('tier:published');
    const entry: CatalogFile = {
      path: path.relative(layout.cdrDir, final),
      tier: 'cold',
      min_day: day,
      max_day: day,
      rows: after.rows,
      bytes: statSync(final).size,
      ingest_ids: [...new Set(inputs.flatMap((f) => f.ingest_ids))].sort(),
      created_at: new Date().toISOString(),
    };
    const inputPaths = new Set(inputs.map((f) => f.path));
    let swapped = false;
    await updateCatalog(
      layout,
      (files) => {
        // Swap only if every input is still live (a compaction may have replaced them).
        if (files.filter((f) => inputPaths.has(f.path)).length !== inputs.length) return [...files];
        swapped = true;
        return [...files.filter((f) => !inputPaths.has(f.path) && f.path !== entry.path), entry];
      },
      { retire: () => (swapped ? [...inputPaths] : []) },
    );
    if (!swapped) {
      rmSync(final, { force: true });
      throw thError('TH_LIFECYCLE_VERIFY', `hot day ${day} changed while it was tiered; left hot for the next run`);
    }
    crashPoint('tier:swapped');
    return { day, hot_files: [...inputPaths], cold_file: entry.path, rows: after.rows, checksum: after.checksum, hot_bytes: inputs.reduce((a, f) => a + f.bytes, 0), cold_bytes: entry.bytes };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Files a crashed lifecycle run published but never swapped into the catalog (its own
 * `t…`/`r…` names only: an ingest's published files are recovered by the ingest itself).
 */
export function sweepOrphans(layout: DataLayout): string[] {
  const cat = readCatalog(layout);
  const known = new Set([...cat.files.map((f) => f.path), ...cat.retired.map((r) => r.path)]);
  const swept: string[] = [];
  let months: string[] = [];
  try {
    months = readdirSync(layout.coldDir).filter((d) => /^month=\d{4}-\d{2}$/.test(d));
  } catch {
    return swept;
  }
  for (const m of months) {
    for (const f of readdirSync(path.join(layout.coldDir, m))) {
      const rel = path.join('cold', m, f);
      if (/^[tr][0-9a-f]{16}-.*\.parquet$/.test(f) && !known.has(rel)) {
        rmSync(path.join(layout.coldDir, m, f), { force: true });
        swept.push(rel);
      }
    }
  }
  return swept;
}
