-- Legal demands (issue 6), with the one legal document stored by SHA-256 under data/documents/.
CREATE TABLE IF NOT EXISTS demands (
  id TEXT PRIMARY KEY,
  created_at TIMESTAMPTZ NOT NULL,
  created_by TEXT NOT NULL,
  status TEXT NOT NULL,
  status_reason TEXT,
  exigent BOOLEAN NOT NULL,
  legal_process TEXT NOT NULL,
  received_via TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  target_numbers TEXT NOT NULL,
  date_from TEXT NOT NULL,
  date_to TEXT NOT NULL,
  document_sha256 TEXT NOT NULL UNIQUE,
  protective_order_sha256 TEXT,
  due_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
