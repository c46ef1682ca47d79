import cron from 'node-cron';
import { buildServer } from '../../api/server.ts';
import { checkExpiries } from '../../engine/intercepts/intercept-service.ts';
import { startArchiveWorker } from '../../engine/archive/archive-worker.ts';
import { loadSigningKey } from '../../engine/keys/signing-key.ts';
import { scheduleLifecycle } from '../../engine/lifecycle/lifecycle-schedule.ts';
import { openState } from '../../engine/state/state-store.ts';
import { dataLayout } from '../../engine/storage/layout.ts';
import { parseCommandArgs, printResult, requireOption, say, UsageError } from '../output.ts';

/** tracehop serve --data DIR [--port 8080] [--host 127.0.0.1] [--signing-key FILE] */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { data: { type: 'string' }, port: { type: 'string', default: '8080' }, host: { type: 'string', default: '127.0.0.1' }, 'signing-key': { type: 'string' } }, false);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port takes 0-65535');
  const app = await buildServer({ dataDir: requireOption(values.data, 'data'), logger: true, ...(values['signing-key'] ? { signingKeyFile: values['signing-key'] } : {}) });
  const address = await app.listen({ port, host: values.host ?? '127.0.0.1' });
  say(`tracehop API on ${address} (OpenAPI at ${address}/docs)`);
  const layout = dataLayout(requireOption(values.data, 'data'));
  const key = await loadSigningKey(layout, values['signing-key'] ? { keyFile: values['signing-key'] } : {});
  if (key.created) say(`made a signing key at ${key.file}; its public key:\n${key.publicPem}`);
  // the intercept expiry job: warns before an authorization ends, marks overdue ones (issue 8)
  const expiry = cron.schedule('0 * * * *', async () => {
    const state = await openState(layout);
    try {
      const r = await checkExpiries(state, key, new Date());
      if (r.warned.length || r.overdue.length) say(`intercept expiry: warned ${r.warned.join(', ') || '-'}; overdue ${r.overdue.join(', ') || '-'}`);
    } finally {
      state.close();
    }
  }, { noOverlap: true, name: 'intercept-expiry' });
  // archive retrieval jobs: one in-process worker, resumable (issue 7 item 3)
  const archiveState = await openState(layout);
  const stopArchive = startArchiveWorker(layout, archiveState, { onError: (e) => say(`archive worker stopped: ${String(e)}`) });
  // the nightly lifecycle job: compaction, tiering, retention (holds respected), reminders (issue 7)
  const lifecycle = scheduleLifecycle(layout, (r) => {
    if (r instanceof Error) say(`lifecycle: ${r.message}`);
    else say(`lifecycle ${r.id} ${r.status}: tiered ${r.tiered.length} day(s), retention ${r.retained.length} file(s), ${r.reminders.length} hold reminder(s)${r.error ? `; ${r.error.code}: ${r.error.message}` : ''}`);
  });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await expiry.stop();
  await lifecycle.stop();
  await stopArchive();
  archiveState.close();
  await app.close();
  printResult({ ok: true, address });
  return 0;
}
