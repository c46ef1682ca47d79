-- The audit log: append-only (no UPDATE or DELETE anywhere in the code); one row per
-- request that reads or changes call data, demands, look-ups or accounts, refusals included.
CREATE SEQUENCE IF NOT EXISTS audit_seq START 1;
CREATE TABLE IF NOT EXISTS audit_log (
  seq BIGINT PRIMARY KEY DEFAULT nextval('audit_seq'),
  occurred_at TIMESTAMPTZ NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  action TEXT NOT NULL,
  resource TEXT NOT NULL,
  resource_ids TEXT NOT NULL,
  numbers TEXT NOT NULL,
  outcome TEXT NOT NULL,
  status INTEGER,
  detail TEXT,
  request_id TEXT
);
