/**
 * Matching tolerances. Switch clocks drift by seconds (NTP-less SBCs are common), billed
 * durations differ by a second between providers (rounding, answer-time detection), and a
 * request's own time comes from the terminating switch's clock.
 */
export interface TraceConfig {
  /** |start(upstream) - start(downstream)| and |request - start| allowed, ms */
  readonly clockToleranceMs: number;
  /** |billed(upstream) - billed(downstream)| allowed, s */
  readonly durationToleranceS: number;
  /** two candidates whose scores differ by less than this are a tie */
  readonly tieMargin: number;
  /** hot window, days (carrier policy: 45) */
  readonly hotDays: number;
  /** the 24-hour answer commitment covers calls at most this old, days */
  readonly commitmentDays: number;
  readonly maxHops: number;
}

export const DEFAULT_TRACE_CONFIG: TraceConfig = {
  clockToleranceMs: 8000,
  durationToleranceS: 2,
  tieMargin: 0.05,
  hotDays: 45,
  commitmentDays: 30,
  maxHops: 16,
};
