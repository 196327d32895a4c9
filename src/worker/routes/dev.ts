import { Hono } from 'hono';
import { z } from 'zod';
import { serverNow, setDevChunkDelay, setDevClockOffset } from '../clock';
import { emailLinkOrigin } from '../email/origin';
import type { AppEnv } from '../hono';
import { runLifecycle } from '../jobs/lifecycle';
import { downloadPath, signDownloadUrl } from '../signing';
import { jsonBody } from '../validate';

export const clockBody = z.strictObject({
  offset_ms: z
    .number()
    .int()
    .min(0)
    .max(400 * 86_400_000),
  /** A pause before each chunk of every export, so a test can cancel a job that is really running. */
  chunk_delay_ms: z.number().int().min(0).max(10_000).optional(),
});

export const signedLinkBody = z.strictObject({ event_id: z.string(), job_id: z.string(), expires: z.number().int() });

/**
 * Development-only helpers, mounted only when APP_ENV=development (.dev.vars). `wrangler dev`
 * cannot fire crons for a Worker with static assets (/cdn-cgi/handler/scheduled is answered by
 * the asset router, which has no scheduled handler), so the local ticker calls this instead.
 * The clock and signed-link helpers exist for the browser suite's time-dependent probes.
 */
export const devRoutes = new Hono<AppEnv>()
  .post('/cron', async (c) => c.json(await runLifecycle(c.env, c.get('now'))))
  // Move the server's clock ahead (the browser suite's "advance 6 minutes", "31 days later"), and
  // optionally slow every export down.
  .get('/clock', async (c) => c.json({ now: c.get('now') }))
  .put('/clock', async (c) => {
    const { offset_ms, chunk_delay_ms } = await jsonBody(c, clockBody);
    await setDevClockOffset(c.env, offset_ms);
    if (chunk_delay_ms !== undefined) await setDevChunkDelay(c.env, chunk_delay_ms);
    // The clock as it reads from now on, not the instant this request began at.
    return c.json({ now: await serverNow(c.env) });
  })
  // What the dispatcher sent for a job, so the browser suite can report a bounce for a real message,
  // and the origin its links point to (npm start sets it from its port).
  .get('/outbox', async (c) => {
    const { results } = await c.env.DB.prepare(
      'SELECT id, recipient, status, message_id FROM notification_outbox WHERE job_id = ?',
    )
      .bind(c.req.query('job_id') ?? '')
      .all();
    const links = emailLinkOrigin(c.env);
    return c.json({ data: results, email_link_origin: 'origin' in links ? links.origin : '' });
  })
  // A correctly signed link with any expiry, to reach the expired-link page without waiting a week.
  .post('/signed-link', async (c) => {
    const body = await jsonBody(c, signedLinkBody);
    return c.json({
      url: await signDownloadUrl(c.env.REPORT_DOWNLOAD_SIGNING_SECRET, downloadPath(body.event_id, body.job_id), body.expires),
    });
  });
