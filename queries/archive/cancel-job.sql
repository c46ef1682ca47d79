-- Cancel a job that is still queued or running.
UPDATE archive_jobs
SET state = 'cancelled', cancelled_by = $by, finished_at = $at::TIMESTAMPTZ, updated_at = $at::TIMESTAMPTZ
WHERE id = $id AND state IN ('queued', 'running')
