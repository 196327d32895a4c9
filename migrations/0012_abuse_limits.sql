-- Limits that are checked and taken in one statement (issue 15).

-- Sign-in throttle windows are pruned by the cron once they end.
CREATE INDEX login_failures_window ON login_failures(window_start);

-- "Send the notification again": each resend of a job is one row, admitted only while the job has
-- had fewer than the hourly limit (counted and inserted in one statement).
CREATE TABLE notification_resends (
  id TEXT PRIMARY KEY,
  job_id TEXT NOT NULL REFERENCES event_report_jobs(id),
  requested_by TEXT NOT NULL REFERENCES users(id),
  recipients INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX notification_resends_job ON notification_resends(job_id, created_at);

-- An access request stays open for a while: asking again for the same (user, type, event) in that
-- time records nothing and emails no one.
CREATE INDEX access_requests_open ON access_requests(user_id, report_type, event_id, created_at);

-- Email webhook deliveries already applied, by signature: a replay inside the 5-minute window of
-- its signed timestamp is answered without being applied again. Pruned by the cron.
CREATE TABLE webhook_deliveries (
  signature TEXT PRIMARY KEY,
  received_at INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_received ON webhook_deliveries(received_at);
