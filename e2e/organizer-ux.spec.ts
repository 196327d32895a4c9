import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIRequestContext, Page, TestInfo } from '@playwright/test';
import { localNotes, miniflareDirs } from '../scripts/start-notes';
import {
  asFailed,
  bounce,
  completedJob,
  createJob,
  devSignedLink,
  dispatchedEmails,
  expectNoSeriousA11yViolations,
  type JobJson,
  jobsApi,
  patchJobList,
  showJobAsFailed,
  signedInApi,
} from './api';
import {
  allowStatusPages,
  DEMO_PASSWORD,
  expect,
  reportJobPill,
  reportJobRow,
  reportsPage,
  SUMMIT,
  signIn,
  test,
  typeRecipients,
} from './fixtures';

// Issue 17, "What an organizer trips over": each item as a person meets it, in Chromium, against
// the real server. Engine states a browser cannot cause quickly (a failed job) are made by
// rewriting the list response; time moves through the development-only clock.

/** A screenshot of the changed state, kept with the test's results. */
async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

test.afterEach(async ({ baseURL }) => {
  const ops = await signedInApi(baseURL, 'admin@acme.test');
  await ops.put('/v1/dev/clock', { data: { offset_ms: 0, chunk_delay_ms: 0 } });
  await ops.put('/v1/admin/ops/settings', { data: { runner_paused: false, new_requests_disabled: false } });
  await ops.dispose();
});

test('1. signing in from an emailed download link lands on the report center with the job pointed out, and the file downloads', async ({
  page,
  baseURL,
}, testInfo) => {
  const organizer = await signedInApi(baseURL, 'organizer@acme.test');
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
  await expect(page).toHaveURL(new RegExp(`${reportsPage()}\\?highlight=${job.job_id}&download=started$`));
  await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCount(0);
  await expect(page.locator('[data-test="report-download-started"]')).toContainText('Your download has started');
  await expect(page.locator('[data-test="report-download-started"]')).toContainText('Guest list summary');
  await expect(reportJobRow(page, job.job_id)).toHaveClass(/job-row-highlight/);
  await expectNoSeriousA11yViolations(page);
  await shot(page, testInfo, 'signed-in-download-started');
});

test('2. "Generate a new report" past the daily quota answers with a Voyage page, not JSON', async ({
  page,
  baseURL,
  consoleProblems,
}, testInfo) => {
  const ops = await signedInApi(baseURL, 'admin@acme.test');
  const job = await completedJob(await signedInApi(baseURL, 'organizer2@acme.test'));
  // The daily quota will be used up by queued reports (they count): the runner is paused so they stay queued.
  expect((await ops.put('/v1/admin/ops/settings', { data: { runner_paused: true } })).status()).toBe(200);
  // 31 days later the sweeper has removed the file (and the sessions of then have ended).
  expect((await ops.put('/v1/dev/clock', { data: { offset_ms: 31 * 86_400_000 } })).status()).toBe(200);
  expect((await ops.post('/v1/dev/cron')).status()).toBe(200);
  const organizer = await signedInApi(baseURL, 'organizer2@acme.test');
  const link = await devSignedLink(organizer, job.job_id, 32 * 86_400);

  const queued: string[] = [];
  try {
    for (;;) {
      const res = await organizer.post(jobsApi(), { data: { type: 'guest-list', params: { format: 'csv' } } });
      if (res.status() === 429) break;
      expect(res.status()).toBe(201);
      queued.push(((await res.json()) as JobJson).job_id);
      expect(queued.length).toBeLessThanOrEqual(100);
    }

    await signIn(page, 'organizer2@acme.test');
    const swept = await page.goto(link);
    expect(swept?.status()).toBe(410);
    await expect(page.locator('[data-test="expired-download-page"][data-reason="artifact-swept"]')).toBeVisible();
    await page.locator('[data-test="expired-download-regenerate-cta"]').click();

    const refused = page.locator('[data-test="link-refused-page"]');
    await expect(refused).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Daily report limit reached');
    await expect(refused).toContainText('You have reached your limit of 100 reports in 24 hours');
    await expect(page.locator('body')).not.toContainText('{"error"');
    await expect(page.getByRole('link', { name: 'Open the report center' })).toHaveAttribute('href', reportsPage());
    await expectNoSeriousA11yViolations(page);
    await shot(page, testInfo, 'quota-refused-page');
  } finally {
    // Cancelled reports do not count: the quota is whole again for the other tests.
    for (const id of queued) await organizer.post(`${jobsApi()}/${id}/cancel`);
  }
  allowStatusPages(consoleProblems, 410);
  allowStatusPages(consoleProblems, 429);
});

