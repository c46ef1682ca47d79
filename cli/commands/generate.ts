import { generateCorpus } from '../../engine/generate/generate-corpus.ts';
import { parseCommandArgs, printResult, requireOption, say, UsageError } from '../output.ts';

/** tracehop generate --out DIR --calls N --providers P --seed S [--days D] [--end YYYY-MM-DD] */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      out: { type: 'string' },
      calls: { type: 'string', default: '1000' },
      providers: { type: 'string', default: '8' },
      seed: { type: 'string', default: '1' },
      days: { type: 'string', default: '3' },
      end: { type: 'string' },
    },
    false,
  );
  const out = requireOption(values.out, 'out');
  const num = (name: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} takes a whole number of at least ${min}`);
    return n;
  };
  if (values.end !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.end)) throw new UsageError('--end takes a date YYYY-MM-DD');
  const r = await generateCorpus({
    out,
    calls: num('calls', values.calls, 1),
    providers: num('providers', values.providers, 3),
    seed: num('seed', values.seed, 0),
    days: num('days', values.days, 1),
    ...(values.end ? { end: values.end } : {}),
  });
  say(`generated ${r.calls} calls, ${r.rows} CDR rows in ${r.files} switch files (${r.providers.join(', ')}) in ${r.elapsed_ms} ms`);
  printResult({ ok: true, ...r });
  return 0;
}
