import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection, DuckDBInstance, DuckDBPreparedStatement, DuckDBValue } from '@duckdb/node-api';
import { all, connect, exec, openDuck, type Params } from '../db/duckdb.ts';
import { thError } from '../errors.ts';
import { QUERIES_DIR } from '../sql/query-file.ts';
import { readFileSync } from 'node:fs';
import type { DataLayout } from '../storage/layout.ts';

/**
 * The state store: ingest ledger, accounts, demands, jobs, audit log (DESIGN.md).
 * DuckDB file `data/state.duckdb` by default. The DDL in `queries/state/*.sql` uses
 * only types and statements PostgreSQL also accepts (TEXT, BIGINT, BOOLEAN,
 * TIMESTAMPTZ, DOUBLE PRECISION; no DuckDB-only features) so the same schema runs
 * on PostgreSQL for a multi-node deployment.
 *
 * Within one process the instance is shared (reference counted); DuckDB lets only one
 * process open the file for writing, so a second process waits for the lock and then
 * gets TH_STATE_LOCKED naming the holder.
 */
export interface StateStore {
  readonly file: string;
  all<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T[]>;
  one<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T | undefined>;
  exec(sql: string, params?: Params): Promise<void>;
  /** Run `fn` in one transaction; rolled back if it throws. Calls are serialized. */
  transaction<T>(fn: (tx: StateStore) => Promise<T>): Promise<T>;
  /**
   * Like `transaction`, but callers that arrive while a commit is running share the next
   * one (group commit: a commit costs about the same for one request or fifty). If any
   * `fn` of a group throws, the group is rolled back and each `fn` is run again alone in
   * its own transaction, so one caller's failure never undoes another's work. `fn` must
   * therefore touch only the database (it may run twice).
   */
  groupTransaction<T>(fn: (tx: StateStore) => Promise<T>): Promise<T>;
  close(): void;
}

interface Shared {
  inst: DuckDBInstance;
  con: DuckDBConnection;
  refs: number;
  queue: Promise<unknown>;
  group: { fn: (tx: StateStore) => Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void }[];
  grouping: boolean;
  /** prepared statements by SQL text: parsing and planning cost more than a small query runs
   * (bench:api without the cache: intakes 104-117/s and look-ups 127-135/s instead of 137/156) */
  stmts: Map<string, DuckDBPreparedStatement>;
  /** extra connections for reads outside transactions: DuckDB runs them beside the writer */
  readers: DuckDBConnection[];
  nextReader: number;
}
const shared = new Map<string, Shared>();
const READERS = 3;
/** A statement that only reads (no writes hidden in a CTE): safe on a reader connection. */
const isRead = (sql: string): boolean => /^\s*(SELECT|WITH)\b/i.test(sql) && !/\b(INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|COPY|nextval)\b/i.test(sql);

async function openInstance(file: string, waitMs: number): Promise<DuckDBInstance> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await openDuck(file, { threads: 2 });
    } catch (e) {
      const msg = (e as Error).message;
      if (!/lock/i.test(msg)) throw e;
      if (Date.now() > deadline) throw thError('TH_STATE_LOCKED', `state store ${file} is held by another process: ${msg.split('\n')[0]}`, { cause: e });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export function stateMigrations(): { name: string; sql: string }[] {
  const dir = path.join(QUERIES_DIR, 'state');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => ({ name: f.replace(/\.sql$/, ''), sql: readFileSync(path.join(dir, f), 'utf8') }));
}

async function migrate(con: DuckDBConnection): Promise<void> {
  await exec(con, 'CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)');
  const done = new Set((await all<{ name: string }>(con, 'SELECT name FROM schema_migrations')).map((r) => r.name));
  for (const m of stateMigrations()) {
    if (done.has(m.name)) continue;
    await exec(con, 'BEGIN TRANSACTION');
    try {
      for (const stmt of splitStatements(m.sql)) await exec(con, stmt);
      await exec(con, 'INSERT INTO schema_migrations VALUES ($name, now())', { name: m.name });
      await exec(con, 'COMMIT');
    } catch (e) {
      await exec(con, 'ROLLBACK');
      throw e;
    }
  }
}

/** Split a DDL file on `;` at line ends (the DDL files hold no procedural code). */
export const splitStatements = (sql: string): string[] =>
  sql
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);

