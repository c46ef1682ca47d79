-- Trace-back requests received through the API and their results (JSON per request line).
CREATE TABLE IF NOT EXISTS traceback_requests (
  id TEXT PRIMARY KEY,
  created_at TIMESTAMPTZ NOT NULL,
  created_by TEXT NOT NULL,
  due_at TIMESTAMPTZ,
  status TEXT NOT NULL,
  total INTEGER NOT NULL,
  done INTEGER NOT NULL,
  archive_required INTEGER NOT NULL,
  summary TEXT
);
CREATE TABLE IF NOT EXISTS traceback_results (
  request_id TEXT NOT NULL,
  idx INTEGER NOT NULL,
  result TEXT NOT NULL,
  PRIMARY KEY (request_id, idx)
);
