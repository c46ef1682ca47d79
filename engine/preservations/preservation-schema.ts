import { z } from 'zod';
import { usDate } from '../demands/demand-schema.ts';

/**
 * A preservation hold request (18 U.S.C. 2703(f)): tied to a demand of type
 * preservation_request; numbers XXX-XXX-XXXX and dates MM/DD/YYYY default to the
 * demand's own and may only narrow them.
 */
export const PreservationInputSchema = z.strictObject({
  demand_id: z.string().regex(/^LD-\d{8}-[0-9A-F]{6}$/, 'a case number LD-YYYYMMDD-XXXXXX'),
  numbers: z.array(z.string().regex(/^[2-9]\d{2}-[2-9]\d{2}-\d{4}$/, 'a number XXX-XXX-XXXX')).min(1).max(10_000).optional(),
  date_from: usDate.optional(),
  date_to: usDate.optional(),
  note: z.string().max(2000).optional(),
});
export type PreservationInput = z.infer<typeof PreservationInputSchema>;

export const PreservationReleaseSchema = z.strictObject({ reason: z.string().min(3).max(2000) });
export const PreservationExtendSchema = z.strictObject({ note: z.string().max(2000).optional() });

export const PRESERVATION_STATUSES = ['active', 'expired', 'released'] as const;
export const PRESERVATION_ID = /^PH-[0-9A-F]{12}$/;

/** 18 U.S.C. 2703(f)(2): retained for 90 days, extended for another 90 on a renewed request. */
export const HOLD_DAYS = 90;
export const MAX_EXTENSIONS = 1;
