import { createWriteStream } from 'node:fs';
import { CANONICAL_COLUMN_NAMES } from '../../engine/cdr/schema.ts';

/**
 * A canonical CSV of `rows` realistic-looking CDRs over `days` days ending 2026-11-20,
 * written fast (large string batches) for ingest benchmarks. Deterministic.
 */
export async function writeCanonicalCsv(file: string, rows: number, days = 10): Promise<void> {
  const out = createWriteStream(file, { highWaterMark: 1 << 22 });
  const write = (s: string): Promise<void> => (out.write(s) ? Promise.resolve() : new Promise((r) => out.once('drain', () => r())));
  await write(CANONICAL_COLUMN_NAMES.join(',') + '\n');
  const end = Date.UTC(2026, 10, 21);
  const span = days * 86_400_000;
  let seed = 12345;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const batch: string[] = [];
  for (let i = 0; i < rows; i++) {
    const start = end - span + Math.floor((i / rows) * span) + Math.floor(rnd() * 1000);
    const answered = rnd() < 0.7;
    const dur = answered ? Math.floor(rnd() * 300) : 0;
    const ans = answered ? start + 4000 : 0;
    const stop = answered ? ans + dur * 1000 : start + 6000;
    const calling = `+1${212 + Math.floor(rnd() * 700)}${200 + Math.floor(rnd() * 700)}${String(Math.floor(rnd() * 10000)).padStart(4, '0')}`;
    const called = `${312 + Math.floor(rnd() * 600)}${200 + Math.floor(rnd() * 700)}${String(Math.floor(rnd() * 10000)).padStart(4, '0')}`;
    const signed = rnd() < 0.6;
    batch.push(
      [
        'P' + (i % 7),
        'sw' + (i % 3),
        `c${i}`,
        new Date(start).toISOString(),
        answered ? new Date(ans).toISOString() : '',
        new Date(stop).toISOString(),
        dur,
        calling,
        called,
        '',
        i % 4 === 0 ? 'subscriber' : 'carrier',
        i % 4 === 0 ? '' : 'UP' + (i % 11),
        'tg' + (i % 50),
        '198.51.100.' + (i % 250),
        'carrier',
        'DN' + (i % 5),
        'out' + (i % 20),
        answered ? 200 : 486,
        signed ? 'ABC'[i % 3] : '',
        signed ? `${(i * 2654435761 >>> 0).toString(16).padStart(8, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}` : '',
        '',
      ].join(','),
    );
    if (batch.length === 10_000) {
      await write(batch.join('\n') + '\n');
      batch.length = 0;
    }
  }
  if (batch.length) await write(batch.join('\n') + '\n');
  await new Promise<void>((r) => out.end(r));
}
