-- Attestation mix per signer (SPC of the certificate that verified), over verified calls.
SELECT signer_spc,
       count(*)::INTEGER AS calls,
       count(*) FILTER (WHERE attestation = 'A')::INTEGER AS a,
       count(*) FILTER (WHERE attestation = 'B')::INTEGER AS b,
       count(*) FILTER (WHERE attestation = 'C')::INTEGER AS c
FROM read_parquet($files::VARCHAR[], hive_partitioning = false)
WHERE signer_spc <> '' AND "day" BETWEEN $from::DATE AND $to::DATE
GROUP BY ALL ORDER BY calls DESC, signer_spc
