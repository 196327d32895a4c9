// What the routes share about jobs: the job request of the caller, a job created for the caller as
// its API resource. The jobs domain (jobs/) takes plain arguments; this is where a request's
// context becomes them.

import type { Context } from 'hono';
import { findJobForList } from './db/job-list';
import { notFound } from './errors';
import type { AppEnv } from './hono';
import { createReportJob, type JobRequest, type NewReport } from './jobs/create';
import { type JobResource, jobResource, newJobListRow } from './jobs/resource';

type RequestContext = Context<AppEnv>;

/** The job of the event in the path, as the API shows it now. */
export async function reloadJob(c: RequestContext, jobId: string): Promise<JobResource> {
  const row = await findJobForList(c.env.DB, c.get('event').id, jobId);
  if (!row) throw notFound('Report not found.');
  return jobResource(c.env, row, c.get('now'));
}

/** A job request from the signed-in caller (or API token) for the event in the path. */
export function jobRequestOf(c: RequestContext): JobRequest {
  return {
    env: c.env,
    now: c.get('now'),
    event: c.get('event'),
    requester: c.get('user'),
    workspaceName: c.get('membership').workspace_name,
  };
}

/** createReportJob for the caller, answered as the job resource. */
export async function createJobFor(c: RequestContext, report: NewReport): Promise<{ created: boolean; resource: JobResource }> {
  const { created, job } = await createReportJob(jobRequestOf(c), report);
  const resource = created
    ? await jobResource(c.env, newJobListRow(job, c.get('user').name), c.get('now'))
    : await reloadJob(c, job.id);
  return { created, resource };
}
