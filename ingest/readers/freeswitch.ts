import { col, planFixedLayout, quotedFields, type FixedLayout } from './fixed-columns.ts';
import { freeswitchCauseToSip } from './hangup-cause.ts';
import type { CdrReader } from './reader.ts';

/**
 * FreeSWITCH mod_cdr_csv with its shipped `example` template
 * (conf/vanilla/autoload_configs/cdr_csv.conf.xml): every field double-quoted, no header,
 * times `YYYY-MM-DD HH:MM:SS` in the switch's local time (hence --tz):
 *   caller_id_name, caller_id_number, destination_number, context, start_stamp,
 *   answer_stamp, end_stamp, duration, billsec, hangup_cause, uuid, bleg_uuid,
 *   accountcode, read_codec, write_codec
 * The template records neither the upstream carrier nor the egress leg: ingress_trunk is
 * the accountcode (else the dialplan context) so a --trunk-map can name the carrier;
 * other templates go through a mapping file (--mapping, see mapping-file.ts).
 */
export const FREESWITCH_EXAMPLE_COLUMNS = [
  'caller_id_name',
  'caller_id_number',
  'destination_number',
  'context',
  'start_stamp',
  'answer_stamp',
  'end_stamp',
  'duration',
  'billsec',
  'hangup_cause',
  'uuid',
  'bleg_uuid',
  'accountcode',
  'read_codec',
  'write_codec',
] as const;

const answered = `coalesce(trim(${col('answer_stamp')}), '') <> ''`;

export const FREESWITCH_EXAMPLE: FixedLayout = {
  columns: FREESWITCH_EXAMPLE_COLUMNS,
  localTime: true,
  map: {
    call_id: col('uuid'),
    start_time: col('start_stamp'),
    answer_time: col('answer_stamp'),
    end_time: col('end_stamp'),
    duration_s: col('billsec'),
    calling_number: col('caller_id_number'),
    called_number: col('destination_number'),
    ingress_trunk: `coalesce(nullif(trim(${col('accountcode')}), ''), ${col('context')})`,
    sip_code: freeswitchCauseToSip(col('hangup_cause'), answered),
  },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const freeswitchReader: CdrReader = {
  format: 'freeswitch',
  sniff(head) {
    const line = head.split('\n').find((l) => l.trim() !== '');
    const f = line ? quotedFields(line.replace(/\r$/, '')) : null;
    return f !== null && f.length === 15 && UUID.test(f[10] ?? '') && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(f[4] ?? '');
  },
  async plan(ctx) {
    return planFixedLayout(ctx, FREESWITCH_EXAMPLE);
  },
};
