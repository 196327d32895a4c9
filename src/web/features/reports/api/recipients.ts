import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, withQuery } from '../../../api/client';
import { queryKeys } from '../../../api/queryKeys';
import type { Recipient } from '../../../api/types';
import { parseRecipients } from '../recipients';

export type { Recipient };

/** Where the address being typed starts: after the last separator. */
export function tokenStart(value: string): number {
  return Math.max(value.lastIndexOf(','), value.lastIndexOf(';'), value.lastIndexOf('\n')) + 1;
}

/**
 * GET …/reports/recipients: members of the event's workspace who may read reports of `type`,
 * whose email or name contains the address being typed in `field` (undefined: ask nothing yet).
 * Only these addresses are accepted as recipients. Each answer is kept as it was for its field
 * value, and the last one stays on screen until the next arrives.
 */
export function useRecipientSuggestions(eventId: string, type: string, field: string | undefined) {
  return useQuery({
    queryKey: queryKeys.reports.recipients(eventId, type, field ?? ''),
    queryFn: async ({ signal }): Promise<Recipient[]> => {
      const value = field ?? '';
      const token = value.slice(tokenStart(value)).trim();
      const path = withQuery(`/v1/admin/events/${encodeURIComponent(eventId)}/reports/recipients`, { type, q: token, limit: 8 });
      const found = (await api.get<{ data: Recipient[] }>(path, { signal })).data;
      // Not the addresses already in the field, nor the one typed out in full.
      const taken = new Set(parseRecipients(value.slice(0, tokenStart(value))).emails.map((e) => e.toLowerCase()));
      return found.filter((r) => !taken.has(r.email.toLowerCase()) && r.email.toLowerCase() !== token.toLowerCase());
    },
    enabled: field !== undefined,
    placeholderData: keepPreviousData,
  });
}
