import { CANONICAL_COLUMN_NAMES, quoteIdent, varcharColumnsArg } from '../../engine/cdr/schema.ts';
import { exec } from '../../engine/db/duckdb.ts';
import { csvRejectsRelation, loadCsvRejects } from './csv-rejects.ts';
import { requireProviderSwitch } from './fixed-columns.ts';
import type { CdrReader, ReaderContext, SourcePlan } from './reader.ts';

/**
 * Kamailio `acc` records written by `db_flatstore` (files acc_*.log, missed_calls_*.log):
 *   method|from_tag|to_tag|callid|sip_code|sip_reason|time|src_user|dst_user|src_ip|identity
 * (acc's core columns, then the extras DESIGN.md names: $fU, $rU, $si and the Identity
 * header the proxy added; `time` in epoch seconds). One call is the INVITE record, logged
 * at the INVITE's final reply, and the BYE with the same Call-ID: answered at the INVITE's
 * reply, ended at the BYE. An INVITE with a final code of 300 or more is an unanswered
 * call. The same unanswered INVITE logged in both acc_*.log and missed_calls_*.log is one
 * call: the pipeline drops a record whose (provider, switch, call id) is already stored
 * (reason `duplicate_cdr`), so ingesting both files counts it once.
 * A BYE merged into its INVITE is not a row of its own; a BYE whose INVITE is not in the
 * file, and records of other methods, are rejected with their line.
 */
export const KAMAILIO_COLUMNS = ['method', 'from_tag', 'to_tag', 'callid', 'sip_code', 'sip_reason', 'time', 'src_user', 'dst_user', 'src_ip', 'identity'] as const;

const MAX_LINE = 1_048_576;

export const kamailioReader: CdrReader = {
  format: 'kamailio',
  sniff(head, fileName) {
    const line = head.split('\n').find((l) => l.trim() !== '');
    if (!line) return false;
    const f = line.split('|');
    return f.length >= 7 && /^[A-Z]+$/.test(f[0] ?? '') && /^\d{3}$/.test(f[4] ?? '') && /^\d{9,10}(\.\d+)?$/.test(f[6] ?? '') || (/^(acc|missed_calls)_.*\.log$/.test(fileName) && f.length >= 7);
  },
  async plan(ctx: ReaderContext): Promise<SourcePlan> {
    const ids = requireProviderSwitch(ctx, 'kamailio');
    await exec(
      ctx.con,
      `CREATE OR REPLACE TEMP TABLE th_kam AS SELECT * FROM read_csv($file, columns = ${varcharColumnsArg(KAMAILIO_COLUMNS)}, header = false,
         delim = '|', quote = '', escape = '', auto_detect = false, compression = $compression, strict_mode = false,
         null_padding = true, store_rejects = true, ignore_errors = true, max_line_size = ${MAX_LINE},
         rejects_table = 'th_reject_errors', rejects_scan = 'th_reject_scans')`,
      { file: ctx.file, compression: ctx.compression },
    );
    const rejects = await loadCsvRejects(ctx.con, 0);
    const shifted = rejects.length > 0;
    const k = (c: string): string => `k.${quoteIdent(c)}`;
    const ok2xx = `regexp_full_match(${k('sip_code')}, '2\\d\\d')`;
    const canon: Record<string, string> = {
      provider_id: '$provider',
      switch_id: '$switch',
      call_id: `${k('callid')} || CASE WHEN coalesce(${k('from_tag')}, '') <> '' THEN ';ft=' || ${k('from_tag')} ELSE '' END`,
      start_time: k('time'),
      answer_time: `CASE WHEN ${ok2xx} THEN ${k('time')} END`,
      end_time: `CASE WHEN ${ok2xx} THEN coalesce(b.bye_time, ${k('time')}) ELSE ${k('time')} END`,
      duration_s: `CASE WHEN ${ok2xx} AND b.bye_time IS NOT NULL AND regexp_full_match(${k('time')}, '\\d+(\\.\\d+)?') AND regexp_full_match(b.bye_time, '\\d+(\\.\\d+)?')
                        THEN greatest(0, round(b.bye_time::DOUBLE - ${k('time')}::DOUBLE))::BIGINT::VARCHAR ELSE '0' END`,
      calling_number: k('src_user'),
      called_number: k('dst_user'),
      ingress_ip: k('src_ip'),
      sip_code: k('sip_code'),
      identity: k('identity'),
    };
    const line = `(k.rid + 1 ${shifted ? '+ coalesce(adj.n, 0)' : ''})::BIGINT`;
    const adj = shifted ? 'ASOF LEFT JOIN th_src_adj adj ON k.rid >= adj.t' : '';
    const nulls = (except: Record<string, string>): string => CANONICAL_COLUMN_NAMES.map((c) => `${except[c] ?? 'NULL::VARCHAR'} AS ${quoteIdent(c)}`).join(', ');
    const rel = `WITH r AS (SELECT rowid AS rid, * FROM th_kam WHERE coalesce(trim(method), '') <> ''),
      inv AS (SELECT * FROM r WHERE upper(method) = 'INVITE'),
      b AS (SELECT callid, min("time") AS bye_time FROM r WHERE upper(method) = 'BYE' GROUP BY callid)
      SELECT ${line} AS src_line, NULL::VARCHAR AS src_raw,
             CASE WHEN ${k('time')} IS NULL THEN 'column_count: fewer than 7 fields' END AS parse_error, ${nulls(canon)}
      FROM inv k LEFT JOIN b USING (callid) ${adj}
      UNION ALL
      SELECT ${line}, NULL, 'bye_without_invite: BYE for Call-ID ' || coalesce(k.callid, '') || ' has no INVITE record in this file', ${nulls({ provider_id: '$provider', switch_id: '$switch' })}
      FROM r k ${adj} WHERE upper(k.method) = 'BYE' AND k.callid NOT IN (SELECT callid FROM inv WHERE callid IS NOT NULL)
      UNION ALL
      SELECT ${line}, NULL, 'method_not_accounted: a ' || k.method || ' record is not part of a call record (INVITE + BYE)', ${nulls({ provider_id: '$provider', switch_id: '$switch' })}
      FROM r k ${adj} WHERE upper(k.method) NOT IN ('INVITE', 'BYE')`;
    return {
      relation: shifted ? `${rel} UNION ALL ${csvRejectsRelation()}` : rel,
      params: { provider: ids.provider, switch: ids.switch },
      localTime: false,
      dedupeStored: true,
      notes: ['BYE records are merged into their INVITE’s call record'],
    };
  },
};