test('3. Retry only where it can help: the fix as the main action, and a link to the automatic retry', async ({
  page,
  baseURL,
}, testInfo) => {
  const organizer = await signedInApi(baseURL, 'organizer@acme.test');
  const [tooBig, stuck, storage] = [await completedJob(organizer), await completedJob(organizer), await completedJob(organizer)];
  const retry = await completedJob(organizer);
  const failed = (job: JobJson, fields: Record<string, unknown>): JobJson => asFailed(job, { retried_by: null, ...fields });
  await patchJobList(page, (job) => {
    if (job.job_id === tooBig.job_id)
      return failed(job, {
        format: 'pdf',
        params: { ...(job.params as object), format: 'pdf' },
        failure_code: 'dataset_too_large',
        failure_reason: 'This report has 25,000 rows; a PDF holds at most 20,000. Create it as CSV.',
        failure_remedy: 'use_csv',
      });
    if (job.job_id === stuck.job_id)
      return failed(job, {
        failure_code: 'stuck_in_queue',
        failure_reason: 'The report did not start within 15 minutes. We queued it again automatically.',
        failure_remedy: 'retry',
        retried_by: retry.job_id,
      });
    if (job.job_id === storage.job_id)
      return failed(job, {
        failure_code: 'storage_unavailable',
        failure_reason: 'Storage temporarily unavailable — please retry.',
        failure_remedy: 'retry',
      });
    return job;
  });
  await signIn(page, 'organizer@acme.test');
  await page.goto(reportsPage());

  const pdf = reportJobRow(page, tooBig.job_id);
  await expect(reportJobPill(page, tooBig.job_id)).toHaveText('failed');
  await expect(pdf.locator('[data-test="report-job-retry-cta"]')).toHaveCount(0);
  await expect(pdf.locator('[data-test="report-job-rerun-cta"]')).toHaveCount(0);
  await expect(pdf.locator('[data-test="report-job-remedy-note"]')).toHaveText(/Retrying would fail the same way/);
  await expect(pdf.locator('[data-test="report-job-use-csv-cta"]')).toBeVisible();

  const auto = reportJobRow(page, stuck.job_id);
  await expect(auto.locator('[data-test="report-job-retry-cta"]')).toHaveCount(0);
  await expect(auto.locator('[data-test="report-job-retried"]')).toContainText('Retried automatically');

  const retryable = reportJobRow(page, storage.job_id);
  await expect(retryable.locator('[data-test="report-job-remedy-note"]')).toHaveText('Retrying can help.');
  await expect(retryable.locator('[data-test="report-job-retry-cta"]')).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await shot(page, testInfo, 'failure-remedies');

  // The automatic retry is one click away, pointed out in the list.
  await auto.locator('[data-test="report-job-retried-link"]').click();
  await expect(page).toHaveURL(new RegExp(`highlight=${retry.job_id}`));
  await expect(reportJobRow(page, retry.job_id)).toHaveClass(/job-row-highlight/);

  // "Create it as CSV" opens the form on the same type, as CSV.
  await pdf.locator('[data-test="report-job-use-csv-cta"]').click();
  await expect(page).toHaveURL(/[?&]new=guest-list/);
  await expect(page).toHaveURL(/format%22%3A%22csv/);
  const modal = page.locator('[data-test="generate-report-modal"]');
  await expect(modal).toBeVisible();
  await expect(modal.locator('[data-test="report-params-format"] input[value="csv"]')).toBeChecked();
});

