// The one way a report job comes to be: the operator's switch, the requester's daily quota, the
// recipients, the job row with its parameter snapshot, and its queue message. Called by the report
// center, the orders export, the token API, and the lifecycle's automatic retry of a stuck job.
// Never deduplicated: two asks, two jobs (except a second Retry of the same failed job).

import { insertAuditStatement } from '../db/audit';
import { type EventRow, findEvent } from '../db/events';
import { failJob, findRetryOf, insertJob, type JobRow } from '../db/jobs';
import { readOpsSettings } from '../db/ops';
import { ineligibleRecipients } from '../email/recipients';
import { type Env, settings } from '../env';
import { ApiError, badRequest } from '../errors';
import { newId } from '../ids';
import { jobLogFields, log } from '../log';
import { findReportType } from '../reports/catalog';
import type { CommonParams } from '../reports/params';
import type { ReportType } from '../reports/types';
import { JobFailure } from './failures';

const DAY_MS = 86_400_000;

export interface NewReport {
  type: string;
  params: CommonParams;
  notify_emails: string[];
  /** Copied from an earlier job: recipients who can no longer open the report are left out, not refused. */
  recipientsFromEarlierJob?: boolean;
  retry_of?: string;
  rerun_of?: string;
}

/** Who asks, for which event, when. `automatic`: the system's own retry, never refused. */
export interface JobRequest {
  env: Env;
  now: number;
  event: EventRow;
  requester: { id: string };
  /** Named in the refusal of a recipient who is not a member. */
  workspaceName: string;
  automatic?: boolean;
}

/** Reports a person may still ask for in the rolling 24 hours; failed and cancelled ones do not count. */
export function quotaOf(env: Env, used: number): { limit: number; used: number; remaining: number } {
  const limit = settings(env).dailyQuotaPerUser;
  return { limit, used, remaining: Math.max(0, limit - used) };
}

/** The window of the daily quota that ends at `now`. */
export const quotaSince = (now: number) => now - DAY_MS;

/** Same type, parameters and recipients as an earlier job, asked for again. */
export function fromPrevious(row: JobRow, link: { retry_of?: string; rerun_of?: string }): NewReport {
  return {
    type: row.type,
    params: JSON.parse(row.params) as CommonParams,
    notify_emails: JSON.parse(row.notify_emails) as string[],
    recipientsFromEarlierJob: true,
    ...link,
  };
}

/**
 * Report emails go only to members who can open the link: refused with a 400 naming the first
 * address that is not a member of the event's workspace who may read the type.
 */
export async function assertRecipientsMayRead(
  db: D1Database,
  target: { event: EventRow; workspaceName: string },
  type: ReportType,
  emails: readonly string[],
): Promise<void> {
  const [refused] = await ineligibleRecipients(db, target.event.workspace_id, type, emails);
  if (refused === undefined) return;
  throw badRequest(
    `notify_emails.${emails.indexOf(refused)}: ${refused} is not a member of ${target.workspaceName} who can open the ${type.name} report. Reports can only be emailed to members with access to them.`,
    'recipient_not_member',
  );
}

/** The recipients a new job keeps: as asked for (each must be able to read the type), or those of an earlier job who still can. */
async function recipientsOf(request: JobRequest, report: NewReport): Promise<string[]> {
  const type = findReportType(report.type);
  if (!type) return report.notify_emails;
  if (!report.recipientsFromEarlierJob) {
    await assertRecipientsMayRead(request.env.DB, request, type, report.notify_emails);
    return report.notify_emails;
  }
  const refused = await ineligibleRecipients(request.env.DB, request.event.workspace_id, type, report.notify_emails);
  return report.notify_emails.filter((email) => !refused.includes(email));
}

/**
 * Stores the job and queues it. `created` is false when a second Retry of the same failed job
 * lost the race: the job is then the retry that won.
 */
export async function createReportJob(request: JobRequest, report: NewReport): Promise<{ created: boolean; job: JobRow }> {
  const { env, now, event, requester } = request;
  if (!request.automatic && (await readOpsSettings(env.DB)).new_requests_disabled) {
    throw new ApiError(
      503,
      'new_requests_disabled',
      'New reports are paused by an operator for a moment. Completed reports can still be downloaded.',
    );
  }
  const notifyEmails = await recipientsOf(request, report);
  const limit = settings(env).dailyQuotaPerUser;
  const job = await insertJob(
    env.DB,
    {
      id: newId(now),
      workspace_id: event.workspace_id,
      event_id: event.id,
      type: report.type,
      format: report.params.format,
      params: JSON.stringify(report.params),
      requested_by: requester.id,
      notify_emails: JSON.stringify(notifyEmails),
      snapshot_at: now,
      retry_of: report.retry_of ?? null,
      rerun_of: report.rerun_of ?? null,
      created_at: now,
    },
    // Counted and taken in the insert itself: parallel requests never admit more than the quota.
    // The automatic retry continues a request that was already admitted.
    request.automatic ? undefined : { userId: requester.id, limit, since: quotaSince(now) },
  );
  if (!job) {
    // Lost the race to another click on Retry: hand back the retry that won. Otherwise the quota was full.
    const existing = report.retry_of ? await findRetryOf(env.DB, report.retry_of) : null;
    if (existing) return { created: false, job: existing };
    throw new ApiError(
      429,
      'quota_exceeded',
      `You have reached your limit of ${limit} reports in 24 hours. Failed and cancelled reports do not count; try again later.`,
    );
  }
  // The audit log's record of the request (the automatic retry is the system's, not a person's).
  await insertAuditStatement(env.DB, {
    workspace_id: event.workspace_id,
    actor_user_id: request.automatic ? null : requester.id,
    action: request.automatic ? 'report.retried_automatically' : 'report.requested',
    subject_type: 'event_report_job',
    subject_id: job.id,
    detail: { type: job.type, format: job.format, retry_of: job.retry_of, rerun_of: job.rerun_of },
    now,
  }).run();
  try {
    await env.REPORT_JOBS.send({ job_id: job.id });
  } catch (err) {
    const failure = new JobFailure('queue_unavailable');
    await failJob(env.DB, { id: job.id, from: 'queued', now, code: failure.code, reason: failure.reason });
    log('error', 'report_job.enqueue_failed', {
      ...jobLogFields(job),
      outcome: 'failed',
      failure_code: failure.code,
      error: String(err),
    });
    throw new ApiError(503, 'queue_unavailable', failure.reason);
  }
  log('info', request.automatic ? 'report_job.auto_retried' : 'report_job.created', {
    ...jobLogFields(job),
    format: job.format,
    outcome: 'queued',
    retry_of: job.retry_of,
    rerun_of: job.rerun_of,
  });
  return { created: true, job };
}

/** The lifecycle's automatic retry of a job that never started: the same request, once. */
export async function retryAutomatically(env: Env, failed: JobRow, now: number): Promise<JobRow | null> {
  const event = await findEvent(env.DB, failed.event_id);
  if (!event) return null;
  const request = { env, now, event, requester: { id: failed.requested_by }, workspaceName: '', automatic: true };
  return (await createReportJob(request, fromPrevious(failed, { retry_of: failed.id }))).job;
}
