import { runLifecycle, listLifecycleRuns } from '../../engine/lifecycle/lifecycle-run.ts';
import { openState } from '../../engine/state/state-store.ts';
import { dataLayout } from '../../engine/storage/layout.ts';
import { parseCommandArgs, printResult, requireOption, say, UsageError } from '../output.ts';

/**
 * tracehop lifecycle run --data DIR [--now ISO] [--hot-days N] [--retention-months N] [--wait SECONDS]
 *   tiering (hot -> cold after the hot window), compaction, retention (holds respected), once.
 * tracehop lifecycle runs --data DIR [--limit N]
 *   the run log: what each run moved, deleted and kept because of a hold.
 * Exit 0 done, 1 the run failed (nothing lost: see the error), 2 bad usage.
 */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values } = parseCommandArgs(
    rest,
    { data: { type: 'string' }, now: { type: 'string' }, 'hot-days': { type: 'string' }, 'retention-months': { type: 'string' }, wait: { type: 'string', default: '0' }, limit: { type: 'string', default: '20' } },
    false,
  );
  const layout = dataLayout(requireOption(values.data, 'data'));
  const int = (v: string | undefined, name: string, min: number): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} takes a whole number of at least ${min}`);
    return n;
  };
  if (sub === 'runs') {
    const state = await openState(layout);
    try {
      printResult({ ok: true, runs: await listLifecycleRuns(state, int(values.limit, 'limit', 1)) });
    } finally {
      state.close();
    }
    return 0;
  }
  if (sub !== 'run') throw new UsageError('usage: tracehop lifecycle run|runs --data DIR [--now ISO]');
  let now: Date | undefined;
  if (values.now !== undefined) {
    now = new Date(values.now);
    if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(values.now) || Number.isNaN(now.getTime())) throw new UsageError(`--now takes an ISO-8601 date or instant, not '${values.now}'`);
  }
  const hotDays = int(values['hot-days'], 'hot-days', 1);
  const retentionMonths = int(values['retention-months'], 'retention-months', 1);
  const wait = int(values.wait, 'wait', 0)!;
  const state = await openState(layout);
  try {
    const r = await runLifecycle(layout, state, {
      trigger: 'cli',
      ...(now ? { now } : {}),
      lockTimeoutMs: wait * 1000,
      config: { ...(hotDays ? { hotDays } : {}), ...(retentionMonths ? { retentionMonths } : {}) },
    });
    for (const t of r.tiered) say(`tiered ${t.day}: ${t.hot_files.length} hot file(s), ${t.rows} rows -> ${t.cold_file} (${t.hot_bytes} -> ${t.cold_bytes} bytes)`);
    for (const x of r.retained) say(`retention ${x.action} ${x.file}: ${x.rows_deleted} deleted, ${x.rows_held} kept by hold(s) ${(x.holds ?? []).join(', ')}`);
    for (const c of r.compacted) say(`compacted ${c.day}: ${c.inputs} files -> ${c.output}`);
    for (const h of r.reminders) say(`hold ${h.id} (demand ${h.demand_id}) expires ${h.expires_at}: renew it once, or let it lapse`);
    if (r.error) say(`lifecycle run ${r.id} failed: ${r.error.code}: ${r.error.message}`);
    printResult({ ok: r.status === 'done', run: r });
    return r.status === 'done' ? 0 : 1;
  } finally {
    state.close();
  }
}
