import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { thError } from '../../engine/errors.ts';
import { DAILY_LOOKUP_LIMIT, getLookup, lookupNumbers } from '../../engine/inventory/inventory.ts';
import type { ApiContext } from '../api-context.ts';

/** The law-enforcement number look-up portal (le_officer): 25 numbers per officer per Central day. */
export default async function tnLookups(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/v1/tn-lookups',
    {
      config: { roles: ['le_officer'] },
      schema: { body: z.strictObject({ numbers: z.array(z.string().regex(/^\+?1?[-. ]?\(?[2-9]\d{2}\)?[-. ]?[2-9]\d{2}[-. ]?\d{4}$/, 'a NANP number')).min(1).max(DAILY_LOOKUP_LIMIT), case_reference: z.string().max(200).optional() }) },
    },
    async (req, reply) => {
      try {
        const r2 = await lookupNumbers(ctx.state, req.account!.id, req.body.numbers, ctx.now());
        await ctx.audit(req, { action: 'lookup', resource: 'tn-lookup', resource_ids: [r2.id], numbers: req.body.numbers, outcome: 'ok', status: 201, detail: { case_reference: req.body.case_reference ?? null, found: r2.answers.filter((a) => a.result === 'found').length } });
        return reply.code(201).send({ id: r2.id, results: r2.answers, remaining_today: r2.remaining_today });
      } catch (e) {
        if ((e as { code?: string }).code === 'TH_LOOKUP_QUOTA') {
          await ctx.audit(req, { action: 'lookup', resource: 'tn-lookup', numbers: req.body.numbers, outcome: 'refused', status: 429, detail: { reason: 'daily quota' } });
        }
        throw e;
      }
    },
  );
  r.get(
    '/v1/tn-lookups/:id',
    { config: { roles: ['le_officer'] }, schema: { params: z.object({ id: z.uuid() }), querystring: z.strictObject({ format: z.enum(['json', 'csv', 'xlsx']).default('json') }) } },
    async (req, reply) => {
      const answers = await getLookup(ctx.state, req.params.id, req.account!.id);
      if (!answers) throw thError('TH_NOT_FOUND', `no look-up ${req.params.id} of this account`);
      await ctx.audit(req, { action: 'read', resource: 'tn-lookup', resource_ids: [req.params.id], numbers: answers.map((a) => a.number), outcome: 'ok', status: 200, detail: { format: req.query.format } });
      const cols = ['number', 'result', 'customer', 'calea_contact', 'in_service_date', 'message'] as const;
      if (req.query.format === 'csv') {
        const esc = (v: unknown) => (/[",\n]/.test(String(v ?? '')) ? `"${String(v).replaceAll('"', '""')}"` : String(v ?? ''));
        reply.type('text/csv').header('content-disposition', `attachment; filename="lookup-${req.params.id}.csv"`);
        return [cols.join(','), ...answers.map((a) => cols.map((c) => esc(a[c])).join(','))].join('\n') + '\n';
      }
      if (req.query.format === 'xlsx') {
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet('look-up');
        ws.addRow([...cols]);
        for (const a of answers) ws.addRow(cols.map((c) => a[c] ?? ''));
        reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', `attachment; filename="lookup-${req.params.id}.xlsx"`);
        return Buffer.from(await wb.xlsx.writeBuffer());
      }
      return { id: req.params.id, results: answers };
    },
  );
}
