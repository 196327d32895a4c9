import { allRows } from './sql';

/**
 * An event slug: lowercase letters, digits and inner hyphens, at most 64 characters. It names the
 * report files and reaches download headers. The database refuses any other slug, whoever writes
 * the event (migration 0013); code that writes events checks this first to answer readably.
 * test/links-and-headers.test.ts keeps the two rules equal.
 */
export const EVENT_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export interface EventRow {
  id: string;
  workspace_id: string;
  name: string;
  slug: string;
  time_zone: string;
  starts_at: number;
  ends_at: number;
  created_at: number;
}

export function findEvent(db: D1Database, id: string): Promise<EventRow | null> {
  return db.prepare('SELECT * FROM events WHERE id = ?').bind(id).first<EventRow>();
}

/** Events of every workspace the user belongs to, newest first. */
export async function listEventsForUser(db: D1Database, userId: string): Promise<(EventRow & { workspace_name: string })[]> {
  return allRows<EventRow & { workspace_name: string }>(
    db,
    `SELECT e.*, w.name AS workspace_name
         FROM events e
         JOIN memberships m ON m.workspace_id = e.workspace_id AND m.user_id = ?
         JOIN workspaces w ON w.id = e.workspace_id
        ORDER BY e.starts_at DESC, e.id`,
    userId,
  );
}
