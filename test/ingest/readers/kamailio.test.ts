import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { ingestFile } from '../../../ingest/pipeline/ingest-file.ts';
import { kamailioReader } from '../../../ingest/readers/kamailio.ts';
import { storedRows, tempDir } from '../../support/cdr-fixtures.ts';
import { REPO } from '../../support/run-cli.ts';
import { runReaderContract } from './reader-contract.ts';

const options = { provider: 'ORIG1', switch: 'kam1' };

describe('the Kamailio acc (db_flatstore) reader', () => {
  runReaderContract({ reader: kamailioReader, sample: 'data-samples/kamailio/acc_2026-11-02.log', options, garbageLine: 'OPTIONS|x|y|keepalive-1@10.0.0.1|200|OK|1793640222|||10.0.0.1|' });

  it('pairs the INVITE with its BYE: answered at the INVITE, ended at the BYE', async () => {
    const data = path.join(tempDir(), 'data');
    await ingestFile(path.join(REPO, 'data-samples/kamailio/acc_2026-11-02.log'), { data, ...options });
    const rows = await storedRows(data);
    expect(rows.find((r) => String(r['call_id']).startsWith('a84b4c76e66710@198.51.100.7'))).toMatchObject({
      start_time: '2026-11-02 17:23:46+00',
      answer_time: '2026-11-02 17:23:46+00',
      end_time: '2026-11-02 17:24:31+00',
      duration_s: 45,
      sip_code: 200,
      attestation: 'A',
      origid: '5f1b6a2e-8c4d-4e0b-9a37-2f0c6d1e7b34',
      ingress_ip: '198.51.100.7',
    });
  });

  it('counts an unanswered INVITE once when it is in both acc and missed_calls files', async () => {
    const data = path.join(tempDir(), 'data');
    await ingestFile(path.join(REPO, 'data-samples/kamailio/acc_2026-11-02.log'), { data, ...options });
    const missed = await ingestFile(path.join(REPO, 'data-samples/kamailio/missed_calls_2026-11-02.log'), { data, ...options });
    expect(missed).toMatchObject({ rows_in: 2, rows_stored: 1, rows_rejected: 1, reject_reasons: { duplicate_cdr: 1 } });
    const busy = (await storedRows(data)).filter((r) => String(r['call_id']).startsWith('3c2d1e0f9a8b7c6d@203.0.113.20'));
    expect(busy).toHaveLength(1);
    expect(busy[0]).toMatchObject({ sip_code: 486, duration_s: 0, answer_time: null, attestation: 'C' });
  });

  it('stores any well-formed INVITE/BYE pair it is given (property)', async () => {
    const digits = (n: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n }).map((d) => d.join(''));
    const call = fc.record({
      callid: fc.stringMatching(/^[a-z0-9]{4,20}@[0-9.]{7,15}$/),
      tag: fc.stringMatching(/^[a-z0-9]{1,12}$/),
      t: fc.integer({ min: 1793600000, max: 1793690000 }),
      dur: fc.integer({ min: 0, max: 7200 }),
      code: fc.constantFrom('200', '486', '480', '603'),
      from: digits(6).map((d) => `2125${d}`),
      to: digits(6).map((d) => `3127${d}`),
    });
    const calls = fc.sample(fc.uniqueArray(call, { minLength: 1, maxLength: 40, selector: (c) => c.callid }), { numRuns: 3, seed: 11 });
    for (const set of calls) {
      const dir = tempDir();
      const lines = set.flatMap((c) => [
        `INVITE|${c.tag}|tt|${c.callid}|${c.code}|R|${c.t}|${c.from}|${c.to}|192.0.2.1|`,
        ...(c.code === '200' ? [`BYE|${c.tag}|tt|${c.callid}|200|OK|${c.t + c.dur}|${c.from}|${c.to}|192.0.2.1|`] : []),
      ]);
      const f = path.join(dir, 'acc_x.log');
      writeFileSync(f, lines.join('\n') + '\n');
      const r = await ingestFile(f, { data: path.join(dir, 'data'), ...options });
      expect(r).toMatchObject({ rows_in: set.length, rows_stored: set.length, rows_rejected: 0 });
      const rows = await storedRows(path.join(dir, 'data'));
      for (const c of set) {
        const row = rows.find((x) => String(x['call_id']).startsWith(c.callid));
        expect(row).toMatchObject({ duration_s: c.code === '200' ? c.dur : 0, sip_code: Number(c.code), calling_number: `+1${c.from}` });
      }
    }
  });
});
