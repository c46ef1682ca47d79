-- Intercept-audit records (47 CFR 1.20004): an append-only, signed hash chain of events.
-- Nothing here is ever updated or deleted; corrections are new entries.
CREATE TABLE IF NOT EXISTS intercept_entries (
  seq BIGINT PRIMARY KEY,
  intercept_id TEXT NOT NULL,
  event TEXT NOT NULL,
  entry TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  jws TEXT NOT NULL
);