test('4. the list shows my reports by default, filters by whose, type and status, with page numbers, all in the URL', async ({
  page,
  baseURL,
}, testInfo) => {
  const mine = await signedInApi(baseURL, 'organizer@acme.test');
  const theirs = await signedInApi(baseURL, 'organizer2@acme.test');
  const own = await completedJob(mine);
  const other = await completedJob(theirs);
  // Enough of my own for a second page of 10.
  for (let i = 0; i < 10; i++) await createJob(mine);

  await signIn(page, 'organizer@acme.test');
  await page.goto(reportsPage());
  await expect(page.locator('[data-test="report-jobs-filter-scope"]')).toHaveValue('mine');
  await page.locator('[data-test="report-jobs-filter-status"]').selectOption('completed');
  await expect(page).toHaveURL(/status=completed/);
  await expect(reportJobRow(page, own.job_id)).toBeVisible();
  await expect(reportJobRow(page, other.job_id)).toHaveCount(0);

  await page.locator('[data-test="report-jobs-filter-scope"]').selectOption('all');
  await expect(page).toHaveURL(/[?&]scope=all/);
  await expect(reportJobRow(page, other.job_id)).toBeVisible();

  await page.locator('[data-test="report-jobs-filter-type"]').selectOption('guest-list');
  await expect(page).toHaveURL(/type=guest-list/);
  const pills = page.locator('[data-test="report-job-status-pill"]');
  await expect(pills.first()).toHaveText('completed');
  for (const text of await pills.allTextContents()) expect(text).toBe('completed');
  await shot(page, testInfo, 'list-filtered');

  // The URL is the state: a reload keeps the filters.
  await page.reload();
  await expect(page.locator('[data-test="report-jobs-filter-scope"]')).toHaveValue('all');
  await expect(page.locator('[data-test="report-jobs-filter-status"]')).toHaveValue('completed');
  await expect(page.locator('[data-test="report-jobs-filter-type"]')).toHaveValue('guest-list');

  // Page numbers besides Previous and Next.
  await page.goto(`${reportsPage()}?limit=10`);
  const second = page.locator('[data-test="report-jobs-page-2"]');
  await expect(page.locator('[data-test="report-jobs-page-1"]')).toHaveAttribute('aria-current', 'page');
  await second.click();
  await expect(page).toHaveURL(/page=2/);
  await expect(second).toHaveAttribute('aria-current', 'page');
  await expectNoSeriousA11yViolations(page);
});

test.describe('5. one time zone', () => {
  // The browser is somewhere else than the event: every time on the page is still the event's.
  test.use({ timezoneId: 'Asia/Kolkata' });

  test("the report list shows the event's zone, labelled, whatever the browser's", async ({ page, baseURL }, testInfo) => {
    const organizer = await signedInApi(baseURL, 'organizer@acme.test');
    const job = await completedJob(organizer);
    await signIn(page, 'organizer@acme.test');
    await page.goto(reportsPage());
    await expect(page.locator('[data-test="report-center-time-zone"]')).toHaveText(' · times in America/New_York');
    const created = reportJobRow(page, job.job_id).locator('[data-test="report-job-created-at"]');
    const inEventZone = new Intl.DateTimeFormat(undefined, { timeStyle: 'short', timeZone: 'America/New_York' }).format(
      Number(job.created_at),
    );
    await expect(created.locator('.timestamp-time')).toHaveText(inEventZone);
    await expect(created).toHaveAttribute('title', /\(America\/New_York\)$/);
    await shot(page, testInfo, 'event-time-zone');
  });
});

