-- A CPNI officer's decision on a requested export (approved or denied).
UPDATE exports SET status = $status, decided_by = $by, decided_at = $at::TIMESTAMPTZ, decision_reason = $reason, updated_at = $at::TIMESTAMPTZ
WHERE id = $id AND status = 'requested'
