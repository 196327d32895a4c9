import { Hono } from 'hono';
import type { AppEnv } from '../hono';
import { runLifecycle } from '../jobs/lifecycle';

/**
 * Development-only helpers, mounted only when APP_ENV=development (.dev.vars). `wrangler dev`
 * cannot fire crons for a Worker with static assets (/cdn-cgi/handler/scheduled is answered by
 * the asset router, which has no scheduled handler), so the local ticker calls this instead.
 */
export const devRoutes = new Hono<AppEnv>().post('/cron', async (c) => {
  await runLifecycle(c.env, Date.now());
  return c.json({ ok: true });
});
