import { all, withDuck } from '../db/duckdb.ts';
import { queryFile } from '../sql/query-file.ts';
import { filesForDays } from '../storage/catalog.ts';
import type { DataLayout } from '../storage/layout.ts';
import { scopeUtcDays } from './export-scope.ts';
import type { ExportScope } from './export-schema.ts';

/** Calls a scope holds now, over the catalog's hot and cold files (the fee estimate's count). */
export async function countInScope(layout: DataLayout, scope: Pick<ExportScope, 'numbers' | 'from' | 'to'>): Promise<number> {
  const { fromDay, toDay } = scopeUtcDays(scope);
  const files = filesForDays(layout, fromDay, toDay);
  if (files.length === 0) return 0;
  const r = await withDuck({ threads: 2 }, (con) =>
    all<{ n: string }>(con, queryFile('exports/count-in-scope'), { files: JSON.stringify(files), numbers: JSON.stringify(scope.numbers), from: scope.from, to: scope.to }),
  );
  return Number(r[0]?.n ?? 0);
}
