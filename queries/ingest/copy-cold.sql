-- Valid rows already older than the hot window go straight to the cold layout, by month.
COPY (
  SELECT * EXCLUDE (src_line, src_raw, reject_reason, reject_detail), strftime("day", '%Y-%m') AS "month"
  FROM th_stage
  WHERE reject_reason IS NULL AND "day" < $hot_from::DATE AND "day" BETWEEN $d1::DATE AND $d2::DATE
  ORDER BY "day", called_number, start_time
) TO {{dir}} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 16384, PARTITION_BY ("month"),
  FILENAME_PATTERN '{{pattern}}', OVERWRITE_OR_IGNORE true)
