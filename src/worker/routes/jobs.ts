import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { can } from '../auth/roles';
import { requireEventAccess } from '../auth/session';
import {
  countOf,
  countQuotaJobsStatement,
  findJobForList,
  findRetryOf,
  insertJob,
  JOB_SORTS,
  type JobListRow,
  type JobRow,
  listJobs,
  requestCancel,
  transitionJob,
} from '../db/jobs';
import { opsSettingsOf, readOpsSettings, readOpsSettingsStatement } from '../db/ops';
import { RESENDS_PER_HOUR, resendNotifications } from '../db/outbox';
import { ineligibleRecipients } from '../email/recipients';
import { type Env, settings } from '../env';
import { ApiError, badRequest, notFound } from '../errors';
import type { AppEnv } from '../hono';
import { newId } from '../ids';
import { type FailureRemedy, failureRemedy, JobFailure } from '../jobs/failures';
import { isStuck, isTerminal, JOB_STATUSES } from '../jobs/state';
import { log } from '../log';
import { wantsHtml } from '../pages';
import { findReportType, parseReportRequest, reportTypesFor } from '../reports/catalog';
import type { CommonParams } from '../reports/params';
import type { ReportType } from '../reports/types';
import { downloadPath, linkExpiry, signDownloadUrl } from '../signing';
import { jsonBody, queryOf } from '../validate';

export async function jobResource(env: Env, row: JobListRow, now: number) {
  const bounced = JSON.parse(row.bounced_recipients ?? '[]') as string[];
  const notificationStatuses = JSON.parse(row.notification_statuses ?? '[]') as string[];
  const artifact =
    row.artifact_file_name === null
      ? null
      : {
          file_name: row.artifact_file_name,
          size_bytes: row.artifact_size_bytes,
          content_type: row.artifact_content_type,
          row_count: row.artifact_row_count,
          download_count: row.artifact_download_count,
          last_downloaded_at: row.artifact_last_downloaded_at,
          expires_at: row.artifact_expires_at,
          swept_at: row.artifact_swept_at,
        };
  const downloadable = fileAvailable(row, now);
  const expires = linkExpiry(env, now);
  return {
    job_id: row.id,
    event_id: row.event_id,
    workspace_id: row.workspace_id,
    type: row.type,
    type_name: findReportType(row.type)?.name ?? row.type,
    format: row.format,
    params: JSON.parse(row.params) as Record<string, unknown>,
    status: row.status,
    requested_by: row.requested_by,
    requested_by_name: row.requested_by_name,
    notify_emails: JSON.parse(row.notify_emails) as string[],
    snapshot_at: row.snapshot_at,
    phase: row.phase,
    rows_done: row.rows_done,
    rows_expected: row.rows_expected,
    bytes_written: row.bytes_written,
    attempts: row.attempts,
    cancel_requested_at: row.cancel_requested_at,
    failure_code: row.failure_code,
    failure_reason: row.failure_reason,
    retry_of: row.retry_of,
    rerun_of: row.rerun_of,
    created_at: row.created_at,
    updated_at: row.updated_at,
    started_at: row.started_at,
    finished_at: row.finished_at,
    stuck: isStuck(row, now, settings(env).stuckNoteMs),
    /** What helps after a failure (jobs/failures.ts); null unless failed. */
    failure_remedy: row.status === 'failed' ? failureRemedy(row.failure_code, row.format) : null,
    /** The retry already made of this failed job (by its requester, an admin or the stuck detector). */
    retried_by: row.retried_by,
    notification_status:
      bounced.length > 0 ? 'bounced' : (['queued', 'sent', 'failed'].find((st) => notificationStatuses.includes(st)) ?? null),
    notification_bounced: bounced.length > 0,
    bounced_recipients: bounced,
    /** Each recipient's latest "report ready" email: queued, sent, bounced or failed. */
    notifications: JSON.parse(row.notifications ?? '[]') as { recipient: string; status: string; at: number }[],
    artifact,
    download_url: downloadable
      ? await signDownloadUrl(env.REPORT_DOWNLOAD_SIGNING_SECRET, downloadPath(row.event_id, row.id), expires)
      : null,
    download_url_expires_at: downloadable ? expires * 1000 : null,
  };
}

