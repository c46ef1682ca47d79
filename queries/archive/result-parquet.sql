-- The result set as Parquet ({{file}}: a temporary name, renamed into place after).
COPY (SELECT * FROM th_result ORDER BY start_time, provider_id, switch_id, call_id)
TO {{file}} (FORMAT parquet, COMPRESSION zstd)
