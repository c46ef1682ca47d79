import path from 'node:path';
import { thError } from '../../engine/errors.ts';
import { READERS, readerFor } from './registry.ts';
import type { CdrReader, FormatName } from './reader.ts';

/** `--format auto`: the first reader whose sniff accepts the file's head; never a guess. */
export function chooseReader(format: FormatName | 'auto', head: string, file: string): CdrReader {
  if (format !== 'auto') {
    const r = readerFor(format);
    if (!r) throw thError('TH_USAGE', `format '${format}' has no reader in this build; known: ${READERS.map((x) => x.format).join(', ')}`);
    return r;
  }
  const base = path.basename(file).replace(/\.gz$/, '');
  const found = READERS.find((r) => r.sniff(head, base));
  if (!found) {
    const first = head.split('\n')[0]?.slice(0, 120) ?? '';
    throw thError('TH_INPUT_FORMAT', `cannot tell the format of ${path.basename(file)} from its first line "${first}"; give --format (${READERS.map((r) => r.format).join(', ')})`, {
      details: [{ line: 1, text: first }],
    });
  }
  return found;
}