test('6. the bounce box reads as a sentence, and after a resend each address shows its latest delivery', async ({
  page,
  baseURL,
}, testInfo) => {
  const organizer = await signedInApi(baseURL, 'organizer@acme.test');
  const job = await completedJob(organizer, { notify_emails: ['viewer@acme.test'] });
  const outbox = await dispatchedEmails(organizer, job.job_id);
  expect(outbox.data[0]?.status).toBe('sent');
  await bounce(organizer, outbox.data[0]?.message_id ?? '', 'viewer@acme.test');

  await signIn(page, 'organizer@acme.test');
  await page.goto(reportsPage());
  const box = reportJobRow(page, job.job_id).locator('[data-test="report-job-bounce-indicator"]');
  await expect(box).toContainText('Email notification bounced: viewer@acme.test');
  // The address stays whole (it used to break mid-word into a column of its own).
  const address = box.locator('[data-test="report-job-bounced-address"]');
  await expect(address).toHaveText('viewer@acme.test');
  expect(await address.evaluate((el) => el.getClientRects().length)).toBe(1);
  const deliveries = reportJobRow(page, job.job_id).locator('[data-test="report-job-delivery"]');
  await expect(deliveries).toHaveCount(1);
  await expect(deliveries.first()).toHaveAttribute('data-status', 'bounced');
  await shot(page, testInfo, 'bounce-box');

  // Resent to a corrected address: the box gives way, and each address says what happened last.
  await box.locator('[data-test="report-job-resend-cta"]').click();
  const recipients = box.locator('[data-test="report-job-resend-recipients"]');
  await typeRecipients(recipients, 'organizer@acme.test');
  await box.locator('[data-test="report-job-resend-submit"]').click();
  await expect(reportJobRow(page, job.job_id).locator('[data-test="report-job-resend-confirmation"]')).toBeVisible();
  await expect(reportJobRow(page, job.job_id).locator('[data-test="report-job-bounce-indicator"]')).toHaveCount(0);
  await expect(reportJobRow(page, job.job_id).locator('[data-test="report-job-delivery"][data-status="bounced"]')).toContainText(
    'viewer@acme.test',
  );
  await expect(reportJobRow(page, job.job_id).locator('[data-test="report-job-delivery"]').first()).toContainText(
    /organizer@acme\.test: (sending|sent)/,
  );
  await expectNoSeriousA11yViolations(page);
  await shot(page, testInfo, 'after-resend');
});

test('7. the orders export follows its spec: not for read-only viewers, files kept 7 days, remembered, recoverable', async ({
  page,
  baseURL,
}, testInfo) => {
  // A viewer sees the orders but no Export, and the server refuses the export too.
  await signIn(page, 'viewer@acme.test');
  await page.goto(`/admin/events/${SUMMIT.id}/orders`);
  await expect(page.locator('[data-test="orders-table"]')).toBeVisible();
  await expect(page.locator('[data-test="orders-export-cta"]')).toHaveCount(0);
  await expect(page.locator('[data-test="orders-export-denied"]')).toContainText('workspace admins and organizers');
  const refused = await page.request.post(`/v1/admin/events/${SUMMIT.id}/orders/export`, { data: {} });
  expect(refused.status()).toBe(403);
  await shot(page, testInfo, 'orders-viewer');

  // An organizer's background export, kept 7 days, is there again when the page is opened later.
  const organizer = await signedInApi(baseURL, 'organizer@acme.test');
  const job = await completedJob(organizer, { type: 'orders', params: { format: 'csv' } });
  const artifact = job.artifact as { expires_at: number };
  expect(Math.abs(artifact.expires_at - Number(job.finished_at) - 7 * 86_400_000)).toBeLessThan(60_000);
  await page.context().clearCookies();
  await signIn(page, 'organizer@acme.test');
  await page.goto(`/admin/events/${SUMMIT.id}/orders`);
  const status = page.locator('[data-test="orders-export-status"]');
  await expect(status).toHaveAttribute('data-job-id', job.job_id);
  await expect(status).toHaveAttribute('data-state', 'completed');
  await expect(status.locator('[data-test="orders-export-download"]')).toBeVisible();
  await shot(page, testInfo, 'orders-export-remembered');

  // A failed export offers what the report center offers: here, a narrower range instead of Retry.
  await showJobAsFailed(page, job.job_id, {
    failure_code: 'dataset_too_large',
    failure_reason: 'Dataset exceeded 100MB. Try a narrower date range or generate per-month reports.',
    failure_remedy: 'narrow_range',
  });
  await page.reload();
  await expect(status).toHaveAttribute('data-state', 'failed');
  await expect(status.locator('[data-test="orders-export-retry"]')).toHaveCount(0);
  await expect(status.locator('[data-test="orders-export-narrow"]')).toHaveText('Narrow the date range');
  await expectNoSeriousA11yViolations(page);
  await shot(page, testInfo, 'orders-export-failed');
});

