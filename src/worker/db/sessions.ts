import type { UserRow } from './users';

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

export async function deleteSession(db: D1Database, id: string): Promise<void> {
  await db.prepare('DELETE FROM sessions WHERE id = ?').bind(id).run();
}

export async function deleteExpiredSessions(db: D1Database, now: number): Promise<number> {
  const result = await db.prepare('DELETE FROM sessions WHERE expires_at <= ?').bind(now).run();
  return result.meta.changes;
}
