import { col, planFixedLayout, type FixedLayout } from './fixed-columns.ts';
import { splitCsvLine } from './csv-header.ts';
import { asteriskDispositionToSip } from './hangup-cause.ts';
import type { CdrReader } from './reader.ts';

/**
 * Asterisk cdr_csv `Master.csv` (cdr/cdr_csv.c, build_csv_record): no header, fixed
 * columns, times `YYYY-MM-DD HH:MM:SS` in local time unless usegmtime=yes (--tz UTC then):
 *   accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata,
 *   start, answer, end, duration, billsec, disposition, amaflags
 * followed by uniqueid when loguniqueid=yes and userfield when loguserfield=yes.
 * Trunks are the peer names inside the channel names (`SIP/carrier-a-0000001f` ->
 * `carrier-a`), which a --trunk-map turns into carriers.
 */
export const ASTERISK_COLUMNS = [
  'accountcode',
  'src',
  'dst',
  'dcontext',
  'clid',
  'channel',
  'dstchannel',
  'lastapp',
  'lastdata',
  'start',
  'answer',
  'end',
  'duration',
  'billsec',
  'disposition',
  'amaflags',
  'uniqueid',
  'userfield',
] as const;

/** `PJSIP/carrier-a-0000001f` -> `carrier-a`; `DAHDI/1-1` -> `1` */
const peer = (c: string): string => `nullif(regexp_extract(${c}, '^[A-Za-z0-9_]+/(.+?)(-[0-9a-fA-F]+)?(;[0-9]+)?$', 1), '')`;

export const ASTERISK_MASTER: FixedLayout = {
  columns: ASTERISK_COLUMNS,
  optionalTrailing: 2,
  localTime: true,
  map: {
    // uniqueid when logged; else channel + start identify the record on this switch
    call_id: `coalesce(nullif(trim(${col('uniqueid')}), ''), ${col('channel')} || '@' || ${col('start')})`,
    start_time: col('start'),
    answer_time: col('answer'),
    end_time: col('end'),
    duration_s: col('billsec'),
    calling_number: col('src'),
    called_number: col('dst'),
    ingress_trunk: `coalesce(nullif(trim(${col('accountcode')}), ''), ${peer(col('channel'))})`,
    egress_trunk: peer(col('dstchannel')),
    sip_code: asteriskDispositionToSip(col('disposition')),
  },
};

const STAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

export const asteriskReader: CdrReader = {
  format: 'asterisk',
  sniff(head) {
    const line = head.split('\n').find((l) => l.trim() !== '');
    if (!line) return false;
    const f = splitCsvLine(line.replace(/\r$/, ''), ',');
    return f.length >= 16 && f.length <= 18 && STAMP.test(f[9] ?? '') && STAMP.test(f[11] ?? '') && /^(ANSWERED|NO ANSWER|BUSY|FAILED|CONGESTION)$/.test(f[14] ?? '');
  },
  async plan(ctx) {
    return planFixedLayout(ctx, ASTERISK_MASTER);
  },
};
