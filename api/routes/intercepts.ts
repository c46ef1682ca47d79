import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { thError } from '../../engine/errors.ts';
import { deliveryTiming, interceptReport, signedExport } from '../../engine/intercepts/intercept-reports.ts';
import { AnnotateSchema, CompromiseSchema, ExtendSchema, InterceptInputSchema, TerminateSchema } from '../../engine/intercepts/intercept-schema.ts';
import {
  annotateIntercept,
  approveIntercept,
  createIntercept,
  extendIntercept,
  getIntercept,
  listIntercepts,
  reportCompromise,
  terminateIntercept,
} from '../../engine/intercepts/intercept-service.ts';
import { appendEntry } from '../../engine/intercepts/intercept-chain.ts';
import type { ApiContext } from '../api-context.ts';

/**
 * Intercept-audit records (47 CFR 1.20004): legal and senior officers create and act on them;
 * auditors read. Every read is audited; every change is a signed chain entry.
 */
const Id = z.object({ id: z.string().regex(/^IC-[0-9a-f-]{36}$/) });
const Period = z.strictObject({ from: z.iso.date(), to: z.iso.date(), format: z.enum(['json', 'csv']).default('json') });

export default async function intercepts(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const who = (req: { account?: { user: string; role: string } }) => ({ user: req.account!.user, role: req.account!.role });
  const WRITE = ['legal', 'senior_officer'] as const;
  const READ = ['legal', 'senior_officer', 'auditor'] as const;

  r.post('/v1/intercepts', { config: { roles: WRITE }, bodyLimit: 20 * 1024 * 1024, schema: { body: InterceptInputSchema } }, async (req, reply) => {
    const { view } = await createIntercept(ctx.state, ctx.layout, await ctx.signingKey(), req.body, who(req), ctx.now());
    await ctx.audit(req, { action: 'create', resource: 'intercept', resource_ids: [view.id], numbers: view.targets, outcome: 'ok', status: 201 });
    return reply.code(201).send(view);
  });
  r.get('/v1/intercepts', { config: { roles: READ } }, async (req) => {
    const list = await listIntercepts(ctx.state, ctx.now());
    await ctx.audit(req, { action: 'read', resource: 'intercept', resource_ids: list.map((v) => v.id), outcome: 'ok', status: 200 });
    return { intercepts: list };
  });
  r.get('/v1/intercepts/:id', { config: { roles: READ }, schema: { params: Id } }, async (req) => {
    const v = await getIntercept(ctx.state, req.params.id, ctx.now());
    if (!v) throw thError('TH_NOT_FOUND', `no intercept record ${req.params.id}`);
    await ctx.audit(req, { action: 'read', resource: 'intercept', resource_ids: [v.id], numbers: v.targets, outcome: 'ok', status: 200 });
    return v;
  });
  r.post('/v1/intercepts/:id/approve', { config: { roles: ['senior_officer'] }, schema: { params: Id } }, async (req) => {
    const v = await approveIntercept(ctx.state, await ctx.signingKey(), req.params.id, who(req), ctx.now());
    await ctx.audit(req, { action: 'approve', resource: 'intercept', resource_ids: [v.id], outcome: 'ok', status: 200 });
    return v;
  });
  r.post('/v1/intercepts/:id/extend', { config: { roles: WRITE }, bodyLimit: 20 * 1024 * 1024, schema: { params: Id, body: ExtendSchema } }, async (req) => {
    const v = await extendIntercept(ctx.state, ctx.layout, await ctx.signingKey(), req.params.id, req.body.authorization, who(req), ctx.now());
    await ctx.audit(req, { action: 'extend', resource: 'intercept', resource_ids: [v.id], outcome: 'ok', status: 200 });
    return v;
  });
  r.post('/v1/intercepts/:id/terminate', { config: { roles: WRITE }, schema: { params: Id, body: TerminateSchema } }, async (req) => {
    const v = await terminateIntercept(ctx.state, await ctx.signingKey(), req.params.id, req.body.reason, who(req), ctx.now());
    await ctx.audit(req, { action: 'terminate', resource: 'intercept', resource_ids: [v.id], outcome: 'ok', status: 200 });
    return v;
  });
  r.post('/v1/intercepts/:id/compromise', { config: { roles: WRITE }, schema: { params: Id, body: CompromiseSchema } }, async (req) => {
    const v = await reportCompromise(ctx.state, await ctx.signingKey(), req.params.id, req.body, who(req), ctx.now());
    await ctx.audit(req, { action: 'compromise', resource: 'intercept', resource_ids: [v.id], outcome: 'ok', status: 200 });
    return v;
  });
  r.post('/v1/intercepts/:id/annotate', { config: { roles: WRITE }, schema: { params: Id, body: AnnotateSchema } }, async (req) => {
    const v = await annotateIntercept(ctx.state, await ctx.signingKey(), req.params.id, req.body.note, who(req), ctx.now());
    await ctx.audit(req, { action: 'annotate', resource: 'intercept', resource_ids: [v.id], outcome: 'ok', status: 200 });
    return v;
  });
  r.post(
    '/v1/intercepts/:id/delivery-log',
    { config: { roles: WRITE }, bodyLimit: 20 * 1024 * 1024, schema: { params: Id, body: z.strictObject({ csv: z.string().min(1).max(15_000_000) }) } },
    async (req) => {
      const v = await getIntercept(ctx.state, req.params.id, ctx.now());
      if (!v) throw thError('TH_NOT_FOUND', `no intercept record ${req.params.id}`);
      const report = deliveryTiming(req.body.csv);
      await appendEntry(ctx.state, await ctx.signingKey(), { intercept_id: v.id, event: 'delivery_report', at: ctx.now().toISOString(), actor: req.account!.user, role: req.account!.role, data: report });
      await ctx.audit(req, { action: 'delivery-log', resource: 'intercept', resource_ids: [v.id], outcome: 'ok', status: 200, detail: { share_within_8s: report.share_within_8s } });
      return { id: v.id, ...report, flag: report.meets_95_percent ? null : 'under the 95% within 8 seconds expectation' };
    },
  );
  r.get('/v1/intercepts/reports/summary', { config: { roles: READ }, schema: { querystring: Period.omit({ format: true }) } }, async (req) => {
    const rep = await interceptReport(ctx.state, req.query.from, req.query.to, ctx.now());
    await ctx.audit(req, { action: 'report', resource: 'intercept', outcome: 'ok', status: 200, detail: req.query });
    return rep;
  });
  r.get('/v1/intercepts/reports/export', { config: { roles: READ }, schema: { querystring: Period } }, async (req, reply) => {
    const x = await signedExport(ctx.state, await ctx.signingKey(), req.query.from, req.query.to, ctx.now());
    await ctx.audit(req, { action: 'export', resource: 'intercept', outcome: 'ok', status: 200, detail: req.query });
    if (req.query.format === 'csv') return reply.type('text/csv').send(x.csv);
    return x.json;
  });
}
