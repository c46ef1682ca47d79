import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTraceEngine } from '../../../engine/trace/trace-engine.ts';
import { ingestFile } from '../../../ingest/pipeline/ingest-file.ts';
import { cdrRow, tempDir, writeCsv, type Row } from '../../support/cdr-fixtures.ts';

const NOW = new Date('2026-11-21T00:00:00Z');

/** One CDR of a hop: `p` handed the call from `from` to `to` at `start`. */
const hop = (p: string, i: number, start: string, from: { type: string; carrier?: string; trunk?: string }, to: { type: string; carrier?: string }, over: Partial<Row> = {}): Row =>
  cdrRow(i, {
    provider_id: p,
    switch_id: `${p.toLowerCase()}-sw1`,
    call_id: `${p}-${i}`,
    start_time: start,
    answer_time: '',
    end_time: start,
    duration_s: '0',
    sip_code: '486',
    calling_number: '+12125550101',
    called_number: '+13125550199',
    ingress_type: from.type,
    ingress_carrier: from.carrier ?? '',
    ingress_trunk: from.trunk ?? `TG-${from.carrier ?? ''}`,
    egress_type: to.type,
    egress_carrier: to.carrier ?? '',
    egress_trunk: 'x',
    attestation: '',
    ...over,
  });

async function engineFor(rows: Row[]) {
  const dir = tempDir();
  const byProvider = new Map<string, Row[]>();
  for (const r of rows) byProvider.set(r.provider_id ?? "", [...(byProvider.get(r.provider_id ?? "") ?? []), r]);
  for (const [p, rs] of byProvider) await ingestFile(writeCsv(dir, `${p}.csv`, rs), { data: path.join(dir, 'data'), now: NOW });
  return openTraceEngine(path.join(dir, 'data'));
}

describe('trace-back on hand-made paths', () => {
  it('reports two equally good terminating records as ambiguous, with the ranked candidates', async () => {
    const e = await engineFor([
      hop('TERM1', 1, '2026-11-20T15:00:00Z', { type: 'carrier', carrier: 'TRNS1' }, { type: 'subscriber' }),
      hop('TERM1', 2, '2026-11-20T15:00:00Z', { type: 'carrier', carrier: 'TRNS2' }, { type: 'subscriber' }),
    ]);
    const r = await e.traceRaw({ calling: '212-555-0101', called: '312-555-0199', at: '2026-11-20T15:00:00Z' }, { now: NOW });
    expect(r.status).toBe('ambiguous');
    expect(r.ranked?.map((c) => c.call_id).sort()).toEqual(['TERM1-1', 'TERM1-2']);
    e.close();
  });

  it('lets an equal origid decide between otherwise equal candidates', async () => {
    const origid = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
    const e = await engineFor([
      hop('TERM1', 1, '2026-11-20T15:00:00Z', { type: 'carrier', carrier: 'TRNS1' }, { type: 'subscriber' }),
      hop('TERM1', 2, '2026-11-20T15:00:00Z', { type: 'carrier', carrier: 'TRNS2' }, { type: 'subscriber' }, { origid, attestation: 'B' }),
    ]);
    const r = await e.traceRaw({ calling: '212-555-0101', called: '312-555-0199', at: '2026-11-20T15:00:00Z', origid }, { now: NOW });
    expect(r.hops[0]?.call_id).toBe('TERM1-2');
    expect(r).toMatchObject({ status: 'left_corpus', upstream: { carrier: 'TRNS2' } });
    e.close();
  });

  it('detects a loop between two carriers and reports it', async () => {
    const e = await engineFor([
      hop('TERM1', 1, '2026-11-20T15:00:02Z', { type: 'carrier', carrier: 'TRNS1' }, { type: 'subscriber' }),
      hop('TRNS1', 2, '2026-11-20T15:00:01Z', { type: 'carrier', carrier: 'TRNS2' }, { type: 'carrier', carrier: 'TERM1' }),
      hop('TRNS2', 3, '2026-11-20T15:00:00Z', { type: 'carrier', carrier: 'TRNS1' }, { type: 'carrier', carrier: 'TRNS1' }),
      hop('TRNS1', 4, '2026-11-20T15:00:00Z', { type: 'carrier', carrier: 'TRNS2' }, { type: 'carrier', carrier: 'TRNS2' }),
    ]);
    const r = await e.traceRaw({ calling: '2125550101', called: '3125550199', at: '2026-11-20T15:00:02Z' }, { now: NOW });
    expect(r.loop).toMatchObject({ provider_id: 'TRNS1' });
    expect(r.origin).toBeNull();
    expect(r.attestation.findings.some((f) => f.startsWith('loop'))).toBe(true);
    e.close();
  });

  it('searches both instants of the hour that repeats in November', async () => {
    // 01:30 ET on 2026-11-01 is 05:30Z (EDT) and 06:30Z (EST); the call happened at the second
    const e = await engineFor([
      hop('TERM1', 1, '2026-11-01T06:30:20Z', { type: 'carrier', carrier: 'TRNS9' }, { type: 'subscriber' }),
    ]);
    const r = await e.traceRaw({ calling: '212-555-0101', called: '312-555-0199', date: '11/01/2026', time: '1:30 am', tz: 'ET' }, { now: NOW });
    expect(r.request.windows).toHaveLength(2);
    expect(r).toMatchObject({ status: 'left_corpus', upstream: { carrier: 'TRNS9' } });
    e.close();
  });

  it('stitches an internal leg between two switches of one provider, with clocks seconds apart', async () => {
    const e = await engineFor([
      hop('TERM1', 1, '2026-11-20T15:00:04Z', { type: 'carrier', carrier: 'ORIG1' }, { type: 'subscriber' }),
      hop('ORIG1', 2, '2026-11-20T15:00:06Z', { type: 'internal', trunk: 'INT' }, { type: 'carrier', carrier: 'TERM1' }, { switch_id: 'orig1-sw2' }),
      hop('ORIG1', 3, '2026-11-20T15:00:01Z', { type: 'subscriber', trunk: 'CUST-7' }, { type: 'internal' }),
    ]);
    const r = await e.traceRaw({ calling: '212-555-0101', called: '312-555-0199', at: '2026-11-20T15:00:04Z' }, { now: NOW });
    expect(r).toMatchObject({ status: 'origin_found', origin: { provider_id: 'ORIG1', ingress_trunk: 'CUST-7' } });
    expect(r.hops.map((h) => h.switch_id)).toEqual(['term1-sw1', 'orig1-sw2', 'orig1-sw1']);
    e.close();
  });
});
