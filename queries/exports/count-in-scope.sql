-- How many calls an export's scope holds (the fee estimate, the xlsx row limit): calls whose
-- calling, called or asserted (PAI) number is one of $numbers and that started in [$from, $to).
WITH wanted AS (SELECT unnest($numbers::VARCHAR[]) AS n)
SELECT count(*)::VARCHAR AS n
FROM read_parquet($files::VARCHAR[], hive_partitioning = false)
WHERE start_time >= $from::TIMESTAMPTZ AND start_time < $to::TIMESTAMPTZ
  AND (calling_number IN (SELECT n FROM wanted)
    OR called_number IN (SELECT n FROM wanted)
    OR pai_number IN (SELECT n FROM wanted))
