import type { Hop } from './trace-result.ts';

/**
 * What the STIR/SHAKEN data along a path says (issue 4 item 3). Hops run from the
 * terminating provider back toward the origin, so hops[i + 1] handed the call to hops[i].
 */
export interface AttestationSummary {
  readonly signer: string;
  readonly level: string;
  readonly origid: string;
  readonly findings: string[];
}

const npaNxx = (e164: string): string | null => (/^\+1\d{10}$/.test(e164) ? e164.slice(2, 8) : null);

export function attestationFindings(hops: readonly Hop[], originFound: boolean): AttestationSummary {
  const findings: string[] = [];
  const signedHops = hops.filter((h) => h.attestation !== '');
  // the most upstream hop that saw an attestation is closest to the signer
  const first = signedHops[signedHops.length - 1];
  const origin = originFound ? hops[hops.length - 1] : undefined;
  const signer = origin && origin.attestation !== '' ? origin.provider_id : first ? `upstream of ${first.provider_id}` : '';
  const level = origin?.attestation || first?.attestation || '';
  const origid = origin?.origid || first?.origid || '';

  if (origin && origin.attestation === '') findings.push(`unsigned at origin: ${origin.provider_id} sent the call without a PASSporT`);
  const spoof = hops[0] && npaNxx(hops[0].calling_number) !== null && npaNxx(hops[0].calling_number) === npaNxx(hops[0].called_number);
  if (spoof) {
    if (origin && origin.attestation === 'A') {
      findings.push(`signed A by the originating provider ${origin.provider_id} for a number its customer ${origin.ingress_trunk} does not own (neighbor spoofing: calling NPA-NXX equals called NPA-NXX)`);
    } else findings.push('neighbor spoofing: calling NPA-NXX equals called NPA-NXX');
  }
  for (let i = hops.length - 1; i > 0; i--) {
    const up = hops[i]!;
    const down = hops[i - 1]!;
    // hop numbers as in `hops`: 1 is the terminating provider
    if (up.identity && !down.identity) findings.push(`Identity lost between hop ${i + 1} (${up.provider_id}) and hop ${i} (${down.provider_id})`);
    if (up.attestation && down.attestation && up.attestation !== down.attestation) {
      findings.push(`attestation changed from ${up.attestation} at ${up.provider_id} to ${down.attestation} at ${down.provider_id}`);
    }
    if (up.origid && down.origid && up.origid !== down.origid) findings.push(`origid differs between ${up.provider_id} (${up.origid}) and ${down.provider_id} (${down.origid})`);
  }
  for (const h of hops) if (h.verstat === 'TN-Validation-Failed') findings.push(`verification failed at ${h.provider_id} (${h.switch_id})`);
  return { signer, level, origid, findings };
}
