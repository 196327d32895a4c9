import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { app } from '../src/worker/app';
import type { Env } from '../src/worker/env';
import { runLifecycle } from '../src/worker/jobs/lifecycle';
import { BASE, EVENT_ID, login, PASSWORD, request, seedFixture, USERS } from './helpers';

// Limits are checked and taken in one statement: these tests send the requests really in
// parallel, as an attacker would, and count what got through.

/** The app with some settings changed, answering real requests (in parallel when asked). */
function appWith(vars: Partial<Env>) {
  const patched = { ...env, ...vars } as Env;
  return (path: string, init: RequestInit & { cookie?: string; json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    if (init.cookie) headers.set('cookie', init.cookie);
    if (init.json !== undefined) headers.set('content-type', 'application/json');
    const body = init.json !== undefined ? JSON.stringify(init.json) : init.body;
    return app.request(`${BASE}${path}`, { ...init, headers, body, redirect: 'manual' }, patched);
  };
}

const statusCounts = (responses: Response[]) =>
  responses.reduce<Record<number, number>>((acc, r) => {
    acc[r.status] = (acc[r.status] ?? 0) + 1;
    return acc;
  }, {});

beforeAll(async () => {
  await seedFixture(5);
  // New jobs stay queued: the runner would only slow the races down.
  await env.DB.prepare('UPDATE ops_settings SET runner_paused = 1').run();
});

afterAll(async () => {
  await env.DB.prepare('UPDATE ops_settings SET runner_paused = 0').run();
});

describe('daily quota under parallel requests', () => {
  it('admits exactly the quota when 40 requests arrive at once', async () => {
    const cookie = await login('viewer');
    const fetchApp = appWith({ REPORT_DAILY_QUOTA_PER_USER: '7' });
    const responses = await Promise.all(
      Array.from({ length: 40 }, () =>
        fetchApp(`/v1/admin/events/${EVENT_ID}/reports/jobs`, {
          method: 'POST',
          cookie,
          json: { type: 'guest-list', params: { format: 'csv' } },
        }),
      ),
    );
    expect(statusCounts(responses)).toEqual({ 201: 7, 429: 33 });
    const refused = responses.find((r) => r.status === 429);
    expect((await refused?.json<{ error: { code: string; message: string } }>())?.error).toMatchObject({
      code: 'quota_exceeded',
      message: expect.stringMatching(/limit of 7 reports in 24 hours/),
    });
    const stored = await env.DB.prepare('SELECT COUNT(*) AS n FROM event_report_jobs WHERE requested_by = ?')
      .bind(USERS.viewer.id)
      .first<number>('n');
    expect(stored).toBe(7);
  });

  it('at the edge (one left), two parallel requests admit one, in every round', async () => {
    const cookie = await login('organizer2');
    for (let round = 1; round <= 8; round++) {
      const fetchApp = appWith({ REPORT_DAILY_QUOTA_PER_USER: String(round) });
      const create = () =>
        fetchApp(`/v1/admin/events/${EVENT_ID}/reports/jobs`, {
          method: 'POST',
          cookie,
          json: { type: 'guest-list', params: { format: 'csv' } },
        });
      const responses = await Promise.all([create(), create()]);
      expect(statusCounts(responses), `round ${round}`).toEqual({ 201: 1, 429: 1 });
    }
  });
});

describe('sign-in throttle', () => {
  const attempt = (email: string, password: string, address?: string, cookie?: string) =>
    request('/v1/auth/login', {
      method: 'POST',
      cookie,
      headers: address ? { 'cf-connecting-ip': address } : {},
      json: { email, password },
    });

  it('reserves the attempt before the password is checked: of 40 parallel guesses, five are checked', async () => {
    const responses = await Promise.all(Array.from({ length: 40 }, () => attempt(USERS.staff.email, 'wrong', '203.0.113.40')));
    expect(statusCounts(responses)).toEqual({ 401: 5, 429: 35 });
    const few = await Promise.all(Array.from({ length: 10 }, () => attempt(USERS.globex.email, 'wrong', '203.0.113.10')));
    expect(statusCounts(few)).toEqual({ 401: 5, 429: 5 });
  });

  it("a stranger's failures do not lock the owner out", async () => {
    const stranger = '203.0.113.66';
    const guesses = [];
    for (let i = 0; i < 12; i++) guesses.push((await attempt(USERS.organizer.email, 'wrong', stranger)).status);
    expect(guesses).toEqual([...Array(5).fill(401), ...Array(7).fill(429)]);
    // The stranger stays refused, even with the right password; the owner, elsewhere, signs in.
    expect((await attempt(USERS.organizer.email, PASSWORD, stranger)).status).toBe(429);
    expect((await attempt(USERS.organizer.email, PASSWORD, '198.51.100.7')).status).toBe(200);
    expect((await attempt(USERS.organizer.email, 'typo', '198.51.100.7')).status).toBe(401);
  });

  it('caps an account across addresses at a slower rate, except for a browser that signed in to it before', async () => {
    const home = await attempt(USERS.organizer2.email, PASSWORD, '198.51.100.20');
    expect(home.status).toBe(200);
    const device = /voyage_device=([^;]+)/.exec(home.headers.get('set-cookie') ?? '')?.[1];
    expect(device).toMatch(/^[0-9a-f]{64}\.[0-9a-f]{64}$/);
    // Eleven addresses, five guesses each: past the account's 50 an hour, the rest are refused.
    const guesses = await Promise.all(
      Array.from({ length: 11 }, async (_, i) => {
        const answers: Response[] = [];
        for (let n = 0; n < 5; n++) answers.push(await attempt(USERS.organizer2.email, 'wrong', `192.0.2.${i + 1}`));
        return answers;
      }),
    );
    expect(statusCounts(guesses.flat())).toEqual({ 401: 50, 429: 5 });
    const elsewhere = await attempt(USERS.organizer2.email, PASSWORD, '198.51.100.99');
    expect(elsewhere.status).toBe(429);
    expect(Number(elsewhere.headers.get('retry-after'))).toBeGreaterThan(0);
    // The owner's own browser still gets in, from any address; a forged device cookie does not.
    expect((await attempt(USERS.organizer2.email, PASSWORD, '198.51.100.21', `voyage_device=${device}`)).status).toBe(200);
    const forged = `voyage_device=${device?.slice(0, 65)}${'0'.repeat(64)}`;
    expect((await attempt(USERS.organizer2.email, PASSWORD, '198.51.100.22', forged)).status).toBe(429);
    // A device cookie of one account says nothing about another.
    expect((await attempt(USERS.staff.email, PASSWORD, '203.0.113.40', `voyage_device=${device}`)).status).toBe(429);
  });

  it('the cron deletes windows that have ended', async () => {
    const now = Date.now();
    await env.DB.prepare(
      "INSERT INTO login_failures (key, window_start, failures) VALUES ('account:old@acme.test', ?, 3), ('account:new@acme.test', ?, 3)",
    )
      .bind(now - 2 * 3_600_000, now - 60_000)
      .run();
    const results = await runLifecycle(env, now);
    expect(results.login_failures).toBeGreaterThanOrEqual(1);
    const keys = await env.DB.prepare(
      "SELECT key FROM login_failures WHERE key LIKE 'account:%@acme.test' AND key IN ('account:old@acme.test', 'account:new@acme.test')",
    ).all<{ key: string }>();
    expect(keys.results.map((r) => r.key)).toEqual(['account:new@acme.test']);
  });
});
