-- A batch of audit entries in one statement (group commit of a busy server): $entries is a
-- JSON array of objects with the audit_log columns; one statement is one atomic commit.
INSERT INTO audit_log (occurred_at, actor, role, action, resource, resource_ids, numbers, outcome, status, detail, request_id)
SELECT e.at::TIMESTAMPTZ, e.actor, e.role, e.action, e.resource, e.ids, e.numbers, e.outcome, e.status, e.detail, e.rid
FROM (
  SELECT unnest(from_json($entries, '[{"at":"VARCHAR","actor":"VARCHAR","role":"VARCHAR","action":"VARCHAR","resource":"VARCHAR","ids":"VARCHAR","numbers":"VARCHAR","outcome":"VARCHAR","status":"INTEGER","detail":"VARCHAR","rid":"VARCHAR"}]')) AS e
)
