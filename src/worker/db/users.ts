import type { Role } from '../auth/roles';
import type { EventRow } from './events';
import { allRows, likePattern } from './sql';

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
  return allRows<MembershipRow>(
    db,
    `SELECT m.workspace_id, w.name AS workspace_name, m.role
         FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
        WHERE m.user_id = ? ORDER BY w.name`,
    userId,
  );
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

/** A member who can be emailed a report: the recipient picker's suggestion. */
export interface RecipientRow {
  email: string;
  name: string;
}

const ROLE_LIST = (roles: readonly Role[]) => roles.map(() => '?').join(', ');

/**
 * Of `emails`, those that belong to members of the workspace with one of `roles` (compared
 * case-insensitively, as users.email is COLLATE NOCASE), lowercased.
 */
export async function eligibleRecipients(
  db: D1Database,
  workspaceId: string,
  roles: readonly Role[],
  emails: readonly string[],
): Promise<Set<string>> {
  if (emails.length === 0 || roles.length === 0) return new Set();
  const rows = await allRows<{ email: string }>(
    db,
    `SELECT lower(u.email) AS email FROM users u
       JOIN memberships m ON m.user_id = u.id AND m.workspace_id = ?
      WHERE m.role IN (${ROLE_LIST(roles)}) AND u.email IN (${emails.map(() => '?').join(', ')})`,
    workspaceId,
    ...roles,
    ...emails,
  );
  return new Set(rows.map((r) => r.email));
}

/** Members of the workspace with one of `roles` whose email or name contains `query`, by name. */
export async function listRecipients(
  db: D1Database,
  workspaceId: string,
  roles: readonly Role[],
  query: string,
  limit: number,
): Promise<RecipientRow[]> {
  if (roles.length === 0) return [];
  const pattern = likePattern(query);
  return allRows<RecipientRow>(
    db,
    `SELECT u.email, u.name FROM users u
         JOIN memberships m ON m.user_id = u.id AND m.workspace_id = ?
        WHERE m.role IN (${ROLE_LIST(roles)})
          AND (u.email LIKE ? ESCAPE '\\' OR u.name LIKE ? ESCAPE '\\')
        ORDER BY u.name COLLATE NOCASE, u.email
        LIMIT ?`,
    workspaceId,
    ...roles,
    pattern,
    pattern,
    limit,
  );
}
