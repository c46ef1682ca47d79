-- For one cold file: rows past retention, and of those the rows a preservation hold covers
-- (a held row is never deleted: 18 U.S.C. 2703(f)). $holds is a JSON list of
-- {"numbers": [E.164...], "from": ISO instant, "to": ISO instant} (to exclusive).
WITH h AS (
  SELECT unnest(from_json($holds, '[{"numbers":["VARCHAR"],"from":"TIMESTAMPTZ","to":"TIMESTAMPTZ"}]'), recursive := true)
), r AS (
  SELECT t."day" < $cutoff::DATE AS expired,
         EXISTS (SELECT 1 FROM h WHERE t.start_time >= h."from" AND t.start_time < h."to"
                 AND (list_contains(h.numbers, t.calling_number) OR list_contains(h.numbers, t.called_number)
                      OR list_contains(h.numbers, t.pai_number))) AS held,
         hash(t) AS row_hash
  FROM read_parquet($files::VARCHAR[], hive_partitioning = false) t
)
SELECT count(*)::VARCHAR AS total,
       count(*) FILTER (WHERE expired)::VARCHAR AS expired,
       count(*) FILTER (WHERE expired AND held)::VARCHAR AS held,
       coalesce(sum(row_hash) FILTER (WHERE NOT expired OR held), 0)::VARCHAR AS kept_checksum
FROM r
