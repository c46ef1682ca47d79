import path from 'node:path';
import { ingestFile } from '../../ingest/pipeline/ingest-file.ts';
import { cdrRow, tempDir, writeCsv, type Row } from './cdr-fixtures.ts';

/**
 * A CDR corpus for export tests, ingested for real: calls of the demand's two numbers in
 * the cold tier (September, older than the 45-day hot window at NOW) and in the hot tier
 * (November), calls on both sides of each Central-day boundary, and calls of other numbers.
 */
export const EXPORT_NOW = new Date('2026-11-24T15:00:00Z');
export const TARGET_A = '212-555-1234';
export const TARGET_B = '312-555-5678';
export const A = '+12125551234';
export const B = '+13125555678';
/** the demand's range, MM/DD/YYYY, as Central days */
export const DEMAND_FROM = '09/01/2026';
export const DEMAND_TO = '11/20/2026';
/** the same range as instants: 09/01 00:00 CDT and 11/21 00:00 CST */
export const RANGE_FROM_UTC = '2026-09-01 05:00:00+00';
export const RANGE_TO_UTC = '2026-11-21 06:00:00+00';

const call = (id: string, start: string, over: Partial<Row>): Row => {
  const t = Date.parse(start);
  return cdrRow(0, {
    call_id: id,
    start_time: new Date(t).toISOString(),
    answer_time: new Date(t + 2000).toISOString(),
    end_time: new Date(t + 62_000).toISOString(),
    duration_s: '60',
    calling_number: '+12025550100',
    called_number: '+13035550100',
    ...over,
  });
};

/** Named calls whose fate the tests check one by one. */
export const NAMED_CALLS: readonly Row[] = [
  call('cold-a-calls', '2026-09-15T14:00:00Z', { calling_number: A, called_number: '+14155550100' }),
  call('cold-b-called', '2026-09-20T10:00:00Z', { calling_number: '+16465550199', called_number: B }),
  call('cold-a-asserted', '2026-09-25T18:00:00Z', { calling_number: '+17185550111', pai_number: A, identity: 'eyJhbGciOiJFUzI1NiJ9.e30.sig;info=<https://cert.example/a.pem>' }),
  call('cold-aug31-2330-cdt', '2026-09-01T04:30:00Z', { calling_number: A }),
  call('cold-sep01-0000-cdt', '2026-09-01T05:00:00Z', { calling_number: A }),
  call('hot-a-called', '2026-11-18T16:00:00Z', { called_number: A }),
  call('hot-nov20-2330-cst', '2026-11-21T05:30:00Z', { calling_number: B }),
  call('hot-nov21-0000-cst', '2026-11-21T06:00:00Z', { calling_number: B }),
  call('hot-other-numbers', '2026-11-18T16:30:00Z', {}),
  call('cold-other-numbers', '2026-09-18T16:30:00Z', {}),
  call('hot-after-range', '2026-11-22T16:00:00Z', { calling_number: A }),
];
export const IN_SCOPE_IDS = ['cold-a-calls', 'cold-b-called', 'cold-a-asserted', 'cold-sep01-0000-cdt', 'hot-a-called', 'hot-nov20-2330-cst'];

/** Filler: calls of other numbers every few hours across both tiers, and some of A and B. */
export const fillerCalls = (n: number): Row[] =>
  Array.from({ length: n }, (_, i) => {
    const start = new Date(Date.parse('2026-08-25T00:00:00Z') + i * 3 * 3_600_000 + (i % 60) * 1000).toISOString();
    const mine = i % 17 === 0;
    return call(`filler-${i}`, start, {
      calling_number: mine ? A : `+1202555${String(1000 + (i % 8000)).padStart(4, '0')}`,
      called_number: i % 23 === 0 ? B : `+1303555${String(1000 + (i % 8000)).padStart(4, '0')}`,
    });
  });

/** A data directory holding the corpus; returns its path. */
export async function ingestExportCorpus(data?: string, filler = 720): Promise<string> {
  const dir = tempDir('export-corpus-');
  const target = data ?? path.join(dir, 'data');
  const file = writeCsv(dir, 'cdrs.csv', [...NAMED_CALLS, ...fillerCalls(filler)]);
  const r = await ingestFile(file, { data: target, now: EXPORT_NOW });
  if (!r.ok || r.rows_rejected !== 0) throw new Error(`corpus ingest failed: ${JSON.stringify(r)}`);
  return target;
}
