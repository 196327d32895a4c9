-- Every source table keeps its rows' earlier versions: an UPDATE or a DELETE copies the row as it
-- was into `<table>_versions`, valid from `valid_from` until `superseded_at`. A report reads each
-- table as it was at its job's snapshot_at (asOf in src/worker/db/versions.ts), so an edit or a
-- deletion made while a file is being written never shows in it. Versions are pruned once no job
-- can need them (pruneRowVersions, run by the cron).
--
-- valid_from: when the previous version of this row ended, or the row's created_at, whichever is
-- later (a row deleted and inserted again under the same id starts afresh).
-- superseded_at: the app's clock, i.e. the database's wall clock plus the development clock offset
-- (0 outside development; see src/worker/clock.ts), so it compares with snapshot_at.
-- Writers must UPDATE or DELETE: INSERT OR REPLACE does not fire the delete trigger in D1.
--
-- The versions tables copy the source columns without their constraints: a version is history,
-- and the row it came from may be gone. Each has the (id, superseded_at) index the "was this row
-- changed since?" probe uses, and the index its report reads in, so both halves of a read walk
-- an index in the same order.

-- guests: 0008 kept edits with the wall clock and without the re-insert rule; replaced here.
DROP TRIGGER guests_keep_versions;
CREATE TRIGGER guests_keep_versions_on_update AFTER UPDATE ON guests
BEGIN
  INSERT INTO guest_versions (id, event_id, first_name, last_name, email, company, ticket_type, rsvp_status, registered_at, checked_in_at, created_at, valid_from, superseded_at)
  VALUES (OLD.id, OLD.event_id, OLD.first_name, OLD.last_name, OLD.email, OLD.company, OLD.ticket_type, OLD.rsvp_status, OLD.registered_at, OLD.checked_in_at, OLD.created_at,
          MAX(COALESCE((SELECT MAX(superseded_at) FROM guest_versions WHERE id = OLD.id), OLD.created_at), OLD.created_at),
          CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + COALESCE((SELECT offset_ms FROM dev_clock WHERE id = 1), 0));
END;

CREATE TRIGGER guests_keep_versions_on_delete AFTER DELETE ON guests
BEGIN
  INSERT INTO guest_versions (id, event_id, first_name, last_name, email, company, ticket_type, rsvp_status, registered_at, checked_in_at, created_at, valid_from, superseded_at)
  VALUES (OLD.id, OLD.event_id, OLD.first_name, OLD.last_name, OLD.email, OLD.company, OLD.ticket_type, OLD.rsvp_status, OLD.registered_at, OLD.checked_in_at, OLD.created_at,
          MAX(COALESCE((SELECT MAX(superseded_at) FROM guest_versions WHERE id = OLD.id), OLD.created_at), OLD.created_at),
          CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + COALESCE((SELECT offset_ms FROM dev_clock WHERE id = 1), 0));
END;

-- orders
CREATE TABLE orders_versions AS SELECT id, event_id, order_number, buyer_name, buyer_email, status, currency, total_cents, refunded_cents, ticket_count, placed_at, created_at, updated_at FROM orders WHERE 0;
ALTER TABLE orders_versions ADD COLUMN valid_from INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders_versions ADD COLUMN superseded_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX orders_versions_row ON orders_versions(id, superseded_at);
CREATE INDEX orders_versions_event_placed_at ON orders_versions(event_id, placed_at, id);
CREATE TRIGGER orders_keep_versions_on_update AFTER UPDATE ON orders
BEGIN
  INSERT INTO orders_versions (id, event_id, order_number, buyer_name, buyer_email, status, currency, total_cents, refunded_cents, ticket_count, placed_at, created_at, updated_at, valid_from, superseded_at)
  VALUES (OLD.id, OLD.event_id, OLD.order_number, OLD.buyer_name, OLD.buyer_email, OLD.status, OLD.currency, OLD.total_cents, OLD.refunded_cents, OLD.ticket_count, OLD.placed_at, OLD.created_at, OLD.updated_at,
          MAX(COALESCE((SELECT MAX(superseded_at) FROM orders_versions WHERE id = OLD.id), OLD.created_at), OLD.created_at),
          CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + COALESCE((SELECT offset_ms FROM dev_clock WHERE id = 1), 0));
END;

