import { compactHotDays } from '../../engine/storage/compact-day.ts';
import { dataLayout } from '../../engine/storage/layout.ts';
import { parseCommandArgs, printResult, requireOption, say, UsageError } from '../output.ts';

/**
 * tracehop compact --data DIR [--min-files 4]
 * Merge the small files of each hot day into one sorted file (atomic catalog swap), and
 * delete files retired by earlier swaps once their grace period is over.
 */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { data: { type: 'string' }, 'min-files': { type: 'string', default: '4' } }, false);
  const data = requireOption(values.data, 'data');
  const minFiles = Number(values['min-files']);
  if (!Number.isInteger(minFiles) || minFiles < 2) throw new UsageError('--min-files takes a whole number of at least 2');
  const r = await compactHotDays(dataLayout(data), { minFiles });
  for (const c of r.compacted) say(`day ${c.day}: ${c.inputs} files -> ${c.output} (${c.rows} rows)`);
  printResult({ ok: true, compacted: r.compacted, deleted: r.deleted });
  return 0;
}
