-- The job the worker takes next: the oldest one queued, or running when its worker died
-- (there is one worker at a time, under a lock, so a running job nobody works is resumed).
SELECT id FROM archive_jobs
WHERE state IN ('queued', 'running')
ORDER BY created_at, id
LIMIT 1
