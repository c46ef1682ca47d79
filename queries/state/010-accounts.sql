-- API accounts (issue 6): a token is shown once and stored only as its SHA-256.
CREATE TABLE IF NOT EXISTS accounts (
  id TEXT PRIMARY KEY,
  user_name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  token_sha256 TEXT NOT NULL UNIQUE,
  disabled BOOLEAN NOT NULL DEFAULT FALSE,
  created_at TIMESTAMPTZ NOT NULL,
  agency TEXT,
  agency_country TEXT,
  badge TEXT,
  email TEXT,
  supervisor_email TEXT
);
