import { newId } from '../ids';

export function insertAuditStatement(
  db: D1Database,
  entry: {
    workspace_id: string;
    actor_user_id: string | null;
    action: string;
    subject_type: string;
    subject_id: string;
    detail?: Record<string, unknown>;
    now: number;
  },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO audit_log (id, workspace_id, actor_user_id, action, subject_type, subject_id, detail, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      newId(entry.now),
      entry.workspace_id,
      entry.actor_user_id,
      entry.action,
      entry.subject_type,
      entry.subject_id,
      JSON.stringify(entry.detail ?? {}),
      entry.now,
    );
}

/**
 * A sign-in, in the audit log of every workspace the person belongs to (a session is not tied to
 * one). One row per membership; the id carries the workspace so the rows of one instant differ.
 */
export function insertSignInAuditStatement(db: D1Database, userId: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO audit_log (id, workspace_id, event_id, actor_user_id, action, subject_type, subject_id, detail, created_at)
       SELECT ? || m.workspace_id, m.workspace_id, NULL, ?, 'user.signed_in', 'user', ?, '{}', ?
         FROM memberships m WHERE m.user_id = ?`,
    )
    .bind(newId(now), userId, userId, now, userId);
}
