import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFile } from '../../../ingest/pipeline/ingest-file.ts';
import { readCatalog } from '../../../engine/storage/catalog.ts';
import { dataLayout } from '../../../engine/storage/layout.ts';
import { withState } from '../../../engine/state/state-store.ts';
import { all, withDuck } from '../../../engine/db/duckdb.ts';
import { cdrRow, csvText, storedRows, tempDir, writeCsv } from '../../support/cdr-fixtures.ts';

const NOW = new Date('2026-11-24T00:00:00Z');

const rejectsOf = (file: string | undefined): { line: number; reason: string; raw: string; detail: string }[] =>
  file ? readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { line: number; reason: string; raw: string; detail: string }) : [];

describe('ingestFile on canonical CSV', () => {
  it('stores every valid row normalized to E.164 and UTC, sorted by called number and time within the day', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 50 }, (_, i) => cdrRow(i));
    const file = writeCsv(dir, 'cdrs.csv', rows);
    const r = await ingestFile(file, { data: path.join(dir, 'data'), now: NOW });
    expect(r).toMatchObject({ status: 'ingested', rows_in: 50, rows_stored: 50, rows_rejected: 0, ok: true });
    const stored = await storedRows(path.join(dir, 'data'));
    expect(stored).toHaveLength(50);
    expect(stored.every((s) => /^\+1\d{10}$/.test(String(s['called_number'])))).toBe(true);
    expect(stored.find((s) => s['call_id'] === 'call-1')).toMatchObject({ called_number: '+13125551007', start_time: '2026-11-20 12:00:01+00', day: '2026-11-20' });
    const cat = readCatalog(dataLayout(path.join(dir, 'data')));
    expect(cat.files.map((f) => f.path)).toEqual([`hot/day=2026-11-20/${r.ingest_id}-0.parquet`]);
    // file order is (called_number, start_time), so look-ups by called number prune row groups
    const inFile = await withDuck({}, (con) =>
      all<{ called_number: string; start_time: string }>(
        con,
        `SELECT called_number, start_time::VARCHAR AS start_time FROM read_parquet($f, file_row_number = true) ORDER BY file_row_number`,
        { f: path.join(dir, 'data', 'cdr', cat.files[0]!.path) },
      ),
    );
    const keys = inFile.map((x) => `${x.called_number}|${x.start_time}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('accepts columns in any order and fills provider and switch from options', async () => {
    const dir = tempDir();
    const cols = ['called_number', 'calling_number', 'start_time', 'end_time', 'answer_time', 'duration_s', 'call_id', 'ingress_type', 'egress_type', 'sip_code'];
    const file = writeCsv(dir, 'x.csv', [cdrRow(1), cdrRow(2)], { columns: cols });
    const r = await ingestFile(file, { data: path.join(dir, 'data'), now: NOW, provider: 'PX', switch: 'swx' });
    expect(r).toMatchObject({ rows_stored: 2, rows_rejected: 0 });
    const stored = await storedRows(path.join(dir, 'data'));
    expect(stored.map((s) => [s['provider_id'], s['switch_id']])).toEqual([['PX', 'swx'], ['PX', 'swx']]);
  });

  it('adds nothing when the same file is ingested again', async () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    const file = writeCsv(dir, 'a.csv', Array.from({ length: 20 }, (_, i) => cdrRow(i)));
    const first = await ingestFile(file, { data, now: NOW });
    const again = await ingestFile(file, { data, now: NOW });
    const copy = writeCsv(dir, 'copy-of-a.csv', Array.from({ length: 20 }, (_, i) => cdrRow(i)));
    const third = await ingestFile(copy, { data, now: NOW });
    expect(first.rows_stored).toBe(20);
    expect(again).toMatchObject({ status: 'already_ingested', rows_stored: 0, ingest_id: first.ingest_id });
    expect(third.status).toBe('already_ingested');
    expect(await storedRows(data)).toHaveLength(20);
    const ledger = await withState(dataLayout(data), (s) => s.all('SELECT ingest_id, rows_in::INTEGER AS rows_in FROM ingest_ledger'));
    expect(ledger).toEqual([{ ingest_id: first.ingest_id, rows_in: 20 }]);
  });

  it('writes rows older than the hot window straight to the cold layout', async () => {
    const dir = tempDir();
    const old = cdrRow(1, { start_time: '2026-09-01T10:00:00Z', answer_time: '', end_time: '2026-09-01T10:00:20Z', duration_s: '0', sip_code: '486' });
    const r = await ingestFile(writeCsv(dir, 'a.csv', [old, cdrRow(2)]), { data: path.join(dir, 'data'), now: NOW });
    expect(r.cold_rows).toBe(1);
    expect(readCatalog(dataLayout(path.join(dir, 'data'))).files.map((f) => [f.tier, f.path.split('/')[1]])).toEqual([
      ['hot', 'day=2026-11-20'],
      ['cold', 'month=2026-09'],
    ]);
  });

  it('reads gzip input directly and gives the same rows', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 30 }, (_, i) => cdrRow(i));
    const gz = path.join(dir, 'a.csv.gz');
    writeFileSync(gz, gzipSync(csvText(rows)));
    const r = await ingestFile(gz, { data: path.join(dir, 'data'), now: NOW });
    expect(r).toMatchObject({ rows_in: 30, rows_stored: 30 });
    // gzip is recognised by its bytes, whatever the name
    const unnamed = path.join(dir, 'b.csv');
    writeFileSync(unnamed, gzipSync(csvText(rows.slice(0, 5))));
    expect(await ingestFile(unnamed, { data: path.join(dir, 'data'), now: NOW })).toMatchObject({ rows_in: 5, rows_stored: 5 });
    const nd = path.join(dir, 'c.ndjson.gz');
    writeFileSync(nd, gzipSync(rows.slice(5, 9).map((x) => JSON.stringify(x)).join('\n') + '\n'));
    expect(await ingestFile(nd, { data: path.join(dir, 'data'), now: NOW })).toMatchObject({ format: 'ndjson', rows_in: 4, rows_stored: 4 });
  });

  it('fills carriers from a trunk map', async () => {
    const dir = tempDir();
    const map = path.join(dir, 'trunks.csv');
    writeFileSync(map, 'trunk,carrier\ntg-up,UPSTREAM1\ntg-down,DOWN1\n');
    const row = cdrRow(1, { ingress_type: '', ingress_carrier: '', ingress_trunk: 'tg-up', egress_carrier: '', egress_trunk: 'tg-down', egress_type: '' });
    const cols = Object.keys(row).filter((c) => c !== 'ingress_type' && c !== 'egress_type');
    const r = await ingestFile(writeCsv(dir, 'a.csv', [row], { columns: cols }), { data: path.join(dir, 'data'), now: NOW, trunkMap: map });
    expect(r.rows_rejected).toBe(0);
    const [s] = await storedRows(path.join(dir, 'data'));
    expect(s).toMatchObject({ ingress_type: 'carrier', ingress_carrier: 'UPSTREAM1', egress_type: 'carrier', egress_carrier: 'DOWN1' });
  });
});

describe('ingestFile accounts for every row: rows in = rows stored + rows rejected', () => {
  it('rejects a time without zone, an unnormalizable number and a repeated header with line and reason', async () => {
    const dir = tempDir();
    const rows = [
      cdrRow(1),
      cdrRow(2, { start_time: '2026-11-20 12:00:02' }),
      cdrRow(3, { called_number: '312555567' }),
      cdrRow(4, { calling_number: '1-800-FLOWERS' }),
      cdrRow(5),
    ];
    const text = csvText(rows).replace(/\n(?=[^\n]*call-5)/, `\n${csvText([]).trim()}\n`);
    const file = path.join(dir, 'a.csv');
    writeFileSync(file, text);
    const r = await ingestFile(file, { data: path.join(dir, 'data'), now: NOW });
    expect(r).toMatchObject({ ok: false, rows_in: 6, rows_stored: 2, rows_rejected: 4 });
    const rej = rejectsOf(r.rejects_file);
    expect(rej.map((x) => [x.line, x.reason])).toEqual([
      [3, 'start_time_without_zone'],
      [4, 'called_number_invalid'],
      [5, 'calling_number_invalid'],
      [6, 'header_repeated'],
    ]);
    expect(rej[1]!.detail).toContain("'312555567'");
    expect(rej[0]!.raw).toContain('2026-11-20 12:00:02');
  });

  it('gives malformed records their own line numbers and keeps good rows after them', async () => {
    const dir = tempDir();
    const good = csvText([cdrRow(1), cdrRow(2), cdrRow(3)]).split('\n');
    const text = [good[0], good[1], 'only,three,fields', good[2], 'a,b', good[3], ''].join('\n');
    const file = path.join(dir, 'a.csv');
    writeFileSync(file, text);
    const r = await ingestFile(file, { data: path.join(dir, 'data'), now: NOW });
    expect(r.rows_in).toBe(r.rows_stored + r.rows_rejected);
    expect(r.rows_stored).toBe(3);
    const rej = rejectsOf(r.rejects_file);
    expect(rej.map((x) => [x.line, x.reason, x.raw])).toEqual([
      [3, 'column_count', 'only,three,fields'],
      [5, 'column_count', 'a,b'],
    ]);
    const lines = (await storedRows(path.join(dir, 'data'))).map((s) => s['call_id']);
    expect(lines).toEqual(['call-1', 'call-2', 'call-3']);
  });

  it('keeps the accounting when a quote is never closed', async () => {
    const dir = tempDir();
    const good = csvText([cdrRow(1), cdrRow(2), cdrRow(3)]).split('\n');
    const file = path.join(dir, 'a.csv');
    writeFileSync(file, [good[0], good[1], 'x,"unterminated', good[2], good[3], ''].join('\n'));
    const r = await ingestFile(file, { data: path.join(dir, 'data'), now: NOW });
    expect(r.rows_in).toBe(r.rows_stored + r.rows_rejected);
    expect(r.rows_stored).toBe(1);
    expect(rejectsOf(r.rejects_file)[0]).toMatchObject({ line: 3 });
  });

  it('reads CRLF line ends and a UTF-8 BOM like plain LF', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 10 }, (_, i) => cdrRow(i));
    const file = path.join(dir, 'a.csv');
    writeFileSync(file, '\uFEFF' + csvText(rows, { eol: '\r\n' }));
    const r = await ingestFile(file, { data: path.join(dir, 'data'), now: NOW });
    expect(r).toMatchObject({ rows_in: 10, rows_stored: 10, rows_rejected: 0 });
    const stored = await storedRows(path.join(dir, 'data'));
    expect(stored.every((s) => !String(s['identity']).includes('\r'))).toBe(true);
  });

  it('rejects a 10 MB line as line_too_long and stores the rest', async () => {
    const dir = tempDir();
    const lines = csvText([cdrRow(1), cdrRow(2)]).split('\n');
    const huge = cdrRow(3, { identity: 'x'.repeat(10 * 1024 * 1024) });
    const text = [lines[0], lines[1], csvText([huge]).split('\n')[1], lines[2], ''].join('\n');
    const file = path.join(dir, 'a.csv');
    writeFileSync(file, text);
    const r = await ingestFile(file, { data: path.join(dir, 'data'), now: NOW });
    expect(r).toMatchObject({ rows_in: 3, rows_stored: 2, rows_rejected: 1 });
    expect(rejectsOf(r.rejects_file)[0]).toMatchObject({ line: 3, reason: 'line_too_long' });
  });
});

describe('ingestFile refuses unusable files with a clear reason and stores nothing', () => {
  const refuse = async (name: string, content: string | Buffer) => {
    const dir = tempDir();
    const file = path.join(dir, name);
    writeFileSync(file, content);
    const r = await ingestFile(file, { data: path.join(dir, 'data'), now: NOW });
    expect(r.status).toBe('refused');
    expect(r.rows_stored).toBe(0);
    expect(existsSync(path.join(dir, 'data', 'cdr', 'catalog.json'))).toBe(false);
    return r.error!;
  };

  it('refuses an empty file', async () => {
    expect(await refuse('empty.csv', '')).toMatchObject({ code: 'TH_INPUT_EMPTY' });
  });
  it('refuses a header with no rows', async () => {
    expect(await refuse('h.csv', csvText([]))).toMatchObject({ code: 'TH_INPUT_NO_ROWS' });
  });
  it('refuses binary garbage', async () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    expect(await refuse('garbage.csv', bytes)).toMatchObject({ code: 'TH_INPUT_BINARY' });
  });
  it('refuses a truncated gzip', async () => {
    const gz = gzipSync(csvText(Array.from({ length: 200 }, (_, i) => cdrRow(i))));
    const err = await refuse('cut.csv.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    expect(err.code).toBe('TH_INPUT_GZIP');
    expect(err.message).toMatch(/truncated|corrupt/);
  });
  it('names an unknown column', async () => {
    const text = csvText([cdrRow(1)]).replace('ingress_ip', 'ingress_ipv9');
    const err = await refuse('u.csv', text);
    expect(err.code).toBe('TH_INPUT_UNKNOWN_COLUMN');
    expect(err.message).toContain("'ingress_ipv9'");
  });
  it('names the missing required columns', async () => {
    const err = await refuse('m.csv', csvText([cdrRow(1)], { columns: ['call_id', 'called_number', 'start_time'] }));
    expect(err.code).toBe('TH_INPUT_MISSING_COLUMN');
    expect(err.message).toContain('provider_id');
  });
  it('rejects rows whose delimiter differs from the header’s, naming the column count', async () => {
    const dir = tempDir();
    const header = csvText([]).trim();
    const body = csvText([cdrRow(1), cdrRow(2)], { delimiter: ';' }).split('\n').slice(1).join('\n');
    const file = path.join(dir, 'semi.csv');
    writeFileSync(file, `${header}\n${body}`);
    const r = await ingestFile(file, { data: path.join(dir, 'data'), now: NOW });
    expect(r).toMatchObject({ rows_in: 2, rows_stored: 0, rows_rejected: 2 });
    expect(rejectsOf(r.rejects_file).map((x) => x.reason)).toEqual(['column_count', 'column_count']);
  });
  it('reads a file whose header and rows use another delimiter', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'semi.csv');
    writeFileSync(file, csvText([cdrRow(1), cdrRow(2)], { delimiter: ';' }));
    const r = await ingestFile(file, { data: path.join(dir, 'data'), now: NOW });
    expect(r).toMatchObject({ rows_in: 2, rows_stored: 2 });
  });
});

describe('ingestFile on NDJSON', () => {
  it('stores objects, rejects non-objects, invalid JSON and unknown fields with their lines', async () => {
    const dir = tempDir();
    const rows = [cdrRow(1), cdrRow(2)];
    const lines = [
      JSON.stringify({ ...rows[0], duration_s: 45, sip_code: 200 }),
      '',
      '[1,2,3]',
      '{"provider_id": "P1", broken',
      JSON.stringify({ ...rows[1], colour: 'blue' }),
      JSON.stringify(rows[1]),
    ];
    const file = path.join(dir, 'a.ndjson');
    writeFileSync(file, lines.join('\n') + '\n');
    const r = await ingestFile(file, { data: path.join(dir, 'data'), now: NOW });
    expect(r).toMatchObject({ format: 'ndjson', rows_in: 5, rows_stored: 2, rows_rejected: 3 });
    expect(rejectsOf(r.rejects_file).map((x) => [x.line, x.reason])).toEqual([
      [3, 'json_not_object'],
      [4, 'json_invalid'],
      [5, 'unknown_field'],
    ]);
  });
});

describe('ingestFile on a file spanning many days', () => {
  it('writes every day of a 40-day file, hot and cold, losing no row across its write batches', async () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    const rows = Array.from({ length: 400 }, (_, i) => {
      const start = new Date(Date.UTC(2026, 8, 1) + (i % 80) * 86_400_000 + i * 1000).toISOString();
      return cdrRow(i, { start_time: start, answer_time: '', end_time: start, duration_s: '0', sip_code: '486' });
    });
    const r = await ingestFile(writeCsv(dir, 'wide.csv', rows), { data, now: NOW });
    expect(r.rows_stored).toBe(400);
    expect(r.days.length).toBe(80);
    expect(await storedRows(data)).toHaveLength(400);
    const cat = readCatalog(dataLayout(data));
    expect(cat.files.filter((f) => f.tier === 'cold').reduce((a, f) => a + f.rows, 0)).toBe(r.cold_rows);
  });
});
