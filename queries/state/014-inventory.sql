-- The carrier's number inventory for the look-up portal, and the look-ups made.
CREATE TABLE IF NOT EXISTS inventory (
  number TEXT PRIMARY KEY,
  customer TEXT NOT NULL,
  calea_contact TEXT NOT NULL,
  in_service_date TEXT NOT NULL,
  active BOOLEAN NOT NULL,
  cpni_consent BOOLEAN NOT NULL
);
CREATE TABLE IF NOT EXISTS tn_lookups (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  occurred_at TIMESTAMPTZ NOT NULL,
  day_central TEXT NOT NULL,
  count INTEGER NOT NULL,
  results TEXT NOT NULL
);
