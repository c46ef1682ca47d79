import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DemandInputSchema, DemandPatchSchema, DEMAND_STATUSES } from '../../engine/demands/demand-schema.ts';
import { getDemand, intakeDemand, listDemands, patchDemand } from '../../engine/demands/intake.ts';
import { thError } from '../../engine/errors.ts';
import type { ApiContext } from '../api-context.ts';

/** Legal demand intake and workflow (legal). Bodies carry base64 documents: 20 MB limit. */
export default async function demands(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post('/v1/demands', { config: { roles: ['legal'] }, bodyLimit: 20 * 1024 * 1024, schema: { body: DemandInputSchema } }, async (req, reply) => {
    const d = await intakeDemand(ctx.state, ctx.layout, req.body, req.account!, ctx.now());
    await ctx.audit(req, { action: 'create', resource: 'demand', resource_ids: [d.id], numbers: d.target_numbers, outcome: 'ok', status: 201, detail: { exigent: d.exigent, legal_process: d.legal_process, rules_passed: d.rules_passed } });
    return reply.code(201).send({ ...d, case_number: d.id });
  });
  r.get(
    '/v1/demands',
    { config: { roles: ['legal'] }, schema: { querystring: z.strictObject({ status: z.enum(DEMAND_STATUSES).optional(), exigent: z.enum(['true', 'false']).optional() }) } },
    async (req) => {
      const list = await listDemands(ctx.state, { ...(req.query.status ? { status: req.query.status } : {}), ...(req.query.exigent ? { exigent: req.query.exigent === 'true' } : {}) });
      await ctx.audit(req, { action: 'read', resource: 'demand', resource_ids: list.map((d) => String(d['id'])), outcome: 'ok', status: 200 });
      return { demands: list };
    },
  );
  r.get('/v1/demands/:id', { config: { roles: ['legal'] }, schema: { params: z.object({ id: z.string().regex(/^LD-\d{8}-[0-9A-F]{6}$/) }) } }, async (req) => {
    const d = await getDemand(ctx.state, req.params.id);
    if (!d) throw thError('TH_NOT_FOUND', `no demand ${req.params.id}`);
    await ctx.audit(req, { action: 'read', resource: 'demand', resource_ids: [req.params.id], numbers: d['target_numbers'] as string[], outcome: 'ok', status: 200 });
    return d;
  });
  r.patch(
    '/v1/demands/:id',
    { config: { roles: ['legal'] }, bodyLimit: 20 * 1024 * 1024, schema: { params: z.object({ id: z.string().regex(/^LD-\d{8}-[0-9A-F]{6}$/) }), body: DemandPatchSchema } },
    async (req) => {
      const d = await patchDemand(ctx.state, ctx.layout, req.params.id, req.body, req.account!, ctx.now());
      await ctx.audit(req, { action: 'update', resource: 'demand', resource_ids: [req.params.id], outcome: 'ok', status: 200, detail: { status: req.body.status, reason: req.body.reason, protective_order: Boolean(req.body.protective_order) } });
      return d;
    },
  );
}
