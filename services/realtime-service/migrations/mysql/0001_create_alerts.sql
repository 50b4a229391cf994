-- Alerts raised by the alert rules, on MySQL 8.4 (tested on MariaDB 10.11, its stand-in): the
-- same rows as the PostgreSQL migration. MySQL has no schemas inside a database, so the service's
-- tables carry its name as a prefix instead. Times are DATETIME(3) in UTC (the pool's timezone 'Z'),
-- so milliseconds survive exactly. Portable to both servers: no DESC index keys, no RETURNING,
-- no JSON columns, no sequences.
CREATE TABLE realtime_service_alerts (
  id          VARCHAR(255) NOT NULL PRIMARY KEY,
  device_id   VARCHAR(255) NOT NULL,
  rule_id     VARCHAR(255) NOT NULL,
  kind        VARCHAR(64) NOT NULL,
  metric      VARCHAR(64) NOT NULL,
  value       DOUBLE NOT NULL,
  threshold   DOUBLE NOT NULL,
  direction   VARCHAR(8) NOT NULL CHECK (direction IN ('below', 'above')),
  severity    VARCHAR(16) NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  message     TEXT NOT NULL,
  recorded_at DATETIME(3) NOT NULL,
  raised_at   DATETIME(3) NOT NULL,
  -- GET /api/alerts: newest first (read backwards), optionally since an instant and of one device.
  INDEX realtime_service_alerts_raised_at_idx (raised_at, id),
  INDEX realtime_service_alerts_device_raised_at_idx (device_id, raised_at, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
