import cron from 'node-cron';
import { compactHotDays } from '../../engine/storage/compact-day.ts';
import { dataLayout } from '../../engine/storage/layout.ts';
import { SpoolWatcher } from '../../ingest/spool/spool-watcher.ts';
import { INGEST_OPTION_SPEC, ingestRequestFrom } from '../ingest-options.ts';
import { parseCommandArgs, printResult, requireOption, say, UsageError } from '../output.ts';

/**
 * tracehop watch SPOOL --data DIR [--once] [--stable-ms 2000] [--poll-ms 1000]
 *   [--format ...] [--provider ID] [--switch ID] [--tz ZONE] [--trunk-map FILE] [--mapping FILE] [--trust DIR]
 *   [--compact-cron '*\/10 * * * *']
 * Without --once it runs until SIGINT/SIGTERM and prints its summary then; meanwhile a
 * node-cron job merges the small files its ingests leave in each hot day.
 */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...INGEST_OPTION_SPEC,
    once: { type: 'boolean', default: false },
    'stable-ms': { type: 'string', default: '2000' },
    'poll-ms': { type: 'string', default: '1000' },
    'compact-cron': { type: 'string', default: '*/10 * * * *' },
  });
  const data = requireOption(values.data, 'data');
  const spool = positionals[0];
  if (!spool || positionals.length > 1) throw new UsageError('give exactly one SPOOL directory');
  const request = ingestRequestFrom(values, data);
  const stableMs = Number(values['stable-ms']);
  const pollMs = Number(values['poll-ms']);
  if (!Number.isFinite(stableMs) || stableMs < 0 || !Number.isFinite(pollMs) || pollMs <= 0) throw new UsageError('--stable-ms and --poll-ms take milliseconds');
  const totals = { files: 0, ingested: 0, already: 0, refused: 0, rows_stored: 0, rows_rejected: 0 };
  const watcher = new SpoolWatcher({
    spool,
    stableMs,
    pollMs,
    ingest: request,
    onResult(file, r, movedTo) {
      totals.files++;
      if (r.status === 'ingested') totals.ingested++;
      else if (r.status === 'already_ingested') totals.already++;
      else totals.refused++;
      totals.rows_stored += r.rows_stored;
      totals.rows_rejected += r.rows_rejected;
      say(`${file}: ${r.status} (${r.rows_stored} stored, ${r.rows_rejected} rejected) -> ${movedTo}`);
    },
  });
  if (values.once) {
    await watcher.scan();
  } else {
    const cronExpr = values['compact-cron'] ?? '*/10 * * * *';
    if (!cron.validate(cronExpr)) throw new UsageError(`--compact-cron '${cronExpr}' is not a cron expression`);
    const compaction = cron.schedule(
      cronExpr,
      async () => {
        const r = await compactHotDays(dataLayout(data));
        for (const c of r.compacted) say(`compacted day ${c.day}: ${c.inputs} files -> ${c.output}`);
      },
      { noOverlap: true, name: 'compaction' },
    );
    watcher.start();
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await compaction.stop();
    await watcher.stop();
  }
  printResult({ ok: totals.refused === 0 && totals.rows_rejected === 0, spool, ...totals });
  return totals.refused === 0 && totals.rows_rejected === 0 ? 0 : 1;
}
