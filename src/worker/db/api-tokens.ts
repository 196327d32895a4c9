// Workspace API tokens (migration 0014). Made by workspace admins (routes/workspaces.ts) and by the
// operator command (scripts/admin.ts) through the same SQL; checked by auth/api-token.ts.

import type { TokenRole } from '../auth/roles';
import { newId, newToken, sha256Hex } from '../ids';
import { allRows, type SqlPart } from './sql';

export const TOKEN_PATTERN = /^vrt_([0-9a-z]{26})_([0-9a-f]{64})$/;

export interface ApiTokenRow {
  id: string;
  workspace_id: string;
  user_id: string;
  name: string;
  role: TokenRole;
  secret_hash: string;
  created_by: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  revoked_by: string | null;
}

export interface ApiTokenView extends ApiTokenRow {
  workspace_name: string;
  created_by_name: string | null;
}

/** A fresh token: `vrt_<id>_<secret>` is shown once; the table keeps the SHA-256 of the secret. */
export async function newApiToken(now: number): Promise<{ id: string; token: string; secretHash: string }> {
  const id = newId(now);
  const secret = newToken();
  return { id, token: `vrt_${id}_${secret}`, secretHash: await sha256Hex(secret) };
}

/**
 * The token's principal (a users row that cannot sign in: no password scheme matches '!', and
 * `.invalid` is never an invitation's address) and the token itself. Jobs it asks for name the
 * principal as requester, so the report center shows "<name> (API token)" and the quota is the token's.
 */
export function createApiTokenParts(t: {
  id: string;
  workspace_id: string;
  name: string;
  role: TokenRole;
  secretHash: string;
  created_by: string | null;
  now: number;
}): SqlPart[] {
  const userId = `tok${t.id}`;
  return [
    {
      sql: `INSERT INTO users (id, email, name, password_hash, created_at, is_operator) VALUES (?, ?, ?, '!', ?, 0)`,
      values: [userId, `api-token-${t.id}@tokens.voyage.invalid`, `${t.name} (API token)`, t.now],
    },
    {
      sql: `INSERT INTO api_tokens (id, workspace_id, user_id, name, role, secret_hash, created_by, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      values: [t.id, t.workspace_id, userId, t.name, t.role, t.secretHash, t.created_by, t.now],
    },
  ];
}

const VIEW = `SELECT t.*, w.name AS workspace_name, u.name AS created_by_name
    FROM api_tokens t
    JOIN workspaces w ON w.id = t.workspace_id
    LEFT JOIN users u ON u.id = t.created_by`;

export function findApiToken(db: D1Database, id: string): Promise<ApiTokenView | null> {
  return db.prepare(`${VIEW} WHERE t.id = ?`).bind(id).first<ApiTokenView>();
}

export function listApiTokensPart(workspaceId: string): SqlPart {
  return { sql: `${VIEW} WHERE t.workspace_id = ? ORDER BY t.revoked_at IS NOT NULL, t.created_at DESC`, values: [workspaceId] };
}

export async function listApiTokens(db: D1Database, workspaceId: string): Promise<ApiTokenView[]> {
  const part = listApiTokensPart(workspaceId);
  return allRows<ApiTokenView>(db, part.sql, ...part.values);
}

/** Revokes a live token of the workspace; null when there is none (unknown, another workspace's, already revoked). */
export function revokeApiTokenPart(workspaceId: string, id: string, by: string | null, now: number): SqlPart {
  return {
    sql: `UPDATE api_tokens SET revoked_at = ?, revoked_by = ?
           WHERE id = ? AND workspace_id = ? AND revoked_at IS NULL RETURNING *`,
    values: [now, by, id, workspaceId],
  };
}

/** Last use, kept to the minute: a busy token writes once a minute, not on every request. */
export const LAST_USED_PRECISION_MS = 60_000;

export async function touchApiToken(db: D1Database, id: string, now: number): Promise<void> {
  await db
    .prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)')
    .bind(now, id, now - LAST_USED_PRECISION_MS)
    .run();
}

/** The resource shown to admins: never the secret or its hash. */
export function apiTokenResource(row: ApiTokenView) {
  return {
    id: row.id,
    workspace_id: row.workspace_id,
    name: row.name,
    role: row.role,
    prefix: `vrt_${row.id}_`,
    created_by: row.created_by,
    created_by_name: row.created_by_name,
    created_at: row.created_at,
    last_used_at: row.last_used_at,
    revoked_at: row.revoked_at,
  };
}
