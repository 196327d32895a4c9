import { keepPreviousData, type Query, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { errorMessage } from '../../../api/client';
import { queryKeys } from '../../../api/queryKeys';
import { type ListJobsQuery, listReportJobs } from './jobs';
import { isActive, type Job, type JobList, type ReportQuota } from './types';

/** While a job on the page is queued or running the list refreshes fast, otherwise slowly. */
export const ACTIVE_POLL_MS = 2_000;
export const IDLE_POLL_MS = 15_000;

export interface ReportJobsState {
  loaded: boolean;
  jobs: Job[];
  total: number;
  hasMore: boolean;
  /** The caller's daily allowance; null until the server reports one. */
  quota: ReportQuota | null;
  /** The last refresh's error; cleared by the next successful one. */
  error: string | null;
  /** The operator has paused the runner (queued reports wait). */
  runnerPaused: boolean;
}

export type ReportJobsQuery = ListJobsQuery;

export interface ReportJobs extends ReportJobsState {
  /** Show just-created jobs at the top before the next refresh lists them. */
  prepend: (jobs: Job[]) => void;
  /** Show a job's new state (after cancel, resend…) before the next refresh. */
  replace: (job: Job) => void;
}

/** After a failed refresh the next one waits the slow interval, whatever the page showed before. */
function pollInterval(query: Query<JobList, Error, JobList, readonly unknown[]>): number {
  const { status, data } = query.state;
  return status === 'success' && data?.data.some(isActive) ? ACTIVE_POLL_MS : IDLE_POLL_MS;
}

/**
 * One page of an event's report jobs, polled while mounted (hidden tabs included, as the list is
 * what tells a person their report is ready). Another page keeps the last one on screen until it
 * arrives.
 */
export function useReportJobs(eventId: string, query: ReportJobsQuery, enabled: boolean): ReportJobs {
  const queryClient = useQueryClient();
  const { page, limit, sort, order, scope, type, status } = query;
  // Stable between renders, so prepend and replace keep their identity for the rows' memoized context.
  const queryKey = useMemo(
    () => queryKeys.reports.jobList(eventId, { page, limit, sort, order, scope, type, status }),
    [eventId, page, limit, sort, order, scope, type, status],
  );
  const list = useQuery({
    queryKey,
    queryFn: ({ signal }) => listReportJobs(eventId, { page, limit, sort, order, scope, type, status }, signal),
    enabled,
    placeholderData: keepPreviousData,
    refetchInterval: pollInterval,
    refetchIntervalInBackground: true,
  });
  const shown = list.data;

  const update = useCallback(
    (change: (prev: JobList) => JobList) =>
      // The page on screen may still be the previous one's (placeholder): change what is shown.
      queryClient.setQueryData<JobList>(queryKey, (prev) => {
        const base = prev ?? shown;
        return base ? change(base) : base;
      }),
    [queryClient, queryKey, shown],
  );

  const prepend = useCallback(
    (created: Job[]) =>
      update((prev) => {
        const ids = new Set(created.map((j) => j.job_id));
        const added = created.filter((j) => !prev.data.some((known) => known.job_id === j.job_id)).length;
        return {
          ...prev,
          data: [...created, ...prev.data.filter((j) => !ids.has(j.job_id))].slice(0, Math.max(limit, created.length)),
          total: prev.total + added,
        };
      }),
    [update, limit],
  );

  const replace = useCallback(
    (job: Job) => update((prev) => ({ ...prev, data: prev.data.map((j) => (j.job_id === job.job_id ? job : j)) })),
    [update],
  );

  return {
    loaded: shown !== undefined || list.isError,
    jobs: shown?.data ?? [],
    total: shown?.total ?? 0,
    hasMore: shown?.hasMore ?? false,
    quota: shown?.quota ?? null,
    error: list.isError ? errorMessage(list.error) : null,
    runnerPaused: shown?.runner_paused ?? false,
    prepend,
    replace,
  };
}
