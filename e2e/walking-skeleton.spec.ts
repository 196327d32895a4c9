import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { jobsApi } from './api';
import { expect, reportJobPill, reportJobRow, reportsPage, SUMMIT, signIn, test } from './fixtures';

test('an organizer generates a guest list, watches it complete, and downloads the CSV', async ({ page }) => {
  await signIn(page, 'organizer@acme.test');
  await page.goto(reportsPage());

  const center = page.locator('[data-test="report-center"]');
  await expect(center).toBeVisible();
  await expect(page.locator('[data-test="report-center-h1"]')).toHaveText('Reports');
  await expect(page).toHaveTitle('Reports · Acme Events');

  await page.locator('[data-test="generate-report-cta"]').click();
  const modal = page.locator('[data-test="generate-report-modal"]');
  await expect(modal).toBeVisible();
  await modal.locator('[data-test="report-type-card"]', { hasText: 'Guest list summary' }).click();
  await expect(modal.locator('[data-test="report-params-form"]')).toBeVisible();

  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(jobsApi(SUMMIT.id)) && r.request().method() === 'POST'),
    modal.locator('[data-test="report-submit-cta"]').click(),
  ]);
  expect(response.status()).toBe(201);
  const { job_id: jobId } = (await response.json()) as { job_id: string };

  const row = reportJobRow(page, jobId);
  await expect(row).toBeVisible();
  await expect(row.locator('[data-test="report-job-created-at"]')).toBeVisible();
  // The list refreshes itself until the job is done.
  await expect(reportJobPill(page, jobId)).toHaveText('completed', { timeout: 30_000 });

  const download = row.locator('[data-test="report-job-download-cta"]');
  await expect(download).toBeVisible();
  await expect(download).toHaveAttribute(
    'href',
    new RegExp(`^/v1/admin/events/${SUMMIT.id}/reports/jobs/${jobId}/download\\?expires=\\d+&signature=[0-9a-f]{64}$`),
  );
  const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
  expect(file.suggestedFilename()).toMatch(/^acme-product-summit-2026_guest-list_all_\d{4}-\d{2}-\d{2}\.csv$/);
  const rows = parse(readFileSync((await file.path()) ?? ''), { bom: true }) as string[][];
  expect(rows[0]?.[0]).toBe('Last name');
  expect(rows.length - 1).toBe(SUMMIT.guests);
});

test('a signed-out visitor is sent to sign in, and the report center needs a session', async ({ page }) => {
  await page.goto(reportsPage());
  await page.waitForURL(/\/login/);
  await expect(page.getByLabel('Email')).toBeVisible();
});
