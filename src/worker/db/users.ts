import type { Role } from '../auth/roles';

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

export function findUserById(db: D1Database, id: string): Promise<UserRow | null> {
  return db.prepare('SELECT * FROM users WHERE id = ?').bind(id).first<UserRow>();
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

export function findMembership(db: D1Database, userId: string, workspaceId: string): Promise<MembershipRow | null> {
  return db
    .prepare(
      `SELECT m.workspace_id, w.name AS workspace_name, m.role
         FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
        WHERE m.user_id = ? AND m.workspace_id = ?`,
    )
    .bind(userId, workspaceId)
    .first<MembershipRow>();
}
