-- No stored file covers the scope's days: the staging table with the released columns
-- ({{typed_nulls}}: NULL::type AS "column") and no rows, so every format still has its header.
CREATE TEMP TABLE export_rows AS SELECT {{typed_nulls}} LIMIT 0
