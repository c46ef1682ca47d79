import { describe } from 'vitest';
import { canonicalCsvReader } from '../../../ingest/readers/canonical-csv.ts';
import { runReaderContract } from './reader-contract.ts';

describe('the canonical CSV reader', () => {
  runReaderContract({ reader: canonicalCsvReader, sample: 'data-samples/canonical/transit-sw1.csv', options: {}, garbageLine: 'only,three,fields' });
});
