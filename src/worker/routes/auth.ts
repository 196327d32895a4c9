import { z } from 'zod';
import { knownDevice, rememberDevice } from '../auth/device';
import { DUMMY_PASSWORD_HASH, verifyPassword } from '../auth/password';
import { clearSessionCookie, currentUser, requireUser, SESSION_TTL_MS, setSessionCookie } from '../auth/session';
import { insertSignInAuditStatement } from '../db/audit';
import { loginThrottleKeys, releaseLoginAttempt, reserveLoginAttempt } from '../db/login-failures';
import { deleteSession, insertSession } from '../db/sessions';
import { findUserByEmail, listMemberships } from '../db/users';
import { ApiError } from '../errors';
import { newToken, sha256Hex } from '../ids';
import { membershipExample, userExample } from '../openapi/examples';
import { defineRoute, json, jsonRequest, Routes } from '../openapi/route';
import * as S from '../openapi/schemas';
import { jsonBody } from '../validate';

export const loginBody = z.strictObject({
  email: z.string().trim().max(254),
  password: z.string().max(1024),
});

const signedIn = { user: userExample, memberships: [membershipExample] };

export const authRoutes = new Routes()
  .handle(
    defineRoute({
      method: 'post',
      path: '/login',
      tags: ['Sessions'],
      summary: 'Sign in',
      description:
        'Sets the `voyage_session` cookie (HttpOnly, SameSite=Lax) and a `voyage_device` cookie that marks this browser as known to the account. Every attempt is counted before the password is checked: 5 per account and client address per 15 minutes, 50 per account per hour across addresses (a known browser is throttled on its own instead), 50 per client address per 15 minutes; beyond that 429 with Retry-After.',
      auth: 'public',
      request: { body: jsonRequest(loginBody, { email: 'admin@acme.test', password: 'voyage-demo' }) },
      errors: [400, 401, 429],
      responses: { 200: json(S.signedInResponse, signedIn) },
    }),
    async (c) => {
      const { email, password } = await jsonBody(c, loginBody);
      const now = c.get('now');
      // The attempt is counted before the password is checked (throttle keys: db/login-failures.ts),
      // whether or not the account exists; parallel guesses beyond the limit are never checked.
      const device = await knownDevice(c, email);
      const keys = loginThrottleKeys(email, c.req.header('cf-connecting-ip') ?? null, device);
      const throttle = await reserveLoginAttempt(c.env.DB, keys, now);
      if (!throttle.admitted) {
        const minutes = Math.max(1, Math.ceil((throttle.retryAt - now) / 60_000));
        c.header('retry-after', String(Math.ceil((throttle.retryAt - now) / 1000)));
        throw new ApiError(
          429,
          'too_many_attempts',
          `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        );
      }
      const user = await findUserByEmail(c.env.DB, email);
      // Same work and same answer whether the email exists or not: no account enumeration.
      const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_PASSWORD_HASH);
      if (!user || !ok) throw new ApiError(401, 'invalid_credentials', 'Email or password is incorrect.');
      await releaseLoginAttempt(c.env.DB, keys);
      await rememberDevice(c, user.email, device);
      const token = newToken();
      await insertSession(c.env.DB, {
        id: await sha256Hex(token),
        user_id: user.id,
        created_at: now,
        expires_at: now + SESSION_TTL_MS,
      });
      await insertSignInAuditStatement(c.env.DB, user.id, now).run();
      setSessionCookie(c, token);
      return c.json({
        user: { id: user.id, email: user.email, name: user.name, is_operator: user.is_operator === 1 },
        memberships: await listMemberships(c.env.DB, user.id),
      });
    },
  )
  .handle(
    defineRoute({
      method: 'get',
      path: '/session',
      tags: ['Sessions'],
      summary: 'The current session, if any',
      description: 'Answers 200 whether or not someone is signed in (`user: null`), so a signed-out page load logs no error.',
      auth: 'public',
      responses: { 200: json(S.sessionResponse, { user: null, memberships: [] }) },
    }),
    async (c) => {
      const found = await currentUser(c);
      if (!found) return c.json({ user: null, memberships: [] });
      return c.json({ user: found.user, memberships: await listMemberships(c.env.DB, found.user.id) });
    },
  )
  .handle(
    defineRoute({
      method: 'post',
      path: '/logout',
      tags: ['Sessions'],
      summary: 'Sign out',
      auth: 'public',
      responses: { 204: { description: 'Signed out; the cookie is cleared.' } },
    }),
    async (c) => {
      const found = await currentUser(c);
      if (found) await deleteSession(c.env.DB, found.sessionId);
      clearSessionCookie(c);
      return c.body(null, 204);
    },
  );

export const meRoutes = new Routes().handle(
  defineRoute({
    method: 'get',
    path: '/',
    tags: ['Sessions'],
    summary: 'The signed-in user and their workspaces',
    auth: 'session',
    middleware: [requireUser],
    responses: { 200: json(S.signedInResponse, signedIn) },
  }),
  async (c) => {
    const user = c.get('user');
    return c.json({ user, memberships: await listMemberships(c.env.DB, user.id) });
  },
);
