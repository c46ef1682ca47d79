-- A job that cannot be completed: failed, with the reason.
UPDATE archive_jobs
SET state = 'failed', error = $error, finished_at = $at::TIMESTAMPTZ, updated_at = $at::TIMESTAMPTZ
WHERE id = $id AND state = 'running'
