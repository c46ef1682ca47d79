-- Vectorized E.164 normalization; the same rules as engine/phone/normalize-e164.ts
-- (a property test proves they agree). Returns NULL when the value is not a number.
CREATE OR REPLACE MACRO th_e164_core(s) AS
  regexp_replace(
    regexp_replace(regexp_replace(lower(s), '[ \t\r\n().\-/]', '', 'g'), '^(tel:|sips?:)', ''),
    '(?s)[@;].*$', '');

CREATE OR REPLACE MACRO th_e164_digits(c) AS
  CASE WHEN starts_with(c, '+') THEN substr(c, 2)
       WHEN starts_with(c, '011') THEN substr(c, 4)
       ELSE c END;

CREATE OR REPLACE MACRO th_e164_from_core(c) AS
  CASE
    WHEN c IS NULL OR c = '' THEN NULL
    WHEN NOT regexp_full_match(th_e164_digits(c), '\d+') THEN NULL
    -- +1..., 0111... or 11 digits starting with 1: must be valid NANP
    WHEN (starts_with(c, '+') OR starts_with(c, '011') OR length(c) = 11) AND starts_with(th_e164_digits(c), '1')
      THEN CASE WHEN regexp_full_match(substr(th_e164_digits(c), 2), '[2-9]\d{2}[2-9]\d{6}')
                THEN '+' || th_e164_digits(c) END
    -- national: 10 digits NPA-NXX-XXXX with N = 2-9
    WHEN NOT (starts_with(c, '+') OR starts_with(c, '011'))
      THEN CASE WHEN regexp_full_match(c, '[2-9]\d{2}[2-9]\d{6}') THEN '+1' || c END
    -- international: country code not 0, 7 to 15 digits (E.164 §6.1)
    WHEN regexp_full_match(th_e164_digits(c), '[1-9]\d{6,14}') THEN '+' || th_e164_digits(c)
    ELSE NULL
  END;

-- Fast paths first (CASE evaluates a branch only for the rows that reach it): most
-- switch output is already +1NXXNXXXXXX or 10 digits; the general rules run on the rest.
CREATE OR REPLACE MACRO th_e164(s) AS
  CASE
    WHEN regexp_full_match(s, '\+1[2-9]\d{2}[2-9]\d{6}') THEN s
    WHEN regexp_full_match(s, '[2-9]\d{2}[2-9]\d{6}') THEN '+1' || s
    ELSE th_e164_from_core(th_e164_core(s))
  END;

-- RFC 3323 anonymity and switch placeholders: a withheld calling number, not a bad one.
-- A calling number as stored: '' when empty or withheld, E.164, or NULL when malformed.
CREATE OR REPLACE MACRO th_calling_e164(s) AS
  CASE
    WHEN s IS NULL OR trim(s) = '' THEN ''
    ELSE coalesce(th_e164(s), CASE WHEN th_is_withheld(s) THEN '' END)
  END;

-- (a regex rather than IN: DuckDB plans an IN list as a join, evaluated for every row)
CREATE OR REPLACE MACRO th_is_withheld(s) AS
  regexp_full_match(th_e164_core(s), 'anonymous|restricted|private|unavailable|unknown|withheld');
