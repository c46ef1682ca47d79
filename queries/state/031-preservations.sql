-- Preservation holds (18 U.S.C. 2703(f)): numbers (E.164) and days [day_from, day_to]
-- frozen for 90 days, extendable once by 90 days. Retention never deletes a held row.
CREATE TABLE IF NOT EXISTS preservations (
  id TEXT PRIMARY KEY,
  demand_id TEXT NOT NULL,
  numbers TEXT NOT NULL,
  day_from DATE NOT NULL,
  day_to DATE NOT NULL,
  status TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  created_by TEXT NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  extended_at TIMESTAMPTZ,
  extended_by TEXT,
  released_at TIMESTAMPTZ,
  released_by TEXT,
  release_reason TEXT,
  reminded_at TIMESTAMPTZ,
  note TEXT NOT NULL DEFAULT ''
);
