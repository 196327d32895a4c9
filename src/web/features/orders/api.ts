/**
 * The orders page's API: the table (GET …/orders), its filter choices, the export
 * (POST …/orders/export) and the export job when it runs in the background (GET …/reports/jobs/:id).
 */
import { api, withQuery } from '../../api/client';
import type { Job } from '../reports/api/types';

export const ORDER_STATUSES = ['pending', 'paid', 'partially_refunded', 'refunded', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The filters on screen; the export sends exactly these. Empty strings mean "no filter". */
export interface OrderFilters {
  status: string;
  ticket_type: string;
  date_from: string;
  date_to: string;
  q: string;
}

export const NO_FILTERS: OrderFilters = { status: '', ticket_type: '', date_from: '', date_to: '', q: '' };

export type OrderCell = string | number | null;

/** A row: one field per column key (the CSV's columns), plus the order's id. */
export type OrderRow = { id: string } & Record<string, OrderCell>;

export interface OrderColumn {
  key: string;
  label: string;
}

export interface OrderList {
  data: OrderRow[];
  page: number;
  limit: number;
  total: number;
  hasMore: boolean;
  columns: OrderColumn[];
}

export interface Choice {
  value: string;
  label: string;
}

export interface OrderFilterChoices {
  statuses: Choice[];
  ticket_types: Choice[];
  time_zone: string;
}

export type ExportResult =
  | { mode: 'sync'; rows: number; threshold: number; download_url: string }
  | { mode: 'job'; rows: number; threshold: number; job: Job };

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

export function listOrders(
  eventId: string,
  query: { filters: OrderFilters; page: number; limit: number },
  signal?: AbortSignal,
): Promise<OrderList> {
  const path = withQuery(ordersPath(eventId), { ...activeFilters(query.filters), page: query.page, limit: query.limit });
  return api.get<OrderList>(path, { signal });
}

export function getOrderFilterChoices(eventId: string, signal?: AbortSignal): Promise<OrderFilterChoices> {
  return api.get<OrderFilterChoices>(`${ordersPath(eventId)}/filters`, { signal });
}

/** 200 with a download link for a small export; 202 with a report job for a large one. */
export function exportOrders(eventId: string, filters: OrderFilters): Promise<ExportResult> {
  return api.post<ExportResult>(`${ordersPath(eventId)}/export`, activeFilters(filters));
}

export function getExportJob(eventId: string, jobId: string, signal?: AbortSignal): Promise<Job> {
  return api.get<Job>(`/v1/admin/events/${encodeURIComponent(eventId)}/reports/jobs/${encodeURIComponent(jobId)}`, { signal });
}
