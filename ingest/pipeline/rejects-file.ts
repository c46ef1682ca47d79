import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { DuckDBConnection } from '@duckdb/node-api';
import { all, exec } from '../../engine/db/duckdb.ts';

/**
 * Write `data/rejects/<ingest-id>.ndjson`: one line per rejected row with the file, its
 * line number, the raw line exactly as in the input, the reason code and a message
 * (DESIGN.md: "Every input row ends in a Parquet file or in data/rejects/"). Rows whose
 * reader did not carry the raw text get it from one streaming pass over the input that
 * picks out just those lines, so the valid rows never pay for it.
 */
interface RejectRow {
  line: string;
  raw: string | null;
  reason: string;
  detail: string | null;
}

const PAGE = 50_000;

export async function writeRejectsFile(con: DuckDBConnection, input: string, gzip: boolean, out: string): Promise<void> {
  await exec(
    con,
    `CREATE OR REPLACE TEMP TABLE th_rej AS SELECT src_line::BIGINT AS line, src_raw AS raw, reject_reason AS reason, reject_detail AS detail
     FROM th_stage WHERE reject_reason IS NOT NULL ORDER BY src_line`,
  );
  const total = Number((await all<{ n: string }>(con, 'SELECT count(*)::VARCHAR AS n FROM th_rej'))[0]?.n ?? 0);
  const needRaw = Number((await all<{ n: string }>(con, 'SELECT count(*)::VARCHAR AS n FROM th_rej WHERE raw IS NULL'))[0]?.n ?? 0) > 0;

  const ws = createWriteStream(out);
  const write = (s: string): Promise<void> => (ws.write(s) ? Promise.resolve() : new Promise((r) => ws.once('drain', () => r())));
  let lines: AsyncIterator<string> | null = null;
  let lineNo = 0;
  if (needRaw) {
    const src = createReadStream(input);
    const rl = createInterface({ input: gzip ? src.pipe(createGunzip()) : src, crlfDelay: Infinity });
    lines = rl[Symbol.asyncIterator]();
  }
  const lineAt = async (n: number): Promise<string | null> => {
    if (!lines) return null;
    while (lineNo < n) {
      const r = await lines.next();
      if (r.done) return null;
      lineNo++;
      if (lineNo === n) return r.value.replace(/^\uFEFF/, '');
    }
    return null;
  };
  for (let offset = 0; offset < total; offset += PAGE) {
    const page = await all<RejectRow>(con, `SELECT line::VARCHAR AS line, raw, reason, detail FROM th_rej WHERE rowid >= $a AND rowid < $b ORDER BY rowid`, {
      a: offset,
      b: offset + PAGE,
    });
    const chunk: string[] = [];
    for (const r of page) {
      const line = Number(r.line);
      const raw = r.raw ?? (await lineAt(line));
      chunk.push(JSON.stringify({ file: input, line, raw, reason: r.reason, detail: r.detail }));
    }
    await write(chunk.join('\n') + '\n');
  }
  await new Promise<void>((resolve, reject) => ws.end((e?: Error | null) => (e ? reject(e) : resolve())));
}
