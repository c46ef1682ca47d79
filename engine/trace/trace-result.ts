import { z } from 'zod';

/** The trace-back result (DESIGN.md "Trace-back contract"), the schema the API serves. */
export const TRACE_STATUSES = ['origin_found', 'left_corpus', 'not_found', 'ambiguous', 'archive_required'] as const;
export type TraceStatus = (typeof TRACE_STATUSES)[number];

export const HopSchema = z.object({
  provider_id: z.string(),
  switch_id: z.string(),
  call_id: z.string(),
  start_time: z.string(),
  calling_number: z.string(),
  called_number: z.string(),
  ingress_type: z.string(),
  ingress_carrier: z.string(),
  ingress_trunk: z.string(),
  egress_carrier: z.string(),
  duration_s: z.number(),
  attestation: z.string(),
  origid: z.string(),
  verstat: z.string(),
  identity: z.boolean(),
  score: z.number(),
});
export type Hop = z.infer<typeof HopSchema>;

export const CandidateSchema = HopSchema.extend({ reasons: z.array(z.string()) });

export const TraceResultSchema = z.object({
  id: z.string().optional(),
  status: z.enum(TRACE_STATUSES),
  hops: z.array(HopSchema),
  origin: z.object({ provider_id: z.string(), ingress_trunk: z.string(), attestation: z.string() }).nullable(),
  upstream: z.object({ carrier: z.string() }).nullable(),
  attestation: z.object({ signer: z.string(), level: z.string(), origid: z.string(), findings: z.array(z.string()) }),
  candidates: z.number(),
  /** ranked candidates where the answer is ambiguous */
  ranked: z.array(CandidateSchema).optional(),
  loop: z.object({ provider_id: z.string(), hop: z.number() }).optional(),
  /** the request is older than 30 days: outside the 24-hour answer commitment (carrier policy) */
  outside_24h_commitment: z.boolean(),
  request: z.object({ calling: z.string(), called: z.string(), at: z.string(), windows: z.array(z.object({ from: z.string(), to: z.string() })) }),
  explain: z.array(z.object({ hop: z.number(), provider: z.string(), considered: z.array(CandidateSchema) })).optional(),
  error: z.object({ code: z.string(), errors: z.array(z.object({ path: z.string(), message: z.string() })) }).optional(),
  elapsed_ms: z.number(),
});
export type TraceResult = z.infer<typeof TraceResultSchema>;
