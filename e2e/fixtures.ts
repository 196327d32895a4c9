import { test as base, expect, type Locator, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'voyage-demo';
export const SUMMIT = { id: 'evacmesummit', guests: 3200 };

/** Every page must stay free of console messages at warn or above; a test fails on the first one. */
export const test = base.extend<{ consoleProblems: string[] }>({
  consoleProblems: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'warning' || msg.type() === 'error') problems.push(`${msg.type()}: ${msg.text()}`);
      });
      page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
      await use(problems);
      expect(problems, 'console messages at warn or above').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** The report center of an event (the summit unless named). */
export const reportsPage = (eventId: string = SUMMIT.id) => `/admin/events/${eventId}/reports`;

/** The report center's row of one job. */
export const reportJobRow = (page: Page, jobId: string) => page.locator(`[data-test="report-job-row"][data-job-id="${jobId}"]`);

/** The status pill on the report center's row of one job. */
export const reportJobPill = (page: Page, jobId: string) =>
  reportJobRow(page, jobId).locator('[data-test="report-job-status-pill"]');

export async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
}

/**
 * Chromium logs every 4xx/5xx document as a console error. A test that opens one of the Voyage
 * state pages on purpose (expired link: 410) drops exactly those lines, and nothing else.
 */
export function allowStatusPages(problems: string[], status: number): void {
  const expected = `Failed to load resource: the server responded with a status of ${status}`;
  for (let i = problems.length - 1; i >= 0; i--) if (problems[i]?.includes(expected)) problems.splice(i, 1);
}

/**
 * Types addresses into a recipients field, then closes the member suggestions that typing opens over
 * the buttons below, as a person does before clicking on. Not a race: the field marks its list open
 * as the value changes and Escape marks it closed, so suggestions that arrive later stay hidden.
 */
export async function typeRecipients(field: Locator, text: string): Promise<void> {
  await field.fill(text);
  await field.press('Escape');
  await expect(field).toHaveAttribute('aria-expanded', 'false');
}
