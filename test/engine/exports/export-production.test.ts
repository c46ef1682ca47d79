import { existsSync, readdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DemandInputSchema } from '../../../engine/demands/demand-schema.ts';
import { intakeDemand } from '../../../engine/demands/intake.ts';
import { ExportRequestSchema } from '../../../engine/exports/export-schema.ts';
import { approveExport, getExport, produceExport, requestExport } from '../../../engine/exports/export-workflow.ts';
import { verifyExportDir } from '../../../engine/exports/verify-export.ts';
import { loadSigningKey } from '../../../engine/keys/signing-key.ts';
import { allFiles } from '../../../engine/storage/catalog.ts';
import { withState } from '../../../engine/state/state-store.ts';
import { dataLayout } from '../../../engine/storage/layout.ts';
import { demandBody } from '../../support/demand-body.ts';
import { DEMAND_FROM, DEMAND_TO, EXPORT_NOW, ingestExportCorpus, TARGET_A, TARGET_B } from '../../support/export-fixtures.ts';

describe('producing an approved export', () => {
  it('leaves nothing under its id when production fails, keeps it approved, and produces it on retry', async () => {
    const data = await ingestExportCorpus();
    const layout = dataLayout(data);
    const key = await loadSigningKey(layout);
    await withState(layout, async (state) => {
      const d = await intakeDemand(state, layout, DemandInputSchema.parse(demandBody({ target_numbers: [TARGET_A, TARGET_B], date_from: DEMAND_FROM, date_to: DEMAND_TO })), { id: 'legal-1' }, EXPORT_NOW);
      const x = await requestExport(state, layout, ExportRequestSchema.parse({ demand_id: d.id, formats: ['csv', 'parquet'] }), { user: 'legal-1', role: 'legal' }, EXPORT_NOW);
      // a cold file the catalog lists is unreadable while the officer approves
      const cold = allFiles(layout, ['cold']).find((f) => f.includes('month=2026-09'))!;
      renameSync(cold, `${cold}.away`);
      await expect(approveExport(state, layout, key, x.id, { user: 'cpni-1', role: 'cpni_officer' }, EXPORT_NOW)).rejects.toThrow();
      expect((await getExport(state, x.id, EXPORT_NOW))?.status).toBe('approved');
      expect(existsSync(path.join(data, 'exports', x.id))).toBe(false);
      expect(readdirSync(path.join(data, 'exports')).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
      renameSync(`${cold}.away`, cold);
      const done = await produceExport(state, layout, key, x.id, EXPORT_NOW);
      expect(done).toMatchObject({ status: 'produced', approved_by: 'cpni-1', rows: done.estimated_rows });
      const v = await verifyExportDir(path.join(data, 'exports', x.id), { publicKeyPem: key.publicPem });
      expect(v).toMatchObject({ ok: true, key_source: 'given', export_id: x.id, rows: done.rows, problems: [] });
    });
  });
});
