import { Hono } from 'hono';
import { z } from 'zod';
import { markNotificationBounced } from '../db/outbox';
import { ApiError } from '../errors';
import type { AppEnv } from '../hono';
import { log } from '../log';
import { importHmacKey, unhex } from '../signing';
import { parseWith } from '../validate';

export const emailEvent = z.object({
  message_id: z.string().min(1).max(256),
  event: z.enum(['delivered', 'bounced', 'complained', 'opened']),
  recipient: z.email().max(254),
  reason: z.string().max(1000).default(''),
});

const encoder = new TextEncoder();

/** `x-voyage-signature: sha256=<hex HMAC-SHA256 of the raw body>` keyed by EMAIL_WEBHOOK_SECRET. */
async function verifyWebhook(secret: string, body: string, header: string | undefined): Promise<boolean> {
  const given = unhex(/^sha256=(.*)$/.exec(header ?? '')?.[1] ?? '');
  if (!given || !secret) return false;
  return crypto.subtle.verify('HMAC', await importHmacKey(secret), given, encoder.encode(body));
}

/** The email provider tells us what happened to a message we sent (EF-089). */
export const webhookRoutes = new Hono<AppEnv>().post('/email-events', async (c) => {
  const raw = await c.req.text();
  if (raw.length > 64 * 1024) throw new ApiError(413, 'too_large', 'Payload too large.');
  if (!(await verifyWebhook(c.env.EMAIL_WEBHOOK_SECRET, raw, c.req.header('x-voyage-signature')))) {
    log('warn', 'webhook.bad_signature', {});
    throw new ApiError(401, 'bad_signature', 'The webhook signature does not match.');
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ApiError(400, 'invalid_json', 'The request body must be JSON.');
  }
  const event = parseWith(emailEvent, json);
  if (event.event !== 'bounced' && event.event !== 'complained') return c.json({ ok: true, applied: false });
  const row = await markNotificationBounced(c.env.DB, event.message_id, `${event.event}: ${event.reason}`.trim(), c.get('now'));
  log('info', 'email.bounced', { message_id: event.message_id, job_id: row?.job_id ?? null, known: row !== null });
  return c.json({ ok: true, applied: row !== null });
});
