import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { queryKeys } from '../../../api/queryKeys';
import type { Session, SessionResponse } from '../../../api/types';

/** The current session, or null when signed out (answered 200 either way, so the console stays quiet). */
export async function fetchSession(signal?: AbortSignal): Promise<Session | null> {
  const body = await api.get<SessionResponse>('/v1/auth/session', { signal });
  return body.user ? { user: body.user, memberships: body.memberships } : null;
}

/** Loaded once per sign-in: signing in or out clears the whole cache. */
export const sessionQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.session,
    queryFn: ({ signal }) => fetchSession(signal),
    staleTime: Number.POSITIVE_INFINITY,
  });

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ email, password }: { email: string; password: string }) =>
      api.post<Session>('/v1/auth/login', { email, password }, { checksCredentials: true }),
    onSuccess: () => queryClient.clear(),
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<unknown>('/v1/auth/logout'),
    onSettled: () => queryClient.clear(),
  });
}
