import type { IngestRequest } from '../ingest/pipeline/ingest-file.ts';
import { FORMATS } from '../ingest/readers/reader.ts';
import { UsageError } from './output.ts';

/** The ingest options `tracehop ingest` and `tracehop watch` share (one spec, one reading). */
export const INGEST_OPTION_SPEC = {
  data: { type: 'string' },
  format: { type: 'string', default: 'auto' },
  provider: { type: 'string' },
  switch: { type: 'string' },
  tz: { type: 'string' },
  'trunk-map': { type: 'string' },
  mapping: { type: 'string' },
  trust: { type: 'string' },
} as const;

type IngestOptionValues = { [K in keyof typeof INGEST_OPTION_SPEC]?: string | undefined };

/** The IngestRequest the options name (without `now`), or a usage error naming the option. */
export function ingestRequestFrom(values: IngestOptionValues, data: string): IngestRequest {
  const format = values.format ?? 'auto';
  if (format !== 'auto' && !(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be auto or one of ${FORMATS.join(', ')}`);
  return {
    data,
    format: format as (typeof FORMATS)[number] | 'auto',
    ...(values.provider ? { provider: values.provider } : {}),
    ...(values.switch ? { switch: values.switch } : {}),
    ...(values.tz ? { tz: values.tz } : {}),
    ...(values['trunk-map'] ? { trunkMap: values['trunk-map'] } : {}),
    ...(values.mapping ? { mapping: values.mapping } : {}),
    ...(values.trust ? { trust: values.trust } : {}),
  };
}
