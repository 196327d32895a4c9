-- The ops dashboard and the metrics scrape read jobs across all events by when they were created,
-- started and finished; without these each of those reads scans every job ever run (the per-event
-- index starts with event_id).
CREATE INDEX report_jobs_created ON event_report_jobs(created_at);
CREATE INDEX report_jobs_started ON event_report_jobs(started_at);
CREATE INDEX report_jobs_finished ON event_report_jobs(finished_at);
