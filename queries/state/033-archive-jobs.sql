-- Archive retrieval jobs (issue 7 item 3; carrier policy: requests older than the hot
-- window are an archive retrieval, at least 15 business days, fee quoted). A job is worked
-- one month of its range at a time; each finished month is a row of archive_job_parts, so a
-- worker that restarts after a crash skips the months already written.
CREATE TABLE IF NOT EXISTS archive_jobs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  created_by TEXT NOT NULL,
  created_by_user TEXT NOT NULL,
  state TEXT NOT NULL,
  numbers TEXT NOT NULL,
  date_from TEXT NOT NULL,
  date_to TEXT NOT NULL,
  traceback_id TEXT NOT NULL,
  traceback_index BIGINT NOT NULL,
  trace_input TEXT NOT NULL,
  note TEXT NOT NULL,
  quote TEXT NOT NULL,
  due_at TIMESTAMPTZ NOT NULL,
  months_total BIGINT NOT NULL,
  runs BIGINT NOT NULL,
  started_at TIMESTAMPTZ,
  finished_at TIMESTAMPTZ,
  result_rows BIGINT,
  trace_result TEXT,
  error TEXT,
  cancelled_by TEXT,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS archive_job_parts (
  job_id TEXT NOT NULL,
  month TEXT NOT NULL,
  rows BIGINT NOT NULL,
  file TEXT NOT NULL,
  worker TEXT NOT NULL,
  finished_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (job_id, month)
);
