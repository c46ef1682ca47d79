-- Attestation mix per upstream carrier (the carrier that handed the call over), over the
-- calls that entered from a carrier between $from and $to (days, inclusive).
SELECT ingress_carrier AS upstream_carrier,
       count(*)::INTEGER AS calls,
       count(*) FILTER (WHERE attestation = 'A')::INTEGER AS a,
       count(*) FILTER (WHERE attestation = 'B')::INTEGER AS b,
       count(*) FILTER (WHERE attestation = 'C')::INTEGER AS c,
       count(*) FILTER (WHERE attestation = '')::INTEGER AS unsigned,
       round(count(*) FILTER (WHERE attestation = 'A') / count(*), 4)::DOUBLE AS share_a
FROM read_parquet($files::VARCHAR[], hive_partitioning = false)
WHERE ingress_type = 'carrier' AND "day" BETWEEN $from::DATE AND $to::DATE
GROUP BY ALL ORDER BY calls DESC, upstream_carrier
