-- CPNI-gated exports (issue 7 item 4): requested -> approved -> produced, or denied.
-- scope, formats, fee_estimate, files and manifest are JSON text; the signed manifest
-- itself lives beside the files under data/exports/<id>/.
CREATE TABLE IF NOT EXISTS exports (
  id TEXT PRIMARY KEY,
  demand_id TEXT NOT NULL,
  legal_process TEXT NOT NULL,
  status TEXT NOT NULL,
  scope TEXT NOT NULL,
  formats TEXT NOT NULL,
  note TEXT NOT NULL,
  estimated_rows BIGINT NOT NULL,
  fee_estimate TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  requested_at TIMESTAMPTZ NOT NULL,
  decided_by TEXT NOT NULL,
  decided_at TIMESTAMPTZ,
  decision_reason TEXT NOT NULL,
  produced_at TIMESTAMPTZ,
  download_expires_at TIMESTAMPTZ,
  rows_exported BIGINT,
  files TEXT NOT NULL,
  manifest TEXT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS exports_demand ON exports (demand_id);
