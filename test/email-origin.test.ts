import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dispatchOutbox } from '../src/worker/email/dispatch';
import type { Env } from '../src/worker/env';
import { runReportJob } from '../src/worker/jobs/runner';
import { insertQueuedJob, seedFixture, USERS } from './helpers';

// Links in emails follow the running app: locally the origin npm start derives from its port; in
// production only an https APP_ORIGIN, or the dispatcher refuses to start (log line and metric).

interface SentEmail {
  to: string;
  text: string;
}

beforeAll(async () => {
  await seedFixture(5);
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** A completed job with one queued "report ready" email, and an env whose EMAIL binding records what it is given. */
async function pendingEmail(vars: Partial<Env>) {
  const job = await insertQueuedJob({ notify_emails: JSON.stringify([USERS.viewer.email]) });
  expect(await runReportJob(env, job.id)).toBe('completed');
  const all: SentEmail[] = [];
  const email = {
    send: async (m: SentEmail) => {
      all.push(m);
      return { messageId: `m-${all.length}-${job.id}` };
    },
  };
  const patched = { ...env, ...vars, EMAIL: email } as unknown as Env;
  // Only this job's email: earlier tests may have left theirs queued.
  const sent = {
    get mine() {
      return all.filter((m) => m.text.includes(job.id));
    },
  };
  const outbox = () =>
    env.DB.prepare('SELECT status, attempts FROM notification_outbox WHERE job_id = ?')
      .bind(job.id)
      .first<{ status: string; attempts: number }>();
  return { job, sent, env: patched, outbox };
}

const refusedCount = () =>
  env.DB.prepare("SELECT COALESCE(SUM(count), 0) AS n FROM metric_events WHERE name = 'email_dispatch_refused'").first<number>(
    'n',
  );

describe('email link origin', () => {
  it('locally, the links point at the origin npm start passes (from its port)', async () => {
    const { sent, env: local } = await pendingEmail({ APP_ENV: 'development', APP_ORIGIN: 'http://localhost:8941' });
    await dispatchOutbox(local, Date.now());
    expect(sent.mine).toHaveLength(1);
    expect(sent.mine[0]?.text).toContain('http://localhost:8941/v1/admin/events/evsummit/reports/jobs/');
    expect(sent.mine[0]?.text).not.toContain('8787');
  });

  it('in production, refuses to start without an https APP_ORIGIN: a readable log line, a metric, nothing sent or given up', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    for (const origin of [
      '',
      'http://localhost:8787',
      'http://reports.example.com',
      'https://reports.example.com/app',
      'not a url',
    ]) {
      const before = (await refusedCount()) ?? 0;
      const { sent, env: production, outbox } = await pendingEmail({ APP_ENV: 'production', APP_ORIGIN: origin });
      const result = await dispatchOutbox(production, Date.now());
      expect(result, origin).toEqual({ refused: expect.stringMatching(/^APP_ORIGIN .*Set APP_ORIGIN in wrangler\.jsonc vars/) });
      expect(sent.mine, origin).toEqual([]);
      expect(await outbox(), origin).toEqual({ status: 'queued', attempts: 0 });
      expect(await refusedCount()).toBe(before + 1);
      const line = JSON.parse(String(errors.mock.calls.at(-1)?.[0])) as { msg: string; reason: string };
      expect(line.msg).toBe('email.dispatcher_refused');
      expect(line.reason).toContain('APP_ORIGIN');
    }
  });

  it('in production, sends with an https APP_ORIGIN, and the links use it', async () => {
    const { sent, env: production } = await pendingEmail({ APP_ENV: 'production', APP_ORIGIN: 'https://reports.example.com' });
    await dispatchOutbox(production, Date.now());
    expect(sent.mine).toHaveLength(1);
    expect(sent.mine[0]?.text).toMatch(
      /https:\/\/reports\.example\.com\/v1\/admin\/events\/evsummit\/reports\/jobs\/[a-z0-9]+\/download\?/,
    );
  });

  it('the metrics endpoint exports the refusals', async () => {
    const res = await (await import('../src/worker/app')).app.request(
      '/v1/admin/metrics',
      { headers: { authorization: 'Bearer test-metrics-token-0123456789abcdef' } },
      env,
    );
    expect(await res.text()).toMatch(/^voyage_reports_email_dispatch_refused_total [1-9]\d*$/m);
  });
});
