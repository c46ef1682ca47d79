-- A new export request.
INSERT INTO exports (id, demand_id, legal_process, status, scope, formats, note, estimated_rows, fee_estimate,
                     requested_by, requested_at, decided_by, decided_at, decision_reason, produced_at,
                     download_expires_at, rows_exported, files, manifest, updated_at)
VALUES ($id, $demand_id, $legal_process, 'requested', $scope, $formats, $note, $estimated_rows, $fee_estimate,
        $requested_by, $at::TIMESTAMPTZ, '', NULL, '', NULL, NULL, NULL, '[]', '', $at::TIMESTAMPTZ)
