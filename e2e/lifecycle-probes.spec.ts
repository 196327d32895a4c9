import type { APIRequestContext } from '@playwright/test';
import { bounce, completedJob, devSignedLink, dispatchedEmails, type JobJson, jobsApi, signedInApi } from './api';
import { allowStatusPages, expect, reportJobPill, reportJobRow, reportsPage, signIn, test } from './fixtures';

// The story's probes that depend on time, the sweeper, email or two people at once, against the
// real server: time moves through the development-only clock (PUT /v1/dev/clock), the cron ticks
// through POST /v1/dev/cron, and a bounce arrives through the signed webhook as the provider's would.

async function setClock(ctx: APIRequestContext, offsetMs: number): Promise<void> {
  expect((await ctx.put('/v1/dev/clock', { data: { offset_ms: offsetMs } })).status()).toBe(200);
}

test.afterEach(async ({ baseURL }) => {
  const ops = await signedInApi(baseURL ?? '', 'admin@acme.test');
  await ops.put('/v1/dev/clock', { data: { offset_ms: 0, chunk_delay_ms: 0 } });
  await ops.put('/v1/admin/ops/settings', { data: { runner_paused: false, new_requests_disabled: false } });
});

test('job-stuck-note: a queued job shows the note once the server clock passes 5 minutes', async ({ page, baseURL }) => {
  const ops = await signedInApi(baseURL ?? '', 'admin@acme.test');
  expect((await ops.put('/v1/admin/ops/settings', { data: { runner_paused: true } })).status()).toBe(200);
  const organizer = await signedInApi(baseURL ?? '', 'organizer@acme.test');
  const { job_id } = (await (
    await organizer.post(jobsApi(), { data: { type: 'guest-list', params: { format: 'csv' } } })
  ).json()) as JobJson;
  // The runner is paused only to keep the job queued; the page is told it is not, as if the queue
  // itself were degraded (a paused runner says so instead of "We're investigating", issue 17 item 8).
  await page.route(
    (url) => url.pathname === jobsApi(),
    async (route) => {
      if (route.request().method() !== 'GET') return route.fallback();
      try {
        const response = await route.fetch();
        await route.fulfill({ response, json: { ...((await response.json()) as object), runner_paused: false } });
      } catch {
        // The page navigated away while this poll was in flight.
      }
    },
  );
  await signIn(page, 'organizer@acme.test');
  await page.goto(reportsPage());
  const note = reportJobRow(page, job_id).locator('[data-test="report-job-stuck-note"]');
  await expect(reportJobPill(page, job_id)).toHaveText('queued');
  await expect(note).toHaveCount(0);
  await setClock(ops, 6 * 60_000);
  await expect(note).toBeVisible({ timeout: 15_000 });
  await expect(note).toHaveText("Job is taking longer than usual. We're investigating.");
  await page.screenshot({ path: test.info().outputPath('stuck-note.png') });
  await organizer.post(`${jobsApi()}/${job_id}/cancel`);
});

test('expired-link-page and expired-link-regenerate: the Voyage page, then a fresh link that downloads', async ({
  page,
  baseURL,
  consoleProblems,
}) => {
  const organizer = await signedInApi(baseURL ?? '', 'organizer@acme.test');
  const job = await completedJob(organizer);
  const expiredLink = await devSignedLink(organizer, job.job_id, -31 * 86_400);
  await signIn(page, 'organizer@acme.test');
  const response = await page.goto(expiredLink);
  expect(response?.status()).toBe(410);
  const card = page.locator('[data-test="expired-download-page"]');
  await expect(card).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Download link expired');
  await expect(card).toContainText('Guest list summary · Acme Product Summit 2026');
  await expect(card).toContainText(/This download link expired on .+\. Generate a new download link\./);
  expect(await card.evaluate((el) => getComputedStyle(el).maxWidth)).toBe('640px');
  await page.screenshot({ path: test.info().outputPath('expired-link.png') });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('[data-test="expired-download-regenerate-cta"]').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^acme-product-summit-2026_guest-list_all_.+\.csv$/);
  expect(download.url()).toMatch(new RegExp(`/reports/jobs/${job.job_id}/download\\?expires=\\d+&signature=[0-9a-f]{64}$`));
  // The expired page does not stay behind: the page says the report is ready (issue 17 item 10).
  await expect(page.locator('[data-test="download-ready-page"]')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('ready-after-regenerate.png') });
  allowStatusPages(consoleProblems, 410);
});

test('swept-artifact-distinct-state: 31 days later the pill says expired and the old link says removed, not "not found"', async ({
  page,
  baseURL,
  consoleProblems,
}) => {
  const organizer = await signedInApi(baseURL ?? '', 'organizer@acme.test');
  const job = await completedJob(organizer);
  await setClock(organizer, 31 * 86_400_000);
  const swept = (await (await organizer.post('/v1/dev/cron')).json()) as { sweeper: { swept: number } };
  expect(swept.sweeper.swept).toBeGreaterThanOrEqual(1);
  await signIn(page, 'organizer@acme.test');
  await page.goto(reportsPage());
  await expect(reportJobPill(page, job.job_id)).toHaveText('expired');
  await expect(reportJobRow(page, job.job_id).locator('[data-test="report-job-download-cta"]')).toHaveCount(0);
  await expect(reportJobRow(page, job.job_id).locator('[data-test="report-job-rerun-cta"]')).toBeVisible();
  // A link still within its 7 days (it was regenerated later), for a file the sweeper removed.
  const link = await devSignedLink(organizer, job.job_id, 32 * 86_400);
  const response = await page.goto(link);
  expect(response?.status()).toBe(410);
  await expect(page.locator('[data-test="expired-download-page"][data-reason="artifact-swept"]')).toBeVisible();
  await expect(page.locator('body')).toContainText("This report's files were removed after 30 days. Generate a new one.");
  await expect(page.locator('body')).not.toContainText('not found');
  await page.screenshot({ path: test.info().outputPath('swept.png') });
  allowStatusPages(consoleProblems, 410);
});

