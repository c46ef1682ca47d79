import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { thError } from '../errors.ts';
import type { DataLayout } from '../storage/layout.ts';

/**
 * The archive retrieval fee table (carrier policy: "Older: an archive retrieval job,
 * minimum 15 business days, fee quoted"). Amounts in US cents: a base fee plus a fee per
 * calendar month searched; a range longer than `icb_above_months` is quoted on an
 * individual case basis (no total). The carrier may override the defaults with
 * `<data>/config/archive-fees.json`, validated by this schema.
 */
export const ArchiveFeeTableSchema = z.strictObject({
  currency: z.literal('USD').default('USD'),
  base_cents: z.number().int().nonnegative(),
  per_month_cents: z.number().int().nonnegative(),
  icb_above_months: z.number().int().positive(),
  // carrier policy: an archive retrieval is never promised in fewer than 15 business days
  due_business_days: z.number().int().min(15).default(15),
});
export type ArchiveFeeTable = z.infer<typeof ArchiveFeeTableSchema>;

export const DEFAULT_ARCHIVE_FEES: ArchiveFeeTable = {
  currency: 'USD',
  base_cents: 15_000,
  per_month_cents: 4_000,
  icb_above_months: 12,
  due_business_days: 15,
};

export const ArchiveQuoteSchema = z.object({
  currency: z.literal('USD'),
  months: z.number().int().positive(),
  base_cents: z.number().int(),
  per_month_cents: z.number().int(),
  /** null when the range is priced on an individual case basis */
  total_cents: z.number().int().nullable(),
  individual_case_basis: z.boolean(),
  due_business_days: z.number().int(),
});
export type ArchiveQuote = z.infer<typeof ArchiveQuoteSchema>;

export function quoteArchiveJob(months: number, fees: ArchiveFeeTable = DEFAULT_ARCHIVE_FEES): ArchiveQuote {
  const icb = months > fees.icb_above_months;
  return {
    currency: fees.currency,
    months,
    base_cents: fees.base_cents,
    per_month_cents: fees.per_month_cents,
    total_cents: icb ? null : fees.base_cents + fees.per_month_cents * months,
    individual_case_basis: icb,
    due_business_days: fees.due_business_days,
  };
}

export const archiveFeesFile = (layout: DataLayout): string => path.join(layout.root, 'config', 'archive-fees.json');

/** The fee table in force: `<data>/config/archive-fees.json` when present, else the defaults. */
export function loadArchiveFees(layout: DataLayout): ArchiveFeeTable {
  let text: string;
  try {
    text = readFileSync(archiveFeesFile(layout), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_ARCHIVE_FEES;
    throw thError('TH_CONFIG', `cannot read ${archiveFeesFile(layout)}`, { cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw thError('TH_CONFIG', `${archiveFeesFile(layout)} is not JSON`, { cause: e });
  }
  const parsed = ArchiveFeeTableSchema.safeParse(json);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw thError('TH_CONFIG', `${archiveFeesFile(layout)}: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, { details });
  }
  return parsed.data;
}
