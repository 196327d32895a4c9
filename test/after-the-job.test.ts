import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatchOutbox } from '../src/worker/email/dispatch';
import type { Env } from '../src/worker/env';
import { detectStuckJobs, sweepExpiredArtifacts } from '../src/worker/jobs/lifecycle';
import { runReportJob } from '../src/worker/jobs/runner';
import { downloadPath, signDownloadPath, signDownloadUrl } from '../src/worker/signing';
import {
  artifactKey,
  createJob,
  EVENT_ID,
  insertQueuedJob,
  jobRow,
  login,
  request,
  seedFixture,
  signedWebhookHeaders,
  USERS,
} from './helpers';

const SECRET = 'test-signing-secret-0123456789abcdef';
const HTML = { accept: 'text/html' };
const nowSeconds = () => Math.floor(Date.now() / 1000);

interface JobJson {
  job_id: string;
  status: string;
  stuck: boolean;
  download_url: string | null;
  notification_bounced: boolean;
  bounced_recipients: string[];
}

let organizer: string;

beforeAll(async () => {
  await seedFixture(40);
  organizer = await login('organizer');
});

async function completedJob(overrides: Parameters<typeof insertQueuedJob>[0] = {}) {
  const job = await insertQueuedJob(overrides);
  expect(await runReportJob(env, job.id)).toBe('completed');
  return job;
}

const signed = (jobId: string, expires: number) => signDownloadUrl(SECRET, downloadPath(EVENT_ID, jobId), expires);
const getJob = async (jobId: string) =>
  (await request(`/v1/admin/events/${EVENT_ID}/reports/jobs/${jobId}`, { cookie: organizer })).json<JobJson>();

