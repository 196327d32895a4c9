import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from '../../../api/client';
import { queryKeys } from '../../../api/queryKeys';
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

export function getReportJob(eventId: string, jobId: string, signal?: AbortSignal): Promise<Job> {
  return api.get<Job>(jobPath(eventId, jobId), { signal });
}

/**
 * A job operation: the page shows its answer at once, and every list and job of the event is
 * refreshed `after` it ('settled': new jobs change the lists; 'error': only a refusal, e.g. a job
 * that finished meanwhile, since an answered job is already in place and the polling, undisturbed,
 * brings its next state).
 */
function useJobMutation<TVariables, TResult>(
  eventId: string,
  after: 'settled' | 'error',
  mutationFn: (variables: TVariables) => Promise<TResult>,
) {
  const queryClient = useQueryClient();
  // Not awaited: the caller shows the answer at once, the refresh follows.
  const refresh = () => void queryClient.invalidateQueries({ queryKey: queryKeys.reports.jobs(eventId) });
  return useMutation({ mutationFn, onError: refresh, onSuccess: after === 'settled' ? refresh : undefined });
}

/** 201 with the new job (status "queued"); 429 over the daily quota, 503 while new requests are paused. */
export function useCreateReportJob(eventId: string) {
  return useJobMutation(eventId, 'settled', (body: CreateJobRequest) => api.post<Job>(jobsPath(eventId), body));
}

/** 200 cancelled at once (was queued), 202 asked the runner to stop; 409 when already finished. */
export function useCancelReportJob(eventId: string) {
  return useJobMutation(eventId, 'error', (jobId: string) => api.post<CancelResult>(`${jobPath(eventId, jobId)}/cancel`));
}

/** A failed job, again with the same parameters: 201 a new job, or 200 the retry made earlier. */
export function useRetryReportJob(eventId: string) {
  return useJobMutation(eventId, 'settled', (jobId: string) => api.post<Job>(`${jobPath(eventId, jobId)}/retry`));
}

/** Any finished job, again with the same parameters: 201 a new job. */
export function useRerunReportJob(eventId: string) {
  return useJobMutation(eventId, 'settled', (jobId: string) => api.post<Job>(`${jobPath(eventId, jobId)}/rerun`));
}

/** Send the "report ready" email again, to corrected recipients: 202 with the job. */
export function useResendJobNotification(eventId: string) {
  return useJobMutation(eventId, 'error', ({ jobId, notifyEmails }: { jobId: string; notifyEmails: string[] }) =>
    api.post<Job>(`${jobPath(eventId, jobId)}/resend-notification`, { notify_emails: notifyEmails }),
  );
}
