import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pickBest, scoreCandidate, type CdrRow } from '../../../engine/trace/link-hop.ts';
import { DEFAULT_TRACE_CONFIG as cfg } from '../../../engine/trace/trace-config.ts';

const base: CdrRow = {
  provider_id: 'P',
  switch_id: 's',
  call_id: 'c',
  start_time: '',
  start_ms: 1_000_000,
  duration_s: 45,
  calling_number: '+12125551234',
  called_number: '+13125555678',
  pai_number: '',
  ingress_type: 'carrier',
  ingress_carrier: 'U',
  ingress_trunk: '',
  ingress_ip: '',
  egress_type: 'subscriber',
  egress_carrier: '',
  egress_trunk: '',
  sip_code: 200,
  attestation: '',
  origid: '',
  has_identity: false,
  verstat: '',
  signer_spc: '',
};

describe('the hop matcher', () => {
  it('accepts exactly the candidates inside the clock and duration tolerances (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -20_000, max: 20_000 }), fc.integer({ min: -5, max: 5 }), (dt, dd) => {
        const row = { ...base, start_ms: base.start_ms + dt, duration_s: Math.max(0, 45 + dd) };
        const s = scoreCandidate(row, { calling: base.calling_number, windows: [{ from: base.start_ms, to: base.start_ms + 1 }], duration_s: 45 }, cfg);
        const dist = dt < 0 ? -dt : dt >= 1 ? dt : 0;
        const inside = dist <= cfg.clockToleranceMs && Math.abs(row.duration_s - 45) <= cfg.durationToleranceS;
        expect(s !== null).toBe(inside);
        if (s) expect(s.score).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
  });

  it('scores a closer candidate at least as high (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: cfg.clockToleranceMs - 1 }), fc.integer({ min: 0, max: cfg.clockToleranceMs - 1 }), (a, b) => {
        const t = { calling: base.calling_number, windows: [{ from: base.start_ms, to: base.start_ms + 1 }] };
        const sa = scoreCandidate({ ...base, start_ms: base.start_ms + 1 + a }, t, cfg)!;
        const sb = scoreCandidate({ ...base, start_ms: base.start_ms + 1 + b }, t, cfg)!;
        if (a < b) expect(sa.score).toBeGreaterThanOrEqual(sb.score);
      }),
    );
  });

  it('never links a different calling number, and lets an equal origid decide', () => {
    const t = { calling: '+12125550000', windows: [{ from: base.start_ms, to: base.start_ms + 1 }] };
    expect(scoreCandidate(base, t, cfg)).toBeNull();
    const origid = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
    const d = scoreCandidate({ ...base, origid, start_ms: base.start_ms + 60_000 }, { ...t, origid }, cfg);
    expect(d).toMatchObject({ decisive: true, score: 1 });
  });

  it('reports a tie instead of guessing, and picks a clear winner (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }), (scores) => {
        const scored = scores.map((score, i) => ({ row: { ...base, call_id: `c${i}` }, score, decisive: false, reasons: [] }));
        const { best, tie } = pickBest(scored, cfg);
        const sorted = [...scores].sort((a, b) => b - a);
        if (sorted.length > 1 && sorted[0]! - sorted[1]! < cfg.tieMargin) {
          expect(best).toBeNull();
          expect(tie.length).toBeGreaterThanOrEqual(2);
        } else {
          expect(best?.score).toBe(sorted[0]);
        }
      }),
    );
  });
});
