import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { thError } from '../../engine/errors.ts';
import { PreservationExtendSchema, PreservationInputSchema, PreservationReleaseSchema, PRESERVATION_ID, PRESERVATION_STATUSES } from '../../engine/preservations/preservation-schema.ts';
import { createPreservation, extendPreservation, getPreservation, listPreservations, releasePreservation } from '../../engine/preservations/preservation-service.ts';
import type { ApiContext } from '../api-context.ts';

/**
 * Preservation holds (legal; 18 U.S.C. 2703(f)): POST creates a 90-day hold for a
 * preservation_request demand's numbers and dates (or a narrower part of them);
 * /extend adds 90 days once; /release ends it early. Retention never deletes a row an
 * active hold covers (engine/lifecycle/apply-retention.ts).
 */
export default async function preservations(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const params = z.strictObject({ id: z.string().regex(PRESERVATION_ID, 'a hold id PH-XXXXXXXXXXXX') });
  const numbers = (p: { numbers: string[] }) => p.numbers;

  r.post('/v1/preservations', { config: { roles: ['legal'] }, schema: { body: PreservationInputSchema } }, async (req, reply) => {
    const p = await createPreservation(ctx.state, req.body, req.account!, ctx.now());
    await ctx.audit(req, { action: 'create', resource: 'preservation', resource_ids: [p.id, p.demand_id], numbers: numbers(p), outcome: 'ok', status: 201, detail: { date_from: p.date_from, date_to: p.date_to, expires_at: p.expires_at } });
    return reply.code(201).send(p);
  });

  r.get(
    '/v1/preservations',
    { config: { roles: ['legal'] }, schema: { querystring: z.strictObject({ status: z.enum(PRESERVATION_STATUSES).optional(), demand_id: z.string().regex(/^LD-\d{8}-[0-9A-F]{6}$/).optional() }) } },
    async (req) => {
      const list = await listPreservations(ctx.state, ctx.now(), { ...(req.query.status ? { status: req.query.status } : {}), ...(req.query.demand_id ? { demand_id: req.query.demand_id } : {}) });
      await ctx.audit(req, { action: 'read', resource: 'preservation', resource_ids: list.map((p) => p.id), numbers: [...new Set(list.flatMap(numbers))], outcome: 'ok', status: 200 });
      return { preservations: list };
    },
  );

  r.get('/v1/preservations/:id', { config: { roles: ['legal'] }, schema: { params } }, async (req) => {
    const p = await getPreservation(ctx.state, req.params.id, ctx.now());
    if (!p) throw thError('TH_NOT_FOUND', `no preservation hold ${req.params.id}`);
    await ctx.audit(req, { action: 'read', resource: 'preservation', resource_ids: [p.id], numbers: numbers(p), outcome: 'ok', status: 200 });
    return p;
  });

  r.post('/v1/preservations/:id/extend', { config: { roles: ['legal'] }, schema: { params, body: PreservationExtendSchema } }, async (req) => {
    const p = await extendPreservation(ctx.state, req.params.id, req.account!, ctx.now(), req.body.note);
    await ctx.audit(req, { action: 'extend', resource: 'preservation', resource_ids: [p.id, p.demand_id], numbers: numbers(p), outcome: 'ok', status: 200, detail: { expires_at: p.expires_at } });
    return p;
  });

  r.post('/v1/preservations/:id/release', { config: { roles: ['legal'] }, schema: { params, body: PreservationReleaseSchema } }, async (req) => {
    const p = await releasePreservation(ctx.state, req.params.id, req.account!, ctx.now(), req.body.reason);
    await ctx.audit(req, { action: 'release', resource: 'preservation', resource_ids: [p.id, p.demand_id], numbers: numbers(p), outcome: 'ok', status: 200, detail: { reason: req.body.reason } });
    return p;
  });
}
