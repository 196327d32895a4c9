import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { JobRow } from '../src/worker/db/jobs';
import { countEvent } from '../src/worker/db/metrics';
import { runLifecycle } from '../src/worker/jobs/lifecycle';
import { DURATION_BUCKETS_SECONDS } from '../src/worker/metrics/names';
import { overviewResponse } from '../src/worker/metrics/overview-schema';
import { downloadPath, signDownloadUrl } from '../src/worker/signing';
import { createJob, EVENT_ID, insertQueuedJob, login, PASSWORD, request, seedFixture, USERS, waitForStatus } from './helpers';
import { fixtureExposition } from './metrics-fixture';
import { type LintResult, lintExposition, sampleValue } from './metrics-lint';

const TOKEN = env.METRICS_TOKEN ?? '';
const NOW = Date.now();
const MIN = 60_000;

async function scrape(): Promise<{ res: Response; text: string; parsed: LintResult }> {
  const res = await request('/v1/admin/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
  const text = await res.text();
  return { res, text, parsed: lintExposition(text) };
}

/** A job row in exactly the state a test needs, written straight to D1. */
async function putJob(fields: Partial<JobRow> & { created_at: number }): Promise<JobRow> {
  const { created_at, retry_of = null, rerun_of = null, type = 'guest-list', ...set } = fields;
  const job = await insertQueuedJob({ created_at, snapshot_at: created_at, retry_of, rerun_of, type });
  const keys = Object.keys(set) as (keyof typeof set)[];
  if (keys.length === 0) return job;
  const row = await env.DB.prepare(
    `UPDATE event_report_jobs SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ? RETURNING *`,
  )
    .bind(...keys.map((k) => set[k] ?? null), job.id)
    .first<JobRow>();
  if (!row) throw new Error('update failed');
  return row;
}

async function putOutbox(row: { job_id: string | null; kind: string; status: string; sent_at?: number; bounced_at?: number }) {
  await env.DB.prepare(
    `INSERT INTO notification_outbox (id, job_id, kind, recipient, payload, status, next_attempt_at, created_at, updated_at, sent_at, bounced_at)
     VALUES (?, ?, ?, 'someone@example.test', '{}', ?, ?, ?, ?, ?, ?)`,
  )
    .bind(
      `ob${crypto.randomUUID().replaceAll('-', '')}`,
      row.job_id,
      row.kind,
      row.status,
      NOW,
      NOW - 10 * MIN,
      NOW - 5 * MIN,
      row.sent_at ?? null,
      row.bounced_at ?? null,
    )
    .run();
}

async function putArtifact(jobId: string, sizeBytes: number, sweptAt: number | null) {
  await env.DB.prepare(
    `INSERT INTO event_report_job_artifacts (id, job_id, r2_key, size_bytes, content_type, file_name, row_count, created_at, expires_at, swept_at)
     VALUES (?, ?, ?, ?, 'text/csv', 'f.csv', 1, ?, ?, ?)`,
  )
    .bind(`a${jobId}`, jobId, `reports/x/${jobId}/f.csv`, sizeBytes, NOW - 60 * MIN, NOW + 86_400_000, sweptAt)
    .run();
}

/** A job asked for `minutesAgo`, that waited `waitSeconds` in the queue and then ran `runSeconds`. */
function ran(minutesAgo: number, waitSeconds: number, runSeconds: number) {
  const created_at = NOW - minutesAgo * MIN;
  const started_at = created_at + waitSeconds * 1000;
  return { created_at, started_at, finished_at: started_at + runSeconds * 1000 };
}

const seeded: Record<string, JobRow> = {};

beforeAll(async () => {
  await seedFixture(20);
  const s = 1000;
  seeded.completed = await putJob({ ...ran(10, 3, 17), status: 'completed', rows_done: 100, bytes_written: 5000 });
  seeded.expired = await putJob({ ...ran(120, 0.5, 69.5), status: 'expired', rows_done: 50, bytes_written: 2000 });
  seeded.tooLarge = await putJob({
    ...ran(30, 2, 398),
    status: 'failed',
    failure_code: 'dataset_too_large',
    failure_reason: 'Dataset exceeded 50MB. Try a narrower date range or generate per-month reports.',
    rows_done: 10,
    bytes_written: 99,
  });
  seeded.stuck = await putJob({
    created_at: NOW - 40 * MIN,
    status: 'failed',
    failure_code: 'stuck_in_queue',
    failure_reason: 'The report did not start within 15 minutes. We queued it again automatically.',
    stuck_flagged_at: NOW - 35 * MIN,
    finished_at: NOW - 25 * MIN,
  });
  seeded.autoRetry = await putJob({
    ...ran(25, 1, 9),
    retry_of: seeded.stuck.id,
    status: 'completed',
    rows_done: 100,
    bytes_written: 5000,
  });
  seeded.interrupted = await putJob({
    ...ran(50, 1, 899),
    status: 'failed',
    failure_code: 'interrupted',
    failure_reason: 'The report was interrupted — please retry.',
  });
  seeded.manualRetry = await putJob({ created_at: NOW - 2 * MIN, retry_of: seeded.tooLarge.id });
  seeded.running = await putJob({ created_at: NOW - MIN, status: 'running', started_at: NOW - MIN + s, updated_at: NOW });
  seeded.cancelled = await putJob({ created_at: NOW - 5 * MIN, status: 'cancelled', finished_at: NOW - 4 * MIN });
  seeded.rerun = await putJob({ created_at: NOW - 30 * s, type: 'orders', format: 'csv', rerun_of: seeded.completed.id });

  await putArtifact(seeded.completed.id, 5000, null);
  await putArtifact(seeded.expired.id, 2000, NOW - 3 * MIN);
  await putOutbox({ job_id: seeded.completed.id, kind: 'report_ready', status: 'sent', sent_at: NOW - 9 * MIN });
  await putOutbox({
    job_id: seeded.completed.id,
    kind: 'report_ready',
    status: 'bounced',
    sent_at: NOW - 9 * MIN,
    bounced_at: NOW - 8 * MIN,
  });
  await putOutbox({ job_id: seeded.autoRetry.id, kind: 'report_ready', status: 'failed' });
  await putOutbox({ job_id: seeded.autoRetry.id, kind: 'report_ready', status: 'queued' });
  await putOutbox({ job_id: null, kind: 'access_request', status: 'sent', sent_at: NOW - 7 * MIN });
  await countEvent(env.DB, 'download_served', NOW);
  await countEvent(env.DB, 'download_permission_denied', NOW);
  await countEvent(env.DB, 'download_permission_denied', NOW - 90 * MIN);
});

describe('GET /v1/admin/metrics: access', () => {
  it('answers a scraper with the token and an operator session, in the 0.0.4 text format', async () => {
    const { res } = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const operator = await request('/v1/admin/metrics', { cookie: await login('admin') });
    expect(operator.status).toBe(200);
  });

  it('refuses everyone else with the JSON error envelope', async () => {
    const anonymous = await request('/v1/admin/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await anonymous.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });

    const wrong = await request('/v1/admin/metrics', { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: { code: 'invalid_token', message: expect.any(String) } });

    // A wrong token is not rescued by an operator's cookie.
    const mixed = await request('/v1/admin/metrics', {
      cookie: await login('admin'),
      headers: { authorization: 'Bearer nope' },
    });
    expect(mixed.status).toBe(401);

    for (const user of ['organizer', 'globex'] as const) {
      const res = await request('/v1/admin/metrics', { cookie: await login(user) });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
    }
  });
});

describe('GET /v1/admin/metrics: exposition', () => {
  it('passes the strict exposition check: HELP and TYPE per family, counters *_total, cumulative histograms', async () => {
    const { text, parsed } = await scrape();
    expect(parsed.errors).toEqual([]);
    for (const family of parsed.families.values()) {
      expect(family.name).toMatch(/^voyage_reports_[a-z_]+$/);
      expect(family.help).toBeTruthy();
    }
    expect(text.endsWith('\n')).toBe(true);
    // Every sample line matches the grammar (the linter parsed each; here the shape once more, by regex).
    for (const line of text.trimEnd().split('\n')) {
      expect(line).toMatch(
        /^(# (HELP|TYPE) [a-z_]+ .+|[a-z_]+(\{[a-z_]+="[^"\\\n]*"(,[a-z_]+="[^"\\\n]*")*\})? [0-9.e+-]+|.+ \+Inf)$/,
      );
    }
  });

  it('the linter itself rejects what promtool would', () => {
    const bad = [
      'voyage_x 1\n', // no HELP/TYPE
      '# HELP a_total x\n# TYPE a_total counter\na_total -1\n', // negative counter
      '# HELP a x\n# TYPE a counter\na 1\n', // counter without _total
      '# HELP h x\n# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="5"} 1\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 2\n',
      '# HELP h x\n# TYPE h histogram\nh_bucket{le="1"} 2\nh_sum 1\nh_count 2\n', // no +Inf
      '# HELP g x\n# TYPE g gauge\ng{a="1",} 1\n', // trailing comma
      '# HELP g x\n# TYPE g gauge\ng 1\ng 2\n', // duplicate series
      '# HELP g x\n# TYPE g gauge\ng{a="\\x"} 1\n', // bad escape
      '# HELP g x\n# TYPE g gauge\ng 1', // no final newline
    ];
    for (const text of bad) expect(lintExposition(text).errors, text).not.toEqual([]);
    // The fixture scripts/check-ops.ts hands to promtool passes the same linter.
    expect(lintExposition(fixtureExposition().text).errors).toEqual([]);
    expect(lintExposition('# HELP g x\n# TYPE g gauge\ng{a="q\\"\\n\\\\"} 1\n').errors).toEqual([]);
  });

  it('derives every figure from the stored facts', async () => {
    const { parsed } = await scrape();
    const v = (name: string, labels: Record<string, string> = {}) => sampleValue(parsed, `voyage_reports_${name}`, labels);
    const gl = { type: 'guest-list' };

    expect(v('queue_depth', gl)).toBe(1);
    expect(v('queue_depth', { type: 'orders' })).toBe(1);
    expect(v('queue_depth', { type: 'attendance' })).toBe(0); // zero-filled for every catalog type
    expect(v('queue_oldest_age_seconds')).toBeGreaterThanOrEqual(119);
    expect(v('queue_oldest_age_seconds')).toBeLessThan(200);
    expect(v('jobs_running', gl)).toBe(1);
    expect(v('jobs_stuck', { state: 'queued' })).toBe(0);

    expect(v('jobs_created_total', gl)).toBe(9);
    expect(v('jobs_created_total', { type: 'orders' })).toBe(1);
    expect(v('jobs_finished_total', { ...gl, outcome: 'completed' })).toBe(3);
    expect(v('jobs_finished_total', { ...gl, outcome: 'failed' })).toBe(3);
    expect(v('jobs_finished_total', { ...gl, outcome: 'cancelled' })).toBe(1);
    expect(v('job_failures_total', { reason: 'dataset_too_large' })).toBe(1);
    expect(v('job_failures_total', { reason: 'stuck_in_queue' })).toBe(1);
    expect(v('job_failures_total', { reason: 'interrupted' })).toBe(1);
    expect(v('job_failures_total', { reason: 'storage_unavailable' })).toBe(0);
    expect(v('job_retries_total', { ...gl, trigger: 'manual' })).toBe(1);
    expect(v('job_retries_total', { ...gl, trigger: 'automatic' })).toBe(1);
    expect(v('job_reruns_total', { type: 'orders' })).toBe(1);
    expect(v('jobs_stuck_flagged_total', gl)).toBe(1);

    // Queue waits 3, 0.5, 2, 1, 1, 1 s; run times 17, 69.5, 398, 9, 899 s.
    const bucket = (name: string, le: string) => v(`${name}_bucket`, { ...gl, le });
    expect(DURATION_BUCKETS_SECONDS.map((b) => bucket('job_queue_wait_seconds', String(b)))).toEqual([4, 6, 6, 6, 6, 6, 6]);
    expect(bucket('job_queue_wait_seconds', '+Inf')).toBe(6);
    expect(v('job_queue_wait_seconds_count', gl)).toBe(6);
    expect(v('job_queue_wait_seconds_sum', gl)).toBeCloseTo(8.5);
    expect(DURATION_BUCKETS_SECONDS.map((b) => bucket('job_run_seconds', String(b)))).toEqual([0, 0, 1, 2, 3, 5, 5]);
    expect(v('job_run_seconds_sum', gl)).toBeCloseTo(1392.5);

    expect(v('rows_exported_total', gl)).toBe(250);
    expect(v('bytes_exported_total', gl)).toBe(12_000);
    expect(v('download_decisions_total', { outcome: 'served' })).toBe(1);
    expect(v('download_decisions_total', { outcome: 'permission_denied' })).toBe(2);
    expect(v('download_decisions_total', { outcome: 'bad_signature' })).toBe(0);
    expect(v('artifacts_swept_total')).toBe(1);
    expect(v('artifacts_stored')).toBe(1);
    expect(v('artifacts_stored_bytes')).toBe(5000);
    expect(v('emails_sent_total', { kind: 'report_ready' })).toBe(2);
    expect(v('emails_bounced_total', { kind: 'report_ready' })).toBe(1);
    expect(v('emails_failed_total', { kind: 'report_ready' })).toBe(1);
    expect(v('email_outbox_pending', { kind: 'report_ready' })).toBe(1);
    expect(v('emails_sent_total', { kind: 'access_request' })).toBe(1);
    expect(v('runner_paused')).toBe(0);
    expect(v('new_requests_disabled')).toBe(0);
  });
});

describe('GET /v1/admin/ops/overview', () => {
  it('gives operators the series, the queue, recent failures and the switches', async () => {
    const res = await request('/v1/admin/ops/overview?range=24h', { cookie: await login('admin') });
    expect(res.status).toBe(200);
    const body = overviewResponse.parse(await res.json());
    expect(body.series).toHaveLength(24);
    expect(body.bucket).toBe('hour');
    expect(body.totals).toMatchObject({
      jobs_created: 10,
      jobs_completed: 3,
      jobs_failed: 3,
      jobs_cancelled: 1,
      retries_manual: 1,
      retries_automatic: 1,
      stuck_queue_failures: 1,
      size_limit_failures: 1,
      interrupted_failures: 1,
      rows_exported: 250,
      downloads_served: 1,
      download_permission_denied: 2,
      emails_sent: 3,
      emails_bounced: 1,
      emails_failed: 1,
      artifacts_swept: 1,
    });
    expect(body.totals.failure_rate).toBeCloseTo(3 / 7);
    expect(body.totals.run_max_seconds).toBeCloseTo(899);
    const last = body.series[body.series.length - 1];
    expect(last?.queue_depth).toBe(2);
    expect(last?.running).toBe(1);
    expect(body.queue).toMatchObject({ depth: 2, running: 1 });
    expect(body.queue.oldest?.job_id).toBe(seeded.manualRetry?.id);
    expect(body.queue.jobs.map((j) => j.job_id)).toEqual([seeded.manualRetry?.id, seeded.rerun?.id, seeded.running?.id]);
    // Newest failure first (finished 23, 25 and 35 minutes ago).
    expect(body.failures.map((f) => [f.job_id, f.failure_code])).toEqual([
      [seeded.tooLarge?.id, 'dataset_too_large'],
      [seeded.stuck?.id, 'stuck_in_queue'],
      [seeded.interrupted?.id, 'interrupted'],
    ]);
    expect(body.failures[1]).toMatchObject({ event_id: EVENT_ID, event_name: 'Acme Summit', retried_by: seeded.autoRetry?.id });
    expect(body.failures[0]?.failure_reason).toMatch(/^Dataset exceeded 50MB/);
    expect(body.settings).toMatchObject({ runner_paused: false, new_requests_disabled: false });
  });

  it('has a 7-day view by day, validates its range, and is for operators only', async () => {
    const admin = await login('admin');
    const week = overviewResponse.parse(await (await request('/v1/admin/ops/overview?range=7d', { cookie: admin })).json());
    expect(week.series).toHaveLength(7);
    expect(week.totals.jobs_created).toBe(10);
    expect((await request('/v1/admin/ops/overview?range=1y', { cookie: admin })).status).toBe(400);
    expect((await request('/v1/admin/ops/overview', { cookie: await login('organizer') })).status).toBe(403);
    expect((await request('/v1/admin/ops/overview')).status).toBe(401);
  });
});

describe('the rollback switches in the metrics', () => {
  it('pausing the runner makes the RunnerPaused alert expression true (voyage_reports_runner_paused == 1)', async () => {
    const admin = await login('admin');
    const put = (json: unknown) => request('/v1/admin/ops/settings', { method: 'PUT', cookie: admin, json });
    expect((await put({ runner_paused: true, new_requests_disabled: true })).status).toBe(200);
    const { parsed } = await scrape();
    expect(sampleValue(parsed, 'voyage_reports_runner_paused')).toBe(1);
    expect(sampleValue(parsed, 'voyage_reports_new_requests_disabled')).toBe(1);
    expect(sampleValue(parsed, 'voyage_reports_ops_settings_changed_timestamp_seconds')).toBeGreaterThan(NOW / 1000 - 1);
    // Only new requests are refused: resuming the runner is left for the end, it re-queues the seeded jobs.
    expect((await put({ new_requests_disabled: false })).status).toBe(200);
    expect(sampleValue((await scrape()).parsed, 'voyage_reports_new_requests_disabled')).toBe(0);
  });
});

describe('logs', () => {
  const lines: string[] = [];
  let restore: (() => void) | undefined;

  beforeAll(() => {
    const spies = (['log', 'warn', 'error'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(' '));
      }),
    );
    restore = () => {
      for (const spy of spies) spy.mockRestore();
    };
  });
  afterAll(() => restore?.());

  it('one JSON line per job transition and download decision, with ids and outcome, and no secrets or signed URLs', async () => {
    const admin = await login('admin');
    // Resuming re-queues the seeded queued jobs; their runs log too.
    await request('/v1/admin/ops/settings', { method: 'PUT', cookie: admin, json: { runner_paused: false } });
    const organizer = await login('organizer');
    const created = await createJob(organizer, {
      type: 'guest-list',
      params: { format: 'csv' },
      notify_emails: ['organizer@acme.test'],
    });
    expect(created.status).toBe(201);
    const { job_id: jobId } = await created.json<{ job_id: string }>();
    await waitForStatus(jobId, ['completed']);
    const job = await (await request(`/v1/admin/events/${EVENT_ID}/reports/jobs/${jobId}`, { cookie: organizer })).json<{
      download_url: string;
    }>();
    const signature = /signature=([0-9a-f]{64})/.exec(job.download_url)?.[1] ?? '';
    expect(signature).not.toBe('');

    expect((await request(job.download_url, { cookie: organizer })).status).toBe(200);
    expect(
      (
        await request(
          job.download_url.replace(/.$/, (ch) => (ch === '0' ? '1' : '0')),
          { cookie: organizer },
        )
      ).status,
    ).toBe(403);
    expect((await request(job.download_url, { cookie: await login('staff') })).status).toBe(403);
    const expired = await signDownloadUrl(
      env.REPORT_DOWNLOAD_SIGNING_SECRET,
      downloadPath(EVENT_ID, jobId),
      Math.floor(NOW / 1000) - 60,
    );
    expect((await request(expired, { cookie: organizer })).status).toBe(410);
    expect(
      (await request(`/v1/admin/events/${EVENT_ID}/reports/jobs/${jobId}/download-link`, { method: 'POST', cookie: organizer }))
        .status,
    ).toBe(200);
    await runLifecycle(env, Date.now()); // sends the "report ready" email, whose body carries a signed link
    await request('/v1/auth/login', { method: 'POST', json: { email: USERS.viewer.email, password: `${PASSWORD}-wrong` } });
    expect((await scrape()).res.status).toBe(200);
    // Queued without a queue message, so the cancel always finds it queued.
    const cancelledId = (await insertQueuedJob()).id;
    const cancel = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs/${cancelledId}/cancel`, {
      method: 'POST',
      cookie: organizer,
    });
    expect(cancel.status).toBe(200);

    const forbidden = [
      'signature=',
      signature,
      env.REPORT_DOWNLOAD_SIGNING_SECRET,
      env.EMAIL_WEBHOOK_SECRET,
      TOKEN,
      PASSWORD,
      'voyage_session',
      organizer.split('=')[1] ?? 'no-cookie',
      'claim_token',
    ];
    expect(lines.length).toBeGreaterThan(10);
    const records = lines.map((line) => {
      for (const secret of forbidden) expect(line, `a log line contains ${secret}`).not.toContain(secret);
      return JSON.parse(line) as Record<string, unknown>;
    });
    for (const r of records)
      expect(r).toMatchObject({ level: expect.any(String), msg: expect.any(String), at: expect.any(String) });

    const about = (msg: string) => records.filter((r) => r.msg === msg && (r.job_id === jobId || r.job_id === cancelledId));
    const ids = { job_id: expect.any(String), event_id: EVENT_ID, workspace_id: 'wacme', user_id: expect.any(String) };
    expect(about('report_job.created')).toHaveLength(1);
    for (const r of about('report_job.created')) expect(r).toMatchObject({ ...ids, outcome: 'queued', type: 'guest-list' });
    expect(about('report_job.claimed')[0]).toMatchObject({ ...ids, outcome: 'running', queue_wait_ms: expect.any(Number) });
    expect(about('report_job.completed')[0]).toMatchObject({
      ...ids,
      outcome: 'completed',
      queue_wait_ms: expect.any(Number),
      run_ms: expect.any(Number),
      rows: expect.any(Number),
    });
    expect(about('report_job.cancelled')[0]).toMatchObject({ ...ids, outcome: 'cancelled', queued_ms: expect.any(Number) });
    const decisions = records.filter((r) => r.msg === 'report_download.decision' && r.job_id === jobId).map((r) => r.outcome);
    expect(decisions).toEqual(['served', 'bad_signature', 'permission_denied', 'link_expired']);
    for (const r of records.filter((r) => r.msg === 'report_download.decision' && r.outcome !== 'bad_signature')) {
      expect(r).toMatchObject({
        job_id: expect.any(String),
        event_id: EVENT_ID,
        user_id: expect.any(String),
        workspace_id: 'wacme',
      });
    }
  });
});
