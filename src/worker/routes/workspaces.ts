import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import { can, ROLES, type Role, TOKEN_ROLES } from '../auth/roles';
import { requireUser } from '../auth/session';
import {
  apiTokenResource,
  createApiTokenParts,
  findApiToken,
  listApiTokens,
  newApiToken,
  revokeApiTokenPart,
} from '../db/api-tokens';
import { insertAuditStatement } from '../db/audit';
import { createInvitationParts, INVITATION_TTL_DAYS, listOpenInvitationsPart, newInvitationId } from '../db/invitations';
import { prepare } from '../db/sql';
import { forbidden, notFound } from '../errors';
import type { AppEnv } from '../hono';
import { log } from '../log';
import { tokenExample } from '../openapi/examples';
import { defineRoute, json, jsonRequest, Routes } from '../openapi/route';
import * as S from '../openapi/schemas';
import { jsonBody } from '../validate';

// Workspace administration for its admins: API tokens (made, listed, revoked; a token is shown
// once) and members (listed, invited by email). The operator command does the same from a shell.

export const createTokenBody = z.strictObject({
  name: z.string().trim().min(1, 'Name the token after what uses it.').max(100),
  role: z.enum(TOKEN_ROLES).default('admin'),
});

/** Addresses under `.invalid` are never people (API token principals use one). */
export const inviteEmail = z
  .email()
  .max(254)
  .refine((e) => !/\.invalid$/i.test(e), 'cannot be an .invalid address');

export const inviteBody = z.strictObject({ email: inviteEmail, role: z.enum(ROLES) });

/** The caller must be an admin of `:workspaceId`; a workspace they are not in is "not found". */
const requireWorkspaceAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const workspaceId = c.req.param('workspaceId') ?? '';
  const row = /^[a-z0-9]{1,64}$/.test(workspaceId)
    ? await c.env.DB.prepare(
        `SELECT m.role, w.name AS workspace_name FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
          WHERE m.workspace_id = ? AND m.user_id = ?`,
      )
        .bind(workspaceId, c.get('user').id)
        .first<{ role: Role; workspace_name: string }>()
    : null;
  if (!row) throw notFound('Workspace not found.');
  if (!can(row.role, 'workspace:admin')) throw forbidden('Only workspace admins can manage API tokens and members.');
  c.set('membership', { workspace_id: workspaceId, workspace_name: row.workspace_name, role: row.role });
  await next();
});

const list = <T>(data: T[]) => ({ data, page: 1, limit: data.length, total: data.length, hasMore: false });

const T = tokenExample.created_at;
const WEEK = 7 * 86_400_000;

