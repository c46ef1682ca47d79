/**
 * What a preservation hold freezes: records touching any of its numbers (as calling,
 * called or P-Asserted-Identity number) whose call started inside [starts_at, ends_at),
 * the hold's dates read as whole Central days (engine/time/central-days.ts): a call at
 * 23:30 CT on the last day is held although its UTC day is the next one.
 */
export interface HoldScope {
  readonly id: string;
  /** E.164 */
  readonly numbers: readonly string[];
  /** ISO instant, inclusive */
  readonly starts_at: string;
  /** ISO instant, exclusive */
  readonly ends_at: string;
}
