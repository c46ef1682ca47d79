-- The staged rows as Parquet, native types (times TIMESTAMPTZ in UTC).
COPY export_rows TO {{file}} (FORMAT parquet, COMPRESSION zstd)
