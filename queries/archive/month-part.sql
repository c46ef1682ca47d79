-- One month of an archive job: every stored CDR of the month's days whose calling, called
-- or P-Asserted-Identity number is one of the job's numbers, in a stable order.
-- {{columns}}: the stored column list from engine/cdr/schema.ts; {{file}}: the temporary
-- part file tracehop names under data/archive-jobs/<id>/parts/.
COPY (
  SELECT {{columns}}
  FROM read_parquet($files::VARCHAR[], hive_partitioning = false)
  WHERE "day" BETWEEN $from_day::DATE AND $to_day::DATE
    AND (list_contains($numbers::VARCHAR[], calling_number)
      OR list_contains($numbers::VARCHAR[], called_number)
      OR list_contains($numbers::VARCHAR[], pai_number))
  ORDER BY start_time, provider_id, switch_id, call_id
) TO {{file}} (FORMAT parquet, COMPRESSION zstd)
