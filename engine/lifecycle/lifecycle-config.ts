import { hotWindowDays } from '../../ingest/pipeline/ingest-config.ts';

/**
 * Lifecycle settings (README "Configuration").
 * - hot window: 45 days by carrier policy (TRACEHOP_HOT_DAYS, shared with ingest);
 * - retention: 18 months by default, the toll-record period of 47 CFR 42.6
 *   (TRACEHOP_RETENTION_MONTHS);
 * - cold compression: zstd level TRACEHOP_COLD_ZSTD_LEVEL (default 9: measured in
 *   bench/lifecycle.ts as the point past which size barely shrinks and speed falls).
 */
export interface LifecycleConfig {
  readonly hotDays: number;
  readonly retentionMonths: number;
  readonly coldZstdLevel: number;
  /** retired files are deleted this long after they left the catalog (readers may hold them) */
  readonly retireGraceMs: number;
  /** a hold expiring within this many days gets a reminder */
  readonly holdReminderDays: number;
}

const intEnv = (name: string, dflt: number, min: number, max: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return dflt;
  const v = Number(raw);
  return Number.isInteger(v) && v >= min && v <= max ? v : dflt;
};

export const lifecycleConfig = (over: Partial<LifecycleConfig> = {}): LifecycleConfig => ({
  hotDays: hotWindowDays(),
  retentionMonths: intEnv('TRACEHOP_RETENTION_MONTHS', 18, 1, 1200),
  coldZstdLevel: intEnv('TRACEHOP_COLD_ZSTD_LEVEL', 9, 1, 22),
  retireGraceMs: 5 * 60_000,
  holdReminderDays: 14,
  ...over,
});

/** First day (UTC, YYYY-MM-DD) still inside the hot window at `now`: older days go cold. */
export const hotFromDay = (now: Date, hotDays: number): string => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - hotDays)).toISOString().slice(0, 10);

/**
 * First day still retained at `now`: a record is kept for `months` calendar months after
 * its day (47 CFR 42.6: "for a period of 18 months"). Day-of-month clamps at month end.
 */
export function retainFromDay(now: Date, months: number): string {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth() - months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(now.getUTCDate(), last))).toISOString().slice(0, 10);
}
