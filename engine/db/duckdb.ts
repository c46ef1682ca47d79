import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { queryFile } from '../sql/query-file.ts';

/**
 * The one module that owns DuckDB instances (STYLE.md: duckdb-node-neo). Every
 * connection runs in UTC (DUCKDB-NOTES.md: TIMESTAMPTZ::DATE follows the session
 * TimeZone) with tracehop's SQL macros loaded.
 */
export interface DuckOptions {
  /** e.g. '512MB'; bounded memory for sorts (DUCKDB-NOTES.md: a sorted COPY peaked at 4.4 GB) */
  readonly memoryLimit?: string;
  readonly tempDirectory?: string;
  readonly threads?: number;
}

/** SQL macro files loaded into every connection (queries/macros/). */
const MACROS = ['macros/e164', 'macros/time', 'macros/passport'];

export type Params = Record<string, DuckDBValue> | DuckDBValue[] | undefined;

export async function openDuck(path = ':memory:', opts: DuckOptions = {}): Promise<DuckDBInstance> {
  const config: Record<string, string> = { threads: String(opts.threads ?? 2) };
  if (opts.memoryLimit) config['memory_limit'] = opts.memoryLimit;
  if (opts.tempDirectory) config['temp_directory'] = opts.tempDirectory;
  return DuckDBInstance.create(path, config);
}

/** A connection with the session set up: UTC and the th_* macros. */
export async function connect(instance: DuckDBInstance): Promise<DuckDBConnection> {
  const con = await instance.connect();
  await con.run("SET TimeZone = 'UTC'");
  for (const m of MACROS) await con.run(queryFile(m));
  return con;
}

/** Rows as plain JSON-able objects (BIGINT and timestamps as strings, DUCKDB-NOTES.md). */
export async function all<T = Record<string, unknown>>(con: DuckDBConnection, sql: string, params?: Params): Promise<T[]> {
  const reader = await con.runAndReadAll(sql, params as Record<string, DuckDBValue>);
  return reader.getRowObjectsJson() as unknown as T[];
}

export async function one<T = Record<string, unknown>>(con: DuckDBConnection, sql: string, params?: Params): Promise<T | undefined> {
  return (await all<T>(con, sql, params))[0];
}

export async function exec(con: DuckDBConnection, sql: string, params?: Params): Promise<void> {
  await con.run(sql, params as Record<string, DuckDBValue>);
}

/** Open an instance and connection for one job, closing both whatever happens. */
export async function withDuck<T>(opts: DuckOptions & { path?: string }, fn: (con: DuckDBConnection) => Promise<T>): Promise<T> {
  const inst = await openDuck(opts.path ?? ':memory:', opts);
  const con = await connect(inst);
  try {
    return await fn(con);
  } finally {
    con.closeSync();
    inst.closeSync();
  }
}
