-- Rows in one Parquet file tracehop just wrote.
SELECT count(*)::BIGINT AS n FROM read_parquet($file, hive_partitioning = false)
