import { type QueryKey, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { queryKeys } from '../../../api/queryKeys';
import type { ApiToken, ApiTokenCreated, ApiTokenList, InvitationCreated, Members, Role, TokenRole } from '../../../api/types';

export type { ApiToken, Member, OpenInvitation, TokenRole } from '../../../api/types';

const base = (workspaceId: string) => `/v1/admin/workspaces/${encodeURIComponent(workspaceId)}`;

export function useApiTokens(workspaceId: string) {
  return useQuery({
    queryKey: queryKeys.workspace.tokens(workspaceId),
    queryFn: async ({ signal }) => (await api.get<ApiTokenList>(`${base(workspaceId)}/api-tokens`, { signal })).data,
  });
}

/** A change to a list (tokens, members) resolves once that list shows it. */
function useListMutation<TVariables, TResult>(listKey: QueryKey, mutationFn: (variables: TVariables) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: listKey }),
  });
}

/** The answer carries the token itself, this once. */
export function useCreateApiToken(workspaceId: string) {
  return useListMutation(queryKeys.workspace.tokens(workspaceId), (body: { name: string; role: TokenRole }) =>
    api.post<ApiTokenCreated>(`${base(workspaceId)}/api-tokens`, body),
  );
}

export function useRevokeApiToken(workspaceId: string) {
  return useListMutation(queryKeys.workspace.tokens(workspaceId), (tokenId: string) =>
    api.post<ApiToken>(`${base(workspaceId)}/api-tokens/${encodeURIComponent(tokenId)}/revoke`),
  );
}

export function useMembers(workspaceId: string) {
  return useQuery({
    queryKey: queryKeys.workspace.members(workspaceId),
    queryFn: ({ signal }) => api.get<Members>(`${base(workspaceId)}/members`, { signal }),
  });
}

/** Resolves once the list shows the invitation. */
export function useInviteMember(workspaceId: string) {
  return useListMutation(queryKeys.workspace.members(workspaceId), (body: { email: string; role: Role }) =>
    api.post<InvitationCreated>(`${base(workspaceId)}/invitations`, body),
  );
}

export function settingsPath(workspaceId: string): string {
  return `/admin/workspaces/${encodeURIComponent(workspaceId)}/settings`;
}
