/**
 * Reading a CSV header line: the delimiter is the one (of , ; TAB |) that splits the
 * header into the most known column names; names are trimmed, unquoted and lower-cased.
 */
import { splitCsvLine } from '../../engine/text/csv-line.ts';

export { splitCsvLine };

export const DELIMITERS = [',', ';', '\t', '|'] as const;

export function firstLine(head: string): string {
  const nl = head.indexOf('\n');
  return (nl >= 0 ? head.slice(0, nl) : head).replace(/\r$/, '');
}

export function detectHeader(head: string, known: readonly string[]): { delimiter: string; names: string[] } {
  const line = firstLine(head);
  let best: { delimiter: string; names: string[]; score: number } = { delimiter: ',', names: splitCsvLine(line, ',').map(clean), score: -1 };
  for (const d of DELIMITERS) {
    const names = splitCsvLine(line, d).map(clean);
    const score = names.filter((n) => known.includes(n)).length;
    if (score > best.score) best = { delimiter: d, names, score };
  }
  return { delimiter: best.delimiter, names: best.names };
}

const clean = (s: string): string => s.trim().replace(/^"|"$/g, '').trim().toLowerCase();
