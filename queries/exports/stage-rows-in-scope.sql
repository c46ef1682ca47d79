-- The rows an export releases, staged once so every format holds exactly the same rows:
-- calls whose calling, called or asserted (PAI) number is one of $numbers and that started
-- in [$from, $to), released columns only ({{columns}}), in call order. Scans keep this
-- insertion order (DuckDB preserve_insertion_order, on by default).
CREATE TEMP TABLE export_rows AS
WITH wanted AS (SELECT unnest($numbers::VARCHAR[]) AS n)
SELECT {{columns}}
FROM read_parquet($files::VARCHAR[], hive_partitioning = false)
WHERE start_time >= $from::TIMESTAMPTZ AND start_time < $to::TIMESTAMPTZ
  AND (calling_number IN (SELECT n FROM wanted)
    OR called_number IN (SELECT n FROM wanted)
    OR pai_number IN (SELECT n FROM wanted))
ORDER BY start_time, provider_id, switch_id, call_id
