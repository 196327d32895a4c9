// Invitations (migration 0014): the one way a person gets an account or a workspace role, the
// first operator included. Written by the operator command (scripts/admin.ts) through the same
// SQL as the Worker (db/sql.ts); read and accepted by routes/invitations.ts.

import type { Role } from '../auth/roles';
import { newId, newToken, sha256Hex } from '../ids';
import { insertNotificationPart } from './outbox';
import type { SqlPart } from './sql';

export const INVITATION_TTL_DAYS = 7;

export interface InvitationRow {
  id: string;
  email: string;
  workspace_id: string | null;
  role: Role | null;
  make_operator: number;
  invited_by: string | null;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
  accepted_user_id: string | null;
  revoked_at: number | null;
}

export interface InvitationView extends InvitationRow {
  workspace_name: string | null;
  invited_by_name: string | null;
}

export interface NewInvitation {
  id: string;
  email: string;
  workspace_id: string | null;
  role: Role | null;
  make_operator: boolean;
  invited_by: string | null;
  now: number;
  expires_at: number;
}

/** What to write for an invitation: earlier open ones of the same email and workspace end, it is stored, and its email queued. */
export function createInvitationParts(inv: NewInvitation): SqlPart[] {
  return [
    {
      sql: `UPDATE invitations SET revoked_at = ?
             WHERE email = ? AND workspace_id IS ? AND make_operator = ? AND accepted_at IS NULL AND revoked_at IS NULL`,
      values: [inv.now, inv.email, inv.workspace_id, inv.make_operator ? 1 : 0],
    },
    {
      sql: `INSERT INTO invitations (id, email, workspace_id, role, make_operator, invited_by, created_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      values: [inv.id, inv.email, inv.workspace_id, inv.role, inv.make_operator ? 1 : 0, inv.invited_by, inv.now, inv.expires_at],
    },
    // The dispatcher makes the email's own link when it sends it (email/invitation.ts).
    insertNotificationPart({
      job_id: null,
      kind: 'invitation',
      recipient: inv.email,
      payload: { invitation_id: inv.id },
      now: inv.now,
    }),
  ];
}

/** A new link to an invitation: the secret to put in the URL, and the row that keeps only its hash. */
export async function newInvitationLink(invitationId: string, now: number): Promise<{ token: string; part: SqlPart }> {
  const token = newToken();
  return {
    token,
    part: {
      sql: 'INSERT INTO invitation_links (token_hash, invitation_id, created_at) VALUES (?, ?, ?)',
      values: [await sha256Hex(token), invitationId, now],
    },
  };
}

/** `/invitation#token=…`: in the fragment, the secret never reaches a server log or a Referer header. */
export function invitationUrl(origin: string, token: string): string {
  return new URL(`/invitation#token=${token}`, origin).toString();
}

export function newInvitationId(now: number): string {
  return newId(now);
}

const VIEW = `SELECT i.*, w.name AS workspace_name, u.name AS invited_by_name
    FROM invitations i
    LEFT JOIN workspaces w ON w.id = i.workspace_id
    LEFT JOIN users u ON u.id = i.invited_by`;

export async function findInvitationByToken(db: D1Database, token: string): Promise<InvitationView | null> {
  if (!/^[0-9a-f]{64}$/.test(token)) return null;
  return db
    .prepare(`${VIEW} JOIN invitation_links l ON l.invitation_id = i.id WHERE l.token_hash = ?`)
    .bind(await sha256Hex(token))
    .first<InvitationView>();
}

export function findInvitation(db: D1Database, id: string): Promise<InvitationView | null> {
  return db.prepare(`${VIEW} WHERE i.id = ?`).bind(id).first<InvitationView>();
}

export type InvitationState = 'open' | 'accepted' | 'revoked' | 'expired';

export function invitationState(inv: InvitationRow, now: number): InvitationState {
  if (inv.accepted_at !== null) return 'accepted';
  if (inv.revoked_at !== null) return 'revoked';
  if (inv.expires_at <= now) return 'expired';
  return 'open';
}

/** Only the first of two simultaneous accepts takes it; every later statement of the batch checks it won. */
const ACCEPTED_BY_US = 'SELECT 1 FROM invitations WHERE id = ? AND accepted_user_id = ? AND accepted_at = ?';

/**
 * Accepting, as one D1 batch (one transaction): the invitation is taken (compare-and-set on its
 * state), the account is created when `newUser` is given, the membership is added or its role set,
 * the operator flag set if the invitation carries it. The first statement returns the invitation
 * when this batch took it, nothing when it was accepted, revoked or expired meanwhile.
 */
export function acceptInvitationStatements(
  db: D1Database,
  a: {
    invitationId: string;
    userId: string;
    now: number;
    newUser?: { email: string; name: string; passwordHash: string };
  },
): D1PreparedStatement[] {
  const won = [a.invitationId, a.userId, a.now];
  const statements = [
    db
      .prepare(
        `UPDATE invitations SET accepted_at = ?, accepted_user_id = ?
          WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ? RETURNING *`,
      )
      .bind(a.now, a.userId, a.invitationId, a.now),
  ];
  if (a.newUser) {
    statements.push(
      db
        .prepare(
          `INSERT INTO users (id, email, name, password_hash, created_at, is_operator)
           SELECT ?, ?, ?, ?, ?, 0 WHERE EXISTS (${ACCEPTED_BY_US})`,
        )
        .bind(a.userId, a.newUser.email, a.newUser.name, a.newUser.passwordHash, a.now, ...won),
    );
  }
  statements.push(
    db
      .prepare(
        `INSERT INTO memberships (workspace_id, user_id, role, created_at, updated_at)
         SELECT workspace_id, ?, role, ?, ? FROM invitations
          WHERE id = ? AND accepted_user_id = ? AND accepted_at = ? AND workspace_id IS NOT NULL
         ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role, updated_at = excluded.updated_at`,
      )
      .bind(a.userId, a.now, a.now, ...won),
    db
      .prepare(`UPDATE users SET is_operator = 1 WHERE id = ? AND EXISTS (${ACCEPTED_BY_US} AND make_operator = 1)`)
      .bind(a.userId, ...won),
  );
  return statements;
}

/** Pending invitations of a workspace, newest first (the operator command's `member list`). */
export function listOpenInvitationsPart(workspaceId: string, now: number): SqlPart {
  return {
    sql: `SELECT id, email, role, make_operator, created_at, expires_at FROM invitations
           WHERE workspace_id = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?
           ORDER BY created_at DESC`,
    values: [workspaceId, now],
  };
}
