import { useMutation } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { OkMessage } from '../../../api/types';

/** Records the request and emails the workspace admins: 201 `{ ok, message }`. */
export function useRequestReportAccess() {
  return useMutation({
    mutationFn: ({ reportType, eventId }: { reportType: string; eventId?: string }) =>
      api.post<OkMessage>('/v1/admin/access-requests', { report_type: reportType, ...(eventId ? { event_id: eventId } : {}) }),
  });
}
