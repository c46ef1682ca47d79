import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { existsSync } from 'node:fs';
import { DemandInputSchema } from '../../engine/demands/demand-schema.ts';
import { intakeDemand } from '../../engine/demands/intake.ts';
import { createPreservation, type Preservation } from '../../engine/preservations/preservation-service.ts';
import { withState } from '../../engine/state/state-store.ts';
import { centralMidnight, nextDay, usDateToIso } from '../../engine/time/central-days.ts';
import { readCatalog } from '../../engine/storage/catalog.ts';
import { dataLayout } from '../../engine/storage/layout.ts';
import { ingestFile } from '../../ingest/pipeline/ingest-file.ts';
import { cdrRow, csvText, storedRows, type Row } from './cdr-fixtures.ts';
import { demandBody } from './demand-body.ts';

/**
 * A small corpus over five UTC days, 2026-01-10 .. 2026-01-14, with start times spread
 * over the whole day (so Central-day boundaries matter) and a few calling numbers that
 * recur, so a preservation hold on one number covers some rows of some days.
 */
export const CORPUS_DAYS = ['2026-01-10', '2026-01-11', '2026-01-12', '2026-01-13', '2026-01-14'];
export const ROWS_PER_DAY = 240;

export function corpusRows(): Row[] {
  const rows: Row[] = [];
  for (const [d, day] of CORPUS_DAYS.entries()) {
    for (let k = 0; k < ROWS_PER_DAY; k++) {
      const i = d * ROWS_PER_DAY + k;
      const start = new Date(Date.parse(`${day}T00:00:00Z`) + k * 360_000 + 17_000); // every 6 minutes
      rows.push(
        cdrRow(i, {
          start_time: start.toISOString(),
          answer_time: new Date(start.getTime() + 2000).toISOString(),
          end_time: new Date(start.getTime() + 32_000).toISOString(),
          duration_s: '30',
          calling_number: `+1212555${String(1000 + (i % 12)).padStart(4, '0')}`,
          called_number: `+1312555${String(2000 + (i % 37)).padStart(4, '0')}`,
        }),
      );
    }
  }
  return rows;
}

/** Ingest the corpus in two files (two hot files per day), all inside the hot window. */
export async function ingestCorpus(dir: string, data: string): Promise<Row[]> {
  const rows = corpusRows();
  const a = path.join(dir, 'part-a.csv');
  const b = path.join(dir, 'part-b.csv');
  writeFileSync(a, csvText(rows.filter((_, i) => i % 2 === 0)));
  writeFileSync(b, csvText(rows.filter((_, i) => i % 2 === 1)));
  for (const f of [a, b]) {
    const r = await ingestFile(f, { data, now: new Date('2026-01-20T00:00:00Z') });
    expect(r.rows_stored).toBe(rows.length / 2);
  }
  return rows;
}

/** What a reader sees: catalog files all exist, no call twice. Returns the call keys. */
export async function visibleCalls(data: string): Promise<string[]> {
  const layout = dataLayout(data);
  for (const f of readCatalog(layout).files) expect(existsSync(path.join(layout.cdrDir, f.path)), f.path).toBe(true);
  const keys = (await storedRows(data)).map((r) => `${r['provider_id']}|${r['switch_id']}|${r['call_id']}`);
  expect(new Set(keys).size, 'a row is visible twice').toBe(keys.length);
  return keys.sort();
}

export const callKey = (r: Row): string => `${r.provider_id}|${r.switch_id}|${r.call_id}`;

export function tierCounts(data: string): { hot: number; cold: number } {
  const files = readCatalog(dataLayout(data)).files;
  return { hot: files.filter((f) => f.tier === 'hot').reduce((a, f) => a + f.rows, 0), cold: files.filter((f) => f.tier === 'cold').reduce((a, f) => a + f.rows, 0) };
}

export const LEGAL = { id: 'acct-legal', user: 'u-legal' };

/** A preservation_request demand for `numbers` (XXX-XXX-XXXX) and dates MM/DD/YYYY, and its hold, made at `at`. */
export function placeHold(data: string, numbers: string[], from: string, to: string, at: Date): Promise<Preservation> {
  return withState(dataLayout(data), async (state) => {
    const body = demandBody({ legal_process: 'preservation_request', target_numbers: numbers, date_from: from, date_to: to, subject: 'Preservation letter 2703(f)' });
    const d = await intakeDemand(state, dataLayout(data), DemandInputSchema.parse(body), LEGAL, at);
    return createPreservation(state, { demand_id: d.id }, LEGAL, at);
  });
}

/**
 * The rows a hold on `numbers` (E.164) for Central days from..to (MM/DD/YYYY) covers,
 * computed here from the input rows, independently of the SQL: the number as calling,
 * called or PAI number, the call started from 00:00 CT on `from` to 00:00 CT after `to`.
 */
export function heldBy(rows: readonly Row[], numbers: readonly string[], from: string, to: string): Row[] {
  const lo = centralMidnight(usDateToIso(from)).getTime();
  const hi = centralMidnight(nextDay(usDateToIso(to))).getTime();
  return rows.filter((r) => numbers.some((n) => [r.calling_number, r.called_number, r.pai_number].includes(n)) && Date.parse(r.start_time!) >= lo && Date.parse(r.start_time!) < hi);
}
