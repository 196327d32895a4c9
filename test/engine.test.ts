import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { claimJob, completeJobStatement, failJob, updateRunningJob } from '../src/worker/db/jobs';
import type { Env, ReportJobMessage } from '../src/worker/env';
import worker from '../src/worker/index';
import { type Checkpoint, parseCheckpoint } from '../src/worker/jobs/checkpoint';
import { recoverLostRunners } from '../src/worker/jobs/lifecycle';
import { MAX_ATTEMPTS, runReportJob } from '../src/worker/jobs/runner';
import { seedBigEvent } from './big-event';
import { SimulatedCrash } from './faults';
import {
  artifactDigest,
  artifactText,
  EVENT_ID,
  expireLease,
  insertQueuedJob,
  jobRow,
  login,
  request,
  seedFixture,
  USERS,
  waitForStatus,
} from './helpers';

const BIG_EVENT = 'evbig';
const BIG_GUESTS = 60_000; // ~7 MB of CSV: two 5 MiB parts

beforeAll(async () => {
  await seedFixture(50);
  await seedBigEvent({
    id: BIG_EVENT,
    name: 'Big Expo',
    slug: 'big-expo',
    timeZone: 'Europe/London',
    guests: BIG_GUESTS,
    idPrefix: 'b',
    lastNames: 5000,
    spacingMs: 1000,
    // Quotes and a comma: every row needs CSV quoting.
    companySql: `'Company "' || i || '", Ltd'`,
    ticketTypeSql: "CASE i % 2 WHEN 0 THEN 'General' ELSE 'VIP' END",
  });
});

/** The runner dies right after writing its first checkpoint (one part uploaded), holding its lease. */
async function crashAfterFirstCheckpoint(jobId: string): Promise<void> {
  await expect(
    runReportJob(env, jobId, {
      afterCheckpoint: () => {
        throw new SimulatedCrash('runner killed after its first part');
      },
    }),
  ).rejects.toThrow(SimulatedCrash);
}

async function objectsUnder(jobId: string): Promise<number> {
  const listed = await env.REPORTS_BUCKET.list({ prefix: `reports/wacme/${BIG_EVENT}/${jobId}/` });
  return listed.objects.length;
}