CREATE TRIGGER orders_keep_versions_on_delete AFTER DELETE ON orders
BEGIN
  INSERT INTO orders_versions (id, event_id, order_number, buyer_name, buyer_email, status, currency, total_cents, refunded_cents, ticket_count, placed_at, created_at, updated_at, valid_from, superseded_at)
  VALUES (OLD.id, OLD.event_id, OLD.order_number, OLD.buyer_name, OLD.buyer_email, OLD.status, OLD.currency, OLD.total_cents, OLD.refunded_cents, OLD.ticket_count, OLD.placed_at, OLD.created_at, OLD.updated_at,
          MAX(COALESCE((SELECT MAX(superseded_at) FROM orders_versions WHERE id = OLD.id), OLD.created_at), OLD.created_at),
          CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + COALESCE((SELECT offset_ms FROM dev_clock WHERE id = 1), 0));
END;

-- order_items
CREATE TABLE order_items_versions AS SELECT id, order_id, event_id, ticket_type_id, ticket_block_id, quantity, unit_price_cents, refunded_quantity, refunded_cents, created_at FROM order_items WHERE 0;
ALTER TABLE order_items_versions ADD COLUMN valid_from INTEGER NOT NULL DEFAULT 0;
ALTER TABLE order_items_versions ADD COLUMN superseded_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX order_items_versions_row ON order_items_versions(id, superseded_at);
CREATE INDEX order_items_versions_order ON order_items_versions(order_id);
CREATE INDEX order_items_versions_event ON order_items_versions(event_id);
CREATE TRIGGER order_items_keep_versions_on_update AFTER UPDATE ON order_items
BEGIN
  INSERT INTO order_items_versions (id, order_id, event_id, ticket_type_id, ticket_block_id, quantity, unit_price_cents, refunded_quantity, refunded_cents, created_at, valid_from, superseded_at)
  VALUES (OLD.id, OLD.order_id, OLD.event_id, OLD.ticket_type_id, OLD.ticket_block_id, OLD.quantity, OLD.unit_price_cents, OLD.refunded_quantity, OLD.refunded_cents, OLD.created_at,
          MAX(COALESCE((SELECT MAX(superseded_at) FROM order_items_versions WHERE id = OLD.id), OLD.created_at), OLD.created_at),
          CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + COALESCE((SELECT offset_ms FROM dev_clock WHERE id = 1), 0));
END;

CREATE TRIGGER order_items_keep_versions_on_delete AFTER DELETE ON order_items
BEGIN
  INSERT INTO order_items_versions (id, order_id, event_id, ticket_type_id, ticket_block_id, quantity, unit_price_cents, refunded_quantity, refunded_cents, created_at, valid_from, superseded_at)
  VALUES (OLD.id, OLD.order_id, OLD.event_id, OLD.ticket_type_id, OLD.ticket_block_id, OLD.quantity, OLD.unit_price_cents, OLD.refunded_quantity, OLD.refunded_cents, OLD.created_at,
          MAX(COALESCE((SELECT MAX(superseded_at) FROM order_items_versions WHERE id = OLD.id), OLD.created_at), OLD.created_at),
          CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + COALESCE((SELECT offset_ms FROM dev_clock WHERE id = 1), 0));
END;

-- ticket_types
CREATE TABLE ticket_types_versions AS SELECT id, event_id, name, currency, price_cents, capacity, sort_order, created_at FROM ticket_types WHERE 0;
ALTER TABLE ticket_types_versions ADD COLUMN valid_from INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ticket_types_versions ADD COLUMN superseded_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX ticket_types_versions_row ON ticket_types_versions(id, superseded_at);
CREATE INDEX ticket_types_versions_event ON ticket_types_versions(event_id);
CREATE TRIGGER ticket_types_keep_versions_on_update AFTER UPDATE ON ticket_types
BEGIN
  INSERT INTO ticket_types_versions (id, event_id, name, currency, price_cents, capacity, sort_order, created_at, valid_from, superseded_at)
  VALUES (OLD.id, OLD.event_id, OLD.name, OLD.currency, OLD.price_cents, OLD.capacity, OLD.sort_order, OLD.created_at,
          MAX(COALESCE((SELECT MAX(superseded_at) FROM ticket_types_versions WHERE id = OLD.id), OLD.created_at), OLD.created_at),
          CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + COALESCE((SELECT offset_ms FROM dev_clock WHERE id = 1), 0));
END;

CREATE TRIGGER ticket_types_keep_versions_on_delete AFTER DELETE ON ticket_types
BEGIN
  INSERT INTO ticket_types_versions (id, event_id, name, currency, price_cents, capacity, sort_order, created_at, valid_from, superseded_at)
  VALUES (OLD.id, OLD.event_id, OLD.name, OLD.currency, OLD.price_cents, OLD.capacity, OLD.sort_order, OLD.created_at,
          MAX(COALESCE((SELECT MAX(superseded_at) FROM ticket_types_versions WHERE id = OLD.id), OLD.created_at), OLD.created_at),
          CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + COALESCE((SELECT offset_ms FROM dev_clock WHERE id = 1), 0));
