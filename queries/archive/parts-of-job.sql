-- The finished months of one archive job.
SELECT month, rows, file, worker FROM archive_job_parts WHERE job_id = $id ORDER BY month
