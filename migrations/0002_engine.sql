-- Job engine: operator switches, platform operators, one retry per failed job.

-- The rollback levers of the spec packet. One row, id = 1.
CREATE TABLE ops_settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  runner_paused INTEGER NOT NULL DEFAULT 0,
  new_requests_disabled INTEGER NOT NULL DEFAULT 0,
  updated_by TEXT,
  updated_at INTEGER NOT NULL DEFAULT 0
);
INSERT INTO ops_settings (id) VALUES (1);

-- Operators run the platform (switches, metrics) across workspaces; workspace admins do not.
ALTER TABLE users ADD COLUMN is_operator INTEGER NOT NULL DEFAULT 0;

-- A failed job is retried at most once: a second click returns the same retry job.
CREATE UNIQUE INDEX report_jobs_retry_of ON event_report_jobs(retry_of) WHERE retry_of IS NOT NULL;
CREATE INDEX report_jobs_running_lease ON event_report_jobs(lease_expires_at) WHERE status = 'running';
