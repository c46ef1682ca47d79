-- One archive job with its timestamps as ISO-8601 UTC text.
SELECT id, kind, state, created_by, created_by_user, numbers, date_from, date_to, traceback_id, traceback_index,
       trace_input, note, quote, months_total, runs, result_rows, trace_result, error, cancelled_by,
       strftime(created_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS created_at,
       strftime(due_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS due_at,
       strftime(started_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS started_at,
       strftime(finished_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS finished_at
FROM archive_jobs
WHERE id = $id
