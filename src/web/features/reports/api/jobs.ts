import { api, withQuery } from '../../../api/client';
import type { CreateJobRequest, Job, JobList } from './types';

function jobsPath(eventId: string): string {
  return `/v1/admin/events/${encodeURIComponent(eventId)}/reports/jobs`;
}

export interface ListJobsQuery {
  page: number;
  limit: number;
}

/** Newest first. */
export function listReportJobs(eventId: string, query: ListJobsQuery, signal?: AbortSignal): Promise<JobList> {
  const path = withQuery(jobsPath(eventId), { page: query.page, limit: query.limit, sort: 'created_at', order: 'desc' });
  return api.get<JobList>(path, { signal });
}

/** 201 with the new job (status "queued"). */
export function createReportJob(eventId: string, body: CreateJobRequest): Promise<Job> {
  return api.post<Job>(jobsPath(eventId), body);
}
