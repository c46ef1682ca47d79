import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ingestFile, type IngestRequest } from '../../../ingest/pipeline/ingest-file.ts';
import { READERS } from '../../../ingest/readers/registry.ts';
import type { CdrReader } from '../../../ingest/readers/reader.ts';
import { storedRows, tempDir } from '../../support/cdr-fixtures.ts';
import { REPO } from '../../support/run-cli.ts';

/**
 * The contract every CDR reader passes (after hono's router/common.case.test.ts): run it
 * from one test file per reader with that reader's sample and options.
 */
export interface ReaderContractCase {
  readonly reader: CdrReader;
  /** sample file, relative to the repository */
  readonly sample: string;
  readonly options: Omit<IngestRequest, 'data'>;
  /** a line that this format cannot parse into a call record */
  readonly garbageLine: string;
}

const NOW = new Date('2026-11-24T00:00:00Z');

const ingestCopy = async (text: string | Buffer, name: string, c: ReaderContractCase) => {
  const dir = tempDir();
  const file = path.join(dir, name);
  writeFileSync(file, text);
  const data = path.join(dir, 'data');
  const summary = await ingestFile(file, { data, now: NOW, ...c.options });
  return { summary, rows: await storedRows(data), file };
};

const comparable = (rows: Record<string, unknown>[]) => rows.map(({ ingest_id: _i, ...r }) => r);

export function runReaderContract(c: ReaderContractCase): void {
  const text = readFileSync(path.join(REPO, c.sample), 'utf8');
  const name = path.basename(c.sample);

  it('accounts for every row: rows in = rows stored + rows rejected', async () => {
    const { summary } = await ingestCopy(text, name, c);
    expect(summary.status).toBe('ingested');
    expect(summary.format).toBe(c.reader.format);
    expect(summary.rows_in).toBe(summary.rows_stored + summary.rows_rejected);
    expect(summary.rows_stored).toBeGreaterThan(0);
  });

  it('gives each rejected row its own line number and the line exactly as in the file', async () => {
    const { summary } = await ingestCopy(text, name, c);
    const lines = text.split('\n');
    const rejects = summary.rejects_file
      ? readFileSync(summary.rejects_file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { line: number; raw: string; reason: string })
      : [];
    expect(new Set(rejects.map((r) => r.line)).size).toBe(rejects.length);
    for (const r of rejects) {
      expect(r.line).toBeGreaterThanOrEqual(1);
      expect(r.raw).toBe(lines[r.line - 1]!.replace(/\r$/, ''));
      expect(r.reason).toMatch(/^[a-z_]+$/);
    }
  });

  it('rejects a garbage line with its line number and keeps every other row', async () => {
    const base = await ingestCopy(text, name, c);
    const lines = text.trimEnd().split('\n');
    const at = Math.min(2, lines.length);
    const withGarbage = [...lines.slice(0, at), c.garbageLine, ...lines.slice(at)].join('\n') + '\n';
    const { summary, rows } = await ingestCopy(withGarbage, name, c);
    expect(summary.rows_in).toBe(base.summary.rows_in + 1);
    expect(summary.rows_rejected).toBe(base.summary.rows_rejected + 1);
    const rejects = readFileSync(summary.rejects_file!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { line: number; raw: string });
    expect(rejects.find((r) => r.line === at + 1)?.raw).toBe(c.garbageLine);
    expect(comparable(rows)).toEqual(comparable(base.rows));
  });

  it('reads CRLF line ends and a UTF-8 BOM like LF', async () => {
    const base = await ingestCopy(text, name, c);
    const crlf = await ingestCopy('\uFEFF' + text.replace(/\r?\n/g, '\r\n'), name, c);
    expect(comparable(crlf.rows)).toEqual(comparable(base.rows));
    expect(crlf.summary.rows_rejected).toBe(base.summary.rows_rejected);
  });

  it('reads the gzip copy like the plain file', async () => {
    const base = await ingestCopy(text, name, c);
    const gz = await ingestCopy(gzipSync(text), `${name}.gz`, c);
    expect(comparable(gz.rows)).toEqual(comparable(base.rows));
  });

  it('is recognised by --format auto, and no other reader claims its sample', async () => {
    expect(c.reader.sniff(text.slice(0, 65536), name)).toBe(true);
    const claims = READERS.filter((r) => r.sniff(text.slice(0, 65536), name)).map((r) => r.format);
    expect(claims[0]).toBe(c.reader.format);
  });
}
