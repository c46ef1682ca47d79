import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { archiveFeesFile, DEFAULT_ARCHIVE_FEES, loadArchiveFees, quoteArchiveJob } from '../../../engine/archive/archive-fees.ts';
import { monthsOf } from '../../../engine/archive/archive-months.ts';
import { archiveJobDir, archivePartFile } from '../../../engine/archive/archive-paths.ts';
import { dataLayout } from '../../../engine/storage/layout.ts';
import { tempDir } from '../../support/cdr-fixtures.ts';

describe('the archive fee table', () => {
  it('charges $150 plus $40 per month searched by default, in cents', () => {
    expect(quoteArchiveJob(1)).toMatchObject({ total_cents: 19_000, individual_case_basis: false });
    expect(quoteArchiveJob(12)).toMatchObject({ total_cents: 63_000, individual_case_basis: false });
  });

  it('quotes more than 12 months on an individual case basis, with no total', () => {
    expect(quoteArchiveJob(13)).toMatchObject({ months: 13, total_cents: null, individual_case_basis: true });
  });

  it('reads the carrier’s table from data/config/archive-fees.json, defaults otherwise', () => {
    const layout = dataLayout(path.join(tempDir('fees-'), 'data'));
    expect(loadArchiveFees(layout)).toEqual(DEFAULT_ARCHIVE_FEES);
    mkdirSync(path.dirname(archiveFeesFile(layout)), { recursive: true });
    writeFileSync(archiveFeesFile(layout), JSON.stringify({ base_cents: 1, per_month_cents: 2, icb_above_months: 3 }));
    expect(loadArchiveFees(layout)).toEqual({ currency: 'USD', base_cents: 1, per_month_cents: 2, icb_above_months: 3, due_business_days: 15 });
  });

  it('refuses a table that promises fewer than 15 business days, naming the field', () => {
    const layout = dataLayout(path.join(tempDir('fees-'), 'data'));
    mkdirSync(path.dirname(archiveFeesFile(layout)), { recursive: true });
    writeFileSync(archiveFeesFile(layout), JSON.stringify({ base_cents: 1, per_month_cents: 2, icb_above_months: 3, due_business_days: 10 }));
    expect(() => loadArchiveFees(layout)).toThrow(expect.objectContaining({ code: 'TH_CONFIG', details: [expect.objectContaining({ path: 'due_business_days' })] }));
    writeFileSync(archiveFeesFile(layout), '{not json');
    expect(() => loadArchiveFees(layout)).toThrow(expect.objectContaining({ code: 'TH_CONFIG' }));
  });
});

describe('the months of a range', () => {
  it('clips the first and last month to the range and crosses a year end', () => {
    expect(monthsOf('2025-12-15', '2026-02-03')).toEqual([
      { month: '2025-12', from: '2025-12-15', to: '2025-12-31' },
      { month: '2026-01', from: '2026-01-01', to: '2026-01-31' },
      { month: '2026-02', from: '2026-02-01', to: '2026-02-03' },
    ]);
    expect(monthsOf('2024-02-10', '2024-02-29')).toEqual([{ month: '2024-02', from: '2024-02-10', to: '2024-02-29' }]);
  });

  it('covers every day of any range exactly once, in order (property)', () => {
    const day = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }).map((ms) => new Date(ms).toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 800 }), (from, span) => {
        const to = new Date(Date.parse(`${from}T00:00:00Z`) + span * 86_400_000).toISOString().slice(0, 10);
        const slices = monthsOf(from, to);
        let days = 0;
        let expectNext = from;
        for (const s of slices) {
          expect(s.from).toBe(expectNext);
          expect(s.from.slice(0, 7)).toBe(s.month);
          expect(s.to.slice(0, 7)).toBe(s.month);
          days += (Date.parse(s.to) - Date.parse(s.from)) / 86_400_000 + 1;
          expectNext = new Date(Date.parse(`${s.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
        }
        expect(slices.at(-1)!.to).toBe(to);
        expect(days).toBe(span + 1);
      }),
    );
  });
});

describe('archive job paths', () => {
  it('accept only a UUID job id and a YYYY-MM month, and stay under data/archive-jobs', () => {
    const layout = dataLayout('/srv/tracehop/data');
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(archivePartFile(layout, id, '2026-03')).toBe(`/srv/tracehop/data/archive-jobs/${id}/parts/2026-03.parquet`);
    for (const bad of ['../../etc', `${id}/..`, '', 'A0F8FAD5B-D9CB-469F-A165-70867728950E']) expect(() => archiveJobDir(layout, bad)).toThrow(/bad archive job id/);
    expect(() => archivePartFile(layout, id, '2026-3/../../x')).toThrow(/bad month/);
  });
});
