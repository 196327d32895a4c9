// Ticketing data of an event that filters and forms need: its ticket types, sponsors, and the
// distinct values of free-text columns. The reports' own queries live in their report files.

import type { FieldOption } from '../reports/types';
import { allRows } from './sql';

export interface TicketTypeRow {
  id: string;
  event_id: string;
  name: string;
  currency: string;
  price_cents: number;
  capacity: number;
  sort_order: number;
  created_at: number;
}

export async function listTicketTypes(db: D1Database, eventId: string): Promise<TicketTypeRow[]> {
  return allRows<TicketTypeRow>(db, 'SELECT * FROM ticket_types WHERE event_id = ? ORDER BY sort_order, id', eventId);
}

export async function listTicketTypeOptions(db: D1Database, eventId: string): Promise<FieldOption[]> {
  return (await listTicketTypes(db, eventId)).map((t) => ({ value: t.id, label: t.name }));
}

export async function listSponsorOptions(db: D1Database, eventId: string): Promise<FieldOption[]> {
  const rows = await allRows<{ id: string; name: string }>(
    db,
    'SELECT id, name FROM sponsors WHERE event_id = ? ORDER BY name, id',
    eventId,
  );
  return rows.map((s) => ({ value: s.id, label: s.name }));
}

/**
 * The distinct values of a text column of one of the event's tables, for a filter's choices.
 * `table` and `column` come from our code, never from a request.
 */
export async function distinctValues(
  db: D1Database,
  table: 'activity_log' | 'email_messages' | 'check_ins' | 'guests',
  column: 'action' | 'campaign' | 'entrance' | 'ticket_type',
  eventId: string,
): Promise<FieldOption[]> {
  const rows = await allRows<{ value: string }>(
    db,
    `SELECT DISTINCT ${column} AS value FROM ${table} WHERE event_id = ? ORDER BY ${column} LIMIT 200`,
    eventId,
  );
  return rows.map((r) => ({ value: r.value, label: r.value }));
}

/** An admin audit entry that concerns an event (the audit-log report reads these by event). */
export function insertEventAuditStatement(
  db: D1Database,
  entry: {
    id: string;
    workspace_id: string;
    event_id: string;
    actor_user_id: string;
    action: string;
    subject_type: string;
    subject_id: string;
    detail: Record<string, unknown>;
    now: number;
  },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO audit_log (id, workspace_id, event_id, actor_user_id, action, subject_type, subject_id, detail, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      entry.id,
      entry.workspace_id,
      entry.event_id,
      entry.actor_user_id,
      entry.action,
      entry.subject_type,
      entry.subject_id,
      JSON.stringify(entry.detail),
      entry.now,
    );
}
