-- Archive job ids, newest first, optionally of one state.
SELECT id FROM archive_jobs
WHERE ($state = '' OR state = $state)
ORDER BY created_at DESC, id
LIMIT $limit
