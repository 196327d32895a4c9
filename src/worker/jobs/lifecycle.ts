// Cron work, every minute. Each step is independent: one failing does not stop the others.

import { listExpiredLeases, transitionJob } from '../db/jobs';
import { deleteExpiredSessions } from '../db/sessions';
import type { Env } from '../env';
import { errorFields, log } from '../log';
import { FAILURES } from './failures';
import { abortCheckpointUpload, MAX_ATTEMPTS } from './runner';

/** A lease this far past its expiry belongs to a runner that is gone, not one that is a bit slow. */
const LEASE_GRACE_MS = 5_000;

export async function runLifecycle(env: Env, now: number): Promise<void> {
  const steps: [string, () => Promise<unknown>][] = [
    ['lost_runners', () => recoverLostRunners(env, now)],
    ['expired_sessions', () => deleteExpiredSessions(env.DB, now)],
  ];
  for (const [name, step] of steps) {
    try {
      const result = await step();
      log('info', 'lifecycle.step', { step: name, result });
    } catch (err) {
      log('error', 'lifecycle.step_failed', { step: name, ...errorFields(err) });
    }
  }
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
    const token = job.claim_token ?? undefined;
    const done = { finished_at: now, phase: null, claim_token: null, lease_expires_at: null };
    if (job.cancel_requested_at !== null || job.attempts >= MAX_ATTEMPTS) {
      const cancelling = job.cancel_requested_at !== null;
      const ended = await transitionJob(env.DB, {
        id: job.id,
        from: 'running',
        to: cancelling ? 'cancelled' : 'failed',
        token,
        now,
        set: cancelling ? done : { ...done, failure_code: 'interrupted', failure_reason: FAILURES.interrupted },
      });
      if (ended) {
        await abortCheckpointUpload(env.REPORTS_BUCKET, job);
        counts[cancelling ? 'cancelled' : 'failed']++;
        log('warn', 'report_job.lost_runner', { job_id: job.id, outcome: ended.status, attempts: job.attempts });
      }
      continue;
    }
    await env.REPORT_JOBS.send({ job_id: job.id });
    counts.resumed++;
    log('warn', 'report_job.lost_runner', { job_id: job.id, outcome: 'requeued', attempts: job.attempts });
  }
  return counts;
}
