import type { TraceResult } from './trace-result.ts';

/**
 * A campaign's answer (issue 4 item 4): counts by origin provider and customer, by the
 * carrier the calls came from that is outside the corpus, by attestation and by status;
 * and the response file a provider sends back to the industry traceback group, one row per
 * call.
 */
export interface CampaignSummary {
  readonly calls: number;
  readonly by_status: Record<string, number>;
  readonly by_origin: { provider_id: string; customer: string; calls: number }[];
  readonly by_upstream_left_corpus: { carrier: string; calls: number }[];
  readonly by_attestation: Record<string, number>;
  readonly outside_24h_commitment: number;
  readonly errors: number;
}

const bump = (m: Map<string, number>, k: string): void => {
  m.set(k, (m.get(k) ?? 0) + 1);
};

export function summarizeCampaign(results: readonly TraceResult[]): CampaignSummary {
  const status = new Map<string, number>();
  const origin = new Map<string, number>();
  const upstream = new Map<string, number>();
  const attest = new Map<string, number>();
  let outside = 0;
  let errors = 0;
  for (const r of results) {
    if (r.error) {
      errors++;
      bump(status, 'error');
      continue;
    }
    bump(status, r.status);
    if (r.origin) bump(origin, `${r.origin.provider_id}\u0000${r.origin.ingress_trunk}`);
    if (r.status === 'left_corpus' && r.upstream) bump(upstream, r.upstream.carrier);
    if (r.status === 'origin_found' || r.status === 'left_corpus') bump(attest, r.attestation.level || 'unsigned');
    if (r.outside_24h_commitment) outside++;
  }
  const sorted = <T extends { calls: number }>(xs: T[]): T[] => xs.sort((a, b) => b.calls - a.calls);
  return {
    calls: results.length,
    by_status: Object.fromEntries(status),
    by_origin: sorted([...origin].map(([k, calls]) => ({ provider_id: k.split('\u0000')[0]!, customer: k.split('\u0000')[1]!, calls }))),
    by_upstream_left_corpus: sorted([...upstream].map(([carrier, calls]) => ({ carrier, calls }))),
    by_attestation: Object.fromEntries(attest),
    outside_24h_commitment: outside,
    errors,
  };
}

const csv = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** The traceback-group response file: date/time, calling, called, status, provider, customer, attestation. */
export function responseFileCsv(results: readonly TraceResult[]): string {
  const header = ['id', 'date_time', 'calling', 'called', 'status', 'upstream_or_originating_provider', 'customer', 'attestation', 'note'];
  const lines = results.map((r) => {
    const provider = r.origin?.provider_id ?? r.upstream?.carrier ?? '';
    const note = r.error ? r.error.errors.map((e) => `${e.path}: ${e.message}`).join('; ') : r.status === 'archive_required' ? 'older than the hot window: archive retrieval required' : r.outside_24h_commitment ? 'older than 30 days: outside the 24-hour commitment' : '';
    return [r.id ?? '', r.request.at || r.request.windows[0]?.from || '', r.request.calling, r.request.called, r.error ? 'error' : r.status, provider, r.origin?.ingress_trunk ?? '', r.attestation.level, note].map((v) => csv(String(v))).join(',');
  });
  return [header.join(','), ...lines].join('\n') + '\n';
}
