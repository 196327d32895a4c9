import path from 'node:path';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

// Worker tests run inside workerd with the real D1, R2 and queue bindings from wrangler.jsonc.
export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, 'migrations'));
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './wrangler.jsonc' },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            APP_ENV: 'test',
            REPORT_DOWNLOAD_SIGNING_SECRET: 'test-signing-secret-0123456789abcdef',
            EMAIL_WEBHOOK_SECRET: 'test-email-webhook-secret',
            // npm run soak raises it to 200.
            SOAK_JOBS: process.env.SOAK_JOBS ?? '30',
            METRICS_TOKEN: 'test-metrics-token-0123456789abcdef',
          },
        },
      }),
    ],
    test: {
      include: ['test/**/*.test.ts'],
      setupFiles: ['./test/setup.ts'],
      // The Worker logs a JSON line per job transition; show it only for failing tests.
      silent: 'passed-only' as const,
      testTimeout: 60_000,
    },
  };
});