test('8. while the operator has paused the runner, a queued report says so instead of "We\'re investigating"', async ({
  page,
  baseURL,
}, testInfo) => {
  const ops = await signedInApi(baseURL, 'admin@acme.test');
  expect((await ops.put('/v1/admin/ops/settings', { data: { runner_paused: true } })).status()).toBe(200);
  const organizer = await signedInApi(baseURL, 'organizer@acme.test');
  const job = await createJob(organizer);
  await signIn(page, 'organizer@acme.test');
  await page.goto(reportsPage());
  await expect(reportJobPill(page, job.job_id)).toHaveText('queued');
  // Long past the 5 minutes of the stuck note.
  expect((await ops.put('/v1/dev/clock', { data: { offset_ms: 6 * 60_000 } })).status()).toBe(200);
  await page.reload();
  await expect(reportJobRow(page, job.job_id).locator('[data-test="report-job-paused-note"]')).toHaveText(
    'Reports are paused by the operator. This one will start when they resume.',
  );
  await expect(reportJobRow(page, job.job_id).locator('[data-test="report-job-stuck-note"]')).toHaveCount(0);
  await expect(page.locator('[data-test="report-center-paused"]')).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await shot(page, testInfo, 'runner-paused');
  await organizer.post(`${jobsApi()}/${job.job_id}/cancel`);

  // A waiting background export on the orders page, in words (item 9: not "Waiting for a runner").
  // Made at the real time: a job dated ahead would sort first in later specs' lists.
  expect((await ops.put('/v1/dev/clock', { data: { offset_ms: 0 } })).status()).toBe(200);
  const ordersJob = await createJob(organizer, { type: 'orders', params: { format: 'csv' } });
  await page.goto(`/admin/events/${SUMMIT.id}/orders`);
  const status = page.locator('[data-test="orders-export-status"]');
  await expect(status).toHaveAttribute('data-job-id', ordersJob.job_id);
  await expect(status).toContainText('Waiting to start.');
  await expect(status).not.toContainText('runner');
  await organizer.post(`${jobsApi()}/${ordersJob.job_id}/cancel`);
});

/** The text of a downloaded PDF as a reader gets it (poppler's pdftotext, as `npm run check:pdf` uses). */
function pdfText(path: string): string {
  const out = spawnSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
  expect(out.status, out.stderr).toBe(0);
  return out.stdout;
}

async function downloadOf(ctx: APIRequestContext, job: JobJson, testInfo: TestInfo, name: string): Promise<string> {
  const res = await ctx.get(job.download_url ?? '');
  expect(res.status()).toBe(200);
  const path = testInfo.outputPath(name);
  writeFileSync(path, await res.body());
  return path;
}

test('9. words: the dialog names the event and no "report report"; readable filters; the audit log records sign-ins and requests', async ({
  page,
  baseURL,
}, testInfo) => {
  await signIn(page, 'admin@acme.test');
  await page.goto(reportsPage());
  await page.locator('[data-test="generate-report-cta"]').click();
  const modal = page.locator('[data-test="generate-report-modal"]');
  await expect(modal.locator('[data-test="report-dialog-event"]')).toHaveText('Event: Acme Product Summit 2026');
  await page.locator('[data-test="report-type-card"][data-type-key="ticketing"]').click();
  await expect(page.getByRole('dialog', { name: 'Specialized ticketing report — parameters' })).toBeVisible();
  await expect(modal.locator('[data-test="report-dialog-event"]')).toBeVisible();
  await shot(page, testInfo, 'dialog-names-event');
  await page.keyboard.press('Escape');

  // A stored token like "guest.registered" reads as words, in the form and in the list.
  await page.locator('[data-test="generate-report-cta"]').click();
  await page.locator('[data-test="report-type-card"][data-type-key="activity-log"]').click();
  const action = page.locator('[data-test="generate-report-modal"]').getByLabel('Action');
  await expect(action.locator('option[value="guest.registered"]')).toHaveText('Guest registered');
  await page.keyboard.press('Escape');
  const admin = await signedInApi(baseURL, 'admin@acme.test');
  const activity = await createJob(admin, { type: 'activity-log', params: { format: 'csv', action: 'guest.registered' } });
  await page.reload();
  await expect(reportJobRow(page, activity.job_id).locator('[data-test="report-job-type"]')).toContainText(
    'Action: Guest registered',
  );

  // The audit log holds the sign-ins and the report requests it describes.
  const audit = await completedJob(admin, { type: 'audit-log', params: { format: 'csv' } });
  const csv = readFileSync(await downloadOf(admin, audit, testInfo, 'audit-log.csv'), 'utf8');
  expect(csv).toContain('user.signed_in');
  expect(csv).toMatch(new RegExp(`report\\.requested,event_report_job,${activity.job_id}`));
});

