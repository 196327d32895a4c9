import type { Context } from 'hono';
import { requireEventAccess, withEventAccess } from '../auth/session';
import { countOf, findJobForListStatement, type JobListRow, jobPageOf, listJobsStatements } from '../db/job-list';
import { cancelJob, countQuotaJobsStatement, findRetryOf, type JobRow, requestCancel } from '../db/jobs';
import { opsSettingsOf, readOpsSettingsStatement } from '../db/ops';
import { RESENDS_PER_HOUR, resendNotifications } from '../db/outbox';
import { ApiError, notFound } from '../errors';
import type { AppEnv } from '../hono';
import { createJobFor, jobRequestOf, reloadJob } from '../http';
import { findVisibleJob, mayManage, visibleJobOf } from '../jobs/access';
import { assertRecipientsMayRead, fromPrevious, quotaOf, quotaSince } from '../jobs/create';
import { failureRemedy, RETRY_REFUSALS } from '../jobs/failures';
import { createBody, listQuery, resendBody } from '../jobs/requests';
import { fileAvailable, jobResource } from '../jobs/resource';
import { isTerminal } from '../jobs/state';
import { jobLogFields, log } from '../log';
import { jobExample, queuedJobExample } from '../openapi/examples';
import { components, defineRoute, json, jsonRequest, Routes, reportRequestSchema } from '../openapi/route';
import * as S from '../openapi/schemas';
import { SHOW_READY, wantsHtml } from '../pages';
import { findReportType, parseReportRequest, visibleTypesByRole } from '../reports/catalog';
import { downloadPath, linkExpiry, signDownloadUrl } from '../signing';
import { jsonBody, queryOf } from '../validate';

const tags = ['Reports'];
const MANAGERS =
  'Only the person who asked for the report and workspace admins may do this; other members get 403 `not_requester`.';
const earlierJob = '01kq3m2v8x0000000000000009';

