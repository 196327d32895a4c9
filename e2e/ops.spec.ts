import { spawnSync } from 'node:child_process';
import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Page } from '@playwright/test';
import { jobsApi } from './api';
import { expect, SUMMIT, signIn, test } from './fixtures';

async function setSwitches(request: APIRequestContext, body: { runner_paused?: boolean; new_requests_disabled?: boolean }) {
  const res = await request.put('/v1/admin/ops/settings', { data: body });
  expect(res.status()).toBe(200);
}

/** The page's Prometheus output; checked with promtool when it is installed (Debian: prometheus). */
async function scrape(page: Page): Promise<string> {
  const res = await page.request.get('/v1/admin/metrics');
  expect(res.status()).toBe(200);
  const text = await res.text();
  const promtool = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (promtool.error === undefined) expect(`${promtool.stdout}${promtool.stderr}`.trim()).toBe('');
  return text;
}

async function toggle(page: Page, name: 'runner_paused' | 'new_requests_disabled', action: RegExp) {
  const row = page.locator(`[data-test="ops-switch-${name}"]`);
  await row.locator(`[data-test="ops-switch-${name}-toggle"]`).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: action }).click();
  await expect(dialog).toBeHidden();
}

test.describe('operations dashboard', () => {
  test.afterEach(async ({ page }) => {
    // Leave the shared app as the other specs expect it, whatever happened above.
    await signIn(page, 'admin@acme.test');
    await setSwitches(page.request, { runner_paused: false, new_requests_disabled: false });
  });

  test('an operator watches a report go through the dashboard, with charts, queue and failures', async ({ page }) => {
    await signIn(page, 'admin@acme.test');
    const created = await page.request.post(jobsApi(), { data: { type: 'guest-list', params: { format: 'csv' } } });
    expect(created.status()).toBe(201);

    await page.goto('/admin/ops');
    await expect(page).toHaveTitle('Operations dashboard · Voyage Reports');
    const dashboard = page.locator('[data-test="ops-dashboard"]');
    await expect(dashboard).toBeVisible();
    await expect(dashboard).toHaveAttribute('data-range', '24h');
    await expect(page.locator('[data-test="ops-stat-created"] [data-test="ops-stat-value"]')).not.toHaveText('0');
    for (const chart of ['jobs', 'queue', 'durations', 'failures', 'downloads', 'emails', 'rows']) {
      await expect(page.locator(`[data-test="ops-chart-${chart}"] canvas[role="img"]`)).toBeVisible();
    }
    await expect(page.locator('[data-test="ops-queue"]')).toBeVisible();
    await expect(page.locator('[data-test="ops-failures"]')).toBeVisible();
    await expect(page.locator('[data-test="ops-switch-runner_paused"]')).toHaveAttribute('data-state', 'off');

    // The data behind a chart is readable as a table.
    const jobsChart = page.locator('[data-test="ops-chart-jobs"]');
    await jobsChart.getByText('Data table').click();
    await expect(jobsChart.locator('tbody tr')).toHaveCount(24);

    await page.locator('[data-test="ops-range-7d"]').click();
    await expect(dashboard).toHaveAttribute('data-range', '7d');
    await expect(page.locator('[data-test="ops-range-7d"]')).toHaveAttribute('aria-pressed', 'true');
    await expect(jobsChart.locator('tbody tr')).toHaveCount(7);

    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });

  test('pausing the runner takes a confirmation, holds a new report in the queue, and shows in the metrics', async ({ page }) => {
    await signIn(page, 'admin@acme.test');
    await page.goto('/admin/ops');
    const runner = page.locator('[data-test="ops-switch-runner_paused"]');
    await expect(runner).toHaveAttribute('data-state', 'off');

    // Cancel changes nothing.
    await runner.locator('[data-test="ops-switch-runner_paused-toggle"]').click();
    const dialog = page.getByRole('dialog', { name: 'Pause the report runner?' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await expect(runner).toHaveAttribute('data-state', 'off');

    await toggle(page, 'runner_paused', /^Pause runner$/);
    await expect(runner).toHaveAttribute('data-state', 'on');
    await expect(runner.locator('[data-test="ops-switch-state"]')).toHaveText('paused');
    await expect(page.locator('[data-test="ops-switch-notice"]')).toContainText('The report runner is paused');
    await expect(page.locator('[data-test="ops-switches-updated"]')).toContainText('Last changed');
    // The alert rule ReportRunnerPaused reads exactly this series.
    expect(await scrape(page)).toMatch(/^voyage_reports_runner_paused 1$/m);

    const created = await page.request.post(jobsApi(), { data: { type: 'guest-list', params: { format: 'csv' } } });
    const { job_id: jobId } = (await created.json()) as { job_id: string };
    await page.locator('[data-test="ops-refresh"]').click();
    const row = page.locator(`[data-test="ops-queue-row"][data-job-id="${jobId}"]`);
    await expect(row).toContainText('queued');
    await expect(page.locator('[data-test="ops-stat-oldest"] [data-test="ops-oldest-job-link"]')).toHaveAttribute(
      'href',
      new RegExp(`/admin/events/${SUMMIT.id}/reports\\?highlight=`),
    );

    await toggle(page, 'runner_paused', /^Resume runner$/);
    await expect(runner).toHaveAttribute('data-state', 'off');
    // Resuming re-queues the held job; the dashboard refreshes itself until the queue is empty.
    await expect(async () => {
      const res = await page.request.get(`${jobsApi()}/${jobId}`);
      expect(((await res.json()) as { status: string }).status).toBe('completed');
    }).toPass({ timeout: 30_000 });
    await page.locator('[data-test="ops-refresh"]').click();
    await expect(row).toHaveCount(0);
    expect(await scrape(page)).toMatch(/^voyage_reports_runner_paused 0$/m);
  });

  test('disabling new requests refuses new reports while completed files stay downloadable', async ({ page }) => {
    await signIn(page, 'admin@acme.test');
    const created = await page.request.post(jobsApi(), { data: { type: 'guest-list', params: { format: 'csv' } } });
    const { job_id: jobId } = (await created.json()) as { job_id: string };
    let downloadUrl = '';
    await expect(async () => {
      const job = (await (await page.request.get(`${jobsApi()}/${jobId}`)).json()) as { download_url: string | null };
      expect(job.download_url).not.toBeNull();
      downloadUrl = job.download_url ?? '';
    }).toPass({ timeout: 30_000 });

    await page.goto('/admin/ops');
    await toggle(page, 'new_requests_disabled', /^Disable new requests$/);
    await expect(page.locator('[data-test="ops-switch-new_requests_disabled"]')).toHaveAttribute('data-state', 'on');
    const refused = await page.request.post(jobsApi(), { data: { type: 'guest-list', params: { format: 'csv' } } });
    expect(refused.status()).toBe(503);
    expect((await page.request.get(downloadUrl)).status()).toBe(200);
    expect(await scrape(page)).toMatch(/^voyage_reports_new_requests_disabled 1$/m);
    await toggle(page, 'new_requests_disabled', /^Enable new requests$/);
    await expect(page.locator('[data-test="ops-switch-new_requests_disabled"]')).toHaveAttribute('data-state', 'off');
  });

  test('anyone but an operator gets a permission message and no figures', async ({ page }) => {
    await signIn(page, 'organizer@acme.test');
    await page.goto('/admin/ops');
    await expect(page.locator('[data-test="ops-operators-only"]')).toContainText("You don't have permission");
    await expect(page.locator('[data-test="ops-dashboard"]')).toHaveCount(0);
    await expect(page.locator('[data-test="nav-ops"]')).toHaveCount(0);
    const metrics = await page.request.get('/v1/admin/metrics');
    expect(metrics.status()).toBe(403);
  });
});
