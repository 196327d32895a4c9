import type { APIRequestContext } from '@playwright/test';
import { jobsApi, signedInApi } from './api';
import { allowStatusPages, expect, reportJobRow, reportsPage, SUMMIT, signIn, test } from './fixtures';

// Issue 15 as a person sees it: who gets the buttons on a job, the recipient picker that suggests
// only members who can open the report, and the permission gate that names only real report types.

async function queuedJob(ctx: APIRequestContext): Promise<string> {
  const res = await ctx.post(jobsApi(), { data: { type: 'guest-list', params: { format: 'csv' } } });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { job_id: string }).job_id;
}

test.describe('job owners', () => {
  test.afterEach(async ({ baseURL }) => {
    const ops = await signedInApi(baseURL ?? '', 'admin@acme.test');
    await ops.put('/v1/admin/ops/settings', { data: { runner_paused: false } });
    await ops.dispose();
  });

  test('Cancel shows for the requester and admins, not for other members who can see the job', async ({ page, baseURL }) => {
    const ops = await signedInApi(baseURL ?? '', 'admin@acme.test');
    expect((await ops.put('/v1/admin/ops/settings', { data: { runner_paused: true } })).status()).toBe(200);
    const organizersJob = await queuedJob(await signedInApi(baseURL ?? '', 'organizer@acme.test'));
    const viewersJob = await queuedJob(await signedInApi(baseURL ?? '', 'viewer@acme.test'));
    const cancel = (jobId: string) => reportJobRow(page, jobId).locator('[data-test="report-job-cancel-cta"]');

    await signIn(page, 'viewer@acme.test');
    // Everyone's reports (the list shows the caller's own by default, issue 17 item 4).
    await page.goto(`${reportsPage()}?scope=all`);
    await expect(reportJobRow(page, organizersJob)).toBeVisible();
    await expect(reportJobRow(page, viewersJob)).toBeVisible();
    await expect(cancel(viewersJob)).toBeVisible();
    await expect(cancel(organizersJob)).toHaveCount(0);

    await page.context().clearCookies();
    await signIn(page, 'admin@acme.test');
    await page.goto(`${reportsPage()}?scope=all`);
    await expect(cancel(organizersJob)).toBeVisible();
    await expect(cancel(viewersJob)).toBeVisible();
  });
});

test('the recipient field suggests members who can open the report, and the server names anyone else', async ({
  page,
  consoleProblems,
}) => {
  await signIn(page, 'organizer@acme.test');
  await page.goto(`${reportsPage()}?new=guest-list`);
  const form = page.locator('[data-test="report-params-form"]');
  const field = form.locator('[data-test="report-params-recipients"]');
  const suggestions = form.locator('[data-test="recipient-suggestion"]');

  await field.fill('acme');
  await expect(field).toHaveAttribute('aria-expanded', 'true');
  await expect(suggestions.filter({ hasText: 'viewer@acme.test' })).toBeVisible();
  // Staff have no report access: never suggested.
  await expect(suggestions.filter({ hasText: 'staff@acme.test' })).toHaveCount(0);
  await field.fill('organizer2');
  await expect(suggestions).toHaveCount(1);
  await field.press('ArrowDown');
  await expect(suggestions.first()).toHaveAttribute('aria-selected', 'true');
  await field.press('Enter');
  await expect(field).toHaveValue('organizer2@acme.test, ');
  await expect(page.locator('[data-test="generate-report-modal"]')).toBeVisible();

  await field.pressSequentially('vie');
  await suggestions.filter({ hasText: 'viewer@acme.test' }).click();
  await expect(field).toHaveValue('organizer2@acme.test, viewer@acme.test, ');
  await expect(field).toBeFocused();
  // Escape closes the suggestions, not the dialog.
  await field.pressSequentially('a');
  await expect(field).toHaveAttribute('aria-expanded', 'true');
  await field.press('Escape');
  await expect(field).toHaveAttribute('aria-expanded', 'false');
  await expect(page.locator('[data-test="generate-report-modal"]')).toBeVisible();

  await field.fill('organizer2@acme.test, friend@gmail.test');
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(jobsApi()) && r.request().method() === 'POST'),
    form.locator('[data-test="report-submit-cta"]').click(),
  ]);
  expect(response.status()).toBe(400);
  await expect(form.locator('[data-test="report-params-error"]')).toContainText(
    'friend@gmail.test is not a member of Acme Events who can open the Guest list summary report',
  );
  allowStatusPages(consoleProblems, 400); // the refused request, logged by Chromium
});

test('the permission gate names only real report types', async ({ page }) => {
  for (const email of ['viewer@acme.test', 'staff@acme.test']) {
    await page.context().clearCookies();
    await signIn(page, email);
    await page.goto(`/admin/reports/new?type=wire-money&event=${SUMMIT.id}`);
    const refusal = page.locator('[data-test="report-gate-error"]');
    await expect(refusal).toBeVisible();
    await expect(refusal.getByRole('heading', { level: 1 })).toHaveText('Report not available');
    await expect(refusal).toContainText('There is no report type called "wire-money".');
    await expect(page.locator('[data-test="permission-required-page"]')).toHaveCount(0);
    await expect(page.locator('body')).not.toContainText('Wire money');
  }
  // A real admin-only type still gets the gate, also for staff.
  await page.goto(`/admin/reports/new?type=audit-log&event=${SUMMIT.id}`);
  await expect(page.locator('[data-test="permission-required-type-name"]')).toHaveText('Audit log');
});
