import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TruthLine } from '../engine/generate/generate-corpus.ts';
import { hopTable } from '../engine/trace/hop-table.ts';
import { openTraceEngine } from '../engine/trace/trace-engine.ts';

/** The demo's trace step: a handful of generated calls, one per status, printed as tables. */
export async function runDemoTraces(dataDir: string, corpusDir: string): Promise<void> {
  const truth = readFileSync(path.join(corpusDir, 'truth.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TruthLine);
  const engine = await openTraceEngine(dataDir);
  try {
    const pick = (f: (t: TruthLine) => boolean): TruthLine | undefined => truth.find(f);
    const cases: { title: string; req: Record<string, unknown> }[] = [];
    const normal = pick((t) => t.kind === 'normal' && t.path.length >= 3);
    if (normal) cases.push({ title: 'an ordinary call, traced to its origin', req: { calling: t10(normal.calling), called: normal.called, at: normal.at, duration_s: normal.duration_s } });
    const robo = pick((t) => t.kind === 'robocall' && t.identity_lost_at !== null) ?? pick((t) => t.kind === 'robocall');
    if (robo) cases.push({ title: 'a robocall (neighbor spoofing), given to the minute in ET', req: { calling: robo.calling, called: robo.called, ...minuteEt(robo.at) } });
    const ext = pick((t) => t.kind === 'external');
    if (ext) cases.push({ title: 'a call that entered from a carrier outside the corpus', req: { calling: ext.calling, called: ext.called, at: ext.at } });
    if (normal) cases.push({ title: 'a call that is not in the data', req: { calling: '+12025550111', called: normal.called, at: normal.at } });
    if (normal) cases.push({ title: 'a call older than the hot window', req: { calling: normal.calling, called: normal.called, at: new Date(Date.parse(normal.at) - 60 * 86_400_000).toISOString() } });
    for (const c of cases) {
      const r = await engine.traceRaw(c.req);
      process.stdout.write(`\n   ${c.title}\n${hopTable(r).replace(/^/gm, '   ')}\n`);
    }
    // Generated decoys reach the same number from another caller (never a tie), so no generated
    // call is honestly ambiguous; say where that status is shown instead of faking one.
    process.stdout.write('\n   ambiguous: no generated call ties (see test/engine/trace/hand-made-paths.test.ts for built ties)\n');
  } finally {
    engine.close();
  }
}

/** `+12125551234` -> `(212) 555-1234`: requests come in any usual form */
const t10 = (e164: string): string => (/^\+1\d{10}$/.test(e164) ? `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}` : e164);

/** An instant as the traceback group writes it: MM/DD/YYYY, h:mm am/pm, ET. */
function minuteEt(iso: string): { date: string; time: string; tz: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit', hour: 'numeric', minute: '2-digit', hour12: true })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts['month']}/${parts['day']}/${parts['year']}`, time: `${parts['hour']}:${parts['minute']} ${String(parts['dayPeriod']).toLowerCase()}`, tz: 'ET' };
}
