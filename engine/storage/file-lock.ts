import { mkdirSync, openSync, closeSync, writeSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { thError } from '../errors.ts';

/**
 * A cross-process lock file (`O_CREAT|O_EXCL`) holding the owner's pid. It survives a
 * crash: a lock whose pid is no longer alive is stale and taken over, so a SIGKILLed
 * ingest or lifecycle job never blocks the next run.
 */
export interface FileLock {
  readonly file: string;
  release(): void;
}

const alive = (pid: number): boolean => {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

function tryAcquire(file: string): FileLock | null {
  try {
    const fd = openSync(file, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    let held = true;
    return {
      file,
      release() {
        if (held) {
          held = false;
          rmSync(file, { force: true });
        }
      },
    };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    let pid = NaN;
    try {
      pid = Number(readFileSync(file, 'utf8').trim());
    } catch {
      return null; // being released right now; retry
    }
    if (pid === process.pid) return null; // held by this process: wait like anyone else
    if (!alive(pid)) rmSync(file, { force: true }); // stale: its owner crashed
    return null;
  }
}

/** Acquire `dir/name.lock`, waiting up to `timeoutMs` (0 = fail at once). */
export async function acquireLock(dir: string, name: string, timeoutMs = 30_000): Promise<FileLock> {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.lock`);
  const deadline = Date.now() + timeoutMs;
  for (let wait = 5; ; wait = Math.min(wait * 2, 200)) {
    // a stale lock is removed by the first try; the second then takes it at once
    const lock = tryAcquire(file) ?? tryAcquire(file);
    if (lock) return lock;
    if (Date.now() >= deadline) throw thError('TH_STORAGE_LOCKED', `lock ${name} is held by another process (${file})`);
    await new Promise((r) => setTimeout(r, wait));
  }
}

export async function withLock<T>(dir: string, name: string, fn: () => Promise<T>, timeoutMs?: number): Promise<T> {
  const lock = await acquireLock(dir, name, timeoutMs);
  try {
    return await fn();
  } finally {
    lock.release();
  }
}