export const listQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  sort: z.enum(Object.keys(JOB_SORTS) as [keyof typeof JOB_SORTS]).default('created_at'),
  order: z.enum(['asc', 'desc']).default('desc'),
  /** `mine`: only the caller's own requests (the report center's default); `all`: everyone's. */
  scope: z.enum(['all', 'mine']).default('all'),
  type: z.string().min(1).max(64).optional(),
  status: z.enum(JOB_STATUSES).optional(),
});

export const resendBody = z.strictObject({
  notify_emails: z.array(z.email().max(254)).min(1).max(10),
});

export const createBody = z.strictObject({
  type: z.string().min(1).max(64),
  params: z.record(z.string(), z.unknown()).default({}),
  notify_emails: z.array(z.email().max(254)).max(10).default([]),
});

export const jobRoutes = new Hono<AppEnv>()
  .use(requireEventAccess('reports:read'))
  .get('/', async (c) => {
    const q = queryOf(c, listQuery);
    const visible = reportTypesFor(c.get('membership').role).map((t) => t.key);
    // A type the caller may not see lists nothing, as if it had no jobs.
    const types = q.type === undefined ? visible : visible.filter((t) => t === q.type);
    const now = c.get('now');
    const user = c.get('user');
    const { rows, total, extra } = await listJobs(
      c.env.DB,
      {
        eventId: c.get('event').id,
        types,
        requestedBy: q.scope === 'mine' ? user.id : undefined,
        status: q.status,
        sort: q.sort,
        order: q.order,
        limit: q.limit,
        offset: (q.page - 1) * q.limit,
      },
      [countQuotaJobsStatement(c.env.DB, user.id, now - DAY_MS), readOpsSettingsStatement(c.env.DB)],
    );
    const quota = quotaOf(c.env, countOf(extra[0]));
    const ops = opsSettingsOf(extra[1]);
    return c.json({
      data: await Promise.all(rows.map((r) => jobResource(c.env, r, now))),
      page: q.page,
      limit: q.limit,
      total,
      hasMore: q.page * q.limit < total,
      server_time: now,
      quota,
      /** The operator switches: queued reports wait while the runner is paused, and say so. */
      runner_paused: ops.runner_paused,
      new_requests_disabled: ops.new_requests_disabled,
    });
  })
  .post('/', async (c) => {
    const body = await jsonBody(c, createBody);
    const { type, params } = parseReportRequest(c.get('membership').role, body.type, body.params);
    const job = await createReportJob(c, { type: type.key, params, notify_emails: body.notify_emails });
    return c.json(job.resource, 201);
  })
  .get('/:jobId', async (c) => {
    const row = await visibleJob(c);
    return c.json(await jobResource(c.env, row, c.get('now')));
  })
  .post('/:jobId/cancel', async (c) => {
    const row = await visibleJob(c);
    assertMayManage(c, row, 'cancel');
    const now = c.get('now');
    if (row.status === 'queued') {
      const cancelled = await transitionJob(c.env.DB, {
        id: row.id,
        from: 'queued',
        to: 'cancelled',
        now,
        set: { finished_at: now },
      });
      if (cancelled) {
        log('info', 'report_job.cancelled', {
          job_id: row.id,
          event_id: row.event_id,
          workspace_id: row.workspace_id,
          user_id: c.get('user').id,
          requested_by: row.requested_by,
          type: row.type,
          outcome: 'cancelled',
          while: 'queued',
          queued_ms: now - row.created_at,
        });
        return c.json({ outcome: 'cancelled', message: 'Report cancelled.', job: await reloadJob(c, row.id) });
      }
    }
    // A queued job may have just been claimed: ask its runner.
    const running = await requestCancel(c.env.DB, row.id, now);
    if (running) {
      const late = running.phase === 'finalizing';
      log('info', 'report_job.cancel_requested', {
        job_id: row.id,
        event_id: row.event_id,
        workspace_id: row.workspace_id,
        user_id: c.get('user').id,
        outcome: late ? 'requested_may_complete' : 'requested',
        phase: running.phase,
      });
      return c.json(
        {
          outcome: late ? 'requested_may_complete' : 'requested',
          message: late
            ? 'Cancellation requested — may complete anyway.'
            : 'Cancellation requested. The report stops within seconds.',
          job: await reloadJob(c, row.id),
        },
        202,
      );
    }
    const current = await reloadJob(c, row.id);
    throw new ApiError(409, 'not_cancellable', `This report is already ${current.status}; there is nothing to cancel.`);
  })
  .post('/:jobId/retry', async (c) => {
    const row = await visibleJob(c);
    assertMayManage(c, row, 'retry');
    if (row.status !== 'failed')
      throw new ApiError(409, 'not_retryable', `Only a failed report can be retried; this one is ${row.status}.`);
    const existing = await findRetryOf(c.env.DB, row.id);
    if (existing) return c.json(await reloadJob(c, existing.id), 200);
    // The same request would fail the same way: the fix is another request, which Re-run and the
    // form make (with a narrower range, as CSV, with other parameters).
    const remedy = failureRemedy(row.failure_code, row.format);
    if (remedy !== 'retry') throw new ApiError(409, 'retry_cannot_help', REMEDY_MESSAGES[remedy]);
    const job = await createReportJob(c, fromPrevious(row, { retry_of: row.id }));
    return c.json(job.resource, job.created ? 201 : 200);
  })
  .post('/:jobId/resend-notification', async (c) => {
    const row = await visibleJob(c);
    assertMayManage(c, row, 'resend the notification of');
    const body = await jsonBody(c, resendBody);
    if (!fileAvailable(row, c.get('now'))) {
      throw new ApiError(
        409,
        'not_available',
        row.status === 'completed'
          ? "This report's file is no longer kept, so there is nothing to send. Re-run the report."
          : `Only a completed report can be sent again; this one is ${row.status}.`,
      );
    }
    const type = findReportType(row.type);
    if (type) await assertRecipientsMayRead(c, type, body.notify_emails);
    const now = c.get('now');
    const resent = await resendNotifications(c.env.DB, {
      jobId: row.id,
      requestedBy: c.get('user').id,
      recipients: body.notify_emails,
      now,
    });
    if (!resent.admitted) {
      const minutes = Math.max(1, Math.ceil((resent.retryAt - now) / 60_000));
      c.header('retry-after', String(Math.max(1, Math.ceil((resent.retryAt - now) / 1000))));
      throw new ApiError(
        429,
        'resend_limit',
        `This report's notification was already sent again ${RESENDS_PER_HOUR} times in the last hour. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      );
    }
    log('info', 'report_job.notification_resent', {
      job_id: row.id,
      event_id: row.event_id,
      workspace_id: row.workspace_id,
      user_id: c.get('user').id,
      recipients: body.notify_emails.length,
    });
    return c.json(await reloadJob(c, row.id), 202);
  })
  // "Generate a new download link": re-sign while the file exists, else re-run the report.
  // A form on the expired-link page posts here, so browsers get a redirect, API clients JSON.
  .post('/:jobId/download-link', async (c) => {
    const row = await visibleJob(c);
    const browser = wantsHtml(c);
    if (fileAvailable(row, c.get('now'))) {
      const expires = linkExpiry(c.env, c.get('now'));
      const url = await signDownloadUrl(c.env.REPORT_DOWNLOAD_SIGNING_SECRET, downloadPath(row.event_id, row.id), expires);
      log('info', 'report_download.link_regenerated', {
        job_id: row.id,
        event_id: row.event_id,
        workspace_id: row.workspace_id,
        user_id: c.get('user').id,
        outcome: 'link',
      });
      if (browser) return c.redirect(url, 303);
      return c.json({ outcome: 'link', download_url: url, download_url_expires_at: expires * 1000 });
    }
    if (!isTerminal(row.status)) throw new ApiError(409, 'not_finished', 'This report is still being prepared.');
    const job = await createReportJob(c, fromPrevious(row, { rerun_of: row.id }));
    if (browser) return c.redirect(`/admin/events/${row.event_id}/reports?highlight=${job.resource.job_id}`, 303);
    return c.json({ outcome: 'rerun', job: job.resource }, 201);
  })
  .post('/:jobId/rerun', async (c) => {
    const row = await visibleJob(c);
    if (!isTerminal(row.status))
      throw new ApiError(409, 'not_finished', `This report is still ${row.status}; re-run it once it has finished.`);
    const job = await createReportJob(c, fromPrevious(row, { rerun_of: row.id }));
    return c.json(job.resource, 201);
  });

type JobContext = Context<AppEnv>;

/** The job's file can still be served: completed, not swept, and within its retention. */
function fileAvailable(row: JobListRow, now: number): boolean {
  return row.status === 'completed' && row.artifact_swept_at === null && (row.artifact_expires_at ?? 0) > now;
}

const DAY_MS = 86_400_000;

/** Why Retry would not help, and what would. */
const REMEDY_MESSAGES: Record<Exclude<FailureRemedy, 'retry'>, string> = {
  narrow_range: 'Retrying would fail the same way: create the report again with a narrower date range, or per month.',
  use_csv: 'Retrying would fail the same way: a PDF cannot hold this many rows. Create the report as CSV instead.',
  adjust_parameters: 'Retrying would fail the same way: adjust the parameters and create the report again.',
  none: 'This report cannot be made again: its event no longer exists.',
};

/** Reports a person may still ask for in the rolling 24 hours; failed and cancelled ones do not count. */
function quotaOf(env: Env, used: number): { limit: number; used: number; remaining: number } {
  const limit = settings(env).dailyQuotaPerUser;
  return { limit, used, remaining: Math.max(0, limit - used) };
}

/**
 * Report emails go only to members who can open the link: refused with a 400 naming the first
 * address that is not a member of the event's workspace who may read the type.
 */
export async function assertRecipientsMayRead(c: JobContext, type: ReportType, emails: readonly string[]): Promise<void> {
  const [refused] = await ineligibleRecipients(c.env.DB, c.get('event').workspace_id, type, emails);
  if (refused === undefined) return;
  throw badRequest(
    `notify_emails.${emails.indexOf(refused)}: ${refused} is not a member of ${c.get('membership').workspace_name} who can open the ${type.name} report. Reports can only be emailed to members with access to them.`,
    'recipient_not_member',
  );
}

/** The recipients a new job keeps: as asked for (each must be able to read the type), or those of an earlier job who still can. */
async function recipientsOf(c: JobContext, report: NewReport): Promise<string[]> {
  const type = findReportType(report.type);
  if (!type) return report.notify_emails;
  if (!report.recipientsFromEarlierJob) {
    await assertRecipientsMayRead(c, type, report.notify_emails);
    return report.notify_emails;
  }
  const refused = await ineligibleRecipients(c.env.DB, c.get('event').workspace_id, type, report.notify_emails);
  return report.notify_emails.filter((email) => !refused.includes(email));
}

/**
 * Cancel, retry and resend act on someone's request: they belong to the person who asked for the
 * report and to workspace admins. Seeing a job, and re-running it as one's own new job, stay open
 * to every member who may read its type.
 */
function assertMayManage(c: JobContext, row: JobRow, action: string): void {
  if (row.requested_by === c.get('user').id || can(c.get('membership').role, 'reports:admin')) return;
  throw new ApiError(403, 'not_requester', `Only the person who asked for this report, or a workspace admin, can ${action} it.`);
}

/** The job named in the path, if the caller may see it (another event's or a hidden type's: 404). */
async function visibleJob(c: JobContext): Promise<JobListRow> {
  const row = await findJobForList(c.env.DB, c.get('event').id, c.req.param('jobId') ?? '');
  const type = row ? findReportType(row.type) : undefined;
  if (!row || !type || !can(c.get('membership').role, type.permission)) throw notFound('Report not found.');
  return row;
}

async function reloadJob(c: JobContext, jobId: string) {
  const row = await findJobForList(c.env.DB, c.get('event').id, jobId);
  if (!row) throw notFound('Report not found.');
  return jobResource(c.env, row, c.get('now'));
}

interface NewReport {
  type: string;
  params: CommonParams;
  notify_emails: string[];
  /** Copied from an earlier job: recipients who can no longer open the report are left out, not refused. */
  recipientsFromEarlierJob?: boolean;
  retry_of?: string;
  rerun_of?: string;
}

/** Same type, parameters and recipients as an earlier job, asked for again by the caller. */
function fromPrevious(row: JobListRow, link: { retry_of?: string; rerun_of?: string }): NewReport {
  return {
    type: row.type,
    params: JSON.parse(row.params) as CommonParams,
    notify_emails: JSON.parse(row.notify_emails) as string[],
    recipientsFromEarlierJob: true,
    ...link,
  };
}

/**
 * The one way a report job comes to be: checks the operator switch, stores the job with its
 * parameter snapshot, and puts it on the queue. Never deduplicated: two asks, two jobs (except a
 * second Retry of the same failed job, which returns the first retry).
 */
export async function createReportJob(
  c: JobContext,
  report: NewReport,
): Promise<{ created: boolean; resource: Awaited<ReturnType<typeof jobResource>> }> {
  const ops = await readOpsSettings(c.env.DB);
  if (ops.new_requests_disabled) {
    throw new ApiError(
      503,
      'new_requests_disabled',
      'New reports are paused by an operator for a moment. Completed reports can still be downloaded.',
    );
  }
  const notifyEmails = await recipientsOf(c, report);
  const now = c.get('now');
  const event = c.get('event');
  const user = c.get('user');
  const limit = settings(c.env).dailyQuotaPerUser;
  const job = await insertJob(
    c.env.DB,
    {
      id: newId(now),
      workspace_id: event.workspace_id,
      event_id: event.id,
      type: report.type,
      format: report.params.format,
      params: JSON.stringify(report.params),
      requested_by: user.id,
      notify_emails: JSON.stringify(notifyEmails),
      snapshot_at: now,
      retry_of: report.retry_of ?? null,
      rerun_of: report.rerun_of ?? null,
      created_at: now,
    },
    // Counted and taken in the insert itself: parallel requests never admit more than the quota.
    { userId: user.id, limit, since: now - DAY_MS },
  );
  if (!job) {
    // Lost the race to another click on Retry: hand back the retry that won. Otherwise the quota was full.
    const existing = report.retry_of ? await findRetryOf(c.env.DB, report.retry_of) : null;
    if (existing) return { created: false, resource: await reloadJob(c, existing.id) };
    throw new ApiError(
      429,
      'quota_exceeded',
      `You have reached your limit of ${limit} reports in 24 hours. Failed and cancelled reports do not count; try again later.`,
    );
  }
  try {
    await c.env.REPORT_JOBS.send({ job_id: job.id });
  } catch (err) {
    const failure = new JobFailure('queue_unavailable');
    await transitionJob(c.env.DB, {
      id: job.id,
      from: 'queued',
      to: 'failed',
      now,
      set: { failure_code: failure.code, failure_reason: failure.reason, finished_at: now },
    });
    log('error', 'report_job.enqueue_failed', {
      job_id: job.id,
      event_id: event.id,
      workspace_id: event.workspace_id,
      user_id: user.id,
      type: job.type,
      outcome: 'failed',
      failure_code: failure.code,
      error: String(err),
    });
    throw new ApiError(503, 'queue_unavailable', failure.reason);
  }
  log('info', 'report_job.created', {
    job_id: job.id,
    event_id: event.id,
    workspace_id: event.workspace_id,
    user_id: user.id,
    type: job.type,
    format: job.format,
    outcome: 'queued',
    retry_of: job.retry_of,
    rerun_of: job.rerun_of,
  });
  const resource = await jobResource(c.env, { ...job, ...EMPTY_ARTIFACT, requested_by_name: user.name }, now);
  return { created: true, resource };
}

const EMPTY_ARTIFACT = {
  artifact_file_name: null,
  artifact_size_bytes: null,
  artifact_content_type: null,
  artifact_row_count: null,
  artifact_download_count: null,
  artifact_last_downloaded_at: null,
  artifact_expires_at: null,
  artifact_swept_at: null,
  bounced_recipients: '[]',
  notification_statuses: '[]',
  notifications: '[]',
  retried_by: null,
} as const;
