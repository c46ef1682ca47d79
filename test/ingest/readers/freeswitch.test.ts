import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFile } from '../../../ingest/pipeline/ingest-file.ts';
import { freeswitchReader } from '../../../ingest/readers/freeswitch.ts';
import { storedRows, tempDir } from '../../support/cdr-fixtures.ts';
import { REPO } from '../../support/run-cli.ts';
import { runReaderContract } from './reader-contract.ts';

const options = { provider: 'PBX1', switch: 'fs1', tz: 'America/New_York' };

describe('the FreeSWITCH mod_cdr_csv reader', () => {
  runReaderContract({ reader: freeswitchReader, sample: 'data-samples/freeswitch/Master.csv', options, garbageLine: '"not","a","freeswitch","record"' });

  it('maps the example template: local time to UTC, billsec, hangup cause to SIP code', async () => {
    const data = path.join(tempDir(), 'data');
    await ingestFile(path.join(REPO, 'data-samples/freeswitch/Master.csv'), { data, ...options });
    const rows = await storedRows(data);
    const answered = rows.find((r) => r['call_id'] === '4a6f1c3e-2b7d-4e8a-9c1f-5d3b2a1e0f9c');
    expect(answered).toMatchObject({
      provider_id: 'PBX1',
      switch_id: 'fs1',
      start_time: '2026-11-02 17:23:41+00', // 12:23:41 EST (UTC-5 after the November change)
      answer_time: '2026-11-02 17:23:46+00',
      duration_s: 45,
      calling_number: '+12125551234',
      called_number: '+13125555678',
      sip_code: 200,
      ingress_trunk: 'acct-1042',
    });
    expect(rows.find((r) => r['call_id'] === '7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f')).toMatchObject({ calling_number: '', sip_code: 480, answer_time: null, duration_s: 0 });
    expect(rows.find((r) => r['call_id'] === '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b')).toMatchObject({ sip_code: 486 });
    expect(rows.find((r) => r['call_id'] === '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9')).toMatchObject({ calling_number: '+442079460958' });
    expect(rows.find((r) => r['call_id'] === '3b4c5d6e-7f80-4192-a3b4-c5d6e7f80912')).toMatchObject({ sip_code: 487 });
  });

  it('is refused without --tz (local time is never guessed) and without --provider', async () => {
    const data = path.join(tempDir(), 'data');
    const file = path.join(REPO, 'data-samples/freeswitch/Master.csv');
    expect((await ingestFile(file, { data, provider: 'PBX1', switch: 'fs1' })).error?.code).toBe('TH_INPUT_TZ_REQUIRED');
    expect((await ingestFile(file, { data, tz: 'ET' })).error?.code).toBe('TH_INPUT_PROVIDER_REQUIRED');
  });

  it('reads a custom template through a mapping file, with the Identity header it logged', async () => {
    const data = path.join(tempDir(), 'data');
    const r = await ingestFile(path.join(REPO, 'data-samples/freeswitch/stir-template.csv'), {
      data,
      provider: 'PBX1',
      switch: 'fs2',
      tz: 'ET',
      mapping: path.join(REPO, 'data-samples/freeswitch/stir-template.json'),
    });
    expect(r).toMatchObject({ rows_stored: 2, rows_rejected: 0 });
    const rows = await storedRows(data);
    expect(rows.find((x) => x['call_id'] === '6d0e5c7a-93b1-4f2e-8a64-1c9d2b7e4f10')).toMatchObject({
      pai_number: '+12125551234',
      attestation: 'A',
      origid: '5f1b6a2e-8c4d-4e0b-9a37-2f0c6d1e7b34',
      ingress_ip: '198.51.100.7',
      sip_code: 200,
    });
    expect(rows.find((x) => x['call_id'] === '0c2b9a8d-7e6f-4a5b-9c3d-2e1f0a9b8c7d')).toMatchObject({ sip_code: 486, attestation: '' });
  });

  it('refuses a mapping file that maps a column it does not list, naming it', async () => {
    const { writeFileSync } = await import('node:fs');
    const dir = tempDir();
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'x', format: 'freeswitch', local_time: true, columns: ['a'], map: { call_id: 'a', start_time: 'b', called_number: 'a' } }));
    const r = await ingestFile(path.join(REPO, 'data-samples/freeswitch/Master.csv'), { data: path.join(dir, 'data'), ...options, mapping: bad });
    expect(r.error?.code).toBe('TH_INPUT_MAPPING');
    expect(r.error?.message).toContain("map.start_time: source column 'b' is not in columns");
  });
});
