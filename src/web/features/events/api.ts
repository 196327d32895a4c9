import { api } from '../../api/client';
import type { Role } from '../auth/api';

export interface EventSummary {
  id: string;
  workspace_id: string;
  workspace_name: string;
  name: string;
  slug: string;
  time_zone: string;
  starts_at: number;
  ends_at: number;
}

export interface EventList {
  data: EventSummary[];
  page: number;
  limit: number;
  total: number;
  hasMore: boolean;
}

/** GET /v1/admin/events/:id: the event with the caller's role in its workspace. */
export interface EventDetail extends EventSummary {
  role: Role;
  can_read_reports: boolean;
  /** Workspace admins and organizers: the orders export carries buyers' contact details. */
  can_export_orders?: boolean;
}

export function listEvents(signal?: AbortSignal): Promise<EventList> {
  return api.get<EventList>('/v1/admin/events', { signal });
}

export function getEvent(eventId: string, signal?: AbortSignal): Promise<EventDetail> {
  return api.get<EventDetail>(`/v1/admin/events/${encodeURIComponent(eventId)}`, { signal });
}

export function reportsPath(eventId: string): string {
  return `/admin/events/${encodeURIComponent(eventId)}/reports`;
}
