import { readFileSync } from 'node:fs';
import { splitCsvLine } from '../text/csv-line.ts';

/**
 * Batch trace-back requests from a file: NDJSON (one request object per line) or CSV with
 * a header (id, calling, called, at | date, time, tz, duration_s, origid, campaign). Every
 * line becomes one request or one error; nothing is skipped silently.
 */
export type BatchLine = { line: number; value: unknown } | { line: number; error: string };

export function readBatchFile(file: string): BatchLine[] {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/);
  const out: BatchLine[] = [];
  const firstNonEmpty = lines.find((l) => l.trim() !== '') ?? '';
  if (firstNonEmpty.trimStart().startsWith('{')) {
    lines.forEach((l, i) => {
      if (l.trim() === '') return;
      try {
        out.push({ line: i + 1, value: JSON.parse(l) });
      } catch (e) {
        out.push({ line: i + 1, error: `line ${i + 1} is not JSON: ${(e as Error).message}` });
      }
    });
    return out;
  }
  const headerIdx = lines.findIndex((l) => l.trim() !== '');
  const header = splitCsvLine(lines[headerIdx] ?? '', ',').map((h) => h.trim().toLowerCase());
  for (let i = headerIdx + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trim() === '') continue;
    const f = splitCsvLine(l, ',');
    if (f.length !== header.length) {
      out.push({ line: i + 1, error: `line ${i + 1} has ${f.length} fields, the header has ${header.length}` });
      continue;
    }
    out.push({ line: i + 1, value: Object.fromEntries(header.map((h, k) => [h, f[k]!.trim()]).filter(([, v]) => v !== '')) });
  }
  return out;
}