END;

-- ticket_blocks
CREATE TABLE ticket_blocks_versions AS SELECT id, event_id, ticket_type_id, name, held_for, allocated, created_at FROM ticket_blocks WHERE 0;
ALTER TABLE ticket_blocks_versions ADD COLUMN valid_from INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ticket_blocks_versions ADD COLUMN superseded_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX ticket_blocks_versions_row ON ticket_blocks_versions(id, superseded_at);
CREATE INDEX ticket_blocks_versions_event ON ticket_blocks_versions(event_id);
CREATE TRIGGER ticket_blocks_keep_versions_on_update AFTER UPDATE ON ticket_blocks
BEGIN
  INSERT INTO ticket_blocks_versions (id, event_id, ticket_type_id, name, held_for, allocated, created_at, valid_from, superseded_at)
  VALUES (OLD.id, OLD.event_id, OLD.ticket_type_id, OLD.name, OLD.held_for, OLD.allocated, OLD.created_at,
          MAX(COALESCE((SELECT MAX(superseded_at) FROM ticket_blocks_versions WHERE id = OLD.id), OLD.created_at), OLD.created_at),
          CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + COALESCE((SELECT offset_ms FROM dev_clock WHERE id = 1), 0));
END;

CREATE TRIGGER ticket_blocks_keep_versions_on_delete AFTER DELETE ON ticket_blocks
BEGIN
  INSERT INTO ticket_blocks_versions (id, event_id, ticket_type_id, name, held_for, allocated, created_at, valid_from, superseded_at)
  VALUES (OLD.id, OLD.event_id, OLD.ticket_type_id, OLD.name, OLD.held_for, OLD.allocated, OLD.created_at,
          MAX(COALESCE((SELECT MAX(superseded_at) FROM ticket_blocks_versions WHERE id = OLD.id), OLD.created_at), OLD.created_at),
          CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + COALESCE((SELECT offset_ms FROM dev_clock WHERE id = 1), 0));
END;

-- check_ins
CREATE TABLE check_ins_versions AS SELECT id, event_id, guest_id, scanned_at, entrance, device, scanned_by, created_at FROM check_ins WHERE 0;
ALTER TABLE check_ins_versions ADD COLUMN valid_from INTEGER NOT NULL DEFAULT 0;
ALTER TABLE check_ins_versions ADD COLUMN superseded_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX check_ins_versions_row ON check_ins_versions(id, superseded_at);
CREATE INDEX check_ins_versions_event_scanned_at ON check_ins_versions(event_id, scanned_at, id);
CREATE TRIGGER check_ins_keep_versions_on_update AFTER UPDATE ON check_ins
BEGIN
  INSERT INTO check_ins_versions (id, event_id, guest_id, scanned_at, entrance, device, scanned_by, created_at, valid_from, superseded_at)
  VALUES (OLD.id, OLD.event_id, OLD.guest_id, OLD.scanned_at, OLD.entrance, OLD.device, OLD.scanned_by, OLD.created_at,
          MAX(COALESCE((SELECT MAX(superseded_at) FROM check_ins_versions WHERE id = OLD.id), OLD.created_at), OLD.created_at),
          CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + COALESCE((SELECT offset_ms FROM dev_clock WHERE id = 1), 0));
END;

CREATE TRIGGER check_ins_keep_versions_on_delete AFTER DELETE ON check_ins
BEGIN
  INSERT INTO check_ins_versions (id, event_id, guest_id, scanned_at, entrance, device, scanned_by, created_at, valid_from, superseded_at)
  VALUES (OLD.id, OLD.event_id, OLD.guest_id, OLD.scanned_at, OLD.entrance, OLD.device, OLD.scanned_by, OLD.created_at,
          MAX(COALESCE((SELECT MAX(superseded_at) FROM check_ins_versions WHERE id = OLD.id), OLD.created_at), OLD.created_at),
          CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + COALESCE((SELECT offset_ms FROM dev_clock WHERE id = 1), 0));
END;

-- sponsors
CREATE TABLE sponsors_versions AS SELECT id, event_id, name, tier, created_at FROM sponsors WHERE 0;
ALTER TABLE sponsors_versions ADD COLUMN valid_from INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sponsors_versions ADD COLUMN superseded_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX sponsors_versions_row ON sponsors_versions(id, superseded_at);
CREATE INDEX sponsors_versions_event ON sponsors_versions(event_id);
CREATE TRIGGER sponsors_keep_versions_on_update AFTER UPDATE ON sponsors
BEGIN
  INSERT INTO sponsors_versions (id, event_id, name, tier, created_at, valid_from, superseded_at)
  VALUES (OLD.id, OLD.event_id, OLD.name, OLD.tier, OLD.created_at,
          MAX(COALESCE((SELECT MAX(superseded_at) FROM sponsors_versions WHERE id = OLD.id), OLD.created_at), OLD.created_at),
          CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + COALESCE((SELECT offset_ms FROM dev_clock WHERE id = 1), 0));
