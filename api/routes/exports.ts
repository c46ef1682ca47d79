import { createReadStream } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { thError } from '../../engine/errors.ts';
import { openExportFile } from '../../engine/exports/export-download.ts';
import { ApproveSchema, DEMAND_ID_RE, DenySchema, EXPORT_FILE_NAME_RE, EXPORT_ID_RE, EXPORT_STATUSES, ExportRequestSchema } from '../../engine/exports/export-schema.ts';
import { selectExports, viewOf } from '../../engine/exports/export-store.ts';
import { approveExport, denyExport, getExport, produceExport, requestExport } from '../../engine/exports/export-workflow.ts';
import type { ApiContext } from '../api-context.ts';

/**
 * CPNI-gated CDR exports (issue 7 item 4): legal (or a CPNI officer) requests an export of
 * a demand's records; a CPNI officer other than the requester approves or denies; approval
 * produces the files and the signed manifest; legal and CPNI officers download until the
 * link expires. Every change, read and download is in the audit log with the numbers touched.
 */
const Id = z.object({ id: z.string().regex(EXPORT_ID_RE, 'an export id EX-<uuid>') });
const FileParams = Id.extend({ name: z.string().regex(EXPORT_FILE_NAME_RE, 'a file of the export (cdrs.csv, cdrs.xlsx, cdrs.parquet, manifest.json, manifest.jws, signing-key.pub.pem)') });
const ListQuery = z.strictObject({ status: z.enum(EXPORT_STATUSES).optional(), demand_id: z.string().regex(DEMAND_ID_RE).optional() });

export default async function exports(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const who = (req: { account?: { user: string; role: string } }) => ({ user: req.account!.user, role: req.account!.role });
  const BOTH = ['legal', 'cpni_officer'] as const;

  r.post('/v1/exports', { config: { roles: BOTH }, schema: { body: ExportRequestSchema } }, async (req, reply) => {
    const x = await requestExport(ctx.state, ctx.layout, req.body, who(req), ctx.now());
    await ctx.audit(req, { action: 'request', resource: 'export', resource_ids: [x.id, x.demand_id], numbers: x.scope.numbers, outcome: 'ok', status: 201, detail: { estimated_rows: x.estimated_rows, formats: x.formats, fee_estimate: x.fee_estimate } });
    return reply.code(201).send(x);
  });

  r.get('/v1/exports', { config: { roles: BOTH }, schema: { querystring: ListQuery } }, async (req) => {
    const now = ctx.now();
    const list = (await selectExports(ctx.state, req.query)).map((row) => viewOf(row, now));
    await ctx.audit(req, { action: 'read', resource: 'export', resource_ids: list.map((x) => x.id), numbers: [...new Set(list.flatMap((x) => x.scope.numbers))], outcome: 'ok', status: 200 });
    return { exports: list };
  });

  r.get('/v1/exports/:id', { config: { roles: BOTH }, schema: { params: Id } }, async (req) => {
    const x = await getExport(ctx.state, req.params.id, ctx.now());
    if (!x) throw thError('TH_NOT_FOUND', `no export ${req.params.id}`);
    await ctx.audit(req, { action: 'read', resource: 'export', resource_ids: [x.id], numbers: x.scope.numbers, outcome: 'ok', status: 200 });
    return x;
  });

  r.post('/v1/exports/:id/approve', { config: { roles: ['cpni_officer'] }, schema: { params: Id, body: ApproveSchema.optional() } }, async (req) => {
    const x = await approveExport(ctx.state, ctx.layout, await ctx.signingKey(), req.params.id, who(req), ctx.now(), req.body?.note ?? '');
    await ctx.audit(req, { action: 'approve', resource: 'export', resource_ids: [x.id, x.demand_id], numbers: x.scope.numbers, outcome: 'ok', status: 200, detail: { rows: x.rows, files: x.files.map((f) => ({ name: f.name, sha256: f.sha256 })) } });
    return x;
  });

  r.post('/v1/exports/:id/deny', { config: { roles: ['cpni_officer'] }, schema: { params: Id, body: DenySchema } }, async (req) => {
    const x = await denyExport(ctx.state, req.params.id, req.body.reason, who(req), ctx.now());
    await ctx.audit(req, { action: 'deny', resource: 'export', resource_ids: [x.id, x.demand_id], numbers: x.scope.numbers, outcome: 'ok', status: 200, detail: { reason: req.body.reason } });
    return x;
  });

  r.post('/v1/exports/:id/produce', { config: { roles: ['cpni_officer'] }, schema: { params: Id } }, async (req) => {
    const x = await produceExport(ctx.state, ctx.layout, await ctx.signingKey(), req.params.id, ctx.now());
    await ctx.audit(req, { action: 'produce', resource: 'export', resource_ids: [x.id, x.demand_id], numbers: x.scope.numbers, outcome: 'ok', status: 200, detail: { rows: x.rows } });
    return x;
  });

  r.get('/v1/exports/:id/files/:name', { config: { roles: BOTH }, schema: { params: FileParams } }, async (req, reply) => {
    const f = await openExportFile(ctx.state, ctx.layout, req.params.id, req.params.name, ctx.now());
    // the audit entry is committed before a byte leaves (carrier policy: every access is in the audit log)
    await ctx.audit(req, { action: 'download', resource: 'export', resource_ids: [f.export.id, f.export.demand_id], numbers: f.export.scope.numbers, outcome: 'ok', status: 200, detail: { file: f.name, bytes: f.bytes, sha256: f.sha256 } });
    reply.type(f.media_type).header('content-disposition', `attachment; filename="${f.export.id}-${f.name}"`).header('content-length', String(f.bytes)).header('cache-control', 'no-store');
    if (f.sha256) reply.header('x-content-sha256', f.sha256);
    return reply.send(createReadStream(f.path));
  });
}
