import { z } from 'zod';
import { serverNow, setDevChunkDelay, setDevClockOffset } from '../clock';
import { allRows } from '../db/sql';
import { emailLinkOrigin } from '../email/origin';
import { runLifecycle } from '../jobs/lifecycle';
import { jobExample } from '../openapi/examples';
import { defineRoute, json, jsonRequest, Routes } from '../openapi/route';
import * as S from '../openapi/schemas';
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

/** Documented only: the handler reads `job_id` as it comes (an absent one lists nothing). */
const outboxQuery = z.object({ job_id: z.string().describe('The job whose notifications to list.') });

/**
 * Development-only helpers, mounted only when APP_ENV=development (.dev.vars). `wrangler dev`
 * cannot fire crons for a Worker with static assets (/cdn-cgi/handler/scheduled is answered by
 * the asset router, which has no scheduled handler), so the local ticker calls this instead.
 * The clock and signed-link helpers exist for the browser suite's time-dependent probes.
 */
export const devRoutes = new Routes()
  .handle(
    defineRoute({
      method: 'post',
      path: '/cron',
      tags: ['Development'],
      summary: 'Run the lifecycle now (the local cron tick)',
      auth: 'public',
      developmentOnly: true,
      responses: {
        200: json(S.lifecycleResponse, { stuck_queue: { flagged: 0, failed: 0, retried: 0 }, sweeper: { swept: 0 } }),
      },
    }),
    async (c) => c.json(await runLifecycle(c.env, c.get('now'))),
  )
  // Move the server's clock ahead (the browser suite's "advance 6 minutes", "31 days later"), and
  // optionally slow every export down.
  .handle(
    defineRoute({
      method: 'get',
      path: '/clock',
      tags: ['Development'],
      summary: 'The server’s (movable) clock',
      auth: 'public',
      developmentOnly: true,
      responses: { 200: json(S.clockResponse, { now: jobExample.created_at }) },
    }),
    async (c) => c.json({ now: c.get('now') }),
  )
  .handle(
    defineRoute({
      method: 'put',
      path: '/clock',
      tags: ['Development'],
      summary: 'Move the server’s clock ahead',
      auth: 'public',
      developmentOnly: true,
      request: { body: jsonRequest(clockBody, { offset_ms: 360_000 }) },
      errors: [400],
      responses: { 200: json(S.clockResponse, { now: jobExample.created_at + 360_000 }) },
    }),
    async (c) => {
      const { offset_ms, chunk_delay_ms } = await jsonBody(c, clockBody);
      await setDevClockOffset(c.env, offset_ms);
      if (chunk_delay_ms !== undefined) await setDevChunkDelay(c.env, chunk_delay_ms);
      // The clock as it reads from now on, not the instant this request began at.
      return c.json({ now: await serverNow(c.env) });
    },
  )
  // What the dispatcher sent for a job, so the browser suite can report a bounce for a real message,
  // and the origin its links point to (npm start sets it from its port).
  .handle(
    defineRoute({
      method: 'get',
      path: '/outbox',
      tags: ['Development'],
      summary: 'What the email dispatcher did for a job',
      description: 'For the browser suite: report a bounce for a message that was really sent.',
      auth: 'public',
      developmentOnly: true,
      request: { query: outboxQuery },
      responses: {
        200: json(S.devOutbox, {
          data: [{ id: 'ob1', recipient: 'organizer@acme.test', status: 'sent', message_id: 'msg-123' }],
          email_link_origin: 'http://localhost:8787',
        }),
      },
    }),
    async (c) => {
      const results = await allRows(
        c.env.DB,
        'SELECT id, recipient, status, message_id FROM notification_outbox WHERE job_id = ?',
        c.req.query('job_id') ?? '',
      );
      const links = emailLinkOrigin(c.env);
      return c.json({ data: results, email_link_origin: 'origin' in links ? links.origin : '' });
    },
  )
  // A correctly signed link with any expiry, to reach the expired-link page without waiting a week.
  .handle(
    defineRoute({
      method: 'post',
      path: '/signed-link',
      tags: ['Development'],
      summary: 'A correctly signed download link with any expiry',
      auth: 'public',
      developmentOnly: true,
      request: {
        body: jsonRequest(signedLinkBody, { event_id: 'evacmesummit', job_id: jobExample.job_id, expires: 1_767_225_600 }),
      },
      errors: [400],
      responses: { 200: json(S.signedLinkResponse, { url: jobExample.download_url }) },
    }),
    async (c) => {
      const body = await jsonBody(c, signedLinkBody);
      return c.json({
        url: await signDownloadUrl(c.env.REPORT_DOWNLOAD_SIGNING_SECRET, downloadPath(body.event_id, body.job_id), body.expires),
      });
    },
  );