export const jobRoutes = new Routes();
// The two reads every open report center polls check the session in the same D1 round trip as
// their own queries (withEventAccess); every other route checks it first (readReports).
const readReports = requireEventAccess('reports:read');
jobRoutes
  .handle(
    defineRoute({
      method: 'get',
      path: '/',
      tags,
      summary: 'The event’s report jobs',
      description: 'Only the types the caller’s role may see. Includes the caller’s daily quota.',
      auth: 'event',
      request: { query: listQuery },
      errors: [400],
      responses: {
        200: json(components.JobList, {
          data: [jobExample],
          page: 1,
          limit: 25,
          total: 1,
          hasMore: false,
          server_time: jobExample.finished_at + 60_000,
          quota: { limit: 100, used: 1, remaining: 99 },
          runner_paused: false,
          new_requests_disabled: false,
        }),
      },
    }),
    async (c) => {
      const q = await listQueryOf(c);
      const db = c.env.DB;
      const now = c.get('now');
      const [page, count, quotaJobs, switches] = await withEventAccess(c, 'reports:read', (caller) => [
        ...listJobsStatements(db, {
          eventId: caller.eventId,
          // A type the caller may not see lists nothing, as if it had no jobs.
          types: { byRole: visibleTypesByRole(q.type), role: caller.role },
          requestedBy: q.scope === 'mine' ? caller.userId : undefined,
          status: q.status,
          sort: q.sort,
          order: q.order,
          limit: q.limit,
          offset: (q.page - 1) * q.limit,
        }),
        countQuotaJobsStatement(db, caller.userId, quotaSince(now)),
        readOpsSettingsStatement(db),
      ]);
      const { rows, total } = jobPageOf(page, count);
      const ops = opsSettingsOf(switches);
      return c.json({
        data: await Promise.all(rows.map((r) => jobResource(c.env, r, now))),
        page: q.page,
        limit: q.limit,
        total,
        hasMore: q.page * q.limit < total,
        server_time: now,
        quota: quotaOf(c.env, countOf(quotaJobs)),
        /** The operator switches: queued reports wait while the runner is paused, and say so. */
        runner_paused: ops.runner_paused,
        new_requests_disabled: ops.new_requests_disabled,
      });
    },
  )
  .handle(
    defineRoute({
      method: 'post',
      path: '/',
      tags,
      summary: 'Ask for a report',
      description:
        'Validates `params` with the type’s own schema (see the catalog), stores the job with a snapshot of its parameters and the instant, and queues it. Answers at once; the file is made in the background. Every `notify_emails` address must belong to a member of the event’s workspace who may read the type (400 `recipient_not_member` naming the address otherwise; see …/reports/recipients). The daily quota is counted and taken in the same statement as the insert (429 `quota_exceeded`).',
      auth: 'event',
      middleware: [readReports],
      request: {
        body: jsonRequest(reportRequestSchema(createBody), {
          type: 'guest-list',
          params: { format: 'csv', date_from: '2026-01-01', date_to: '2026-01-31' },
          notify_emails: ['organizer@acme.test'],
        }),
      },
      errors: [400, 429, 503],
      responses: { 201: json(components.Job, queuedJobExample, 'The job, queued.') },
    }),
    async (c) => {
      const body = await jsonBody(c, createBody);
      const { type, params } = parseReportRequest(c.get('membership').role, body.type, body.params);
      const job = await createJobFor(c, { type: type.key, params, notify_emails: body.notify_emails });
      return c.json(job.resource, 201);
    },
  )
  .handle(
    defineRoute({
      method: 'get',
      path: '/{jobId}',
      tags,
      summary: 'One report job',
      auth: 'event',
      errors: [404],
      responses: { 200: json(components.Job, jobExample) },
    }),
    async (c) => {
      const [found] = await withEventAccess(c, 'reports:read', (caller) => [
        findJobForListStatement(c.env.DB, caller.eventId, c.req.param('jobId') ?? ''),
      ]);
      const row = visibleJobOf(found?.results?.[0] as JobListRow | undefined, c.get('membership').role);
      if (!row) throw notFound('Report not found.');
      return c.json(await jobResource(c.env, row, c.get('now')));
    },
  )
  .handle(
    defineRoute({
      method: 'post',
      path: '/{jobId}/cancel',
      tags,
      summary: 'Cancel a report',
      description: `A queued job is cancelled at once (200); a running one stops at its next chunk (202, \`requested\`); one that is finalizing may complete anyway (202, \`requested_may_complete\`). ${MANAGERS}`,
      auth: 'event',
      middleware: [readReports],
      errors: [404, 409],
      responses: {
        200: json(S.cancelResponse, {
          outcome: 'cancelled',
          message: 'Report cancelled.',
          job: { ...queuedJobExample, status: 'cancelled' },
        }),
        202: json(
          S.cancelResponse,
          {
            outcome: 'requested',
            message: 'Cancellation requested. The report stops within seconds.',
            job: { ...queuedJobExample, status: 'running', cancel_requested_at: jobExample.created_at + 1000 },
          },
          'Cancellation requested from the runner.',
        ),
      },
    }),
    async (c) => {
      const row = await visibleJob(c);
      assertMayManage(c, row, 'cancel');
      const now = c.get('now');
      if (row.status === 'queued') {
        const cancelled = await cancelJob(c.env.DB, { id: row.id, from: 'queued', now });
        if (cancelled) {
          log('info', 'report_job.cancelled', {
            ...jobLogFields(row),
            cancelled_by: c.get('user').id,
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
          ...jobLogFields(row),
          cancelled_by: c.get('user').id,
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
    },
  )
  .handle(
    defineRoute({
      method: 'post',
      path: '/{jobId}/retry',
      tags,
      summary: 'Retry a failed report',
      description: `Creates one new job with the same parameters; a second Retry returns the same retry job (200). ${MANAGERS}`,
      auth: 'event',
      middleware: [readReports],
      errors: [404, 409, 429, 503],
      responses: {
        200: json(components.Job, { ...queuedJobExample, retry_of: earlierJob }, 'The retry made earlier.'),
        201: json(components.Job, { ...queuedJobExample, retry_of: earlierJob }, 'The new retry job.'),
      },
    }),
    async (c) => {
      const row = await visibleJob(c);
      assertMayManage(c, row, 'retry');
      if (row.status !== 'failed')
        throw new ApiError(409, 'not_retryable', `Only a failed report can be retried; this one is ${row.status}.`);
      const existing = await findRetryOf(c.env.DB, row.id);
      if (existing) return c.json(await reloadJob(c, existing.id), 200);
      // The same request would fail the same way: the fix is another request, which Re-run and the
      // form make (with a narrower range, as CSV, with other parameters).
      const remedy = failureRemedy(row.failure_code, row.format);
      if (remedy !== 'retry') throw new ApiError(409, 'retry_cannot_help', RETRY_REFUSALS[remedy]);
      const job = await createJobFor(c, fromPrevious(row, { retry_of: row.id }));
      return c.json(job.resource, job.created ? 201 : 200);
    },
  )
  .handle(
    defineRoute({
      method: 'post',
      path: '/{jobId}/resend-notification',
      tags,
      summary: 'Send the “report ready” email again',
      description: `${MANAGERS} Recipients must be members who may read the type (400 \`recipient_not_member\`). At most 5 resends per job per hour (429 \`resend_limit\` with Retry-After).`,
      auth: 'event',
      middleware: [readReports],
      request: { body: jsonRequest(resendBody, { notify_emails: ['organizer@acme.test'] }) },
      errors: [400, 404, 409, 429],
      responses: { 202: json(components.Job, jobExample, 'Queued in the outbox.') },
    }),
    async (c) => {
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
      if (type) await assertRecipientsMayRead(c.env.DB, jobRequestOf(c), type, body.notify_emails);
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
        ...jobLogFields(row),
        resent_by: c.get('user').id,
        recipients: body.notify_emails.length,
      });
      return c.json(await reloadJob(c, row.id), 202);
    },
  )
  // "Generate a new download link": re-sign while the file exists, else re-run the report.
  // A form on the expired-link page posts here, so browsers get a redirect, API clients JSON.
  .handle(
    defineRoute({
      method: 'post',
      path: '/{jobId}/download-link',
      tags,
      summary: 'Generate a new download link',
      description:
        'Re-signs the link while the file exists, else re-runs the report. Browsers (Accept: text/html, a form post from the expired-link page) get a 303 redirect instead of JSON.',
      auth: 'event',
      middleware: [readReports],
      errors: [404, 409],
      responses: {
        200: json(S.downloadLinkResponse, {
          outcome: 'link',
          download_url: jobExample.download_url,
          download_url_expires_at: jobExample.download_url_expires_at,
        }),
        201: json(S.downloadLinkResponse, { outcome: 'rerun', job: queuedJobExample }, 'The file is gone: a new job.'),
        303: { description: 'For browsers: to the file, or to the report center highlighting the new job.' },
      },
    }),
    async (c) => {
      const row = await visibleJob(c);
      const browser = wantsHtml(c);
      if (fileAvailable(row, c.get('now'))) {
        const expires = linkExpiry(c.env, c.get('now'));
        const url = await signDownloadUrl(c.env.REPORT_DOWNLOAD_SIGNING_SECRET, downloadPath(row.event_id, row.id), expires);
        log('info', 'report_download.link_regenerated', {
          ...jobLogFields(row),
          regenerated_by: c.get('user').id,
          outcome: 'link',
        });
        // To the ready page, which starts the download: the expired-link page does not stay behind.
        if (browser) return c.redirect(`${url}&${SHOW_READY}`, 303);
        return c.json({ outcome: 'link', download_url: url, download_url_expires_at: expires * 1000 });
      }
      if (!isTerminal(row.status)) throw new ApiError(409, 'not_finished', 'This report is still being prepared.');
      const job = await createJobFor(c, fromPrevious(row, { rerun_of: row.id }));
      if (browser) return c.redirect(`/admin/events/${row.event_id}/reports?highlight=${job.resource.job_id}`, 303);
      return c.json({ outcome: 'rerun', job: job.resource }, 201);
    },
  )
  .handle(
    defineRoute({
      method: 'post',
      path: '/{jobId}/rerun',
      tags,
      summary: 'Re-run a finished report',
      auth: 'event',
      middleware: [readReports],
      errors: [404, 409, 429, 503],
      responses: { 201: json(components.Job, { ...queuedJobExample, rerun_of: earlierJob }, 'The new job.') },
    }),
    async (c) => {
      const row = await visibleJob(c);
      if (!isTerminal(row.status))
        throw new ApiError(409, 'not_finished', `This report is still ${row.status}; re-run it once it has finished.`);
      const job = await createJobFor(c, fromPrevious(row, { rerun_of: row.id }));
      return c.json(job.resource, 201);
    },
  );

type JobContext = Context<AppEnv>;

/**
 * The list's query. Its reads are batched with the session check, so they need it first; when it
 * is invalid the caller is checked on its own, so a signed-out caller hears 401, not what was wrong.
 */
async function listQueryOf(c: JobContext) {
  const parsed = listQuery.safeParse(c.req.query());
  if (parsed.success) return parsed.data;
  await withEventAccess(c, 'reports:read', () => []);
  return queryOf(c, listQuery);
}

/** The job in the path, if the caller may see it (another event's or a hidden type's: 404). */
async function visibleJob(c: JobContext): Promise<JobListRow> {
  const row = await findVisibleJob(c.env.DB, c.get('event').id, c.req.param('jobId') ?? '', c.get('membership').role);
  if (!row) throw notFound('Report not found.');
  return row;
}

/** Cancel, retry and resend: the requester and workspace admins (jobs/access.ts). */
function assertMayManage(c: JobContext, row: JobRow, action: string): void {
  if (mayManage(row, c.get('user').id, c.get('membership').role)) return;
  throw new ApiError(403, 'not_requester', `Only the person who asked for this report, or a workspace admin, can ${action} it.`);
}
