-- Rows in a job's assembled result set.
SELECT count(*)::BIGINT AS n FROM th_result
