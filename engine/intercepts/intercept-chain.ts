import { createHash, type KeyObject } from 'node:crypto';
import { CompactSign, compactVerify } from 'jose';
import type { StateStore } from '../state/state-store.ts';
import { canonicalJson } from './canonical-json.ts';

/**
 * The append-only signed hash chain of intercept events (issue 8 item 3). Each entry holds
 * the hash of the one before; the entry's canonical JSON is signed (JWS ES256, jose) with
 * the carrier's key, naming the account that acted. Verification recomputes every hash,
 * checks every link and signature, and names the first entry that fails.
 */
export interface ChainEntry {
  readonly seq: number;
  readonly intercept_id: string;
  readonly event: string;
  readonly at: string;
  readonly actor: string;
  readonly role: string;
  readonly data: Record<string, unknown>;
  readonly prev_hash: string;
  readonly kid: string;
}

export interface StoredEntry {
  readonly entry: ChainEntry;
  readonly hash: string;
  readonly jws: string;
}

export const GENESIS = '0'.repeat(64);
export const entryHash = (e: ChainEntry): string => createHash('sha256').update(canonicalJson(e)).digest('hex');

export async function appendEntry(state: StateStore, key: { privateKey: KeyObject; kid: string }, e: Omit<ChainEntry, 'seq' | 'prev_hash' | 'kid'>): Promise<StoredEntry> {
  return state.transaction(async (tx) => {
    const last = await tx.one<{ seq: string; hash: string }>('SELECT max(seq)::VARCHAR AS seq, arg_max(hash, seq) AS hash FROM intercept_entries');
    const entry: ChainEntry = { ...e, seq: last?.seq ? Number(last.seq) + 1 : 1, prev_hash: last?.hash ?? GENESIS, kid: key.kid };
    const text = canonicalJson(entry);
    const jws = await new CompactSign(new TextEncoder().encode(text)).setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'intercept-entry' }).sign(key.privateKey);
    const hash = entryHash(entry);
    await tx.exec('INSERT INTO intercept_entries (seq, intercept_id, event, entry, hash, jws) VALUES ($seq, $id, $event, $entry, $hash, $jws)', { seq: entry.seq, id: entry.intercept_id, event: entry.event, entry: text, hash, jws });
    return { entry, hash, jws };
  });
}

export async function readChain(state: StateStore): Promise<StoredEntry[]> {
  const rows = await state.all<{ entry: string; hash: string; jws: string }>('SELECT entry, hash, jws FROM intercept_entries ORDER BY seq');
  return rows.map((r) => ({ entry: JSON.parse(r.entry) as ChainEntry, hash: r.hash, jws: r.jws }));
}

export type ChainVerdict = { ok: true; entries: number } | { ok: false; entries: number; first_bad: number; reason: string };

/** Verify stored entries in order (as read: a line per entry in an export). */
export async function verifyChain(lines: readonly { entry: unknown; hash: unknown; jws: unknown }[], publicKey: KeyObject): Promise<ChainVerdict> {
  let prev = GENESIS;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const bad = (reason: string): ChainVerdict => ({ ok: false, entries: lines.length, first_bad: typeof (l.entry as ChainEntry | undefined)?.seq === 'number' ? (l.entry as ChainEntry).seq : i + 1, reason: `entry ${i + 1}: ${reason}` });
    const e = l.entry as ChainEntry;
    if (!e || typeof e !== 'object' || typeof l.jws !== 'string' || typeof l.hash !== 'string') return bad('malformed');
    if (e.seq !== i + 1) return bad(`sequence number ${e.seq} where ${i + 1} was expected (an entry is missing or out of order)`);
    if (e.prev_hash !== prev) return bad('does not link to the entry before it (prev_hash differs)');
    const h = entryHash(e);
    if (h !== l.hash) return bad('its hash does not match its content');
    try {
      const { payload } = await compactVerify(l.jws, publicKey, { algorithms: ['ES256'] });
      if (new TextDecoder().decode(payload) !== canonicalJson(e)) return bad('the signed content differs from the entry');
    } catch (err) {
      return bad(`signature does not verify (${(err as Error).message})`);
    }
    prev = h;
  }
  return { ok: true, entries: lines.length };
}