test('email-bounce-indicator: a real bounce from the provider shows on the row, and resend works', async ({ page, baseURL }) => {
  const organizer = await signedInApi(baseURL ?? '', 'organizer@acme.test');
  const job = await completedJob(organizer, { notify_emails: ['viewer@acme.test'] });
  const outbox = await dispatchedEmails(organizer, job.job_id);
  expect(outbox.data[0]?.status).toBe('sent');
  // The email's link points at this copy of the app, on whatever port it was started.
  expect(outbox.email_link_origin).toBe(baseURL);
  await bounce(organizer, outbox.data[0]?.message_id, 'viewer@acme.test');
  await signIn(page, 'organizer@acme.test');
  await page.goto(reportsPage());
  const indicator = reportJobRow(page, job.job_id).locator('[data-test="report-job-bounce-indicator"]');
  await expect(indicator).toBeVisible();
  await expect(reportJobPill(page, job.job_id)).toHaveText('completed');
  await page.screenshot({ path: test.info().outputPath('bounce.png') });
});

test('two-organizers-distinct-jobs: two parallel requests from two people make two rows', async ({ page, baseURL }) => {
  const a = await signedInApi(baseURL ?? '', 'organizer@acme.test');
  const b = await signedInApi(baseURL ?? '', 'organizer2@acme.test');
  const body = { data: { type: 'guest-list', params: { format: 'csv' } } };
  const [ra, rb] = await Promise.all([a.post(jobsApi(), body), b.post(jobsApi(), body)]);
  expect([ra.status(), rb.status()]).toEqual([201, 201]);
  const [ja, jb] = [(await ra.json()) as JobJson, (await rb.json()) as JobJson];
  expect(ja.job_id).not.toBe(jb.job_id);
  expect(ja.requested_by).not.toBe(jb.requested_by);
  await signIn(page, 'organizer@acme.test');
  // My reports by default; everyone's shows both (issue 17 item 4).
  await page.goto(reportsPage());
  await expect(reportJobRow(page, ja.job_id)).toBeVisible();
  await expect(reportJobRow(page, jb.job_id)).toHaveCount(0);
  await page.goto(`${reportsPage()}?scope=all`);
  await expect(reportJobRow(page, ja.job_id)).toBeVisible();
  await expect(reportJobRow(page, jb.job_id)).toBeVisible();
});

test('permission-gated-catalog: the read-only viewer does not see the audit log in the catalog', async ({ page }) => {
  await signIn(page, 'viewer@acme.test');
  await page.goto(reportsPage());
  await page.locator('[data-test="generate-report-cta"]').click();
  const catalog = page.locator('[data-test="report-type-catalog"]');
  await expect(catalog.locator('[data-test="report-type-card"]').first()).toBeVisible();
  await expect(catalog).not.toContainText('Audit log');
  await expect(catalog).toContainText('Guest list summary');
});

test('cancel-running-job: Cancel on a running export turns the pill to cancelled within 5 seconds', async ({ page, baseURL }) => {
  const organizer = await signedInApi(baseURL ?? '', 'organizer@acme.test');
  // Demo exports finish in well under a second (one page): slow each page down so this one is still
  // running when the button is clicked, however loaded the machine; the slow-down heeds a cancel.
  expect((await organizer.put('/v1/dev/clock', { data: { offset_ms: 0, chunk_delay_ms: 10_000 } })).status()).toBe(200);
  await signIn(page, 'organizer@acme.test');
  const created = await organizer.post(jobsApi(), { data: { type: 'guest-list', params: { format: 'csv' } } });
  expect(created.status()).toBe(201);
  const { job_id } = (await created.json()) as JobJson;
  await expect
    .poll(async () => ((await (await organizer.get(`${jobsApi()}/${job_id}`)).json()) as JobJson).status, { intervals: [50] })
    .toBe('running');
  await page.goto(reportsPage());
  await expect(reportJobPill(page, job_id)).toHaveText('running');
  const cancel = reportJobRow(page, job_id).locator('[data-test="report-job-cancel-cta"]');
  await cancel.click();
  const clickedAt = Date.now();
  await expect(reportJobPill(page, job_id)).toHaveText('cancelled', {
    timeout: 5_000,
  });
  expect(Date.now() - clickedAt).toBeLessThan(5_000);
  const job = (await (await organizer.get(`${jobsApi()}/${job_id}`)).json()) as JobJson;
  expect(job).toMatchObject({ status: 'cancelled', download_url: null });
});

test('the SPA is served with CSP, frame-ancestors, nosniff and a referrer policy', async ({ page }) => {
  const response = await page.goto('/login');
  const headers = response?.headers() ?? {};
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['content-security-policy']).toContain("script-src 'self'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
});
