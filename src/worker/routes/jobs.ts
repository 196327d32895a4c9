import { Hono } from 'hono';
import { z } from 'zod';
import { can } from '../auth/roles';
import { requireEventAccess, requireUser } from '../auth/session';
import { findJobForList, insertJob, JOB_SORTS, type JobListRow, listJobs, transitionJob } from '../db/jobs';
import { type Env, settings } from '../env';
import { ApiError, badRequest, forbidden, notFound } from '../errors';
import type { AppEnv } from '../hono';
import { newId } from '../ids';
import { JobFailure } from '../jobs/failures';
import { log } from '../log';
import { findReportType, reportTypesFor } from '../reports/catalog';
import { signDownloadUrl } from '../signing';
import { jsonBody, parseWith, queryOf } from '../validate';

/** The download path of a job; signed URLs cover exactly this string. */
export function downloadPath(eventId: string, jobId: string): string {
  return `/v1/admin/events/${eventId}/reports/jobs/${jobId}/download`;
}

/**
 * Link expiries are rounded up to the hour so that a list polled every few seconds hands out
 * the same URL, instead of a new one per poll.
 */
export function linkExpiry(env: Env, now: number): number {
  const seconds = Math.floor(now / 1000) + settings(env).downloadUrlTtlSeconds;
  return Math.ceil(seconds / 3600) * 3600;
}

async function jobResource(env: Env, row: JobListRow, now: number) {
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
  const downloadable = row.status === 'completed' && artifact !== null && artifact.swept_at === null;
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
    artifact,
    download_url: downloadable
      ? await signDownloadUrl(env.REPORT_DOWNLOAD_SIGNING_SECRET, downloadPath(row.event_id, row.id), expires)
      : null,
    download_url_expires_at: downloadable ? expires * 1000 : null,
  };
}

const listQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  sort: z.enum(Object.keys(JOB_SORTS) as [keyof typeof JOB_SORTS]).default('created_at'),
  order: z.enum(['asc', 'desc']).default('desc'),
});

const createBody = z.strictObject({
  type: z.string().min(1).max(64),
  params: z.record(z.string(), z.unknown()).default({}),
  notify_emails: z.array(z.email().max(254)).max(10).default([]),
});

export const jobRoutes = new Hono<AppEnv>()
  .use(requireUser, requireEventAccess('reports:read'))
  .get('/', async (c) => {
    const q = queryOf(c, listQuery);
    const visible = reportTypesFor(c.get('membership').role).map((t) => t.key);
    const { rows, total } = await listJobs(c.env.DB, {
      eventId: c.get('event').id,
      types: visible,
      sort: q.sort,
      order: q.order,
      limit: q.limit,
      offset: (q.page - 1) * q.limit,
    });
    const now = Date.now();
    return c.json({
      data: await Promise.all(rows.map((r) => jobResource(c.env, r, now))),
      page: q.page,
      limit: q.limit,
      total,
      hasMore: q.page * q.limit < total,
      server_time: now,
    });
  })
  .post('/', async (c) => {
    const body = await jsonBody(c, createBody);
    const type = findReportType(body.type);
    if (!type) throw badRequest(`type: Unknown report type "${body.type.slice(0, 64)}".`, 'unknown_report_type');
    if (!can(c.get('membership').role, type.permission)) {
      throw forbidden(`The ${type.name} report is available to workspace admins only. Ask an admin for access.`);
    }
    const params = parseWith(type.params, body.params, 'params');
    if (!type.formats.includes(params.format)) {
      throw badRequest(
        `params.format: The ${type.name} report can be generated as ${type.formats.join(' or ')}.`,
        'validation_failed',
      );
    }
    const now = Date.now();
    const event = c.get('event');
    const job = await insertJob(c.env.DB, {
      id: newId(now),
      workspace_id: event.workspace_id,
      event_id: event.id,
      type: type.key,
      format: params.format,
      params: JSON.stringify(params),
      requested_by: c.get('user').id,
      notify_emails: JSON.stringify(body.notify_emails),
      snapshot_at: now,
      retry_of: null,
      rerun_of: null,
      created_at: now,
    });
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
      log('error', 'report_job.enqueue_failed', { job_id: job.id, error: String(err) });
      throw new ApiError(503, 'queue_unavailable', failure.reason);
    }
    log('info', 'report_job.created', {
      job_id: job.id,
      event_id: event.id,
      workspace_id: event.workspace_id,
      user_id: job.requested_by,
      type: job.type,
    });
    const created = await findJobForList(c.env.DB, event.id, job.id);
    if (!created) throw new Error('created job vanished');
    return c.json(await jobResource(c.env, created, now), 201);
  })
  .get('/:jobId', async (c) => {
    const row = await findJobForList(c.env.DB, c.get('event').id, c.req.param('jobId'));
    const type = row ? findReportType(row.type) : undefined;
    if (!row || (type && !can(c.get('membership').role, type.permission))) throw notFound('Report not found.');
    return c.json(await jobResource(c.env, row, Date.now()));
  });
