-- Indexes for reading reports as of their snapshot cheaply.
-- "Has anything of this event changed since the snapshot?" (db/versions.ts asOf): one index seek per
-- versions table and statement, so a report of an unedited event skips the per-row probe.
CREATE INDEX guest_versions_event_superseded ON guest_versions(event_id, superseded_at);
CREATE INDEX orders_versions_event_superseded ON orders_versions(event_id, superseded_at);
CREATE INDEX order_items_versions_event_superseded ON order_items_versions(event_id, superseded_at);
CREATE INDEX ticket_types_versions_event_superseded ON ticket_types_versions(event_id, superseded_at);
CREATE INDEX ticket_blocks_versions_event_superseded ON ticket_blocks_versions(event_id, superseded_at);
CREATE INDEX check_ins_versions_event_superseded ON check_ins_versions(event_id, superseded_at);
CREATE INDEX sponsors_versions_event_superseded ON sponsors_versions(event_id, superseded_at);
CREATE INDEX sponsor_leads_versions_event_superseded ON sponsor_leads_versions(event_id, superseded_at);
CREATE INDEX email_messages_versions_event_superseded ON email_messages_versions(event_id, superseded_at);
CREATE INDEX email_events_versions_event_superseded ON email_events_versions(event_id, superseded_at);
CREATE INDEX activity_log_versions_event_superseded ON activity_log_versions(event_id, superseded_at);

-- The orders export's row estimate (COUNT of the orders created by the snapshot) reads this index
-- alone instead of every order row: 0.19 → 0.04 s for 500k orders in sqlite3.
DROP INDEX orders_event_placed;
CREATE INDEX orders_event_placed ON orders(event_id, placed_at, id, created_at);
