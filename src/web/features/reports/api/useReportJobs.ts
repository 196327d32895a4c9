import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage, isUnauthorized } from '../../../api/client';
import { redirectToLogin } from '../../auth/redirect';
import { listReportJobs } from './jobs';
import { isActive, type Job } from './types';

/** While a job on the page is queued or running the list refreshes fast, otherwise slowly. */
export const ACTIVE_POLL_MS = 2_000;
export const IDLE_POLL_MS = 15_000;

export interface ReportJobsState {
  loaded: boolean;
  jobs: Job[];
  total: number;
  hasMore: boolean;
  /** The last refresh's error; cleared by the next successful one. */
  error: string | null;
}

const INITIAL: ReportJobsState = { loaded: false, jobs: [], total: 0, hasMore: false, error: null };

export interface ReportJobs extends ReportJobsState {
  /** Fetch now (and restart the polling timer). */
  refresh: () => void;
  /** Show a just-created job at the top before the next refresh lists it. */
  prepend: (job: Job) => void;
}

/**
 * One page of an event's report jobs, polled with a setTimeout chain while mounted.
 * Mount it under a `key` of the event id: state is not reset when the event changes.
 */
export function useReportJobs(eventId: string, page: number, limit: number, enabled: boolean): ReportJobs {
  const [state, setState] = useState<ReportJobsState>(INITIAL);
  const refreshRef = useRef<() => void>(() => {});

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
        const list = await listReportJobs(eventId, { page, limit }, controller.signal);
        if (controller.signal.aborted) return;
        setState({ loaded: true, jobs: list.data, total: list.total, hasMore: list.hasMore, error: null });
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
  }, [eventId, page, limit, enabled]);

  const refresh = useCallback(() => refreshRef.current(), []);

  const prepend = useCallback(
    (job: Job) =>
      setState((prev) => {
        const known = prev.jobs.some((j) => j.job_id === job.job_id);
        return {
          ...prev,
          jobs: [job, ...prev.jobs.filter((j) => j.job_id !== job.job_id)].slice(0, limit),
          total: known ? prev.total : prev.total + 1,
        };
      }),
    [limit],
  );

  return { ...state, refresh, prepend };
}
