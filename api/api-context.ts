import type { FastifyRequest } from 'fastify';
import type { Account } from '../engine/accounts/accounts.ts';
import type { Role } from '../engine/accounts/roles.ts';
import { auditWriter, type AuditEntry } from '../engine/audit/audit-log.ts';
import type { StateStore } from '../engine/state/state-store.ts';
import type { DataLayout } from '../engine/storage/layout.ts';
import type { TraceEngine } from '../engine/trace/trace-engine.ts';
import type { SigningKey } from '../engine/keys/signing-key.ts';

/** What every route module gets (api/README.md). */
export interface ApiContext {
  readonly layout: DataLayout;
  readonly state: StateStore;
  now(): Date;
  traceEngine(): Promise<TraceEngine>;
  /** the carrier's ES256 key (audit chain entries, export manifests) */
  signingKey(): Promise<SigningKey>;
  /** write an audit entry for this request (who, role, request id filled in) */
  audit(req: FastifyRequest, e: Omit<AuditEntry, 'actor' | 'role' | 'request_id' | 'at'>): Promise<void>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** roles admitted; a route without roles is refused at start-up unless public */
    roles?: readonly Role[];
    public?: boolean;
  }
  interface FastifyRequest {
    account?: Account;
  }
}

export const auditFor = (state: StateStore, now: () => Date) => {
  const write = auditWriter(state);
  return (req: FastifyRequest, e: Omit<AuditEntry, 'actor' | 'role' | 'request_id' | 'at'>): Promise<void> =>
    write({ ...e, actor: req.account?.user ?? '(anonymous)', role: req.account?.role ?? '', request_id: String(req.id), at: now() });
};
