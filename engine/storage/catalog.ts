import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-file.ts';
import { withLock } from './file-lock.ts';
import type { DataLayout } from './layout.ts';

/**
 * The catalog is the set of live Parquet files: readers inside tracehop query exactly
 * the files it lists, so an ingest (many files) appears all at once, and a compaction
 * or tiering swap (new files in, old files out) is one atomic rename of catalog.json.
 * A reader therefore never sees a partial ingest, a row twice, or a row missing.
 *
 * Departure from DESIGN.md ("metadata lives in data/state.duckdb"): the catalog is a
 * JSON file beside the data, because a DuckDB state file admits one writing process
 * and readers (trace, API) must keep working while ingest, watch and lifecycle jobs
 * run in other processes. External tools can still glob the Hive layout; they may see
 * a compaction's old and new files together for the milliseconds between its renames.
 */
export const CatalogFileSchema = z.object({
  /** path relative to the cdr/ directory, e.g. `hot/day=2026-11-02/i0123…-0.parquet` */
  path: z.string(),
  tier: z.enum(['hot', 'cold']),
  min_day: z.iso.date(),
  max_day: z.iso.date(),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** ingests whose rows the file holds (several after compaction) */
  ingest_ids: z.array(z.string()),
  created_at: z.iso.datetime({ offset: true }),
});
export type CatalogFile = z.infer<typeof CatalogFileSchema>;

export const CatalogSchema = z.object({
  version: z.literal(1),
  generation: z.number().int().nonnegative(),
  files: z.array(CatalogFileSchema),
  /**
   * Files taken out of the live set (compaction, tiering) but not yet deleted: a reader
   * holding the previous catalog may still be reading them. Deleted after a grace period.
   */
  retired: z.array(z.object({ path: z.string(), at: z.iso.datetime({ offset: true }) })).default([]),
});
export type Catalog = z.infer<typeof CatalogSchema>;

const EMPTY: Catalog = { version: 1, generation: 0, files: [], retired: [] };

export function readCatalog(layout: DataLayout): Catalog {
  let text: string;
  try {
    text = readFileSync(layout.catalogFile, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY;
    throw e;
  }
  return CatalogSchema.parse(JSON.parse(text));
}

/**
 * Change the catalog under the catalog lock: `fn` gets the current file list and
 * returns the new one; the result is published by one atomic rename.
 */
export async function updateCatalog(
  layout: DataLayout,
  fn: (files: readonly CatalogFile[]) => CatalogFile[],
  opts: { retire?: () => readonly string[]; forget?: readonly string[] } = {},
): Promise<Catalog> {
  return withLock(layout.locksDir, 'catalog', async () => {
    const current = readCatalog(layout);
    const files = fn(current.files);
    const at = new Date().toISOString();
    const forget = new Set(opts.forget ?? []);
    const retired = [...current.retired.filter((r) => !forget.has(r.path)), ...(opts.retire?.() ?? []).map((p) => ({ path: p, at }))];
    const next: Catalog = { version: 1, generation: current.generation + 1, files, retired };
    writeFileAtomic(layout.catalogFile, JSON.stringify(next, null, 1));
    return next;
  });
}

/** Absolute paths of live files overlapping [fromDay, toDay] (inclusive), hot and cold. */
export function filesForDays(layout: DataLayout, fromDay: string, toDay: string, tiers: readonly ('hot' | 'cold')[] = ['hot', 'cold']): string[] {
  return readCatalog(layout)
    .files.filter((f) => tiers.includes(f.tier) && f.max_day >= fromDay && f.min_day <= toDay)
    .map((f) => path.join(layout.cdrDir, f.path));
}

export function allFiles(layout: DataLayout, tiers: readonly ('hot' | 'cold')[] = ['hot', 'cold']): string[] {
  return readCatalog(layout)
    .files.filter((f) => tiers.includes(f.tier))
    .map((f) => path.join(layout.cdrDir, f.path));
}
