import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFile } from '../../../ingest/pipeline/ingest-file.ts';
import { asteriskReader } from '../../../ingest/readers/asterisk.ts';
import { storedRows, tempDir } from '../../support/cdr-fixtures.ts';
import { REPO } from '../../support/run-cli.ts';
import { runReaderContract } from './reader-contract.ts';

const options = { provider: 'PBX2', switch: 'ast1', tz: 'CT' };

describe('the Asterisk Master.csv reader', () => {
  runReaderContract({ reader: asteriskReader, sample: 'data-samples/asterisk/Master.csv', options, garbageLine: '"too","few"' });

  it('maps cdr_csv columns: disposition to SIP code, trunks from channel names, optional uniqueid', async () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    const { writeFileSync } = await import('node:fs');
    const map = path.join(dir, 'trunks.csv');
    writeFileSync(map, 'trunk,carrier\ncarrier-a,UPSTREAM-A\ncarrier-b,DOWNSTREAM-B\n');
    await ingestFile(path.join(REPO, 'data-samples/asterisk/Master.csv'), { data, ...options, trunkMap: map });
    const rows = await storedRows(data);
    expect(rows.find((r) => r['call_id'] === '1793640221.42')).toMatchObject({
      start_time: '2026-11-02 17:23:41+00', // 11:23:41 CST
      duration_s: 45,
      sip_code: 200,
      ingress_trunk: 'acct-77',
      egress_trunk: 'carrier-b',
      egress_type: 'carrier',
      egress_carrier: 'DOWNSTREAM-B',
    });
    expect(rows.find((r) => r['call_id'] === '1793640302.44')).toMatchObject({ sip_code: 480, ingress_trunk: 'carrier-a', ingress_type: 'carrier', ingress_carrier: 'UPSTREAM-A' });
    expect(rows.find((r) => r['call_id'] === '1793640370.46')).toMatchObject({ calling_number: '', sip_code: 486 });
    // a record written with loguniqueid=no (16 columns) gets channel@start as its id
    expect(rows.find((r) => String(r['call_id']).startsWith('PJSIP/desk-104-00000032@'))).toMatchObject({ duration_s: 60 });
  });
});
