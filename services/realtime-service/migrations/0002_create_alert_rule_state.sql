-- The alert rules' state: which rule is tripped for which device, as of the measurement that
-- tripped or recovered it. Loaded at start and after a rebalance, so a restarted service does not
-- raise an ongoing breach a second time. One row per (rule, device); the latest measurement wins.
CREATE TABLE alert_rule_state (
  rule_id     TEXT NOT NULL,
  device_id   TEXT NOT NULL,
  tripped     BOOLEAN NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (rule_id, device_id)
);
