import { api } from '../../api/client';
import type { Role } from '../auth/api';

export type TokenRole = 'admin' | 'organizer' | 'viewer';

export interface ApiToken {
  id: string;
  workspace_id: string;
  name: string;
  role: TokenRole;
  prefix: string;
  created_by: string | null;
  created_by_name: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface Member {
  user_id: string;
  email: string;
  name: string;
  role: Role;
  created_at: number;
}

export interface OpenInvitation {
  id: string;
  email: string;
  role: Role | null;
  created_at: number;
  expires_at: number;
}

const base = (workspaceId: string) => `/v1/admin/workspaces/${encodeURIComponent(workspaceId)}`;

export async function listApiTokens(workspaceId: string, signal?: AbortSignal): Promise<ApiToken[]> {
  return (await api.get<{ data: ApiToken[] }>(`${base(workspaceId)}/api-tokens`, { signal })).data;
}

/** The answer carries the token itself, this once. */
export function createApiToken(workspaceId: string, body: { name: string; role: TokenRole }) {
  return api.post<{ token: string; api_token: ApiToken }>(`${base(workspaceId)}/api-tokens`, body);
}

export function revokeApiToken(workspaceId: string, tokenId: string): Promise<ApiToken> {
  return api.post<ApiToken>(`${base(workspaceId)}/api-tokens/${encodeURIComponent(tokenId)}/revoke`);
}

export function listMembers(workspaceId: string, signal?: AbortSignal) {
  return api.get<{ data: Member[]; invitations: OpenInvitation[] }>(`${base(workspaceId)}/members`, { signal });
}

export function inviteMember(workspaceId: string, body: { email: string; role: Role }) {
  return api.post<{ id: string; email: string; role: Role; expires_at: number }>(`${base(workspaceId)}/invitations`, body);
}

export function settingsPath(workspaceId: string): string {
  return `/admin/workspaces/${encodeURIComponent(workspaceId)}/settings`;
}