describe('signed download links', () => {
  it('accept a valid signature and refuse a wrong secret', async () => {
    const job = await completedJob();
    expect((await request(await signed(job.id, nowSeconds() + 600), { cookie: organizer })).status).toBe(200);
    const forged = await signDownloadUrl('some-other-secret', downloadPath(EVENT_ID, job.id), nowSeconds() + 600);
    const res = await request(forged, { cookie: organizer, headers: HTML });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('data-test="bad-signature-page"');
  });

  it('accept links signed with the previous secret during a rotation', async () => {
    const job = await completedJob();
    const path = downloadPath(EVENT_ID, job.id);
    const expires = nowSeconds() + 600;
    const oldLink = `${path}?expires=${expires}&signature=${await signDownloadPath('the-old-secret', path, expires)}`;
    expect((await request(oldLink, { cookie: organizer })).status).toBe(403);
    const rotated = { ...env, REPORT_DOWNLOAD_SIGNING_SECRET_PREVIOUS: 'the-old-secret' } as Env;
    const { app } = await import('../src/worker/app');
    const res = await app.request(oldLink, { headers: { cookie: organizer } }, rotated);
    expect(res.status).toBe(200);
  });

  it('answer an expired link with the expired page and a regenerate action that re-signs', async () => {
    const job = await completedJob();
    const link = await signed(job.id, nowSeconds() - 60);
    const res = await request(link, { cookie: organizer, headers: HTML });
    expect(res.status).toBe(410);
    const page = await res.text();
    expect(page).toContain('data-test="expired-download-page"');
    expect(page).toContain('<h1>Download link expired</h1>');
    expect(page).toMatch(/This download link expired on .+\. Generate a new download link\./);
    expect(page).toContain('data-test="expired-download-regenerate-cta"');
    const api = await request(link, { cookie: organizer });
    expect((await api.json<{ error: { code: string } }>()).error.code).toBe('link_expired');

    const regenerated = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs/${job.id}/download-link`, {
      method: 'POST',
      cookie: organizer,
      headers: HTML,
    });
    expect(regenerated.status).toBe(303);
    const fresh = regenerated.headers.get('location') ?? '';
    // To the "ready" page, which starts the download: the expired page does not stay behind (issue 17).
    expect(fresh).toMatch(/download\?expires=\d+&signature=[0-9a-f]{64}&show=ready$/);
    const ready = await request(fresh, { cookie: organizer, headers: HTML });
    expect(ready.status).toBe(200);
    expect(await ready.text()).toContain('data-test="download-ready-page"');
    // API clients (and the ready page's own refresh) get the file from the link itself.
    expect((await request(fresh, { cookie: organizer })).status).toBe(200);
    expect((await request(fresh.replace('&show=ready', ''), { cookie: organizer, headers: HTML })).status).toBe(200);
  });
});

describe('headers', () => {
  it('pages carry CSP, frame-ancestors, nosniff and a referrer policy; downloads a safe Content-Disposition', async () => {
    const job = await completedJob();
    const page = await request(await signed(job.id, nowSeconds() - 60), { cookie: organizer, headers: HTML });
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    const file = await request(await signed(job.id, nowSeconds() + 600), { cookie: organizer });
    expect(file.headers.get('content-disposition')).toMatch(
      /^attachment; filename="[A-Za-z0-9._-]+"; filename\*=UTF-8''[^"\s;]+$/,
    );
    expect(file.headers.get('cache-control')).toBe('private, no-store');
    await file.body?.cancel();
  });

  it('a hostile file name cannot break out of the header', async () => {
    const { contentDisposition } = await import('../src/worker/output/content-disposition');
    const header = contentDisposition('evil"; filename=x.exe\r\nSet-Cookie: a=b.csv');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header.split('filename=').length).toBe(2);
  });
});

describe('every download state', () => {
  it('says "still being prepared" with auto-refresh for a job that has not finished', async () => {
    const job = await insertQueuedJob();
    const res = await request(await signed(job.id, nowSeconds() + 600), { cookie: organizer, headers: HTML });
    expect(res.status).toBe(409);
    const page = await res.text();
    expect(page).toContain('Your report is still being prepared — please check back in a moment.');
    expect(page).toContain('http-equiv="refresh"');
  });

  it('refuses a member whose role lost report access, without deleting the artifact', async () => {
    const job = await completedJob();
    const link = await signed(job.id, nowSeconds() + 600);
    await env.DB.prepare("UPDATE memberships SET role = 'staff' WHERE user_id = ?").bind(USERS.organizer2.id).run();
    try {
      const res = await request(link, { cookie: await login('organizer2'), headers: HTML });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('You don&#39;t have permission to access this report. Contact your workspace admin.');
      expect((await jobRow(job.id))?.status).toBe('completed');
      expect((await request(link, { cookie: organizer })).status).toBe(200);
    } finally {
      await env.DB.prepare("UPDATE memberships SET role = 'organizer' WHERE user_id = ?").bind(USERS.organizer2.id).run();
    }
  });

  it('sweeps artifacts past retention: row marked, job expired, object deleted; downloads get the swept page', async () => {
    const job = await completedJob();
    const link = await signed(job.id, nowSeconds() + 600);
    const artifact = await env.DB.prepare('SELECT * FROM event_report_job_artifacts WHERE job_id = ?')
      .bind(job.id)
      .first<{ r2_key: string; expires_at: number }>();
    const later = (artifact?.expires_at ?? 0) + 1;
    const result = await sweepExpiredArtifacts(env, later);
    expect(result.swept).toBeGreaterThanOrEqual(1);
    expect((await jobRow(job.id))?.status).toBe('expired');
    expect(await env.REPORTS_BUCKET.head(artifact?.r2_key ?? '')).toBeNull();
    expect((await getJob(job.id)).download_url).toBeNull();

    const res = await request(link, { cookie: organizer, headers: HTML });
    expect(res.status).toBe(410);
    const page = await res.text();
    expect(page).toContain('data-reason="artifact-swept"');
    expect(page).toContain('This report&#39;s files were removed after 30 days. Generate a new one.');

    const rerun = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs/${job.id}/download-link`, {
      method: 'POST',
      cookie: organizer,
    });
    expect(rerun.status).toBe(201);
    expect(await rerun.json()).toMatchObject({ outcome: 'rerun', job: { rerun_of: job.id, status: 'queued' } });
  });

  it('a download racing the sweeper gets the swept page, never the half-deleted file or an error', async () => {
    const job = await completedJob();
    const link = await signed(job.id, nowSeconds() + 600);
    // The sweeper's first step (row marked, job expired) has happened, its delete not yet.
    await env.DB.batch([
      env.DB.prepare('UPDATE event_report_job_artifacts SET swept_at = ? WHERE job_id = ?').bind(Date.now(), job.id),
      env.DB.prepare("UPDATE event_report_jobs SET status = 'expired' WHERE id = ?").bind(job.id),
    ]);
    const res = await request(link, { cookie: organizer });
    expect(res.status).toBe(410);
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe('artifact_swept');
  });

  it('never deletes an object whose row is not marked', async () => {
    const job = await completedJob();
    const key = await artifactKey(job.id);
    await sweepExpiredArtifacts(env, Date.now()); // within retention: nothing to do
    expect(await env.REPORTS_BUCKET.head(key)).not.toBeNull();
    expect((await jobRow(job.id))?.status).toBe('completed');
  });
});

