import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../src/worker/app';
import { accessRequestEmail } from '../src/worker/email/messages';
import type { Env } from '../src/worker/env';
import { runReportJob } from '../src/worker/jobs/runner';
import { downloadPath, signDownloadUrl } from '../src/worker/signing';
import { BASE, EVENT_ID, insertQueuedJob, login, seedFixture, USERS } from './helpers';

// Issue 17, the server's part: what an organizer trips over.

const SECRET = 'test-signing-secret-0123456789abcdef';

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

describe('the audit log records what it describes', () => {
  it('a sign-in, in every workspace of the person, and a report request', async () => {
    const cookie = await login('organizer');
    const rows = async (action: string, subject: string) =>
      (
        await env.DB.prepare('SELECT workspace_id, actor_user_id FROM audit_log WHERE action = ? AND subject_id = ?')
          .bind(action, subject)
          .all<{ workspace_id: string; actor_user_id: string }>()
      ).results;
    const signIns = await rows('user.signed_in', USERS.organizer.id);
    expect(signIns.length).toBeGreaterThanOrEqual(1);
    expect(signIns.every((r) => r.actor_user_id === USERS.organizer.id)).toBe(true);

    const res = await appWith({})(`/v1/admin/events/${EVENT_ID}/reports/jobs`, {
      method: 'POST',
      cookie,
      headers: { 'content-type': 'application/json', origin: BASE },
      body: JSON.stringify({ type: 'guest-list', params: { format: 'csv' } }),
    });
    expect(res.status).toBe(201);
    const { job_id } = await res.json<{ job_id: string }>();
    expect(await rows('report.requested', job_id)).toEqual([
      { workspace_id: expect.any(String), actor_user_id: USERS.organizer.id },
    ]);
  });
});

describe('the event tells the SPA who may export orders', () => {
  it('admins and organizers, not read-only viewers', async () => {
    const got: Record<string, boolean> = {};
    for (const who of ['admin', 'organizer', 'viewer'] as const) {
      const res = await appWith({})(`/v1/admin/events/${EVENT_ID}`, { cookie: await login(who) });
      got[who] = (await res.json<{ can_export_orders: boolean }>()).can_export_orders;
    }
    expect(got).toEqual({ admin: true, organizer: true, viewer: false });
  });
});

describe('the still-preparing page leads on to the file', () => {
  it('refreshes to the link marked show=ready, which answers "ready" once the file is there', async () => {
    const cookie = await login('organizer');
    const job = await insertQueuedJob({ requested_by: USERS.organizer.id });
    const expires = Math.floor(Date.now() / 1000) + 600;
    const path = downloadPath(EVENT_ID, job.id);
    const link = await signDownloadUrl(SECRET, path, expires);
    const open = (url: string) => appWith({})(url, { cookie, headers: { accept: 'text/html' } });

    const preparing = await open(link);
    expect(preparing.status).toBe(409);
    expect(await preparing.text()).toContain(`content="5;url=${link.replaceAll('&', '&amp;')}&amp;show=ready"`);

    expect(await runReportJob(env, job.id)).toBe('completed');
    const ready = await open(`${link}&show=ready`);
    expect(ready.status).toBe(200);
    const page = await ready.text();
    expect(page).toContain('data-test="download-ready-page"');
    expect(page).toContain(`content="0;url=${link.replaceAll('&', '&amp;')}"`);
    // The link itself is the file, as before.
    const file = await open(link);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment;/);
    await file.body?.cancel();
  });
});

describe('the access-request email', () => {
  it('names what an admin can actually do in the app', async () => {
    const mail = await accessRequestEmail({
      requesterName: 'Vera Viewer',
      requesterEmail: 'viewer@acme.test',
      reportName: 'Audit log',
      workspaceName: 'Acme Events',
      eventName: 'Summit',
    });
    expect(mail.text).toContain('invite viewer@acme.test as an admin in Voyage Reports under Settings › Members');
    expect(mail.text).not.toContain('workspace settings');
  });
});
