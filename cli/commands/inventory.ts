import { importInventory } from '../../engine/inventory/inventory.ts';
import { withState } from '../../engine/state/state-store.ts';
import { dataLayout } from '../../engine/storage/layout.ts';
import { parseCommandArgs, printResult, requireOption, say, UsageError } from '../output.ts';

/** tracehop inventory import FILE.csv --data DIR (header number,customer,calea_contact,in_service_date,active,cpni_consent) */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'import') throw new UsageError('inventory import FILE.csv --data DIR');
  const { values, positionals } = parseCommandArgs(rest, { data: { type: 'string' } });
  const file = positionals[0];
  if (!file) throw new UsageError('give the inventory CSV file');
  const r = await withState(dataLayout(requireOption(values.data, 'data')), (s) => importInventory(s, file));
  for (const x of r.rejected) say(`line ${x.line}: ${x.reason}`);
  printResult({ ok: r.rejected.length === 0, rows: r.rows, rejected: r.rejected });
  return r.rejected.length === 0 ? 0 : 1;
}
