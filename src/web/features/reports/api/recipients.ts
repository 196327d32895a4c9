import { api, withQuery } from '../../../api/client';

/** A member a report can be emailed to. */
export interface Recipient {
  email: string;
  name: string;
}

/**
 * GET …/reports/recipients: members of the event's workspace who may read reports of `type`,
 * whose email or name contains `query`. Only these addresses are accepted as recipients.
 */
export function suggestRecipients(eventId: string, type: string, query: string, signal?: AbortSignal): Promise<Recipient[]> {
  const path = withQuery(`/v1/admin/events/${encodeURIComponent(eventId)}/reports/recipients`, { type, q: query, limit: 8 });
  return api.get<{ data: Recipient[] }>(path, { signal }).then((body) => body.data);
}
