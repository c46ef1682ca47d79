import { mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { all, exec, withDuck } from '../../../engine/db/duckdb.ts';
import { resolveScope } from '../../../engine/exports/export-scope.ts';
import { sha256File, writeExport, XLSX_MAX_DATA_ROWS } from '../../../engine/exports/write-export.ts';
import { updateCatalog } from '../../../engine/storage/catalog.ts';
import { dataLayout, hotPartitionDir } from '../../../engine/storage/layout.ts';
import { tempDir } from '../../support/cdr-fixtures.ts';
import { A, B, IN_SCOPE_IDS, ingestExportCorpus, RANGE_FROM_UTC, RANGE_TO_UTC } from '../../support/export-fixtures.ts';

const demand = { id: 'LD-20261124-ABC123', target_numbers: ['212-555-1234', '312-555-5678'], date_from: '2026-09-01', date_to: '2026-11-20' };

/** The rows in scope asked of DuckDB directly: every Parquet file under cdr/, no tracehop code. */
const expectedRows = (data: string) =>
  withDuck({}, (con) =>
    all<{ call_id: string; start_time: string; filename: string }>(
      con,
      `SELECT call_id, strftime(start_time, '%Y-%m-%dT%H:%M:%S.%gZ') AS start_time, filename
       FROM read_parquet($glob, hive_partitioning = false, union_by_name = true, filename = true)
       WHERE start_time >= $from::TIMESTAMPTZ AND start_time < $to::TIMESTAMPTZ
         AND (calling_number IN ($a, $b) OR called_number IN ($a, $b) OR pai_number IN ($a, $b))
       ORDER BY start_time, call_id`,
      { glob: path.join(data, 'cdr', '**', '*.parquet'), from: RANGE_FROM_UTC, to: RANGE_TO_UTC, a: A, b: B },
    ),
  );

describe('writeExport', () => {
  let data = '';
  beforeAll(async () => {
    data = await ingestExportCorpus();
  });

  it('writes exactly the rows in scope, from the hot and the cold tier, the same rows in csv, parquet and xlsx', async () => {
    const out = path.join(tempDir('export-out-'), 'x');
    const w = await writeExport(dataLayout(data), resolveScope(demand, {}), out, ['parquet', 'csv', 'xlsx']);
    const expected = await expectedRows(data);
    expect(expected.some((r) => r.filename.includes('/cdr/cold/'))).toBe(true);
    expect(expected.some((r) => r.filename.includes('/cdr/hot/'))).toBe(true);
    expect(w.rows).toBe(expected.length);
    const ids = expected.map((r) => r.call_id);
    const fromParquet = await withDuck({}, (con) => all<{ call_id: string; start_time: string }>(con, `SELECT call_id, strftime(start_time, '%Y-%m-%dT%H:%M:%S.%gZ') AS start_time FROM read_parquet($f)`, { f: path.join(out, 'cdrs.parquet') }));
    expect(fromParquet).toEqual(expected.map(({ call_id, start_time }) => ({ call_id, start_time })));
    const fromCsv = await withDuck({}, (con) => all<{ call_id: string; start_time: string }>(con, `SELECT call_id, start_time FROM read_csv($f, header = true, all_varchar = true)`, { f: path.join(out, 'cdrs.csv') }));
    expect(fromCsv).toEqual(fromParquet);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(out, 'cdrs.xlsx'));
    const sheet = wb.worksheets[0]!;
    expect(sheet.rowCount).toBe(ids.length + 1);
    const callIdCol = (sheet.getRow(1).values as unknown[]).indexOf('call_id');
    expect(Array.from({ length: ids.length }, (_, i) => String(sheet.getRow(i + 2).getCell(callIdCol).value))).toEqual(ids);
    // the boundary calls: 00:00 CDT on 09/01 is in, 23:30 CDT on 08/31 is out; 23:30 CST on 11/20 in, 00:00 CST 11/21 out
    expect(ids).toEqual(expect.arrayContaining(IN_SCOPE_IDS));
    for (const out of ['cold-aug31-2330-cdt', 'hot-nov21-0000-cst', 'hot-other-numbers', 'cold-other-numbers', 'hot-after-range']) expect(ids).not.toContain(out);
  });

  it('lists each file with its SHA-256, size and rows', async () => {
    const out = path.join(tempDir('export-out-'), 'x');
    const w = await writeExport(dataLayout(data), resolveScope(demand, { numbers: ['312-555-5678'] }), out, ['csv', 'parquet']);
    expect(w.files.map((f) => f.name)).toEqual(['cdrs.csv', 'cdrs.parquet']);
    for (const f of w.files) {
      expect(f.sha256).toBe(await sha256File(path.join(out, f.name)));
      expect(f.bytes).toBe(statSync(path.join(out, f.name)).size);
      expect(f.rows).toBe(w.rows);
    }
  });

  it('releases only the columns asked for, and never the Identity header', async () => {
    const out = path.join(tempDir('export-out-'), 'x');
    await writeExport(dataLayout(data), resolveScope(demand, {}), out, ['parquet']);
    const cols = await withDuck({}, (con) => all<{ name: string }>(con, `SELECT name FROM parquet_schema($f) WHERE name <> 'duckdb_schema'`, { f: path.join(out, 'cdrs.parquet') }));
    expect(cols.map((c) => c.name)).not.toContain('identity');
    expect(cols).toHaveLength(20);
    const narrow = path.join(tempDir('export-out-'), 'y');
    await writeExport(dataLayout(data), resolveScope(demand, { columns: ['call_id', 'start_time'] }), narrow, ['csv']);
    const header = await withDuck({}, (con) => all<{ column_name: string }>(con, `SELECT column_name FROM (DESCRIBE SELECT * FROM read_csv($f, header = true))`, { f: path.join(narrow, 'cdrs.csv') }));
    expect(header.map((h) => h.column_name)).toEqual(['call_id', 'start_time']);
  });

  it('writes the header and no rows when nothing is stored for the scope\'s days', async () => {
    const empty = path.join(tempDir('export-empty-'), 'data');
    const out = path.join(tempDir('export-out-'), 'x');
    const w = await writeExport(dataLayout(empty), resolveScope(demand, {}), out, ['csv', 'parquet']);
    expect(w.rows).toBe(0);
    const n = await withDuck({}, (con) => all<{ n: number }>(con, 'SELECT count(*)::INTEGER AS n FROM read_parquet($f)', { f: path.join(out, 'cdrs.parquet') }));
    expect(n[0]!.n).toBe(0);
  });

  it('refuses xlsx above Excel\'s 1,048,575 data rows, writing nothing, and writes the same scope as csv and parquet', async () => {
    // one real Parquet file of 1,048,576 calls from A, listed in the catalog like any ingest
    const big = path.join(tempDir('export-big-'), 'data');
    const layout = dataLayout(big);
    const file = path.join(hotPartitionDir(layout, '2026-11-18'), 'big-0.parquet');
    mkdirSync(path.dirname(file), { recursive: true });
    const rows = XLSX_MAX_DATA_ROWS + 1;
    await withDuck({}, (con) =>
      exec(
        con,
        `COPY (SELECT 'P1' AS provider_id, 'sw1' AS switch_id, 'c' || i AS call_id,
                TIMESTAMPTZ '2026-11-18 12:00:00+00' + to_microseconds(i) AS start_time, NULL::TIMESTAMPTZ AS answer_time,
                TIMESTAMPTZ '2026-11-18 12:00:00+00' + to_microseconds(i) AS end_time, 0 AS duration_s,
                '+12125551234' AS calling_number, '+13035550100' AS called_number, '' AS pai_number,
                'subscriber' AS ingress_type, '' AS ingress_carrier, 'acct-1' AS ingress_trunk, '192.0.2.1' AS ingress_ip,
                'carrier' AS egress_type, 'P2' AS egress_carrier, 'tg' AS egress_trunk, 486 AS sip_code, '' AS attestation,
                '' AS origid, '' AS "identity", DATE '2026-11-18' AS "day", 'ibig' AS ingest_id, '' AS verstat, '' AS signer_spc, '' AS verify_reason
              FROM range(${rows}) t(i)) TO '${file}' (FORMAT parquet)`,
      ),
    );
    await updateCatalog(layout, () => [{ path: path.relative(layout.cdrDir, file), tier: 'hot', min_day: '2026-11-18', max_day: '2026-11-18', rows, bytes: statSync(file).size, ingest_ids: ['ibig'], created_at: new Date().toISOString() }]);
    const scope = resolveScope(demand, { numbers: ['212-555-1234'] });
    const refused = path.join(tempDir('export-out-'), 'x');
    await expect(writeExport(layout, scope, refused, ['csv', 'xlsx'])).rejects.toMatchObject({ code: 'TH_EXPORT_FORMAT_LIMIT', message: expect.stringContaining('1,048,575') });
    expect(readdirSync(refused)).toEqual([]);
    const out = path.join(tempDir('export-out-'), 'y');
    const w = await writeExport(layout, scope, out, ['csv', 'parquet']);
    expect(w.rows).toBe(rows);
    expect(w.files.every((f) => f.rows === rows)).toBe(true);
  });
});
