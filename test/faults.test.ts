import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportJobMessage } from '../src/worker/env';
import worker from '../src/worker/index';
import { abortAbandonedUploads, sweepExpiredArtifacts } from '../src/worker/jobs/lifecycle';
import { runReportJob } from '../src/worker/jobs/runner';
import { seedBigEvent } from './big-event';
import { type BoundaryCall, faultyEnv, injected, killed, SimulatedCrash } from './faults';
import { artifactDigest, EVENT_ID, expireLease, insertQueuedJob, jobRow, login, request, seedFixture } from './helpers';
import { checkInvariants } from './invariants';

const BIG_EVENT = 'evfaults';

beforeAll(async () => {
  await seedFixture(300);
  await seedBigEvent({
    id: BIG_EVENT,
    name: 'Fault Fair',
    slug: 'fault-fair',
    timeZone: 'UTC',
    guests: 55_000,
    idPrefix: 'f',
    lastNames: 3000,
    spacingMs: 1000,
  });
});

/** What the platform does after a crash: the lease runs out, the lifecycle or a redelivery resumes. */
async function settle(jobId: string): Promise<string> {
  for (let i = 0; i < 10; i++) {
    const row = await jobRow(jobId);
    if (!row || (row.status !== 'queued' && row.status !== 'running')) return row?.status ?? 'missing';
    if (row.status === 'running') await expireLease(jobId);
    await runReportJob(env, jobId);
  }
  throw new Error(`job ${jobId} did not settle`);
}

async function runWith(
  rule: Parameters<typeof faultyEnv>[0],
  jobId: string,
): Promise<{ outcome: string; calls: BoundaryCall[] }> {
  const faulty = faultyEnv(rule);
  try {
    return { outcome: await runReportJob(faulty.env, jobId), calls: faulty.calls };
  } catch (err) {
    if (err instanceof SimulatedCrash) return { outcome: 'crashed', calls: faulty.calls };
    return { outcome: `threw: ${err instanceof Error ? err.message : String(err)}`, calls: faulty.calls };
  }
}

describe('the runner killed between any two steps', () => {
  it('small job: at every boundary call in turn, it resumes or restarts to a byte-identical file', async () => {
    const snapshot = Date.now();
    const reference = await insertQueuedJob({ snapshot_at: snapshot });
    const counted = await runWith(() => undefined, reference.id);
    expect(counted.outcome).toBe('completed');
    const expected = await artifactDigest(reference.id);
    const steps = counted.calls.length;
    expect(steps).toBeGreaterThan(6);

    for (let k = 1; k <= steps; k++) {
      const job = await insertQueuedJob({ snapshot_at: snapshot });
      const crashed = await runWith((call) => (call.n === k ? killed() : undefined), job.id);
      expect(crashed.outcome, `kill at ${k}: ${crashed.calls[k - 1]?.op}`).toMatch(/crashed|completed/);
      expect(
        await settle(job.id),
        `kill at ${k} (${crashed.calls[k - 1]?.op} ${crashed.calls[k - 1]?.sql?.slice(0, 40) ?? ''})`,
      ).toBe('completed');
      expect(await artifactDigest(job.id)).toEqual(expected);
      expect(await checkInvariants({ jobIds: [job.id] })).toEqual([]);
    }
  });

  it('multi-part job: killed around each part boundary, the resumed file is byte-identical', async () => {
    const snapshot = Date.now();
    const reference = await insertQueuedJob({ event_id: BIG_EVENT, snapshot_at: snapshot });
    const counted = await runWith(() => undefined, reference.id);
    expect(counted.outcome).toBe('completed');
    const expected = await artifactDigest(reference.id);
    const partCalls = counted.calls.filter((c) => c.op.startsWith('uploadPart') || c.op === 'complete').map((c) => c.n);
    const points = [...new Set(partCalls.flatMap((n) => [n - 1, n, n + 1]))].filter((n) => n > 0 && n <= counted.calls.length);
    for (const k of points) {
      const job = await insertQueuedJob({ event_id: BIG_EVENT, snapshot_at: snapshot });
      const crashed = await runWith((call) => (call.n === k ? killed() : undefined), job.id);
      const at = `kill at ${k}: ${crashed.calls[k - 1]?.op} ${crashed.calls[k - 1]?.sql?.replace(/\s+/g, ' ').slice(0, 60) ?? ''}`;
      expect(await settle(job.id), at).toBe('completed');
      expect(await artifactDigest(job.id), at).toEqual(expected);
      expect(await checkInvariants({ jobIds: [job.id] })).toEqual([]);
    }
  });
});

