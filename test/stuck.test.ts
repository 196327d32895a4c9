import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { INVITATION_TTL_DAYS } from '../src/worker/db/invitations';
import { runReportJob } from '../src/worker/jobs/runner';
import { overviewResponse } from '../src/worker/metrics/overview-schema';
import { EVENT_ID, insertQueuedJob, jobRow, login, request, requestWith, seedFixture, type UserKey } from './helpers';
import { lintExposition, sampleValue } from './metrics-lint';

// "Taking longer than usual" is one rule (jobs/state.ts isStuck / stuckSql): the job row's pill,
// the Prometheus gauge and the ops dashboard must say the same thing about the same jobs.

const MIN = 60_000;
const ids: Record<string, string> = {};

beforeAll(async () => {
  await seedFixture(10);
  const now = Date.now();
  const put = async (name: string, created_at: number, set: string, ...values: unknown[]) => {
    const job = await insertQueuedJob({ created_at, snapshot_at: created_at });
    if (set)
      await env.DB.prepare(`UPDATE event_report_jobs SET ${set} WHERE id = ?`)
        .bind(...values, job.id)
        .run();
    ids[name] = job.id;
  };
  // Queued six minutes, before the cron has flagged it: stuck by the rule, whoever asks.
  await put('queuedLong', now - 6 * MIN, '');
  // Queued one minute: not yet.
  await put('queuedShort', now - MIN, '');
  // Running, last progress six minutes ago: stalled.
  await put('runningStalled', now - 8 * MIN, "status = 'running', started_at = ?, updated_at = ?", now - 7 * MIN, now - 6 * MIN);
  // Running, progress a moment ago.
  await put('runningFine', now - 8 * MIN, "status = 'running', started_at = ?, updated_at = ?", now - 7 * MIN, now - 10_000);
});

describe('the stuck rule', () => {
  it('is the same for the job rows, the metrics and the ops dashboard', async () => {
    const expected = { queuedLong: true, queuedShort: false, runningStalled: true, runningFine: false };

    const list = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs?limit=100`, { cookie: await login('organizer') });
    const jobs = (await list.json<{ data: { job_id: string; stuck: boolean }[] }>()).data;
    const pill = Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, jobs.find((j) => j.job_id === id)?.stuck]));
    expect(pill).toEqual(expected);

    const scrape = await request('/v1/admin/metrics', { headers: { authorization: `Bearer ${env.METRICS_TOKEN}` } });
    const parsed = lintExposition(await scrape.text());
    expect(sampleValue(parsed, 'voyage_reports_jobs_stuck', { state: 'queued' })).toBe(1);
    expect(sampleValue(parsed, 'voyage_reports_jobs_stuck', { state: 'running' })).toBe(1);

    const overview = overviewResponse.parse(
      await (await request('/v1/admin/ops/overview?range=24h', { cookie: await login('admin') })).json(),
    );
    expect(overview.queue.stuck).toBe(2);
    const dashboard = Object.fromEntries(
      Object.entries(ids).map(([name, id]) => [name, overview.queue.jobs.find((j) => j.job_id === id)?.stuck]),
    );
    expect(dashboard).toEqual(expected);
  });
});

describe('one clock per request', () => {
  const DAY = 24 * 60 * MIN;
  const dev = { ...env, APP_ENV: 'development' as const };
  const call: typeof request = (path, init) => requestWith(dev, path, init);
  /** Signed in at the moved instant: a session of the real one may already have ended there. */
  const signIn = (user: UserKey) => login(user, call);
  const setClock = async (offset_ms: number) =>
    expect((await call('/v1/dev/clock', { method: 'PUT', json: { offset_ms } })).status).toBe(200);
  /** Runs `check` with the development clock moved ahead by `offsetMs` (`moved`: its instant then), and puts it back. */
  const withClockMoved = async (offsetMs: number, check: (moved: number) => Promise<void>) => {
    await setClock(offsetMs);
    try {
      await check(Date.now() + offsetMs);
    } finally {
      await setClock(0);
    }
  };

  it('with the development clock moved, the list and the job itself judge at the same instant', async () => {
    const cookie = await login('organizer');
    const job = await insertQueuedJob({});
    await withClockMoved(6 * MIN, async () => {
      const list = await (await call(`/v1/admin/events/${EVENT_ID}/reports/jobs?limit=100`, { cookie })).json<{
        data: { job_id: string; stuck: boolean }[];
        server_time: number;
      }>();
      const one = await (await call(`/v1/admin/events/${EVENT_ID}/reports/jobs/${job.id}`, { cookie })).json<{
        stuck: boolean;
      }>();
      expect(list.server_time).toBeGreaterThan(Date.now() + 5 * MIN);
      expect(list.data.find((j) => j.job_id === job.id)?.stuck).toBe(true);
      expect(one.stuck).toBe(true);
    });
  });

  it("with it moved past a session's life, invitations and API tokens are dated, listed and used at the same instant", async () => {
    await withClockMoved(20 * DAY, async (moved) => {
      const cookie = await signIn('admin');

      const invited = await call('/v1/admin/workspaces/wacme/invitations', {
        method: 'POST',
        cookie,
        json: { email: 'later@acme.test', role: 'viewer' },
      });
      expect(invited.status).toBe(201);
      const invitation = await invited.json<{ id: string; expires_at: number }>();
      expect(invitation.expires_at).toBeGreaterThanOrEqual(moved + INVITATION_TTL_DAYS * DAY);
      const members = await (await call('/v1/admin/workspaces/wacme/members', { cookie })).json<{
        invitations: { id: string }[];
      }>();
      expect(members.invitations.map((i) => i.id)).toContain(invitation.id);

      const made = await call('/v1/admin/workspaces/wacme/api-tokens', {
        method: 'POST',
        cookie,
        json: { name: 'Later', role: 'viewer' },
      });
      expect(made.status).toBe(201);
      const { token, api_token } = await made.json<{ token: string; api_token: { id: string; created_at: number } }>();
      expect(api_token.created_at).toBeGreaterThanOrEqual(moved);
      expect((await call('/v1/api/token', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      const tokens = await (await call('/v1/admin/workspaces/wacme/api-tokens', { cookie })).json<{
        data: { id: string; last_used_at: number | null }[];
      }>();
      expect(tokens.data.find((t) => t.id === api_token.id)?.last_used_at).toBeGreaterThanOrEqual(moved - MIN);
      const revoked = await call(`/v1/admin/workspaces/wacme/api-tokens/${api_token.id}/revoke`, { method: 'POST', cookie });
      expect((await revoked.json<{ revoked_at: number }>()).revoked_at).toBeGreaterThanOrEqual(moved);
    });
  });

  it('a job run while it is moved is dated by it: its file is downloadable, not expired at birth', async () => {
    await withClockMoved(31 * DAY, async (moved) => {
      const job = await insertQueuedJob({ created_at: moved, snapshot_at: moved });
      expect(await runReportJob(dev, job.id)).toBe('completed');
      expect((await jobRow(job.id))?.finished_at).toBeGreaterThanOrEqual(moved);
      const shown = await call(`/v1/admin/events/${EVENT_ID}/reports/jobs/${job.id}`, { cookie: await signIn('organizer') });
      expect(await shown.json()).toMatchObject({ status: 'completed', download_url: expect.stringContaining('/download?') });
    });
  });
});
