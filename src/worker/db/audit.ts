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
