import { api } from '../../../api/client';

export interface AccessRequestResult {
  ok: true;
  message: string;
}

/** Records the request and emails the workspace admins: 201 `{ ok, message }`. */
export function requestReportAccess(reportType: string, eventId?: string): Promise<AccessRequestResult> {
  return api.post<AccessRequestResult>('/v1/admin/access-requests', {
    report_type: reportType,
    ...(eventId ? { event_id: eventId } : {}),
  });
}
