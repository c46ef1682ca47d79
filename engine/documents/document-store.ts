import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DataLayout } from '../storage/layout.ts';

/**
 * Legal documents (demands, protective orders, intercept authorizations) kept by content:
 * data/documents/<sha256>, mode 0600 in a 0700 directory. Written to a temporary name,
 * fsynced, renamed and the directory fsynced, so a crash never leaves half a document under
 * its hash and an acknowledged demand's document is on disk. Asynchronous: the fsyncs run on
 * the libuv pool, not on the event loop that serves other requests. The same document
 * stored twice is one file.
 */
export const documentsDir = (layout: DataLayout): string => path.join(layout.root, 'documents');

/** Store base64 `content`; resolves to its SHA-256 (hex), the document's name. */
export async function storeDocument(layout: DataLayout, content: string): Promise<string> {
  const bytes = Buffer.from(content, 'base64');
  const sha = createHash('sha256').update(bytes).digest('hex');
  const dir = documentsDir(layout);
  const f = path.join(dir, sha);
  if (existsSync(f)) return sha;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.tmp-${sha}-${process.pid}-${randomBytes(4).toString('hex')}`);
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  await rename(tmp, f);
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } catch {
    // some file systems refuse fsync on a directory; the rename is still atomic
  } finally {
    await d.close();
  }
  return sha;
}
