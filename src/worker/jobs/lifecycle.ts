// Cron work, every minute. Each step is independent: one failing does not stop the others.

import { listExpiredArtifacts, markArtifactSweptStatement } from '../db/artifacts';
import {
  cancelJob,
  clearCheckpoint,
  expireJobStatement,
  failJob,
  flagStuckJobs,
  listAbandonedUploads,
  listExpiredLeases,
  listQueuedBefore,
} from '../db/jobs';
import { pruneLoginFailures } from '../db/login-failures';
import { readOpsSettings } from '../db/ops';
import { deleteExpiredSessions } from '../db/sessions';
import { pruneRowVersions } from '../db/versions';
import { pruneWebhookDeliveries } from '../db/webhook-deliveries';
import { dispatchOutbox } from '../email/dispatch';
import { type Env, settings } from '../env';
import { errorFields, jobLogFields, log } from '../log';
import { abortCheckpointUpload } from './checkpoint';
import { retryAutomatically } from './create';
import { FAILURES, stuckInQueueReason } from './failures';
import { MAX_ATTEMPTS } from './runner';

/** A lease this far past its expiry belongs to a runner that is gone, not one that is a bit slow. */
const LEASE_GRACE_MS = 5_000;

export async function runLifecycle(env: Env, now: number): Promise<Record<string, unknown>> {
  const steps: [string, () => Promise<unknown>][] = [
    ['stuck_queue', () => detectStuckJobs(env, now)],
    ['lost_runners', () => recoverLostRunners(env, now)],
    ['abandoned_uploads', () => abortAbandonedUploads(env)],
    ['sweeper', () => sweepExpiredArtifacts(env, now)],
    ['outbox', () => dispatchOutbox(env, now)],
    ['expired_sessions', () => deleteExpiredSessions(env.DB, now)],
    ['login_failures', () => pruneLoginFailures(env.DB, now)],
    ['webhook_deliveries', () => pruneWebhookDeliveries(env.DB, now)],
    ['row_versions', () => pruneRowVersions(env.DB, now)],
  ];
  const results: Record<string, unknown> = {};
  for (const [name, step] of steps) {
    try {
      results[name] = await step();
    } catch (err) {
      results[name] = 'failed';
      log('error', 'lifecycle.step_failed', { step: name, ...errorFields(err) });
    }
  }
  log('info', 'lifecycle.ran', results);
  return results;
}

/**
 * A job never lingers silently in the queue. Past the note threshold it is flagged (the UI says
 * "taking longer than usual"); past the failure threshold it fails with a stuck-queue diagnostic
 * and one automatic retry is queued (never for a job that is itself a retry). While an operator
 * has paused the runner, waiting is expected and nothing is failed.
 */
export async function detectStuckJobs(env: Env, now: number): Promise<{ flagged: number; failed: number; retried: number }> {
  const limits = settings(env);
  const counts = { flagged: await flagStuckJobs(env.DB, now - limits.stuckNoteMs, now), failed: 0, retried: 0 };
  if ((await readOpsSettings(env.DB)).runner_paused) return counts;
  for (const job of await listQueuedBefore(env.DB, now - limits.stuckFailMs)) {
    const waited = Math.round((now - job.created_at) / 60_000);
    // A first request is retried once automatically; its retry is not retried again.
    const retried = job.retry_of === null;
    const failed = await failJob(env.DB, {
      id: job.id,
      from: 'queued',
      now,
      code: 'stuck_in_queue',
      reason: stuckInQueueReason(retried ? limits.stuckFailMs / 60_000 : waited, retried),
    });
    if (!failed) continue;
    counts.failed++;
    log('warn', 'report_job.stuck_failed', {
      ...jobLogFields(job),
      outcome: 'failed',
      failure_code: 'stuck_in_queue',
      waited_minutes: waited,
      queue_wait_ms: now - job.created_at,
    });
    if (job.retry_of) continue; // at most one automatic retry per original request
    if (await retryAutomatically(env, failed, now)) counts.retried++;
  }
  return counts;
}

