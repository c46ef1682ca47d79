-- A new archive retrieval job, queued.
INSERT INTO archive_jobs (id, kind, created_at, created_by, created_by_user, state, numbers, date_from, date_to,
  traceback_id, traceback_index, trace_input, note, quote, due_at, months_total, runs, updated_at)
VALUES ($id, $kind, $at::TIMESTAMPTZ, $by, $by_user, 'queued', $numbers, $date_from, $date_to,
  $traceback_id, $traceback_index, $trace_input, $note, $quote, $due::TIMESTAMPTZ, $months_total, 0, $at::TIMESTAMPTZ)
