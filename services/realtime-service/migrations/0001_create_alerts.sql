-- Alerts raised by the alert rules. One row per (rule, measurement, device): the id is
-- '<ruleId>/<recordedAt ms>/<deviceId>', so a redelivered record cannot store an alert twice.
-- Runs with search_path set to this service's own schema (see sql-migrator.ts).
CREATE TABLE alerts (
  id          TEXT PRIMARY KEY,
  device_id   TEXT NOT NULL,
  rule_id     TEXT NOT NULL,
  kind        TEXT NOT NULL,
  metric      TEXT NOT NULL,
  value       DOUBLE PRECISION NOT NULL,
  threshold   DOUBLE PRECISION NOT NULL,
  direction   TEXT NOT NULL CHECK (direction IN ('below', 'above')),
  severity    TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  message     TEXT NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL,
  raised_at   TIMESTAMPTZ NOT NULL
);

-- GET /api/alerts: newest first, optionally since an instant and of one device.
CREATE INDEX alerts_raised_at_idx ON alerts (raised_at DESC, id DESC);
CREATE INDEX alerts_device_raised_at_idx ON alerts (device_id, raised_at DESC, id DESC);
