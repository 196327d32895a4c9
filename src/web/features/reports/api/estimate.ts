import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { queryKeys } from '../../../api/queryKeys';
import type { JobParams, ReportEstimate } from './types';

/**
 * What a report with these parameters (JSON; undefined: not yet) would come to, against its
 * type's ceilings. It never refuses a request; the last estimate stays until the next arrives.
 */
export function useReportEstimate(eventId: string, type: string, params: string | undefined) {
  return useQuery({
    queryKey: queryKeys.reports.estimate(eventId, type, params ?? ''),
    queryFn: ({ signal }) =>
      api.post<ReportEstimate>(
        `/v1/admin/events/${encodeURIComponent(eventId)}/reports/estimate`,
        { type, params: JSON.parse(params ?? '{}') as JobParams },
        { signal },
      ),
    enabled: params !== undefined,
    placeholderData: keepPreviousData,
  });
}
