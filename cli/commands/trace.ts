import { createWriteStream, writeFileSync } from 'node:fs';
import { readBatchFile } from '../../engine/trace/batch-file.ts';
import { responseFileCsv, summarizeCampaign } from '../../engine/trace/campaign-summary.ts';
import { hopTable } from '../../engine/trace/hop-table.ts';
import { openTraceEngine } from '../../engine/trace/trace-engine.ts';
import type { TraceResult } from '../../engine/trace/trace-result.ts';
import { parseCommandArgs, printResult, requireOption, say, UsageError } from '../output.ts';

/**
 * tracehop trace --data DIR --calling N --called N (--at ISO | --date MM/DD/YYYY --time "12:23 pm" --tz ET)
 *                [--duration S] [--origid U] [--format json|table] [--explain] [--now ISO]
 * tracehop trace --data DIR --batch FILE.csv|FILE.ndjson --out FILE.ndjson
 *   (also writes FILE.summary.json and FILE.response.csv, the file for the traceback group)
 */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      data: { type: 'string' },
      calling: { type: 'string' },
      called: { type: 'string' },
      at: { type: 'string' },
      date: { type: 'string' },
      time: { type: 'string' },
      tz: { type: 'string' },
      duration: { type: 'string' },
      origid: { type: 'string' },
      batch: { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string', default: 'json' },
      explain: { type: 'boolean', default: false },
      now: { type: 'string' },
      'clock-tolerance': { type: 'string' },
      'duration-tolerance': { type: 'string' },
    },
    false,
  );
  const data = requireOption(values.data, 'data');
  if (values.format !== 'json' && values.format !== 'table') throw new UsageError('--format is json or table');
  const now = values.now ? new Date(values.now) : undefined;
  if (now && Number.isNaN(now.getTime())) throw new UsageError(`--now '${values.now}' is not a time`);
  const cfg: { clockToleranceMs?: number; durationToleranceS?: number } = {};
  if (values['clock-tolerance']) cfg.clockToleranceMs = Number(values['clock-tolerance']) * 1000;
  if (values['duration-tolerance']) cfg.durationToleranceS = Number(values['duration-tolerance']);
  if (Object.values(cfg).some((v) => !Number.isFinite(v) || v < 0)) throw new UsageError('tolerances take seconds');

  const engine = await openTraceEngine(data, cfg);
  try {
    if (values.batch) {
      const out = requireOption(values.out, 'out');
      const lines = readBatchFile(values.batch);
      const t0 = Date.now();
      // the parseable lines go through traceBatch (two workers); unreadable lines become error results in place
      const traced = await engine.traceBatch(lines.map((l) => ('error' in l ? {} : l.value)), now ? { now } : {});
      const results: TraceResult[] = traced.map((r, i) => {
        const l = lines[i]!;
        return 'error' in l ? { ...r, error: { code: 'TH_BAD_REQUEST', errors: [{ path: `line ${l.line}`, message: l.error }] } } : r;
      });
      const ws = createWriteStream(out);
      for (const r of results) ws.write(JSON.stringify(r) + '\n');
      await new Promise<void>((res) => ws.end(() => res()));
      const summary = summarizeCampaign(results);
      writeFileSync(out.replace(/\.ndjson$/, '') + '.summary.json', JSON.stringify(summary, null, 2) + '\n');
      writeFileSync(out.replace(/\.ndjson$/, '') + '.response.csv', responseFileCsv(results));
      say(`traced ${results.length} requests in ${Date.now() - t0} ms: ${JSON.stringify(summary.by_status)}`);
      printResult({ ok: summary.errors === 0, out, summary, elapsed_ms: Date.now() - t0 });
      return summary.errors === 0 ? 0 : 1;
    }
    const raw = {
      calling: requireOption(values.calling, 'calling'),
      called: requireOption(values.called, 'called'),
      ...(values.at ? { at: values.at } : {}),
      ...(values.date ? { date: values.date } : {}),
      ...(values.time ? { time: values.time } : {}),
      ...(values.tz ? { tz: values.tz } : {}),
      ...(values.duration ? { duration_s: values.duration } : {}),
      ...(values.origid ? { origid: values.origid } : {}),
    };
    const r = await engine.traceRaw(raw, { explain: values.explain ?? false, ...(now ? { now } : {}) });
    if (values.format === 'table') {
      process.stdout.write(hopTable(r) + '\n');
      if (values.explain && r.explain) {
        for (const e of r.explain) {
          process.stdout.write(`  hop ${e.hop} (${e.provider}): ${e.considered.length} candidate(s)\n`);
          for (const c of e.considered) process.stdout.write(`    ${c.provider_id}/${c.switch_id}/${c.call_id} score ${c.score.toFixed(3)}: ${c.reasons.join(', ')}\n`);
        }
      }
    }
    printResult(r);
    if (r.error) return 2;
    return 0;
  } finally {
    engine.close();
  }
}
