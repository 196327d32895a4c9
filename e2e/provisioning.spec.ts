import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, request as apiRequest, type Page } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { jobsApi } from './api';
import { expect, reportJobPill, reportJobRow, test } from './fixtures';

// The README's deploy guide, from the first operator command to an organizer downloading a report
// of data the platform pushed, done locally against the app the suite started: the real
// `npm run admin` (wrangler d1 execute into the suite's database), the invitation pages in
// Chromium, a token made in the settings page, the ingest API, the report center, the download.

const PORT = Number(process.env.E2E_PORT ?? 8788);
const ORIGIN = `http://localhost:${PORT}`;
const root = join(import.meta.dirname, '..');

/** `npm run admin -- <args> --json` against the suite's own database (playwright.config.ts). */
function admin(...args: string[]): Record<string, unknown> {
  const out = execFileSync('npx', ['tsx', 'scripts/admin.ts', ...args, '--origin', ORIGIN, '--json'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PERSIST_DIR: `.wrangler/e2e-state-${PORT}` },
  });
  return JSON.parse(out) as Record<string, unknown>;
}

async function expectAccessible(page: Page): Promise<void> {
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
}

test('an operator provisions a workspace; the platform pushes an event; an organizer downloads its guest list', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  // 1. The operator: a workspace and its first admin.
  const workspace = admin('workspace', 'create', 'Northwind Events');
  const workspaceId = String(workspace.id);
  const adminInvite = admin('invite', 'avery@northwind.test', '--workspace', 'Northwind Events', '--role', 'admin');
  expect(String(adminInvite.url)).toMatch(new RegExp(`^${ORIGIN}/invitation#token=[0-9a-f]{64}$`));

  // 2. The admin opens the link, chooses a password, and lands signed in.
  await page.goto(String(adminInvite.url));
  await expect(page.locator('[data-test="invitation-offer"]')).toContainText('Northwind Events as an admin');
  expect(new URL(page.url()).hash).toBe(''); // the secret is taken out of the address at once
  await expectAccessible(page);
  await page.locator('[data-test="invitation-name"]').fill('Avery Admin');
  await page.locator('[data-test="invitation-password"]').fill('northwind-admin-pw');
  await page.locator('[data-test="invitation-password-confirm"]').fill('northwind-admin-pw');
  await page.locator('[data-test="invitation-accept"]').click();
  await page.waitForURL((url) => url.pathname === '/' || url.pathname === '/admin/events');
  await expect(page.locator('[data-test="shell-user"]')).toContainText('avery@northwind.test');

  // 3. In Settings, the admin makes an API token for the platform: shown once.
  await page.locator('[data-test="nav-settings"]').click();
  await expect(page.locator('[data-test="settings-page"]')).toContainText('Northwind Events settings');
  await page.locator('[data-test="api-token-name"]').fill('Voyage platform sync');
  await page.locator('[data-test="api-token-create"]').click();
  const secret = page.locator('[data-test="api-token-secret"]');
  await expect(secret).toHaveValue(/^vrt_[0-9a-z]{26}_[0-9a-f]{64}$/);
  const token = await secret.inputValue();
  await expectAccessible(page);
  await page.locator('[data-test="api-token-done"]').click();
  await expect(page.locator('[data-test="api-token-row"]')).toHaveCount(1);
  await expect(page.locator('[data-test="api-token-row"]')).not.toContainText(token.slice(-64));

  // 4. The platform pushes an event and its guests.
  const platform: APIRequestContext = await apiRequest.newContext({
    baseURL: ORIGIN,
    extraHTTPHeaders: { authorization: `Bearer ${token}` },
  });
  const eventId = 'evnorthwindexpo';
  const pushedEvent = await platform.put('/v1/api/events', {
    data: {
      data: [
        {
          id: eventId,
          name: 'Northwind Expo',
          slug: 'northwind-expo',
          time_zone: 'Europe/Berlin',
          starts_at: Date.UTC(2026, 9, 1, 8),
          ends_at: Date.UTC(2026, 9, 1, 18),
        },
      ],
    },
  });
  expect(await pushedEvent.json()).toEqual({ table: 'events', received: 1, written: 1, unchanged: 0 });
  const names = ['Ada Lovelace', 'Grace Hopper', 'مرحبا العربية', '🎉 Party Emoji'];
  const pushedGuests = await platform.put(`/v1/api/events/${eventId}/guests`, {
    data: {
      data: names.map((full, i) => ({
        id: `nw-${i}`,
        first_name: full.split(' ')[0],
        last_name: full.split(' ').slice(1).join(' '),
        email: `guest${i}@northwind.test`,
        ticket_type: 'General',
        rsvp_status: 'attending',
        registered_at: Date.UTC(2026, 5, 1 + i),
      })),
    },
  });
  expect(await pushedGuests.json()).toMatchObject({ written: names.length });
  // The settings page shows the token was used.
  await page.reload();
  await expect(page.locator('[data-test="api-token-last-used"]')).not.toHaveText('Never');
  // Inviting from Settings queues an email (its link is not shown to the admin).
  await page.locator('[data-test="invite-email"]').fill('vera@northwind.test');
  await page.locator('[data-test="invite-role"]').selectOption('viewer');
  await page.locator('[data-test="invite-submit"]').click();
  await expect(page.locator('[data-test="invite-notice"]')).toHaveText('Invitation sent to vera@northwind.test.');
  await expect(page.locator('[data-test="invitation-row"][data-email="vera@northwind.test"]')).toBeVisible();
  await expectAccessible(page);

  // 5. An organizer is invited (the operator command again; the settings page sends the same by email).
  const organizerInvite = admin('invite', 'olivia@northwind.test', '--workspace', workspaceId, '--role', 'organizer');
  const organizer = await browser.newContext();
  const organizerPage = await organizer.newPage();
  await organizerPage.goto(String(organizerInvite.url));
  await organizerPage.locator('[data-test="invitation-name"]').fill('Olivia Organizer');
  await organizerPage.locator('[data-test="invitation-password"]').fill('organizer-password');
  await organizerPage.locator('[data-test="invitation-password-confirm"]').fill('organizer-password');
  await organizerPage.locator('[data-test="invitation-accept"]').click();

  // 6. The organizer opens the pushed event, asks for the guest list and downloads it.
  await organizerPage.locator('[data-test="event-link"]', { hasText: 'Northwind Expo' }).click();
  await organizerPage.locator('[data-test="generate-report-cta"]').click();
  const modal = organizerPage.locator('[data-test="generate-report-modal"]');
  await modal.locator('[data-test="report-type-card"]', { hasText: 'Guest list summary' }).click();
  const [created] = await Promise.all([
    organizerPage.waitForResponse((r) => r.url().endsWith(jobsApi(eventId)) && r.request().method() === 'POST'),
    modal.locator('[data-test="report-submit-cta"]').click(),
  ]);
  const { job_id: jobId } = (await created.json()) as { job_id: string };
  const row = reportJobRow(organizerPage, jobId);
  await expect(reportJobPill(organizerPage, jobId)).toHaveText('completed', { timeout: 60_000 });
  const [file] = await Promise.all([
    organizerPage.waitForEvent('download'),
    row.locator('[data-test="report-job-download-cta"]').click(),
  ]);
  expect(file.suggestedFilename()).toMatch(/^northwind-expo_guest-list_/);
  const rows = parse(readFileSync((await file.path()) ?? ''), { bom: true, columns: true }) as Record<string, string>[];
  expect(rows.map((r) => `${r['First name']} ${r['Last name']}`).sort()).toEqual([...names].sort());

  // 7. The platform does the same with its token: create, poll, download.
  const viaToken = await platform.post(`/v1/api/events/${eventId}/reports/jobs`, {
    data: { type: 'guest-list', params: { format: 'csv' } },
  });
  expect(viaToken.status()).toBe(201);
  const tokenJob = (await viaToken.json()) as { job_id: string };
  let polled: { status: string; download_url: string | null } = { status: 'queued', download_url: null };
  await expect
    .poll(
      async () => {
        polled = (await (
          await platform.get(`/v1/api/events/${eventId}/reports/jobs/${tokenJob.job_id}`)
        ).json()) as typeof polled;
        return polled.status;
      },
      { timeout: 60_000 },
    )
    .toBe('completed');
  const tokenFile = await platform.get(String(polled.download_url));
  expect(tokenFile.status()).toBe(200);
  expect((parse(await tokenFile.body(), { bom: true, columns: true }) as unknown[]).length).toBe(names.length);

  // The admin's link is used up: opening it again says so.
  await organizerPage.goto(String(adminInvite.url));
  await expect(organizerPage.locator('[data-test="invitation-error"]')).toHaveText(
    'This invitation was already accepted. Sign in instead.',
  );

  // The operator's listing shows the two members.
  const members = admin('member', 'list', workspaceId) as { members: { email: string; role: string }[] };
  expect(members.members.map((m) => `${m.email} ${m.role}`)).toEqual([
    'avery@northwind.test admin',
    'olivia@northwind.test organizer',
  ]);
  await platform.dispose();
  await organizer.close();
});
