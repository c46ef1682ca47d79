-- A claim of the PASSporT (RFC 8225) inside a SIP Identity header (RFC 8224 §4.1), read
-- without verifying it: the attestation and origid "as received" when a switch logs the
-- header but not its parsed claims. Verification is engine/stir's job (verstat).
CREATE OR REPLACE MACRO th_b64url_text(s) AS
  TRY(decode(from_base64(rpad(translate(s, '-_', '+/'), (((length(s) + 3) // 4) * 4)::INTEGER, '='))));

CREATE OR REPLACE MACRO th_passport_claim(identity, claim) AS
  CASE WHEN coalesce(identity, '') <> ''
       THEN TRY(json_extract_string(th_b64url_text(split_part(split_part(trim(identity), ';', 1), '.', 2)), claim)) END;