describe('stuck queue', () => {
  it('flags after 5 minutes, fails after 15 with one automatic retry, and never retries a retry', async () => {
    const t0 = Date.now();
    const job = await insertQueuedJob({ created_at: t0, snapshot_at: t0 });
    expect((await getJob(job.id)).stuck).toBe(false);
    await env.DB.prepare('UPDATE event_report_jobs SET created_at = ? WHERE id = ?')
      .bind(t0 - 6 * 60_000, job.id)
      .run();
    expect((await getJob(job.id)).stuck).toBe(true);

    const at16 = t0 + 10 * 60_000; // the job has now waited 16 minutes
    const first = await detectStuckJobs(env, at16);
    expect(first.failed).toBeGreaterThanOrEqual(1);
    expect(await jobRow(job.id)).toMatchObject({ status: 'failed', failure_code: 'stuck_in_queue' });
    const retry = await env.DB.prepare('SELECT * FROM event_report_jobs WHERE retry_of = ?').bind(job.id).first<{ id: string }>();
    expect(retry).not.toBeNull();

    await detectStuckJobs(env, at16);
    const retries = await env.DB.prepare('SELECT COUNT(*) AS n FROM event_report_jobs WHERE retry_of = ?')
      .bind(job.id)
      .first<number>('n');
    expect(retries).toBe(1);
  });

  it('says the configured wait in its reason, not a fixed one', async () => {
    const t0 = Date.now();
    const job = await insertQueuedJob({ created_at: t0 - 25 * 60_000, snapshot_at: t0 - 25 * 60_000 });
    const configured = Object.assign(Object.create(null), env, { REPORT_STUCK_FAIL_MINUTES: '20' }) as typeof env;
    await detectStuckJobs(configured, t0);
    expect((await jobRow(job.id))?.failure_reason).toBe(
      'The report did not start within 20 minutes. We queued it again automatically.',
    );
    // Its automatic retry, stuck as well, is not retried again and says how long it waited.
    const retry = await env.DB.prepare('SELECT id FROM event_report_jobs WHERE retry_of = ?')
      .bind(job.id)
      .first<{ id: string }>();
    await detectStuckJobs(configured, t0 + 22 * 60_000);
    expect((await jobRow(retry?.id ?? ''))?.failure_reason).toBe('The report did not start within 22 minutes — please retry.');
  });

  it('leaves jobs queued while an operator has paused the runner', async () => {
    const job = await insertQueuedJob({ created_at: Date.now() - 20 * 60_000 });
    await env.DB.prepare('UPDATE ops_settings SET runner_paused = 1').run();
    try {
      await detectStuckJobs(env, Date.now());
      expect((await jobRow(job.id))?.status).toBe('queued');
    } finally {
      await env.DB.prepare('UPDATE ops_settings SET runner_paused = 0').run();
    }
    await env.DB.prepare("UPDATE event_report_jobs SET status = 'cancelled' WHERE id = ?").bind(job.id).run();
  });
});

