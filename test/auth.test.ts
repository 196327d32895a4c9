import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVENT_ID, login, OTHER_EVENT_ID, PASSWORD, request, seedFixture, USERS } from './helpers';

beforeAll(async () => {
  await seedFixture(5);
});

describe('sign-in', () => {
  it('signs in with the right password and sets an HttpOnly, SameSite session cookie', async () => {
    const res = await request('/v1/auth/login', { method: 'POST', json: { email: USERS.organizer.email, password: PASSWORD } });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/voyage_session=[0-9a-f]{64}/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const body = await res.json<{ user: { id: string }; memberships: { role: string }[] }>();
    expect(body.user.id).toBe(USERS.organizer.id);
    expect(body.memberships[0]?.role).toBe('organizer');
  });

  it('refuses a wrong password and an unknown email with the same answer', async () => {
    const wrong = await request('/v1/auth/login', { method: 'POST', json: { email: USERS.organizer.email, password: 'nope' } });
    const unknown = await request('/v1/auth/login', { method: 'POST', json: { email: 'nobody@acme.test', password: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('answers malformed bodies with 400 naming the problem', async () => {
    const notJson = await request('/v1/auth/login', {
      method: 'POST',
      body: '{',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    const missing = await request('/v1/auth/login', { method: 'POST', json: { email: 'a@b.c' } });
    expect(missing.status).toBe(400);
    expect((await missing.json<{ error: { message: string } }>()).error.message).toMatch(/^password/);
  });

  it('requires a session for /v1/me and admin routes, and ends it on logout', async () => {
    expect((await request('/v1/me')).status).toBe(401);
    expect((await request(`/v1/admin/events/${EVENT_ID}/reports/jobs`)).status).toBe(401);
    const cookie = await login('viewer');
    const me = await request('/v1/me', { cookie });
    expect(me.status).toBe(200);
    expect((await me.json<{ user: { email: string } }>()).user.email).toBe(USERS.viewer.email);
    expect((await request('/v1/auth/logout', { method: 'POST', cookie })).status).toBe(204);
    expect((await request('/v1/me', { cookie })).status).toBe(401);
  });

  it('refuses a cross-site POST', async () => {
    const cookie = await login('organizer');
    const res = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs`, {
      method: 'POST',
      cookie,
      headers: { origin: 'https://evil.test' },
      json: { type: 'guest-list', params: { format: 'csv' } },
    });
    expect(res.status).toBe(403);
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe('cross_site_request');
    const post = (headers: Record<string, string>) =>
      request(`/v1/admin/events/${EVENT_ID}/reports/jobs`, { method: 'POST', cookie, headers, json: { type: 'nope' } });
    // A form posted from a page that hides its referrer sends Origin: null; only same-origin passes.
    expect((await post({ origin: 'null', 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post({ origin: 'null', 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await post({ origin: 'null', 'sec-fetch-site': 'same-origin' })).status).toBe(400);
  });
});

describe('sessions', () => {
  it('issues a fresh session on every sign-in and ignores a planted cookie (no fixation)', async () => {
    const planted = 'voyage_session=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const res = await request('/v1/auth/login', {
      method: 'POST',
      cookie: planted,
      json: { email: USERS.viewer.email, password: PASSWORD },
    });
    const issued = /voyage_session=([0-9a-f]{64})/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    expect(issued).toBeDefined();
    expect(planted).not.toContain(issued);
    expect((await request('/v1/me', { cookie: planted })).status).toBe(401);
    expect(await login('viewer')).not.toBe(`voyage_session=${issued}`);
  });

  it('ends a session when it expires', async () => {
    const cookie = await login('viewer');
    expect((await request('/v1/me', { cookie })).status).toBe(200);
    await env.DB.prepare('UPDATE sessions SET expires_at = ? WHERE user_id = ?')
      .bind(Date.now() - 1, USERS.viewer.id)
      .run();
    expect((await request('/v1/me', { cookie })).status).toBe(401);
  });

  it('throttles sign-in after five failures for an account, even with the right password then', async () => {
    const attempt = (password: string) =>
      request('/v1/auth/login', { method: 'POST', json: { email: USERS.organizer2.email, password } });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong')).status).toBe(401);
    const blocked = await attempt(PASSWORD);
    expect(blocked.status).toBe(429);
    expect((await blocked.json<{ error: { message: string } }>()).error.message).toMatch(
      /^Too many sign-in attempts\. Try again in \d+ minutes?\.$/,
    );
    // Other accounts are not affected.
    expect(
      (await request('/v1/auth/login', { method: 'POST', json: { email: USERS.admin.email, password: PASSWORD } })).status,
    ).toBe(200);
  });
});

describe('workspace boundaries', () => {
  it("answers another workspace's event with 404, not 403", async () => {
    const cookie = await login('globex');
    for (const path of [`/v1/admin/events/${EVENT_ID}`, `/v1/admin/events/${EVENT_ID}/reports/jobs`]) {
      const res = await request(path, { cookie });
      expect(res.status).toBe(404);
    }
    expect((await request(`/v1/admin/events/${OTHER_EVENT_ID}/reports/jobs`, { cookie })).status).toBe(200);
  });

  it('lists only the events of the caller’s workspaces', async () => {
    const cookie = await login('organizer');
    const res = await request('/v1/admin/events', { cookie });
    const body = await res.json<{ data: { id: string }[] }>();
    expect(body.data.map((e) => e.id)).toEqual([EVENT_ID]);
  });

  it('gives staff no report access (403) while they remain members', async () => {
    const cookie = await login('staff');
    const res = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs`, { cookie });
    expect(res.status).toBe(403);
    expect((await res.json<{ error: { message: string } }>()).error.message).toMatch(/permission/);
  });
});
