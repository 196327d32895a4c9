-- Durable operational counters, by hour: what the Workers isolate cannot keep in memory
-- (download decisions, bad signatures, expired-link hits …). Job and email facts are read from
-- their own tables; only events that leave no other row are counted here.
CREATE TABLE metric_events (
  name TEXT NOT NULL,
  hour_start INTEGER NOT NULL,   -- epoch ms, truncated to the hour (UTC)
  count INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (name, hour_start)
);
