import { existsSync, mkdirSync, readdirSync, renameSync, statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../engine/storage/atomic-file.ts';
import { ingestFile, type IngestRequest, type IngestSummary } from '../pipeline/ingest-file.ts';

/**
 * `tracehop watch SPOOL`: ingest CDR files as switches drop them (issue 3 item 6).
 *
 * A file is taken once complete: either it was renamed into the spool (the usual
 * switch hand-off: write `name.tmp`/`.name`, then rename) or its size and mtime have
 * not changed for `stableMs`. Names starting with `.` or ending in .tmp/.part/.partial
 * are never taken. After ingest the file moves to `done/` (or `failed/` with a
 * `.reason.json`). A crash between ingest and move is harmless: on restart the file is
 * ingested again, the ledger answers `already_ingested`, and it moves to done/ — never
 * lost, never counted twice.
 */
export interface SpoolOptions {
  readonly spool: string;
  readonly ingest: IngestRequest;
  readonly stableMs?: number;
  readonly pollMs?: number;
  readonly onResult?: (file: string, result: IngestSummary, movedTo: string) => void;
}

const SKIP = /(^\.)|(\.(tmp|part|partial|swp)$)/i;

interface Seen {
  size: number;
  mtimeMs: number;
  since: number;
}

export class SpoolWatcher {
  private readonly seen = new Map<string, Seen>();
  private readonly doneDir: string;
  private readonly failedDir: string;
  private busy: Promise<number> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private watcher: FSWatcher | null = null;

  constructor(private readonly opts: SpoolOptions) {
    this.doneDir = path.join(opts.spool, 'done');
    this.failedDir = path.join(opts.spool, 'failed');
    mkdirSync(this.doneDir, { recursive: true });
    mkdirSync(this.failedDir, { recursive: true });
  }

  /** Files that are complete now, oldest first. */
  completeFiles(now = Date.now()): string[] {
    const stableMs = this.opts.stableMs ?? 2000;
    const ready: { file: string; mtime: number }[] = [];
    const present = new Set<string>();
    for (const name of readdirSync(this.opts.spool)) {
      if (SKIP.test(name)) continue;
      const file = path.join(this.opts.spool, name);
      let st;
      try {
        st = statSync(file);
      } catch {
        continue; // vanished between readdir and stat
      }
      if (!st.isFile()) continue;
      present.add(file);
      const prev = this.seen.get(file);
      if (!prev || prev.size !== st.size || prev.mtimeMs !== st.mtimeMs) {
        this.seen.set(file, { size: st.size, mtimeMs: st.mtimeMs, since: now });
        // Untouched for stableMs already (e.g. present at start-up or renamed in whole).
        if (stableMs === 0 || now - st.mtimeMs >= stableMs) ready.push({ file, mtime: st.mtimeMs });
        continue;
      }
      if (now - prev.since >= stableMs || now - st.mtimeMs >= stableMs) ready.push({ file, mtime: st.mtimeMs });
    }
    for (const f of this.seen.keys()) if (!present.has(f)) this.seen.delete(f);
    return ready.sort((a, b) => a.mtime - b.mtime || a.file.localeCompare(b.file)).map((r) => r.file);
  }

  /** Ingest every complete file once; returns how many were handled. */
  async scan(): Promise<number> {
    if (this.busy) return this.busy;
    this.busy = (async () => {
      let n = 0;
      for (const file of this.completeFiles()) {
        const result = await ingestFile(file, this.opts.ingest);
        const target = this.moveAside(file, result);
        this.seen.delete(file);
        this.opts.onResult?.(file, result, target);
        n++;
      }
      return n;
    })();
    try {
      return await this.busy;
    } finally {
      this.busy = null;
    }
  }

  private moveAside(file: string, result: IngestSummary): string {
    const refused = result.status === 'refused';
    const dir = refused ? this.failedDir : this.doneDir;
    let target = path.join(dir, path.basename(file));
    if (existsSync(target)) target = path.join(dir, `${path.basename(file)}.${result.ingest_id ?? Date.now()}`);
    if (refused) writeFileAtomic(`${target}.reason.json`, JSON.stringify(result.error, null, 1));
    renameSync(file, target);
    return target;
  }

  /** Run until stop(): react to directory events, and poll for size-stable files. */
  start(): void {
    const tick = (): void => {
      this.scan().catch((e: unknown) => process.stderr.write(`watch: ${(e as Error).message}\n`));
    };
    try {
      this.watcher = watch(this.opts.spool, { persistent: true }, () => tick());
    } catch {
      this.watcher = null; // some file systems have no inotify; polling still works
    }
    this.timer = setInterval(tick, this.opts.pollMs ?? 1000);
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.watcher?.close();
    if (this.busy) await this.busy;
  }
}