test('10a. the row shows when the file was last downloaded and how often', async ({ page, baseURL }, testInfo) => {
  const organizer = await signedInApi(baseURL, 'organizer@acme.test');
  const job = await completedJob(organizer);
  await signIn(page, 'organizer@acme.test');
  await page.goto(reportsPage());
  const downloads = reportJobRow(page, job.job_id).locator('[data-test="report-job-downloads"]');
  await expect(downloads).toHaveText('Not downloaded yet');
  await Promise.all([
    page.waitForEvent('download'),
    reportJobRow(page, job.job_id).locator('[data-test="report-job-download-cta"]').click(),
  ]);
  await Promise.all([
    page.waitForEvent('download'),
    reportJobRow(page, job.job_id).locator('[data-test="report-job-download-cta"]').click(),
  ]);
  await page.reload();
  await expect(downloads).toHaveText(/^Downloaded 2 times, last .+/);
  await shot(page, testInfo, 'downloads-on-row');
});

test('10b. PDFs: sponsor-lead emails are whole, and the guest-list summary opens with its totals', async ({
  baseURL,
}, testInfo) => {
  const organizer = await signedInApi(baseURL, 'organizer@acme.test');
  const leads = await completedJob(organizer, { type: 'sponsor-leads', params: { format: 'pdf' } });
  const leadsText = pdfText(await downloadOf(organizer, leads, testInfo, 'sponsor-leads.pdf'));
  expect(leadsText).not.toMatch(/@[^\s]*…/); // no address cut short with an ellipsis
  const emails = leadsText.match(/[\w.+-]+@[\w-]+(\.[\w-]+)*\.[a-z]{2,}/g) ?? [];
  expect(emails.length).toBeGreaterThan(10);

  const guests = await completedJob(organizer, { type: 'guest-list', params: { format: 'pdf' } });
  const guestText = pdfText(await downloadOf(organizer, guests, testInfo, 'guest-list.pdf'));
  for (const label of ['Guests', 'RSVP attending', 'Checked in', 'Check-in rate']) expect(guestText).toContain(label);
  expect(guestText).toContain(SUMMIT.guests.toLocaleString('en-US'));
});

test.describe('10c. on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the date inputs stay inside the dialog at 390 px', async ({ page }, testInfo) => {
    await signIn(page, 'organizer@acme.test');
    await page.goto(reportsPage());
    await page.locator('[data-test="generate-report-cta"]').click();
    await page.locator('[data-test="report-type-card"][data-type-key="guest-list"]').click();
    const modal = page.locator('[data-test="generate-report-modal"]');
    await expect(modal.getByLabel('Date from')).toBeVisible();
    const box = await modal.boundingBox();
    expect(box).not.toBeNull();
    for (const label of ['Date from', 'Date to']) {
      const input = await modal.getByLabel(label).boundingBox();
      expect(input).not.toBeNull();
      expect((input?.x ?? 0) + (input?.width ?? 0)).toBeLessThanOrEqual((box?.x ?? 0) + (box?.width ?? 0) + 0.5);
      expect((input?.x ?? 0) + (input?.width ?? 0)).toBeLessThanOrEqual(390);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, testInfo, 'dialog-390');
  });
});

