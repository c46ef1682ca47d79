-- A cold file rewritten without the rows past retention that no hold covers.
COPY (
  WITH h AS (
    SELECT unnest(from_json($holds, '[{"numbers":["VARCHAR"],"from":"TIMESTAMPTZ","to":"TIMESTAMPTZ"}]'), recursive := true)
  )
  SELECT t.* FROM read_parquet($files::VARCHAR[], hive_partitioning = false) t
  WHERE t."day" >= $cutoff::DATE
     OR EXISTS (SELECT 1 FROM h WHERE t.start_time >= h."from" AND t.start_time < h."to"
                AND (list_contains(h.numbers, t.calling_number) OR list_contains(h.numbers, t.called_number)
                     OR list_contains(h.numbers, t.pai_number)))
  ORDER BY t.called_number, t.start_time
) TO {{out}} (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL {{level}}, ROW_GROUP_SIZE 122880)
