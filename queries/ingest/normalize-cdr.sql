-- Normalize and validate one input's rows, vectorized (issue 3 item 5). The source slot is a
-- reader's relation: src_line, src_raw, parse_error and every canonical column as VARCHAR.
-- Every source row comes out exactly once: stored (reject_reason NULL) or rejected
-- with the first rule it broke, so rows in = rows stored + rows rejected.
-- Parameters: $tz (switch zone or ''), $ingest_id. Slots: the trunk-map joins (absent
-- when there is no trunk map, which saves two hash joins per row).
WITH src AS NOT MATERIALIZED ({{source}}),
tm AS NOT MATERIALIZED (
  SELECT src.*,
    nullif(trim(coalesce(src.ingress_trunk, '')), '') AS _in_trunk,
    nullif(trim(coalesce(src.egress_trunk, '')), '') AS _out_trunk
  FROM src
),
n AS NOT MATERIALIZED (
  SELECT
    tm.*,
    nullif(trim(coalesce(tm.provider_id, '')), '') AS n_provider,
    nullif(trim(coalesce(tm.switch_id, '')), '') AS n_switch,
    nullif(trim(coalesce(tm.call_id, '')), '') AS n_call_id,
    th_ts(tm.start_time, $tz) AS n_start,
    th_ts(tm.answer_time, $tz) AS n_answer,
    th_ts(tm.end_time, $tz) AS n_end,
    th_e164(tm.called_number) AS n_called,
    th_calling_e164(tm.calling_number) AS n_calling,
    th_calling_e164(tm.pai_number) AS n_pai,
    CASE WHEN regexp_full_match(trim(coalesce(tm.duration_s, '')), '\d{1,7}(\.0*)?')
         THEN TRY_CAST(split_part(trim(tm.duration_s), '.', 1) AS INTEGER) END AS n_duration,
    CASE WHEN regexp_full_match(trim(coalesce(tm.sip_code, '')), '[1-6]\d\d')
         THEN trim(tm.sip_code)::INTEGER END AS n_sip,
    coalesce(nullif(trim(tm.ingress_carrier), ''), {{in_carrier}}, '') AS n_in_carrier,
    coalesce(nullif(trim(tm.egress_carrier), ''), {{out_carrier}}, '') AS n_out_carrier,
    lower(trim(coalesce(tm.ingress_type, ''))) AS _in_type,
    lower(trim(coalesce(tm.egress_type, ''))) AS _out_type,
    -- as received: the logged value, else the claim inside the logged Identity header
    CASE WHEN coalesce(trim(tm.attestation), '') <> '' THEN upper(trim(tm.attestation))
         WHEN coalesce(tm."identity", '') <> '' THEN upper(coalesce(th_passport_claim(tm."identity", '$.attest'), ''))
         ELSE '' END AS n_attest,
    CASE WHEN coalesce(trim(tm.origid), '') <> '' THEN lower(trim(tm.origid))
         WHEN coalesce(tm."identity", '') <> '' THEN lower(coalesce(th_passport_claim(tm."identity", '$.origid'), ''))
         ELSE '' END AS n_origid
  FROM tm {{trunk_joins}}
),
v AS NOT MATERIALIZED (
  SELECT n.*,
    -- ingress/egress type: as given, else carrier when a carrier is known, else subscriber
    CASE WHEN _in_type IN ('subscriber', 'carrier', 'internal') THEN _in_type
         WHEN _in_type = '' AND n_in_carrier <> '' THEN 'carrier'
         WHEN _in_type = '' AND ingress_type IS NULL THEN 'subscriber' END AS n_in_type,
    CASE WHEN _out_type IN ('subscriber', 'carrier', 'internal') THEN _out_type
         WHEN _out_type = '' AND n_out_carrier <> '' THEN 'carrier'
         WHEN _out_type = '' AND egress_type IS NULL THEN 'subscriber' END AS n_out_type
  FROM n
),
r AS NOT MATERIALIZED (
  SELECT v.*,
    CASE
      WHEN parse_error IS NOT NULL THEN split_part(parse_error, ':', 1)
      WHEN lower(trim(coalesce(called_number, ''))) = 'called_number' AND lower(trim(coalesce(start_time, ''))) = 'start_time' THEN 'header_repeated'
      WHEN n_provider IS NULL THEN 'provider_id_missing'
      WHEN n_switch IS NULL THEN 'switch_id_missing'
      WHEN n_call_id IS NULL THEN 'call_id_missing'
      WHEN n_start IS NULL THEN 'start_time_' || th_ts_problem(start_time, $tz)
      WHEN n_end IS NULL AND coalesce(trim(end_time), '') <> '' THEN 'end_time_' || th_ts_problem(end_time, $tz)
      WHEN n_answer IS NULL AND coalesce(trim(answer_time), '') <> '' THEN 'answer_time_' || th_ts_problem(answer_time, $tz)
      WHEN n_end IS NULL AND n_duration IS NULL THEN 'end_time_missing'
      WHEN coalesce(n_end, n_start) < n_start THEN 'end_before_start'
      WHEN n_answer IS NOT NULL AND (n_answer < n_start OR n_answer > coalesce(n_end, n_answer)) THEN 'answer_time_out_of_order'
      WHEN n_called IS NULL THEN CASE WHEN coalesce(trim(called_number), '') = '' THEN 'called_number_missing' ELSE 'called_number_invalid' END
      WHEN n_calling IS NULL THEN 'calling_number_invalid'
      WHEN n_pai IS NULL THEN 'pai_number_invalid'
      WHEN n_duration IS NULL AND coalesce(trim(duration_s), '') <> '' THEN 'duration_invalid'
      WHEN n_sip IS NULL THEN CASE WHEN coalesce(trim(sip_code), '') = '' THEN 'sip_code_missing' ELSE 'sip_code_invalid' END
      WHEN n_in_type IS NULL THEN 'ingress_type_invalid'
      WHEN n_out_type IS NULL THEN 'egress_type_invalid'
      WHEN n_attest NOT IN ('', 'A', 'B', 'C') THEN 'attestation_invalid'
      WHEN n_origid <> '' AND NOT regexp_full_match(n_origid, '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}') THEN 'origid_invalid'
      WHEN length(coalesce("identity", '')) > 16384 THEN 'identity_too_long'
    END AS reject_reason
  FROM v
)
SELECT
  n_provider AS provider_id,
  n_switch AS switch_id,
  n_call_id AS call_id,
  n_start AS start_time,
  n_answer AS answer_time,
  coalesce(n_end, n_answer + to_seconds(n_duration), n_start) AS end_time,
  coalesce(n_duration, CASE WHEN n_answer IS NULL THEN 0 ELSE date_diff('second', n_answer, n_end)::INTEGER END) AS duration_s,
  n_calling AS calling_number,
  n_called AS called_number,
  n_pai AS pai_number,
  n_in_type AS ingress_type,
  n_in_carrier AS ingress_carrier,
  coalesce(_in_trunk, '') AS ingress_trunk,
  coalesce(trim(ingress_ip), '') AS ingress_ip,
  n_out_type AS egress_type,
  n_out_carrier AS egress_carrier,
  coalesce(_out_trunk, '') AS egress_trunk,
  n_sip AS sip_code,
  n_attest AS attestation,
  n_origid AS origid,
  coalesce("identity", '') AS "identity",
  n_start::DATE AS "day",
  $ingest_id AS ingest_id,
  ''::VARCHAR AS verstat,
  ''::VARCHAR AS signer_spc,
  ''::VARCHAR AS verify_reason,
  src_line,
  -- the raw text is rebuilt only for rejected rows (CASE evaluates its branch lazily)
  CASE WHEN reject_reason IS NOT NULL THEN src_raw END AS src_raw,
  reject_reason,
  CASE WHEN reject_reason IS NULL THEN NULL
       WHEN parse_error IS NOT NULL THEN parse_error
       WHEN reject_reason LIKE 'start_time%' THEN 'start_time ' || coalesce('''' || start_time || '''', 'empty') || CASE WHEN reject_reason = 'start_time_without_zone' THEN ' has no UTC offset (give one, or --tz for a switch that logs local time)' ELSE ' is not ISO-8601 with offset or epoch milliseconds' END
       WHEN reject_reason LIKE 'end_time%' THEN 'end_time ' || coalesce('''' || end_time || '''', 'empty') || ' is not usable'
       WHEN reject_reason LIKE 'answer_time%' THEN 'answer_time ' || coalesce('''' || answer_time || '''', 'empty') || ' is not usable'
       WHEN reject_reason LIKE 'called_number%' THEN 'called_number ' || coalesce('''' || called_number || '''', 'empty') || ' cannot be normalized to E.164'
       WHEN reject_reason = 'calling_number_invalid' THEN 'calling_number ''' || calling_number || ''' cannot be normalized to E.164'
       WHEN reject_reason = 'pai_number_invalid' THEN 'pai_number ''' || pai_number || ''' cannot be normalized to E.164'
       WHEN reject_reason = 'duration_invalid' THEN 'duration_s ''' || duration_s || ''' is not a whole number of seconds'
       WHEN reject_reason LIKE 'sip_code%' THEN 'sip_code ' || coalesce('''' || sip_code || '''', 'empty') || ' is not a SIP final response code'
       WHEN reject_reason = 'ingress_type_invalid' THEN 'ingress_type ''' || coalesce(ingress_type, '') || ''' is not subscriber, carrier or internal'
       WHEN reject_reason = 'egress_type_invalid' THEN 'egress_type ''' || coalesce(egress_type, '') || ''' is not carrier, subscriber or internal'
       WHEN reject_reason = 'attestation_invalid' THEN 'attestation ''' || attestation || ''' is not A, B, C or empty'
       WHEN reject_reason = 'origid_invalid' THEN 'origid ''' || origid || ''' is not a UUID'
       WHEN reject_reason = 'header_repeated' THEN 'the header line is repeated inside the file'
       ELSE replace(reject_reason, '_', ' ')
  END AS reject_detail
FROM r
