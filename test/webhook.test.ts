import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatchOutbox } from '../src/worker/email/dispatch';
import { runLifecycle } from '../src/worker/jobs/lifecycle';
import { runReportJob } from '../src/worker/jobs/runner';
import { insertQueuedJob, request, seedFixture, signedWebhookHeaders, USERS, webhookHmac } from './helpers';

// The bounce webhook: the timestamp is signed with the body (5 minutes either way), a delivery
// is applied once, and a bounce only ever touches the message's own recipient.

interface OutboxRow {
  id: string;
  recipient: string;
  status: string;
  message_id: string;
  bounced_at: number | null;
}

beforeAll(async () => {
  await seedFixture(5);
});

/** A sent "report ready" email to each recipient, as the outbox has it. */
async function sentEmails(recipients: string[]): Promise<OutboxRow[]> {
  const job = await insertQueuedJob({ notify_emails: JSON.stringify(recipients) });
  expect(await runReportJob(env, job.id)).toBe('completed');
  await dispatchOutbox(env, Date.now());
  const { results } = await env.DB.prepare('SELECT * FROM notification_outbox WHERE job_id = ? ORDER BY recipient')
    .bind(job.id)
    .all<OutboxRow>();
  expect(results.every((r) => r.status === 'sent')).toBe(true);
  return results;
}

const row = (id: string) => env.DB.prepare('SELECT * FROM notification_outbox WHERE id = ?').bind(id).first<OutboxRow>();
const bounce = (email: OutboxRow, recipient = email.recipient) =>
  JSON.stringify({ message_id: email.message_id, event: 'bounced', recipient, reason: 'mailbox full' });
const post = (body: string, headers: Record<string, string>) =>
  request('/v1/webhooks/email-events', { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

describe('the email webhook', () => {
  it('refuses a body signed without its timestamp, a timestamp more than 5 minutes away, or an altered one', async () => {
    const [email] = await sentEmails([USERS.viewer.email]);
    if (!email) throw new Error('no email');
    const body = bounce(email);
    const now = Date.now();
    const refused: [string, Record<string, string>, string][] = [
      ['the old scheme (body only)', { 'x-voyage-signature': `sha256=${await webhookHmac(body)}` }, 'bad_signature'],
      ['six minutes old', await signedWebhookHeaders(body, now - 6 * 60_000), 'stale_timestamp'],
      ['six minutes ahead', await signedWebhookHeaders(body, now + 6 * 60_000), 'stale_timestamp'],
      [
        'a fresh timestamp on an old signature',
        { ...(await signedWebhookHeaders(body, now - 6 * 60_000)), 'x-voyage-timestamp': String(Math.floor(now / 1000)) },
        'bad_signature',
      ],
    ];
    for (const [what, headers, code] of refused) {
      const res = await post(body, headers);
      expect(res.status, what).toBe(401);
      expect((await res.json<{ error: { code: string } }>()).error.code, what).toBe(code);
    }
    expect((await row(email.id))?.status).toBe('sent');
    const recent = await post(body, await signedWebhookHeaders(body, now - 4 * 60_000));
    expect(recent.status).toBe(200);
    expect(await recent.json()).toEqual({ ok: true, applied: true });
    expect((await row(email.id))?.status).toBe('bounced');
  });

  it('applies a delivery once: the same signed request again is answered, not applied', async () => {
    const [email] = await sentEmails([USERS.organizer2.email]);
    if (!email) throw new Error('no email');
    const body = bounce(email);
    const headers = await signedWebhookHeaders(body);
    expect(await (await post(body, headers)).json()).toEqual({ ok: true, applied: true });
    const first = await row(email.id);
    await env.DB.prepare("UPDATE notification_outbox SET status = 'sent', bounced_at = NULL WHERE id = ?").bind(email.id).run();
    const replayed = await post(body, headers);
    expect(replayed.status).toBe(200);
    expect(await replayed.json()).toEqual({ ok: true, applied: false, duplicate: true });
    expect((await row(email.id))?.status).toBe('sent');
    expect(first?.bounced_at).not.toBeNull();
  });

  it("applies a bounce only to the message's own recipient", async () => {
    const [admin, viewer] = await sentEmails([USERS.admin.email, USERS.viewer.email]);
    if (!admin || !viewer) throw new Error('no email');
    // The admin's message id, naming the viewer: nothing changes for either.
    const crossed = bounce(admin, USERS.viewer.email);
    const res = await post(crossed, await signedWebhookHeaders(crossed));
    expect(await res.json()).toEqual({ ok: true, applied: false });
    expect((await row(admin.id))?.status).toBe('sent');
    expect((await row(viewer.id))?.status).toBe('sent');
    // Its own recipient, in any letter case: applied.
    const own = bounce(admin, USERS.admin.email.toUpperCase());
    expect(await (await post(own, await signedWebhookHeaders(own))).json()).toEqual({ ok: true, applied: true });
    expect((await row(admin.id))?.status).toBe('bounced');
  });

  it('the cron forgets deliveries once their timestamps could no longer pass', async () => {
    await env.DB.prepare("INSERT INTO webhook_deliveries (signature, received_at) VALUES ('old', ?), ('new', ?)")
      .bind(Date.now() - 11 * 60_000, Date.now())
      .run();
    const results = await runLifecycle(env, Date.now());
    expect(results.webhook_deliveries).toBeGreaterThanOrEqual(1);
    const left = await env.DB.prepare("SELECT signature FROM webhook_deliveries WHERE signature IN ('old', 'new')").all();
    expect(left.results).toEqual([{ signature: 'new' }]);
  });
});
