import { z } from 'zod';

/**
 * An intercept record, every field of 47 CFR 1.20004(a): (1) telephone numbers and/or
 * circuit identification numbers; (2) start date and time of the opening of the circuit;
 * (3) the law enforcement officer presenting the authorization; (4) the person signing the
 * legal authorization; (5) the type of interception; (6) the carrier employee responsible
 * for it, acting in accordance with the carrier's policies — plus the authorization
 * document (stored by SHA-256), its issuer, docket, start and end, the demand and vendor.
 */
export const INTERCEPT_TYPES = ['pen_register', 'trap_and_trace', 'title_iii', 'fisa'] as const;

/** Maximum authorized periods: Title III 30 days (18 U.S.C. 2518(5)); pen register and trap and trace 60 days (18 U.S.C. 3123(c)(1)); FISA per its order. */
export const MAX_DAYS: Record<(typeof INTERCEPT_TYPES)[number], number | null> = { title_iii: 30, pen_register: 60, trap_and_trace: 60, fisa: null };

const base64 = z.string().min(4).max(14_000_000).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64');
export const AuthorizationSchema = z.strictObject({
  signed_by: z.string().min(2).max(200),
  issuer: z.string().min(2).max(300),
  docket: z.string().min(1).max(100),
  starts: z.iso.datetime({ offset: true }),
  ends: z.iso.datetime({ offset: true }),
  document: z.strictObject({
    filename: z.string().min(1).max(255).regex(/^[^/\\\0]+$/, 'a file name without path'),
    media_type: z.enum(['application/pdf', 'image/png', 'image/jpeg', 'image/tiff', 'text/plain']),
    content: base64,
  }),
});

export const InterceptInputSchema = z
  .strictObject({
    targets: z.array(z.string().regex(/^\+?1?[-. ]?\(?[2-9]\d{2}\)?[-. ]?[2-9]\d{2}[-. ]?\d{4}$/, 'a NANP number')).max(100).default([]),
    circuit_ids: z.array(z.string().min(1).max(100)).max(100).default([]),
    type: z.enum(INTERCEPT_TYPES),
    start_at: z.iso.datetime({ offset: true }),
    le_officer: z.strictObject({ name: z.string().min(2).max(200), agency: z.string().min(2).max(200), badge: z.string().min(1).max(64) }),
    authorization: AuthorizationSchema,
    responsible_employee: z.string().min(2).max(200),
    demand_id: z.string().min(1).max(64),
    vendor: z.string().min(1).max(200),
    /** why a target is not a number the carrier serves, when it is not in the inventory */
    not_served_reason: z.string().min(3).max(1000).optional(),
    notify_webhook: z.url({ protocol: /^https?$/ }).optional(),
  })
  .refine((x) => x.targets.length + x.circuit_ids.length > 0, { message: 'name the telephone numbers or circuit ids (47 CFR 1.20004(a)(1))', path: ['targets'] });
export type InterceptInput = z.infer<typeof InterceptInputSchema>;

export const ExtendSchema = z.strictObject({ authorization: AuthorizationSchema });
export const TerminateSchema = z.strictObject({ reason: z.string().min(3).max(2000) });
export const CompromiseSchema = z.strictObject({ description: z.string().min(3).max(5000), discovered_at: z.iso.datetime({ offset: true }) });
export const AnnotateSchema = z.strictObject({ note: z.string().min(1).max(5000) });
