import cron from 'node-cron';
import { openState } from '../state/state-store.ts';
import type { DataLayout } from '../storage/layout.ts';
import { runLifecycle, type LifecycleRunResult } from './lifecycle-run.ts';

/**
 * The nightly lifecycle job inside `tracehop serve` (node-cron). `noOverlap` keeps one
 * run per process; the `lifecycle` lock file keeps one run across processes (a
 * `tracehop lifecycle run` started by hand while the server's job runs waits its turn
 * or, here, is skipped and logged).
 */
export const DEFAULT_LIFECYCLE_CRON = process.env['TRACEHOP_LIFECYCLE_CRON'] ?? '17 2 * * *';

export function scheduleLifecycle(layout: DataLayout, onRun: (r: LifecycleRunResult | Error) => void, expression = DEFAULT_LIFECYCLE_CRON): { stop(): Promise<void> } {
  const task = cron.schedule(
    expression,
    async () => {
      const state = await openState(layout);
      try {
        onRun(await runLifecycle(layout, state, { trigger: 'cron' }));
      } catch (e) {
        onRun(e as Error);
      } finally {
        state.close();
      }
    },
    { noOverlap: true, name: 'lifecycle', timezone: 'America/Chicago' },
  );
  return {
    async stop() {
      await task.stop();
    },
  };
}
