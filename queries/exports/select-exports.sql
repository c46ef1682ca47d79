-- Exports, one by id or all (optionally of one demand or status), newest first; times ISO-8601 UTC.
SELECT id, demand_id, legal_process, status, scope, formats, note, estimated_rows::VARCHAR AS estimated_rows, fee_estimate,
       requested_by, strftime(requested_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS requested_at,
       decided_by, strftime(decided_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS decided_at, decision_reason,
       strftime(produced_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS produced_at,
       strftime(download_expires_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS download_expires_at,
       rows_exported::VARCHAR AS rows_exported, files, manifest
FROM exports
WHERE ($id = '' OR id = $id) AND ($demand_id = '' OR demand_id = $demand_id) AND ($status = '' OR status = $status)
ORDER BY exports.requested_at DESC, exports.id
