-- Row count and an order-independent checksum of every column of every row: a tiered or
-- rewritten file must match its inputs on both before the inputs leave the catalog.
SELECT count(*)::VARCHAR AS n, coalesce(sum(hash(t)), 0)::VARCHAR AS checksum
FROM read_parquet($files::VARCHAR[], hive_partitioning = false) t
