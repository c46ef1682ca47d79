import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { thError } from '../errors.ts';
import type { DataLayout } from '../storage/layout.ts';

/**
 * Export settings of the carrier, from `<data>/config/exports.json` when present (every
 * field optional), else these defaults. Read at each request, so a changed fee table
 * applies to the next estimate without a restart.
 */
export const ExportConfigSchema = z.strictObject({
  /** downloads are refused this many days after production (carrier policy) */
  download_days: z.number().int().min(1).max(90).default(7),
  fees: z
    .strictObject({
      /** "unusually voluminous" (18 U.S.C. 2706(c)) above this many rows */
      voluminous_rows: z.number().int().nonnegative().default(100_000),
      base_usd: z.number().nonnegative().default(50),
      /** rows included in the base fee */
      included_rows: z.number().int().nonnegative().default(10_000),
      per_1000_rows_usd: z.number().nonnegative().default(2),
    })
    .prefault({}),
});
export type ExportConfig = z.infer<typeof ExportConfigSchema>;

export const exportConfigFile = (layout: DataLayout): string => path.join(layout.root, 'config', 'exports.json');

export function loadExportConfig(layout: DataLayout): ExportConfig {
  const file = exportConfigFile(layout);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return ExportConfigSchema.parse({});
    throw thError('TH_CONFIG', `cannot read ${file}`, { cause: e });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw thError('TH_CONFIG', `${file} is not JSON`, { cause: e });
  }
  const r = ExportConfigSchema.safeParse(raw);
  if (!r.success) throw thError('TH_CONFIG', `${file}: ${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`, { cause: r.error });
  return r.data;
}
