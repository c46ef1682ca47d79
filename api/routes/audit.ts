import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryAudit } from '../../engine/audit/audit-log.ts';
import type { ApiContext } from '../api-context.ts';

/** GET /v1/audit (auditor): who read or changed what, when; filters by actor, resource, outcome, number, time. */
export default async function audit(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/audit',
    {
      config: { roles: ['auditor'] },
      schema: {
        querystring: z.strictObject({
          actor: z.string().max(64).optional(),
          resource: z.string().max(200).optional(),
          outcome: z.enum(['ok', 'refused', 'error']).optional(),
          number: z.string().regex(/^\+?\d{7,15}$/).optional(),
          from: z.iso.datetime({ offset: true }).optional(),
          to: z.iso.datetime({ offset: true }).optional(),
          limit: z.coerce.number().int().min(1).max(5000).default(200),
        }),
      },
    },
    async (req) => {
      const entries = await queryAudit(ctx.state, req.query);
      await ctx.audit(req, { action: 'read', resource: 'audit', outcome: 'ok', status: 200, detail: { filters: req.query, entries: entries.length } });
      return { entries };
    },
  );
}
