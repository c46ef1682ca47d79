import { all, withDuck } from '../db/duckdb.ts';
import { queryFile } from '../sql/query-file.ts';
import { filesForDays } from '../storage/catalog.ts';
import type { DataLayout } from '../storage/layout.ts';

/** STIR/SHAKEN analytics over stored CDRs (issue 5 item 5), hot and cold alike. */
export interface AttestationAnalytics {
  readonly from: string;
  readonly to: string;
  readonly by_upstream: Record<string, unknown>[];
  readonly by_signer: Record<string, unknown>[];
  readonly failed_by_carrier: Record<string, unknown>[];
  readonly signer_not_upstream: Record<string, unknown>;
}

export async function attestationAnalytics(layout: DataLayout, from: string, to: string): Promise<AttestationAnalytics> {
  const files = filesForDays(layout, from, to);
  if (files.length === 0) return { from, to, by_upstream: [], by_signer: [], failed_by_carrier: [], signer_not_upstream: { verified_from_carriers: 0, signer_not_upstream: 0, share: 0 } };
  return withDuck({}, async (con) => {
    const p = { files: JSON.stringify(files), from, to };
    return {
      from,
      to,
      by_upstream: await all(con, queryFile('stir/attestation-mix-by-upstream'), p),
      by_signer: await all(con, queryFile('stir/attestation-mix-by-signer'), p),
      failed_by_carrier: await all(con, queryFile('stir/failed-verification-by-carrier'), p),
      signer_not_upstream: (await all(con, queryFile('stir/signer-not-upstream'), p))[0] ?? {},
    };
  });
}
