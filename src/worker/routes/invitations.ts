import { z } from 'zod';
import { hashPassword } from '../auth/password';
import { SESSION_TTL_MS, setSessionCookie } from '../auth/session';
import { acceptInvitationStatements, findInvitationByToken, type InvitationView, invitationState } from '../db/invitations';
import { insertSession } from '../db/sessions';
import { findUserByEmail, listMemberships } from '../db/users';
import { ApiError, badRequest } from '../errors';
import { newId, newToken, sha256Hex } from '../ids';
import { log } from '../log';
import { defineRoute, json, jsonRequest, Routes } from '../openapi/route';
import * as S from '../openapi/schemas';
import { jsonBody } from '../validate';

// Accepting an invitation, from the link in its email or the one the operator command printed
// (/invitation#token=… in the SPA). Public: the link's secret is the credential. A new account
// chooses its name and password here and is signed in; an existing account gains the membership
// (or the operator flag) and signs in with its own password.

const token = z.string().max(200);

export const inspectBody = z.strictObject({ token });

export const MIN_PASSWORD_LENGTH = 10;

export const acceptBody = z.strictObject({
  token,
  name: z.string().trim().min(1, 'Enter your name.').max(100).optional(),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`)
    .max(1024)
    .optional(),
});

const GONE: Record<Exclude<ReturnType<typeof invitationState>, 'open'>, [string, string]> = {
  accepted: ['invitation_used', 'This invitation was already accepted. Sign in instead.'],
  revoked: ['invitation_revoked', 'This invitation was replaced by a newer one. Use the link in the latest email.'],
  expired: ['invitation_expired', 'This invitation has expired. Ask your workspace admin or operator for a new one.'],
};

/** The open invitation a link names, or the error that explains why it cannot be used. */
async function openInvitation(db: D1Database, secret: string, now: number): Promise<InvitationView> {
  const invitation = await findInvitationByToken(db, secret);
  if (!invitation) {
    throw new ApiError(404, 'invitation_not_found', 'This invitation link is not valid. Check that it was copied whole.');
  }
  const state = invitationState(invitation, now);
  if (state !== 'open') throw new ApiError(410, ...GONE[state]);
  return invitation;
}

/** An account that can sign in (API token principals cannot, and are never invited). */
async function existingAccount(db: D1Database, email: string) {
  const user = await findUserByEmail(db, email);
  return user?.password_hash.startsWith('pbkdf2-') ? user : null;
}

function describe(invitation: InvitationView, accountExists: boolean) {
  return {
    email: invitation.email,
    workspace_id: invitation.workspace_id,
    workspace_name: invitation.workspace_name,
    role: invitation.role,
    operator: invitation.make_operator === 1,
    invited_by_name: invitation.invited_by_name,
    expires_at: invitation.expires_at,
    account_exists: accountExists,
  };
}

const T = 1_767_225_600_000;

export const invitationRoutes = new Routes()
  .handle(
    defineRoute({
      method: 'post',
      path: '/inspect',
      tags: ['Invitations'],
      summary: 'What an invitation link offers',
      description: 'The token is the secret of the link (`/invitation#token=…`), sent in the body so it never lands in a log.',
      auth: 'public',
      request: { body: jsonRequest(inspectBody, { token: '0'.repeat(64) }) },
      errors: [400, 404, 410],
      responses: {
        200: json(S.invitationInfo, {
          email: 'olivia@acme.test',
          workspace_id: 'wsacme',
          workspace_name: 'Acme Events',
          role: 'organizer',
          operator: false,
          invited_by_name: 'Ada Admin',
          expires_at: T + 7 * 86_400_000,
          account_exists: false,
        }),
      },
    }),
    async (c) => {
      const body = await jsonBody(c, inspectBody);
      const invitation = await openInvitation(c.env.DB, body.token, c.get('now'));
      return c.json(describe(invitation, (await existingAccount(c.env.DB, invitation.email)) !== null));
    },
  )
  .handle(
    defineRoute({
      method: 'post',
      path: '/accept',
      tags: ['Invitations'],
      summary: 'Accept an invitation',
      description:
        'Once only, before it expires. A new account gives its name and a password (10+ characters) and is signed in (the session cookie is set); an existing account just gains the membership.',
      auth: 'public',
      request: {
        body: jsonRequest(acceptBody, { token: '0'.repeat(64), name: 'Olivia Organizer', password: 'a long passphrase' }),
      },
      errors: [400, 404, 409, 410],
      responses: {
        200: json(S.acceptResponse, {
          accepted: true,
          email: 'olivia@acme.test',
          workspace_id: 'wsacme',
          signed_in: true,
          memberships: [{ workspace_id: 'wsacme', workspace_name: 'Acme Events', role: 'organizer' }],
        }),
      },
    }),
    async (c) => {
      const body = await jsonBody(c, acceptBody);
      const now = c.get('now');
      const invitation = await openInvitation(c.env.DB, body.token, now);
      const account = await existingAccount(c.env.DB, invitation.email);
      let newUser: { email: string; name: string; passwordHash: string } | undefined;
      if (!account) {
        if (body.name === undefined) throw badRequest('name: Enter your name.', 'validation_failed');
        if (body.password === undefined) {
          throw badRequest(`password: Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`, 'validation_failed');
        }
        newUser = { email: invitation.email, name: body.name, passwordHash: await hashPassword(body.password) };
      }
      const userId = account?.id ?? newId(now);
      const statements = acceptInvitationStatements(c.env.DB, { invitationId: invitation.id, userId, now, newUser });
      let taken: boolean;
      try {
        const [first] = await c.env.DB.batch(statements);
        taken = (first?.results.length ?? 0) > 0;
      } catch (err) {
        // Someone made an account with this email between our look and our write.
        if (String(err).includes('UNIQUE constraint failed')) {
          throw new ApiError(
            409,
            'account_exists',
            'An account with this email exists now. Open the link again to join with it.',
          );
        }
        throw err;
      }
      if (!taken) throw new ApiError(410, ...GONE.accepted);
      log('info', 'invitation.accepted', {
        invitation_id: invitation.id,
        user_id: userId,
        workspace_id: invitation.workspace_id,
        role: invitation.role,
        operator: invitation.make_operator === 1,
        new_account: account === null,
      });
      const base = { accepted: true, email: invitation.email, workspace_id: invitation.workspace_id };
      if (account) return c.json({ ...base, signed_in: false });
      // A new account is signed in at once: it just chose its password.
      const session = newToken();
      await insertSession(c.env.DB, {
        id: await sha256Hex(session),
        user_id: userId,
        created_at: now,
        expires_at: now + SESSION_TTL_MS,
      });
      setSessionCookie(c, session);
      return c.json({ ...base, signed_in: true, memberships: await listMemberships(c.env.DB, userId) });
    },
  );
