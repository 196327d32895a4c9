import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from '../../../api/client';
import { queryKeys } from '../../../api/queryKeys';
import type { CancelResult, CreateJobRequest, Job, JobList, JobSort, SortOrder } from './types';

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
}

export function listReportJobs(eventId: string, query: ListJobsQuery, signal?: AbortSignal): Promise<JobList> {
  const path = withQuery(jobsPath(eventId), { page: query.page, limit: query.limit, sort: query.sort, order: query.order });
  return api.get<JobList>(path, { signal });
}

export function getReportJob(eventId: string, jobId: string, signal?: AbortSignal): Promise<Job> {
  return api.get<Job>(jobPath(eventId, jobId), { signal });
}

/**
 * A job operation that changes the event's jobs: afterwards every list and job of the event is
 * refreshed (the page also shows the answer at once, before that refresh).
 */
function useJobMutation<TVariables, TResult>(eventId: string, mutationFn: (variables: TVariables) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    // Not awaited: the caller shows the answer at once, the refresh follows.
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.reports.jobs(eventId) });
    },
  });
}

/** 201 with the new job (status "queued"); 429 over the daily quota, 503 while new requests are paused. */
export function useCreateReportJob(eventId: string) {
  return useJobMutation(eventId, (body: CreateJobRequest) => api.post<Job>(jobsPath(eventId), body));
}

/** 200 cancelled at once (was queued), 202 asked the runner to stop; 409 when already finished. */
export function useCancelReportJob(eventId: string) {
  return useJobMutation(eventId, (jobId: string) => api.post<CancelResult>(`${jobPath(eventId, jobId)}/cancel`));
}

/** A failed job, again with the same parameters: 201 a new job, or 200 the retry made earlier. */
export function useRetryReportJob(eventId: string) {
  return useJobMutation(eventId, (jobId: string) => api.post<Job>(`${jobPath(eventId, jobId)}/retry`));
}

/** Any finished job, again with the same parameters: 201 a new job. */
export function useRerunReportJob(eventId: string) {
  return useJobMutation(eventId, (jobId: string) => api.post<Job>(`${jobPath(eventId, jobId)}/rerun`));
}

/** Send the "report ready" email again, to corrected recipients: 202 with the job. */
export function useResendJobNotification(eventId: string) {
  return useJobMutation(eventId, ({ jobId, notifyEmails }: { jobId: string; notifyEmails: string[] }) =>
    api.post<Job>(`${jobPath(eventId, jobId)}/resend-notification`, { notify_emails: notifyEmails }),
  );
}
