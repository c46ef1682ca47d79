-- Rows staged for an export.
SELECT count(*)::VARCHAR AS n FROM export_rows
