import { api } from '../../api/client';
import type { Membership, Role } from './api';

/** POST /v1/invitations/inspect: what a link offers (the link's secret travels in the body, never a URL). */
export interface InvitationInfo {
  email: string;
  workspace_id: string | null;
  workspace_name: string | null;
  role: Role | null;
  operator: boolean;
  invited_by_name: string | null;
  expires_at: number;
  account_exists: boolean;
}

export interface AcceptResult {
  accepted: true;
  email: string;
  workspace_id: string | null;
  signed_in: boolean;
  memberships?: Membership[];
}

export function inspectInvitation(token: string, signal?: AbortSignal): Promise<InvitationInfo> {
  return api.post<InvitationInfo>('/v1/invitations/inspect', { token }, { signal });
}

export function acceptInvitation(token: string, body: { name?: string; password?: string }): Promise<AcceptResult> {
  return api.post<AcceptResult>('/v1/invitations/accept', { token, ...body });
}

/** `#token=<64 hex>` of an invitation link, or null. */
export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token && /^[0-9a-f]{64}$/.test(token) ? token : null;
}
