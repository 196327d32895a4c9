-- Limits that are checked and taken in one statement (issue 15).

-- Sign-in throttle windows are pruned by the cron once they end.
CREATE INDEX login_failures_window ON login_failures(window_start);
