import type { Role } from '../auth/roles';
import type { EventRow } from './events';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  created_at: number;
  is_operator: number;
}

export interface MembershipRow {
  workspace_id: string;
  workspace_name: string;
  role: Role;
}

export function findUserByEmail(db: D1Database, email: string): Promise<UserRow | null> {
  return db.prepare('SELECT * FROM users WHERE email = ?').bind(email).first<UserRow>();
}

export async function listMemberships(db: D1Database, userId: string): Promise<MembershipRow[]> {
  const { results } = await db
    .prepare(
      `SELECT m.workspace_id, w.name AS workspace_name, m.role
         FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
        WHERE m.user_id = ? ORDER BY w.name`,
    )
    .bind(userId)
    .all<MembershipRow>();
  return results;
}

/**
 * An event together with the caller's membership in its workspace, in one query; null when either
 * is missing (another workspace's event is "not found", not "forbidden").
 */
export async function findEventForMember(
  db: D1Database,
  userId: string,
  eventId: string,
): Promise<{ event: EventRow; membership: MembershipRow } | null> {
  if (!/^[a-z0-9]{1,64}$/.test(eventId)) return null;
  const row = await db
    .prepare(
      `SELECT e.*, w.name AS workspace_name, m.role
         FROM events e
         JOIN memberships m ON m.workspace_id = e.workspace_id AND m.user_id = ?
         JOIN workspaces w ON w.id = e.workspace_id
        WHERE e.id = ?`,
    )
    .bind(userId, eventId)
    .first<EventRow & { workspace_name: string; role: Role }>();
  if (!row) return null;
  const { workspace_name, role, ...event } = row;
  return { event, membership: { workspace_id: event.workspace_id, workspace_name, role } };
}
