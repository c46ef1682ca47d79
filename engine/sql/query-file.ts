import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the `queries/` folder: one `.sql` file per question (STYLE.md). */
export const QUERIES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../queries');

const cache = new Map<string, string>();

/** The text of `queries/<name>.sql`, read once. `name` is a fixed identifier from code, never from a request. */
export function queryFile(name: string): string {
  let sql = cache.get(name);
  if (sql === undefined) {
    if (!/^[a-z0-9][a-z0-9/_-]*$/.test(name)) throw new Error(`invalid query name ${name}`);
    sql = readFileSync(path.join(QUERIES_DIR, `${name}.sql`), 'utf8');
    cache.set(name, sql);
  }
  return sql;
}

/**
 * A query file with `{{slot}}` placeholders filled by SQL fragments that tracehop itself
 * builds (a reader's source relation, a column list). Values from users never go here:
 * they are bound as `$name` parameters.
 */
export function queryTemplate(name: string, slots: Readonly<Record<string, string>>): string {
  return queryFile(name).replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const v = slots[key];
    if (v === undefined) throw new Error(`query ${name}: slot ${key} not filled`);
    return v;
  });
}
