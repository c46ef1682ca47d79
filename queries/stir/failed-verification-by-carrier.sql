-- Failed-verification rate per upstream carrier: of the calls it handed over with an
-- Identity header that was verified at ingest, how many failed (verstat TN-Validation-Failed).
SELECT ingress_carrier AS upstream_carrier,
       count(*)::INTEGER AS verified,
       count(*) FILTER (WHERE verstat = 'TN-Validation-Failed')::INTEGER AS failed,
       round(count(*) FILTER (WHERE verstat = 'TN-Validation-Failed') / count(*), 4)::DOUBLE AS failed_rate
FROM read_parquet($files::VARCHAR[], hive_partitioning = false)
WHERE ingress_type = 'carrier' AND verstat IN ('TN-Validation-Passed', 'TN-Validation-Failed')
  AND "day" BETWEEN $from::DATE AND $to::DATE
GROUP BY ALL ORDER BY failed_rate DESC, verified DESC
