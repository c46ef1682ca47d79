-- The staged rows with times as ISO-8601 UTC, streamed into the xlsx writer.
SELECT {{text_columns}} FROM export_rows
