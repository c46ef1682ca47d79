import { z } from 'zod';

/**
 * A legal demand as the carrier's published policy asks for it (DESIGN.md "Rules"): agency
 * name, physical address, email and phone; the officer; the legal process; target numbers
 * XXX-XXX-XXXX (10 or more as an attached list); a date range MM/DD/YYYY; a description; one
 * legal document. The schema checks form (400, naming each field); engine/demands/intake.ts
 * checks policy (422/409, each rule its own code).
 */
export const LEGAL_PROCESSES = [
  'grand_jury_subpoena',
  'administrative_subpoena',
  'civil_subpoena',
  'court_order_2703d',
  'search_warrant',
  'pen_register',
  'trap_and_trace',
  'title_iii',
  'fisa',
  'preservation_request',
  'emergency_disclosure',
] as const;
export const RECEIVED_VIA = ['email', 'portal', 'mail', 'fax', 'phone'] as const;

export const usDate = z.string().refine((s) => {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2])));
  return d.getUTCMonth() === Number(m[1]) - 1 && d.getUTCDate() === Number(m[2]);
}, 'a real date MM/DD/YYYY');

const phone = z.string().regex(/^\+?[0-9 ().-]{7,20}$/, 'a telephone number');
const base64 = z.string().min(4).max(14_000_000).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64');

export const DocumentSchema = z.strictObject({
  filename: z.string().min(1).max(255).regex(/^[^/\\\0]+$/, 'a file name without path'),
  media_type: z.enum(['application/pdf', 'image/png', 'image/jpeg', 'image/tiff', 'text/plain']),
  content: base64,
});

export const NumbersAttachmentSchema = z.strictObject({
  filename: z.string().min(1).max(255).regex(/^[^/\\\0]+\.(txt|csv|xlsx)$/i, 'a .txt, .csv or .xlsx file name'),
  media_type: z.enum(['text/plain', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']),
  content: base64,
});

export const DemandInputSchema = z.strictObject({
  agency: z.strictObject({ name: z.string().min(2).max(200), address: z.string().min(5).max(500), email: z.email(), phone }),
  officer: z.strictObject({ name: z.string().min(2).max(200), email: z.email(), phone }),
  legal_process: z.enum(LEGAL_PROCESSES),
  received_via: z.enum(RECEIVED_VIA),
  subject: z.string().min(1).max(300),
  exigent: z.boolean().default(false),
  target_numbers: z.array(z.string().regex(/^[2-9]\d{2}-[2-9]\d{2}-\d{4}$/, 'a number XXX-XXX-XXXX')).max(10_000).optional(),
  numbers_attachment: NumbersAttachmentSchema.optional(),
  date_from: usDate,
  date_to: usDate,
  description: z.string().min(1).max(10_000),
  documents: z.array(DocumentSchema).max(20),
  protective_order: DocumentSchema.optional(),
});
export type DemandInput = z.infer<typeof DemandInputSchema>;

export const DEMAND_STATUSES = ['received', 'in_review', 'fulfilled', 'rejected', 'withdrawn'] as const;
export const DemandPatchSchema = z.strictObject({
  status: z.enum(DEMAND_STATUSES).optional(),
  reason: z.string().min(1).max(2000).optional(),
  protective_order: DocumentSchema.optional(),
});
export type DemandPatch = z.infer<typeof DemandPatchSchema>;
