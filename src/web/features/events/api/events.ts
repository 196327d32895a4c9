import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { queryKeys } from '../../../api/queryKeys';
import type { EventDetail, EventList } from '../../../api/types';

export const eventsQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.events.list,
    queryFn: ({ signal }) => api.get<EventList>('/v1/admin/events', { signal }),
  });

/** GET /v1/admin/events/:id: the event with the caller's role in its workspace. */
export const eventQueryOptions = (eventId: string) =>
  queryOptions({
    queryKey: queryKeys.events.detail(eventId),
    queryFn: ({ signal }) => api.get<EventDetail>(`/v1/admin/events/${encodeURIComponent(eventId)}`, { signal }),
  });

export function useEvents() {
  return useQuery(eventsQueryOptions());
}

export function useEvent(eventId: string) {
  return useQuery(eventQueryOptions(eventId));
}

export function reportsPath(eventId: string): string {
  return `/admin/events/${encodeURIComponent(eventId)}/reports`;
}
