import type { DuckDBConnection } from '@duckdb/node-api';
import { all, exec } from '../db/duckdb.ts';
import { fetchCertificate } from './cert-fetch.ts';
import { parseIdentity, splitIdentityField } from './identity-header.ts';
import { verifyIdentity } from './verify-identity.ts';

/**
 * Verification at ingest (issue 5 item 3): for the staged rows that carry an Identity
 * header, verify offline with the call's start time as the reference time, certificates
 * from the cache only (each distinct x5u fetched once beforehand by prefetch, never per
 * row), and store verstat, signer SPC and the reason beside the CDR. Rows are read and
 * written back in pages, so memory stays bounded whatever the file size.
 */
const PAGE = 20_000;

interface StagedIdentity {
  rid: string;
  identity: string;
  orig: string;
  dest: string;
  start_ms: string;
}

export async function prefetchCertificates(x5us: readonly string[], cacheDir: string, opts: { tlsCa?: string } = {}): Promise<{ fetched: number; failed: string[] }> {
  const failed: string[] = [];
  let fetched = 0;
  for (const u of x5us) {
    const r = await fetchCertificate(u, { cacheDir, ...(opts.tlsCa ? { tlsCa: opts.tlsCa } : {}) });
    if (r.ok) fetched++;
    else failed.push(`${u}: ${r.reason}`);
  }
  return { fetched, failed };
}

export async function verifyStagedIdentities(con: DuckDBConnection, opts: { table: string; trustDir: string; cacheDir: string }): Promise<{ checked: number; passed: number; failed: number }> {
  if (opts.table !== 'th_stage') throw new Error('verifyStagedIdentities works on the ingest staging table');
  await exec(con, `CREATE OR REPLACE TEMP TABLE th_ids AS SELECT rowid AS rid FROM th_stage WHERE reject_reason IS NULL AND "identity" <> ''`);
  const total = Number((await all<{ n: string }>(con, 'SELECT count(*)::VARCHAR AS n FROM th_ids'))[0]?.n ?? 0);
  if (total === 0) return { checked: 0, passed: 0, failed: 0 };

  // 1. every distinct x5u once, before any row is verified
  const x5uRows = await all<{ identity: string }>(con, `SELECT DISTINCT "identity" FROM th_stage WHERE reject_reason IS NULL AND "identity" <> '' LIMIT 200000`);
  const x5us = new Set<string>();
  for (const r of x5uRows) {
    for (const v of splitIdentityField(r.identity)) {
      const p = parseIdentity(v);
      const u = p.ok ? p.value.header['x5u'] : undefined;
      if (typeof u === 'string') x5us.add(u);
    }
  }
  await prefetchCertificates([...x5us], opts.cacheDir);

  // 2. verify page by page, offline; a token seen before is not verified twice in a page
  await exec(con, 'CREATE OR REPLACE TEMP TABLE th_verified (rid BIGINT, verstat VARCHAR, signer_spc VARCHAR, verify_reason VARCHAR, attest VARCHAR, origid VARCHAR)');
  let passed = 0;
  let last = -1n;
  for (;;) {
    // keyset paging on the staging rowid
    const rows = await all<StagedIdentity>(
      con,
      `SELECT s.rowid::VARCHAR AS rid, s."identity" AS "identity", CASE WHEN s.pai_number <> '' THEN s.pai_number ELSE s.calling_number END AS orig,
              s.called_number AS dest, epoch_ms(s.start_time)::VARCHAR AS start_ms
       FROM (SELECT rid FROM th_ids WHERE rid > $last::BIGINT ORDER BY rid LIMIT ${PAGE}) i JOIN th_stage s ON s.rowid = i.rid ORDER BY s.rowid`,
      { last: last.toString() },
    );
    if (rows.length === 0) break;
    last = BigInt(rows[rows.length - 1]!.rid);
    const appender = await con.createAppender('th_verified');
    try {
      for (const r of rows) {
        const v = await verifyIdentity({
          identity: r.identity,
          orig: r.orig,
          dest: r.dest,
          at: new Date(Number(r.start_ms)),
          trustDir: opts.trustDir,
          fetch: { cacheDir: opts.cacheDir, offline: true },
        });
        if (v.verstat === 'TN-Validation-Passed') passed++;
        appender.appendBigInt(BigInt(r.rid));
        appender.appendVarchar(v.verstat);
        appender.appendVarchar(v.signer_spc);
        appender.appendVarchar(v.sip_code === null ? v.reason : `${v.sip_code} ${v.reason}`);
        appender.appendVarchar(v.attest);
        appender.appendVarchar(v.origid);
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }
  await exec(
    con,
    `UPDATE th_stage SET verstat = v.verstat, signer_spc = v.signer_spc, verify_reason = v.verify_reason,
       attestation = CASE WHEN th_stage.attestation = '' THEN coalesce(v.attest, '') ELSE th_stage.attestation END,
       origid = CASE WHEN th_stage.origid = '' THEN coalesce(v.origid, '') ELSE th_stage.origid END
     FROM th_verified v WHERE th_stage.rowid = v.rid`,
  );
  // rows without an Identity header: nothing to validate (RFC 8224 §6.2.1 "No-TN-Validation")
  await exec(con, `UPDATE th_stage SET verstat = 'No-TN-Validation' WHERE reject_reason IS NULL AND "identity" = ''`);
  return { checked: total, passed, failed: total - passed };
}
