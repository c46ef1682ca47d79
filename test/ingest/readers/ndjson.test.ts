import { describe } from 'vitest';
import { ndjsonReader } from '../../../ingest/readers/ndjson.ts';
import { runReaderContract } from './reader-contract.ts';

describe('the NDJSON reader', () => {
  runReaderContract({ reader: ndjsonReader, sample: 'data-samples/ndjson/term-core.ndjson', options: {}, garbageLine: '{"provider_id": "TERM1", truncated' });
});
