-- Who asked for a job and where it stands (checked before a cancel).
SELECT created_by, state FROM archive_jobs WHERE id = $id
