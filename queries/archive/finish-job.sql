-- A job's result files are in place: done, unless it was cancelled meanwhile.
UPDATE archive_jobs
SET state = 'done', result_rows = $rows, trace_result = $trace_result, finished_at = $at::TIMESTAMPTZ, updated_at = $at::TIMESTAMPTZ
WHERE id = $id AND state = 'running'
