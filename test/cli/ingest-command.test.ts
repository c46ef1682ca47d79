import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cdrRow, tempDir, writeCsv } from '../support/cdr-fixtures.ts';
import { REPO, runCli } from '../support/run-cli.ts';

describe('tracehop ingest', () => {
  it('exits 0 and prints a JSON summary as its last line when every row is stored', async () => {
    const dir = tempDir();
    const file = writeCsv(dir, 'a.csv', [cdrRow(1), cdrRow(2)]);
    const r = await runCli(['ingest', file, '--data', path.join(dir, 'data')]);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ ok: true, rows_in: 2, rows_stored: 2, rows_rejected: 0 });
  });

  it('exits 1 when rows were rejected, and names the rejects file', async () => {
    const r = await runCli(['ingest', path.join(REPO, 'data-samples/canonical/transit-sw1.csv'), '--data', path.join(tempDir(), 'data')]);
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ ok: false, rows_in: 5, rows_stored: 4, rows_rejected: 1 });
    expect(r.stderr).toContain('rejects');
  });

  it('exits 2 on bad usage', async () => {
    expect((await runCli(['ingest', 'x.csv'])).code).toBe(2);
    expect((await runCli(['ingest', '--data', tempDir()])).code).toBe(2);
    expect((await runCli(['ingest', 'x.csv', '--data', tempDir(), '--format', 'xml'])).code).toBe(2);
    const r = await runCli(['no-such-command']);
    expect(r.code).toBe(2);
    expect(r.json).toMatchObject({ ok: false, error: { code: 'TH_USAGE' } });
  });

  it('refuses a missing file with exit 1 and its reason', async () => {
    const r = await runCli(['ingest', '/nonexistent/cdrs.csv', '--data', tempDir()]);
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ ok: false, files: [{ status: 'refused', error: { code: 'TH_INPUT_NOT_FOUND' } }] });
  });
});
