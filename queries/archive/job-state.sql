-- The state of one job (the worker checks it between months: a cancel stops the work).
SELECT state FROM archive_jobs WHERE id = $id
