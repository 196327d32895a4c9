import { api, withQuery } from '../../../api/client';
import type { CancelResult, CreateJobRequest, Job, JobList, JobScope, JobSort, JobStatus, SortOrder } from './types';

export function jobsPath(eventId: string): string {
  return `/v1/admin/events/${encodeURIComponent(eventId)}/reports/jobs`;
}

function jobPath(eventId: string, jobId: string): string {
  return `${jobsPath(eventId)}/${encodeURIComponent(jobId)}`;
}

export interface ListJobsQuery {
  page: number;
  limit: number;
  sort: JobSort;
  order: SortOrder;
  /** The list's filters; left out, the server lists every job of every type and status. */
  scope?: JobScope;
  type?: string;
  status?: JobStatus;
}

export function listReportJobs(eventId: string, query: ListJobsQuery, signal?: AbortSignal): Promise<JobList> {
  const { page, limit, sort, order, scope, type, status } = query;
  const path = withQuery(jobsPath(eventId), { page, limit, sort, order, scope, type, status });
  return api.get<JobList>(path, { signal });
}

export interface ReportEstimate {
  rows: number;
  bytes: number | null;
  max_bytes: number;
  pdf_max_rows: number;
  over_limit: boolean;
  warning: string | null;
}

/** What a report with these parameters would come to, against its type's ceilings (never refuses it). */
export function estimateReport(eventId: string, body: Omit<CreateJobRequest, 'notify_emails'>, signal?: AbortSignal) {
  return api.post<ReportEstimate>(`/v1/admin/events/${encodeURIComponent(eventId)}/reports/estimate`, body, { signal });
}

/** 201 with the new job (status "queued"); 429 over the daily quota, 503 while new requests are paused. */
export function createReportJob(eventId: string, body: CreateJobRequest): Promise<Job> {
  return api.post<Job>(jobsPath(eventId), body);
}

/** 200 cancelled at once (was queued), 202 asked the runner to stop; 409 when already finished. */
export function cancelReportJob(eventId: string, jobId: string): Promise<CancelResult> {
  return api.post<CancelResult>(`${jobPath(eventId, jobId)}/cancel`);
}

/** A failed job, again with the same parameters: 201 a new job, or 200 the retry made earlier. */
export function retryReportJob(eventId: string, jobId: string): Promise<Job> {
  return api.post<Job>(`${jobPath(eventId, jobId)}/retry`);
}

/** Any finished job, again with the same parameters: 201 a new job. */
export function rerunReportJob(eventId: string, jobId: string): Promise<Job> {
  return api.post<Job>(`${jobPath(eventId, jobId)}/rerun`);
}

/** Send the "report ready" email again, to corrected recipients: 202 with the job. */
export function resendJobNotification(eventId: string, jobId: string, notifyEmails: string[]): Promise<Job> {
  return api.post<Job>(`${jobPath(eventId, jobId)}/resend-notification`, { notify_emails: notifyEmails });
}
