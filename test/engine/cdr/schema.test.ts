import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CdrSchema, STORED_COLUMNS, storedCdrDdl } from '../../../engine/cdr/schema.ts';
import { all, withDuck } from '../../../engine/db/duckdb.ts';
import { allFiles } from '../../../engine/storage/catalog.ts';
import { dataLayout } from '../../../engine/storage/layout.ts';
import { ingestFile } from '../../../ingest/pipeline/ingest-file.ts';
import { cdrRow, tempDir, writeCsv } from '../../support/cdr-fixtures.ts';

describe('the canonical CDR schema table', () => {
  it('is what every stored Parquet file holds: the same columns, in order, with the DuckDB types of the table', async () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    await ingestFile(writeCsv(dir, 'a.csv', [cdrRow(1)]), { data, now: new Date('2026-11-24T00:00:00Z') });
    const described = await withDuck({}, (con) => all<{ column_name: string; column_type: string }>(con, 'DESCRIBE SELECT * FROM read_parquet($f, hive_partitioning = false)', { f: allFiles(dataLayout(data))[0]! }));
    expect(described.map((d) => [d.column_name, d.column_type.replace('TIMESTAMP WITH TIME ZONE', 'TIMESTAMPTZ')])).toEqual(STORED_COLUMNS.map((c) => [c.name, c.duckdb]));
  });

  it('gives DuckDB DDL that creates that table', async () => {
    const cols = await withDuck({}, async (con) => {
      await all(con, storedCdrDdl('cdr'));
      return all<{ column_name: string }>(con, 'DESCRIBE cdr');
    });
    expect(cols.map((c) => c.column_name)).toEqual(STORED_COLUMNS.map((c) => c.name));
  });

  it('validates an interchange CDR with zod and names the fields at fault', () => {
    const ok = CdrSchema.safeParse({ ...cdrRow(1), called_number: '+13125551007', duration_s: 45, sip_code: 200, start_time: '2026-11-20T12:00:01.000Z', answer_time: '', end_time: '2026-11-20T12:00:49.000Z' });
    expect(ok.success).toBe(true);
    const bad = CdrSchema.safeParse({ ...cdrRow(1), called_number: '312-555-1007', duration_s: -1, sip_code: 99, ingress_type: 'foo' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path[0]).sort()).toEqual(expect.arrayContaining(['called_number', 'duration_s', 'ingress_type', 'sip_code']));
  });
});