export async function openState(layout: DataLayout, opts: { waitMs?: number } = {}): Promise<StateStore> {
  const file = layout.stateFile;
  let s = shared.get(file);
  if (!s) {
    mkdirSync(path.dirname(file), { recursive: true });
    const inst = await openInstance(file, opts.waitMs ?? 10_000);
    const con = await connect(inst);
    const readers: DuckDBConnection[] = [];
    for (let i = 0; i < READERS; i++) readers.push(await connect(inst));
    s = { inst, con, refs: 0, queue: Promise.resolve(), group: [], grouping: false, stmts: new Map(), readers, nextReader: 0 };
    shared.set(file, s);
    try {
      await migrate(con);
    } catch (e) {
      shared.delete(file);
      for (const r of readers) r.closeSync();
      con.closeSync();
      inst.closeSync();
      throw e;
    }
  }
  s.refs += 1;
  const sh = s;
  let closed = false;
  // Statements on one connection must not interleave with another caller's transaction.
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = sh.queue.then(fn, fn);
    sh.queue = p.catch(() => undefined);
    return p;
  };
  const reader = (): DuckDBConnection => sh.readers[(sh.nextReader = (sh.nextReader + 1) % sh.readers.length)]!;
  const hasParams = (params: Params): params is Record<string, DuckDBValue> => params !== undefined && !Array.isArray(params) && Object.keys(params).length > 0;
  const statement = async (sql: string): Promise<DuckDBPreparedStatement | null> => {
    let st = sh.stmts.get(sql);
    if (!st) {
      try {
        st = await sh.con.prepare(sql);
      } catch {
        return null; // several statements, or not preparable: run it the plain way
      }
      if (sh.stmts.size >= 512) {
        for (const old of sh.stmts.values()) old.destroySync();
        sh.stmts.clear();
      }
      sh.stmts.set(sql, st);
    }
    return st;
  };
  /** The cached statement for `sql` with `params` bound, or null to run it the plain way. */
  const bound = async (sql: string, params?: Params): Promise<DuckDBPreparedStatement | null> => {
    const st = hasParams(params) ? await statement(sql) : null;
    st?.bind(params as Record<string, DuckDBValue>);
    return st;
  };
  const allP = async <T>(sql: string, params?: Params): Promise<T[]> => {
    const st = await bound(sql, params);
    return st ? ((await st.runAndReadAll()).getRowObjectsJson() as unknown as T[]) : all<T>(sh.con, sql, params);
  };
  const execP = async (sql: string, params?: Params): Promise<void> => {
    const st = await bound(sql, params);
    if (st) await st.run();
    else await exec(sh.con, sql, params);
  };
  const direct: StateStore = {
    file,
    all: (sql, params) => allP(sql, params),
    one: async (sql, params) => (await allP<never>(sql, params))[0],
    exec: (sql, params) => execP(sql, params),
    transaction: () => {
      throw new Error('nested transaction');
    },
    groupTransaction: () => {
      throw new Error('nested transaction');
    },
    close: () => undefined,
  };
  const inTransaction = async <T>(fn: (tx: StateStore) => Promise<T>): Promise<T> => {
    await exec(sh.con, 'BEGIN TRANSACTION');
    try {
      const r = await fn(direct);
      await exec(sh.con, 'COMMIT');
      return r;
    } catch (e) {
      await exec(sh.con, 'ROLLBACK');
      throw e;
    }
  };
  const runGroups = async (): Promise<void> => {
    while (sh.group.length > 0) {
      const batch = sh.group;
      sh.group = [];
      await serial(async () => {
        if (batch.length > 1) {
          const results: unknown[] = [];
          try {
            await inTransaction(async (tx) => {
              for (const g of batch) results.push(await g.fn(tx));
            });
            batch.forEach((g, i) => g.resolve(results[i]));
            return;
          } catch {
            // fall through: each alone, so one failure stays its own
          }
        }
        for (const g of batch) {
          try {
            g.resolve(await inTransaction(g.fn));
          } catch (e) {
            g.reject(e);
          }
        }
      });
    }
    sh.grouping = false;
  };
  return {
    file,
    groupTransaction: <T>(fn: (tx: StateStore) => Promise<T>): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        sh.group.push({ fn, resolve: resolve as (v: unknown) => void, reject });
        if (!sh.grouping) {
          sh.grouping = true;
          setImmediate(() => void runGroups());
        }
      }),
    // committed writes are visible to every connection, so a read outside a transaction
    // may go to a reader and run beside the writer's queue
    all: (sql, params) => (isRead(sql) ? all(reader(), sql, params) : serial(() => allP(sql, params))),
    one: async (sql, params) => (isRead(sql) ? (await all<never>(reader(), sql, params))[0] : serial(async () => (await allP<never>(sql, params))[0])),
    exec: (sql, params) => serial(() => execP(sql, params)),
    transaction: (fn) => serial(() => inTransaction(fn)),
    close() {
      if (closed) return;
      closed = true;
      sh.refs -= 1;
      if (sh.refs === 0) {
        shared.delete(file);
        void sh.queue.finally(() => {
          for (const st of sh.stmts.values()) st.destroySync();
          sh.stmts.clear();
          for (const r of sh.readers) r.closeSync();
          sh.con.closeSync();
          sh.inst.closeSync();
        });
      }
    },
  };
}

export async function withState<T>(layout: DataLayout, fn: (state: StateStore) => Promise<T>): Promise<T> {
  const state = await openState(layout);
  try {
    return await fn(state);
  } finally {
    state.close();
  }
}
