import { z } from 'zod';
import { markNotificationBounced } from '../db/outbox';
import { recordWebhookDelivery, WEBHOOK_TOLERANCE_MS } from '../db/webhook-deliveries';
import { ApiError } from '../errors';
import { log } from '../log';
import { defineRoute, json, jsonRequest, Routes } from '../openapi/route';
import * as S from '../openapi/schemas';
import { importHmacKey, unhex } from '../signing';
import { parseWith } from '../validate';

export const emailEvent = z.object({
  message_id: z.string().min(1).max(256),
  event: z.enum(['delivered', 'bounced', 'complained', 'opened']),
  recipient: z.email().max(254),
  reason: z.string().max(1000).default(''),
});

const encoder = new TextEncoder();

/**
 * `x-voyage-timestamp: <unix seconds>` and `x-voyage-signature: sha256=<hex HMAC-SHA256 of
 * "<timestamp>.<raw body>">` keyed by EMAIL_WEBHOOK_SECRET: the timestamp is signed with the body,
 * so a captured delivery cannot be sent again later with a fresh one.
 */
async function verifyWebhook(secret: string, timestamp: string, body: string, signature: Uint8Array | null): Promise<boolean> {
  if (!signature || !secret) return false;
  return crypto.subtle.verify('HMAC', await importHmacKey(secret), signature, encoder.encode(`${timestamp}.${body}`));
}

/** The email provider tells us what happened to a message we sent (EF-089). */
export const webhookRoutes = new Routes().handle(
  defineRoute({
    method: 'post',
    path: '/email-events',
    tags: ['Webhooks'],
    summary: 'Email provider events (bounces, complaints)',
    description:
      'Signed: `x-voyage-timestamp: <unix seconds>` and `x-voyage-signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">` keyed by EMAIL_WEBHOOK_SECRET. A timestamp more than 5 minutes from now is refused (401 `stale_timestamp`); the same delivery again is answered with `duplicate: true` and not applied. A bounce is applied only when `recipient` is the message’s own.',
    auth: 'webhook',
    // Validated after the signature, from the raw body the signature covers (below).
    request: {
      body: jsonRequest(emailEvent, {
        message_id: 'msg-123',
        event: 'bounced',
        recipient: 'organizer@acme.test',
        reason: 'mailbox full',
      }),
    },
    errors: [400, 401, 413],
    responses: { 200: json(S.webhookResponse, { ok: true, applied: true }) },
  }),
  async (c) => {
    const raw = await c.req.text();
    if (raw.length > 64 * 1024) throw new ApiError(413, 'too_large', 'Payload too large.');
    const timestamp = c.req.header('x-voyage-timestamp') ?? '';
    const signatureHex = /^sha256=(.*)$/.exec(c.req.header('x-voyage-signature') ?? '')?.[1] ?? '';
    if (!(await verifyWebhook(c.env.EMAIL_WEBHOOK_SECRET, timestamp, raw, unhex(signatureHex)))) {
      log('warn', 'webhook.bad_signature', {});
      throw new ApiError(401, 'bad_signature', 'The webhook signature does not match.');
    }
    const now = c.get('now');
    const sentAt = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) * 1000 : Number.NaN;
    if (!(Math.abs(now - sentAt) <= WEBHOOK_TOLERANCE_MS)) {
      log('warn', 'webhook.stale', { timestamp });
      throw new ApiError(
        401,
        'stale_timestamp',
        'The webhook timestamp is more than 5 minutes from now; sign it again when sending.',
      );
    }
    // Inside the window, the same signature is the same delivery: answered, not applied twice.
    if (!(await recordWebhookDelivery(c.env.DB, signatureHex, now))) {
      log('info', 'webhook.replayed', {});
      return c.json({ ok: true, applied: false, duplicate: true });
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new ApiError(400, 'invalid_json', 'The request body must be JSON.');
    }
    const event = parseWith(emailEvent, json);
    if (event.event !== 'bounced' && event.event !== 'complained') return c.json({ ok: true, applied: false });
    // Only the message's own recipient: a bounce naming someone else changes nothing.
    const row = await markNotificationBounced(c.env.DB, {
      messageId: event.message_id,
      recipient: event.recipient,
      reason: `${event.event}: ${event.reason}`.trim(),
      now,
    });
    log('info', 'email.bounced', { message_id: event.message_id, job_id: row?.job_id ?? null, known: row !== null });
    return c.json({ ok: true, applied: row !== null });
  },
);
