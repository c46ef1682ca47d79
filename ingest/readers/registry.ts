import { asteriskReader } from './asterisk.ts';
import { canonicalCsvReader } from './canonical-csv.ts';
import { freeswitchReader } from './freeswitch.ts';
import { kamailioReader } from './kamailio.ts';
import { ndjsonReader } from './ndjson.ts';
import type { CdrReader, FormatName } from './reader.ts';

/**
 * Every reader tracehop has, in sniffing order: the switch formats (distinctive shapes)
 * before the generic ones. Switch readers register themselves here as they land.
 */
export const READERS: CdrReader[] = [kamailioReader, freeswitchReader, asteriskReader, ndjsonReader, canonicalCsvReader];

export function readerFor(format: FormatName): CdrReader | undefined {
  return READERS.find((r) => r.format === format);
}

export function registerReader(reader: CdrReader, first = true): void {
  if (READERS.some((r) => r.format === reader.format)) return;
  if (first) READERS.unshift(reader);
  else READERS.push(reader);
}
