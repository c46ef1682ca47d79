-- Valid rows inside the hot window, one directory per UTC day, sorted for trace look-ups.
COPY (
  SELECT * EXCLUDE (src_line, src_raw, reject_reason, reject_detail)
  FROM th_stage
  WHERE reject_reason IS NULL AND "day" >= $hot_from::DATE
  ORDER BY "day", called_number, start_time
) TO {{dir}} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 16384, PARTITION_BY ("day"),
  WRITE_PARTITION_COLUMNS true, FILENAME_PATTERN 'part_{i}', OVERWRITE_OR_IGNORE true)
