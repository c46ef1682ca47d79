import { createReadStream, statSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { cancelArchiveJob } from '../../engine/archive/archive-cancel.ts';
import { createArchiveJob } from '../../engine/archive/archive-intake.ts';
import { ARCHIVE_FILE_NAMES, ARCHIVE_JOB_STATES, ArchiveJobInputSchema } from '../../engine/archive/archive-job-schema.ts';
import { getArchiveJob, listArchiveJobs } from '../../engine/archive/archive-job-store.ts';
import { archiveResultFile } from '../../engine/archive/archive-paths.ts';
import { thError } from '../../engine/errors.ts';
import type { ApiContext } from '../api-context.ts';

/**
 * Archive retrieval jobs (analyst, legal; issue 7 item 3). Carrier policy: a trace-back or
 * records search older than the hot window is an archive retrieval, at least 15 business
 * days, fee quoted. POST queues the job with its quote and due date; the worker (in
 * `tracehop serve`, or `tracehop archive-jobs work`) searches the cold archive month by
 * month; GET shows state, progress, quote and due date; the result set is downloaded as
 * Parquet or CSV. Every call is audited with the numbers it touches.
 */
const IdParams = z.object({ id: z.uuid() });
const MEDIA: Record<(typeof ARCHIVE_FILE_NAMES)[number], string> = { parquet: 'application/vnd.apache.parquet', csv: 'text/csv; charset=utf-8' };

export default async function archiveJobs(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/v1/archive-jobs', { config: { roles: ['analyst', 'legal'] }, schema: { body: ArchiveJobInputSchema } }, async (req, reply) => {
    const job = await createArchiveJob(ctx.state, ctx.layout, req.body, req.account!, ctx.now());
    await ctx.audit(req, { action: 'create', resource: 'archive_job', resource_ids: [job.id], numbers: job.numbers, outcome: 'ok', status: 201, detail: { kind: job.kind, date_from: job.date_from, date_to: job.date_to, quote: job.quote, due_at: job.due_at } });
    return reply.code(201).send(job);
  });

  r.get(
    '/v1/archive-jobs',
    { config: { roles: ['analyst', 'legal'] }, schema: { querystring: z.strictObject({ state: z.enum(ARCHIVE_JOB_STATES).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }) } },
    async (req) => {
      const jobs = await listArchiveJobs(ctx.state, { ...(req.query.state ? { state: req.query.state } : {}), limit: req.query.limit });
      await ctx.audit(req, { action: 'read', resource: 'archive_job', resource_ids: jobs.map((j) => j.id), numbers: [...new Set(jobs.flatMap((j) => j.numbers))].slice(0, 200), outcome: 'ok', status: 200 });
      return { jobs };
    },
  );

  r.get('/v1/archive-jobs/:id', { config: { roles: ['analyst', 'legal'] }, schema: { params: IdParams } }, async (req) => {
    const job = await getArchiveJob(ctx.state, req.params.id);
    if (!job) throw thError('TH_NOT_FOUND', `no archive job ${req.params.id}`);
    await ctx.audit(req, { action: 'read', resource: 'archive_job', resource_ids: [job.id], numbers: job.numbers, outcome: 'ok', status: 200, detail: { state: job.state } });
    return job;
  });

  r.post(
    '/v1/archive-jobs/:id/cancel',
    { config: { roles: ['analyst', 'legal'] }, schema: { params: IdParams, body: z.strictObject({ reason: z.string().max(500).optional() }).nullish() } },
    async (req) => {
      const job = await cancelArchiveJob(ctx.state, ctx.layout, req.params.id, req.account!, ctx.now());
      await ctx.audit(req, { action: 'cancel', resource: 'archive_job', resource_ids: [job.id], numbers: job.numbers, outcome: 'ok', status: 200, detail: { reason: req.body?.reason ?? '' } });
      return job;
    },
  );

  r.get(
    '/v1/archive-jobs/:id/files/:name',
    { config: { roles: ['analyst', 'legal'] }, schema: { params: IdParams.extend({ name: z.enum(ARCHIVE_FILE_NAMES) }) } },
    async (req, reply) => {
      const job = await getArchiveJob(ctx.state, req.params.id);
      if (!job) throw thError('TH_NOT_FOUND', `no archive job ${req.params.id}`);
      if (job.state !== 'done') throw thError('TH_ARCHIVE_STATE', `archive job ${job.id} is ${job.state}: its result is not ready`, { details: [{ state: job.state, progress: job.progress.fraction }] });
      // the id passed the UUID check and the name is one of two: the path stays under data/archive-jobs/
      const file = archiveResultFile(ctx.layout, job.id, req.params.name);
      const bytes = statSync(file).size;
      await ctx.audit(req, { action: 'download', resource: 'archive_job', resource_ids: [job.id], numbers: job.numbers, outcome: 'ok', status: 200, detail: { file: req.params.name, rows: job.result?.rows ?? 0, bytes } });
      return reply
        .type(MEDIA[req.params.name])
        .header('content-length', bytes)
        .header('content-disposition', `attachment; filename="archive-${job.id}.${req.params.name}"`)
        .send(createReadStream(file));
    },
  );
}
