import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { callerSql, findSessionUser, sessionEventMemberOf, sessionEventMemberStatement } from '../db/sessions';
import type { UserRow } from '../db/users';
import { ApiError, forbidden, notFound } from '../errors';
import type { AppEnv, AuthUser } from '../hono';
import { sha256Hex } from '../ids';
import { can, type Permission } from './roles';

export const SESSION_COOKIE = 'voyage_session';
export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;

export function setSessionCookie(c: Context<AppEnv>, token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax', // sent on a top-level click from an email, never on a cross-site POST
    secure: new URL(c.req.url).protocol === 'https:',
    path: '/',
    maxAge: SESSION_TTL_MS / 1000,
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}

/** The id of the session the request's cookie names (the table keeps only its hash), or null. */
async function sessionIdOf(c: Context<AppEnv>): Promise<string | null> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token || token.length > 200) return null;
  return sha256Hex(token);
}

const authUser = (user: UserRow): AuthUser => ({
  id: user.id,
  email: user.email,
  name: user.name,
  is_operator: user.is_operator === 1,
});

/** The signed-in user, or null. */
export async function currentUser(c: Context<AppEnv>): Promise<{ user: AuthUser; sessionId: string } | null> {
  const sessionId = await sessionIdOf(c);
  if (!sessionId) return null;
  const user = await findSessionUser(c.env.DB, sessionId, c.get('now'));
  if (!user) return null;
  return { user: authUser(user), sessionId };
}

const signInFirst = () => new ApiError(401, 'unauthenticated', 'Sign in to continue.');

export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  const found = await currentUser(c);
  if (!found) throw signInFirst();
  c.set('user', found.user);
  c.set('sessionId', found.sessionId);
  await next();
});

/**
 * The signed-in user (401 otherwise) and `:eventId` resolved to an event in one of their
 * workspaces, in one query. Another workspace's event answers 404 (its existence is not ours to
 * reveal); a member without the permission gets 403.
 */
export function requireEventAccess(permission: Permission) {
  return createMiddleware<AppEnv>(async (c, next) => {
    await withEventAccess(c, permission, () => []);
    await next();
  });
}

/** The caller as SQL, for reads prepared before the session is checked (db/sessions.ts callerSql), and the event in the path. */
export type Caller = ReturnType<typeof callerSql> & { eventId: string };

/**
 * requireEventAccess's check and, in the same D1 round trip, the reads of a route every open report
 * center polls (the jobs list, one job): one round trip instead of two on every poll. `reads` gets
 * the caller as SQL; their results are returned only once the caller is admitted, by exactly the
 * checks of requireEventAccess.
 */
export async function withEventAccess(
  c: Context<AppEnv>,
  permission: Permission,
  reads: (caller: Caller) => D1PreparedStatement[],
): Promise<D1Result[]> {
  const sessionId = await sessionIdOf(c);
  if (!sessionId) throw signInFirst();
  const rawEventId = c.req.param('eventId') ?? '';
  const eventId = /^[a-z0-9]{1,64}$/.test(rawEventId) ? rawEventId : '';
  const now = c.get('now');
  const db = c.env.DB;
  const [access, ...results] = await db.batch([
    sessionEventMemberStatement(db, sessionId, now, eventId),
    ...reads({ ...callerSql(sessionId, now, eventId), eventId }),
  ]);
  const found = sessionEventMemberOf(access?.results?.[0] as Record<string, unknown> | undefined);
  if (!found) throw signInFirst();
  c.set('user', authUser(found.user));
  c.set('sessionId', sessionId);
  const { event, membership } = found;
  if (!event || !membership) throw notFound('Event not found.');
  if (!can(membership.role, permission)) {
    throw forbidden("You don't have permission to access reports for this event. Contact your workspace admin.");
  }
  c.set('event', event);
  c.set('membership', membership);
  return results;
}

/** Platform operators (ops switches, metrics) are named on the user, not by a workspace role. */
export const requireOperator = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.get('user').is_operator) throw forbidden('Only platform operators can do this.');
  await next();
});

/**
 * A permission beyond the one its router requires, for one route (the orders export within the
 * orders pages). Runs after requireEventAccess.
 */
export function requirePermission(permission: Permission, refusal: string) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!can(c.get('membership').role, permission)) throw forbidden(refusal);
    await next();
  });
}
