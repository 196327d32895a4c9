// The token API (/v1/api): `Authorization: Bearer vrt_<id>_<secret>`. A token acts in its own
// workspace only, with its role, checked by the same `can()` as a member's session; every lookup
// it leads to is scoped by the token's workspace, so another workspace's ids are "not found".

import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { findApiToken, LAST_USED_PRECISION_MS, TOKEN_PATTERN, touchApiToken } from '../db/api-tokens';
import type { EventRow } from '../db/events';
import { ApiError, forbidden, notFound } from '../errors';
import type { AppEnv } from '../hono';
import { sha256Hex } from '../ids';
import { can, type Permission } from './roles';

const encoder = new TextEncoder();

/** A 401 with the challenge that names the scheme (RFC 6750). */
function unauthenticated(c: Context<AppEnv>, code: string, message: string): ApiError {
  c.header('www-authenticate', 'Bearer realm="voyage-reports-api"');
  return new ApiError(401, code, message);
}

/** Equal-length hex digests compared in constant time. */
function sameDigest(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  return x.byteLength === y.byteLength && crypto.subtle.timingSafeEqual(x, y);
}

export const requireApiToken = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization');
  const bearer = header ? /^Bearer ([\x21-\x7e]+)$/i.exec(header.trim())?.[1] : undefined;
  if (!bearer) {
    throw unauthenticated(c, 'unauthenticated', 'Send a workspace API token: Authorization: Bearer vrt_….');
  }
  // One answer for a malformed, unknown, wrong or revoked token: none of them tells which.
  const parsed = TOKEN_PATTERN.exec(bearer);
  const row = parsed?.[1] ? await findApiToken(c.env.DB, parsed[1]) : null;
  const valid = row !== null && row.revoked_at === null && sameDigest(await sha256Hex(parsed?.[2] ?? ''), row.secret_hash);
  if (!row || !valid) throw unauthenticated(c, 'invalid_token', 'This API token is not valid, or it was revoked.');
  const now = c.get('now');
  if (row.last_used_at === null || now - row.last_used_at >= LAST_USED_PRECISION_MS) await touchApiToken(c.env.DB, row.id, now);
  c.set('apiToken', row);
  c.set('user', { id: row.user_id, email: '', name: `${row.name} (API token)`, is_operator: false });
  await next();
});

/** The token's role must grant `permission` (ingest of events, which no event path names). */
export function requireTokenPermission(permission: Permission) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const token = c.get('apiToken');
    if (!can(token.role, permission)) throw forbidden(`This API token's role (${token.role}) does not allow this.`);
    await next();
  });
}

/**
 * Resolves `:eventId` to an event of the token's workspace (any other event: 404) and checks the
 * role, then sets `event` and `membership` as a session member's request has them, so the report
 * routes' own code (createReportJob) runs unchanged.
 */
export function requireTokenEventAccess(permission: Permission) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const token = c.get('apiToken');
    const eventId = c.req.param('eventId') ?? '';
    const event = /^[a-z0-9]{1,64}$/.test(eventId)
      ? await c.env.DB.prepare('SELECT * FROM events WHERE id = ? AND workspace_id = ?')
          .bind(eventId, token.workspace_id)
          .first<EventRow>()
      : null;
    if (!event) throw notFound('Event not found in this workspace.');
    if (!can(token.role, permission)) throw forbidden(`This API token's role (${token.role}) does not allow this.`);
    c.set('event', event);
    c.set('membership', { workspace_id: token.workspace_id, workspace_name: token.workspace_name, role: token.role });
    await next();
  });
}