/** The real bucket, except that uploading part `failOnPart` of any multipart upload fails. */
function bucketFailingOnPart(failOnPart: number): R2Bucket {
  const real = env.REPORTS_BUCKET;
  return new Proxy(real, {
    get(target, prop) {
      if (prop === 'createMultipartUpload') {
        return async (key: string, options?: R2MultipartOptions) => {
          const upload = await target.createMultipartUpload(key, options);
          return {
            key: upload.key,
            uploadId: upload.uploadId,
            uploadPart: (n: number, value: Uint8Array) => {
              if (n === failOnPart) return Promise.reject(new Error('injected: R2 internal error (10001)'));
              return upload.uploadPart(n, value);
            },
            abort: () => upload.abort(),
            complete: (parts: R2UploadedPart[]) => upload.complete(parts),
          };
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function envWith(overrides: Partial<Env>): Env {
  return Object.assign(Object.create(null), env, overrides) as Env;
}

let baseline: { size: number; sha256: string };
let snapshotAt: number;

describe('streaming and resume', () => {
  it('streams a large export in uniform 5 MiB parts', async () => {
    snapshotAt = Date.now();
    const job = await insertQueuedJob({ event_id: BIG_EVENT, snapshot_at: snapshotAt });
    const checkpoints: Checkpoint[] = [];
    expect(await runReportJob(env, job.id, { afterCheckpoint: (c) => void checkpoints.push(c) })).toBe('completed');
    baseline = await artifactDigest(job.id);
    expect(baseline.size).toBeGreaterThan(5 * 1024 * 1024);
    expect(checkpoints).toHaveLength(1);
    expect(checkpoints[0]?.upload.uploaded_bytes).toBe(5 * 1024 * 1024);
    const row = await jobRow(job.id);
    expect(row).toMatchObject({ status: 'completed', rows_done: BIG_GUESTS, rows_expected: BIG_GUESTS, checkpoint: null });
  });

  it('resumes from its checkpoint after a crash and writes a byte-identical file', async () => {
    const job = await insertQueuedJob({ event_id: BIG_EVENT, snapshot_at: snapshotAt });
    await crashAfterFirstCheckpoint(job.id);
    const crashed = await jobRow(job.id);
    expect(crashed?.status).toBe('running');
    const checkpoint = parseCheckpoint(crashed?.checkpoint ?? null);
    expect(checkpoint?.upload.parts).toHaveLength(1);
    expect(checkpoint?.rows_done).toBeGreaterThan(0);

    // While the dead runner's lease lasts, nobody else may take the job.
    expect(await runReportJob(env, job.id)).toBe('skipped');
    await expireLease(job.id);
    expect(await runReportJob(env, job.id)).toBe('completed');
    expect((await jobRow(job.id))?.attempts).toBe(2);
    expect(await artifactDigest(job.id)).toEqual(baseline);
  });

  it('yields before its time budget runs out and finishes on the next delivery', async () => {
    const job = await insertQueuedJob({ event_id: BIG_EVENT, snapshot_at: snapshotAt });
    expect(await runReportJob(env, job.id, { timeBudgetMs: 0 })).toBe('yielded');
    // The re-enqueued message is delivered by the real queue to the real consumer.
    const done = await waitForStatus(job.id, ['completed'], 30_000);
    expect(done.attempts).toBe(2);
    expect(await artifactDigest(job.id)).toEqual(baseline);
  });

  it('a lost runner is queued again by the lifecycle and resumed', async () => {
    const job = await insertQueuedJob({ event_id: BIG_EVENT, snapshot_at: snapshotAt });
    await crashAfterFirstCheckpoint(job.id);
    // The dead runner's lease runs out.
    await expireLease(job.id);
    const result = await recoverLostRunners(env, Date.now());
    expect(result.resumed).toBeGreaterThanOrEqual(1);
    await waitForStatus(job.id, ['completed'], 30_000);
    expect(await artifactDigest(job.id)).toEqual(baseline);
  });

  it('fails a job that keeps losing its runner instead of resuming it forever', async () => {
    const job = await insertQueuedJob({ event_id: BIG_EVENT });
    await claimJob(env.DB, job.id, 'dead-runner', Date.now(), 1);
    await env.DB.prepare('UPDATE event_report_jobs SET attempts = ?, lease_expires_at = 0 WHERE id = ?')
      .bind(MAX_ATTEMPTS, job.id)
      .run();
    await recoverLostRunners(env, Date.now());
    expect(await jobRow(job.id)).toMatchObject({
      status: 'failed',
      failure_code: 'interrupted',
      failure_reason: 'The report was interrupted — please retry.',
    });
  });
});

describe('one runner per job', () => {
  it('a runner that lost its lease cannot write progress or complete the job', async () => {
    const job = await insertQueuedJob();
    const first = await claimJob(env.DB, job.id, 'token-one', Date.now(), 60_000);
    expect(first?.status).toBe('running');
    expect(await claimJob(env.DB, job.id, 'token-two', Date.now(), 60_000)).toBeNull();
    // The lease runs out; a second runner takes over.
    const second = await claimJob(env.DB, job.id, 'token-two', Date.now() + 61_000, 60_000);
    expect(second?.claim_token).toBe('token-two');
    expect(await updateRunningJob(env.DB, job.id, 'token-one', Date.now(), { rows_done: 99 })).toBeNull();
    expect(
      await completeJobStatement(env.DB, { id: job.id, token: 'token-one', now: Date.now(), rows: 1, bytes: 1 }).first(),
    ).toBeNull();
    expect(await jobRow(job.id)).toMatchObject({ status: 'running', claim_token: 'token-two', rows_done: 0 });
  });

  it('ignores duplicate deliveries of a finished job', async () => {
    const job = await insertQueuedJob();
    expect(await runReportJob(env, job.id)).toBe('completed');
    const batch = createMessageBatch<ReportJobMessage>('voyage-report-jobs', [
      { id: 'm1', timestamp: new Date(), attempts: 1, body: { job_id: job.id } },
      { id: 'm2', timestamp: new Date(), attempts: 2, body: { job_id: job.id } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(['m1', 'm2']);
    expect((await jobRow(job.id))?.attempts).toBe(1);
  });
});

describe('failures', () => {
  it('fails with the size limit reason, never truncating, and leaves no partial object', async () => {
    const job = await insertQueuedJob({ event_id: BIG_EVENT });
    const limited = envWith({ REPORT_MAX_ARTIFACT_BYTES: String(1024 * 1024) });
    expect(await runReportJob(limited, job.id)).toBe('failed');
    expect(await jobRow(job.id)).toMatchObject({
      status: 'failed',
      failure_code: 'dataset_too_large',
      failure_reason: 'Dataset exceeded 1MB. Try a narrower date range or generate per-month reports.',
    });
    expect(await objectsUnder(job.id)).toBe(0);
    expect(
      await env.DB.prepare('SELECT COUNT(*) AS n FROM event_report_job_artifacts WHERE job_id = ?').bind(job.id).first('n'),
    ).toBe(0);
  });

  it('holds each report type to its own ceiling: the same file passes one type and fails another', async () => {
    const bigger = envWith({
      REPORT_MAX_ARTIFACT_BYTES: String(1024 * 1024),
      REPORT_MAX_ARTIFACT_BYTES_BY_TYPE: JSON.stringify({ 'guest-list': 64 * 1024 * 1024 }),
    });
    const fits = await insertQueuedJob({ event_id: BIG_EVENT });
    expect(await runReportJob(bigger, fits.id)).toBe('completed');
    expect((await jobRow(fits.id))?.bytes_written).toBeGreaterThan(1024 * 1024);

    const otherType = envWith({
      REPORT_MAX_ARTIFACT_BYTES: String(1024 * 1024),
      REPORT_MAX_ARTIFACT_BYTES_BY_TYPE: { orders: 64 * 1024 * 1024 },
    });
    const fails = await insertQueuedJob({ event_id: BIG_EVENT });
    expect(await runReportJob(otherType, fails.id)).toBe('failed');
    expect((await jobRow(fails.id))?.failure_reason).toBe(
      'Dataset exceeded 1MB. Try a narrower date range or generate per-month reports.',
    );
    expect(await objectsUnder(fails.id)).toBe(0);
  });

  it('fails with a readable reason when R2 fails mid-upload, and aborts the upload', async () => {
    const job = await insertQueuedJob({ event_id: BIG_EVENT });
    let checkpoint: Checkpoint | undefined;
    const faulty = envWith({ REPORTS_BUCKET: bucketFailingOnPart(2) });
    const outcome = await runReportJob(faulty, job.id, {
      afterCheckpoint: (c) => {
        checkpoint = c;
      },
    });
    expect(outcome).toBe('failed');
    const row = await jobRow(job.id);
    expect(row).toMatchObject({
      status: 'failed',
      failure_code: 'storage_unavailable',
      failure_reason: 'Storage temporarily unavailable — please retry.',
    });
    expect(row?.failure_reason).not.toMatch(/injected|10001|Error/);
    expect(await objectsUnder(job.id)).toBe(0);
    // The multipart upload is gone: its parts cannot be completed into an object any more.
    const upload = env.REPORTS_BUCKET.resumeMultipartUpload(checkpoint?.key ?? '', checkpoint?.upload.upload_id ?? '');
    await expect(upload.complete(checkpoint?.upload.parts ?? [])).rejects.toThrow();
  });
});

describe('snapshot', () => {
  it('exports only the rows that existed when the report was asked for', async () => {
    const job = await insertQueuedJob({ snapshot_at: Date.now() });
    const before = await env.DB.prepare('SELECT COUNT(*) AS n FROM guests WHERE event_id = ?').bind(EVENT_ID).first<number>('n');
    const later = (job.snapshot_at as number) + 1_000;
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO guests VALUES ('glate1', ?, 'Late', 'Arrival', 'late@example.test', '', 'VIP', 'attending', ?, NULL, ?, ?)",
      ).bind(EVENT_ID, later, later, later),
      // A check-in recorded after the snapshot is not in the file either.
      env.DB.prepare("UPDATE guests SET checked_in_at = ? WHERE id = 'g000001'").bind(later),
    ]);
    expect(await runReportJob(env, job.id)).toBe('completed');
    expect((await jobRow(job.id))?.rows_done).toBe(before);
    const text = await artifactText(job.id);
    expect(text).not.toContain('late@example.test');
    const line = text.split('\r\n').find((l) => l.includes('guest1@example.test')) ?? '';
    expect(line.endsWith(',')).toBe(true); // empty "Checked in at"
  });
});

describe('snapshot of edited rows', () => {
  it('exports a guest as it was when the report was asked for, even if edited during the run', async () => {
    const job = await insertQueuedJob({ snapshot_at: Date.now() - 1_000 });
    await env.DB.prepare("UPDATE guests SET first_name = 'Renamed', last_name = 'Zzz', updated_at = ? WHERE id = 'g000002'")
      .bind(Date.now())
      .run();
    expect(await runReportJob(env, job.id)).toBe('completed');
    const text = await artifactText(job.id);
    const line = text.split('\r\n').find((l) => l.includes('guest2@example.test')) ?? '';
    expect(line).not.toContain('Renamed');
    expect(line.startsWith('Last002,')).toBe(true);
    expect((await jobRow(job.id))?.rows_done).toBe(text.split('\r\n').length - 2);

    // A report asked for after the edit shows it.
    const later = await insertQueuedJob({ snapshot_at: Date.now() + 1_000 });
    await runReportJob(env, later.id);
    const laterText = await artifactText(later.id);
    expect(laterText).toContain('Zzz,Renamed,guest2@example.test');
    expect(laterText).not.toMatch(/Last002,[^,]*,guest2@example.test/);
  });
});

describe('cancel', () => {
  it('cancels a queued job at once', async () => {
    const cookie = await login('organizer');
    const job = await insertQueuedJob();
    const res = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs/${job.id}/cancel`, { method: 'POST', cookie });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: 'cancelled', job: { status: 'cancelled' } });
    expect(await runReportJob(env, job.id)).toBe('skipped');
  });

  it('stops a running job at its next chunk and removes its partial upload', async () => {
    const cookie = await login('organizer');
    const job = await insertQueuedJob({ event_id: BIG_EVENT });
    let answer: { status: number; body: unknown } | undefined;
    const outcome = await runReportJob(env, job.id, {
      afterCheckpoint: async () => {
        const res = await request(`/v1/admin/events/${BIG_EVENT}/reports/jobs/${job.id}/cancel`, { method: 'POST', cookie });
        answer = { status: res.status, body: await res.json() };
      },
    });
    expect(outcome).toBe('cancelled');
    expect(answer).toMatchObject({ status: 202, body: { outcome: 'requested' } });
    expect(await jobRow(job.id)).toMatchObject({ status: 'cancelled', claim_token: null });
    expect(await objectsUnder(job.id)).toBe(0);
  });

  it('says so honestly when the job is already finalizing', async () => {
    const cookie = await login('organizer');
    const job = await insertQueuedJob();
    await claimJob(env.DB, job.id, 'runner', Date.now(), 60_000);
    await updateRunningJob(env.DB, job.id, 'runner', Date.now(), { phase: 'finalizing' });
    const res = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs/${job.id}/cancel`, { method: 'POST', cookie });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({
      outcome: 'requested_may_complete',
      message: 'Cancellation requested — may complete anyway.',
    });
    // The job is still running: the API did not claim a cancel that has not happened.
    expect((await jobRow(job.id))?.status).toBe('running');
  });

  it('refuses to cancel a finished job', async () => {
    const cookie = await login('organizer');
    const job = await insertQueuedJob();
    await runReportJob(env, job.id);
    const res = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs/${job.id}/cancel`, { method: 'POST', cookie });
    expect(res.status).toBe(409);
  });
});

describe('retry and re-run', () => {
  it('retry makes one new job with the same parameters; a second click returns the same one', async () => {
    const cookie = await login('organizer2');
    const job = await insertQueuedJob({
      requested_by: USERS.organizer2.id,
      params: JSON.stringify({ format: 'csv', date_from: '2026-01-10', include_bom: false }),
    });
    await failJob(env.DB, { id: job.id, from: 'queued', now: Date.now(), code: 'internal', reason: 'Something went wrong' });
    const first = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs/${job.id}/retry`, { method: 'POST', cookie });
    expect(first.status).toBe(201);
    const retry = await first.json<{ job_id: string; retry_of: string; params: unknown; requested_by: string }>();
    expect(retry).toMatchObject({
      retry_of: job.id,
      params: { format: 'csv', date_from: '2026-01-10', include_bom: false },
      requested_by: USERS.organizer2.id,
    });
    expect(retry.job_id).not.toBe(job.id);
    const second = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs/${job.id}/retry`, { method: 'POST', cookie });
    expect(second.status).toBe(200);
    expect((await second.json<{ job_id: string }>()).job_id).toBe(retry.job_id);
    expect((await jobRow(job.id))?.status).toBe('failed');
    await waitForStatus(retry.job_id, ['completed']);
  });

  it('re-run of a completed job creates a new job and leaves the old row as it was', async () => {
    const cookie = await login('organizer');
    const job = await insertQueuedJob();
    await runReportJob(env, job.id);
    const before = await jobRow(job.id);
    const res = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs/${job.id}/rerun`, { method: 'POST', cookie });
    expect(res.status).toBe(201);
    const rerun = await res.json<{ job_id: string; rerun_of: string }>();
    expect(rerun.rerun_of).toBe(job.id);
    await waitForStatus(rerun.job_id, ['completed']);
    expect(await jobRow(job.id)).toEqual(before);
    const retryCompleted = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs/${job.id}/retry`, { method: 'POST', cookie });
    expect(retryCompleted.status).toBe(409);
  });
});

describe('operator switches and queue hygiene', () => {
  it('only operators may read or change the switches', async () => {
    for (const user of ['organizer', 'viewer', 'globex'] as const) {
      const res = await request('/v1/admin/ops/settings', { cookie: await login(user) });
      expect(res.status).toBe(403);
    }
    const res = await request('/v1/admin/ops/settings', { cookie: await login('admin') });
    expect(await res.json()).toMatchObject({ runner_paused: false, new_requests_disabled: false });
  });

  it('a paused runner leaves jobs queued; resuming runs them', async () => {
    const admin = await login('admin');
    const put = (json: unknown) => request('/v1/admin/ops/settings', { method: 'PUT', cookie: admin, json });
    expect((await put({ runner_paused: true })).status).toBe(200);
    const job = await insertQueuedJob();
    const batch = createMessageBatch<ReportJobMessage>('voyage-report-jobs', [
      { id: 'p1', timestamp: new Date(), attempts: 1, body: { job_id: job.id } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    const result = await getQueueResult(batch, ctx);
    expect(result.ackAll).toBe(true);
    expect((await jobRow(job.id))?.status).toBe('queued');
    expect((await put({ runner_paused: false })).status).toBe(200);
    await waitForStatus(job.id, ['completed']);
    const audit = await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'ops.settings_changed'").first<number>(
      'n',
    );
    expect(audit).toBe(2);
  });

  it('refuses new requests with 503 while completed files stay downloadable', async () => {
    const admin = await login('admin');
    const organizer = await login('organizer');
    const job = await insertQueuedJob();
    await runReportJob(env, job.id);
    const listed = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs/${job.id}`, { cookie: organizer });
    const { download_url } = await listed.json<{ download_url: string }>();
    await request('/v1/admin/ops/settings', { method: 'PUT', cookie: admin, json: { new_requests_disabled: true } });
    const refused = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs`, {
      method: 'POST',
      cookie: organizer,
      json: { type: 'guest-list', params: { format: 'csv' } },
    });
    expect(refused.status).toBe(503);
    expect((await refused.json<{ error: { message: string } }>()).error.message).toMatch(
      /Completed reports can still be downloaded/,
    );
    expect((await request(download_url, { cookie: organizer })).status).toBe(200);
    await request('/v1/admin/ops/settings', { method: 'PUT', cookie: admin, json: { new_requests_disabled: false } });
  });

  it('fails the job of a dead-lettered message with a reason, and acks malformed messages', async () => {
    const job = await insertQueuedJob();
    const batch = createMessageBatch<ReportJobMessage>('voyage-report-jobs-dlq', [
      { id: 'd1', timestamp: new Date(), attempts: 4, body: { job_id: job.id } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['d1']);
    expect(await jobRow(job.id)).toMatchObject({ status: 'failed', failure_code: 'interrupted' });

    const poison = createMessageBatch<ReportJobMessage>('voyage-report-jobs', [
      { id: 'x1', timestamp: new Date(), attempts: 1, body: { nope: true } as unknown as ReportJobMessage },
    ]);
    const ctx2 = createExecutionContext();
    await worker.queue(poison, env);
    expect((await getQueueResult(poison, ctx2)).explicitAcks).toEqual(['x1']);
  });
});
