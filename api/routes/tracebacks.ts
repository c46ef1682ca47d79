import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { thError } from '../../engine/errors.ts';
import { responseFileCsv, summarizeCampaign } from '../../engine/trace/campaign-summary.ts';
import { TraceRequestInputSchema } from '../../engine/trace/trace-request.ts';
import type { TraceResult } from '../../engine/trace/trace-result.ts';
import type { ApiContext } from '../api-context.ts';

/**
 * Trace-back requests (analyst, itg): one tuple or a batch of up to 10,000. The answer is
 * due 24 hours from receipt for calls at most 30 days old (carrier policy); older calls need
 * an archive retrieval. A batch is traced in the background; GET shows progress.
 */
// The API refuses unknown fields (400); files read by the CLI are more forgiving.
const StrictRequest = z.strictObject(TraceRequestInputSchema.shape);
const Body = z
  .strictObject({
    request: StrictRequest.optional(),
    requests: z.array(StrictRequest).min(1).max(10_000).optional(),
    campaign: z.string().max(200).optional(),
  })
  .refine((b) => (b.request === undefined) !== (b.requests === undefined), { message: 'give either request (one tuple) or requests (a batch of up to 10,000)', path: ['request'] });

interface Row {
  id: string;
  created_at: string;
  created_by: string;
  due_at: string | null;
  status: string;
  total: number;
  done: number;
  archive_required: number;
  summary: string | null;
}

export default async function tracebacks(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // finished trace-back requests are immutable: the last FINISHED_CACHE are served from memory
  const FINISHED_CACHE = 2000;
  const finished = new Map<string, { row: Row; results: TraceResult[] }>();
  const numbersOf = (reqs: readonly { calling: string; called: string }[]) => reqs.flatMap((x) => [x.calling, x.called]).slice(0, 200);

  async function run(id: string, reqs: readonly unknown[]): Promise<TraceResult[]> {
    const engine = await ctx.traceEngine();
    const results: TraceResult[] = [];
    const CHUNK = 100;
    for (let i = 0; i < reqs.length; i += CHUNK) {
      const chunk = await engine.traceBatch(reqs.slice(i, i + CHUNK), { now: ctx.now() });
      await ctx.state.transaction(async (tx) => {
        for (const [k, res] of chunk.entries()) await tx.exec('INSERT INTO traceback_results VALUES ($id, $i, $r)', { id, i: i + k, r: JSON.stringify(res) });
        await tx.exec('UPDATE traceback_requests SET done = $d WHERE id = $id', { d: i + chunk.length, id });
      });
      results.push(...chunk);
    }
    const summary = summarizeCampaign(results);
    await ctx.state.exec("UPDATE traceback_requests SET status = 'done', summary = $s, archive_required = $a WHERE id = $id", {
      s: JSON.stringify(summary),
      a: results.filter((x) => x.status === 'archive_required').length,
      id,
    });
    return results;
  }

  r.post('/v1/tracebacks', { config: { roles: ['analyst', 'itg'] }, bodyLimit: 8 * 1024 * 1024, schema: { body: Body } }, async (req, reply) => {
    const reqs = req.body.request ? [req.body.request] : (req.body.requests ?? []);
    const id = randomUUID();
    const received = ctx.now();
    // carrier policy: 24 h from receipt for calls at most 30 days old; older ones go to the archive
    const due = new Date(received.getTime() + 24 * 3_600_000);
    await ctx.state.exec("INSERT INTO traceback_requests VALUES ($id, $at, $by, $due, 'running', $n, 0, 0, NULL)", { id, at: received.toISOString(), by: req.account!.id, due: due.toISOString(), n: reqs.length });
    await ctx.audit(req, { action: 'create', resource: 'traceback', resource_ids: [id], numbers: numbersOf(reqs), outcome: 'ok', status: req.body.request ? 201 : 202, detail: { requests: reqs.length } });
    if (req.body.request) {
      const [result] = await run(id, reqs);
      return reply.code(201).send({ id, status: 'done', received_at: received.toISOString(), due_at: due.toISOString(), result });
    }
    void run(id, reqs).catch((e: unknown) => {
      req.log.error({ err: e }, 'traceback batch failed');
      return ctx.state.exec("UPDATE traceback_requests SET status = 'failed' WHERE id = $id", { id });
    });
    return reply.code(202).send({ id, status: 'running', total: reqs.length, received_at: received.toISOString(), due_at: due.toISOString() });
  });

  r.get(
    '/v1/tracebacks/:id',
    { config: { roles: ['analyst', 'itg'] }, schema: { params: z.object({ id: z.uuid() }), querystring: z.strictObject({ format: z.enum(['json', 'csv']).default('json') }) } },
    async (req, reply) => {
      let hit = finished.get(req.params.id);
      if (!hit) {
        const row = await ctx.state.one<Row>('SELECT id, created_at::VARCHAR AS created_at, created_by, due_at::VARCHAR AS due_at, status, total, done, archive_required, summary FROM traceback_requests WHERE id = $id', { id: req.params.id });
        if (!row) throw thError('TH_NOT_FOUND', `no trace-back request ${req.params.id}`);
        const results = (await ctx.state.all<{ result: string }>('SELECT result FROM traceback_results WHERE request_id = $id ORDER BY idx', { id: req.params.id })).map((x) => JSON.parse(x.result) as TraceResult);
        hit = { row, results };
        if (row.status === 'done') {
          // a finished request never changes: keep the most recent ones in memory
          if (finished.size >= FINISHED_CACHE) finished.delete(finished.keys().next().value!);
          finished.set(req.params.id, hit);
        }
      }
      const { row, results } = hit;
      await ctx.audit(req, { action: 'read', resource: 'traceback', resource_ids: [req.params.id], numbers: results.flatMap((x) => [x.request.calling, x.request.called]).filter(Boolean).slice(0, 200), outcome: 'ok', status: 200, detail: { format: req.query.format } });
      if (req.query.format === 'csv') {
        reply.type('text/csv').header('content-disposition', `attachment; filename="traceback-${req.params.id}.csv"`);
        return responseFileCsv(results);
      }
      const old = results.filter((x) => x.outside_24h_commitment).length;
      return {
        id: row.id,
        status: row.status,
        received_at: row.created_at,
        due_at: row.due_at,
        progress: { done: row.done, total: row.total },
        archive_required: results.filter((x) => x.status === 'archive_required').length,
        outside_24h_commitment: old,
        summary: row.summary ? (JSON.parse(row.summary) as unknown) : null,
        results,
      };
    },
  );
}
