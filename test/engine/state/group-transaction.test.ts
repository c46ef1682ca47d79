import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openState } from '../../../engine/state/state-store.ts';
import { dataLayout } from '../../../engine/storage/layout.ts';
import { tempDir } from '../../support/cdr-fixtures.ts';

describe('group commit in the state store', () => {
  it('commits concurrent callers together, and one caller’s failure undoes only its own work', async () => {
    const state = await openState(dataLayout(path.join(tempDir('state-'), 'data')));
    try {
      await state.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v BIGINT)');
      const put = (k: string, v: number) =>
        state.groupTransaction(async (tx) => {
          await tx.exec('INSERT INTO t VALUES ($k, $v)', { k, v });
          if (v < 0) throw new Error(`refused ${k}`);
          return k;
        });
      const outcomes = await Promise.allSettled([put('a', 1), put('b', 2), put('bad', -1), put('c', 3), put('a', 9)]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'rejected']);
      expect((outcomes[4] as PromiseRejectedResult).reason.message).toMatch(/constraint|duplicate/i);
      expect(await state.all('SELECT k, v::INTEGER AS v FROM t ORDER BY k')).toEqual([
        { k: 'a', v: 1 },
        { k: 'b', v: 2 },
        { k: 'c', v: 3 },
      ]);
      // and a group without failures is one transaction that sees its own earlier writes
      const seen = await Promise.all(['x', 'y', 'z'].map((k, i) => state.groupTransaction(async (tx) => {
        await tx.exec('INSERT INTO t VALUES ($k, $v)', { k, v: i });
        return Number((await tx.one<{ n: string }>('SELECT count(*)::VARCHAR AS n FROM t'))!.n);
      })));
      expect(seen).toEqual([4, 5, 6]);
    } finally {
      state.close();
    }
  });
});
