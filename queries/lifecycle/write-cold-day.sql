-- One hot day rewritten for the cold archive: same rows and columns, same sort as hot
-- (trace look-ups by called number stay cheap), stronger zstd and bigger row groups.
COPY (
  SELECT * FROM read_parquet($files::VARCHAR[], hive_partitioning = false)
  ORDER BY called_number, start_time
) TO {{out}} (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL {{level}}, ROW_GROUP_SIZE 122880)
