import type { Context } from 'hono';
import { requireTokenEventAccess } from '../auth/api-token';
import { findArtifactByJob } from '../db/artifacts';
import { type JobListRow, listJobs } from '../db/job-list';
import { countEvent, type MetricEvent } from '../db/metrics';
import { ApiError, notFound } from '../errors';
import type { AppEnv } from '../hono';
import { createJobFor } from '../http';
import { findVisibleJob } from '../jobs/access';
import { createBody, listQuery } from '../jobs/requests';
import { jobResource } from '../jobs/resource';
import { log } from '../log';
import { apiJobExample, queuedJobExample } from '../openapi/examples';
import { defineRoute, file, json, jsonRequest, Routes, reportRequestSchema } from '../openapi/route';
import * as S from '../openapi/schemas';
import { parseReportRequest, reportTypesFor } from '../reports/catalog';
import { jsonBody, queryOf } from '../validate';
import { fileResponse, recordDownload } from './downloads';

// Report jobs through a workspace API token, the report-run way: create, list, poll until
// `completed`, then GET the file with the same token. The token's role is checked exactly like a
// member's (reports:read for the list, each type's own permission); the job resources are the
// report center's, with `download_url` pointing at the token's download route instead of a
// browser's signed link.

type ApiContext = Context<AppEnv>;

export function apiDownloadPath(eventId: string, jobId: string): string {
  return `/v1/api/events/${eventId}/reports/jobs/${jobId}/download`;
}

async function apiJobResource(c: ApiContext, row: JobListRow, now: number) {
  const resource = await jobResource(c.env, row, now);
  return {
    ...resource,
    download_url: resource.download_url === null ? null : apiDownloadPath(row.event_id, row.id),
    download_url_expires_at: null,
  };
}

/** The job named in the path, if the token's role may see its type (otherwise 404, as for a member). */
async function visibleJob(c: ApiContext): Promise<JobListRow> {
  const row = await findVisibleJob(c.env.DB, c.get('event').id, c.req.param('jobId') ?? '', c.get('membership').role);
  if (!row) throw notFound('Report not found.');
  return row;
}

async function decision(c: ApiContext, outcome: MetricEvent, fields: Record<string, unknown>) {
  log('info', 'report_download.decision', { ...fields, outcome: outcome.replace(/^download_/, ''), via: 'api_token' });
  await countEvent(c.env.DB, outcome, c.get('now'));
}

const tag = 'Report jobs by token';

export const apiReportRoutes = new Routes();
apiReportRoutes.use(requireTokenEventAccess('reports:read'));
apiReportRoutes
  .handle(
    defineRoute({
      method: 'get',
      path: '/',
      tags: [tag],
      summary: 'The event’s report jobs',
      description: 'The types the token’s role may see, newest first.',
      auth: 'token',
      request: { query: listQuery },
      errors: [400, 404],
      responses: { 200: json(S.apiJobList, { data: [apiJobExample], page: 1, limit: 25, total: 1, hasMore: false }) },
    }),
    async (c) => {
      const q = queryOf(c, listQuery);
      const now = c.get('now');
      const { rows, total } = await listJobs(c.env.DB, {
        eventId: c.get('event').id,
        types: reportTypesFor(c.get('membership').role).map((t) => t.key),
        sort: q.sort,
        order: q.order,
        limit: q.limit,
        offset: (q.page - 1) * q.limit,
      });
      return c.json({
        data: await Promise.all(rows.map((r) => apiJobResource(c, r, now))),
        page: q.page,
        limit: q.limit,
        total,
        hasMore: q.page * q.limit < total,
      });
    },
  )
  .handle(
    defineRoute({
      method: 'post',
      path: '/',
      tags: [tag],
      summary: 'Ask for a report',
      description:
        'The same body and checks as the report center’s (each type’s parameters, the role’s permission, the daily quota, counted per token). Poll the job until `status` is completed, then download `download_url`.',
      auth: 'token',
      request: { body: jsonRequest(reportRequestSchema(createBody), { type: 'guest-list', params: { format: 'csv' } }) },
      errors: [400, 404, 429, 503],
      responses: {
        201: json(
          S.apiJob,
          { ...queuedJobExample, requested_by: apiJobExample.requested_by, requested_by_name: apiJobExample.requested_by_name },
          'The job, queued.',
        ),
      },
    }),
    async (c) => {
      const body = await jsonBody(c, createBody);
      const { type, params } = parseReportRequest(c.get('membership').role, body.type, body.params);
      const { resource } = await createJobFor(c, { type: type.key, params, notify_emails: body.notify_emails });
      return c.json({ ...resource, download_url: null, download_url_expires_at: null }, 201);
    },
  )
  .handle(
    defineRoute({
      method: 'get',
      path: '/{jobId}',
      tags: [tag],
      summary: 'One report job (poll it)',
      auth: 'token',
      errors: [404],
      responses: { 200: json(S.apiJob, apiJobExample) },
    }),
    async (c) => c.json(await apiJobResource(c, await visibleJob(c), c.get('now'))),
  )
  .handle(
    defineRoute({
      method: 'get',
      path: '/{jobId}/download',
      tags: [tag],
      summary: 'Download a report file',
      description: 'Permission is checked again at download. Counted and audited like a download from the report center.',
      auth: 'token',
      errors: [404, 409, 410],
      responses: { 200: file('application/octet-stream', 'The file.') },
    }),
    async (c) => {
      const job = await visibleJob(c);
      const event = c.get('event');
      const fields = { job_id: job.id, event_id: event.id, workspace_id: event.workspace_id, api_token_id: c.get('apiToken').id };
      if (job.status === 'expired') {
        await decision(c, 'download_artifact_swept', fields);
        throw new ApiError(
          410,
          'artifact_swept',
          'The report’s file was removed after its retention period. Create the report again.',
        );
      }
      if (job.status === 'queued' || job.status === 'running') {
        await decision(c, 'download_not_ready', fields);
        throw new ApiError(409, 'still_preparing', 'The report is still being prepared; poll the job until it is completed.');
      }
      if (job.status !== 'completed') {
        await decision(c, 'download_not_available', fields);
        throw new ApiError(409, 'not_available', `This report was ${job.status}, so there is no file to download.`);
      }
      const artifact = await findArtifactByJob(c.env.DB, job.id);
      const object = artifact && artifact.swept_at === null ? await c.env.REPORTS_BUCKET.get(artifact.r2_key) : null;
      if (!artifact || !object) {
        await decision(c, 'download_artifact_swept', fields);
        throw new ApiError(
          410,
          'artifact_swept',
          'The report’s file was removed after its retention period. Create the report again.',
        );
      }
      await recordDownload(c.env, event, job, artifact, c.get('user').id, c.get('now'));
      await decision(c, 'download_served', { ...fields, bytes: artifact.size_bytes });
      return fileResponse(object, artifact);
    },
  );
