-- The platform data the reports read: ticketing, orders, check-ins, sponsors and their leads,
-- email deliverability, the attendee activity log. Guests (migration 0001) are the registrations.
--
-- Every table has created_at: a report leaves out rows created after its job's snapshot_at, so a
-- file describes the event as it was when the organizer asked. Every table has an index that
-- serves the keyset order its report reads in (event first, then the order columns, then id).
-- Money is INTEGER cents with a three-letter currency next to it; never a float.

CREATE TABLE ticket_types (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id),
  name TEXT NOT NULL,
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
  capacity INTEGER NOT NULL CHECK (capacity >= 0),
  sort_order INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX ticket_types_event ON ticket_types(event_id, sort_order, id);

-- Tickets held back for a group (a sponsor, the press, a hotel partner) out of a ticket type.
CREATE TABLE ticket_blocks (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id),
  ticket_type_id TEXT NOT NULL REFERENCES ticket_types(id),
  name TEXT NOT NULL,
  held_for TEXT NOT NULL,
  allocated INTEGER NOT NULL CHECK (allocated >= 0),
  created_at INTEGER NOT NULL
);
CREATE INDEX ticket_blocks_event ON ticket_blocks(event_id, name, id);

-- status is the order's current state; refunded_cents the sum of its items' refunds.
CREATE TABLE orders (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id),
  order_number TEXT NOT NULL,
  buyer_name TEXT NOT NULL,
  buyer_email TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'partially_refunded', 'refunded', 'cancelled')),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  total_cents INTEGER NOT NULL CHECK (total_cents >= 0),
  refunded_cents INTEGER NOT NULL DEFAULT 0 CHECK (refunded_cents >= 0),
  ticket_count INTEGER NOT NULL CHECK (ticket_count >= 0),
  placed_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- The orders page and export read newest first: (placed_at DESC, id DESC) walks this backwards.
CREATE INDEX orders_event_placed ON orders(event_id, placed_at, id);
CREATE INDEX orders_event_status_placed ON orders(event_id, status, placed_at, id);

CREATE TABLE order_items (
  id TEXT PRIMARY KEY,
  order_id TEXT NOT NULL REFERENCES orders(id),
  event_id TEXT NOT NULL REFERENCES events(id),
  ticket_type_id TEXT NOT NULL REFERENCES ticket_types(id),
  ticket_block_id TEXT REFERENCES ticket_blocks(id),
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
  refunded_quantity INTEGER NOT NULL DEFAULT 0 CHECK (refunded_quantity >= 0),
  refunded_cents INTEGER NOT NULL DEFAULT 0 CHECK (refunded_cents >= 0),
  created_at INTEGER NOT NULL
);
CREATE INDEX order_items_order ON order_items(order_id, ticket_type_id);
CREATE INDEX order_items_event_type ON order_items(event_id, ticket_type_id);
CREATE INDEX order_items_block ON order_items(ticket_block_id) WHERE ticket_block_id IS NOT NULL;

-- One row per admission scan at the door.
CREATE TABLE check_ins (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id),
  guest_id TEXT NOT NULL REFERENCES guests(id),
  scanned_at INTEGER NOT NULL,
  entrance TEXT NOT NULL,
  device TEXT NOT NULL,
  scanned_by TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX check_ins_event_scanned ON check_ins(event_id, scanned_at, id);
CREATE INDEX check_ins_guest ON check_ins(guest_id, scanned_at);

CREATE TABLE sponsors (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id),
  name TEXT NOT NULL,
  tier TEXT NOT NULL CHECK (tier IN ('platinum', 'gold', 'silver', 'bronze')),
  created_at INTEGER NOT NULL
);
CREATE INDEX sponsors_event ON sponsors(event_id, name, id);

-- A badge scanned at a sponsor's booth: the lead's details as they were captured.
CREATE TABLE sponsor_leads (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id),
  sponsor_id TEXT NOT NULL REFERENCES sponsors(id),
  guest_id TEXT REFERENCES guests(id),
  full_name TEXT NOT NULL,
  email TEXT NOT NULL,
  company TEXT NOT NULL DEFAULT '',
  job_title TEXT NOT NULL DEFAULT '',
  rating TEXT NOT NULL CHECK (rating IN ('hot', 'warm', 'cold')),
  notes TEXT NOT NULL DEFAULT '',
  scanned_by TEXT NOT NULL,
  scanned_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX sponsor_leads_event_scanned ON sponsor_leads(event_id, scanned_at, id);
CREATE INDEX sponsor_leads_event_sponsor ON sponsor_leads(event_id, sponsor_id, scanned_at, id);

-- Emails sent to guests, one row per recipient, and what the mail provider told us afterwards.
CREATE TABLE email_messages (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id),
  campaign TEXT NOT NULL,
  subject TEXT NOT NULL,
  recipient TEXT NOT NULL,
  guest_id TEXT REFERENCES guests(id),
  sent_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX email_messages_event_sent ON email_messages(event_id, sent_at, id);
CREATE INDEX email_messages_event_campaign ON email_messages(event_id, campaign, sent_at);

CREATE TABLE email_events (
  id TEXT PRIMARY KEY,
  message_id TEXT NOT NULL REFERENCES email_messages(id),
  event_id TEXT NOT NULL REFERENCES events(id),
  kind TEXT NOT NULL CHECK (kind IN ('delivered', 'bounced', 'complained', 'opened')),
  detail TEXT NOT NULL DEFAULT '',
  occurred_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
-- The deliverability summary groups an event's outcomes by message.
CREATE INDEX email_events_event_message ON email_events(event_id, message_id, kind);

-- What attendees and the system did around the event (registrations, RSVPs, orders, scans).
CREATE TABLE activity_log (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id),
  occurred_at INTEGER NOT NULL,
  actor_type TEXT NOT NULL CHECK (actor_type IN ('guest', 'staff', 'system')),
  actor_name TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE INDEX activity_log_event ON activity_log(event_id, occurred_at, id);
CREATE INDEX activity_log_event_action ON activity_log(event_id, action, occurred_at, id);

-- The admin audit log (0001) gains the event an entry concerns, when it concerns one; the
-- audit-log report reads an event's entries in (created_at, id) order.
ALTER TABLE audit_log ADD COLUMN event_id TEXT;
CREATE INDEX audit_log_event ON audit_log(event_id, created_at, id);
