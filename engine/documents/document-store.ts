import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../storage/atomic-file.ts';
import type { DataLayout } from '../storage/layout.ts';

/**
 * Legal documents (demands, protective orders, intercept authorizations) kept by content:
 * data/documents/<sha256>, mode 0600 in a 0700 directory, written by rename so a crash never
 * leaves half a document under its hash. The same document stored twice is one file.
 */
export const documentsDir = (layout: DataLayout): string => path.join(layout.root, 'documents');

/** Store base64 `content`; returns its SHA-256 (hex), the document's name. */
export function storeDocument(layout: DataLayout, content: string): string {
  const bytes = Buffer.from(content, 'base64');
  const sha = createHash('sha256').update(bytes).digest('hex');
  const dir = documentsDir(layout);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const f = path.join(dir, sha);
  if (!existsSync(f)) writeFileAtomic(f, bytes, 0o600);
  return sha;
}
