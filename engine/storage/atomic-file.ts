import { closeSync, fsyncSync, openSync, renameSync, writeSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Write a file so that readers see the old content or the new, never a part
 * (DESIGN.md: "A Parquet file becomes visible only by rename from a temporary name").
 * The temporary name starts with `.tmp-`, which no reader's file list includes.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o644): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.tmp-${path.basename(file)}-${process.pid}-${randomBytes(4).toString('hex')}`);
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

/** Make a rename durable: fsync the directory that holds the entry. */
export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic.
  }
}

/** Publish a finished file from the work area under its final name (same file system). */
export function publishFile(tmpFile: string, finalFile: string): void {
  mkdirSync(path.dirname(finalFile), { recursive: true });
  const fd = openSync(tmpFile, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmpFile, finalFile);
  fsyncDir(path.dirname(finalFile));
}
