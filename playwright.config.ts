import { defineConfig } from '@playwright/test';
import { chromiumPath } from './scripts/ensure-chromium';

// The browser suite runs against the app started the way the README starts it, on its own port
// with its own fresh database, in Debian's Chromium.
const PORT = Number(process.env.E2E_PORT ?? 8788);

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://localhost:${PORT}`,
    acceptDownloads: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: 'npx tsx scripts/start.ts',
    env: {
      PORT: String(PORT),
      PERSIST_DIR: `.wrangler/e2e-state-${PORT}`,
      RESET_STATE: '1',
      SKIP_BUILD: '1',
      // The shipped ceilings, plus a small one for the activity log (no other spec runs that type), so
      // a demo event's activity log is "too large" and the form's warning can be seen for real.
      EXTRA_VARS: JSON.stringify({
        REPORT_MAX_ARTIFACT_BYTES_BY_TYPE: JSON.stringify({ orders: 104_857_600, 'activity-log': 200_000 }),
      }),
    },
    url: `http://localhost:${PORT}/v1/me`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
