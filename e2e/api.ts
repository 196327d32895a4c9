// The API as the browser specs drive it around the page: sign in, ask for reports, wait for them,
// rewrite what the page reads, bounce an email. One copy for every spec.
import { createHmac } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, type Page, request as playwrightRequest } from '@playwright/test';
import { DEMO_PASSWORD, expect, SUMMIT } from './fixtures';

/** A job as the API returns it: the fields the specs read, the rest passed through. */
export interface JobJson {
  job_id: string;
  type: string;
  status: string;
  params: Record<string, unknown>;
  notify_emails: string[];
  download_url: string | null;
  requested_by: string;
  [key: string]: unknown;
}

export const jobsApi = (eventId: string = SUMMIT.id) => `/v1/admin/events/${eventId}/reports/jobs`;

/** A request context signed in as `email` (a demo user), as the browser would be. */
export async function signedInApi(baseURL: string | undefined, email: string): Promise<APIRequestContext> {
  const ctx = await playwrightRequest.newContext({ baseURL });
  expect((await ctx.post('/v1/auth/login', { data: { email, password: DEMO_PASSWORD } })).status()).toBe(200);
  return ctx;
}

/** A guest-list CSV of the summit unless `body` says otherwise; answered 201 with the queued job. */
export async function createJob(ctx: APIRequestContext, body: Record<string, unknown> = {}): Promise<JobJson> {
  const created = await ctx.post(jobsApi(), { data: { type: 'guest-list', params: { format: 'csv' }, ...body } });
  expect(created.status()).toBe(201);
  return (await created.json()) as JobJson;
}

/** As createJob, then awaited until the runner has completed it. */
export async function completedJob(ctx: APIRequestContext, body: Record<string, unknown> = {}): Promise<JobJson> {
  const { job_id } = await createJob(ctx, body);
  let job: JobJson | undefined;
  await expect
    .poll(async () => {
      job = (await (await ctx.get(`${jobsApi()}/${job_id}`)).json()) as JobJson;
      return job.status;
    })
    .toBe('completed');
  return job as JobJson;
}

/** Rewrites jobs (and list fields) in every list response: engine states a browser cannot cause quickly. */
export async function patchJobList(
  page: Page,
  patch: (job: JobJson) => JobJson,
  list: Record<string, unknown> = {},
): Promise<void> {
  await page.route(
    (url) => url.pathname.endsWith('/reports/jobs'),
    async (route) => {
      if (route.request().method() !== 'GET') return route.fallback();
      try {
        const response = await route.fetch();
        const body = (await response.json()) as { data: JobJson[] };
        await route.fulfill({ response, json: { ...body, ...list, data: body.data.map(patch) } });
      } catch {
        // The page navigated away while this poll was in flight; nobody is waiting for it.
      }
    },
  );
}

/**
 * A download link for a summit job, signed by the development-only endpoint to expire
 * `expiresInSeconds` from now (negative: already expired), as if it had been made back then.
 */
export async function devSignedLink(ctx: APIRequestContext, jobId: string, expiresInSeconds: number): Promise<string> {
  const expires = Math.floor(Date.now() / 1000) + expiresInSeconds;
  const signed = await ctx.post('/v1/dev/signed-link', { data: { event_id: SUMMIT.id, job_id: jobId, expires } });
  return ((await signed.json()) as { url: string }).url;
}

/** The job as the list would show it had it failed: no file, no link, and the failure's fields. */
export function asFailed(job: JobJson, failure: Record<string, unknown>): JobJson {
  return { ...job, status: 'failed', artifact: null, download_url: null, ...failure };
}

/** Every list response shows the job `jobId` as failed (see asFailed), the other jobs as they are. */
export async function showJobAsFailed(page: Page, jobId: string, failure: Record<string, unknown>): Promise<void> {
  await patchJobList(page, (job) => (job.job_id === jobId ? asFailed(job, failure) : job));
}

/** A job's notification emails as the development-only outbox endpoint lists them. */
interface DevOutbox {
  data: { status: string; message_id: string }[];
  email_link_origin: string;
}

/** Ticks the cron, whose outbox dispatcher sends the job's emails, and lists them. */
export async function dispatchedEmails(ctx: APIRequestContext, jobId: string): Promise<DevOutbox> {
  await ctx.post('/v1/dev/cron');
  return (await (await ctx.get(`/v1/dev/outbox?job_id=${jobId}`)).json()) as DevOutbox;
}

const WEBHOOK_SECRET = 'local-dev-email-webhook-secret'; // .dev.vars.example

/** The email provider's bounce of one sent message, signed as the provider signs: the timestamp with the body. */
export async function bounce(ctx: APIRequestContext, messageId: string | undefined, recipient: string): Promise<void> {
  const payload = JSON.stringify({ message_id: messageId, event: 'bounced', recipient, reason: 'mailbox full' });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', WEBHOOK_SECRET).update(`${timestamp}.${payload}`).digest('hex');
  const hook = await ctx.post('/v1/webhooks/email-events', {
    data: payload,
    headers: { 'content-type': 'application/json', 'x-voyage-timestamp': timestamp, 'x-voyage-signature': `sha256=${signature}` },
  });
  expect(hook.status()).toBe(200);
}

/** axe on the page (or one part of it): nothing serious or critical under WCAG 2.1 A and AA. */
export async function expectNoSeriousA11yViolations(page: Page, include?: string): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  if (include) builder = builder.include(include);
  const results = await builder.analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(serious).toEqual([]);
}
