import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { queryKeys } from '../../../api/queryKeys';
import type { AcceptResult, InvitationInfo } from '../../../api/types';

/** POST /v1/invitations/inspect: what a link offers (the link's secret travels in the body, never a URL). */
export function useInvitation(token: string | null) {
  return useQuery({
    queryKey: queryKeys.invitation(token ?? ''),
    queryFn: ({ signal }) => api.post<InvitationInfo>('/v1/invitations/inspect', { token }, { signal }),
    enabled: token !== null,
  });
}

export function useAcceptInvitation(token: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name?: string; password?: string }) =>
      api.post<AcceptResult>('/v1/invitations/accept', { token, ...body }),
    // A new account comes back signed in: no session of before may linger.
    onSuccess: (result) => {
      if (result.signed_in) queryClient.clear();
    },
  });
}

/** `#token=<64 hex>` of an invitation link, or null. */
export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token && /^[0-9a-f]{64}$/.test(token) ? token : null;
}
