-- The result set of a job: its finished months together (each CDR is in exactly one month).
CREATE TEMP TABLE th_result AS
SELECT * FROM read_parquet($files::VARCHAR[], hive_partitioning = false)
