-- Edits made after a report was asked for must not leak into it. D1 has no snapshot reads across
-- queries, so every update of a guest keeps the previous version, valid from `valid_from` until
-- `superseded_at` (when the edit happened). The guest list reads, for its job's snapshot_at, the
-- current row if nothing superseded it since, else the version that was valid then.
CREATE TABLE guest_versions (
  id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  email TEXT NOT NULL,
  company TEXT NOT NULL,
  ticket_type TEXT NOT NULL,
  rsvp_status TEXT NOT NULL,
  registered_at INTEGER NOT NULL,
  checked_in_at INTEGER,
  created_at INTEGER NOT NULL,
  valid_from INTEGER NOT NULL,
  superseded_at INTEGER NOT NULL
);
CREATE INDEX guest_versions_row ON guest_versions(id, superseded_at);
CREATE INDEX guest_versions_event_name ON guest_versions(event_id, last_name, first_name, id);

CREATE TRIGGER guests_keep_versions AFTER UPDATE ON guests
BEGIN
  INSERT INTO guest_versions
    (id, event_id, first_name, last_name, email, company, ticket_type, rsvp_status, registered_at,
     checked_in_at, created_at, valid_from, superseded_at)
  VALUES
    (OLD.id, OLD.event_id, OLD.first_name, OLD.last_name, OLD.email, OLD.company, OLD.ticket_type,
     OLD.rsvp_status, OLD.registered_at, OLD.checked_in_at, OLD.created_at,
     COALESCE((SELECT MAX(superseded_at) FROM guest_versions WHERE id = OLD.id), OLD.created_at),
     CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
