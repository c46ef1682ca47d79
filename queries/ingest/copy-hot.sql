-- Valid rows inside the hot window, one directory per UTC day, sorted for trace look-ups;
-- days $d1..$d2 only: each open partition holds a row-group buffer, so a file spanning
-- many days is written a few days at a time to stay inside the memory limit.
COPY (
  SELECT * EXCLUDE (src_line, src_raw, reject_reason, reject_detail)
  FROM th_stage
  WHERE reject_reason IS NULL AND "day" >= $hot_from::DATE AND "day" BETWEEN $d1::DATE AND $d2::DATE
  ORDER BY "day", called_number, start_time
) TO {{dir}} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 16384, PARTITION_BY ("day"),
  WRITE_PARTITION_COLUMNS true, FILENAME_PATTERN '{{pattern}}', OVERWRITE_OR_IGNORE true)
