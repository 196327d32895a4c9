import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { app } from '../src/worker/app';
import type { Env } from '../src/worker/env';
import { BASE, EVENT_ID, login, seedFixture, USERS } from './helpers';

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