END;

CREATE TRIGGER sponsors_keep_versions_on_delete AFTER DELETE ON sponsors
BEGIN
  INSERT INTO sponsors_versions (id, event_id, name, tier, created_at, valid_from, superseded_at)
  VALUES (OLD.id, OLD.event_id, OLD.name, OLD.tier, OLD.created_at,
          MAX(COALESCE((SELECT MAX(superseded_at) FROM sponsors_versions WHERE id = OLD.id), OLD.created_at), OLD.created_at),
          CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + COALESCE((SELECT offset_ms FROM dev_clock WHERE id = 1), 0));
END;

-- sponsor_leads
CREATE TABLE sponsor_leads_versions AS SELECT id, event_id, sponsor_id, guest_id, full_name, email, company, job_title, rating, notes, scanned_by, scanned_at, created_at FROM sponsor_leads WHERE 0;
ALTER TABLE sponsor_leads_versions ADD COLUMN valid_from INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sponsor_leads_versions ADD COLUMN superseded_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX sponsor_leads_versions_row ON sponsor_leads_versions(id, superseded_at);
CREATE INDEX sponsor_leads_versions_event_scanned_at ON sponsor_leads_versions(event_id, scanned_at, id);
CREATE TRIGGER sponsor_leads_keep_versions_on_update AFTER UPDATE ON sponsor_leads
BEGIN
  INSERT INTO sponsor_leads_versions (id, event_id, sponsor_id, guest_id, full_name, email, company, job_title, rating, notes, scanned_by, scanned_at, created_at, valid_from, superseded_at)
  VALUES (OLD.id, OLD.event_id, OLD.sponsor_id, OLD.guest_id, OLD.full_name, OLD.email, OLD.company, OLD.job_title, OLD.rating, OLD.notes, OLD.scanned_by, OLD.scanned_at, OLD.created_at,
          MAX(COALESCE((SELECT MAX(superseded_at) FROM sponsor_leads_versions WHERE id = OLD.id), OLD.created_at), OLD.created_at),
          CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + COALESCE((SELECT offset_ms FROM dev_clock WHERE id = 1), 0));
END;

CREATE TRIGGER sponsor_leads_keep_versions_on_delete AFTER DELETE ON sponsor_leads
BEGIN
  INSERT INTO sponsor_leads_versions (id, event_id, sponsor_id, guest_id, full_name, email, company, job_title, rating, notes, scanned_by, scanned_at, created_at, valid_from, superseded_at)
  VALUES (OLD.id, OLD.event_id, OLD.sponsor_id, OLD.guest_id, OLD.full_name, OLD.email, OLD.company, OLD.job_title, OLD.rating, OLD.notes, OLD.scanned_by, OLD.scanned_at, OLD.created_at,
          MAX(COALESCE((SELECT MAX(superseded_at) FROM sponsor_leads_versions WHERE id = OLD.id), OLD.created_at), OLD.created_at),
          CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + COALESCE((SELECT offset_ms FROM dev_clock WHERE id = 1), 0));
END;

-- email_messages
CREATE TABLE email_messages_versions AS SELECT id, event_id, campaign, subject, recipient, guest_id, sent_at, created_at FROM email_messages WHERE 0;
ALTER TABLE email_messages_versions ADD COLUMN valid_from INTEGER NOT NULL DEFAULT 0;
ALTER TABLE email_messages_versions ADD COLUMN superseded_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX email_messages_versions_row ON email_messages_versions(id, superseded_at);
CREATE INDEX email_messages_versions_event_sent_at ON email_messages_versions(event_id, sent_at, id);
CREATE TRIGGER email_messages_keep_versions_on_update AFTER UPDATE ON email_messages
BEGIN
  INSERT INTO email_messages_versions (id, event_id, campaign, subject, recipient, guest_id, sent_at, created_at, valid_from, superseded_at)
  VALUES (OLD.id, OLD.event_id, OLD.campaign, OLD.subject, OLD.recipient, OLD.guest_id, OLD.sent_at, OLD.created_at,
          MAX(COALESCE((SELECT MAX(superseded_at) FROM email_messages_versions WHERE id = OLD.id), OLD.created_at), OLD.created_at),
          CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + COALESCE((SELECT offset_ms FROM dev_clock WHERE id = 1), 0));
