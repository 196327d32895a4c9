/**
 * The orders page's API: the table (GET …/orders), its filter choices, the export
 * (POST …/orders/export) and the export job when it runs in the background (GET …/reports/jobs/:id).
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from '../../../api/client';
import { queryKeys } from '../../../api/queryKeys';
import type { Job, OrderExportResult, OrderFilterChoices, OrderList } from '../../../api/types';
import { getReportJob, type ListJobsQuery, listReportJobs } from '../../reports/api/jobs';
import { isActive } from '../../reports/api/types';

export type { OrderColumn, OrderFilterChoices, OrderList } from '../../../api/types';

/** The filters on screen; the export sends exactly these. Empty strings mean "no filter". */
export interface OrderFilters {
  status: string;
  ticket_type: string;
  date_from: string;
  date_to: string;
  q: string;
}

export const NO_FILTERS: OrderFilters = { status: '', ticket_type: '', date_from: '', date_to: '', q: '' };

/** How often a background export is asked about while it is queued or running. */
const EXPORT_POLL_MS = 2_000;
/** A background export made this recently is shown again when the page is opened. */
const REMEMBER_MS = 24 * 3_600_000;
const LAST_EXPORT: ListJobsQuery = { page: 1, limit: 1, sort: 'created_at', order: 'desc', scope: 'mine', type: 'orders' };

function ordersPath(eventId: string): string {
  return `/v1/admin/events/${encodeURIComponent(eventId)}/orders`;
}

/** Only the filters that are set, so the URL and the export carry no empty keys. */
export function activeFilters(filters: OrderFilters): Partial<OrderFilters> {
  const out: Partial<OrderFilters> = {};
  for (const key of Object.keys(filters) as (keyof OrderFilters)[]) {
    const value = filters[key].trim();
    if (value !== '') out[key] = value;
  }
  return out;
}

/** One page of orders; the page on screen stays (busy) until the next one arrives. */
export function useOrders(eventId: string, filters: OrderFilters, page: number, limit: number) {
  const query = { ...activeFilters(filters), page, limit };
  return useQuery({
    queryKey: queryKeys.orders.list(eventId, query),
    queryFn: ({ signal }) => api.get<OrderList>(withQuery(ordersPath(eventId), query), { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useOrderFilterChoices(eventId: string) {
  return useQuery({
    queryKey: queryKeys.orders.filters(eventId),
    queryFn: ({ signal }) => api.get<OrderFilterChoices>(`${ordersPath(eventId)}/filters`, { signal }),
  });
}

/** 200 with a download link for a small export; 202 with a report job for a large one. */
export function useExportOrders(eventId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (filters: OrderFilters) => api.post<OrderExportResult>(`${ordersPath(eventId)}/export`, activeFilters(filters)),
    onSuccess: (result) => {
      if (result.mode === 'job') void queryClient.invalidateQueries({ queryKey: queryKeys.reports.jobs(eventId) });
    },
  });
}

/** A background export from the job the export answered with, followed until it ends. */
export function useExportJob(eventId: string, started: Job | null) {
  return useQuery({
    queryKey: queryKeys.reports.job(eventId, started?.job_id ?? ''),
    queryFn: ({ signal }) => getReportJob(eventId, started?.job_id ?? '', signal),
    enabled: started !== null,
    initialData: started ?? undefined,
    // The export's answer is the first state: the next is asked one interval later.
    staleTime: EXPORT_POLL_MS,
    refetchInterval: (query) =>
      query.state.status === 'success' && query.state.data && isActive(query.state.data) ? EXPORT_POLL_MS : false,
    refetchIntervalInBackground: true,
  });
}

/**
 * Coming back to the page: the caller's latest background export (running, or made within a day)
 * is shown again, so nobody exports twice to find out what became of the first. Only a
 * convenience: when it cannot be read the page works as before.
 */
export function useLastExport(eventId: string): Job | null {
  const list = useQuery({
    queryKey: queryKeys.reports.jobList(eventId, LAST_EXPORT),
    queryFn: ({ signal }) => listReportJobs(eventId, LAST_EXPORT, signal),
  });
  const job = list.data?.data[0];
  if (!job || !list.data) return null;
  return isActive(job) || list.data.server_time - job.created_at < REMEMBER_MS ? job : null;
}
