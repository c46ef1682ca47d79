-- One month of a job is written (its file renamed into place before this row is made).
INSERT INTO archive_job_parts (job_id, month, rows, file, worker, finished_at)
VALUES ($id, $month, $rows, $file, $worker, $at::TIMESTAMPTZ)
ON CONFLICT (job_id, month) DO NOTHING