export const workspaceRoutes = new Routes();
workspaceRoutes.use('/:workspaceId/*', requireUser, requireWorkspaceAdmin);
workspaceRoutes
  .handle(
    defineRoute({
      method: 'get',
      path: '/{workspaceId}/api-tokens',
      tags: ['Workspace'],
      summary: 'The workspace’s API tokens',
      description: 'Workspace admins only. Live tokens first; never the secrets.',
      auth: 'workspace',
      responses: { 200: json(S.apiTokenList, { data: [tokenExample], page: 1, limit: 1, total: 1, hasMore: false }) },
    }),
    async (c) => {
      const rows = await listApiTokens(c.env.DB, c.get('membership').workspace_id);
      return c.json(list(rows.map(apiTokenResource)));
    },
  )
  .handle(
    defineRoute({
      method: 'post',
      path: '/{workspaceId}/api-tokens',
      tags: ['Workspace'],
      summary: 'Make an API token',
      description: 'The answer carries the token once; only its hash is stored. Audited.',
      auth: 'workspace',
      request: { body: jsonRequest(createTokenBody, { name: 'Voyage platform sync', role: 'admin' }) },
      errors: [400],
      responses: {
        201: json(S.apiTokenCreated, { token: `vrt_${tokenExample.id}_${'0'.repeat(64)}`, api_token: tokenExample }, 'Made.'),
      },
    }),
    async (c) => {
      const body = await jsonBody(c, createTokenBody);
      const workspaceId = c.get('membership').workspace_id;
      const user = c.get('user');
      const now = c.get('now');
      const fresh = await newApiToken(now);
      await c.env.DB.batch([
        ...createApiTokenParts({
          id: fresh.id,
          workspace_id: workspaceId,
          name: body.name,
          role: body.role,
          secretHash: fresh.secretHash,
          created_by: user.id,
          now,
        }).map((p) => prepare(c.env.DB, p)),
        insertAuditStatement(c.env.DB, {
          workspace_id: workspaceId,
          actor_user_id: user.id,
          action: 'api_token.created',
          subject_type: 'api_token',
          subject_id: fresh.id,
          detail: { name: body.name, role: body.role },
          now,
        }),
      ]);
      log('info', 'api_token.created', { workspace_id: workspaceId, api_token_id: fresh.id, role: body.role, user_id: user.id });
      const row = await findApiToken(c.env.DB, fresh.id);
      if (!row) throw new Error('token insert returned nothing');
      // The only time the secret leaves the server.
      return c.json({ token: fresh.token, api_token: apiTokenResource(row) }, 201);
    },
  )
  .handle(
    defineRoute({
      method: 'post',
      path: '/{workspaceId}/api-tokens/{tokenId}/revoke',
      tags: ['Workspace'],
      summary: 'Revoke an API token',
      description: 'At once: its next request is refused. Audited.',
      auth: 'workspace',
      responses: { 200: json(S.apiToken, { ...tokenExample, revoked_at: T + 120_000 }) },
    }),
    async (c) => {
      const workspaceId = c.get('membership').workspace_id;
      const user = c.get('user');
      const now = c.get('now');
      const tokenId = c.req.param('tokenId') ?? '';
      const revoked = await prepare(c.env.DB, revokeApiTokenPart(workspaceId, tokenId, user.id, now)).first();
      if (!revoked) throw notFound('API token not found, or already revoked.');
      await insertAuditStatement(c.env.DB, {
        workspace_id: workspaceId,
        actor_user_id: user.id,
        action: 'api_token.revoked',
        subject_type: 'api_token',
        subject_id: tokenId,
        now,
      }).run();
      const row = await findApiToken(c.env.DB, tokenId);
      if (!row) throw notFound('API token not found.');
      log('info', 'api_token.revoked', { workspace_id: workspaceId, api_token_id: tokenId, user_id: user.id });
      return c.json(apiTokenResource(row));
    },
  )
  .handle(
    defineRoute({
      method: 'get',
      path: '/{workspaceId}/members',
      tags: ['Workspace'],
      summary: 'Members and open invitations',
      auth: 'workspace',
      responses: {
        200: json(S.members, {
          data: [{ user_id: 'uadmin', email: 'admin@acme.test', name: 'Ada Admin', role: 'admin', created_at: T }],
          invitations: [
            { id: 'inv1', email: 'olivia@acme.test', role: 'organizer', make_operator: 0, created_at: T, expires_at: T + WEEK },
          ],
        }),
      },
    }),
    async (c) => {
      const workspaceId = c.get('membership').workspace_id;
      const [members, invitations] = await c.env.DB.batch([
        c.env.DB.prepare(
          `SELECT u.id AS user_id, u.email, u.name, m.role, m.created_at FROM memberships m JOIN users u ON u.id = m.user_id
          WHERE m.workspace_id = ? ORDER BY u.name, u.email`,
        ).bind(workspaceId),
        prepare(c.env.DB, listOpenInvitationsPart(workspaceId, c.get('now'))),
      ]);
      return c.json({ data: members?.results ?? [], invitations: invitations?.results ?? [] });
    },
  )
  .handle(
    defineRoute({
      method: 'post',
      path: '/{workspaceId}/invitations',
      tags: ['Workspace'],
      summary: 'Invite someone by email',
      description: 'A one-time link valid 7 days, sent by email; an earlier open invitation of the same address ends.',
      auth: 'workspace',
      request: { body: jsonRequest(inviteBody, { email: 'olivia@acme.test', role: 'organizer' }) },
      errors: [400],
      responses: {
        201: json(
          S.invitationCreated,
          { id: 'inv1', email: 'olivia@acme.test', role: 'organizer', expires_at: T + WEEK },
          'Queued.',
        ),
      },
    }),
    async (c) => {
      const body = await jsonBody(c, inviteBody);
      const workspaceId = c.get('membership').workspace_id;
      const user = c.get('user');
      const now = c.get('now');
      const id = newInvitationId(now);
      const expiresAt = now + INVITATION_TTL_DAYS * 86_400_000;
      await c.env.DB.batch(
        createInvitationParts({
          id,
          email: body.email,
          workspace_id: workspaceId,
          role: body.role,
          make_operator: false,
          invited_by: user.id,
          now,
          expires_at: expiresAt,
        }).map((p) => prepare(c.env.DB, p)),
      );
      log('info', 'invitation.created', { invitation_id: id, workspace_id: workspaceId, role: body.role, user_id: user.id });
      return c.json({ id, email: body.email, role: body.role, expires_at: expiresAt }, 201);
    },
  );
