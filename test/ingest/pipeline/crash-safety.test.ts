import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readCatalog } from '../../../engine/storage/catalog.ts';
import { dataLayout } from '../../../engine/storage/layout.ts';
import { ingestFile } from '../../../ingest/pipeline/ingest-file.ts';
import { cdrRow, csvText, storedRows, tempDir } from '../../support/cdr-fixtures.ts';
import { runCli, spawnCli } from '../../support/run-cli.ts';

const ROWS = 60_000;

function bigInput(dir: string, name: string, offset: number): string {
  const rows = Array.from({ length: ROWS }, (_, i) =>
    cdrRow(offset + i, { start_time: new Date(Date.UTC(2026, 10, 18 + (i % 3), 0, 0, 0) + i * 1000).toISOString(), answer_time: '', duration_s: '0', sip_code: '487', end_time: '' }),
  );
  // rows without end_time and duration 0: end = start; a few bad rows to exercise rejects
  rows[7] = { ...rows[7]!, called_number: 'not-a-number' };
  const f = path.join(dir, name);
  writeFileSync(f, csvText(rows));
  return f;
}

/** What a reader sees: catalog files must all exist, none temporary, no call twice. */
async function checkVisible(data: string): Promise<number> {
  const layout = dataLayout(data);
  for (const f of readCatalog(layout).files) {
    expect(existsSync(path.join(layout.cdrDir, f.path))).toBe(true);
    expect(path.basename(f.path).startsWith('.')).toBe(false);
    expect(f.path.startsWith('hot/') || f.path.startsWith('cold/')).toBe(true);
  }
  const rows = await storedRows(data);
  const ids = new Set(rows.map((r) => `${r['provider_id']}|${r['switch_id']}|${r['call_id']}`));
  expect(ids.size).toBe(rows.length);
  return rows.length;
}

describe('an ingest killed with SIGKILL at any point', () => {
  it('leaves nothing half visible, and a re-run stores exactly the input rows', async () => {
    const dir = tempDir();
    const file = bigInput(dir, 'big.csv', 0);
    // Kill points spread over start-up, reading, writing and publishing.
    const delays = fc.sample(fc.integer({ min: 300, max: 2500 }), { numRuns: 6, seed: 7 });
    for (const [k, delay] of delays.entries()) {
      const data = path.join(dir, `data-${k}`);
      const child = spawnCli(['ingest', file, '--data', data, '--now', '2026-11-24T00:00:00Z']);
      const closed = new Promise((r) => child.on('close', r));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await closed;
      const seen = await checkVisible(data);
      expect([0, ROWS - 1]).toContain(seen); // all of the ingest or none of it
      const rerun = await runCli(['ingest', file, '--data', data, '--now', '2026-11-24T00:00:00Z']);
      expect(rerun.code === 0 || rerun.code === 1).toBe(true);
      expect(await checkVisible(data)).toBe(ROWS - 1);
      const again = await ingestFile(file, { data, now: new Date('2026-11-24T00:00:00Z') });
      expect(again.status).toBe('already_ingested');
      expect(await checkVisible(data)).toBe(ROWS - 1);
      const tmp = path.join(data, 'tmp');
      expect(existsSync(tmp) ? readdirSync(tmp).filter((n) => !n.startsWith('.')) : []).toEqual([]);
    }
  }, 240_000);
});

describe('a reader running during ingests', () => {
  it('sees whole ingests only, never a partial file or a duplicate', async () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    const files = [0, 1, 2].map((k) => bigInput(dir, `f${k}.csv`, (k + 1) * 1_000_000));
    const writer = runCli(['ingest', ...files, '--data', data, '--now', '2026-11-24T00:00:00Z']);
    let done = false;
    void writer.then(() => (done = true));
    const observed = new Set<number>();
    while (!done) {
      observed.add(await checkVisible(data));
      await new Promise((r) => setTimeout(r, 50));
    }
    observed.add(await checkVisible(data));
    for (const n of observed) expect(n % (ROWS - 1)).toBe(0);
    expect(Math.max(...observed)).toBe(3 * (ROWS - 1));
  }, 240_000);
});
