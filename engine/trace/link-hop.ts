import type { TraceConfig } from './trace-config.ts';

/**
 * Scoring a candidate CDR against what it must match: the request (terminating hop) or
 * the downstream hop it should have handed the call to. Pure functions, property-tested.
 */
export interface CdrRow {
  readonly provider_id: string;
  readonly switch_id: string;
  readonly call_id: string;
  readonly start_time: string;
  readonly start_ms: number;
  readonly duration_s: number;
  readonly calling_number: string;
  readonly called_number: string;
  readonly pai_number: string;
  readonly ingress_type: string;
  readonly ingress_carrier: string;
  readonly ingress_trunk: string;
  readonly ingress_ip: string;
  readonly egress_type: string;
  readonly egress_carrier: string;
  readonly egress_trunk: string;
  readonly sip_code: number;
  readonly attestation: string;
  readonly origid: string;
  readonly has_identity: boolean;
  readonly verstat: string;
  readonly signer_spc: string;
}

export interface Target {
  readonly calling: string;
  /** instants the call may have started in [from, to) */
  readonly windows: readonly { from: number; to: number }[];
  readonly duration_s?: number;
  readonly origid?: string;
}

export interface Scored {
  readonly row: CdrRow;
  readonly score: number;
  readonly decisive: boolean;
  readonly reasons: string[];
}

/** Distance in ms from t to the nearest window (0 inside one). */
export const windowDistance = (t: number, windows: Target['windows']): number =>
  Math.min(...windows.map((w) => (t < w.from ? w.from - t : t >= w.to ? t - w.to + 1 : 0)));

/** Calling numbers are compatible when equal, or when the target's number is the candidate's PAI. */
export const callingCompatible = (target: string, row: Pick<CdrRow, 'calling_number' | 'pai_number'>): 'exact' | 'pai' | 'withheld' | null =>
  row.calling_number === target ? 'exact' : row.pai_number !== '' && row.pai_number === target ? 'pai' : row.calling_number === '' || target === '' ? 'withheld' : null;

export function scoreCandidate(row: CdrRow, t: Target, cfg: TraceConfig): Scored | null {
  const reasons: string[] = [];
  if (t.origid && row.origid && t.origid === row.origid) {
    return { row, score: 1, decisive: true, reasons: ['origid equal (decisive)'] };
  }
  const calling = callingCompatible(t.calling, row);
  if (!calling) return null;
  const dt = windowDistance(row.start_ms, t.windows);
  if (dt > cfg.clockToleranceMs) return null;
  let durScore = 1;
  if (t.duration_s !== undefined) {
    const dd = Math.abs(row.duration_s - t.duration_s);
    if (dd > cfg.durationToleranceS) return null;
    durScore = 1 - dd / (cfg.durationToleranceS + 1);
    reasons.push(`duration ${row.duration_s}s vs ${t.duration_s}s`);
  }
  const timeScore = 1 - dt / (cfg.clockToleranceMs + 1);
  reasons.push(dt === 0 ? 'start inside the window' : `start ${(dt / 1000).toFixed(1)}s from the window`);
  const callingScore = calling === 'exact' ? 1 : calling === 'pai' ? 0.9 : 0.6;
  reasons.push(`calling ${calling}`);
  let score = 0.5 * timeScore + 0.3 * durScore + 0.2 * callingScore;
  if (t.origid && row.origid && t.origid !== row.origid) {
    score *= 0.5;
    reasons.push('origid differs');
  }
  return { row, score: Math.round(score * 1000) / 1000, decisive: false, reasons };
}

/** Best candidate, or a tie (ambiguous) when the top two are within the margin and none is decisive. */
export function pickBest(scored: readonly Scored[], cfg: TraceConfig): { best: Scored | null; tie: Scored[] } {
  const ranked = [...scored].sort((a, b) => Number(b.decisive) - Number(a.decisive) || b.score - a.score || a.row.call_id.localeCompare(b.row.call_id));
  const top = ranked[0];
  if (!top) return { best: null, tie: [] };
  if (top.decisive) {
    const others = ranked.filter((s) => s.decisive && s.row.call_id !== top.row.call_id);
    return others.length > 0 ? { best: null, tie: ranked.filter((s) => s.decisive) } : { best: top, tie: [] };
  }
  const second = ranked[1];
  if (second && top.score - second.score < cfg.tieMargin) return { best: null, tie: ranked.filter((s) => top.score - s.score < cfg.tieMargin) };
  return { best: top, tie: [] };
}