/**
 * Nothing stays `running` forever. A job whose runner stopped renewing its lease is cancelled if
 * that was asked for, failed as interrupted after too many attempts, or else queued again so a new
 * runner resumes it from its checkpoint. Each change is conditional on the token we saw, so a
 * runner that just took the job over is left alone.
 */
export async function recoverLostRunners(env: Env, now: number): Promise<{ resumed: number; cancelled: number; failed: number }> {
  const counts = { resumed: 0, cancelled: 0, failed: 0 };
  for (const job of await listExpiredLeases(env.DB, now - LEASE_GRACE_MS)) {
    const holder = { id: job.id, from: 'running' as const, token: job.claim_token ?? undefined, now };
    if (job.cancel_requested_at !== null || job.attempts >= MAX_ATTEMPTS) {
      const cancelling = job.cancel_requested_at !== null;
      const ended = cancelling
        ? await cancelJob(env.DB, holder)
        : await failJob(env.DB, { ...holder, code: 'interrupted', reason: FAILURES.interrupted });
      if (ended) {
        if (await abortCheckpointUpload(env.REPORTS_BUCKET, job)) await clearCheckpoint(env.DB, job.id);
        counts[cancelling ? 'cancelled' : 'failed']++;
        log('warn', 'report_job.lost_runner', {
          ...jobLogFields(job),
          outcome: ended.status,
          attempts: job.attempts,
        });
      }
      continue;
    }
    await env.REPORT_JOBS.send({ job_id: job.id });
    counts.resumed++;
    log('warn', 'report_job.lost_runner', {
      ...jobLogFields(job),
      outcome: 'requeued',
      attempts: job.attempts,
    });
  }
  return counts;
}

/**
 * Artifacts past REPORT_ARTIFACT_RETENTION_DAYS: first the row is marked swept and the job moves to
 * `expired` (one transaction), only then is the object deleted. A download racing the sweeper
 * therefore sees either the file or the swept page, and no object is deleted while its row still
 * says it exists.
 */
export async function sweepExpiredArtifacts(env: Env, now: number): Promise<{ swept: number }> {
  let swept = 0;
  for (const artifact of await listExpiredArtifacts(env.DB, now)) {
    const [marked] = await env.DB.batch([
      markArtifactSweptStatement(env.DB, artifact.id, now),
      expireJobStatement(env.DB, artifact.job_id, now),
    ]);
    if ((marked?.results?.length ?? 0) === 0) continue; // another sweeper got it
    await env.REPORTS_BUCKET.delete(artifact.r2_key);
    swept++;
    log('info', 'report_artifact.swept', { job_id: artifact.job_id, r2_key: artifact.r2_key, size_bytes: artifact.size_bytes });
  }
  return { swept };
}

/** Uploads of failed or cancelled jobs that could not be aborted at the time (R2 was down): again. */
export async function abortAbandonedUploads(env: Env): Promise<{ aborted: number; pending: number }> {
  const counts = { aborted: 0, pending: 0 };
  for (const job of await listAbandonedUploads(env.DB)) {
    if (await abortCheckpointUpload(env.REPORTS_BUCKET, job)) {
      await clearCheckpoint(env.DB, job.id);
      counts.aborted++;
    } else counts.pending++;
  }
  return counts;
}

/**
 * A job whose queue message was dead-lettered (its deliveries kept failing before the runner could
 * act): failed with a reason, whether it never started or its runner kept crashing.
 */
export async function failDeadLetteredJob(db: D1Database, jobId: string, now: number): Promise<boolean> {
  const failure = { id: jobId, now, code: 'interrupted', reason: FAILURES.interrupted };
  return (
    (await failJob(db, { ...failure, from: 'queued' })) !== null || (await failJob(db, { ...failure, from: 'running' })) !== null
  );
}
