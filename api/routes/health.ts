import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../api-context.ts';
import { registry } from '../http-metrics.ts';

/** /healthz for load balancers (no data, no account); /metrics for Prometheus (admin, auditor). */
export default async function health(app: FastifyInstance, _ctx: ApiContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/healthz', { config: { public: true }, schema: { response: { 200: z.object({ ok: z.boolean() }) } } }, async () => ({ ok: true }));
  r.get('/metrics', { config: { roles: ['admin', 'auditor'] } }, async (_req, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
}