END;

CREATE TRIGGER email_messages_keep_versions_on_delete AFTER DELETE ON email_messages
BEGIN
  INSERT INTO email_messages_versions (id, event_id, campaign, subject, recipient, guest_id, sent_at, created_at, valid_from, superseded_at)
  VALUES (OLD.id, OLD.event_id, OLD.campaign, OLD.subject, OLD.recipient, OLD.guest_id, OLD.sent_at, OLD.created_at,
          MAX(COALESCE((SELECT MAX(superseded_at) FROM email_messages_versions WHERE id = OLD.id), OLD.created_at), OLD.created_at),
          CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + COALESCE((SELECT offset_ms FROM dev_clock WHERE id = 1), 0));
END;

-- email_events
CREATE TABLE email_events_versions AS SELECT id, message_id, event_id, kind, detail, occurred_at, created_at FROM email_events WHERE 0;
ALTER TABLE email_events_versions ADD COLUMN valid_from INTEGER NOT NULL DEFAULT 0;
ALTER TABLE email_events_versions ADD COLUMN superseded_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX email_events_versions_row ON email_events_versions(id, superseded_at);
CREATE INDEX email_events_versions_event_message ON email_events_versions(event_id, message_id);
CREATE TRIGGER email_events_keep_versions_on_update AFTER UPDATE ON email_events
BEGIN
  INSERT INTO email_events_versions (id, message_id, event_id, kind, detail, occurred_at, created_at, valid_from, superseded_at)
  VALUES (OLD.id, OLD.message_id, OLD.event_id, OLD.kind, OLD.detail, OLD.occurred_at, OLD.created_at,
          MAX(COALESCE((SELECT MAX(superseded_at) FROM email_events_versions WHERE id = OLD.id), OLD.created_at), OLD.created_at),
          CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + COALESCE((SELECT offset_ms FROM dev_clock WHERE id = 1), 0));
END;

CREATE TRIGGER email_events_keep_versions_on_delete AFTER DELETE ON email_events
BEGIN
  INSERT INTO email_events_versions (id, message_id, event_id, kind, detail, occurred_at, created_at, valid_from, superseded_at)
  VALUES (OLD.id, OLD.message_id, OLD.event_id, OLD.kind, OLD.detail, OLD.occurred_at, OLD.created_at,
          MAX(COALESCE((SELECT MAX(superseded_at) FROM email_events_versions WHERE id = OLD.id), OLD.created_at), OLD.created_at),
          CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + COALESCE((SELECT offset_ms FROM dev_clock WHERE id = 1), 0));
END;

-- activity_log
CREATE TABLE activity_log_versions AS SELECT id, event_id, occurred_at, actor_type, actor_name, action, detail, created_at FROM activity_log WHERE 0;
ALTER TABLE activity_log_versions ADD COLUMN valid_from INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activity_log_versions ADD COLUMN superseded_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX activity_log_versions_row ON activity_log_versions(id, superseded_at);
CREATE INDEX activity_log_versions_event_occurred_at ON activity_log_versions(event_id, occurred_at, id);
CREATE TRIGGER activity_log_keep_versions_on_update AFTER UPDATE ON activity_log
BEGIN
  INSERT INTO activity_log_versions (id, event_id, occurred_at, actor_type, actor_name, action, detail, created_at, valid_from, superseded_at)
  VALUES (OLD.id, OLD.event_id, OLD.occurred_at, OLD.actor_type, OLD.actor_name, OLD.action, OLD.detail, OLD.created_at,
          MAX(COALESCE((SELECT MAX(superseded_at) FROM activity_log_versions WHERE id = OLD.id), OLD.created_at), OLD.created_at),
          CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + COALESCE((SELECT offset_ms FROM dev_clock WHERE id = 1), 0));
END;

CREATE TRIGGER activity_log_keep_versions_on_delete AFTER DELETE ON activity_log
BEGIN
  INSERT INTO activity_log_versions (id, event_id, occurred_at, actor_type, actor_name, action, detail, created_at, valid_from, superseded_at)
  VALUES (OLD.id, OLD.event_id, OLD.occurred_at, OLD.actor_type, OLD.actor_name, OLD.action, OLD.detail, OLD.created_at,
          MAX(COALESCE((SELECT MAX(superseded_at) FROM activity_log_versions WHERE id = OLD.id), OLD.created_at), OLD.created_at),
          CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) + COALESCE((SELECT offset_ms FROM dev_clock WHERE id = 1), 0));
END;

-- The audit log is a record of what happened: it is never rewritten or removed.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
