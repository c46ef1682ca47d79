import { createReadStream, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import { thError } from '../../engine/errors.ts';

/**
 * One streaming pass over an input file before DuckDB reads it: the SHA-256 of its
 * bytes (the ingest ledger's key), a full gzip integrity check (a truncated `.gz` is
 * refused before anything is written), and the decoded head for format detection.
 * Memory stays bounded whatever the file size.
 */
export interface InputInspection {
  readonly sha256: string;
  readonly bytes: number;
  readonly gzip: boolean;
  readonly decodedBytes: number;
  /** first bytes of the decoded text, UTF-8 BOM removed */
  readonly head: string;
  readonly bom: boolean;
  readonly crlf: boolean;
}

const HEAD_BYTES = 256 * 1024;

export async function inspectInput(file: string): Promise<InputInspection> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (e) {
    throw thError('TH_INPUT_NOT_FOUND', `cannot read ${file}: ${(e as Error).message}`, { cause: e });
  }
  const hash = createHash('sha256');
  const headChunks: Buffer[] = [];
  let headLen = 0;
  let decoded = 0;
  let magic: Buffer | null = null;

  await new Promise<void>((resolve, reject) => {
    const src = createReadStream(file, { highWaterMark: 1 << 20 });
    let gunzip: ReturnType<typeof createGunzip> | null = null;
    const onDecoded = (chunk: Buffer): void => {
      decoded += chunk.length;
      if (headLen < HEAD_BYTES) {
        headChunks.push(chunk.subarray(0, HEAD_BYTES - headLen));
        headLen += Math.min(chunk.length, HEAD_BYTES - headLen);
      }
    };
    src.on('data', (chunk: string | Buffer) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      hash.update(buf);
      if (magic === null) {
        magic = buf.subarray(0, 2);
        if (magic.length === 2 && magic[0] === 0x1f && magic[1] === 0x8b) {
          gunzip = createGunzip();
          gunzip.on('data', onDecoded);
          gunzip.on('error', (e) =>
            reject(thError('TH_INPUT_GZIP', `${file}: gzip stream is corrupt or truncated (${e.message})`, { cause: e })),
          );
          gunzip.on('end', () => resolve());
        }
      }
      if (gunzip) {
        if (!gunzip.write(buf)) {
          src.pause();
          gunzip.once('drain', () => src.resume());
        }
      } else onDecoded(buf);
    });
    src.on('error', (e) => reject(thError('TH_INPUT_NOT_FOUND', `cannot read ${file}: ${e.message}`, { cause: e })));
    src.on('end', () => {
      if (gunzip) gunzip.end();
      else resolve();
    });
  });

  const gzip = magic !== null && (magic as Buffer).length === 2 && (magic as Buffer)[0] === 0x1f && (magic as Buffer)[1] === 0x8b;
  let headBuf = Buffer.concat(headChunks);
  if (decoded === 0 || headBuf.toString('utf8').trim() === '') {
    throw thError('TH_INPUT_EMPTY', `${file}: the file is empty${gzip ? ' (after gunzip)' : ''}: no header and no rows`);
  }
  const bom = headBuf[0] === 0xef && headBuf[1] === 0xbb && headBuf[2] === 0xbf;
  if (bom) headBuf = headBuf.subarray(3);
  const nul = headBuf.indexOf(0);
  if (nul >= 0) {
    throw thError('TH_INPUT_BINARY', `${file}: binary data (NUL byte at offset ${nul + (bom ? 3 : 0)}); expected CDR text (CSV, NDJSON or a switch log)`);
  }
  // Cut at the last complete line so a multi-byte character split by HEAD_BYTES is not an encoding error.
  const lastNl = headBuf.lastIndexOf(0x0a);
  const usable = decoded > headBuf.length + (bom ? 3 : 0) && lastNl > 0 ? headBuf.subarray(0, lastNl + 1) : headBuf;
  let head: string;
  try {
    head = new TextDecoder('utf-8', { fatal: true }).decode(usable);
  } catch (e) {
    throw thError('TH_INPUT_ENCODING', `${file}: not valid UTF-8 text in the first ${usable.length} bytes`, { cause: e });
  }
  const controls = head.match(/[\x01-\x08\x0e-\x1f\x7f]/g)?.length ?? 0;
  if (controls > Math.max(8, head.length / 100)) {
    throw thError('TH_INPUT_BINARY', `${file}: ${controls} control characters in the first ${head.length} characters; expected CDR text`);
  }
  return { sha256: hash.digest('hex'), bytes: size, gzip, decodedBytes: decoded, head, bom, crlf: /\r\n/.test(head) };
}
