import { allRows } from './sql';

export interface NewAccessRequest {
  id: string;
  workspace_id: string;
  event_id: string;
  user_id: string;
  report_type: string;
  created_at: number;
}

/**
 * Records an access request unless the same person already has one open (made after `openSince`)
 * for the same type and event. One statement; RETURNING says whether it was recorded.
 */
export function recordAccessRequestStatement(db: D1Database, request: NewAccessRequest, openSince: number): D1PreparedStatement {
  const r = request;
  return db
    .prepare(
      `INSERT INTO access_requests (id, workspace_id, event_id, user_id, report_type, created_at)
       SELECT ?, ?, ?, ?, ?, ?
        WHERE NOT EXISTS (SELECT 1 FROM access_requests
                           WHERE user_id = ? AND report_type = ? AND event_id = ? AND created_at > ?)
       RETURNING id`,
    )
    .bind(
      r.id,
      r.workspace_id,
      r.event_id,
      r.user_id,
      r.report_type,
      r.created_at,
      r.user_id,
      r.report_type,
      r.event_id,
      openSince,
    );
}

/** The addresses of a workspace's admins: who is asked when someone wants access to a report. */
export async function listWorkspaceAdminEmails(db: D1Database, workspaceId: string): Promise<string[]> {
  const rows = await allRows<{ email: string }>(
    db,
    "SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = ? AND m.role = 'admin'",
    workspaceId,
  );
  return rows.map((r) => r.email);
}
