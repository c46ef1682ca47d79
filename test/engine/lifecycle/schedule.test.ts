import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LifecycleRunResult } from '../../../engine/lifecycle/lifecycle-run.ts';
import { scheduleLifecycle } from '../../../engine/lifecycle/lifecycle-schedule.ts';
import { dataLayout } from '../../../engine/storage/layout.ts';
import { tempDir } from '../../support/cdr-fixtures.ts';

describe('the scheduled lifecycle job (node-cron, as serve runs it)', () => {
  it('runs on its schedule, logs the run, and stops', async () => {
    const layout = dataLayout(path.join(tempDir('sched-'), 'data'));
    const runs: (LifecycleRunResult | Error)[] = [];
    const job = scheduleLifecycle(layout, (r) => runs.push(r), '* * * * * *'); // every second
    try {
      for (let i = 0; i < 100 && runs.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await job.stop();
    }
    expect(runs.length).toBeGreaterThan(0);
    const first = runs[0] as LifecycleRunResult;
    expect(first).toMatchObject({ status: 'done', tiered: [], retained: [] });
    expect(first.id).toMatch(/^LR-\d{8}-[0-9A-F]{8}$/);
  });
});
