/**
 * Reading a CSV header line: the delimiter is the one (of , ; TAB |) that splits the
 * header into the most known column names; names are trimmed, unquoted and lower-cased.
 */
export const DELIMITERS = [',', ';', '\t', '|'] as const;

export function firstLine(head: string): string {
  const nl = head.indexOf('\n');
  return (nl >= 0 ? head.slice(0, nl) : head).replace(/\r$/, '');
}

/** Split one CSV line on `delim`, honouring double quotes (RFC 4180). */
export function splitCsvLine(line: string, delim: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else cur += ch;
    } else if (ch === '"' && cur === '') quoted = true;
    else if (ch === delim) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
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
