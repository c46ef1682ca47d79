-- CDRs to one called number that started inside a time window, optionally of one
-- provider: the look-up behind every hop of a trace-back. Files are sorted by
-- (called_number, start_time) in 16k-row groups, so the filter reads a row group or two.
SELECT provider_id, switch_id, call_id,
       strftime(start_time, '%Y-%m-%dT%H:%M:%S.%gZ') AS start_time,
       epoch_ms(start_time)::DOUBLE AS start_ms,
       duration_s, calling_number, called_number, pai_number,
       ingress_type, ingress_carrier, ingress_trunk, ingress_ip,
       egress_type, egress_carrier, egress_trunk, sip_code,
       attestation, origid,
       -- the Identity header itself is large and never needed here; after ingest an
       -- attestation is present exactly when a PASSporT with an attest claim was logged
       attestation <> '' AS has_identity, verstat, signer_spc
FROM read_parquet($files::VARCHAR[], hive_partitioning = false)
WHERE called_number = $called
  AND start_time >= make_timestamp($lo_us::BIGINT)::TIMESTAMPTZ
  AND start_time < make_timestamp($hi_us::BIGINT)::TIMESTAMPTZ
  AND ($provider = '' OR provider_id = $provider)
ORDER BY start_time
