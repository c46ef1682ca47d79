import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compactHotDays, RETIRE_GRACE_MS } from '../../../engine/storage/compact-day.ts';
import { readCatalog } from '../../../engine/storage/catalog.ts';
import { dataLayout } from '../../../engine/storage/layout.ts';
import { withState } from '../../../engine/state/state-store.ts';
import { ingestFile } from '../../../ingest/pipeline/ingest-file.ts';
import { cdrRow, storedRows, tempDir, writeCsv } from '../../support/cdr-fixtures.ts';
import { runCli, spawnCli } from '../../support/run-cli.ts';

const NOW = new Date('2026-11-24T00:00:00Z');

async function smallIngests(dir: string, data: string, n: number, per = 50): Promise<string[]> {
  const files: string[] = [];
  for (let k = 0; k < n; k++) {
    const f = writeCsv(dir, `f${k}.csv`, Array.from({ length: per }, (_, i) => cdrRow(k * 1000 + i)));
    await ingestFile(f, { data, now: NOW });
    files.push(f);
  }
  return files;
}

describe('compaction of small hot files', () => {
  it('merges a day’s small files into one sorted file with the same rows', async () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    const layout = dataLayout(data);
    await smallIngests(dir, data, 5);
    const before = await storedRows(data);
    const oldPaths = readCatalog(layout).files.map((f) => f.path);
    expect(oldPaths).toHaveLength(5);
    const r = await compactHotDays(layout, { minFiles: 4 });
    expect(r.compacted).toMatchObject([{ day: '2026-11-20', inputs: 5, rows: 250 }]);
    const cat = readCatalog(layout);
    expect(cat.files).toHaveLength(1);
    expect(cat.files[0]!.ingest_ids).toHaveLength(5);
    expect(await storedRows(data)).toEqual(before);
    // the inputs are retired, deleted only after the grace period
    expect(cat.retired.map((x) => x.path).sort()).toEqual([...oldPaths].sort());
    expect(oldPaths.every((p) => existsSync(path.join(layout.cdrDir, p)))).toBe(true);
    const later = await compactHotDays(layout, { now: new Date(Date.now() + RETIRE_GRACE_MS + 1000) });
    expect(later.deleted.sort()).toEqual([...oldPaths].sort());
    expect(oldPaths.some((p) => existsSync(path.join(layout.cdrDir, p)))).toBe(false);
    expect(readCatalog(layout).retired).toEqual([]);
  });

  it('leaves days with few files alone', async () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    await smallIngests(dir, data, 2);
    expect((await compactHotDays(dataLayout(data), { minFiles: 4 })).compacted).toEqual([]);
  });

  it('keeps re-ingest a no-op after compaction, even when the ledger row was lost in a crash', async () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    const layout = dataLayout(data);
    const files = await smallIngests(dir, data, 4);
    await compactHotDays(layout, { minFiles: 4 });
    // a crash between the catalog swap and the ledger insert leaves no ledger row
    await withState(layout, (s) => s.exec("DELETE FROM ingest_ledger WHERE source_name = 'f2.csv'"));
    for (const f of files) expect((await ingestFile(f, { data, now: NOW })).status).toBe('already_ingested');
    expect(await storedRows(data)).toHaveLength(200);
  });
});

describe('a reader running during compaction', () => {
  it('never sees a row twice or a row missing', async () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    await smallIngests(dir, data, 8, 500);
    const total = 8 * 500;
    const job = spawnCli(['compact', '--data', data, '--min-files', '2']);
    let done = false;
    job.on('close', () => (done = true));
    let reads = 0;
    while (!done || reads === 0) {
      const rows = await storedRows(data);
      const ids = new Set(rows.map((r) => r['call_id']));
      expect(rows.length).toBe(total);
      expect(ids.size).toBe(total);
      reads++;
    }
    expect(readCatalog(dataLayout(data)).files).toHaveLength(1);
    const again = await runCli(['compact', '--data', data]);
    expect(again.json).toMatchObject({ ok: true, compacted: [] });
  });
});
