import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage, isUnauthorized } from '../../../api/client';
import { redirectToLogin } from '../../auth/redirect';
import { listReportJobs } from './jobs';
import { isActive, type Job, type JobScope, type JobSort, type JobStatus, type ReportQuota, type SortOrder } from './types';

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

const INITIAL: ReportJobsState = {
  loaded: false,
  jobs: [],
  total: 0,
  hasMore: false,
  quota: null,
  error: null,
  runnerPaused: false,
};

export interface ReportJobsQuery {
  page: number;
  limit: number;
  sort: JobSort;
  order: SortOrder;
  scope?: JobScope;
  type?: string;
  status?: JobStatus;
}

export interface ReportJobs extends ReportJobsState {
  /** Fetch now (and restart the polling timer). */
  refresh: () => void;
  /** Show just-created jobs at the top before the next refresh lists them. */
  prepend: (jobs: Job[]) => void;
  /** Show a job's new state (after cancel, resend…) before the next refresh. */
  replace: (job: Job) => void;
}

/**
 * One page of an event's report jobs, polled with a setTimeout chain while mounted.
 * Mount it under a `key` of the event id: state is not reset when the event changes.
 */
export function useReportJobs(eventId: string, query: ReportJobsQuery, enabled: boolean): ReportJobs {
  const [state, setState] = useState<ReportJobsState>(INITIAL);
  const refreshRef = useRef<() => void>(() => {});
  const { page, limit, sort, order, scope, type, status } = query;

  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inflight: AbortController | null = null;

    const run = async () => {
      clearTimeout(timer);
      inflight?.abort();
      const controller = new AbortController();
      inflight = controller;
      let delay = IDLE_POLL_MS;
      try {
        const list = await listReportJobs(eventId, { page, limit, sort, order, scope, type, status }, controller.signal);
        if (controller.signal.aborted) return;
        setState({
          loaded: true,
          jobs: list.data,
          total: list.total,
          hasMore: list.hasMore,
          quota: list.quota ?? null,
          error: null,
          runnerPaused: list.runner_paused === true,
        });
        if (list.data.some(isActive)) delay = ACTIVE_POLL_MS;
      } catch (err) {
        if (controller.signal.aborted) return;
        if (isUnauthorized(err)) {
          redirectToLogin();
          return;
        }
        setState((prev) => ({ ...prev, loaded: true, error: errorMessage(err) }));
      }
      if (!stopped) timer = setTimeout(() => void run(), delay);
    };

    refreshRef.current = () => void run();
    void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
      inflight?.abort();
      refreshRef.current = () => {};
    };
  }, [eventId, page, limit, sort, order, scope, type, status, enabled]);

  const refresh = useCallback(() => refreshRef.current(), []);

  const prepend = useCallback(
    (created: Job[]) =>
      setState((prev) => {
        const ids = new Set(created.map((j) => j.job_id));
        const added = created.filter((j) => !prev.jobs.some((known) => known.job_id === j.job_id)).length;
        return {
          ...prev,
          jobs: [...created, ...prev.jobs.filter((j) => !ids.has(j.job_id))].slice(0, Math.max(limit, created.length)),
          total: prev.total + added,
        };
      }),
    [limit],
  );

  const replace = useCallback(
    (job: Job) => setState((prev) => ({ ...prev, jobs: prev.jobs.map((j) => (j.job_id === job.job_id ? job : j)) })),
    [],
  );

  return { ...state, refresh, prepend, replace };
}
