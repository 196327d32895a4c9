-- After the job: stuck detection, email outbox for more than report links, access requests,
-- and the development clock.

ALTER TABLE event_report_jobs ADD COLUMN stuck_flagged_at INTEGER;

-- The outbox also carries access-request emails, which are about no job: job_id becomes optional,
-- and each row keeps what its email needs in `payload`.
CREATE TABLE notification_outbox_v2 (
  id TEXT PRIMARY KEY,
  job_id TEXT REFERENCES event_report_jobs(id),
  kind TEXT NOT NULL,                -- report_ready | access_request
  recipient TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'bounced', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  message_id TEXT,
  last_error TEXT,
  bounce_reason TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  sent_at INTEGER,
  bounced_at INTEGER
);
INSERT INTO notification_outbox_v2
  (id, job_id, kind, recipient, status, attempts, next_attempt_at, message_id, last_error, created_at, updated_at, sent_at)
  SELECT id, job_id, kind, recipient, status, attempts, next_attempt_at, message_id, last_error, created_at, updated_at, sent_at
    FROM notification_outbox;
DROP TABLE notification_outbox;
ALTER TABLE notification_outbox_v2 RENAME TO notification_outbox;
CREATE INDEX outbox_due ON notification_outbox(status, next_attempt_at);
CREATE INDEX outbox_job ON notification_outbox(job_id, created_at);
CREATE UNIQUE INDEX outbox_message ON notification_outbox(message_id) WHERE message_id IS NOT NULL;

CREATE TABLE access_requests (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  event_id TEXT REFERENCES events(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  report_type TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX access_requests_workspace ON access_requests(workspace_id, created_at);

CREATE INDEX report_jobs_quota ON event_report_jobs(requested_by, created_at, status);

-- Development and test builds only: how far the server's clock is moved ahead (see clock.ts).
CREATE TABLE dev_clock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  offset_ms INTEGER NOT NULL DEFAULT 0
);
INSERT INTO dev_clock (id) VALUES (1);
