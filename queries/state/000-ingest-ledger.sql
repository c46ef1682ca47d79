-- The ingest ledger: one row per input file ingested (by SHA-256 of its bytes), which
-- makes ingest exactly-once (DESIGN.md "Storage rules"). PostgreSQL-compatible DDL.
CREATE TABLE IF NOT EXISTS ingest_ledger (
  sha256 TEXT PRIMARY KEY,
  ingest_id TEXT NOT NULL UNIQUE,
  source_name TEXT NOT NULL,
  format TEXT NOT NULL,
  provider_id TEXT,
  switch_id TEXT,
  rows_in BIGINT NOT NULL,
  rows_stored BIGINT NOT NULL,
  rows_rejected BIGINT NOT NULL,
  files_written BIGINT NOT NULL,
  min_day TEXT,
  max_day TEXT,
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ NOT NULL
);
