-- Voyage Reports schema. Timestamps are INTEGER epoch milliseconds (UTC), columns named *_at.

CREATE TABLE workspaces (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE memberships (
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  role TEXT NOT NULL CHECK (role IN ('admin', 'organizer', 'viewer', 'staff')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);

-- The session id is the SHA-256 of the cookie token: a leaked table does not leak sessions.
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE events (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  name TEXT NOT NULL,
  slug TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX events_workspace ON events(workspace_id, starts_at);

CREATE TABLE guests (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id),
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  email TEXT NOT NULL,
  company TEXT NOT NULL DEFAULT '',
  ticket_type TEXT NOT NULL,
  rsvp_status TEXT NOT NULL CHECK (rsvp_status IN ('attending', 'maybe', 'declined', 'invited')),
  registered_at INTEGER NOT NULL,
  checked_in_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- Keyset order of the guest list export.
CREATE INDEX guests_event_name ON guests(event_id, last_name, first_name, id);
CREATE INDEX guests_event_registered ON guests(event_id, registered_at);

CREATE TABLE event_report_jobs (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  event_id TEXT NOT NULL REFERENCES events(id),
  type TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('csv', 'pdf')),
  params TEXT NOT NULL,                 -- validated parameters, JSON
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled', 'expired')),
  requested_by TEXT NOT NULL REFERENCES users(id),
  notify_emails TEXT NOT NULL DEFAULT '[]', -- JSON array
  snapshot_at INTEGER NOT NULL,         -- rows newer than this are not exported
  -- progress
  phase TEXT,                           -- querying | writing | uploading | finalizing
  rows_done INTEGER NOT NULL DEFAULT 0,
  rows_expected INTEGER,
  bytes_written INTEGER NOT NULL DEFAULT 0,
  -- runner ownership
  claim_token TEXT,
  lease_expires_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  checkpoint TEXT,                      -- JSON: upload id, parts, last key, bytes, rows
  cancel_requested_at INTEGER,
  -- outcome
  failure_code TEXT,
  failure_reason TEXT,
  retry_of TEXT REFERENCES event_report_jobs(id),
  rerun_of TEXT REFERENCES event_report_jobs(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER
);
CREATE INDEX report_jobs_event_created ON event_report_jobs(event_id, created_at DESC, id DESC);
CREATE INDEX report_jobs_status ON event_report_jobs(status, created_at);
CREATE INDEX report_jobs_requested_by ON event_report_jobs(requested_by, created_at);

CREATE TABLE event_report_job_artifacts (
  id TEXT PRIMARY KEY,
  job_id TEXT NOT NULL REFERENCES event_report_jobs(id),
  r2_key TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  content_type TEXT NOT NULL,
  file_name TEXT NOT NULL,
  row_count INTEGER NOT NULL,
  download_count INTEGER NOT NULL DEFAULT 0,
  last_downloaded_at INTEGER,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,          -- retention end; the sweeper removes the object after it
  swept_at INTEGER
);
CREATE UNIQUE INDEX report_artifacts_job ON event_report_job_artifacts(job_id);
CREATE INDEX report_artifacts_expires ON event_report_job_artifacts(expires_at) WHERE swept_at IS NULL;

CREATE TABLE notification_outbox (
  id TEXT PRIMARY KEY,
  job_id TEXT NOT NULL REFERENCES event_report_jobs(id),
  kind TEXT NOT NULL,
  recipient TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'bounced', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  message_id TEXT,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  sent_at INTEGER
);
CREATE INDEX outbox_due ON notification_outbox(status, next_attempt_at);
CREATE INDEX outbox_job ON notification_outbox(job_id);

-- Who downloaded what, and other actions worth an audit trail.
CREATE TABLE audit_log (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  actor_user_id TEXT,
  action TEXT NOT NULL,
  subject_type TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL
);
CREATE INDEX audit_log_workspace ON audit_log(workspace_id, created_at);