describe('notification emails', () => {
  it('are queued only once the upload is confirmed, sent once, and bounce without failing the job', async () => {
    const job = await insertQueuedJob({ notify_emails: JSON.stringify(['viewer@acme.test', 'organizer2@acme.test']) });
    const outbox = () =>
      env.DB.prepare('SELECT * FROM notification_outbox WHERE job_id = ? ORDER BY recipient')
        .bind(job.id)
        .all<{ id: string; status: string; message_id: string | null; attempts: number; recipient: string }>()
        .then((r) => r.results);
    expect(await outbox()).toHaveLength(0);
    await runReportJob(env, job.id);
    expect((await outbox()).map((r) => r.status)).toEqual(['queued', 'queued']);

    const sent = await dispatchOutbox(env, Date.now());
    expect('sent' in sent && sent.sent).toBeGreaterThanOrEqual(2);
    const rows = await outbox();
    expect(rows.every((r) => r.status === 'sent' && r.message_id && r.attempts === 1)).toBe(true);
    await dispatchOutbox(env, Date.now() + 3_600_000);
    expect((await outbox()).every((r) => r.attempts === 1)).toBe(true);

    const full = rows.find((r) => r.recipient === 'organizer2@acme.test');
    const payload = JSON.stringify({
      message_id: full?.message_id,
      event: 'bounced',
      recipient: 'organizer2@acme.test',
      reason: 'mailbox full',
    });
    const unsigned = await request('/v1/webhooks/email-events', { method: 'POST', body: payload });
    expect(unsigned.status).toBe(401);
    const hook = await request('/v1/webhooks/email-events', {
      method: 'POST',
      body: payload,
      headers: await signedWebhookHeaders(payload),
    });
    expect(hook.status).toBe(200);
    const bounced = await getJob(job.id);
    expect(bounced).toMatchObject({
      status: 'completed',
      notification_bounced: true,
      bounced_recipients: ['organizer2@acme.test'],
    });

    const resend = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs/${job.id}/resend-notification`, {
      method: 'POST',
      cookie: organizer,
      json: { notify_emails: ['admin@acme.test'] },
    });
    expect(resend.status).toBe(202);
    const fixedRecipient = await resend.json<JobJson>();
    expect(fixedRecipient.notification_bounced).toBe(true); // the full mailbox still bounced; the other address is queued
    expect((await outbox()).find((r) => r.recipient === 'admin@acme.test')?.status).toBe('queued');
    const retry = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs/${job.id}/resend-notification`, {
      method: 'POST',
      cookie: organizer,
      json: { notify_emails: ['organizer2@acme.test'] },
    });
    expect((await retry.json<JobJson>()).notification_bounced).toBe(false);
  });
});

describe('daily quota', () => {
  it('counts completed, running and queued jobs but not failed or cancelled ones, and refuses with 429', async () => {
    const user = USERS.viewer;
    const cookie = await login('viewer');
    const list = async () =>
      (await request(`/v1/admin/events/${EVENT_ID}/reports/jobs`, { cookie })).json<{
        quota: { limit: number; used: number; remaining: number };
      }>();
    expect((await list()).quota).toEqual({ limit: 100, used: 0, remaining: 100 });
    const now = Date.now();
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 99)
       INSERT INTO event_report_jobs (id, workspace_id, event_id, type, format, params, status, requested_by, snapshot_at, created_at, updated_at)
       SELECT 'quota' || i, 'wacme', ?, 'guest-list', 'csv', '{"format":"csv"}', CASE WHEN i < 5 THEN 'failed' ELSE 'completed' END, ?, ?, ?, ?
         FROM n`,
    )
      .bind(EVENT_ID, user.id, now, now, now)
      .run();
    expect((await list()).quota).toEqual({ limit: 100, used: 95, remaining: 5 });
    await env.DB.prepare("UPDATE event_report_jobs SET status = 'cancelled' WHERE id LIKE 'quota%' AND status = 'failed'").run();
    await env.DB.prepare(
      "UPDATE event_report_jobs SET status = 'completed' WHERE id IN ('quota0','quota1','quota2','quota3','quota4')",
    ).run();
    const refused = await createJob(cookie, { type: 'guest-list', params: { format: 'csv' } });
    expect(refused.status).toBe(429);
    expect((await refused.json<{ error: { message: string } }>()).error.message).toMatch(/limit of 100 reports in 24 hours/);
    await env.DB.prepare("UPDATE event_report_jobs SET status = 'failed' WHERE id = 'quota0'").run();
    const allowed = await createJob(cookie, { type: 'guest-list', params: { format: 'csv' } });
    expect(allowed.status).toBe(201);
  });
});

describe('access requests', () => {
  it('records the request and queues an email to each workspace admin', async () => {
    const cookie = await login('viewer');
    const res = await request('/v1/admin/access-requests', {
      method: 'POST',
      cookie,
      json: { event_id: EVENT_ID, report_type: 'guest-list' },
    });
    expect(res.status).toBe(201);
    const mails = await env.DB.prepare("SELECT recipient FROM notification_outbox WHERE kind = 'access_request'").all<{
      recipient: string;
    }>();
    expect(mails.results.map((m) => m.recipient)).toEqual([USERS.admin.email]);
    const other = await request('/v1/admin/access-requests', {
      method: 'POST',
      cookie: await login('globex'),
      json: { event_id: EVENT_ID, report_type: 'guest-list' },
    });
    expect(other.status).toBe(404);
  });
});
