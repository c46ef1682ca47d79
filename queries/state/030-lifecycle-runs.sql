-- Lifecycle runs (issue 7 item 1): what each run moved to cold, deleted under retention,
-- kept because a preservation hold covers it, and compacted. A row 'running' whose
-- process died is marked 'interrupted' by the next run.
CREATE TABLE IF NOT EXISTS lifecycle_runs (
  id TEXT PRIMARY KEY,
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ,
  clock_at TIMESTAMPTZ NOT NULL,
  trigger TEXT NOT NULL,
  pid BIGINT NOT NULL,
  status TEXT NOT NULL,
  hot_days BIGINT NOT NULL,
  retention_months BIGINT NOT NULL,
  tiered TEXT NOT NULL DEFAULT '[]',
  retained TEXT NOT NULL DEFAULT '[]',
  compacted TEXT NOT NULL DEFAULT '[]',
  purged TEXT NOT NULL DEFAULT '[]',
  error TEXT
);
