/**
 * Run tasks one at a time per key, inside this process. state.duckdb admits one process
 * (DuckDB's file lock), so for a rule like "25 look-ups per officer per day" a per-account
 * queue here makes the read-check-write sequence atomic without holding the store's single
 * writer while the reads run: reads go to the reader connections, only the write is grouped.
 */
export function keyedMutex(): <T>(key: string, fn: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const prev = tails.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}
