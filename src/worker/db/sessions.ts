import type { Role } from '../auth/roles';
import type { EventRow } from './events';
import type { MembershipRow, UserRow } from './users';
import type { SqlFragment } from './where';

export interface SessionRow {
  id: string;
  user_id: string;
  created_at: number;
  expires_at: number;
}

export async function insertSession(db: D1Database, row: SessionRow): Promise<void> {
  await db
    .prepare('INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
    .bind(row.id, row.user_id, row.created_at, row.expires_at)
    .run();
}

/** A live session's user, in one query: it runs on every authenticated request. */
export function findSessionUser(db: D1Database, id: string, now: number): Promise<UserRow | null> {
  return db
    .prepare('SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ? AND s.expires_at > ?')
    .bind(id, now)
    .first<UserRow>();
}

/**
 * A live session's user and, in the same statement, the event `eventId` with the user's membership
 * of its workspace: the one query every request to an event's routes begins with. Event and role
 * are null when the event does not exist or is another workspace's.
 */
export function sessionEventMemberStatement(db: D1Database, id: string, now: number, eventId: string): D1PreparedStatement {
  return db
    .prepare(
      `SELECT u.id AS user_id, u.email AS user_email, u.name AS user_name, u.password_hash AS user_password_hash,
              u.created_at AS user_created_at, u.is_operator AS user_is_operator,
              e.*, w.name AS workspace_name, m.role
         FROM sessions s
         JOIN users u ON u.id = s.user_id
         LEFT JOIN events e ON e.id = ?
         LEFT JOIN memberships m ON m.workspace_id = e.workspace_id AND m.user_id = u.id
         LEFT JOIN workspaces w ON w.id = m.workspace_id
        WHERE s.id = ? AND s.expires_at > ?`,
    )
    .bind(eventId, id, now);
}

export interface SessionEventMember {
  user: UserRow;
  event: EventRow | null;
  membership: MembershipRow | null;
}

/** The row of sessionEventMemberStatement, or null when the session is unknown or expired. */
export function sessionEventMemberOf(row: Record<string, unknown> | null | undefined): SessionEventMember | null {
  if (!row) return null;
  const {
    user_id,
    user_email,
    user_name,
    user_password_hash,
    user_created_at,
    user_is_operator,
    workspace_name,
    role,
    ...event
  } = row;
  const user = {
    id: user_id,
    email: user_email,
    name: user_name,
    password_hash: user_password_hash,
    created_at: user_created_at,
    is_operator: user_is_operator,
  } as UserRow;
  if (role === null || event.id === null) return { user, event: null, membership: null };
  return {
    user,
    event: event as unknown as EventRow,
    membership: { workspace_id: event.workspace_id as string, workspace_name: workspace_name as string, role: role as Role },
  };
}

/**
 * The caller of a request as SQL, for a read batched with its session check in one D1 round trip
 * (auth/session.ts withEventAccess): such a statement is prepared before anyone knows who is
 * asking. Both are NULL for an unknown or expired session, and the role also for a user who is not
 * a member of the event's workspace, so a statement that filters on them returns nothing to a
 * caller the check then refuses.
 */
export function callerSql(id: string, now: number, eventId: string): { userId: SqlFragment; role: SqlFragment } {
  return {
    userId: { sql: '(SELECT user_id FROM sessions WHERE id = ? AND expires_at > ?)', values: [id, now] },
    role: {
      sql: `(SELECT m.role FROM sessions s
               JOIN events e ON e.id = ?
               JOIN memberships m ON m.workspace_id = e.workspace_id AND m.user_id = s.user_id
              WHERE s.id = ? AND s.expires_at > ?)`,
      values: [eventId, id, now],
    },
  };
}

export async function deleteSession(db: D1Database, id: string): Promise<void> {
  await db.prepare('DELETE FROM sessions WHERE id = ?').bind(id).run();
}

export async function deleteExpiredSessions(db: D1Database, now: number): Promise<number> {
  const result = await db.prepare('DELETE FROM sessions WHERE expires_at <= ?').bind(now).run();
  return result.meta.changes;
}
