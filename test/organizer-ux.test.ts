import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../src/worker/app';
import type { Env } from '../src/worker/env';
import { BASE, EVENT_ID, insertQueuedJob, login, seedFixture, USERS } from './helpers';

// Issue 17, the server's part: what an organizer trips over.

/** The app with some settings changed, answering real requests. */
function appWith(vars: Partial<Env>) {
  const patched = { ...env, ...vars } as Env;
  return (path: string, init: RequestInit & { cookie?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.cookie) headers.set('cookie', init.cookie);
    return app.request(`${BASE}${path}`, { ...init, headers, redirect: 'manual' }, patched);
  };
}

beforeAll(async () => {
  await seedFixture(5);
});

describe('the forms of the state pages answer browsers with Voyage pages', () => {
  it('"Generate a new report" past the daily quota: a page saying so, not JSON', async () => {
    const cookie = await login('organizer');
    const job = await insertQueuedJob({ requested_by: USERS.organizer.id });
    await env.DB.prepare("UPDATE event_report_jobs SET status = 'expired' WHERE id = ?").bind(job.id).run();
    const res = await appWith({ REPORT_DAILY_QUOTA_PER_USER: '1' })(
      `/v1/admin/events/${EVENT_ID}/reports/jobs/${job.id}/download-link`,
      { method: 'POST', cookie, headers: { accept: 'text/html', origin: BASE } },
    );
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await res.text();
    expect(page).toContain('data-test="link-refused-page"');
    expect(page).toContain('<h1>Daily report limit reached</h1>');
    expect(page).toContain('You have reached your limit of 1 reports in 24 hours');
    expect(page).not.toContain('{"error"');
  });

  it('a form posted from another site: a page for browsers, JSON for API clients', async () => {
    const cookie = await login('organizer');
    const job = await insertQueuedJob({ requested_by: USERS.organizer.id });
    const path = `/v1/admin/events/${EVENT_ID}/reports/jobs/${job.id}/download-link`;
    const post = (accept: string) =>
      appWith({})(path, {
        method: 'POST',
        cookie,
        headers: { accept, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      });
    const browser = await post('text/html');
    expect(browser.status).toBe(403);
    expect(browser.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await browser.text()).toContain('data-test="cross-site-page"');
    const client = await post('application/json');
    expect(client.status).toBe(403);
    expect(await client.json()).toMatchObject({ error: { code: 'cross_site_request' } });
  });
});
