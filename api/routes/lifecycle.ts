import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listLifecycleRuns } from '../../engine/lifecycle/lifecycle-run.ts';
import type { ApiContext } from '../api-context.ts';

/**
 * The lifecycle run log (admin, auditor): what each run moved to the cold archive, what
 * retention deleted, and what a preservation hold kept (47 CFR 42.6; 18 U.S.C. 2703(f)).
 * The runs themselves happen in `serve`'s nightly job or `tracehop lifecycle run`.
 */
export default async function lifecycle(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/v1/lifecycle/runs',
    { config: { roles: ['admin', 'auditor'] }, schema: { querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(20) }) } },
    async (req) => {
      const runs = await listLifecycleRuns(ctx.state, req.query.limit);
      await ctx.audit(req, { action: 'read', resource: 'lifecycle_run', resource_ids: runs.map((x) => String(x['id'])), outcome: 'ok', status: 200 });
      return { runs };
    },
  );
}
