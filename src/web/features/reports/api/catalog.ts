import { queryOptions } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { queryKeys } from '../../../api/queryKeys';
import type { ReportCatalog } from './types';

function catalogPath(eventId: string): string {
  return `/v1/admin/events/${encodeURIComponent(eventId)}/reports/catalog`;
}

export function fetchReportCatalog(eventId: string, signal?: AbortSignal): Promise<ReportCatalog> {
  return api.get<ReportCatalog>(catalogPath(eventId), { signal });
}

export const catalogQueryOptions = (eventId: string) =>
  queryOptions({ queryKey: queryKeys.reports.catalog(eventId), queryFn: ({ signal }) => fetchReportCatalog(eventId, signal) });
