/**
 * The ops dashboard's calls: GET /v1/admin/ops/overview (series, queue, failures, switches) and
 * PUT /v1/admin/ops/settings (the switches; the Worker writes the audit entry).
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { queryKeys } from '../../../api/queryKeys';
import type { OpsSettings, Overview, OverviewRange } from '../../../api/types';

export type { Overview, OverviewPoint, OverviewRange } from '../../../api/types';
export type OpsSwitches = Overview['settings'];
export type SwitchName = 'runner_paused' | 'new_requests_disabled';

/** How often the figures refresh while the page is open and visible. */
const REFRESH_MS = 15_000;

/** The figures of a range; another range keeps the last figures on screen until its own arrive. */
export function useOverview(range: OverviewRange) {
  return useQuery({
    queryKey: queryKeys.ops.overview(range),
    queryFn: ({ signal }) => api.get<Overview>(`/v1/admin/ops/overview?range=${range}`, { signal }),
    placeholderData: keepPreviousData,
    // Not while the tab is hidden (TanStack's default): nobody is looking.
    refetchInterval: REFRESH_MS,
  });
}

export function useUpdateSwitch() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ name, value }: { name: SwitchName; value: boolean }) =>
      api.put<OpsSettings>('/v1/admin/ops/settings', { [name]: value }),
    // Not awaited: the confirmation closes at once, the figures follow.
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.ops.all });
    },
  });
}

/** Where an operator sees a job: its event's report center, with the job highlighted. */
export function jobLink(eventId: string, jobId: string): string {
  return `/admin/events/${encodeURIComponent(eventId)}/reports?highlight=${encodeURIComponent(jobId)}`;
}
