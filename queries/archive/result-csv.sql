-- The result set as CSV with a header, times in UTC ISO-8601 ({{file}}: a temporary name).
COPY (
  SELECT * REPLACE (
    strftime(start_time, '%Y-%m-%dT%H:%M:%S.%gZ') AS start_time,
    strftime(answer_time, '%Y-%m-%dT%H:%M:%S.%gZ') AS answer_time,
    strftime(end_time, '%Y-%m-%dT%H:%M:%S.%gZ') AS end_time)
  FROM th_result ORDER BY th_result.start_time, provider_id, switch_id, call_id
) TO {{file}} (FORMAT csv, HEADER true)
