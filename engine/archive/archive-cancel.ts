import { rmSync } from 'node:fs';
import type { Account } from '../accounts/accounts.ts';
import { thError } from '../errors.ts';
import { queryFile } from '../sql/query-file.ts';
import type { StateStore } from '../state/state-store.ts';
import type { DataLayout } from '../storage/layout.ts';
import type { ArchiveJob } from './archive-job-schema.ts';
import { getArchiveJob } from './archive-job-store.ts';
import { archiveJobDir } from './archive-paths.ts';

/**
 * Cancel an archive job that is queued or running: by the one who asked for it, or by the
 * legal desk. A running job stops at the worker's next month boundary, which then deletes
 * what it had gathered; a done, failed or cancelled job cannot be cancelled (409).
 */
export async function cancelArchiveJob(state: StateStore, layout: DataLayout, id: string, account: Account, now: Date): Promise<ArchiveJob> {
  const before = await state.transaction(async (tx) => {
    const row = await tx.one<{ created_by: string; state: string }>(queryFile('archive/cancel-check'), { id });
    if (!row) throw thError('TH_NOT_FOUND', `no archive job ${id}`);
    if (row.created_by !== account.id && account.role !== 'legal') {
      throw thError('TH_FORBIDDEN', 'only the requester of an archive job, or legal, may cancel it', { details: [{ allowed: ['requester', 'legal'] }] });
    }
    if (row.state !== 'queued' && row.state !== 'running') {
      throw thError('TH_ARCHIVE_STATE', `archive job ${id} is ${row.state}: it can no longer be cancelled`, { details: [{ state: row.state }] });
    }
    await tx.exec(queryFile('archive/cancel-job'), { id, by: account.user, at: now.toISOString() });
    return row.state;
  });
  // a queued job has no files yet; a running one is cleaned up by its worker
  if (before === 'queued') rmSync(archiveJobDir(layout, id), { recursive: true, force: true });
  return (await getArchiveJob(state, id))!;
}
