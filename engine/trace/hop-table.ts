import type { TraceResult } from './trace-result.ts';

/** A trace-back result as a text table for people (`tracehop trace --format table`, the demo). */
export function hopTable(r: TraceResult): string {
  const lines: string[] = [];
  const head = `${r.request.calling} -> ${r.request.called} at ${r.request.at || r.request.windows[0]?.from || ''}: ${r.status.toUpperCase()}`;
  lines.push(head);
  if (r.error) {
    for (const e of r.error.errors) lines.push(`  error ${e.path}: ${e.message}`);
    return lines.join('\n');
  }
  const cols = ['#', 'provider', 'switch', 'call_id', 'start (UTC)', 'ingress', 'from', 'attest', 'score'];
  const rows = r.hops.map((h, i) => [
    String(i + 1),
    h.provider_id,
    h.switch_id,
    h.call_id.length > 28 ? `${h.call_id.slice(0, 25)}...` : h.call_id,
    h.start_time.replace('T', ' ').replace('Z', ''),
    h.ingress_type,
    h.ingress_type === 'subscriber' ? h.ingress_trunk : h.ingress_type === 'internal' ? '(other switch)' : h.ingress_carrier,
    h.attestation || '-',
    h.score.toFixed(2),
  ]);
  if (rows.length > 0) {
    const w = cols.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i]!.length)));
    lines.push('  ' + cols.map((c, i) => c.padEnd(w[i]!)).join('  '));
    for (const row of rows) lines.push('  ' + row.map((v, i) => v.padEnd(w[i]!)).join('  '));
  }
  if (r.origin) lines.push(`  origin: ${r.origin.provider_id}, customer ${r.origin.ingress_trunk}, attestation ${r.origin.attestation || 'none'}`);
  if (r.upstream) lines.push(`  upstream carrier (records not held): ${r.upstream.carrier}`);
  if (r.ranked) for (const c of r.ranked) lines.push(`  candidate ${c.provider_id}/${c.call_id} score ${c.score.toFixed(2)} (${c.reasons.join(', ')})`);
  for (const f of r.attestation.findings) lines.push(`  finding: ${f}`);
  if (r.outside_24h_commitment) lines.push('  note: older than 30 days, outside the 24-hour answer commitment');
  lines.push(`  (${r.elapsed_ms} ms)`);
  return lines.join('\n');
}
