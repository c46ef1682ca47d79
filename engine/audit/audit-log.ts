import { queryFile } from '../sql/query-file.ts';
import type { StateStore } from '../state/state-store.ts';

/**
 * The audit log (issue 6 item 3; carrier policy "Every access is in the audit log"):
 * append-only — this module only ever INSERTs and SELECTs. Who (account, role), when,
 * what (resource, ids, telephone numbers touched) and the outcome, refusals included.
 */
export interface AuditEntry {
  readonly actor: string;
  readonly role: string;
  readonly action: string;
  readonly resource: string;
  readonly resource_ids?: readonly string[];
  readonly numbers?: readonly string[];
  readonly outcome: 'ok' | 'refused' | 'error';
  readonly status?: number;
  readonly detail?: unknown;
  readonly request_id?: string;
  readonly at?: Date;
}

const INSERT = `INSERT INTO audit_log (occurred_at, actor, role, action, resource, resource_ids, numbers, outcome, status, detail, request_id)
     VALUES ($at, $actor, $role, $action, $resource, $ids, $numbers, $outcome, $status, $detail, $rid)`;

const paramsOf = (e: AuditEntry) => ({
      at: (e.at ?? new Date()).toISOString(),
      actor: e.actor,
      role: e.role,
      action: e.action,
      resource: e.resource,
      ids: JSON.stringify(e.resource_ids ?? []),
      numbers: JSON.stringify(e.numbers ?? []),
      outcome: e.outcome,
      status: e.status ?? 0,
      detail: e.detail === undefined ? '' : JSON.stringify(e.detail),
      rid: e.request_id ?? '',
});

/** Append one entry in its own transaction. */
export async function appendAudit(state: StateStore, e: AuditEntry): Promise<void> {
  await state.exec(INSERT, paramsOf(e));
}

/**
 * Group commit for a busy server: entries that arrive together are written in one
 * transaction, and each caller's promise resolves only once its entry is committed, so
 * a response never goes out before its audit entry is durable.
 */
export function auditWriter(state: StateStore): (e: AuditEntry) => Promise<void> {
  let pending: { e: AuditEntry; done: (err?: unknown) => void }[] = [];
  let flushing = false;
  // One batch in flight at a time: entries that arrive while a commit is running wait
  // for the next one and go together (a commit costs the same for 1 entry or 100).
  const flush = async (): Promise<void> => {
    flushing = true;
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      try {
        // one INSERT ... SELECT over the whole batch: one statement, one commit
        await state.exec(queryFile('audit/insert-batch'), { entries: JSON.stringify(batch.map((p) => paramsOf(p.e))) });
        for (const p of batch) p.done();
      } catch (err) {
        for (const p of batch) p.done(err);
      }
    }
    flushing = false;
  };
  return (e) =>
    new Promise<void>((resolve, reject) => {
      pending.push({ e, done: (err) => (err ? reject(err) : resolve()) });
      if (!flushing) {
        flushing = true;
        setImmediate(() => void flush());
      }
    });
}

export interface AuditQuery {
  readonly actor?: string;
  readonly resource?: string;
  readonly outcome?: string;
  readonly number?: string;
  readonly from?: string;
  readonly to?: string;
  readonly limit?: number;
}

export async function queryAudit(state: StateStore, q: AuditQuery): Promise<Record<string, unknown>[]> {
  const rows = await state.all<Record<string, unknown> & { resource_ids: string; numbers: string; detail: string }>(
    `SELECT seq::BIGINT::VARCHAR AS seq, occurred_at::VARCHAR AS at, actor, role, action, resource, resource_ids, numbers, outcome, status, detail, request_id
     FROM audit_log
     WHERE ($actor = '' OR actor = $actor) AND ($resource = '' OR resource = $resource) AND ($outcome = '' OR outcome = $outcome)
       AND ($number = '' OR numbers LIKE '%' || $number || '%')
       AND ($from = '' OR occurred_at >= $from::TIMESTAMPTZ) AND ($to = '' OR occurred_at <= $to::TIMESTAMPTZ)
     ORDER BY audit_log.seq DESC LIMIT $limit`,
    { actor: q.actor ?? '', resource: q.resource ?? '', outcome: q.outcome ?? '', number: q.number ?? '', from: q.from ?? '', to: q.to ?? '', limit: q.limit ?? 200 },
  );
  return rows.map((r) => ({ ...r, resource_ids: JSON.parse(r.resource_ids) as unknown, numbers: JSON.parse(r.numbers) as unknown, detail: r.detail ? (JSON.parse(r.detail) as unknown) : null }));
}
