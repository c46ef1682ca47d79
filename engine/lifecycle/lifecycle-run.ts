import { randomBytes } from 'node:crypto';
import { appendAudit } from '../audit/audit-log.ts';
import { withDuck } from '../db/duckdb.ts';
import { activeHoldScopes, holdReminders } from '../preservations/preservation-service.ts';
import type { StateStore } from '../state/state-store.ts';
import { compactHotDays, deleteRetired, type CompactionResult } from '../storage/compact-day.ts';
import { withLock } from '../storage/file-lock.ts';
import type { DataLayout } from '../storage/layout.ts';
import { applyRetention, type RetentionOutcome } from './apply-retention.ts';
import { crashPoint } from './crash-point.ts';
import { lifecycleConfig, type LifecycleConfig } from './lifecycle-config.ts';
import { sweepOrphans, tierHotDays, type TieredDay } from './tier-hot-days.ts';

/**
 * One lifecycle run (issue 7 item 1): under the `lifecycle` lock (a pid lock file that a
 * crashed run does not leave held), in this order:
 *   1. delete files retired by earlier swaps once their grace period is over, and sweep
 *      files a crashed run published but never swapped in;
 *   2. compact small hot files (engine/storage/compact-day.ts);
 *   3. tier hot days older than the hot window to the cold archive, verified;
 *   4. retention: cold rows older than the retention period go, unless a hold covers them;
 *   5. hold expiry reminders.
 * Every run is logged in `lifecycle_runs` with what moved, what was deleted and what a
 * hold kept; a run that died is marked `interrupted` by the next one.
 */
export interface LifecycleRunResult {
  readonly id: string;
  readonly status: 'done' | 'failed';
  readonly clock_at: string;
  readonly hot_days: number;
  readonly retention_months: number;
  readonly tiered: TieredDay[];
  readonly retained: RetentionOutcome[];
  readonly compacted: CompactionResult[];
  readonly purged: string[];
  readonly reminders: { id: string; demand_id: string; expires_at: string }[];
  readonly interrupted_runs: string[];
  readonly error?: { code: string; message: string };
}

export interface LifecycleRunOptions {
  readonly now?: Date;
  readonly trigger?: 'cli' | 'cron' | 'api' | 'test';
  readonly config?: Partial<LifecycleConfig>;
  /** wait this long for another run's lock (0: give up at once) */
  readonly lockTimeoutMs?: number;
}

export async function runLifecycle(layout: DataLayout, state: StateStore, opts: LifecycleRunOptions = {}): Promise<LifecycleRunResult> {
  const cfg = lifecycleConfig(opts.config);
  const now = opts.now ?? new Date();
  return withLock(
    layout.locksDir,
    'lifecycle',
    async () => {
      const id = `LR-${now.toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(4).toString('hex').toUpperCase()}`;
      // A 'running' row left behind belongs to a run that died: we hold the lock now.
      const stale = await state.all<{ id: string }>(`SELECT id FROM lifecycle_runs WHERE status = 'running'`);
      if (stale.length > 0) await state.exec(`UPDATE lifecycle_runs SET status = 'interrupted', finished_at = now() WHERE status = 'running'`);
      await state.exec(
        `INSERT INTO lifecycle_runs (id, started_at, clock_at, trigger, pid, status, hot_days, retention_months) VALUES ($id, now(), $clock::TIMESTAMPTZ, $trigger, $pid, 'running', $hot, $ret)`,
        { id, clock: now.toISOString(), trigger: opts.trigger ?? 'cli', pid: process.pid, hot: cfg.hotDays, ret: cfg.retentionMonths },
      );
      const log = { tiered: [] as TieredDay[], retained: [] as RetentionOutcome[], compacted: [] as CompactionResult[], purged: [] as string[] };
      let reminders: LifecycleRunResult['reminders'] = [];
      let error: LifecycleRunResult['error'];
      try {
        // Grace for retired files is counted on the real clock: it protects real readers.
        log.purged.push(...(await deleteRetired(layout, new Date(), cfg.retireGraceMs)), ...sweepOrphans(layout));
        crashPoint('run:purged');
        log.compacted.push(...(await compactHotDays(layout, { now: new Date() })).compacted);
        crashPoint('run:compacted');
        await withDuck({ memoryLimit: '600MB', threads: 2, tempDirectory: layout.tmpDir }, async (con) => {
          log.tiered.push(...(await tierHotDays(con, layout, cfg, now)));
          crashPoint('run:tiered');
          log.retained.push(...(await applyRetention(con, layout, cfg, now, await activeHoldScopes(state, now))));
        });
        reminders = (await holdReminders(state, now)).map((p) => ({ id: p.id, demand_id: p.demand_id, expires_at: p.expires_at }));
      } catch (e) {
        const x = e as { code?: string; message: string };
        error = { code: x.code ?? 'TH_INTERNAL', message: x.message };
      }
      await state.exec(
        `UPDATE lifecycle_runs SET finished_at = now(), status = $status, tiered = $tiered, retained = $retained, compacted = $compacted, purged = $purged, error = $error WHERE id = $id`,
        {
          id,
          status: error ? 'failed' : 'done',
          tiered: JSON.stringify(log.tiered),
          retained: JSON.stringify(log.retained),
          compacted: JSON.stringify(log.compacted),
          purged: JSON.stringify(log.purged),
          error: error ? JSON.stringify(error) : null,
        },
      );
      // the audit log too: tiering and retention change call data (carrier policy: every access)
      await appendAudit(state, {
        actor: 'tracehop-lifecycle',
        role: 'system',
        action: 'lifecycle_run',
        resource: 'cdr',
        resource_ids: [id, ...log.retained.map((x) => x.file)],
        outcome: error ? 'error' : 'ok',
        at: new Date(),
        detail: {
          clock_at: now.toISOString(),
          trigger: opts.trigger ?? 'cli',
          days_tiered: log.tiered.map((t) => t.day),
          rows_tiered: log.tiered.reduce((a, t) => a + t.rows, 0),
          rows_deleted: log.retained.reduce((a, x) => a + x.rows_deleted, 0),
          rows_kept_by_holds: log.retained.reduce((a, x) => a + x.rows_held, 0),
          holds: [...new Set(log.retained.flatMap((x) => x.holds ?? []))],
          reminders: reminders.map((r) => r.id),
          ...(error ? { error } : {}),
        },
      });
      return { id, status: error ? 'failed' : 'done', clock_at: now.toISOString(), hot_days: cfg.hotDays, retention_months: cfg.retentionMonths, ...log, reminders, interrupted_runs: stale.map((s) => s.id), ...(error ? { error } : {}) };
    },
    opts.lockTimeoutMs ?? 0,
  );
}

export async function listLifecycleRuns(state: StateStore, limit = 50): Promise<Record<string, unknown>[]> {
  const rows = await state.all<Record<string, string | null>>(
    `SELECT id, started_at::VARCHAR AS started_at, finished_at::VARCHAR AS finished_at, clock_at::VARCHAR AS clock_at, trigger, status, tiered, retained, compacted, purged, error
     FROM lifecycle_runs ORDER BY started_at DESC LIMIT $limit`,
    { limit },
  );
  return rows.map((r) => ({ ...r, tiered: JSON.parse(r['tiered'] ?? '[]'), retained: JSON.parse(r['retained'] ?? '[]'), compacted: JSON.parse(r['compacted'] ?? '[]'), purged: JSON.parse(r['purged'] ?? '[]'), error: r['error'] ? JSON.parse(r['error']) : null }));
}
