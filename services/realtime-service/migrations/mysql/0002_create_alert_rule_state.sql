-- The alert rules' state: which rule is tripped for which device, as of the measurement that
-- tripped or recovered it. One row per (rule, device); the latest measurement wins.
CREATE TABLE realtime_service_alert_rule_state (
  rule_id     VARCHAR(255) NOT NULL,
  device_id   VARCHAR(255) NOT NULL,
  tripped     BOOLEAN NOT NULL,
  recorded_at DATETIME(3) NOT NULL,
  PRIMARY KEY (rule_id, device_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
