import { existsSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpoolWatcher } from '../../../ingest/spool/spool-watcher.ts';
import { cdrRow, csvText, storedRows, tempDir } from '../../support/cdr-fixtures.ts';
import { runCli } from '../../support/run-cli.ts';

const NOW = new Date('2026-11-24T00:00:00Z');

describe('the spool watcher', () => {
  it('takes a file renamed in, moves it to done/, and a bad one to failed/ with its reason', async () => {
    const dir = tempDir();
    const spool = path.join(dir, 'spool');
    const data = path.join(dir, 'data');
    const w = new SpoolWatcher({ spool, ingest: { data, now: NOW }, stableMs: 0 });
    writeFileSync(path.join(spool, '.a.csv.tmp'), csvText([cdrRow(1), cdrRow(2)]));
    expect(await w.scan()).toBe(0); // a temporary name is never taken
    renameSync(path.join(spool, '.a.csv.tmp'), path.join(spool, 'a.csv'));
    writeFileSync(path.join(spool, 'b.csv'), '');
    expect(await w.scan()).toBe(2);
    expect(readdirSync(path.join(spool, 'done'))).toEqual(['a.csv']);
    expect(readdirSync(path.join(spool, 'failed')).sort()).toEqual(['b.csv', 'b.csv.reason.json']);
    expect(await storedRows(data)).toHaveLength(2);
  });

  it('waits until a growing file is stable', async () => {
    const dir = tempDir();
    const spool = path.join(dir, 'spool');
    const w = new SpoolWatcher({ spool, ingest: { data: path.join(dir, 'data'), now: NOW }, stableMs: 60_000 });
    writeFileSync(path.join(spool, 'growing.csv'), csvText([cdrRow(1)]));
    expect(w.completeFiles()).toEqual([]);
    expect(w.completeFiles(Date.now() + 61_000)).toEqual([path.join(spool, 'growing.csv')]);
  });

  it('never double-ingests a file left in the spool by a crash after its ingest', async () => {
    const dir = tempDir();
    const spool = path.join(dir, 'spool');
    const data = path.join(dir, 'data');
    const w = new SpoolWatcher({ spool, ingest: { data, now: NOW }, stableMs: 0 });
    writeFileSync(path.join(spool, 'a.csv'), csvText([cdrRow(1), cdrRow(2), cdrRow(3)]));
    await w.scan();
    // the switch drops the same file again (as if the move to done/ had not happened)
    writeFileSync(path.join(spool, 'a.csv'), csvText([cdrRow(1), cdrRow(2), cdrRow(3)]));
    const again = new SpoolWatcher({ spool, ingest: { data, now: NOW }, stableMs: 0 });
    await again.scan();
    expect(await storedRows(data)).toHaveLength(3);
    expect(readdirSync(path.join(spool, 'done')).length).toBe(2);
    expect(existsSync(path.join(spool, 'a.csv'))).toBe(false);
  });

  it('runs from the CLI with --once and prints a JSON summary', async () => {
    const dir = tempDir();
    const spool = path.join(dir, 'spool');
    const data = path.join(dir, 'data');
    await runCli(['watch', spool, '--data', data, '--once']);
    writeFileSync(path.join(spool, 'x.csv'), csvText([cdrRow(1)]));
    const r = await runCli(['watch', spool, '--data', data, '--once', '--stable-ms', '0']);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ ok: true, files: 1, ingested: 1, rows_stored: 1 });
  });
});
