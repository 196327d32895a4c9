import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { expect, reportJobPill, reportJobRow, SUMMIT, signIn, test } from './fixtures';

// The orders page and its Export CSV button (the spec packet), against the running app: the file
// has the table's columns and exactly the rows of the filters on screen; a large export runs as a
// report job whose state the page shows until its download link is there.

const GALA = 'evacmegala';
const COLUMNS = ['Order number', 'Placed at', 'Buyer', 'Email', 'Status', 'Tickets', 'Quantity', 'Currency', 'Total', 'Refunded'];
/** The file's header: its times are spreadsheet-ready (the default), so their column names the zone. */
const csvColumns = (zone: string) => COLUMNS.map((c) => (c === 'Placed at' ? `Placed at (${zone})` : c));
const ordersPage = (eventId: string) => `/admin/events/${eventId}/orders`;
const exportApi = (eventId: string) => `/v1/admin/events/${eventId}/orders/export`;

/** The total the pagination states ("1–25 of 2,600 orders · …"). */
async function shownTotal(page: Page): Promise<number> {
  const text = (await page.locator('[data-test="orders-pagination-summary"]').textContent()) ?? '';
  const match = /of ([\d,]+) orders?/.exec(text) ?? /^([\d,]+) orders?/.exec(text);
  return Number((match?.[1] ?? 'NaN').replaceAll(',', ''));
}

async function downloadCsv(download: { path: () => Promise<string | null> }): Promise<string[][]> {
  return parse(readFileSync((await download.path()) ?? ''), { bom: true }) as string[][];
}

test('an organizer filters the orders and the export has exactly the rows and columns on screen', async ({ page }) => {
  await signIn(page, 'organizer@acme.test');
  await page.goto(ordersPage(SUMMIT.id));
  await expect(page.locator('[data-test="orders-h1"]')).toHaveText('Orders');
  await expect(page).toHaveTitle('Orders · Acme Events');
  const table = page.locator('[data-test="orders-table"]');
  await expect(table.locator('thead th')).toHaveText(COLUMNS);
  await expect(page.locator('[data-test="orders-row"]')).toHaveCount(25);
  await expect(page.locator('[data-test="orders-pagination-summary"]')).toContainText('of 2,600 orders');

  await page.locator('[data-test="orders-filter-status"]').selectOption('refunded');
  await page.locator('[data-test="orders-filter-ticket-type"]').selectOption({ label: 'General Admission' });
  // Wait for the list answer to all three filters: an earlier answer (status only) may still be on screen.
  const filtered = page.waitForResponse(
    (r) =>
      r.request().method() === 'GET' &&
      /\/orders\?/.test(r.url()) &&
      r.url().includes('q=gmail') &&
      r.url().includes('ticket_type=ttsummit1'),
  );
  await page.locator('[data-test="orders-filter-search"]').fill('gmail');
  await expect(page).toHaveURL(/status=refunded&ticket_type=ttsummit1&q=gmail/);
  const listed = (await (await filtered).json()) as { total: number };
  await expect.poll(() => shownTotal(page)).toBe(listed.total);
  const total = await shownTotal(page);
  expect(total).toBeGreaterThan(0);
  expect(total).toBeLessThan(2_600);
  const firstOnScreen = await page.locator('[data-test="orders-row"]').first().locator('td').first().textContent();

  const [response, download] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(exportApi(SUMMIT.id)) && r.request().method() === 'POST'),
    page.waitForEvent('download'),
    page.locator('[data-test="orders-export-cta"]').click(),
  ]);
  expect(response.status()).toBe(200);
  expect(response.request().postDataJSON()).toEqual({ status: 'refunded', ticket_type: 'ttsummit1', q: 'gmail' });
  await expect(page.locator('[data-test="orders-export-status"]')).toHaveAttribute('data-state', 'downloaded');
  expect(download.suggestedFilename()).toMatch(/^acme-product-summit-2026_orders_all_\d{4}-\d{2}-\d{2}\.csv$/);

  // Changing the filters afterwards changes the page, not the file already taken.
  await page.locator('[data-test="orders-filter-status"]').selectOption('');
  const rows = await downloadCsv(download);
  expect(rows[0]).toEqual(csvColumns('America/New_York'));
  expect(rows.length - 1).toBe(total);
  expect(rows[1]?.[0]).toBe(firstOnScreen);
  for (const r of rows.slice(1)) {
    expect(r[4]).toBe('refunded');
    expect(r[5]).toContain('General Admission');
    expect(r[3]).toContain('gmail');
    expect(r[1]).toMatch(/^2026-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/); // spreadsheet-ready: wall time in New York
    expect(r[8]).toMatch(/^\d+(\.\d{1,2})?$/);
  }
});

test('a large export runs in the background, shows its state, and hands over its download', async ({ page }) => {
  test.setTimeout(180_000);
  // 10,000 more orders for the gala, in the database of the app under test (1,900 + 10,000 > 10,000).
  const port = process.env.E2E_PORT ?? '8788';
  const seed = spawnSync(
    join('node_modules', '.bin', 'tsx'),
    ['scripts/seed.ts', '--event', GALA, '--orders', '10000', '--persist-to', `.wrangler/e2e-state-${port}`],
    { encoding: 'utf8' },
  );
  expect(seed.status, `${seed.stdout}${seed.stderr}`).toBe(0);

  await signIn(page, 'organizer@acme.test');
  await page.goto(ordersPage(GALA));
  await expect(page.locator('[data-test="orders-pagination-summary"]')).toContainText('of 11,900 orders');

  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(exportApi(GALA)) && r.request().method() === 'POST'),
    page.locator('[data-test="orders-export-cta"]').click(),
  ]);
  expect(response.status()).toBe(202);
  const body = (await response.json()) as { mode: string; rows: number; job: { job_id: string; status: string } };
  expect(body).toMatchObject({ mode: 'job', rows: 11_900, job: { status: 'queued' } });
  const status = page.locator('[data-test="orders-export-status"]');
  await expect(status).toHaveAttribute('data-job-id', body.job.job_id);
  await expect(status).toContainText('runs in the background');
  await expect(status).toHaveAttribute('data-state', 'completed', { timeout: 90_000 });
  await expect(status).toContainText('Your CSV with 11,900 orders is ready.');

  const link = page.locator('[data-test="orders-export-download"]');
  await expect(link).toHaveAttribute(
    'href',
    new RegExp(`^/v1/admin/events/${GALA}/reports/jobs/${body.job.job_id}/download\\?expires=\\d+&signature=[0-9a-f]{64}$`),
  );
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toMatch(/^acme-winter-gala_orders_all_\d{4}-\d{2}-\d{2}\.csv$/);
  const rows = await downloadCsv(download);
  expect(rows[0]).toEqual(csvColumns('Europe/Berlin'));
  expect(rows.length - 1).toBe(11_900);

  // The same job is in the report center.
  await page.locator('[data-test="orders-export-status"]').getByRole('link', { name: 'report center' }).click();
  const row = reportJobRow(page, body.job.job_id);
  await expect(reportJobPill(page, body.job.job_id)).toHaveText('completed');
  await expect(row.locator('[data-test="report-job-type"]')).toContainText('Orders');
});

test('staff without report access see why, and no orders', async ({ page }) => {
  await signIn(page, 'staff@acme.test');
  await page.goto(ordersPage(SUMMIT.id));
  await expect(page.locator('[data-test="orders-no-access"]')).toContainText(
    "You don't have permission to view this event's orders.",
  );
  await expect(page.locator('[data-test="orders-table"]')).toHaveCount(0);
});