describe('storage faults', () => {
  for (const op of ['createMultipartUpload', 'uploadPart(1)', 'complete']) {
    it(`R2 ${op} failing once fails the job readably, leaves nothing behind, and a retry succeeds`, async () => {
      const job = await insertQueuedJob();
      let fired = false;
      const run = await runWith((call) => {
        if (!fired && call.op === op) {
          fired = true;
          return injected(`R2 ${op}`);
        }
        return undefined;
      }, job.id);
      expect(run.outcome).toBe('failed');
      expect(await jobRow(job.id)).toMatchObject({
        failure_code: 'storage_unavailable',
        failure_reason: 'Storage temporarily unavailable — please retry.',
      });
      expect(await checkInvariants({ jobIds: [job.id] })).toEqual([]);
      const retry = await insertQueuedJob({ retry_of: job.id });
      expect(await runReportJob(env, retry.id)).toBe('completed');
    });
  }

  it('R2 failing on every call: the job fails, and the open upload is aborted once R2 is back', async () => {
    const job = await insertQueuedJob({ event_id: BIG_EVENT });
    const run = await runWith(
      (call) => (call.kind === 'r2' && call.op !== 'createMultipartUpload' ? injected('R2 down') : undefined),
      job.id,
    );
    expect(run.outcome).toBe('failed');
    expect((await jobRow(job.id))?.failure_code).toBe('storage_unavailable');
    expect(await abortAbandonedUploads(env)).toMatchObject({ aborted: 1 }); // the lifecycle retries the abort
    expect(await checkInvariants({ jobIds: [job.id] })).toEqual([]);
  });

  it('D1 failing during the claim leaves the job queued for the next delivery', async () => {
    const job = await insertQueuedJob();
    const run = await runWith((call) => (call.n === 1 ? injected('D1 claim') : undefined), job.id);
    expect(run.outcome).toMatch(/^threw/);
    expect((await jobRow(job.id))?.status).toBe('queued');
    expect(await settle(job.id)).toBe('completed');
  });

  it('D1 failing on a chunk read fails the job with a readable reason', async () => {
    const job = await insertQueuedJob();
    const run = await runWith(
      (call) =>
        (call.op === 'raw' || call.op === 'all') && call.sql?.includes('ORDER BY last_name') ? injected('D1 read') : undefined,
      job.id,
    );
    expect(run.outcome).toBe('failed');
    expect((await jobRow(job.id))?.failure_reason).toBe('Something went wrong while generating the report — please retry.');
    expect(await checkInvariants({ jobIds: [job.id] })).toEqual([]);
  });

  it('D1 timing out on a chunk read says the query took too long', async () => {
    const job = await insertQueuedJob();
    const run = await runWith(
      (call) => (call.sql?.includes('ORDER BY last_name') ? new Error('D1_ERROR: Query timed out after 30000ms') : undefined),
      job.id,
    );
    expect(run.outcome).toBe('failed');
    expect((await jobRow(job.id))?.failure_code).toBe('query_timeout');
  });

  it('D1 failing at completion removes the finished object, so no artifact row is missing its file or vice versa', async () => {
    const job = await insertQueuedJob();
    const run = await runWith((call) => (call.op === 'batch' ? injected('D1 batch') : undefined), job.id);
    expect(run.outcome).toBe('failed');
    expect(await checkInvariants({ jobIds: [job.id] })).toEqual([]);
  });

  it('D1 failing at completion and then at the failure too: the next runner finishes from the completed object', async () => {
    const job = await insertQueuedJob();
    const run = await runWith((call) => (call.op === 'batch' ? killed() : undefined), job.id);
    expect(run.outcome).toBe('crashed');
    expect(await settle(job.id)).toBe('completed');
    expect(await checkInvariants({ jobIds: [job.id] })).toEqual([]);
  });
});

describe('the queue', () => {
  it('delivering every message twice processes each job once', async () => {
    const jobs = [await insertQueuedJob(), await insertQueuedJob(), await insertQueuedJob()];
    const messages = jobs.flatMap((j, i) =>
      [0, 1].map((d) => ({ id: `m${i}-${d}`, timestamp: new Date(), attempts: 1, body: { job_id: j.id } })),
    );
    const batch = createMessageBatch<ReportJobMessage>('voyage-report-jobs', messages);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(6);
    for (const j of jobs) expect(await jobRow(j.id)).toMatchObject({ status: 'completed', attempts: 1 });
    expect(await checkInvariants({ jobIds: jobs.map((j) => j.id) })).toEqual([]);
  });
});

describe('races', () => {
  it('cancel during finalizing: the job completes, and says so', async () => {
    const job = await insertQueuedJob();
    const run = await runWith((call) => {
      if (call.op === 'complete') {
        // Between the last chunk and the completion: the organizer clicks Cancel.
        void env.DB.prepare('UPDATE event_report_jobs SET cancel_requested_at = ? WHERE id = ?').bind(Date.now(), job.id).run();
      }
      return undefined;
    }, job.id);
    expect(run.outcome).toBe('completed');
    expect((await jobRow(job.id))?.status).toBe('completed');
    expect(await checkInvariants({ jobIds: [job.id] })).toEqual([]);
  });

  it('retry clicked twice at once makes one retry job', async () => {
    const cookie = await login('organizer');
    const job = await insertQueuedJob();
    await env.DB.prepare("UPDATE event_report_jobs SET status = 'failed', failure_code = 'internal' WHERE id = ?")
      .bind(job.id)
      .run();
    const path = `/v1/admin/events/${EVENT_ID}/reports/jobs/${job.id}/retry`;
    const [a, b] = await Promise.all([request(path, { method: 'POST', cookie }), request(path, { method: 'POST', cookie })]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    const [ja, jb] = [await a.json<{ job_id: string }>(), await b.json<{ job_id: string }>()];
    expect(ja.job_id).toBe(jb.job_id);
  });

  it('the sweeper and the invariants agree after a full cycle', async () => {
    const job = await insertQueuedJob();
    await runReportJob(env, job.id);
    await sweepExpiredArtifacts(env, Date.now() + 31 * 86_400_000);
    expect((await jobRow(job.id))?.status).toBe('expired');
    expect(await checkInvariants({ jobIds: [job.id] })).toEqual([]);
  });
});
