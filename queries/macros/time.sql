-- Instants in CDR files (DESIGN.md: "ISO-8601 with offset or epoch milliseconds; stored as UTC").
-- A wall-clock time without an offset is accepted only when the switch's zone is known
-- (tz <> ''), for formats that log local time (FreeSWITCH, Asterisk); otherwise NULL and
-- th_ts_problem says why.
CREATE OR REPLACE MACRO th_ts_looks_iso(s) AS
  regexp_matches(trim(s), '^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?');

CREATE OR REPLACE MACRO th_ts_has_zone(s) AS
  regexp_matches(trim(s), '^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?\s*(Z|z|UTC|[+-]\d{2}(:?\d{2})?)$');

CREATE OR REPLACE MACRO th_ts(s, tz) AS
  CASE
    -- fast path: the usual ISO-8601 with Z or ±hh:mm (CASE branches are evaluated lazily)
    WHEN regexp_full_match(s, '\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})') THEN TRY_CAST(s AS TIMESTAMPTZ)
    WHEN s IS NULL OR trim(s) = '' THEN NULL
    WHEN regexp_full_match(trim(s), '\d{13}') THEN to_timestamp(trim(s)::BIGINT / 1000.0)
    WHEN regexp_full_match(trim(s), '\d{10}(\.\d{1,6})?') THEN to_timestamp(trim(s)::DOUBLE)
    WHEN th_ts_has_zone(s) THEN TRY_CAST(regexp_replace(trim(s), '\s*UTC$', 'Z') AS TIMESTAMPTZ)
    WHEN tz <> '' AND th_ts_looks_iso(s) THEN timezone(tz, TRY_CAST(trim(s) AS TIMESTAMP))
    ELSE NULL
  END;

-- Why th_ts gave NULL for a non-empty value.
CREATE OR REPLACE MACRO th_ts_problem(s, tz) AS
  CASE
    WHEN s IS NULL OR trim(s) = '' THEN 'missing'
    WHEN tz = '' AND th_ts_looks_iso(s) AND NOT th_ts_has_zone(s) THEN 'without_zone'
    ELSE 'invalid'
  END;