test('10d. the still-preparing page becomes "ready" when the file downloads', async ({
  page,
  baseURL,
  consoleProblems,
}, testInfo) => {
  const ops = await signedInApi(baseURL, 'admin@acme.test');
  expect((await ops.put('/v1/admin/ops/settings', { data: { runner_paused: true } })).status()).toBe(200);
  const organizer = await signedInApi(baseURL, 'organizer@acme.test');
  const job = await createJob(organizer);
  const link = await devSignedLink(organizer, job.job_id, 3_600);
  await signIn(page, 'organizer@acme.test');
  const response = await page.goto(link);
  expect(response?.status()).toBe(409);
  await expect(page.locator('[data-test="still-preparing-page"]')).toBeVisible();
  await shot(page, testInfo, 'still-preparing');

  const download = page.waitForEvent('download', { timeout: 30_000 });
  expect((await ops.put('/v1/admin/ops/settings', { data: { runner_paused: false } })).status()).toBe(200);
  expect((await download).suggestedFilename()).toMatch(/\.csv$/);
  await expect(page.locator('[data-test="download-ready-page"]')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your report is ready');
  await expect(page.locator('[data-test="download-ready-cta"]')).toHaveAttribute(
    'href',
    /\/download\?expires=\d+&signature=[0-9a-f]{64}$/,
  );
  await shot(page, testInfo, 'ready-after-download');
  allowStatusPages(consoleProblems, 409);
});

test('10e. staff, who have no report access, see no Reports and Orders tabs', async ({ page }, testInfo) => {
  await signIn(page, 'staff@acme.test');
  await page.goto(reportsPage());
  await expect(page.locator('[data-test="report-center-no-access"]')).toBeVisible();
  await expect(page.locator('[data-test="nav-reports"]')).toHaveCount(0);
  await expect(page.locator('[data-test="nav-orders"]')).toHaveCount(0);
  await expect(page.locator('[data-test="nav-events"]')).toBeVisible();
  await shot(page, testInfo, 'staff-nav');
});

test('10h. the sign-in page, visited signed out, gets no error from the API and logs nothing', async ({
  page,
  consoleProblems,
}) => {
  const failed: string[] = [];
  page.on('response', (res) => {
    if (new URL(res.url()).pathname.startsWith('/v1/') && res.status() >= 400) failed.push(`${res.status()} ${res.url()}`);
  });
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(failed).toEqual([]);
  expect(consoleProblems).toEqual([]);
});

test("10f. the API reference's table of contents does not overlap itself", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/v1/docs');
  const boxes = await page.locator('nav[aria-label="Operations"] li li').evaluateAll((items) =>
    items.map((li) => {
      const r = li.getBoundingClientRect();
      return { x: r.x, y: r.y, w: r.width, h: r.height };
    }),
  );
  expect(boxes.length).toBeGreaterThan(20);
  const overlapping = boxes.flatMap((a, i) =>
    boxes
      .slice(i + 1)
      .filter((b) => a.x < b.x + b.w - 1 && b.x < a.x + a.w - 1 && a.y < b.y + b.h - 1 && b.y < a.y + a.h - 1)
      .map(() => i),
  );
  expect(overlapping).toEqual([]);
  await shot(page, testInfo, 'api-docs-toc');
});

test('10g. `npm start` says where local emails are written, and the email there names the zone', async ({ baseURL }) => {
  const notes = localNotes(baseURL ?? '', null).join('\n');
  expect(notes).toContain('files/email-text');
  expect(notes).toContain('/v1/dev/cron');
  expect(notes).toContain("wrangler's hint about /cdn-cgi/handler/scheduled does not apply");

  // The claim holds: the email of a report lands in that directory of this very server.
  const organizer = await signedInApi(baseURL, 'organizer@acme.test');
  const startedAt = Date.now();
  const job = await completedJob(organizer, { notify_emails: ['organizer@acme.test'] });
  await organizer.post('/v1/dev/cron');
  const emailFile = () =>
    miniflareDirs(startedAt - 3_600_000)
      .flatMap((dir) => {
        const texts = join(dir, 'files', 'email-text');
        return existsSync(texts) ? readdirSync(texts).map((f) => join(texts, f)) : [];
      })
      .find((file) => readFileSync(file, 'utf8').includes(job.job_id));
  await expect.poll(() => emailFile() !== undefined).toBe(true);
  expect(readFileSync(emailFile() ?? '', 'utf8')).toMatch(/This link works until .+ \(America\/New_York\)/);
});
