-- The staged rows as CSV with a header; times as ISO-8601 UTC ({{text_columns}}).
COPY (SELECT {{text_columns}} FROM export_rows) TO {{file}} (FORMAT csv, HEADER true)
