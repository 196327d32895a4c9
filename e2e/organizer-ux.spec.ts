import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, type Page, request as playwrightRequest, type TestInfo } from '@playwright/test';
import { allowStatusPages, DEMO_PASSWORD, expect, SUMMIT, signIn, test } from './fixtures';

// Issue 17, "What an organizer trips over": each item as a person meets it, in Chromium, against
// the real server. Engine states a browser cannot cause quickly (a failed job) are made by
// rewriting the list response; time moves through the development-only clock.

const jobsApi = `/v1/admin/events/${SUMMIT.id}/reports/jobs`;
const reportsPage = `/admin/events/${SUMMIT.id}/reports`;
const row = (page: Page, jobId: string) => page.locator(`[data-test="report-job-row"][data-job-id="${jobId}"]`);

interface JobJson {
  job_id: string;
  status: string;
  type: string;
  download_url: string | null;
  requested_by: string;
  [key: string]: unknown;
}

async function api(baseURL: string | undefined, email: string): Promise<APIRequestContext> {
  const ctx = await playwrightRequest.newContext({ baseURL });
  expect((await ctx.post('/v1/auth/login', { data: { email, password: DEMO_PASSWORD } })).status()).toBe(200);
  return ctx;
}

async function createJob(ctx: APIRequestContext, body: Record<string, unknown> = {}): Promise<JobJson> {
  const created = await ctx.post(jobsApi, { data: { type: 'guest-list', params: { format: 'csv' }, ...body } });
  expect(created.status()).toBe(201);
  return (await created.json()) as JobJson;
}

async function completedJob(ctx: APIRequestContext, body: Record<string, unknown> = {}): Promise<JobJson> {
  const { job_id } = await createJob(ctx, body);
  let job: JobJson | undefined;
  await expect
    .poll(async () => {
      job = (await (await ctx.get(`${jobsApi}/${job_id}`)).json()) as JobJson;
      return job.status;
    })
    .toBe('completed');
  return job as JobJson;
}

/** A screenshot of the changed state, kept with the test's results. */
async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(serious).toEqual([]);
}

test.afterEach(async ({ baseURL }) => {
  const ops = await api(baseURL, 'admin@acme.test');
  await ops.put('/v1/dev/clock', { data: { offset_ms: 0, chunk_delay_ms: 0 } });
  await ops.put('/v1/admin/ops/settings', { data: { runner_paused: false, new_requests_disabled: false } });
  await ops.dispose();
});

test('1. signing in from an emailed download link lands on the report center with the job pointed out, and the file downloads', async ({
  page,
  baseURL,
}, testInfo) => {
  const organizer = await api(baseURL, 'organizer@acme.test');
  const job = await completedJob(organizer);
  expect(job.download_url).not.toBeNull();

  // Signed out, the email's link leads to the sign-in page, which comes back to the link.
  await page.goto(job.download_url ?? '');
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel('Email').fill('organizer@acme.test');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Sign in' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^acme-product-summit-2026_guest-list_.+\.csv$/);

  // Not a greyed-out sign-in form: the report center, the job highlighted, the download named.
  await expect(page).toHaveURL(new RegExp(`${reportsPage}\\?highlight=${job.job_id}&download=started$`));
  await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCount(0);
  await expect(page.locator('[data-test="report-download-started"]')).toContainText('Your download has started');
  await expect(page.locator('[data-test="report-download-started"]')).toContainText('Guest list summary');
  await expect(row(page, job.job_id)).toHaveClass(/job-row-highlight/);
  await expectNoSeriousA11yViolations(page);
  await shot(page, testInfo, 'signed-in-download-started');
});

test('2. "Generate a new report" past the daily quota answers with a Voyage page, not JSON', async ({
  page,
  baseURL,
  consoleProblems,
}, testInfo) => {
  const ops = await api(baseURL, 'admin@acme.test');
  const job = await completedJob(await api(baseURL, 'organizer2@acme.test'));
  // The daily quota will be used up by queued reports (they count): the runner is paused so they stay queued.
  expect((await ops.put('/v1/admin/ops/settings', { data: { runner_paused: true } })).status()).toBe(200);
  // 31 days later the sweeper has removed the file (and the sessions of then have ended).
  expect((await ops.put('/v1/dev/clock', { data: { offset_ms: 31 * 86_400_000 } })).status()).toBe(200);
  expect((await ops.post('/v1/dev/cron')).status()).toBe(200);
  const organizer = await api(baseURL, 'organizer2@acme.test');
  const link = (await (
    await organizer.post('/v1/dev/signed-link', {
      data: { event_id: SUMMIT.id, job_id: job.job_id, expires: Math.floor(Date.now() / 1000) + 32 * 86_400 },
    })
  ).json()) as { url: string };

  const queued: string[] = [];
  try {
    for (;;) {
      const res = await organizer.post(jobsApi, { data: { type: 'guest-list', params: { format: 'csv' } } });
      if (res.status() === 429) break;
      expect(res.status()).toBe(201);
      queued.push(((await res.json()) as JobJson).job_id);
      expect(queued.length).toBeLessThanOrEqual(100);
    }

    await signIn(page, 'organizer2@acme.test');
    const swept = await page.goto(link.url);
    expect(swept?.status()).toBe(410);
    await expect(page.locator('[data-test="expired-download-page"][data-reason="artifact-swept"]')).toBeVisible();
    await page.locator('[data-test="expired-download-regenerate-cta"]').click();

    const refused = page.locator('[data-test="link-refused-page"]');
    await expect(refused).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Daily report limit reached');
    await expect(refused).toContainText('You have reached your limit of 100 reports in 24 hours');
    await expect(page.locator('body')).not.toContainText('{"error"');
    await expect(page.getByRole('link', { name: 'Open the report center' })).toHaveAttribute('href', reportsPage);
    await expectNoSeriousA11yViolations(page);
    await shot(page, testInfo, 'quota-refused-page');
  } finally {
    // Cancelled reports do not count: the quota is whole again for the other tests.
    for (const id of queued) await organizer.post(`${jobsApi}/${id}/cancel`);
  }
  allowStatusPages(consoleProblems, 410);
  allowStatusPages(consoleProblems, 429);
});
