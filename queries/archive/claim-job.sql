-- The worker starts (or resumes) a job: one more run, started_at kept from the first.
UPDATE archive_jobs
SET state = 'running', runs = runs + 1, started_at = coalesce(started_at, $at::TIMESTAMPTZ), updated_at = $at::TIMESTAMPTZ
WHERE id = $id AND state IN ('queued', 'running')
